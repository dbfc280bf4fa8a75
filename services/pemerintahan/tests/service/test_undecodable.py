"""A message a handler cannot even decode is parked where an operator sees it, not acknowledged and lost."""
from __future__ import annotations

import base64

import kombu
import nameko
import pytest
from nameko.testing.services import entrypoint_hook
from sqlalchemy import select

from ops.testing import as_operator, auth_context, wait_until
from services.pemerintahan.service import PemerintahanService
from sipd_common.errors import Forbidden, Invalid
from sipd_common.tables import parked_event_table

from .test_service import Scope, deliver, new_id

ROUTING_KEY = "rkpd.sub_kegiatan.saved.v1"
QUEUE = f"evt-perencanaan-{ROUTING_KEY}--pemerintahan.on_rkpd_saved"


@pytest.fixture
def pemerintahan(start):
    return start(PemerintahanService)


def publish_raw(body: bytes, content_type: str, content_encoding: str) -> None:
    with kombu.Connection(nameko.config["AMQP_URI"]) as conn:
        kombu.Producer(conn.default_channel).publish(
            body, exchange="perencanaan.events", routing_key=ROUTING_KEY, content_type=content_type,
            content_encoding=content_encoding, headers={"nameko.request_id": "uji-tak-terbaca"})


def parked_with(engines, body: bytes) -> list:
    t = parked_event_table
    with engines("pemerintahan").connect() as conn:
        rows = conn.execute(select(t).where(t.c.handler == "on_rkpd_saved")).all()
    return [r for r in rows if r.payload.get("undecodable") == base64.b64encode(body).decode()]


def queue_depth() -> int:
    with kombu.Connection(nameko.config["AMQP_URI"]) as conn:
        return conn.default_channel.queue_declare(QUEUE, passive=True).message_count


@pytest.mark.parametrize("body, content_type, content_encoding", [
    (b'{"event_id": "not json', "application/json", "utf-8"),
    (b"\x80\x04K\x01.", "application/x-python-serialize", "binary"),  # pickle: never deserialised
], ids=["broken json", "refused content type"])
def test_an_undecodable_message_is_parked_with_its_body_and_the_handler_goes_on(
        pemerintahan, engines, lingkungan, body, content_type, content_encoding):
    publish_raw(body, content_type, content_encoding)

    [row] = wait_until(lambda: parked_with(engines, body), message="the message parked")
    assert row.routing_key == ROUTING_KEY and row.error.startswith("undecodable: ")
    assert row.payload["content_type"] == content_type
    assert row.headers["nameko.request_id"] == "uji-tak-terbaca"
    wait_until(lambda: queue_depth() == 0, message="acknowledged once parked")

    # the operators see it, and a replay is refused (no handler can read it)
    assert row.id in [p["id"] for p in as_operator(pemerintahan, "parked_events")]
    with pytest.raises(Invalid):
        as_operator(pemerintahan, "replay_parked_event", row.id)
    # and to operators only
    with entrypoint_hook(pemerintahan, "parked_events", context_data=auth_context("pusat_admin")) as parked, \
            pytest.raises(Forbidden):
        parked()

    # and the handler goes on with the next event
    scope = lingkungan()
    deliver(pemerintahan, Scope(*scope).saved(new_id(), "1.01", "10"))
    with entrypoint_hook(pemerintahan, "get_ringkasan", context_data=auth_context()) as get:
        assert get(*scope)["total_pagu_indikatif"] == "10.00"
