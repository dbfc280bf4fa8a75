"""Faults on purpose: every process killed (``kill -9``) in turn while plan changes and budget lines are in flight,
then started again; and every service run twice at once. Every change acknowledged to a client reaches every read
model, none twice, and the invariant checker (``ops.invariants``: plan ↔ ceilings ↔ lines ↔ report) finds no
difference once the events settle (``tests/stream.py``)."""
from __future__ import annotations

import signal

import kombu

from ops.testing import wait_until
from tests.stream import running, settle_and_check

VICTIMS = ["referensi-1", "perencanaan-1", "keuangan-1", "keuangan-2", "pemerintahan-1", "gateway"]


def test_every_process_killed_in_turn_loses_and_duplicates_nothing(stack, api, tahun, admin_db, capsys):
    killed = []
    with running(stack, api, tahun) as stream:
        for name in VICTIMS:
            proc = next(p for p in stack.procs if p.name == name)
            stack.restart(proc, signal.SIGKILL)  # kill -9 mid-stream, then start it again
            killed.append(name)
            stack.wait_healthy(120)
            stream.wait_for_more()
    settle_and_check(stream, admin_db, tahun, f"kill -9 of {', '.join(killed)}", capsys)


def _consumers(amqp_uri: str, queue: str) -> int:
    with kombu.Connection(amqp_uri, connect_timeout=5) as connection:
        channel = connection.channel()
        try:
            return channel.queue_declare(queue=queue, passive=True)[2]
        finally:
            channel.close()


def test_two_instances_of_every_service_reach_the_same_final_state(stack, api, tahun, admin_db, amqp_uri, capsys):
    """A second instance of referensi, perencanaan and pemerintahan beside the two of keuangan, while the stream
    runs: the instances share each queue, and the read models end as one instance would leave them."""
    # small pools: PostgreSQL's max_connections (100 here, as on CI) holds the whole stack and these three, not three
    # more of the stack's size (the connection budget would refuse a second instance, as it should)
    small = {**stack.env, "SIPD_DB_POOL_SIZE": "3", "SIPD_MAX_WORKERS": "3", "SIPD_PREFETCH_COUNT": "3"}
    extra = [stack.start_service(name, 2, env=small) for name in ("referensi", "perencanaan", "pemerintahan")]
    try:
        stack.wait_healthy(120)
        # healthy needs one instance of each: wait until the second ones consume too (a start takes a while here)
        wait_until(lambda: all(_consumers(amqp_uri, f"rpc-{service}") == 2 for service in
                               ("referensi", "perencanaan", "keuangan", "pemerintahan")), 180,
                   message="two instances of every service consuming")
        with running(stack, api, tahun) as stream:
            for _ in range(4):
                stream.wait_for_more(5)
            # the stream asks referensi nothing (writes are checked against the replicas): reads of the codification,
            # each a page the gateway's cache has not seen, so each an RPC the two instances share
            for page in range(tahun * 100, tahun * 100 + 20):
                assert api.get("/api/v1/referensi/versi", params={"page": page}).status_code == 200
        # the second instances took their share: requests (referensi, perencanaan) and events (pemerintahan)
        took = {p.name: p.log_path.read_text(errors="replace") for p in extra}
    finally:
        for proc in extra:
            stack.stop(proc)
    assert "rpc referensi.list_versi ok" in took["referensi-2"]
    assert "rpc perencanaan.create_sub_kegiatan ok" in took["perencanaan-2"]
    assert "eventhandler pemerintahan.on_rkpd_saved ok" in took["pemerintahan-2"]
    applied = settle_and_check(stream, admin_db, tahun, "two instances of every service", capsys)
    assert not stream.refused and not stream.retried, (stream.refused, stream.retried)
    assert applied["rincian"] == len(stream.lines) and applied["rkpd_items"] == len(stream.items)
