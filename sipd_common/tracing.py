"""Traces (OpenTelemetry) over the path a request id already travels: gateway → RPC → handler → event → handler.

Off unless an OTLP endpoint is configured (``OTEL_EXPORTER_OTLP_ENDPOINT`` or
``OTEL_EXPORTER_OTLP_TRACES_ENDPOINT``, OpenTelemetry's own variables; OTLP over HTTP): then each process
exports its spans in batches, named by ``OTEL_SERVICE_NAME`` or its component. Off, nothing is created on
any path (one ``None`` check).

The W3C ``traceparent`` travels next to the request id: as the ``nameko.traceparent`` header of an RPC
request and of an event (the outbox keeps it with the event), so Nameko hands it to the worker as context
data. A worker's span (``RequestContext``) is the child of the ``traceparent`` it got, and puts its own in
the worker's context data: what the worker calls (``ServiceRpc``) and emits (``uow.emit``) carries it on. One
plan change is one trace: the gateway's request, perencanaan's RPC, keuangan's handler of the plan's event,
pemerintahan's handlers of both services' events.
"""
from __future__ import annotations

import os
from typing import Any

from opentelemetry import context as otel_context
from opentelemetry import trace
from opentelemetry.trace import SpanKind, Status, StatusCode
from opentelemetry.trace.propagation.tracecontext import TraceContextTextMapPropagator

TRACEPARENT = "traceparent"  # Nameko context key: the header ``nameko.traceparent``
_PROPAGATOR = TraceContextTextMapPropagator()
_tracer: dict[str, Any] = {"tracer": None}

SERVER, CLIENT, CONSUMER, INTERNAL = SpanKind.SERVER, SpanKind.CLIENT, SpanKind.CONSUMER, SpanKind.INTERNAL


def configured() -> bool:
    return bool(os.environ.get("OTEL_EXPORTER_OTLP_ENDPOINT") or os.environ.get("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"))


def setup(component: str, instance: str | None = None) -> None:
    """Once per process: export spans over OTLP if an endpoint is configured; otherwise nothing."""
    if _tracer["tracer"] is not None or not configured():
        return
    from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
    from opentelemetry.sdk.resources import Resource
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import BatchSpanProcessor

    attributes = {"service.name": os.environ.get("OTEL_SERVICE_NAME") or f"sipd-{component}"}
    if instance:
        attributes["service.instance.id"] = instance
    provider = TracerProvider(resource=Resource.create(attributes))
    provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter()))
    install(provider)


def install(provider) -> None:
    """Trace with ``provider`` (``setup``; a test's, with an in-memory exporter)."""
    _tracer["tracer"] = provider.get_tracer("sipd")


def uninstall() -> None:
    _tracer["tracer"] = None


def enabled() -> bool:
    return _tracer["tracer"] is not None


def start(name: str, kind: SpanKind = INTERNAL, traceparent: str | None = None,
          attributes: dict | None = None):
    """A span made current, child of ``traceparent`` (or of the current span); ``None`` when tracing is off.
    End it with ``end`` in the same context."""
    tracer = _tracer["tracer"]
    if tracer is None:
        return None
    parent = _PROPAGATOR.extract({TRACEPARENT: traceparent}) if traceparent else None
    span = tracer.start_span(name, context=parent, kind=kind, attributes=attributes)
    return span, otel_context.attach(trace.set_span_in_context(span))


def end(started, error: str | None = None, attributes: dict | None = None) -> None:
    if started is None:
        return
    span, token = started
    if attributes:
        span.set_attributes(attributes)
    if error:
        span.set_status(Status(StatusCode.ERROR, error))
    span.end()
    otel_context.detach(token)


def traceparent_of(started) -> str | None:
    """The ``traceparent`` that makes a span's children: what travels on."""
    if started is None:
        return None
    carrier: dict = {}
    _PROPAGATOR.inject(carrier, context=trace.set_span_in_context(started[0]))
    return carrier.get(TRACEPARENT)
