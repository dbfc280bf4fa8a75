"""Where the CPU went during a phase: per process group, from /proc (Linux only; read-only).

Each process the bench started runs in a session of its own, so a session id
covers a process and any children (uvicorn workers). PostgreSQL and RabbitMQ
are shared with whoever else uses this machine: their figures include others'
work, if any.
"""
from __future__ import annotations

import os
import threading
import time

TICK = os.sysconf("SC_CLK_TCK")


def _stat(pid: str) -> tuple[str, int, float] | None:
    """(comm, session id, cpu seconds) of a process, None if it is gone."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            raw = f.read().decode(errors="replace")
    except OSError:
        return None
    comm = raw[raw.index("(") + 1: raw.rindex(")")]
    fields = raw[raw.rindex(")") + 2:].split()
    # fields[0] is state (field 3); session is field 6, utime 14, stime 15
    return comm, int(fields[3]), (int(fields[11]) + int(fields[12])) / TICK


def _cmdline(pid: str) -> str:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            return f.read().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


def machine_busy() -> tuple[float, float]:
    """(busy, total) jiffies of all CPUs since boot."""
    with open("/proc/stat") as f:
        values = [int(v) for v in f.readline().split()[1:]]
    idle = values[3] + values[4]  # idle + iowait
    total = sum(values[:8])  # without guest time, already counted in user
    return total - idle, total


class CpuMeter:
    """``snapshot()`` before and after a phase; ``usage()`` gives cores used per component."""

    def __init__(self, sessions: dict[str, int], own_pid: int | None = None, database: str | None = None):
        self.sessions = dict(sessions)  # label -> session id (pid of the leader)
        self.database = database  # PostgreSQL backends serving this database are counted apart
        self.own_pid = own_pid or os.getpid()
        self._before: dict[int, tuple[str, float]] = {}
        self._machine_before = (0.0, 0.0)
        self._t0 = 0.0

    def add(self, label: str, sid: int) -> None:
        self.sessions[label] = sid

    def _sample(self) -> dict[int, tuple[str, float]]:
        """pid -> (component, cpu seconds so far) of every process that belongs to a component."""
        by_sid = {sid: label for label, sid in self.sessions.items()}
        out: dict[int, tuple[str, float]] = {}
        for pid in os.listdir("/proc"):
            if not pid.isdigit():
                continue
            st = _stat(pid)
            if st is None:
                continue
            comm, sid, cpu = st
            if int(pid) == self.own_pid:
                label = "bench client"
            elif sid in by_sid:
                label = by_sid[sid]
            elif comm == "postgres":
                in_db = self.database and f" {self.database} " in _cmdline(pid)
                label = f"postgres backends of {self.database}" if in_db else "postgres (rest, shared)"
            elif comm in ("beam.smp", "epmd", "erl_child_setup", "inet_gethost"):
                label = "rabbitmq (shared)"
            else:
                continue
            out[int(pid)] = (label, cpu)
        return out

    def snapshot(self) -> None:
        self._before = self._sample()
        self._machine_before = machine_busy()
        self._t0 = time.monotonic()

    def seconds(self) -> tuple[dict[str, float], float, float]:
        """CPU seconds spent by each component since ``snapshot``, the seconds elapsed, the machine's busy share."""
        after = self._sample()
        busy1, total1 = machine_busy()
        elapsed = time.monotonic() - self._t0
        busy0, total0 = self._machine_before
        ncpu = os.cpu_count() or 1
        spent: dict[str, float] = {}
        for pid, (label, cpu) in after.items():
            # a process that started during the phase counts from zero; one that ended is lost
            spent[label] = spent.get(label, 0.0) + cpu - self._before.get(pid, (label, 0.0))[1]
        machine = (busy1 - busy0) / (total1 - total0) if total1 > total0 else 0.0
        # what the machine did besides the components above: other people's processes, the kernel
        spent["everything else"] = max(0.0, machine * ncpu * elapsed - sum(spent.values()))
        return spent, elapsed, machine

    def usage(self) -> dict:
        """Cores used by each component since ``snapshot`` (1.0 = one core fully busy)."""
        spent, elapsed, machine = self.seconds()
        ncpu = os.cpu_count() or 1
        cores = {k: round(v / elapsed, 2) for k, v in spent.items()}
        cores = {k: v for k, v in sorted(cores.items(), key=lambda kv: -kv[1]) if v > 0.005}
        return {"cores": cores, "machine_busy_pct": round(machine * 100, 1), "ncpu": ncpu,
                "elapsed_s": round(elapsed, 2)}


class Sampler:
    """A ``with`` block during which ``_run`` samples in a thread of its own until ``_stop`` is set."""

    def __enter__(self):
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join(5)

    def _run(self) -> None:
        raise NotImplementedError
