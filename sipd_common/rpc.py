"""Nameko's ``@rpc``, except that a reply the broker cannot take does not kill the service.

Nameko publishes the reply after the worker has run; if the broker is gone at
that moment the publish raises inside a managed thread and the whole container
is killed. The caller has lost its reply queue with the same connection, so the
reply has no one to reach: log it and live on. The request is not acknowledged,
so the broker hands it out again once it is back (within the caller's TTL), and
the use cases are safe to repeat (a repeated create is a conflict, a repeated
change a no-op).
"""
from __future__ import annotations

import logging

from kombu.exceptions import KombuError
from nameko import rpc as nameko_rpc

log = logging.getLogger(__name__)


class Rpc(nameko_rpc.Rpc):
    def handle_result(self, message, worker_ctx, result, exc_info):
        try:
            return super().handle_result(message, worker_ctx, result, exc_info)
        except (OSError, KombuError) as exc:
            log.warning("reply of %s.%s lost, broker unavailable (%s: %s)",
                        worker_ctx.service_name, self.method_name, type(exc).__name__, exc)
            return result, exc_info


rpc = Rpc.decorator
