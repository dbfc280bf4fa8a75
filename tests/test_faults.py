"""Faults lose nothing and duplicate nothing: broker gone, broker restarted, events redelivered, competing consumers."""
from __future__ import annotations

import shutil
import subprocess
import threading
import time
import uuid
from decimal import Decimal

import kombu
import pytest

from ops.testing import wait_until
from tests.stream import COMBOS, running, settle_and_check
from tests.support import KODE_PEMDA, apbd_url, bidang, plafon_of, plan, rkpd_url, wait_plafon, wait_report


def _outbox_row(admin_db, aggregate_id: str):
    return admin_db.execute(
        "SELECT routing_key, payload, headers, published_at FROM perencanaan.outbox "
        "WHERE payload->>'aggregate_id' = %s ORDER BY id DESC LIMIT 1", (aggregate_id,)).fetchone()


def test_broker_gone_after_commit_the_change_stays_and_its_event_follows(api, tahun, outbox_proxy, admin_db):
    outbox_proxy.cut()
    try:
        item = plan(api, tahun)  # the RPC path still works: only the relay has lost the broker
        assert _outbox_row(admin_db, item["id"]) is not None
        # Nothing can arrive while the relay is cut off; a few poll cycles (0.2 s each) show it is held, not lost.
        time.sleep(1.0)
        assert _outbox_row(admin_db, item["id"])[3] is None
        assert plafon_of(api, tahun, item["id"]) is None
        assert api.get(f"{rkpd_url(tahun)}/{item['id']}").status_code == 200  # the change stands
    finally:
        outbox_proxy.restore()
    wait_plafon(api, tahun, item["id"], timeout=30)
    assert _outbox_row(admin_db, item["id"])[3] is not None


def _log_text(stack, prefix: str) -> str:
    return "".join(p.read_text(errors="replace") for p in stack.log_dir.glob(f"{prefix}*.log"))


def test_the_same_event_delivered_twice_has_one_effect(api, tahun, admin_db, amqp_uri, stack):
    item = plan(api, tahun)
    first = wait_plafon(api, tahun, item["id"])
    wait_report(api, tahun, lambda r: bidang(r, "1.01") is not None)
    routing_key, payload, headers, _ = _outbox_row(admin_db, item["id"])

    with kombu.Connection(amqp_uri) as conn:
        exchange = kombu.Exchange("perencanaan.events", type="topic", durable=True)
        conn.Producer().publish(payload, exchange=exchange, routing_key=routing_key, headers=headers,
                                serializer="json", delivery_mode=2)

    marker = f"event {payload['event_id']} already processed"
    wait_until(lambda: marker in _log_text(stack, "keuangan") and marker in _log_text(stack, "pemerintahan"),
               timeout=15, message="the duplicate reached both consumers")
    assert plafon_of(api, tahun, item["id"])["version"] == first["version"] == 1
    published = admin_db.execute(
        "SELECT count(*) FROM keuangan.outbox WHERE payload->>'aggregate_id' = %s", (item["id"],)).fetchone()[0]
    assert published == 1
    assert bidang(wait_report(api, tahun, lambda r: True), "1.01")["jumlah_sub_kegiatan"] == 1


def test_two_keuangan_instances_reach_the_same_final_state(api, tahun, stack):
    """keuangan runs twice (see conftest): interleaved changes, taken by either instance, end in the latest state."""
    items = [plan(api, tahun, kode_skpd=skpd, kode_sub_kegiatan=sub, pagu_indikatif="100")
             for skpd, sub in COMBOS[:8]]
    expected = {}

    def churn(item, n):
        url = f"{rkpd_url(tahun)}/{item['id']}"
        pagu = None
        for i in range(1, 8):
            pagu = f"{1000 * n + i}.00"
            assert api.patch(url, json={"pagu_indikatif": pagu}).status_code == 200
        if n % 3 == 0:
            assert api.delete(url).status_code == 204
            expected[item["id"]] = ("tanpa_rencana", pagu)
        else:
            expected[item["id"]] = ("sesuai", pagu)

    threads = [threading.Thread(target=churn, args=(item, n)) for n, item in enumerate(items)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    mismatches = {}

    def final_state():
        got = {p["rkpd_id"]: (p["status"], p["pagu"]) for p in
               api.get(apbd_url(tahun, "plafon"), params={"per_page": 200}).json()["items"]}
        mismatches.clear()
        mismatches.update({k: (got.get(k), v) for k, v in expected.items() if got.get(k) != v})
        return not mismatches and got

    try:
        wait_until(final_state, timeout=30, message="plafon of every item at its latest plan version")
    except AssertionError:
        raise AssertionError(f"(got, expected) per item: {mismatches}") from None
    live = [v for v in expected.values() if v[0] == "sesuai"]
    total = sum(Decimal(p) for _, p in live)
    wait_report(api, tahun, lambda r: Decimal(r["total_pagu_indikatif"]) == total
                and sum(b["jumlah_sub_kegiatan"] for b in r["bidang_urusan"]) == len(live))
    for instance in ("keuangan-1", "keuangan-2"):
        assert "eventhandler keuangan.on_rkpd_saved ok" in _log_text(stack, instance), f"{instance} took no event"


def test_a_request_id_reaches_every_log_line_it_causes(api, tahun, stack):
    request_id = f"trace-{uuid.uuid4().hex[:12]}"
    resp = api.post(rkpd_url(tahun), headers={"X-Request-ID": request_id},
                    json={"kode_skpd": "1.01.0.00.0.00.01.0000", "kode_sub_kegiatan": "1.01.02.2.01.0001",
                          "indikator": "i", "target": "1", "satuan": "Unit", "pagu_indikatif": "5"})
    assert resp.status_code == 201 and resp.headers["x-request-id"] == request_id
    wait_until(lambda: all(f"request_id={request_id}" in _log_text(stack, s)
                           for s in ("perencanaan", "keuangan", "pemerintahan")),
               timeout=15, message="request id in the logs of every service the change reached")
    assert "rpc perencanaan.create_sub_kegiatan ok" in next(
        line for line in _log_text(stack, "perencanaan").splitlines() if request_id in line)
    # the write checked its codes against perencanaan's replica: it never reached referensi
    assert f"request_id={request_id}" not in _log_text(stack, "referensi")


def _rabbitmqctl(*args: str) -> None:
    subprocess.run(["rabbitmqctl", "-q", *args], check=True, capture_output=True, timeout=120)


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("rabbitmqctl") is None, reason="needs the local broker's rabbitmqctl to restart it")
def test_rabbitmq_restarted_mid_stream_every_acknowledged_change_arrives(stack, api, tahun, admin_db, capsys):
    """The broker stopped and started again while plan changes and budget lines are in flight (``tests/stream.py``).

    The restart begins once the stream is under way, the broker stays away until the client has been answered
    "try again" (the restart reached it, however slow the machine), and the stream goes on until more changes were
    acknowledged after the broker came back: the restart always falls inside the stream. Every acknowledged change
    reaches every read model, none twice, and the invariant checker finds no difference."""
    with running(stack, api, tahun) as stream:
        _rabbitmqctl("stop_app")
        try:
            stream.wait_for_retries(2, timeout=120)  # the broker away: the gateway answers "try again"
        finally:
            _rabbitmqctl("start_app")
        back = sum(stream.acked.values())
        stream.wait_for_more(10, timeout=240)  # acknowledged after the broker is back: gateway and services reconnected
        wait_until(lambda: stack.health()[0] == 200, timeout=60, message="gateway and services reconnected")
    assert stream.retried, "the restart did not reach the client"
    assert sum(stream.acked.values()) >= back + 10
    settle_and_check(stream, admin_db, tahun, "RabbitMQ restarted (rabbitmqctl stop_app, start_app)", capsys)


def test_an_event_with_a_field_its_consumers_do_not_know_is_applied_not_parked(api, tahun, admin_db, amqp_uri):
    """A publisher may add an optional field (a compatible change): every consumer reads tolerantly.

    A saved plan item is published as a newer publisher would, with a field at the top and one more
    in a nested place; keuangan (both instances compete for it) and pemerintahan apply it."""
    item = plan(api, tahun)
    wait_plafon(api, tahun, item["id"])
    _, payload, headers, _ = _outbox_row(admin_db, item["id"])
    newer = {**payload, "event_id": str(uuid.uuid4()), "aggregate_version": 2, "pagu_indikatif": "987654321.00",
             "prioritas_nasional": "a top-level field of a later version of the contract",
             "sumber_dana": [{"kode_sumber_dana": "1.1", "pagu": "987654321.00",
                              "catatan": "a nested field of a later version of the contract"}]}

    with kombu.Connection(amqp_uri) as conn:
        exchange = kombu.Exchange("perencanaan.events", type="topic", durable=True)
        conn.Producer().publish(newer, exchange=exchange, routing_key="rkpd.sub_kegiatan.saved.v1",
                                headers=headers, serializer="json", delivery_mode=2)

    wait_plafon(api, tahun, item["id"], lambda p: Decimal(p["pagu"]) == Decimal("987654321.00"))
    wait_report(api, tahun, lambda r: Decimal(bidang(r, "1.01")["total_pagu_indikatif"]) == Decimal("987654321.00"))
    for service in ("keuangan", "pemerintahan"):
        parked = admin_db.execute(f"SELECT count(*) FROM {service}.parked_event WHERE event_id = %s",
                                  (newer["event_id"],)).fetchone()[0]
        assert parked == 0, service


def test_a_call_to_a_service_that_never_ran_fails_at_once(amqp_uri):
    """A request no queue takes (its service has never run) fails at once with ServiceUnavailable (503),
    not after the timeout: the gateway publishes it mandatory, with a publisher confirm that reports the
    return. (aiormq reports a return only through a confirm, so the confirm stays.)"""
    import asyncio

    from gateway.rpc import RpcClient, ServiceUnavailable

    async def call() -> float:
        client = RpcClient(amqp_uri, timeout=10)
        await client.start()
        try:
            started = time.monotonic()
            with pytest.raises(ServiceUnavailable, match="layanan_hantu has no queue"):
                await client.call("layanan_hantu", "health")
            return time.monotonic() - started
        finally:
            await client.close()

    assert asyncio.run(call()) < 5  # the timeout is 10 s: failing faster means the return was seen


def test_a_create_that_outlives_its_http_request_is_answered_504_and_not_committed(api, tahun, admin_db):
    """A write held up (here by a lock on its table) past the gateway's timeout is given up by the service at the
    caller's deadline: 504 problem details, the worker free again, and nothing committed once the lock goes."""
    from tests.support import SD_BARU, SKPD_PENDIDIKAN

    body = {"kode_skpd": SKPD_PENDIDIKAN, "kode_sub_kegiatan": SD_BARU, "indikator": "Jumlah Unit", "target": "1",
            "satuan": "Unit", "pagu_indikatif": "100000000.00"}
    admin_db.execute("BEGIN")
    try:
        admin_db.execute("LOCK TABLE perencanaan.rkpd_sub_kegiatan IN SHARE MODE")
        resp = api.post(rkpd_url(tahun), json=body, timeout=30)
    finally:
        admin_db.execute("ROLLBACK")
    assert resp.status_code == 504, resp.text
    assert resp.headers["content-type"] == "application/problem+json"
    assert resp.json()["type"] == "urn:sipd:problem:timeout"
    # the service answered (it gave up), so its worker is done: nothing can commit later
    assert admin_db.execute("SELECT count(*) FROM perencanaan.rkpd_sub_kegiatan WHERE kode_pemda = %s AND tahun = %s",
                            (KODE_PEMDA, tahun)).fetchone()[0] == 0
    assert api.post(rkpd_url(tahun), json=body).status_code == 201  # and the next one goes through


@pytest.mark.slow
def test_with_referensi_stopped_creates_answer_at_once_and_leave_workers_free(api, stack, tahun):
    """perencanaan and keuangan check writes against their replicas, and their calls to referensi (the snapshot)
    have a timeout and an expiry: referensi stopped holds no worker, 13 creates at once all answer promptly."""
    from concurrent.futures import ThreadPoolExecutor

    referensi = next(p for p in stack.procs if p.name.startswith("referensi"))
    stack.stop(referensi)
    try:
        def create(combo):
            kode_skpd, kode_sub = combo
            started = time.monotonic()
            resp = api.post(rkpd_url(tahun), json={"kode_skpd": kode_skpd, "kode_sub_kegiatan": kode_sub,
                                                   "indikator": "Jumlah", "target": "1", "satuan": "Unit",
                                                   "pagu_indikatif": "1000000.00"})
            return resp.status_code, time.monotonic() - started

        with ThreadPoolExecutor(len(COMBOS)) as pool:
            answers = list(pool.map(create, COMBOS))
        assert [status for status, _ in answers] == [201] * len(COMBOS), answers
        assert max(seconds for _, seconds in answers) < 5, answers
        # and perencanaan's events still flow to keuangan while referensi is away
        items = api.get(rkpd_url(tahun), params={"per_page": 50}).json()["items"]
        for item in items:
            wait_plafon(api, tahun, item["id"], timeout=30)
    finally:
        stack.start_service("referensi")
        stack.wait_healthy(90)
