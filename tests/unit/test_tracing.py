"""The gateway's side of a trace: its RPC is a client span of the request's, and the service gets its traceparent."""
from __future__ import annotations

import asyncio

import orjson
import pytest
from opentelemetry.trace import SpanKind

from gateway.rpc import RpcClient
from ops.testing import recorded_spans
from sipd_common import tracing


class _Connection:
    is_closed = False


class _Exchange:
    """Takes the request as the broker would, and answers it at once as the service would."""

    def __init__(self, client: RpcClient):
        self.client = client
        self.sent = []

    async def publish(self, message, routing_key, mandatory, timeout):
        self.sent.append(message)
        self.client._pending[message.correlation_id].set_result(orjson.dumps({"result": "ok", "error": None}))


def _client() -> tuple[RpcClient, _Exchange]:
    client = RpcClient("amqp://unused/")
    client.connection, client._exchange = _Connection(), _Exchange(client)
    return client, client._exchange


@pytest.fixture
def spans():
    with recorded_spans() as exporter:
        yield exporter


def test_an_rpc_of_the_gateway_is_a_client_span_whose_traceparent_the_service_gets(spans):
    client, exchange = _client()

    async def request():
        http = tracing.start("GET /api/v1/x", tracing.SERVER)
        try:
            return await client.call("keuangan", "list_plafon", "32.73", 2027)
        finally:
            tracing.end(http)

    assert asyncio.run(request()) == "ok"
    rpc, http = spans.get_finished_spans()
    assert (rpc.name, rpc.kind, http.kind) == ("rpc keuangan.list_plafon", SpanKind.CLIENT, SpanKind.SERVER)
    assert rpc.parent.span_id == http.context.span_id and rpc.context.trace_id == http.context.trace_id
    header = exchange.sent[0].headers["nameko.traceparent"]
    assert header.startswith(f"00-{rpc.context.trace_id:032x}-{rpc.context.span_id:016x}-")


def test_off_no_span_and_no_header():
    client, exchange = _client()
    assert asyncio.run(client.call("keuangan", "list_plafon", "32.73", 2027)) == "ok"
    assert "nameko.traceparent" not in exchange.sent[0].headers


def test_on_only_with_an_otlp_endpoint(monkeypatch):
    monkeypatch.delenv("OTEL_EXPORTER_OTLP_ENDPOINT", raising=False)
    monkeypatch.delenv("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", raising=False)
    tracing.setup("gateway")
    assert not tracing.enabled()
    monkeypatch.setenv("OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:4318")
    try:
        tracing.setup("gateway", "gateway-1")
        assert tracing.enabled()
    finally:
        tracing.uninstall()
