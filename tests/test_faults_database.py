"""Faults on purpose, in the database, while plan changes and budget lines are in flight (``tests/stream.py``):

- PostgreSQL "restarted": every connection of the stack dropped, again and again, then none accepted for a while;
  the services reconnect by themselves, and every acknowledged change reaches every read model, none twice;
- PostgreSQL really restarted (``pg_ctlcluster ... restart``, where the tests run as root beside the server, as on
  this project's machines and CI): the same;
- a handler that fails for a while (its table refused to it), then recovers: its events are retried, parked after
  the limit, replayed by the operators' command (``python -m ops.parked``), applied once.

The invariant checker (``ops.invariants``) finds no difference at the end of each.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from contextlib import contextmanager

import psycopg
import pytest
from psycopg import sql

from ops import invariants
from ops.stack import ROOT
from ops.testing import wait_until
from tests.stream import differences_once_settled, running, settle_and_check
from tests.support import KODE_PEMDA

# every session of the database but the test's own (``admin_db``, the one that looks)
TERMINATE = ("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
             "WHERE datname = %s AND pid <> pg_backend_pid() AND pid <> %s")


@contextmanager
def connections_refused(settings, keep: int):
    """No new connection to the stack's database while the block runs (its existing ones are terminated), said from
    the server's maintenance database (PostgreSQL refuses it from a session of the database itself)."""
    database = settings.db_name
    url = settings.admin_url("postgres").replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(url, autocommit=True) as maintenance:
        maintenance.execute(sql.SQL("ALTER DATABASE {} ALLOW_CONNECTIONS false").format(sql.Identifier(database)))
        try:
            maintenance.execute(TERMINATE, (database, keep))
            yield
        finally:
            maintenance.execute(sql.SQL("ALTER DATABASE {} ALLOW_CONNECTIONS true").format(sql.Identifier(database)))


def test_postgresql_restarted_mid_stream_loses_and_duplicates_nothing(stack, api, tahun, admin_db, settings, capsys):
    """What a restart of PostgreSQL does to the services, done to this stack's database alone: the server is shared
    with other test runs, which a real restart (``pg_ctlcluster ... restart``) would break. A restart ends every
    session with ``57P01 terminating connection due to administrator command`` (the shutdown's), the same error
    ``pg_terminate_backend`` sends, and then refuses connections while the server is down and starting
    (``ALLOW_CONNECTIONS false`` refuses them the same way: a connection attempt that fails). So: every connection
    of the database terminated, again and again for a few seconds (the pools are found dead while in use: a
    statement fails on a connection that was good a moment ago), then no connection accepted until the client has
    been answered "try again" several times, then accepted again. The services are not restarted: they reconnect
    by themselves; a write on a dropped connection answers 503 and the client sends it again (a create with the
    same Idempotency-Key); an event whose handler met the outage is retried and not counted as a failed attempt
    (it would be parked after 5)."""
    database = settings.db_name
    dropped = 0
    with running(stack, api, tahun) as stream:
        answered = stream.answered
        # the server going down while in use: every connection dropped, and dropped again as they are made anew
        started = time.monotonic()
        while time.monotonic() - started < 4 or stream.answered < answered + 3:  # a few answers in the meantime
            assert time.monotonic() - started < 60, "the stream got no answer while connections were dropped"
            dropped += admin_db.execute(TERMINATE, (database, admin_db.info.backend_pid)).fetchone()[0]
            time.sleep(0.1)  # the pools reconnect between: the next terminate finds them in use
        # the server down and starting: no connection made until the client was told to try again a few times
        with connections_refused(settings, keep=admin_db.info.backend_pid):
            stream.wait_for_retries(3)
        stream.wait_for_more(10)  # the services are back without a restart, and the stream goes on
        assert stack.health()[0] == 200 and all(p.alive() for p in stack.procs)
    assert dropped > 0 and stream.retried, (dropped, stream.retried)
    applied = settle_and_check(stream, admin_db, tahun, f"PostgreSQL 'restarted' ({dropped} connections dropped)",
                               capsys)
    for service in ("keuangan", "pemerintahan"):  # the outage is no event's fault: none parked for it
        parked = admin_db.execute(f"SELECT count(*) FROM {service}.parked_event WHERE payload->>'tahun' = %s",
                                  (str(tahun),)).fetchone()[0]
        assert parked == 0, f"{service} parked {parked} event(s) for the database's outage"
    assert not stream.refused, stream.refused
    assert applied["rincian"] >= len(stream.lines)


def _cluster(settings) -> list[str] | None:
    """The local cluster serving the tests' database ([version, name]), if this process may restart it."""
    if os.geteuid() != 0 or not shutil.which("pg_lsclusters") or settings.db_host not in ("127.0.0.1", "localhost"):
        return None
    listed = subprocess.run(["pg_lsclusters", "--no-header"], capture_output=True, text=True, timeout=30).stdout
    for line in listed.splitlines():
        version, name, port, status, *_ = line.split()
        if port == str(settings.db_port) and status.startswith("online"):
            return [version, name]
    return None


@pytest.mark.restarts_server
def test_postgresql_really_restarted_mid_stream_loses_and_duplicates_nothing(stack, api, tahun, settings, capsys):
    """The server itself restarted (fast shutdown: every session ended, the server down, then starting) while the
    stream writes: the services reconnect by themselves, the client's writes answered "try again" meanwhile are
    sent again, and every acknowledged change reaches every read model once. It restarts the server every test
    run of this machine shares, so it runs at the end of the tier (``conftest.pytest_collection_modifyitems``), and
    looks with a connection of its own made after the restart."""
    cluster = _cluster(settings)
    if cluster is None:
        pytest.skip("no local PostgreSQL cluster this process may restart")
    with running(stack, api, tahun) as stream:
        answered = stream.answered
        subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", *cluster, "restart", "-m", "fast"], check=True,
                       capture_output=True, timeout=120)
        stream.wait_for_more(10)  # the services are back without a restart of theirs, and the stream goes on
        assert stream.answered > answered
        assert stack.health()[0] == 200 and all(p.alive() for p in stack.procs)
    url = settings.admin_url().replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(url, autocommit=True) as looker:
        applied = settle_and_check(stream, looker, tahun, "PostgreSQL restarted (pg_ctlcluster)", capsys)
        for service in ("keuangan", "pemerintahan"):  # the outage is no event's fault: none parked for it
            parked = looker.execute(f"SELECT count(*) FROM {service}.parked_event WHERE payload->>'tahun' = %s",
                                    (str(tahun),)).fetchone()[0]
            assert parked == 0, f"{service} parked {parked} event(s) for the restart"
    assert not stream.refused, stream.refused
    assert applied["rincian"] >= len(stream.lines)


HANDLER = "on_plafon_changed"  # pemerintahan's, writing its table anggaran from keuangan's apbd.plafon.changed.v1


def _plafon_events(admin_db, tahun: int) -> dict[str, int]:
    """keuangan's plafon events of the year, by where pemerintahan holds them: applied (inbox), parked (waiting
    for an operator), neither (on their way, or between attempts)."""
    rows = admin_db.execute(
        "SELECT CASE WHEN EXISTS (SELECT 1 FROM pemerintahan.inbox i WHERE i.event_id = o.event_id AND i.handler = %s)"
        "  THEN 'applied' WHEN EXISTS (SELECT 1 FROM pemerintahan.parked_event p WHERE p.event_id = o.event_id"
        "  AND p.handler = %s AND p.replayed_at IS NULL) THEN 'parked' ELSE 'neither' END, count(DISTINCT o.event_id)"
        " FROM keuangan.outbox o WHERE o.routing_key = 'apbd.plafon.changed.v1' AND o.payload->>'kode_pemda' = %s"
        " AND o.payload->>'tahun' = %s GROUP BY 1", (HANDLER, HANDLER, KODE_PEMDA, str(tahun))).fetchall()
    return {"applied": 0, "parked": 0, "neither": 0, **dict(rows)}


def _operator(stack, broker_uris, *args: str):
    done = subprocess.run([sys.executable, "-m", "ops.parked", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=60, env={**stack.env, "SIPD_OPERATOR_AMQP_URI": broker_uris["operator"]})
    return done.returncode, done.stdout, done.stderr


def test_a_handler_failing_for_a_while_is_retried_parked_and_replayed_once(stack, api, tahun, admin_db, broker_uris,
                                                                           capsys):
    """pemerintahan's handler of keuangan's plafon events fails for a while: its table ``anggaran`` is refused to
    pemerintahan's role (a real failure of the database, as a lost grant or a migration gone wrong would be; the
    code under test is not touched). Its events are retried, and parked after ``SIPD_HANDLER_MAX_ATTEMPTS`` (5 in
    the test stack); the report stays behind the budget (the checker finds differences). The grant back, the
    operators' command replays each parked event once: the report catches up, nothing applied twice, and a second
    replay of the same event is refused."""
    with running(stack, api, tahun) as stream:
        admin_db.execute("REVOKE INSERT, UPDATE ON pemerintahan.anggaran FROM sipd_pemerintahan")
        try:
            wait_until(lambda: _plafon_events(admin_db, tahun)["parked"] >= 3, 60, message="events parked")
            stream.stop.set()
            stream.thread.join(60)
            # every plafon event of the year arrived, and as the handler still fails, ends parked
            wait_until(lambda: _plafon_events(admin_db, tahun)["neither"] == 0, 60, message="every event parked")
        finally:
            admin_db.execute("GRANT INSERT, UPDATE ON pemerintahan.anggaran TO sipd_pemerintahan")
    held = _plafon_events(admin_db, tahun)
    assert held["parked"] >= 3, held
    # nothing brings the parked events back by itself: the report is behind the budget until an operator acts
    assert any("pemerintahan's" in d for d in invariants.differences(admin_db, KODE_PEMDA, tahun))

    code, out, err = _operator(stack, broker_uris, "list", "pemerintahan")
    assert code == 0, err
    parked = [p for p in json.loads(out) if p["handler"] == HANDLER and p["payload"].get("tahun") == tahun]
    assert len(parked) == held["parked"], (len(parked), held)
    assert {p["attempts"] for p in parked} == {int(stack.env["SIPD_HANDLER_MAX_ATTEMPTS"])}  # retried, then parked
    assert all("InsufficientPrivilege" in p["error"] for p in parked), parked[0]["error"]

    code, out, err = _operator(stack, broker_uris, "replay", "pemerintahan", *(str(p["id"]) for p in parked))
    assert code == 0, (out, err)
    replayed = json.loads(out)
    assert [(r["id"], r["outcome"]) for r in replayed] == [(p["id"], "applied") for p in parked], replayed
    code, out, _ = _operator(stack, broker_uris, "replay", "pemerintahan", str(parked[0]["id"]))
    assert code == 1 and json.loads(out)[0]["refused"].startswith("NotFound")  # replayed once: not twice

    differences_once_settled(admin_db, tahun)
    after = _plafon_events(admin_db, tahun)
    assert after == {"applied": held["applied"] + held["parked"], "parked": 0, "neither": 0}, (held, after)
    applied_once = admin_db.execute(
        "SELECT count(*), count(DISTINCT event_id) FROM pemerintahan.inbox"
        " WHERE handler = %s AND event_id = ANY(%s::uuid[])",
        (HANDLER, [p["event_id"] for p in parked])).fetchone()
    assert applied_once == (len(parked), len(parked))
    settle_and_check(stream, admin_db, tahun, f"{HANDLER} failing ({held['parked']} events parked and replayed; "
                     f"{held['applied']} applied before the failure)", capsys)
    assert not stream.refused and not stream.retried, (stream.refused, stream.retried)
