"""py-spy profiles of the stack's processes during a benchmark phase, summarised by where the time goes.

``python -m bench.run --phases rpc,writes --profile`` records each service process (and the gateway) for
the length of the write phase, writes the raw stacks to ``bench/results/profile-<process>.txt`` (flame
graph input: ``py-spy``'s "raw" format) and puts a summary in the results: the share of samples whose
innermost frame is in each package (self time), and the share spent under a few frames of interest.
py-spy samples from outside the process (``--nonblocking``): it costs the sampled process nothing but
takes some CPU of its own, so a profiled run's throughput is not a benchmark figure.
"""
from __future__ import annotations

import collections
import re
import shutil
import subprocess
import sys
from pathlib import Path

RATE = 200  # samples per second
# frames whose inclusive share answers "what is the service doing": its use cases, messaging, the database
WATCH = ("usecases.py", "process_event", "OutboxRelay", "handle_result", "handle_message", "sqlalchemy/",
         "psycopg/", "kombu/", "amqp/", "eventlet/hubs", "_send_loop")
_FRAME = re.compile(r"\((.*?):\d+\)")


def _py_spy() -> str | None:
    """py-spy beside this interpreter (the venv's), else on the PATH."""
    beside = Path(sys.executable).parent / "py-spy"
    return str(beside) if beside.exists() else shutil.which("py-spy")


def available() -> bool:
    return _py_spy() is not None


def start(procs, seconds: float, out_dir: Path) -> list[tuple[str, Path, subprocess.Popen]]:
    """One py-spy per process (``procs``: ``ops.stack.Proc``), recording for ``seconds``."""
    out_dir.mkdir(parents=True, exist_ok=True)
    running = []
    for proc in procs:
        path = out_dir / f"profile-{proc.name}.txt"
        cmd = [_py_spy(), "record", "-p", str(proc.popen.pid), "-d", str(max(1, int(seconds))), "-r", str(RATE),
               "--nonblocking", "-f", "raw", "-o", str(path)]
        running.append((proc.name, path, subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)))
    return running


def finish(running) -> dict:
    """Wait for the recorders; the summary of each profile."""
    summary = {}
    for name, path, popen in running:
        try:
            popen.wait(timeout=120)
        except subprocess.TimeoutExpired:
            popen.kill()
        if path.exists():
            summary[name] = summarise(path)
    return summary


def summarise(path: Path) -> dict:
    stacks = []
    for line in path.read_text().splitlines():
        stack, _, n = line.rpartition(" ")
        if stack and n.isdigit():
            stacks.append((stack.split(";"), int(n)))
    total = sum(n for _, n in stacks) or 1
    self_by_package: collections.Counter = collections.Counter()
    for frames, n in stacks:
        match = _FRAME.search(frames[-1])
        where = match.group(1).split("site-packages/")[-1] if match else "?"
        parts = where.split("/")
        self_by_package["/".join(parts[:2]) if len(parts) > 2 else parts[0]] += n
    watched = {key: round(100 * sum(n for frames, n in stacks if any(key in f for f in frames)) / total, 1)
               for key in WATCH}
    return {"samples": total, "file": str(path),
            "self_pct": {k: round(100 * n / total, 1) for k, n in self_by_package.most_common(12)},
            "inclusive_pct": watched}
