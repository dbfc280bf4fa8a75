"""Logging in which the request id of the HTTP call travels into every line it causes.

The gateway sets the id; Nameko carries it as the ``nameko.request_id`` header on
RPC calls and events (the outbox stores it with the event), and each worker binds
it to this context variable for the lines it logs.
"""
from __future__ import annotations

import contextvars
import inspect
import json
import logging
import logging.config
import logging.handlers
import os
import socket
import time

from nameko.extensions import DependencyProvider

from .deadline import DEADLINE_KEY, deadline_var, parse
from . import tracing
from .metrics import WORKER_SECONDS, outcome_of

REQUEST_ID_KEY = "request_id"
_access = logging.getLogger("sipd.access")
request_id_var: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")
# the pemda and year a request or event concerns, where known (the call's ``kode_pemda`` / ``tahun``)
pemda_var: contextvars.ContextVar[str | None] = contextvars.ContextVar("kode_pemda", default=None)
tahun_var: contextvars.ContextVar[int | None] = contextvars.ContextVar("tahun", default=None)

LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s request_id=%(request_id)s %(message)s"
LOG_MAX_BYTES = 10 * 1024 * 1024
LOG_BACKUPS = 5

# Which process logs: its component (a service's name, ``gateway``) and instance (``SIPD_INSTANCE``, else
# host:pid), for the JSON lines. ``make run`` and the tests set both; a service learns its name at start too.
PROCESS = {"service": os.environ.get("SIPD_SERVICE") or None,
           "instance": os.environ.get("SIPD_INSTANCE") or f"{socket.gethostname()}:{os.getpid()}"}


class RequestIdFilter(logging.Filter):
    """Adds the request id (and, for the JSON lines, the pemda and year) to every record."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id_var.get()
        record.kode_pemda = pemda_var.get()
        record.tahun = tahun_var.get()
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, request_id, service, instance and, where known,
    kode_pemda and tahun; an exception's traceback as ``exc``."""

    def format(self, record: logging.LogRecord) -> str:
        line = {"time": self.formatTime(record), "level": record.levelname, "logger": record.name,
                "message": record.getMessage(), "request_id": getattr(record, "request_id", "-"),
                "service": PROCESS["service"], "instance": PROCESS["instance"]}
        for key in ("kode_pemda", "tahun"):
            value = getattr(record, key, None)
            if value is not None:
                line[key] = value
        if record.exc_info:
            line["exc"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False, default=str)

    def formatTime(self, record, datefmt=None):  # ISO 8601 in UTC, to the millisecond
        return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created)) + f".{int(record.msecs):03d}Z"


def formatter(format: str = LOG_FORMAT) -> logging.Formatter:
    """The formatter of every SIPD process: lines, or JSON objects with ``SIPD_LOG_FORMAT=json``."""
    if os.environ.get("SIPD_LOG_FORMAT", "").lower() == "json":
        return JsonFormatter()
    return logging.Formatter(format)


def handler() -> logging.Handler:
    """Standard error, or with ``SIPD_LOG_FILE`` that file, rotated at ``SIPD_LOG_MAX_BYTES`` (10 MiB) keeping
    ``SIPD_LOG_BACKUPS`` (5) old ones (``name.log.1`` …)."""
    path = os.environ.get("SIPD_LOG_FILE")
    if not path:
        return logging.StreamHandler()
    return logging.handlers.RotatingFileHandler(
        path, maxBytes=int(os.environ.get("SIPD_LOG_MAX_BYTES") or LOG_MAX_BYTES),
        backupCount=int(os.environ.get("SIPD_LOG_BACKUPS") or LOG_BACKUPS), encoding="utf-8")


def logging_config(level: str) -> dict:
    """What ``logging.config.dictConfig`` takes; ``services/config.yaml`` says the same for Nameko."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request_id": {"()": RequestIdFilter}},
        "formatters": {"line": {"()": formatter}},
        "handlers": {"stderr": {"()": handler, "filters": ["request_id"], "formatter": "line"}},
        "root": {"level": level, "handlers": ["stderr"]},
        "loggers": {"amqp": {"level": "WARNING"}, "kombu": {"level": "WARNING"}},
    }


def configure_logging(level: str | None = None, service: str | None = None) -> None:
    if service and not PROCESS["service"]:
        PROCESS["service"] = service
    logging.config.dictConfig(logging_config(level or os.environ.get("SIPD_LOG_LEVEL", "INFO")))


_positions: dict = {}  # (service class, method) -> where its kode_pemda and tahun are: (index, index) or None


def _where(service_cls, method_name: str) -> tuple[int | None, int | None] | None:
    key = (service_cls, method_name)
    if key not in _positions:
        try:
            names = list(inspect.signature(getattr(service_cls, method_name)).parameters)[1:]  # after self
        except (AttributeError, TypeError, ValueError):
            names = []
        found = tuple(names.index(n) if n in names else None for n in ("kode_pemda", "tahun"))
        _positions[key] = found if found != (None, None) else None
    return _positions[key]


def _scope_of(worker_ctx) -> tuple[str | None, int | None]:
    """The ``kode_pemda`` and ``tahun`` of a call (its arguments) or an event (its payload), where it has them."""
    args, kwargs = worker_ctx.args or (), worker_ctx.kwargs or {}
    if len(args) == 1 and not kwargs and isinstance(args[0], dict) and "event_id" in args[0]:
        pemda, tahun = args[0].get("kode_pemda"), args[0].get("tahun")
    else:
        where = _where(worker_ctx.container.service_cls, worker_ctx.entrypoint.method_name)
        if where is None:
            return None, None
        pemda, tahun = (args[i] if i is not None and i < len(args) else kwargs.get(name)
                        for i, name in zip(where, ("kode_pemda", "tahun")))
    return (pemda if isinstance(pemda, str) else None), (tahun if isinstance(tahun, int) else None)


class RequestContext(DependencyProvider):
    """Binds the caller's request id (for logging) and deadline (``sipd_common.deadline``) to the worker,
    and logs each worker's outcome.

    The outcome line ("rpc perencanaan.create_sub_kegiatan ok 12.3 ms") is the
    service's access log: with the request id in it, one grep follows a request
    from the gateway through every service it touched.
    """

    def setup(self):
        if not PROCESS["service"]:
            PROCESS["service"] = self.container.service_name
        tracing.setup(self.container.service_name, PROCESS["instance"])

    def worker_setup(self, worker_ctx):
        worker_ctx._sipd_token = request_id_var.set(worker_ctx.data.get(REQUEST_ID_KEY) or "-")
        pemda, tahun = _scope_of(worker_ctx)
        worker_ctx._sipd_scope = (pemda_var.set(pemda), tahun_var.set(tahun))
        worker_ctx._sipd_deadline = deadline_var.set(parse(worker_ctx.data.get(DEADLINE_KEY)))
        worker_ctx._sipd_started = time.perf_counter()
        kind = type(worker_ctx.entrypoint).__name__
        if tracing.enabled() and kind != "Timer":  # a span per RPC and event, child of the caller's
            span = worker_ctx._sipd_span = tracing.start(
                f"{worker_ctx.service_name}.{worker_ctx.entrypoint.method_name}",
                tracing.SERVER if kind == "Rpc" else tracing.CONSUMER, worker_ctx.data.get(tracing.TRACEPARENT),
                {"sipd.request_id": request_id_var.get(), "sipd.kode_pemda": pemda or "", "sipd.tahun": tahun or 0})
            # what this worker calls and emits is this span's child
            worker_ctx.data[tracing.TRACEPARENT] = tracing.traceparent_of(span)

    def worker_result(self, worker_ctx, result=None, exc_info=None):
        seconds = time.perf_counter() - getattr(worker_ctx, "_sipd_started", time.perf_counter())
        elapsed = seconds * 1000
        outcome = "ok" if exc_info is None else f"raised {exc_info[0].__name__}"
        kind = type(worker_ctx.entrypoint).__name__.lower()
        WORKER_SECONDS.labels(worker_ctx.service_name, kind, worker_ctx.entrypoint.method_name,
                              outcome_of(exc_info)).observe(seconds)
        span = getattr(worker_ctx, "_sipd_span", None)
        if span is not None:
            tracing.end(span, None if exc_info is None else exc_info[0].__name__, {"sipd.outcome": outcome_of(exc_info)})
            worker_ctx._sipd_span = None
        if kind == "timer" and exc_info is None and not result:
            return  # a periodic check that found nothing to do (every 2 s per instance) is not news
        _access.info("%s %s.%s %s %.1f ms", kind, worker_ctx.service_name, worker_ctx.entrypoint.method_name,
                     outcome, elapsed)

    def worker_teardown(self, worker_ctx):
        token = getattr(worker_ctx, "_sipd_token", None)
        if token is not None:
            request_id_var.reset(token)
        scope = getattr(worker_ctx, "_sipd_scope", None)
        if scope is not None:
            pemda_var.reset(scope[0])
            tahun_var.reset(scope[1])
        deadline = getattr(worker_ctx, "_sipd_deadline", None)
        if deadline is not None:
            deadline_var.reset(deadline)

    def get_dependency(self, worker_ctx):
        return worker_ctx.data.get(REQUEST_ID_KEY)
