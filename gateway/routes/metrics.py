"""``GET /metrics``: the gateway's metrics in the Prometheus text format, for operators only.

Not public data (what is called how often, by whom refused): answered to a client on this machine
(loopback: Prometheus beside the gateway, ``make run``), to one sending the operators' metrics token
(``SIPD_METRICS_TOKEN`` as ``Authorization: Bearer …``: Prometheus elsewhere, compose) or a pusat
administrator's access token; 403 to anyone else.
"""
from __future__ import annotations

import hmac
import ipaddress
import os
from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response
from prometheus_client import REGISTRY, CollectorRegistry

from sipd_common.access import Role
from sipd_common.errors import Forbidden, Unauthenticated
from sipd_common.metrics import CONTENT_TYPE, ScrapeCollector, exposition, multiprocess_registry, pool_samples

from ..problems import responses
from ..security import authenticate, bearer_token

router = APIRouter(tags=["operasi"])


def _loopback(host: str | None) -> bool:
    try:
        return host is not None and ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


async def metrics_reader(request: Request) -> None:
    if _loopback(request.client.host if request.client else None):
        return
    token = bearer_token(request.scope)
    expected = os.environ.get("SIPD_METRICS_TOKEN", "")
    if token and expected and hmac.compare_digest(token.encode(), expected.encode()):
        return
    if token:
        try:
            if authenticate(request.app, token).role is Role.PUSAT_ADMIN:
                return
        except Unauthenticated:
            pass
    raise Forbidden("metrics are for operators: from this machine, with SIPD_METRICS_TOKEN, or as a pusat "
                    "administrator")


def _computed(app) -> CollectorRegistry:
    """Gauges computed when scraped: the database pool of the worker answering (one per worker)."""
    registry = getattr(app.state, "metrics_registry", None)
    if registry is None:
        registry = app.state.metrics_registry = CollectorRegistry(auto_describe=False)
        registry.register(ScrapeCollector(lambda: [pool_samples(app.state.db.sync_engine.pool, "gateway")], "gateway"))
    return registry


@router.get("/metrics", summary="Metrics in the Prometheus text format (operators: loopback, SIPD_METRICS_TOKEN or a "
                                "pusat administrator)",
            response_class=Response,
            responses={200: {"content": {"text/plain": {"schema": {"type": "string"}}},
                             "description": "Prometheus text exposition format 0.0.4"}, **responses(403, 422, 503, 504)})
async def metrics(request: Request, _: Annotated[None, Depends(metrics_reader)]) -> Response:
    sampled = getattr(request.app.state, "process_metrics", None)
    if sampled is not None:  # the answering worker's own, now (the others' are at most a few seconds old)
        sampled.update()
    counted = multiprocess_registry() or REGISTRY
    return Response(exposition(counted, _computed(request.app)), media_type=CONTENT_TYPE)
