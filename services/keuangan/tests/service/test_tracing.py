"""Traces follow the request id (sipd_common.tracing): a worker's span is the child of the caller's traceparent,
and what it emits carries its own on. Spans kept in memory (an in-memory exporter), as OTLP would send them."""
from __future__ import annotations

import pytest
from nameko.standalone.events import event_dispatcher
from nameko.testing.services import entrypoint_hook, entrypoint_waiter
from opentelemetry.trace import SpanKind

from contracts.perencanaan import RkpdSubKegiatanSaved
from ops.testing import auth_context, recorded_spans
from sipd_common import tracing

from .test_service import outbox_of, saved

TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736"
PARENT = "00f067aa0ba902b7"
TRACEPARENT = f"00-{TRACE_ID}-{PARENT}-01"


@pytest.fixture
def spans():
    with recorded_spans() as exporter:
        yield exporter


def test_an_event_handled_is_a_span_of_the_publishers_trace_and_its_own_events_carry_it_on(spans, keuangan, db,
                                                                                              scope):
    event = saved(scope)
    payload = event.to_message()

    def this_message(worker_ctx, result, exc_info):
        return bool(worker_ctx.args) and worker_ctx.args[0].get("event_id") == payload["event_id"]

    with entrypoint_waiter(keuangan, "on_rkpd_saved", callback=this_message, timeout=15):
        event_dispatcher(headers={"nameko.traceparent": TRACEPARENT, "nameko.request_id": "trace-1"})(
            RkpdSubKegiatanSaved.source, RkpdSubKegiatanSaved.event_type(), payload)

    handled = next(s for s in spans.get_finished_spans() if s.name == "keuangan.on_rkpd_saved")
    assert handled.kind is SpanKind.CONSUMER
    assert format(handled.context.trace_id, "032x") == TRACE_ID
    assert format(handled.parent.span_id, "016x") == PARENT
    assert handled.attributes["sipd.request_id"] == "trace-1"
    assert handled.attributes["sipd.kode_pemda"] == scope[0] and handled.attributes["sipd.outcome"] == "ok"
    # the plafon's event, emitted by this handler, is the handler span's child when pemerintahan takes it up
    (row,) = outbox_of(db, event.aggregate_id)
    assert row.headers["nameko.traceparent"].startswith(f"00-{TRACE_ID}-{handled.context.span_id:016x}-")
    assert row.headers["nameko.request_id"] == "trace-1"


def test_an_rpc_is_a_span_of_its_callers_trace(spans, keuangan, scope):
    kode_pemda, tahun = scope
    with entrypoint_hook(keuangan, "list_plafon", context_data={**auth_context(), "traceparent": TRACEPARENT}) as hook:
        hook(kode_pemda, tahun)
    served = next(s for s in spans.get_finished_spans() if s.name == "keuangan.list_plafon")
    assert served.kind is SpanKind.SERVER
    assert format(served.context.trace_id, "032x") == TRACE_ID and format(served.parent.span_id, "016x") == PARENT


def test_no_span_without_a_tracer(keuangan, scope):
    """Off (no OTLP endpoint): nothing is made, and the caller's traceparent still travels on unchanged."""
    assert not tracing.enabled()
    with entrypoint_hook(keuangan, "list_plafon", context_data={**auth_context(), "traceparent": TRACEPARENT}) as hook:
        hook(*scope)
