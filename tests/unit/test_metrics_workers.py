"""The gateway's metrics with several workers (prometheus-client's multiprocess mode): a scrape answered by any
worker adds up every worker's counters and shows each live worker's CPU and memory (the dashboard's panels).
Each "worker" here is a process of its own writing into one directory, as uvicorn's are; the stack with two
real workers: tests/test_operations.py."""
from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

from prometheus_client.parser import text_string_to_metric_families

from sipd_common.metrics import exposition, multiprocess_registry

ROOT = Path(__file__).resolve().parents[2]
WORKER = """
import sys
from sipd_common.metrics import HTTP_SECONDS, WorkerProcessMetrics
WorkerProcessMetrics().update()
for _ in range(int(sys.argv[1])):
    HTTP_SECONDS.labels("/api/v1/health", "GET", "200").observe(0.01)
print("ready", flush=True)
sys.stdin.readline()  # lives until told
"""


def _worker(directory: Path, requests: int) -> subprocess.Popen:
    proc = subprocess.Popen([sys.executable, "-c", WORKER, str(requests)], cwd=ROOT, text=True,
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            env={"PROMETHEUS_MULTIPROC_DIR": str(directory), "PYTHONPATH": str(ROOT),
                                 "PATH": "/usr/bin:/bin"})
    assert proc.stdout.readline().strip() == "ready"
    return proc


def _scrape() -> dict[tuple[str, tuple], float]:
    text = exposition(multiprocess_registry()).decode()
    return {(s.name, tuple(sorted(s.labels.items()))): s.value
            for family in text_string_to_metric_families(text) for s in family.samples}


def test_a_scrape_adds_up_every_worker_and_shows_each_live_worker_process(tmp_path, monkeypatch):
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(tmp_path))
    first, second = _worker(tmp_path, 3), _worker(tmp_path, 4)
    try:
        samples = _scrape()
        count = [v for (n, ls), v in samples.items() if n == "sipd_http_request_seconds_count"]
        assert count == [7.0], count  # 3 + 4: one series, both workers' requests
        for name in ("process_resident_memory_bytes", "process_cpu_seconds_total", "process_open_fds"):
            pids = {dict(ls)["pid"] for (n, ls), v in samples.items() if n == name and v > 0}
            assert pids == {str(first.pid), str(second.pid)}, (name, pids)
        # the dashboard's CPU and memory panels read what is exported here
        dashboard = json.loads((ROOT / "compose" / "grafana" / "dashboards" / "sipd.json").read_text())
        used = {m for panel in dashboard["panels"] for t in panel["targets"]
                for m in re.findall(r"\b(process_[a-z_]+)", t["expr"])}
        assert used and used <= {n for n, _ in samples}, used

        first.communicate("\n", timeout=30)  # a worker ended (killed, or replaced by uvicorn) without saying so
        samples = _scrape()
        pids = {dict(ls)["pid"] for (n, ls), _ in samples.items() if n == "process_resident_memory_bytes"}
        assert pids == {str(second.pid)}, "a dead worker's memory shown as if it still ran"
        count = [v for (n, ls), v in samples.items() if n == "sipd_http_request_seconds_count"]
        assert count == [7.0], "a dead worker's requests happened: still counted"
    finally:
        for proc in (first, second):
            if proc.poll() is None:
                proc.communicate("\n", timeout=30)
