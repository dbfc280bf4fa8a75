"""The outbox relay against a real broker: the broker may go away, an event may not.

The relay runs here on its own (as the Storage dependency runs it inside a
service), reading perencanaan's outbox and publishing to the test's vhost,
through a TCP proxy the test can cut.
"""
from __future__ import annotations

import logging
import uuid
from datetime import datetime, timezone
from urllib.parse import urlsplit, urlunsplit

import eventlet
import kombu
import nameko
import pytest
from sqlalchemy import func, select

from ops.testing import TcpProxy, wait_until
from contracts.perencanaan import RkpdSubKegiatanSaved
from sipd_common.db import StorageHandle, make_engine
from sipd_common.outbox import OutboxRelay, replay, unroutable_events
from sipd_common.tables import outbox_table

POLL = 0.1


# -- fixtures ----------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def engine(database):
    engine = make_engine("perencanaan")
    yield engine
    engine.dispose()


@pytest.fixture(autouse=True)
def relay_warnings(caplog):
    """The relay's warnings are how a test sees that it tried and failed."""
    caplog.set_level(logging.WARNING, logger="sipd_common.outbox")


@pytest.fixture
def amqp_uri(rabbit_config):
    return nameko.config["AMQP_URI"]


@pytest.fixture
def queue(amqp_uri):
    """A durable queue of the test's own bound to every perencanaan event; yields a reader of it."""
    with kombu.Connection(amqp_uri) as conn:
        exchange = kombu.Exchange("perencanaan.events", type="topic", durable=True)
        q = kombu.Queue("outbox-relay-test", exchange, routing_key="#", durable=True)
        q(conn.default_channel).declare()
        received: list[dict] = []

        def read() -> list[dict]:
            """Everything that has arrived so far (the queue is drained into ``received``)."""
            bound = q(conn.default_channel)
            while (message := bound.get(no_ack=True)) is not None:
                received.append(message.decode())
            return received

        yield read


@pytest.fixture
def proxy():
    p = TcpProxy("127.0.0.1", 5672)
    yield p
    p.close()


@pytest.fixture
def relays():
    """Relays started by the test, each in a greenthread; stopped afterwards."""
    started: list[tuple[OutboxRelay, eventlet.greenthread.GreenThread]] = []

    def start(relay: OutboxRelay) -> OutboxRelay:
        started.append((relay, eventlet.spawn(relay.run)))
        return relay

    yield start
    for relay, thread in started:
        relay.stop()
        thread.wait()


# -- helpers -----------------------------------------------------------------------------------------

def via(proxy: TcpProxy, amqp_uri: str) -> str:
    parts = urlsplit(amqp_uri)
    netloc = f"{parts.username}:{parts.password}@127.0.0.1:{proxy.port}"
    return urlunsplit((parts.scheme, netloc, parts.path, "", ""))


def saved_event(scope: tuple[str, int]) -> RkpdSubKegiatanSaved:
    kode_pemda, tahun = scope  # the test's own (pemda, year)
    return RkpdSubKegiatanSaved(
        kode_pemda=kode_pemda, tahun=tahun, aggregate_id=str(uuid.uuid4()), aggregate_version=1,
        kode_skpd="1.01.0.00.0.00.01.0000", kode_sub_kegiatan="1.01.02.2.01.0001",
        nama_sub_kegiatan="Pembangunan Unit Sekolah Baru", kode_bidang_urusan="1.01",
        nama_bidang_urusan="URUSAN PEMERINTAHAN BIDANG PENDIDIKAN", indikator="Jumlah Unit Sekolah Baru yang Dibangun",
        target="2", satuan="Unit", pagu_indikatif="3500000000.00",
    )


def commit_events(engine, relay: OutboxRelay | None, events: list[RkpdSubKegiatanSaved]) -> None:
    """What a use case does: emit in a unit of work and commit (the commit wakes the relay)."""
    with StorageHandle("perencanaan", engine, relay, {}).unit_of_work() as uow:
        for event in events:
            uow.emit(event)
        uow.commit()


def published_at(engine, event_id):
    with engine.connect() as conn:
        return conn.execute(select(outbox_table.c.published_at).where(outbox_table.c.event_id == event_id)).scalar_one()


def unpublished(engine, event_ids) -> int:
    t = outbox_table
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(t).where(
            t.c.event_id.in_(event_ids), t.c.published_at.is_(None))).scalar_one()


def with_id(messages: list[dict], event_id) -> list[dict]:
    return [m for m in messages if m["event_id"] == str(event_id)]


# -- tests -------------------------------------------------------------------------------------------

def test_an_event_committed_while_the_broker_is_away_is_published_once_it_is_back(
        engine, amqp_uri, queue, proxy, relays, caplog, scope):
    relay = OutboxRelay(engine, via(proxy, amqp_uri), poll_seconds=POLL)
    event = saved_event(scope)
    commit_events(engine, relay, [event])
    proxy.cut()

    relays(relay)

    wait_until(lambda: any("publish failed" in r.getMessage() for r in caplog.records),
               message="the relay tried and failed while the broker was away")
    # The one bounded wait: we assert that something does *not* happen, which no wait-until can
    # show; three poll cycles more give the relay every chance to (wrongly) mark the row sent.
    eventlet.sleep(3 * POLL)
    assert published_at(engine, event.event_id) is None
    assert with_id(queue(), event.event_id) == []

    proxy.restore()

    wait_until(lambda: published_at(engine, event.event_id), timeout=15, message="row marked published")
    [message] = wait_until(lambda: with_id(queue(), event.event_id), message="message in the queue")
    assert message == event.to_message()
    assert len(with_id(queue(), event.event_id)) == 1


def test_two_relays_on_one_outbox_publish_each_event_exactly_once(engine, amqp_uri, queue, relays, scope):
    events = [saved_event(scope) for _ in range(50)]
    commit_events(engine, None, events)
    ours = {str(e.event_id) for e in events}
    sent_by: dict[str, list[str]] = {"a": [], "b": []}

    def start(name: str) -> None:
        relay = OutboxRelay(engine, amqp_uri, poll_seconds=POLL, batch_size=5)
        publish = relay._publish

        def spy(exchange, routing_key, payload, headers):
            # A slow broker round trip: the batch stays locked long enough for the other relay to skip it.
            eventlet.sleep(0.01)
            publish(exchange, routing_key, payload, headers)
            if payload["event_id"] in ours:
                sent_by[name].append(payload["event_id"])

        relay._publish = spy
        relays(relay)

    start("a")
    start("b")

    wait_until(lambda: unpublished(engine, [e.event_id for e in events]) == 0, timeout=20,
               message="all 50 rows marked published")

    def all_arrived():
        mine = [m["event_id"] for m in queue() if m["event_id"] in ours]
        return mine if len(mine) >= len(ours) else None

    assert sorted(wait_until(all_arrived, message="50 messages in the queue")) == sorted(ours)
    assert sorted(sent_by["a"] + sent_by["b"]) == sorted(ours)
    assert sent_by["a"] and sent_by["b"], "both relays took part"


def test_rows_of_a_relay_that_died_mid_batch_go_to_the_next_once_its_lease_is_over(engine, amqp_uri, queue, relays,
                                                                                       scope):
    events = [saved_event(scope) for _ in range(3)]
    commit_events(engine, None, events)
    ids = [e.event_id for e in events]
    # a relay claims the batch (committed at once, no transaction held) and dies before it publishes anything
    lease = 2.0
    claimed = OutboxRelay(engine, amqp_uri, lease_seconds=lease).claim()
    assert {str(i) for i in ids} <= {row.payload["event_id"] for row in claimed}
    with engine.connect() as conn:
        held = conn.execute(select(func.count()).select_from(outbox_table).where(
            outbox_table.c.event_id.in_(ids), outbox_table.c.claimed_until > func.now())).scalar_one()
    assert held == 3, "claimed on a lease"

    relays(OutboxRelay(engine, amqp_uri, poll_seconds=POLL))
    # The one bounded wait: the next relay leaves the leased rows alone (something that must *not* happen)
    eventlet.sleep(lease / 2)
    assert unpublished(engine, ids) == 3
    assert with_id(queue(), ids[0]) == []

    wait_until(lambda: unpublished(engine, ids) == 0, timeout=15, message="published once the lease is over")

    def arrived():
        got = [m["event_id"] for m in queue() if m["event_id"] in {str(i) for i in ids}]
        return got if len(got) >= 3 else None

    assert sorted(wait_until(arrived, message="the three messages in the queue")) == sorted(str(i) for i in ids)


def bind_queue(amqp_uri: str, name: str):
    """A durable queue named ``name`` bound to every perencanaan event, from now on; a reader of it."""
    conn = kombu.Connection(amqp_uri)
    q = kombu.Queue(name, kombu.Exchange("perencanaan.events", type="topic", durable=True), routing_key="#",
                    durable=True)
    q(conn.default_channel).declare()
    received: list[dict] = []

    def read() -> list[dict]:
        bound = q(conn.default_channel)
        while (message := bound.get(no_ack=True)) is not None:
            received.append(message.decode())
        return received

    return read


def test_an_event_no_queue_is_bound_for_waits_in_the_outbox_until_one_is(engine, amqp_uri, relays, caplog, scope):
    # A fresh vhost: nothing is bound to perencanaan.events yet (a consumer that has never run).
    relay = relays(OutboxRelay(engine, amqp_uri, poll_seconds=POLL))
    event = saved_event(scope)
    commit_events(engine, relay, [event])

    wait_until(lambda: any("unroutable" in r.getMessage() for r in caplog.records),
               message="the broker returned the event")
    assert published_at(engine, event.event_id) is None, "returned, so not marked sent"
    waiting = unroutable_events(engine)["events"]
    assert [e["routing_key"] for e in waiting if e["event_id"] == str(event.event_id)] == [RkpdSubKegiatanSaved.event_type()]

    read = bind_queue(amqp_uri, "late-consumer")  # the consumer starts

    wait_until(lambda: published_at(engine, event.event_id), timeout=15, message="sent once a queue is bound")
    [message] = wait_until(lambda: with_id(read(), event.event_id), message="the event reaches the new queue")
    assert message == event.to_message()


def test_a_consumer_that_comes_later_catches_up_by_replay_of_the_outbox(engine, amqp_uri, queue, relays, scope):
    relay = relays(OutboxRelay(engine, amqp_uri, poll_seconds=POLL))
    since = datetime.now(timezone.utc)
    events = [saved_event(scope) for _ in range(3)]
    commit_events(engine, relay, events)
    ids = {str(e.event_id) for e in events}
    wait_until(lambda: unpublished(engine, [e.event_id for e in events]) == 0, message="published to the first")
    wait_until(lambda: len([m for m in queue() if m["event_id"] in ids]) == 3, message="the first consumer has them")

    read = bind_queue(amqp_uri, "consumer-from-today")  # comes after the events were published
    assert replay(engine, since) >= 3
    relay.wake()

    def caught_up():
        return sorted(m["event_id"] for m in read() if m["event_id"] in ids) == sorted(ids)

    wait_until(caught_up, timeout=15, message="the later consumer received the history")
    assert unpublished(engine, [e.event_id for e in events]) == 0


def test_a_backlog_no_queue_is_bound_for_is_tried_again_without_reading_its_payloads(engine, amqp_uri, scope):
    """A backlog the broker returned comes due again and again: one row of its key is tried, the others are
    returned unread (their payloads are large: an import's change events), so the rows after them wait for
    nothing; once a queue is bound, each is read and sent as it was saved."""
    relay = OutboxRelay(engine, amqp_uri)
    events = [saved_event(scope) for _ in range(5)]
    commit_events(engine, None, events)
    ours = [e.event_id for e in events]
    t = outbox_table
    read: list = []  # the ids whose payload it read after the claim
    claimed: list = []  # the rows as claimed
    payloads, claim = relay._payloads, relay.claim

    def reading(*args) -> dict:
        got = payloads(*args)
        read.extend(got)
        return got

    def claiming() -> list:
        rows = claim()
        claimed.extend(rows)
        return rows

    relay._payloads, relay.claim = reading, claiming

    def one_round() -> None:
        """Every due row tried once (as the running relay does), ours due now: the retry's wait passed."""
        with engine.begin() as conn:
            conn.execute(t.update().where(t.c.event_id.in_(ours)).values(retry_at=None))
        read.clear()
        claimed.clear()
        while relay.publish_pending() == relay.batch_size:
            pass

    def returns() -> list[int]:
        with engine.connect() as conn:
            return conn.execute(select(t.c.unroutable).where(t.c.event_id.in_(ours)).order_by(t.c.id)).scalars().all()

    try:
        one_round()  # a fresh vhost: nothing bound, all five come back
        assert returns() == [1] * 5
        one_round()  # and again: only the first of their key is read
        assert returns() == [2] * 5
        mine = {row.id for row in claimed if row.event_id in ours}
        assert len(mine) == 5 and all(row.payload is None for row in claimed if row.id in mine)
        assert len(mine & set(read)) <= 1, "the payloads of a returned key's other rows were read"

        queue = bind_queue(amqp_uri, "consumer-of-a-backlog")
        one_round()
        assert unpublished(engine, ours) == 0
        assert mine <= set(read)

        def all_arrived():
            got = [m for m in queue() if uuid.UUID(m["event_id"]) in ours]
            return got if len(got) >= len(ours) else None

        arrived = wait_until(all_arrived, message="the five in the queue")
        assert sorted(arrived, key=lambda m: m["event_id"]) == sorted(
            (e.to_message() for e in events), key=lambda m: m["event_id"])
    finally:
        relay._disconnect()
