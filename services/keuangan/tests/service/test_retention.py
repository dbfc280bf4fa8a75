"""Pruning on real PostgreSQL: what is past its retention goes, what still counts stays (sipd_common.retention)."""
from __future__ import annotations

import uuid

import pytest
from sqlalchemy import text

from sipd_common import retention
from sipd_common.settings import get_settings


def _ids(conn, sql: str) -> set:
    return {str(r[0]) for r in conn.execute(text(sql))}


@pytest.fixture
def keuangan(engines):
    return engines("keuangan")


def test_a_service_prunes_its_messaging_tables_by_their_retention(keuangan, monkeypatch):
    monkeypatch.setenv("SIPD_INBOX_RETENTION_DAYS", "14")
    monkeypatch.setenv("SIPD_PARKED_RETENTION_DAYS", "30")
    monkeypatch.setenv("SIPD_PARKED_EXPIRY_DAYS", "90")
    monkeypatch.setenv("SIPD_IDEMPOTENCY_RETENTION_DAYS", "7")
    ids = {name: uuid.uuid4() for name in ("sent_old", "sent_new", "unsent_old", "inbox_old", "inbox_new",
                                           "replayed_old", "replayed_new", "waiting", "expired", "failing_old",
                                           "failing_new")}
    keys = {name: f"retention-{uuid.uuid4()}" for name in ("call_old", "call_new")}
    with keuangan.begin() as conn:
        outbox = ("INSERT INTO outbox (event_id, exchange, routing_key, payload, created_at, published_at) "
                  "VALUES (:id, 'keuangan.events', 'x.v1', '{}', now() - make_interval(days => :age), SENT)")
        conn.execute(text(outbox.replace("SENT", "now() - make_interval(days => :age)")), [
            {"id": ids["sent_old"], "age": 8}, {"id": ids["sent_new"], "age": 6}])
        # never published: kept whatever its age (the relay still owes it)
        conn.execute(text(outbox.replace("SENT", "NULL")), {"id": ids["unsent_old"], "age": 400})
        conn.execute(text("INSERT INTO inbox (event_id, handler, processed_at) VALUES "
                          "(:old, 'on_x', now() - interval '15 days'), (:new, 'on_x', now() - interval '13 days')"),
                     {"old": ids["inbox_old"], "new": ids["inbox_new"]})
        parked = ("INSERT INTO parked_event (event_id, handler, routing_key, payload, error, attempts, parked_at, "
                  "replayed_at) VALUES (:id, 'on_x', 'x.v1', '{}', 'boom', 5, now() - make_interval(days => :parked), "
                  "now() - make_interval(days => :replayed))")
        conn.execute(text(parked), [{"id": ids["replayed_old"], "parked": 40, "replayed": 31},
                                    {"id": ids["replayed_new"], "parked": 40, "replayed": 29}])
        conn.execute(text(parked.replace("now() - make_interval(days => :replayed))", "NULL)")), [
            {"id": ids["waiting"], "parked": 89}, {"id": ids["expired"], "parked": 91}])
        conn.execute(text("INSERT INTO handler_failure (event_id, handler, attempts, last_error, updated_at) VALUES "
                          "(:old, 'on_x', 2, 'boom', now() - interval '31 days'), "
                          "(:new, 'on_x', 2, 'boom', now() - interval '1 day')"),
                     {"old": ids["failing_old"], "new": ids["failing_new"]})
        conn.execute(text("INSERT INTO idempotent_call (key, operation, fingerprint, created_at) VALUES "
                          "(:old, 'create_rincian', 'f', now() - interval '8 days'), "
                          "(:new, 'create_rincian', 'f', now() - interval '6 days')"),
                     {"old": keys["call_old"], "new": keys["call_new"]})

    pruned = retention.prune(keuangan, get_settings())
    assert {t: n >= 1 for t, n in pruned.items()} == {
        "outbox": True, "inbox": True, "parked_event": True, "handler_failure": True, "idempotent_call": True}

    mine = {str(v) for v in ids.values()}
    with keuangan.connect() as conn:
        kept = (_ids(conn, "SELECT event_id FROM outbox") | _ids(conn, "SELECT event_id FROM inbox")
                | _ids(conn, "SELECT event_id FROM parked_event") | _ids(conn, "SELECT event_id FROM handler_failure"))
        calls = _ids(conn, "SELECT key FROM idempotent_call")
    assert {name for name, i in ids.items() if str(i) in kept & mine} == {
        "sent_new", "unsent_old", "inbox_new", "replayed_new", "waiting", "failing_new"}
    assert keys["call_new"] in calls and keys["call_old"] not in calls
    assert retention.prune(keuangan, get_settings()) == {}  # nothing more: safe to run again, by every instance


def test_the_inbox_outlives_the_replay_window(monkeypatch):
    monkeypatch.setenv("SIPD_INBOX_RETENTION_DAYS", "2")
    assert get_settings().inbox_retention_days == 8  # a replayed event (7 days) is still known as applied


def test_the_gateway_prunes_login_counts_that_no_longer_count_and_expired_tokens(engines, monkeypatch):
    monkeypatch.setenv("SIPD_LOGIN_LOCK_MINUTES", "15")
    monkeypatch.setenv("SIPD_REFRESH_TOKEN_RETENTION_DAYS", "1")
    gateway = engines("gateway")
    user, tag = str(uuid.uuid4()), uuid.uuid4().hex[:8]
    tokens = {name: str(uuid.uuid4()) for name in ("expired_long_ago", "expired_recently", "valid")}
    with gateway.begin() as conn:
        conn.execute(text("INSERT INTO users (id, username, password_hash, role, active, version) "
                          "VALUES (:id, :name, 'x', 'pusat_admin', true, 1)"), {"id": user, "name": f"retention-{tag}"})
        conn.execute(text(
            "INSERT INTO refresh_token (id, family_id, user_id, token_hash, expires_at, session_expires_at) "
            "VALUES (:id, :id, :user, md5(:hash) || md5(:hash), now() + make_interval(hours => :hours), now() + interval '7 days')"),
            [{"id": tokens["expired_long_ago"], "hash": tokens["expired_long_ago"], "user": user, "hours": -25},
             {"id": tokens["expired_recently"], "hash": tokens["expired_recently"], "user": user, "hours": -23},
             {"id": tokens["valid"], "hash": tokens["valid"], "user": user, "hours": 2}])
        throttle = ("INSERT INTO login_throttle (kind, key, failures, last_failure_at, locked_until) VALUES "
                    "('pair', :key, 3, now() - make_interval(mins => :age), LOCK)")
        conn.execute(text(throttle.replace("LOCK", "NULL")), [{"key": f"stale-{tag}", "age": 16},
                                                           {"key": f"counting-{tag}", "age": 14}])
        # a lock still in force stays, however old the last failure
        conn.execute(text(throttle.replace("LOCK", "now() + interval '1 minute'")), {"key": f"locked-{tag}", "age": 60})

    pruned = retention.prune(gateway, get_settings(), retention.GATEWAY_STATEMENTS)
    assert pruned.get("refresh_token", 0) >= 1 and pruned.get("login_throttle", 0) >= 1
    with gateway.connect() as conn:
        left = _ids(conn, "SELECT id FROM refresh_token") & set(tokens.values())
        keys = _ids(conn, f"SELECT key FROM login_throttle WHERE key LIKE '%{tag}'")
    assert left == {tokens["expired_recently"], tokens["valid"]}
    assert keys == {f"counting-{tag}", f"locked-{tag}"}


def test_the_connection_budget_counts_a_sipd_process_at_its_whole_pool(engines, monkeypatch):
    """On PostgreSQL: another SIPD process holding one connection is counted at the pool it names; a pool that
    does not fit what is left stops the process with the reason."""
    import psycopg

    from sipd_common import connections

    engine = engines("keuangan")
    before = connections.read_budget(engine)
    url = get_settings().admin_url().replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(url, application_name="sipd-keuangan pool=50 pid=1"):
        during = connections.read_budget(engine)
        assert sum(during.sipd.values()) == sum(before.sipd.values()) + 50
        assert during.max_connections >= 20 and during.reserved >= 0
        connections.check(engine, "keuangan", 1)  # fits
        monkeypatch.setenv("SIPD_DB_RESERVED_CONNECTIONS", str(during.max_connections))
        with pytest.raises(SystemExit, match=r"keuangan needs up to 16 database connections, and only 0 are left"):
            connections.check(engine, "keuangan", 16)
        monkeypatch.setenv("SIPD_DB_CONNECTION_CHECK", "off")
        connections.check(engine, "keuangan", 16)
