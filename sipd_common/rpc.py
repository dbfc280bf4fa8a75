"""Nameko's ``@rpc``, with two differences: answers are contract models, and a reply the broker
cannot take does not kill the service.

**Answers.** A use case answers with a model of ``contracts`` (or a list or page of them): built by
the producer, so validated against the contract where it is made — a wrong shape is a bug that fails
the producer's tests, not a surprise for the caller. The entrypoint sends it as JSON data.

**Replies without confirms.** Nameko publishes each reply with a publisher confirm, a round trip to the
broker for nothing: a reply the broker loses is a caller's timeout either way, and the request is
acknowledged only after the reply was handed over. Replies here go unconfirmed and transient.

**Lost replies.** Nameko publishes the reply after the worker has run; if the broker is gone at
that moment the publish raises inside a managed thread and the whole container is killed. The
caller has lost its reply queue with the same connection, so the reply has no one to reach: log it
and live on. The request is not acknowledged, so the broker hands it out again once it is back
(within the caller's TTL), and the use cases are safe to repeat (a repeated create is a conflict, a
repeated change a no-op).
"""
from __future__ import annotations

import functools
import inspect
import logging
from typing import Any, Callable

from kombu.exceptions import KombuError
from nameko import config
from nameko import rpc as nameko_rpc
from nameko.amqp.publish import Publisher
from nameko.constants import AMQP_SSL_CONFIG_KEY, LOGIN_METHOD_CONFIG_KEY, NON_PERSISTENT
from pydantic import BaseModel

from .validation import check_paging

log = logging.getLogger(__name__)


def to_wire(answer: Any) -> Any:
    """A use case's answer as JSON data: models dumped as their contract publishes them."""
    if isinstance(answer, BaseModel):
        return answer.model_dump(mode="json")
    if isinstance(answer, (list, tuple)):
        return [to_wire(a) for a in answer]
    if isinstance(answer, dict):
        return {k: to_wire(v) for k, v in answer.items()}
    return answer


class _ReplyPublisher(Publisher):
    use_confirms = False
    delivery_mode = NON_PERSISTENT


class _Responder(nameko_rpc.Responder):
    publisher_cls = _ReplyPublisher


class Rpc(nameko_rpc.Rpc):
    def handle_result(self, message, worker_ctx, result, exc_info):
        try:
            responder = _Responder(self.rpc_consumer.amqp_uri, nameko_rpc.get_rpc_exchange(), message,
                                   ssl=config.get(AMQP_SSL_CONFIG_KEY), login_method=config.get(LOGIN_METHOD_CONFIG_KEY))
            result, exc_info = responder.send_response(result, exc_info)
            self.rpc_consumer.consumer.ack_message(message)
            return result, exc_info
        except (OSError, KombuError) as exc:
            log.warning("reply of %s.%s lost, broker unavailable (%s: %s)",
                        worker_ctx.service_name, self.method_name, type(exc).__name__, exc)
            return result, exc_info


def rpc(fn: Callable | None = None, **options: Any):
    """``@rpc`` or ``@rpc(expected_exceptions=...)`` on a service method."""
    if fn is None:
        return functools.partial(rpc, **options)

    signature = inspect.signature(fn)

    @functools.wraps(fn)
    def entrypoint(*args, **kwargs):
        check_paging(signature, args, kwargs)  # offset and limit of every list, whoever calls
        return to_wire(fn(*args, **kwargs))

    entrypoint.__signature__ = signature  # Nameko checks a call's arguments against it
    return Rpc.decorator(**options)(entrypoint) if options else Rpc.decorator(entrypoint)
