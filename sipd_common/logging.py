"""Logging in which the request id of the HTTP call travels into every line it causes.

The gateway sets the id; Nameko carries it as the ``nameko.request_id`` header on
RPC calls and events (the outbox stores it with the event), and each worker binds
it to this context variable for the lines it logs.
"""
from __future__ import annotations

import contextvars
import logging
import logging.config
import os
import time

from nameko.extensions import DependencyProvider

from .deadline import DEADLINE_KEY, deadline_var, parse

REQUEST_ID_KEY = "request_id"
_access = logging.getLogger("sipd.access")
request_id_var: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")

LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s request_id=%(request_id)s %(message)s"


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id_var.get()
        return True


def configure_logging(level: str | None = None) -> None:
    level = level or os.environ.get("SIPD_LOG_LEVEL", "INFO")
    logging.config.dictConfig({
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request_id": {"()": RequestIdFilter}},
        "formatters": {"line": {"format": LOG_FORMAT}},
        "handlers": {"stderr": {"class": "logging.StreamHandler", "filters": ["request_id"], "formatter": "line"}},
        "root": {"level": level, "handlers": ["stderr"]},
        "loggers": {"amqp": {"level": "WARNING"}, "kombu": {"level": "WARNING"}},
    })


class RequestContext(DependencyProvider):
    """Binds the caller's request id (for logging) and deadline (``sipd_common.deadline``) to the worker,
    and logs each worker's outcome.

    The outcome line ("rpc perencanaan.create_sub_kegiatan ok 12.3 ms") is the
    service's access log: with the request id in it, one grep follows a request
    from the gateway through every service it touched.
    """

    def worker_setup(self, worker_ctx):
        worker_ctx._sipd_token = request_id_var.set(worker_ctx.data.get(REQUEST_ID_KEY) or "-")
        worker_ctx._sipd_deadline = deadline_var.set(parse(worker_ctx.data.get(DEADLINE_KEY)))
        worker_ctx._sipd_started = time.perf_counter()

    def worker_result(self, worker_ctx, result=None, exc_info=None):
        elapsed = (time.perf_counter() - getattr(worker_ctx, "_sipd_started", time.perf_counter())) * 1000
        outcome = "ok" if exc_info is None else f"raised {exc_info[0].__name__}"
        kind = type(worker_ctx.entrypoint).__name__.lower()
        if kind == "timer" and exc_info is None and not result:
            return  # a periodic check that found nothing to do (every 2 s per instance) is not news
        _access.info("%s %s.%s %s %.1f ms", kind, worker_ctx.service_name, worker_ctx.entrypoint.method_name,
                     outcome, elapsed)

    def worker_teardown(self, worker_ctx):
        token = getattr(worker_ctx, "_sipd_token", None)
        if token is not None:
            request_id_var.reset(token)
        deadline = getattr(worker_ctx, "_sipd_deadline", None)
        if deadline is not None:
            deadline_var.reset(deadline)

    def get_dependency(self, worker_ctx):
        return worker_ctx.data.get(REQUEST_ID_KEY)
