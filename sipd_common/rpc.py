"""Nameko's ``@rpc``, with two differences: answers are contract models, and a reply the broker
cannot take does not kill the service.

**Answers.** A use case answers with a model of ``contracts`` (or a list or page of them): built by
the producer, so validated against the contract where it is made — a wrong shape is a bug that fails
the producer's tests, not a surprise for the caller. The entrypoint sends it as JSON data.

**Replies without confirms.** Nameko publishes each reply with a publisher confirm, a round trip to the
broker for nothing: a reply the broker loses is a caller's timeout either way, and the request is
acknowledged only after the reply was handed over. Replies here go unconfirmed and transient.

**Deadlines.** A request whose caller's deadline (``sipd_common.deadline``) has passed before a worker
took it up is not run; a statement cancelled by the deadline's ``statement_timeout`` answers
``DeadlineExceeded`` (504), as a commit refused for it does. ``ServiceRpc`` is Nameko's, with a timeout:
the request expires in the queue when the caller stops waiting, the caller waits no longer than that
(nor than its own caller's deadline, which it passes on), and a service that does not answer is
``Unavailable`` (503) to the caller instead of a worker held forever.

**The database away.** A statement that fails because the database restarted, dropped the connection or
refuses new ones (``sipd_common.db.database_unavailable``) answers ``Unavailable`` (503, try again), not a
service failure (502): the next attempt gets a fresh connection.

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
import time
from typing import Any, Callable

import eventlet
from kombu.exceptions import KombuError
from nameko import config
from nameko import rpc as nameko_rpc
from nameko.amqp.publish import Publisher
from nameko.constants import AMQP_SSL_CONFIG_KEY, LOGIN_METHOD_CONFIG_KEY, NON_PERSISTENT
from nameko.exceptions import ReplyQueueExpiredWithPendingReplies, UnknownService
from pydantic import BaseModel
from sqlalchemy.exc import DBAPIError

from .db import database_unavailable
from .deadline import DEADLINE_KEY, deadline_var, left
from .errors import DeadlineExceeded, Invalid, Unavailable

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


BROKER_USER_KEY = "broker_user"


class Rpc(nameko_rpc.Rpc):
    def handle_message(self, body, message):
        # The broker user who published the request, as the broker validated it (AMQP ``user_id``: a
        # publisher that sets another's is refused by RabbitMQ), for the operators' RPCs; a header of that
        # name sent by the caller is dropped, never believed.
        headers = message.properties.setdefault("application_headers", {}) if message.headers is None else message.headers
        headers.pop(f"nameko.{BROKER_USER_KEY}", None)
        user = message.properties.get("user_id")
        if user:
            headers[f"nameko.{BROKER_USER_KEY}"] = user
        return super().handle_message(body, message)

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


# a NUL in text: psycopg refuses it in a text parameter itself ("PostgreSQL text fields cannot contain NUL"),
# PostgreSQL in JSON (22P05 untranslatable_character) and in text it decodes (22021 character_not_in_repertoire)
TEXT_WITHOUT_NUL = frozenset({"22021", "22P05"})


def rpc(fn: Callable | None = None, **options: Any):
    """``@rpc`` or ``@rpc(expected_exceptions=...)`` on a service method."""
    if fn is None:
        return functools.partial(rpc, **options)

    signature = inspect.signature(fn)

    @functools.wraps(fn)
    def entrypoint(*args, **kwargs):
        remaining = left()
        if remaining is not None and remaining <= 0:
            raise DeadlineExceeded("the caller's deadline passed before the request was taken up; nothing was done")
        check_paging(signature, args, kwargs)  # offset and limit of every list, whoever calls
        try:
            return to_wire(fn(*args, **kwargs))
        except DBAPIError as exc:
            sqlstate = getattr(exc.orig, "sqlstate", None)
            if sqlstate == "57014" and deadline_var.get() is not None:
                raise DeadlineExceeded("the caller's deadline passed while the request waited for the database; "
                                       "nothing was committed") from None
            if database_unavailable(exc):
                # the database restarted or dropped its connections: the pool is renewed by now (or is refused
                # until the database is back), so the caller tries again; a create with the same Idempotency-Key
                # is made once, should this attempt's commit have gone through before its answer was lost
                log.warning("%s: database unavailable (%s: %s)", fn.__name__, type(exc.orig).__name__,
                            str(exc.orig).strip().splitlines()[0] if str(exc.orig).strip() else "")
                raise Unavailable("the database is unavailable for a moment; try again (a create with the same "
                                  "Idempotency-Key is made once)") from None
            if sqlstate in TEXT_WITHOUT_NUL or "cannot contain NUL" in str(exc.orig):
                # one place for every route: a NUL (U+0000) in any text the caller sent is the caller's to fix
                raise Invalid("text may not contain the NUL character (U+0000)", errors=[{
                    "field": "body", "message": "text may not contain the NUL character (U+0000)"}]) from None
            raise

    entrypoint.__signature__ = signature  # Nameko checks a call's arguments against it
    return Rpc.decorator(**options)(entrypoint) if options else Rpc.decorator(entrypoint)


class _ReplyListener(nameko_rpc.ReplyListener):
    """Nameko's, except that replies lost with the reply queue (a broker restart, or a call registered in the
    instant before the listener's first connection declared the queue) are not fatal: Nameko raises in the
    listener's thread, which kills the whole container and leaves the callers waiting forever. Here the
    listener declares its queue again and goes on; each caller waiting for a lost reply times out as
    ``Unavailable`` (``_TimedService``)."""

    def check_for_lost_replies(self):
        try:
            super().check_for_lost_replies()
        except ReplyQueueExpiredWithPendingReplies as lost:
            log.warning("%s; those calls time out as Unavailable", lost)


class ServiceRpc(nameko_rpc.ServiceRpc):
    """``ServiceRpc("referensi", timeout=60)``: calls to one service that wait ``timeout`` seconds at most
    (less when the worker's own caller has less time left), whose messages expire then, and that
    raise ``Unavailable`` when the service does not answer in time or has never run."""

    reply_listener = _ReplyListener()

    def __init__(self, target_service: str, timeout: float, **options: Any):
        super().__init__(target_service, **options)
        self.timeout = timeout

    def get_dependency(self, worker_ctx):
        return _TimedService(self, worker_ctx.context_data)


class _TimedService:
    def __init__(self, provider: ServiceRpc, context_data: dict):
        self._provider = provider
        self._context_data = context_data

    def __getattr__(self, method: str) -> Callable:
        return functools.partial(self._call, method)

    def _call(self, method: str, *args: Any, **kwargs: Any) -> Any:
        provider, service = self._provider, self._provider.target_service
        timeout = provider.timeout
        remaining = left()
        if remaining is not None:
            if remaining <= 0:
                raise DeadlineExceeded(f"no time left to call {service}.{method}")
            timeout = min(timeout, remaining)
        # the callee gets our deadline (and keeps its own margin from it); the request expires with it
        context = {**self._context_data, DEADLINE_KEY: time.time() + timeout}
        # an eager timer's worker can call while the container is still starting: its reply queue must be
        # declared and consumed first, or the reply is routed nowhere
        with eventlet.Timeout(timeout, False):
            provider.reply_listener.consumer.wait_until_consumer_ready()
        client = nameko_rpc.Client(functools.partial(provider.publisher.publish, expiration=timeout),
                                   provider.reply_listener.register_for_reply, context, service, method)
        try:
            call = client.call_async(*args, **kwargs)
        except UnknownService:
            raise Unavailable(f"{service} has never run on this broker") from None
        with eventlet.Timeout(timeout, False):
            return call.result()
        provider.reply_listener.pending.pop(call.correlation_id, None)  # its reply, if any, is for no one
        raise Unavailable(f"{service}.{method} did not answer within {timeout:g} s")
