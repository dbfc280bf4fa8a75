"""The moment a caller stops waiting, carried with every RPC so that nothing runs or commits after it.

The gateway sends its deadline (``nameko.deadline``: seconds since the epoch, a decimal string) with each call; Nameko
hands it to the worker as context data, and every call the worker makes passes it on. In the worker:

- a request whose deadline has passed before it started is not run (``sipd_common.rpc``);
- each transaction's statements are bounded by the time left (``statement_timeout``), so a lock
  wait does not hold a worker after the caller gave up, and a transaction does not commit later than
  ``COMMIT_MARGIN`` before the deadline (``UnitOfWork``);
- a call to another service waits no longer than the time left, and its message expires then.

Hosts' clocks are assumed to agree within a fraction of the margin (NTP).
"""
from __future__ import annotations

import contextvars
import time

DEADLINE_KEY = "deadline"
# commit no later than this before the caller's deadline: the reply must still reach it in time
COMMIT_MARGIN = 0.5

deadline_var: contextvars.ContextVar[float | None] = contextvars.ContextVar("deadline", default=None)


def parse(value) -> float | None:
    try:
        return float(value) if value is not None else None
    except (TypeError, ValueError):
        return None


def left(deadline: float | None = None) -> float | None:
    """Seconds left before the worker's deadline (or ``deadline``), less the commit margin; None: no deadline."""
    deadline = deadline_var.get() if deadline is None else deadline
    return None if deadline is None else deadline - COMMIT_MARGIN - time.time()
