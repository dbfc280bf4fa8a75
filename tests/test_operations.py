"""Operations: every process's metrics move with the work it does; the gateway's are for operators only."""
from __future__ import annotations

import os
import re
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
from prometheus_client.multiprocess import MultiProcessCollector

from ops.stack import Stack, free_port
from ops.testing import wait_until
from sipd_common.metrics import forget_dead_workers
from tests.support import line, plan, wait_plafon

SAMPLE = re.compile(r"^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{.*\})? (\S+)$")


def scrape(url: str) -> dict[tuple[str, frozenset], float]:
    """A metrics page as {(name, labels): value}."""
    with urllib.request.urlopen(url, timeout=10) as resp:
        assert resp.status == 200
        text = resp.read().decode()
    samples = {}
    for row in text.splitlines():
        match = SAMPLE.match(row)
        if match and not row.startswith("#"):
            labels = frozenset(re.findall(r'(\w+)="((?:[^"\\]|\\.)*)"', match.group(2) or ""))
            samples[(match.group(1), labels)] = float(match.group(3))
    return samples


def total(samples: dict, name: str, **labels: str) -> float:
    wanted = set(labels.items())
    return sum(v for (n, ls), v in samples.items() if n == name and wanted <= ls)


def service_urls(stack, service: str) -> list[str]:
    return [f"http://127.0.0.1:{p.metrics_port}/metrics" for p in stack.procs
            if p.name.startswith(f"{service}-") and p.metrics_port]


def scrape_all(stack, service: str) -> dict:
    merged: dict = {}
    for url in service_urls(stack, service):
        for key, value in scrape(url).items():
            merged[key] = merged.get(key, 0) + value
    return merged


def test_every_process_counts_a_write_and_what_it_caused(stack, api, tahun):
    gateway_url = f"{stack.base_url}/metrics"
    before = {s: scrape_all(stack, s) for s in ("perencanaan", "keuangan", "pemerintahan")}
    gateway_before = scrape(gateway_url)

    item = plan(api, tahun)
    wait_plafon(api, tahun, item["id"])
    assert line(api, tahun, item["id"]).status_code == 201

    saved = "rkpd.sub_kegiatan.saved.v1"
    # perencanaan: the RPC, the event published
    wait_until(lambda: total(scrape_all(stack, "perencanaan"), "sipd_events_published_total", event_type=saved,
                             outcome="sent") > total(before["perencanaan"], "sipd_events_published_total",
                                                     event_type=saved, outcome="sent"), 15, message="published")
    after = {s: scrape_all(stack, s) for s in ("perencanaan", "keuangan", "pemerintahan")}
    rpc = dict(name="sipd_worker_seconds_count", kind="rpc", outcome="ok")
    assert total(after["perencanaan"], **rpc, operation="create_sub_kegiatan") > \
        total(before["perencanaan"], **rpc, operation="create_sub_kegiatan")
    assert total(after["keuangan"], **rpc, operation="create_rincian") > \
        total(before["keuangan"], **rpc, operation="create_rincian")
    # keuangan (either instance) applied the plan's event; the histogram has its buckets
    assert total(after["keuangan"], "sipd_events_handled_total", event_type=saved, outcome="applied") > \
        total(before["keuangan"], "sipd_events_handled_total", event_type=saved, outcome="applied")
    assert total(after["keuangan"], "sipd_worker_seconds_bucket", operation="create_rincian", le="+Inf") >= 1
    # the computed gauges: backlog, parked, pool, the queues' depth and consumers (two keuangan instances)
    one = scrape(service_urls(stack, "keuangan")[0])
    for gauge in ("sipd_outbox_unsent", "sipd_outbox_oldest_unsent_seconds", "sipd_parked_events",
                  "sipd_events_failing"):
        assert (gauge, frozenset({("service", "keuangan")})) in one, gauge
    assert total(one, "sipd_db_pool_connections", component="keuangan", state="size") == 10
    queue = "evt-perencanaan-rkpd.sub_kegiatan.saved.v1--keuangan.on_rkpd_saved"
    assert ("sipd_queue_messages", frozenset({("service", "keuangan"), ("queue", queue)})) in one
    assert total(one, "sipd_queue_consumers", queue=queue) == 2
    assert total(one, "sipd_queue_consumers", queue="rpc-keuangan") == 2
    assert total(one, "sipd_scrape_errors") == 0

    # the gateway: requests by route template (never the path itself), the RPCs it made
    gateway = scrape(gateway_url)
    route = "/api/v1/pemda/{kode_pemda}/rkpd/{tahun}/sub-kegiatan"
    assert total(gateway, "sipd_http_request_seconds_count", route=route, method="POST", status="201") > \
        total(gateway_before, "sipd_http_request_seconds_count", route=route, method="POST", status="201")
    assert not any(n == "sipd_http_request_seconds_count" and dict(ls).get("route", "").endswith(str(tahun))
                   for n, ls in gateway)
    assert total(gateway, "sipd_rpc_client_seconds_count", service="keuangan", operation="create_rincian",
                 outcome="ok") >= 1
    assert total(gateway, "sipd_db_pool_connections", component="gateway", state="size") >= 1


def test_failed_logins_are_counted(stack):
    before = total(scrape(f"{stack.base_url}/metrics"), "sipd_login_failures_total", reason="password")
    resp = httpx.post(f"{stack.base_url}/api/v1/auth/token", timeout=30,
                      data={"grant_type": "password", "username": "nobody.metrics", "password": "x" * 12})
    assert resp.status_code in (400, 401)
    after = total(scrape(f"{stack.base_url}/metrics"), "sipd_login_failures_total", reason="password")
    assert after == before + 1


def test_the_gateway_metrics_are_not_public(stack, api):
    """From elsewhere than this machine (as a proxy in front of the gateway would say, X-Forwarded-For from a
    trusted 127.0.0.1): refused without the operators' token, answered with a pusat administrator's."""
    elsewhere = {"X-Forwarded-For": "203.0.113.9"}
    refused = httpx.get(f"{stack.base_url}/metrics", headers=elsewhere, timeout=10)
    assert refused.status_code == 403, refused.text
    assert refused.headers["content-type"].startswith("application/problem+json")
    forged = httpx.get(f"{stack.base_url}/metrics", headers={**elsewhere, "Authorization": "Bearer not-a-token"},
                       timeout=10)
    assert forged.status_code == 403
    admin = api.get("/metrics", headers=elsewhere)
    assert admin.status_code == 200 and "sipd_http_request_seconds" in admin.text


def _per_worker(directory: Path, name: str, **labels: str) -> dict[int, float]:
    """What each worker process wrote of ``name`` into the multiprocess directory, by pid (its files alone)."""
    wanted = set(labels.items())
    pids = {int(m[1]) for f in os.listdir(directory) if (m := re.match(r"^[a-z_]+_(\d+)\.db$", f))}
    counts = {}
    for pid in pids:
        files = [str(f) for f in directory.glob(f"*_{pid}.db")]
        counts[pid] = sum(s.value for family in MultiProcessCollector.merge(files) for s in family.samples
                          if s.name == name and wanted <= set(s.labels.items()))
    return counts


def test_a_gateway_with_two_workers_counts_both_and_shows_each_workers_process(stack, tmp_path):
    """``SIPD_GATEWAY_WORKERS=2`` (prometheus-client's multiprocess mode): requests answered by either worker are
    counted once each in the scrape, whichever worker answers it, and each worker's CPU and memory are there (the
    dashboard's "CPU per process" and "Memory per process"), not lost to the multiprocess collector."""
    directory = tmp_path / "metrics"
    env = {**stack.env, "SIPD_GATEWAY_WORKERS": "2", "PROMETHEUS_MULTIPROC_DIR": str(directory)}
    gateway = Stack(env=env, log_dir=tmp_path / "logs", gateway_port=free_port(), broker_uris=stack.broker_uris)
    url = f"{gateway.base_url}/metrics"
    unmatched = dict(name="sipd_http_request_seconds_count", route="unmatched", method="GET", status="404")
    try:
        gateway.start_gateway()
        gateway.wait_healthy(120)
        before = total(scrape(url), **unmatched)
        sent = 0

        def both_workers_answered():
            nonlocal sent
            # one connection per request, several at once: the workers take turns accepting them
            with ThreadPoolExecutor(8) as pool:
                statuses = list(pool.map(lambda i: httpx.get(f"{gateway.base_url}/no-such-page/{i}", timeout=30)
                                         .status_code, range(sent, sent + 40)))
            assert statuses == [404] * 40, statuses
            sent += 40
            served = {pid: n for pid, n in _per_worker(directory, "sipd_http_request_seconds_count",
                                                       route="unmatched").items() if n}
            return served if len(served) == 2 else None

        served = wait_until(both_workers_answered, 120, interval=0, message="both workers answered requests")
        samples = scrape(url)
        assert total(samples, **unmatched) - before == sent == sum(served.values()), (sent, served)
        for metric in ("process_resident_memory_bytes", "process_cpu_seconds_total"):
            pids = {int(dict(ls)["pid"]) for (n, ls), v in samples.items() if n == metric and v > 0}
            assert pids == set(served), (metric, pids, served)
    finally:
        gateway.stop_all()
    # each worker removes its own as it stops; one stopped the hard way is dropped by the next scrape
    forget_dead_workers(str(directory))
    assert not list(directory.glob("gauge_live*")), "a stopped worker's CPU and memory still shown"


@pytest.mark.parametrize("path", ["/", "/other"])
def test_a_service_serves_metrics_only(stack, path):
    port = next(p.metrics_port for p in stack.procs if p.name == "referensi-1")
    resp = httpx.get(f"http://127.0.0.1:{port}{path}", timeout=10)
    assert resp.status_code == 404


def test_each_process_writes_its_own_log_file_with_the_request_id(stack, api, tahun):
    """``make run`` and the tests give each process its log file (``SIPD_LOG_FILE``, rotated by the process):
    one request id follows a write from the gateway through the services its events reach."""
    request_id = f"ops-{tahun}-trail"
    resp = api.post(f"/api/v1/pemda/32.73/rkpd/{tahun}/sub-kegiatan", headers={"X-Request-ID": request_id},
                    json={"kode_skpd": "1.01.0.00.0.00.01.0000", "kode_sub_kegiatan": "1.01.02.2.01.0001",
                          "indikator": "Jumlah Unit Sekolah Baru", "target": "2", "satuan": "Unit",
                          "pagu_indikatif": "1000000000.00"})
    assert resp.status_code == 201, resp.text

    def logged(prefix: str) -> bool:
        return any(request_id in p.read_text(errors="replace") for p in stack.log_dir.glob(f"{prefix}*.log"))

    wait_until(lambda: logged("perencanaan-") and logged("keuangan-") and logged("pemerintahan-"), 15,
               message="the request id in every service's log")
    assert all(p.stat().st_size == 0 for p in stack.log_dir.glob("*.out")), "logging went to the log files"


def test_a_backup_restored_into_a_fresh_database_serves_the_same_and_catches_up(stack, api, tahun, settings,
                                                                                 tmp_path):
    """``ops.backup``: every schema dumped from one snapshot, restored into a fresh database; a stack started on it
    (a vhost of its own, no queue yet) answers the same report and budget, and the events marked to be sent again
    reach the consumers once and change nothing they already held."""
    import dataclasses

    import psycopg

    from ops import backup, broker
    from ops.stack import Stack, free_port
    from tests.conftest import VHOST
    from tests.support import bidang, report, wait_report

    item = plan(api, tahun)
    wait_plafon(api, tahun, item["id"])
    assert line(api, tahun, item["id"]).status_code == 201
    before = wait_report(api, tahun, lambda r: (b := bidang(r, "1.01")) is not None and b["total_anggaran"] != "0.00")
    rincian_before = api.get(f"/api/v1/pemda/32.73/apbd/{tahun}/rincian").json()

    manifest = backup.dump(settings, tmp_path / "dump")
    assert sorted(p.name for p in (tmp_path / "dump").iterdir()) == sorted(
        [f"{s}.dump" for s in manifest["schemas"]] + ["manifest.json"])
    restored = f"{settings.db_name}_restored"
    restored_settings = dataclasses.replace(settings, db_name=restored)
    backup.dbsetup.drop_database(restored_settings)
    summary = backup.restore(settings, tmp_path / "dump", restored)
    assert summary["replayed"]["perencanaan"] >= 1 and summary["replayed"]["keuangan"] >= 1
    with pytest.raises(SystemExit, match="exists"):
        backup.restore(settings, tmp_path / "dump", restored)

    vhost = f"{VHOST}_restored"
    broker.recreate_vhost(vhost)
    env = {**stack.env, "SIPD_DB_NAME": restored, "SIPD_AMQP_URI": broker.amqp_uri_for(vhost)}
    other = Stack(env=env, log_dir=tmp_path / "logs", gateway_port=free_port())
    try:
        other.start_all()
        other.wait_healthy(120)
        with httpx.Client(base_url=other.base_url, headers=api.headers, timeout=30) as restored_api:
            assert restored_api.get(f"/api/v1/pemda/32.73/apbd/{tahun}/rincian").json() == rincian_before
            # every replayed event is tried; the broker takes those some queue of this vhost is bound for, and
            # returns the others (events no service here consumes yet, e.g. dpa.disahkan: they wait, unroutable).
            # One published before its consumer's queue was bound is tried again after 1, 2, 4, ... s
            # (outbox.MAX_RETRY_SECONDS at most): the report catches up within about as long again as the stack
            # took to start, which on a loaded machine is minutes
            with psycopg.connect(backup._dsn(settings, restored), autocommit=True) as conn:
                wait_until(lambda: all(conn.execute(f"SELECT count(*) FROM {s}.outbox WHERE published_at IS NULL "
                                                    "AND unroutable = 0").fetchone()[0] == 0
                                       for s in ("perencanaan", "keuangan")), 240,
                           message="every replayed event tried")
            wait_until(lambda: bidang(report(restored_api, tahun), "1.01") == bidang(before, "1.01"), 240,
                       message="the restored stack's report as before (each event held once)")
    finally:
        other.stop_all()
        backup.dbsetup.drop_database(restored_settings)
