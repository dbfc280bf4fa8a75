"""Start and stop the whole system as local processes: used by ``make run`` and by the tests.

Each service runs as ``nameko run`` (one process per instance), the gateway as
uvicorn. Processes get their own session so that stopping the stack stops every
process it started, and nothing else.
"""
from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SERVICE_TARGETS = {
    "referensi": "services.referensi.service:ReferensiService",
    "perencanaan": "services.perencanaan.service:PerencanaanService",
    "keuangan": "services.keuangan.service:KeuanganService",
    "pemerintahan": "services.pemerintahan.service:PemerintahanService",
}


def base_env(**overrides: str) -> dict:
    env = dict(os.environ)
    env.setdefault("PYTHONWARNINGS", "ignore")
    env.setdefault("PSYCOPG_WAIT_FUNC", "wait_selector")
    env["PYTHONPATH"] = str(ROOT) + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    env.update(overrides)
    return env


def prepare(env: dict) -> None:
    """Roles and schemas, migrations, reference data: each step safe to repeat."""
    for module in ("sipd_common.dbsetup", "sipd_common.migrations", "services.referensi.seed"):
        subprocess.run([sys.executable, "-m", module], env=env, cwd=ROOT, check=True)


def broker_users(env: dict) -> dict[str, str]:
    """Every component's own broker user in SIPD_AMQP_URI's vhost (``ops.broker.setup``, safe to repeat), and
    the operators' user named in ``env`` for the services; each component's AMQP URI."""
    from urllib.parse import unquote, urlsplit

    from . import broker

    vhost = unquote(urlsplit(env.get("SIPD_AMQP_URI", "amqp://guest:guest@127.0.0.1:5672/")).path[1:]) or "/"
    env["SIPD_OPERATOR_BROKER_USER"] = broker.user_name("operator", vhost)
    return broker.setup(vhost)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Proc:
    name: str
    popen: subprocess.Popen
    log_path: Path  # its log, rotated by the process (SIPD_LOG_FILE); what it prints besides: ``.out``
    metrics_port: int | None = None  # a service instance's /metrics (the gateway's is on its own port)
    cmd: list[str] = field(default_factory=list)
    env: dict = field(default_factory=dict)

    @property
    def out_path(self) -> Path:
        return self.log_path.with_suffix(".out")

    def alive(self) -> bool:
        return self.popen.poll() is None


@dataclass
class Stack:
    env: dict
    log_dir: Path
    gateway_port: int = 8000
    procs: list[Proc] = field(default_factory=list)
    # each component's own AMQP URI (``ops.broker.setup``); none: every process uses SIPD_AMQP_URI
    broker_uris: dict[str, str] = field(default_factory=dict)
    # each service instance's /metrics port: None, none; 0, free ports; else from this port up
    metrics_base_port: int | None = None
    _next_metrics_port: int = 0

    def env_for(self, component: str, env: dict | None = None) -> dict:
        env = dict(env or self.env)
        if component in self.broker_uris:
            env["SIPD_AMQP_URI"] = self.broker_uris[component]
        return env

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.gateway_port}"

    def _metrics_port(self) -> int | None:
        if self.metrics_base_port is None:
            return None
        if self.metrics_base_port == 0:
            return free_port()
        self._next_metrics_port = max(self._next_metrics_port, self.metrics_base_port)
        taken = {p.metrics_port for p in self.procs}
        while self._next_metrics_port in taken:
            self._next_metrics_port += 1
        return self._next_metrics_port

    def _spawn(self, name: str, cmd: list[str], env: dict | None = None, metrics_port: int | None = None) -> Proc:
        self.log_dir.mkdir(parents=True, exist_ok=True)
        log_path = self.log_dir / f"{name}.log"
        env = {**(env or self.env), "SIPD_LOG_FILE": str(log_path), "SIPD_SERVICE": name.rsplit("-", 1)[0],
               "SIPD_INSTANCE": name, "SIPD_METRICS_PORT": str(metrics_port or 0)}
        out = open(log_path.with_suffix(".out"), "ab")
        popen = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
                                 stdin=subprocess.DEVNULL, start_new_session=True)
        out.close()
        proc = Proc(name, popen, log_path, metrics_port, cmd, env)
        self.procs.append(proc)
        return proc

    def restart(self, proc: Proc, sig: int = signal.SIGTERM) -> Proc:
        """Stop ``proc`` with ``sig`` (``SIGKILL``: ``kill -9``) and start it again as it was started."""
        self.stop(proc, sig)
        self.log_dir.mkdir(parents=True, exist_ok=True)
        out = open(proc.out_path, "ab")
        popen = subprocess.Popen(proc.cmd, cwd=ROOT, env=proc.env, stdout=out, stderr=subprocess.STDOUT,
                                 stdin=subprocess.DEVNULL, start_new_session=True)
        out.close()
        again = Proc(proc.name, popen, proc.log_path, proc.metrics_port, proc.cmd, proc.env)
        self.procs.append(again)
        return again

    def start_service(self, service: str, instance: int = 1, env: dict | None = None) -> Proc:
        cmd = [sys.executable, "-m", "nameko", "run", "--config", str(ROOT / "services" / "config.yaml"),
               SERVICE_TARGETS[service]]
        return self._spawn(f"{service}-{instance}", cmd, self.env_for(service, env), self._metrics_port())

    def start_gateway(self) -> Proc:
        env = {**self.env_for("gateway"), "SIPD_GATEWAY_PORT": str(self.gateway_port)}
        return self._spawn("gateway", [sys.executable, "-m", "gateway"], env)

    def start_all(self, instances: dict[str, int] | None = None) -> None:
        for service in SERVICE_TARGETS:
            for i in range(1, (instances or {}).get(service, 1) + 1):
                self.start_service(service, i)
        self.start_gateway()

    def health(self) -> tuple[int, dict]:
        try:
            with urllib.request.urlopen(self.base_url + "/api/v1/health", timeout=5) as resp:
                return resp.status, json.loads(resp.read())
        except urllib.error.HTTPError as exc:
            return exc.code, json.loads(exc.read() or b"{}")
        except (urllib.error.URLError, ConnectionError, TimeoutError, json.JSONDecodeError):
            return 0, {}

    def wait_healthy(self, timeout: float = 60) -> dict:
        deadline = time.monotonic() + timeout
        status, body = 0, {}
        while time.monotonic() < deadline:
            dead = [p for p in self.procs if not p.alive()]
            if dead:
                raise RuntimeError(f"{dead[0].name} exited with {dead[0].popen.returncode}; see {dead[0].log_path} "
                                   f"and {dead[0].out_path}")
            status, body = self.health()
            if status == 200:
                return body
            time.sleep(0.2)
        raise TimeoutError(f"not healthy after {timeout} s: {status} {body}")

    def stop(self, proc: Proc, sig: int = signal.SIGTERM, timeout: float = 15) -> None:
        if proc.alive():
            try:
                os.killpg(proc.popen.pid, sig)
            except ProcessLookupError:
                pass
            try:
                proc.popen.wait(timeout)
            except subprocess.TimeoutExpired:
                os.killpg(proc.popen.pid, signal.SIGKILL)
                proc.popen.wait()
        if proc in self.procs:
            self.procs.remove(proc)

    def stop_all(self) -> None:
        # gateway first, so no new calls arrive while the services drain
        for proc in sorted(self.procs, key=lambda p: p.name != "gateway"):
            self.stop(proc)
