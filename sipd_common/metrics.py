"""Metrics in the Prometheus text format, from every service instance and the gateway.

Every metric SIPD exports is declared here (the README's "Operations" lists the questions each answers).
Counters and histograms are bumped on the hot path (a dictionary look-up and an addition); what needs a
query (outbox backlog, parked events, queue depth, pool use) is computed when Prometheus scrapes, never
per request.

- A service instance serves ``/metrics`` on its own port (``SIPD_METRICS_PORT``; unset or 0: off) from a
  green thread of its container (``MetricsServer``, a Nameko dependency every service has).
- The gateway serves ``/metrics`` on its own port, restricted (``gateway.app``). With several workers
  (``SIPD_GATEWAY_WORKERS``) each writes its counters to ``PROMETHEUS_MULTIPROC_DIR`` and the scrape adds
  them up (prometheus-client's multiprocess mode; ``python -m gateway`` sets the directory up). The scrape reads
  the workers' files, not their processes: each worker copies its own ``process_*`` samples (CPU, memory, open
  files) there every few seconds (``WorkerProcessMetrics``), one series per worker (label ``pid``).
"""
from __future__ import annotations

import asyncio
import logging
import os
import re
import time
from typing import Callable, Iterable

from prometheus_client import REGISTRY, CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.exposition import CONTENT_TYPE_LATEST

log = logging.getLogger(__name__)

# seconds; a person waits for most of what the system does, so the upper buckets matter as much as the lower
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)

# -- services ---------------------------------------------------------------------------------------------
WORKER_SECONDS = Histogram(
    "sipd_worker_seconds", "Nameko workers by kind (rpc, parkingeventhandler, timer), operation and outcome "
    "(ok, or the exception's class: Invalid, Conflict, DeadlineExceeded, ...)",
    ["service", "kind", "operation", "outcome"], buckets=LATENCY_BUCKETS)
EVENTS_PUBLISHED = Counter(
    "sipd_events_published_total", "Events the outbox relay handed to the broker (sent: confirmed; unroutable: "
    "returned, no queue bound, kept to be tried again)", ["service", "event_type", "outcome"])
OUTBOX_FAILURES = Counter(
    "sipd_outbox_publish_failures_total", "Outbox relay rounds that failed (broker or database away)", ["service"])
EVENTS_HANDLED = Counter(
    "sipd_events_handled_total", "Events delivered to a handler, by outcome (applied, duplicate, parked, failed: "
    "rolled back and retried)", ["service", "handler", "event_type", "outcome"])

# -- gateway ----------------------------------------------------------------------------------------------
HTTP_SECONDS = Histogram(
    "sipd_http_request_seconds", "Gateway HTTP requests by route template, method and status",
    ["route", "method", "status"], buckets=LATENCY_BUCKETS)
RPC_CLIENT_SECONDS = Histogram(
    "sipd_rpc_client_seconds", "RPCs the gateway made, by service, operation and outcome (ok, timeout, unavailable, "
    "or the remote exception's class)", ["service", "operation", "outcome"], buckets=LATENCY_BUCKETS)
LOGIN_FAILURES = Counter("sipd_login_failures_total", "Failed logins (wrong username or password, deactivated)",
                         ["reason"])
LOGIN_LOCKOUTS = Counter("sipd_login_lockouts_total", "Logins refused by the throttle (429), by what was locked: "
                         "pair (username at an address), address, user", ["kind"])


def outcome_of(exc_info) -> str:
    return "ok" if exc_info is None else exc_info[0].__name__


class ScrapeCollector:
    """A collector whose gauges are computed when scraped: ``read()`` returns (name, help, labels, samples)
    with samples ``[(label values, value)]``. A failure (the database away) leaves those gauges out and
    counts it in ``sipd_scrape_errors``, rather than failing the whole scrape."""

    def __init__(self, read: Callable[[], Iterable[tuple[str, str, list[str], list[tuple[list[str], float]]]]],
                 name: str):
        self._read = read
        self._name = name
        self._errors = 0

    def collect(self):
        try:
            families = list(self._read())
        except Exception as exc:
            self._errors += 1
            log.warning("metrics: %s could not be read (%s: %s)", self._name, type(exc).__name__, exc)
            families = []
        for name, doc, labels, samples in families:
            family = GaugeMetricFamily(name, doc, labels=labels)
            for values, value in samples:
                family.add_metric(values, value)
            yield family
        errors = GaugeMetricFamily("sipd_scrape_errors", "Scrapes whose computed gauges could not be read",
                                   labels=["part"])
        errors.add_metric([self._name], self._errors)
        yield errors


def pool_samples(pool, component: str) -> tuple[str, str, list[str], list]:
    """A SQLAlchemy pool's connections: in use, idle (open, waiting in the pool) and its size."""
    return ("sipd_db_pool_connections", "Database connections of this process by state (in_use, idle) and the "
            "pool's size", ["component", "state"],
            [([component, "in_use"], pool.checkedout()), ([component, "idle"], pool.checkedin()),
             ([component, "size"], pool.size())])


def exposition(*registries: CollectorRegistry) -> bytes:
    """The text format of the default registry (or ``registries``) and of each extra registry given."""
    return b"".join(generate_latest(r) for r in (registries or (REGISTRY,)))


def multiprocess_registry() -> CollectorRegistry | None:
    """In multiprocess mode (``PROMETHEUS_MULTIPROC_DIR``), a registry adding up every worker's files (the
    ``process_*`` gauges of live workers only)."""
    directory = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if not directory:
        return None
    from prometheus_client import multiprocess

    forget_dead_workers(directory)
    registry = CollectorRegistry()
    multiprocess.MultiProcessCollector(registry)
    return registry


_LIVE_GAUGE_FILE = re.compile(r"^gauge_live(?:all|sum|max|min|mostrecent)_(\d+)\.db$")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process now: not a worker of ours, but it exists
        return True
    return True


def forget_dead_workers(directory: str) -> list[int]:
    """The live gauges of workers that are gone (killed, or ended without saying so), removed: a dead worker's
    last memory and CPU are not shown as if it still ran. Its counters stay (they are counted, as they happened)."""
    from prometheus_client import multiprocess

    dead = sorted({int(m[1]) for name in os.listdir(directory) if (m := _LIVE_GAUGE_FILE.match(name))
                   and not _alive(int(m[1]))})
    for pid in dead:
        try:
            multiprocess.mark_process_dead(pid, directory)
        except FileNotFoundError:  # another worker's scrape removed it first
            pass
    return dead


class WorkerProcessMetrics:
    """One worker's ``process_*`` samples (prometheus-client's ``ProcessCollector``: CPU seconds, resident and
    virtual memory, open files, start time) copied into gauges of the multiprocess directory, so that a scrape
    answered by any worker shows every live worker's (``multiprocess_mode="liveall"``: a series per ``pid``).
    ``update()`` when a value may have changed: every few seconds (``run``), and before a scrape."""

    INTERVAL_SECONDS = 5.0

    def __init__(self):
        from prometheus_client import ProcessCollector

        self._collector = ProcessCollector(registry=None)
        self._gauges: dict[str, Gauge] = {}

    def update(self) -> None:
        for family in self._collector.collect():
            for sample in family.samples:
                gauge = self._gauges.get(sample.name)
                if gauge is None:  # not registered: in multiprocess mode the value lives in this worker's file
                    gauge = self._gauges[sample.name] = Gauge(sample.name, family.documentation, registry=None,
                                                              multiprocess_mode="liveall")
                gauge.set(sample.value)

    async def run(self) -> None:
        while True:
            try:
                self.update()
            except Exception as exc:  # /proc unreadable: the next round
                log.warning("metrics: process samples not updated (%s: %s)", type(exc).__name__, exc)
            await asyncio.sleep(self.INTERVAL_SECONDS)

    @staticmethod
    def forget() -> None:
        """This worker's gauges removed as it ends (uvicorn stops it, or starts another in its place)."""
        directory = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
        if directory:
            from prometheus_client import multiprocess

            multiprocess.mark_process_dead(os.getpid(), directory)


CONTENT_TYPE = CONTENT_TYPE_LATEST


class Timer:
    """``with Timer() as t: ...; t.seconds``"""

    def __enter__(self):
        self.started = time.perf_counter()
        return self

    def __exit__(self, *exc):
        self.seconds = time.perf_counter() - self.started
