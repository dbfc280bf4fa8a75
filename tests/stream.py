"""What every fault test runs and checks (``tests/test_faults_kill.py``, ``tests/test_faults_database.py``, the broker
restart of ``tests/test_faults.py``).

``Stream``: a client at a person's pace, on a thread of its own, planning RKPD items, changing their pagu and adding
budget lines, as a well-behaved client does: a create carries an ``Idempotency-Key`` and an answer that says "try
again" (503, 504, 502, the connection lost) is tried again, with the same key and body, until it is acknowledged
(2xx) or the stream gives up on it. ``run_through`` runs it around a fault, and ``settle_and_check`` waits for the
events to settle and checks that every acknowledged change reached every read model, none twice, with the invariant
checker (``ops.invariants``) finding no difference; it prints what was sent, acknowledged and applied.
"""
from __future__ import annotations

import threading
import time
import uuid
from collections import Counter
from contextlib import contextmanager
from decimal import Decimal
from typing import Iterator

import httpx

from ops import invariants
from ops.testing import wait_until
from tests.support import KODE_PEMDA, apbd_url, rkpd_url

REKENING = "5.2.03.01.01.0002"
# every SKPD and sub kegiatan pair the stream plans (pemda 32.73 may plan each once a year)
COMBOS = [
    ("1.01.0.00.0.00.01.0000", "1.01.02.2.01.0004"), ("1.01.0.00.0.00.01.0000", "1.01.02.2.01.0005"),
    ("1.01.0.00.0.00.01.0000", "1.01.02.2.01.0001"), ("1.01.0.00.0.00.01.0000", "1.01.02.2.01.0006"),
    ("1.01.0.00.0.00.01.0000", "1.01.02.2.01.0009"), ("1.01.0.00.0.00.01.0000", "1.01.02.2.02.0001"),
    ("1.02.0.00.0.00.01.0000", "1.02.02.2.01.0002"), ("1.02.0.00.0.00.01.0000", "1.02.02.2.01.0001"),
    ("1.02.0.00.0.00.01.0000", "1.02.02.2.02.0001"), ("1.03.0.00.0.00.01.0000", "1.03.10.2.01.0028"),
    ("1.03.0.00.0.00.01.0000", "1.03.10.2.01.0029"), ("5.02.0.00.0.00.01.0000", "5.02.02.2.01.0002"),
    ("5.02.0.00.0.00.01.0000", "5.02.02.2.01.0001"),
]
RETRY_STATUSES = frozenset({502, 503, 504})
GIVE_UP_SECONDS = 60  # longer than any fault the tests cause: what is given up on is a finding (``refused``)


class Stream:
    """Plans items (each SKPD and sub kegiatan of ``COMBOS`` once), then changes their pagu, and adds a budget line
    under an item planned a while ago, in a loop until ``stop``."""

    def __init__(self, base_url: str, headers: dict, tahun: int):
        self.base_url, self.headers, self.tahun = base_url, headers, tahun
        self.sent: Counter = Counter()  # requests, each counted once however often it was tried
        self.acked: Counter = Counter()
        self.retried: Counter = Counter()  # attempts answered "try again", by kind and answer
        self.refused: Counter = Counter()  # requests given up on, by kind and last answer
        self.items: list[str] = []
        self.lines: list[str] = []
        # per item, the pagu it may hold now: the last acknowledged, and any sent after it without an answer
        self.pagu: dict[str, list[Decimal]] = {}
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _send(self, client: httpx.Client, kind: str, method: str, url: str, body: dict, ok: int):
        self.sent[kind] += 1
        headers = {"Idempotency-Key": str(uuid.uuid4())} if method == "POST" else {}
        give_up = time.monotonic() + GIVE_UP_SECONDS
        while True:
            try:
                resp = client.request(method, url, json=body, headers=headers)
                answer = str(resp.status_code)
            except httpx.HTTPError as exc:  # the gateway away, or the connection lost with the answer
                resp, answer = None, type(exc).__name__
            if resp is not None and resp.status_code == ok:
                self.acked[kind] += 1
                return resp.json()
            if (resp is not None and resp.status_code not in RETRY_STATUSES) or time.monotonic() > give_up \
                    or self.stop.is_set():
                self.refused[f"{kind} {answer}"] += 1
                return None
            self.retried[f"{kind} {answer}"] += 1
            time.sleep(0.3)  # the client's back-off (the problem's Retry-After is 1 or 2 s: a little eager)

    def _run(self) -> None:
        n = 0
        with httpx.Client(base_url=self.base_url, headers=self.headers, timeout=15) as client:
            while not self.stop.is_set():
                n += 1
                if n <= len(COMBOS):  # each SKPD and sub kegiatan once a year: then the plan changes
                    skpd, sub = COMBOS[n - 1]
                    pagu = f"{10_000_000 + n}.00"
                    item = self._send(client, "plan", "POST", rkpd_url(self.tahun),
                                      {"kode_skpd": skpd, "kode_sub_kegiatan": sub, "indikator": "Indikator uji",
                                       "target": "1", "satuan": "Unit", "pagu_indikatif": pagu}, 201)
                    if item is not None:
                        self.items.append(item["id"])
                        self.pagu[item["id"]] = [Decimal(pagu)]
                elif self.items:
                    rkpd_id, pagu = self.items[n % len(self.items)], f"{20_000_000 + n}.00"
                    done = self._send(client, "plan change", "PATCH", f"{rkpd_url(self.tahun)}/{rkpd_id}",
                                      {"pagu_indikatif": pagu}, 200)
                    self.pagu[rkpd_id] = [Decimal(pagu)] if done is not None else [*self.pagu[rkpd_id], Decimal(pagu)]
                if len(self.items) > 2:  # a line under an item planned a while ago: its plafon is there by now
                    line = self._send(client, "budget line", "POST", apbd_url(self.tahun, "rincian"),
                                      {"rkpd_id": self.items[n % (len(self.items) - 2)], "kode_rekening": REKENING,
                                       "uraian": f"Baris {n}", "volume": "2", "satuan": "Paket",
                                       "harga_satuan": f"{1000 + n}"}, 201)
                    if line is not None:
                        self.lines.append(line["id"])
                time.sleep(0.05)  # a person's pace

    @property
    def answered(self) -> int:
        """Attempts answered so far: acknowledged, or "try again"."""
        return sum(self.acked.values()) + sum(self.retried.values())

    def wait_for_more(self, count: int = 3, timeout: float = 60) -> None:
        target = sum(self.acked.values()) + count
        wait_until(lambda: sum(self.acked.values()) >= target, timeout, message="the stream goes on")

    def wait_for_retries(self, count: int = 1, timeout: float = 60) -> None:
        """Until ``count`` more attempts were answered "try again": the fault reached the client."""
        target = sum(self.retried.values()) + count
        wait_until(lambda: sum(self.retried.values()) >= target, timeout, message="the fault reaches the client")


@contextmanager
def running(stack, api, tahun: int) -> Iterator[Stream]:
    """The stream running, under way when the block begins (every item planned, its pagu being changed, budget
    lines being added); stopped after it."""
    stream = Stream(stack.base_url, dict(api.headers), tahun)
    stream.thread.start()
    try:
        wait_until(lambda: stream.acked["plan change"] >= 3, 120, message="the stream under way")
        yield stream
    finally:
        stream.stop.set()
        stream.thread.join(GIVE_UP_SECONDS + 30)


def differences_once_settled(admin_db, tahun: int, timeout: float = 120) -> None:
    """Wait until the invariant checker finds no difference; fail naming them if it still does after ``timeout``."""
    found: list[str] = []

    def settled() -> bool:
        found[:] = invariants.differences(admin_db, KODE_PEMDA, tahun)
        return not found

    try:
        wait_until(settled, timeout, interval=1, message="the read models agree")
    except AssertionError:
        raise AssertionError("differences:\n" + "\n".join(found)) from None


def settle_and_check(stream: Stream, admin_db, tahun: int, fault: str, capsys) -> dict:
    """After the stream stopped: the read models agree (invariant checker), every acknowledged change is in them,
    none twice; prints the counts. Returns what each read model holds (``invariants.counts``)."""
    assert not stream.thread.is_alive(), "the stream did not stop"
    differences_once_settled(admin_db, tahun)
    applied = invariants.counts(admin_db, KODE_PEMDA, tahun)
    with capsys.disabled():
        print(f"\n{fault}: sent {dict(stream.sent)}, acknowledged {dict(stream.acked)}, "
              f"answered 'try again' and retried {dict(stream.retried)}, given up {dict(stream.refused)}, "
              f"applied {applied}")
    plan = {str(r[0]): r[1] for r in admin_db.execute(
        "SELECT id, pagu_indikatif FROM perencanaan.rkpd_sub_kegiatan WHERE kode_pemda = %s AND tahun = %s",
        (KODE_PEMDA, tahun))}
    held = {str(r[0]) for r in admin_db.execute(
        "SELECT id FROM keuangan.rincian WHERE kode_pemda = %s AND tahun = %s", (KODE_PEMDA, tahun))}
    assert set(stream.items) <= plan.keys(), "an acknowledged plan item is missing"
    assert set(stream.lines) <= held, "an acknowledged budget line is missing"
    # an item holds its last acknowledged pagu, or one sent after it whose answer was lost: never an older one
    behind = {i: (plan[i], values) for i, values in stream.pagu.items() if plan[i] not in values}
    assert not behind, f"an acknowledged plan change is missing (held, expected one of): {behind}"
    # none twice: a create tried again (same Idempotency-Key) made one record at most
    assert len(plan) <= stream.sent["plan"] and len(held) <= stream.sent["budget line"], (len(plan), len(held))
    # every item reached keuangan and pemerintahan (the checker compared them), one row each
    assert applied["plafon"] == applied["report_rencana"] == applied["rkpd_items"] >= len(stream.items)
    assert stream.acked["budget line"] > 0 and stream.acked["plan change"] > 0, stream.acked
    return applied
