"""What a service instance shows its operators on ``/metrics`` (``SIPD_METRICS_PORT``; unset or 0: off).

``MetricsServer`` is a Nameko dependency of every service (``SipdService``): it serves the process's counters
and histograms (``sipd_common.metrics``) and gauges computed at scrape time, each by one cheap read:

- the outbox: events not yet published and the age of the oldest (``outbox_unsent`` partial index);
- parked events waiting for an operator, and events failing now (between their attempts);
- the database pool's connections in use;
- the depth of each of the service's queues (its RPC queue and one per event handler), from a passive
  ``queue_declare``: the consumer lag.
"""
from __future__ import annotations

import logging
import os

import eventlet
import eventlet.wsgi
import kombu
import nameko
from nameko.events import EventHandler
from nameko.extensions import DependencyProvider
from nameko.rpc import RPC_QUEUE_TEMPLATE, Rpc
from prometheus_client import REGISTRY, CollectorRegistry
from sqlalchemy import text

from .metrics import CONTENT_TYPE, ScrapeCollector, exposition, pool_samples

log = logging.getLogger(__name__)

_BACKLOG = text(
    "SELECT (SELECT count(*) FROM outbox WHERE published_at IS NULL) AS unsent, "
    "coalesce((SELECT extract(epoch FROM now() - min(created_at)) FROM outbox WHERE published_at IS NULL), 0) AS oldest, "
    "(SELECT count(*) FROM parked_event WHERE replayed_at IS NULL) AS parked, "
    "(SELECT count(*) FROM handler_failure) AS failing")


def metrics_port() -> int:
    return int(os.environ.get("SIPD_METRICS_PORT") or 0)


class MetricsServer(DependencyProvider):
    """``GET /metrics`` of this service instance, from a green thread of its container."""

    def setup(self):
        self.port = metrics_port()
        self.host = os.environ.get("SIPD_METRICS_HOST", "127.0.0.1")
        self.service = self.container.service_name
        self.registry = CollectorRegistry(auto_describe=False)
        self.registry.register(ScrapeCollector(self._database, "database"))
        self.registry.register(ScrapeCollector(self._queues, "broker"))
        self._socket = None

    def start(self):
        if not self.port:
            return
        self._socket = eventlet.listen((self.host, self.port))
        self.container.spawn_managed_thread(self._serve, identifier="metrics_server")
        log.info("metrics on http://%s:%d/metrics", self.host, self.port)

    def stop(self):
        if self._socket is not None:
            self._socket.close()
            self._socket = None

    def kill(self):
        self.stop()

    def _serve(self):
        eventlet.wsgi.server(self._socket, self.wsgi, log_output=False, max_size=10)

    def wsgi(self, environ, start_response):
        if environ.get("PATH_INFO") != "/metrics":
            start_response("404 Not Found", [("Content-Type", "text/plain")])
            return [b"not found: /metrics\n"]
        body = exposition(REGISTRY, self.registry)
        start_response("200 OK", [("Content-Type", CONTENT_TYPE), ("Content-Length", str(len(body)))])
        return [body]

    # -- gauges computed when scraped ---------------------------------------------------------------------
    def _engine(self):
        storage = next((d for d in self.container.dependencies if getattr(d, "engine", None) is not None), None)
        return storage.engine if storage is not None else None

    def _database(self):
        engine = self._engine()
        if engine is None:
            return
        yield pool_samples(engine.pool, self.service)
        with engine.connect() as conn:
            conn.execute(text("SET LOCAL statement_timeout = 2000"))
            row = conn.execute(_BACKLOG).one()
            conn.rollback()
        s = [self.service]
        yield ("sipd_outbox_unsent", "Events committed and not yet published", ["service"], [(s, row.unsent)])
        yield ("sipd_outbox_oldest_unsent_seconds", "Age of the oldest event not yet published (0: none waits)",
               ["service"], [(s, float(row.oldest))])
        yield ("sipd_parked_events", "Events parked for an operator (python -m ops.parked), not yet replayed",
               ["service"], [(s, row.parked)])
        yield ("sipd_events_failing", "Events that failed and wait for their next attempt", ["service"],
               [(s, row.failing)])

    def queue_names(self) -> list[str]:
        names = set()
        for entrypoint in self.container.entrypoints:
            if isinstance(entrypoint, Rpc):
                names.add(RPC_QUEUE_TEMPLATE.format(self.service))
            elif isinstance(entrypoint, EventHandler) and getattr(entrypoint, "queue", None) is not None:
                names.add(entrypoint.queue.name)
        return sorted(names)

    def _queues(self):
        samples, consumers = [], []
        with kombu.Connection(nameko.config.get("AMQP_URI"), connect_timeout=2) as connection:
            for name in self.queue_names():
                channel = connection.channel()
                try:
                    _, messages, count = channel.queue_declare(queue=name, passive=True)
                except Exception:  # not declared (yet): no depth to report
                    continue
                finally:
                    try:
                        channel.close()
                    except Exception:
                        pass
                samples.append(([self.service, name], messages))
                consumers.append(([self.service, name], count))
        yield ("sipd_queue_messages", "Messages waiting in a queue of this service (the consumer lag)",
               ["service", "queue"], samples)
        yield ("sipd_queue_consumers", "Consumers of a queue of this service (one per instance)",
               ["service", "queue"], consumers)

    def get_dependency(self, worker_ctx):
        return None
