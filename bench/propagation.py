"""Propagation latency: how long after a change to the plan its effects can be read elsewhere.

Open loop: change k is sent at ``start + k / rate`` whatever happened to the
earlier ones (each change is a task of its own), so a slow system meets a
growing backlog instead of a politely slowed-down client. A change is a PATCH of
``pagu_indikatif`` of an RKPD item (the items take turns). After the PATCH is
acknowledged, the change waits on two pollers of its item, which GET through
the gateway every ``poll_s`` while any change waits on them:

- the year's plafon list (keuangan's read model, fed by perencanaan's event),
  until the item's ``pagu`` shows the new value;
- the year's ringkasan (pemerintahan's read model), until
  ``total_pagu_indikatif`` shows it.

Each year holds exactly one bench item, so the year's total is that item's
pagu. Values only grow (a global sequence), so "the new state is visible"
is ``observed >= sent``: still exact when a later change to the same item
overtakes an earlier one.

Latency is measured from the moment the PATCH was sent (the whole trip a user
sees) and, separately, from its acknowledgement (the asynchronous part alone).
It is the time the first poll that saw the new state came back: the polling
interval adds up to ``poll_s`` plus one poll round trip of resolution.
"""
from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from decimal import Decimal

import orjson

from .loadgen import HttpError, Pool, summarize_ms

KODE_PEMDA = "32.73"
BASE_PAGU = 1_000_000


def rkpd_url(tahun: int) -> str:
    return f"/api/v1/pemda/{KODE_PEMDA}/rkpd/{tahun}/sub-kegiatan"


def plafon_url(tahun: int) -> str:
    return f"/api/v1/pemda/{KODE_PEMDA}/apbd/{tahun}/plafon?per_page=200"


def ringkasan_url(tahun: int) -> str:
    return f"/api/v1/pemda/{KODE_PEMDA}/laporan/{tahun}/ringkasan"


@dataclass
class Item:
    id: str
    tahun: int


@dataclass
class Outcome:
    scheduled: float
    sent: float = 0.0
    acked: float = 0.0
    plafon: float | None = None
    ringkasan: float | None = None
    error: str | None = None


@dataclass
class PropagationResult:
    rate: float
    duration_s: float
    poll_s: float
    outcomes: list[Outcome] = field(default_factory=list)
    polls: int = 0
    poll_errors: int = 0
    connections: int = 0
    wall_s: float = 0.0

    def as_dict(self) -> dict:
        done = [o for o in self.outcomes if o.error is None]
        both = [o for o in done if o.plafon is not None and o.ringkasan is not None]
        send_lag = [max(0.0, o.sent - o.scheduled) for o in self.outcomes if o.sent]
        t0 = self.outcomes[0].scheduled if self.outcomes else 0.0
        return {
            "rate_per_s": self.rate,
            "duration_s": self.duration_s,
            "poll_interval_ms": self.poll_s * 1000,
            "changes": len(self.outcomes),
            "change_errors": sum(1 for o in self.outcomes if o.error is not None),
            "error_samples": [o.error for o in self.outcomes if o.error][:5],
            "timeouts_plafon": sum(1 for o in done if o.plafon is None),
            "timeouts_ringkasan": sum(1 for o in done if o.ringkasan is None),
            "achieved_rate_per_s": round(len(self.outcomes) / self.duration_s, 2) if self.duration_s else 0,
            "patch": summarize_ms([o.acked - o.sent for o in done]),
            "plafon_from_send": summarize_ms([o.plafon - o.sent for o in done if o.plafon is not None]),
            "ringkasan_from_send": summarize_ms([o.ringkasan - o.sent for o in done if o.ringkasan is not None]),
            "plafon_from_ack": summarize_ms([o.plafon - o.acked for o in done if o.plafon is not None]),
            "ringkasan_from_ack": summarize_ms([o.ringkasan - o.acked for o in done if o.ringkasan is not None]),
            "both_from_send": summarize_ms([max(o.plafon, o.ringkasan) - o.sent for o in both]),
            "send_lag": summarize_ms(send_lag),
            "polls": self.polls,
            "poll_errors": self.poll_errors,
            "polls_per_s": round(self.polls / self.wall_s, 1) if self.wall_s else 0,
            "connections_opened": self.connections,
            "windows": self._windows(5.0),
            # per change: [scheduled at (s), PATCH ms, plafon ms, ringkasan ms], latencies from send
            "timeline": [[round(o.scheduled - t0, 3), ms(o.acked - o.sent if o.acked else None),
                          ms(o.plafon - o.sent if o.plafon else None),
                          ms(o.ringkasan - o.sent if o.ringkasan else None)] for o in self.outcomes],
        }

    def _windows(self, width: float) -> list[dict]:
        """p50 and max of both stages per ``width`` seconds of the schedule: does a backlog build up?"""
        if not self.outcomes:
            return []
        t0 = self.outcomes[0].scheduled
        buckets: dict[int, list[Outcome]] = {}
        for o in self.outcomes:
            buckets.setdefault(int((o.scheduled - t0) // width), []).append(o)
        out = []
        for i, group in sorted(buckets.items()):
            pl = summarize_ms([o.plafon - o.sent for o in group if o.plafon is not None])
            rg = summarize_ms([o.ringkasan - o.sent for o in group if o.ringkasan is not None])
            out.append({"from_s": i * width, "changes": len(group), "plafon_p50_ms": pl["p50_ms"],
                        "plafon_max_ms": pl["max_ms"], "ringkasan_p50_ms": rg["p50_ms"],
                        "ringkasan_max_ms": rg["max_ms"]})
        return out


def ms(seconds: float | None) -> float | None:
    return None if seconds is None else round(seconds * 1000, 2)


async def _get_json(pool: Pool, path: str):
    status, body = await pool.request("GET", path)
    if status != 200:
        raise HttpError(f"GET {path}: {status} {body[:200]!r}")
    return orjson.loads(body)


async def create_items(pool: Pool, years: list[int], combos: list[tuple[str, str]],
                       attempts: int = 5) -> list[Item]:
    """One RKPD item in each year, with pagu BASE_PAGU (a 5xx is tried again: this is set-up, not measure)."""
    async def one(i: int, tahun: int) -> Item:
        skpd, sub = combos[i % len(combos)]
        body = orjson.dumps({"kode_skpd": skpd, "kode_sub_kegiatan": sub, "indikator": "bench propagasi",
                             "target": "1", "satuan": "Unit", "pagu_indikatif": f"{BASE_PAGU}.00"})
        for attempt in range(1, attempts + 1):
            status, payload = await pool.request("POST", rkpd_url(tahun), body)
            if status == 201:
                return Item(orjson.loads(payload)["id"], tahun)
            if status == 409:  # an earlier attempt did create it after all
                found = await _get_json(pool, f"{rkpd_url(tahun)}?per_page=200")
                match = [x for x in found["items"] if x["kode_skpd"] == skpd and x["kode_sub_kegiatan"] == sub]
                if match:
                    return Item(match[0]["id"], tahun)
            if status < 500 or attempt == attempts:
                raise HttpError(f"create item for {tahun}: {status} {payload[:300]!r}")
            await asyncio.sleep(0.5 * attempt)
        raise AssertionError("unreachable")

    return list(await asyncio.gather(*(one(i, y) for i, y in enumerate(years))))


async def wait_visible(pool: Pool, items: list[Item], value: int, timeout: float = 60) -> None:
    """Until every item shows ``value`` (or more) in its plafon and its year's ringkasan."""
    deadline = time.monotonic() + timeout
    pending = list(items)
    while pending:
        if time.monotonic() > deadline:
            raise TimeoutError(f"{len(pending)} items not propagated within {timeout} s")
        still = []
        for item in pending:
            try:
                plafon = await _get_json(pool, plafon_url(item.tahun))
                ringkasan = await _get_json(pool, ringkasan_url(item.tahun))
            except HttpError:  # a transient failure: look again
                still.append(item)
                continue
            pagu = next((Decimal(p["pagu"]) for p in plafon["items"] if p["rkpd_id"] == item.id), None)
            if pagu is None or pagu < value or Decimal(ringkasan["total_pagu_indikatif"]) < value:
                still.append(item)
        pending = still
        if pending:
            await asyncio.sleep(0.1)


async def run(pool: Pool, items: list[Item], rate: float = 20.0, duration_s: float = 30.0,
              warmup_s: float = 2.0, poll_s: float = 0.005, stage_timeout: float = 10.0) -> PropagationResult:
    result = PropagationResult(rate, duration_s, poll_s)
    clock = time.perf_counter
    loop_start = clock()
    warm = int(rate * warmup_s)
    total = warm + int(rate * duration_s)
    seq = 0

    class Watcher:
        """Polls one item's view for every change waiting on it: one poll answers them all.

        Each waiting change still sees a fresh poll every ``poll_s`` (plus a round trip), but
        the bench's polling load stays bounded by the number of items, not of changes in
        flight: per-change pollers would multiply under a backlog and load the very services
        (keuangan, pemerintahan) whose event handlers they are waiting for.
        """

        def __init__(self, path: str, observe):
            self.path = path
            self.observe = observe  # response body -> the value it shows, or None
            self.pending: list[tuple[int, float, asyncio.Future]] = []
            self.task: asyncio.Task | None = None

        def wait(self, value: int, deadline: float) -> asyncio.Future:
            future = asyncio.get_running_loop().create_future()
            self.pending.append((value, deadline, future))
            if self.task is None or self.task.done():
                self.task = asyncio.create_task(self._poll())
            return future

        async def _poll(self) -> None:
            while self.pending:
                try:
                    observed = self.observe(await _get_json(pool, self.path))
                    result.polls += 1
                except (OSError, asyncio.IncompleteReadError, HttpError):
                    result.poll_errors += 1
                    observed = None
                now = clock()
                waiting = []
                for value, deadline, future in self.pending:
                    # values only grow, so seeing as much or more means the change is visible
                    if observed is not None and observed >= value:
                        future.set_result(now)
                    elif now > deadline:
                        future.set_result(None)
                    else:
                        waiting.append((value, deadline, future))
                self.pending = waiting
                if self.pending:
                    await asyncio.sleep(poll_s)

    def plafon_of(item: Item):
        def observe(data) -> Decimal | None:
            return next((Decimal(p["pagu"]) for p in data["items"] if p["rkpd_id"] == item.id), None)
        return observe

    def total_pagu(data) -> Decimal:
        return Decimal(data["total_pagu_indikatif"])

    watchers = {item.id: (Watcher(plafon_url(item.tahun), plafon_of(item)),
                          Watcher(ringkasan_url(item.tahun), total_pagu)) for item in items}

    async def change(k: int, scheduled: float, out: Outcome | None) -> None:
        nonlocal seq
        seq += 1
        value = BASE_PAGU + seq
        item = items[k % len(items)]
        o = out or Outcome(scheduled)
        o.sent = clock()
        try:
            status, body = await pool.request("PATCH", f"{rkpd_url(item.tahun)}/{item.id}",
                                              orjson.dumps({"pagu_indikatif": f"{value}.00"}))
            o.acked = clock()
            if status != 200:
                o.error = f"PATCH {status} {body[:200]!r}"
                return
        except (OSError, asyncio.IncompleteReadError, HttpError) as exc:
            o.error = f"PATCH {type(exc).__name__}: {exc}"
            return
        deadline = o.acked + stage_timeout
        plafon, ringkasan = watchers[item.id]
        o.plafon, o.ringkasan = await asyncio.gather(plafon.wait(value, deadline), ringkasan.wait(value, deadline))

    tasks = []
    measure_polls_from = None
    for k in range(total):
        scheduled = loop_start + k / rate
        delay = scheduled - clock()
        if delay > 0:
            await asyncio.sleep(delay)
        out = None
        if k >= warm:
            if measure_polls_from is None:
                measure_polls_from = (clock(), result.polls)
            out = Outcome(scheduled)
            result.outcomes.append(out)
        tasks.append(asyncio.create_task(change(k, scheduled, out)))
    await asyncio.gather(*tasks)
    if measure_polls_from is not None:
        result.wall_s = clock() - measure_polls_from[0]
        result.polls -= measure_polls_from[1]
    result.connections = pool.opened
    return result
