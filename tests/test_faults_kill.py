"""Faults on purpose: every process killed (``kill -9``) in turn while plan changes and budget lines are in flight,
then started again. Every change acknowledged to a client reaches every read model, none twice, and the invariant
checker (``ops.invariants``: plan ↔ ceilings ↔ lines ↔ report) finds no difference once the events settle."""
from __future__ import annotations

import signal
import threading
import time
from collections import Counter

import httpx

from ops import invariants
from ops.testing import wait_until
from tests.support import KODE_PEMDA, apbd_url, rkpd_url
from tests.test_faults import COMBOS

REKENING = "5.2.03.01.01.0002"
VICTIMS = ["referensi-1", "perencanaan-1", "keuangan-1", "keuangan-2", "pemerintahan-1", "gateway"]


class Stream:
    """A client at a person's pace, on another thread: plans items, changes their pagu, adds budget lines."""

    def __init__(self, base_url: str, headers: dict, tahun: int):
        self.base_url, self.headers, self.tahun = base_url, headers, tahun
        self.sent: Counter = Counter()
        self.acked: Counter = Counter()
        self.refused: Counter = Counter()
        self.items: list[str] = []
        self.lines: list[str] = []
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _send(self, client: httpx.Client, kind: str, method: str, url: str, body: dict, ok: int):
        self.sent[kind] += 1
        try:
            resp = client.request(method, url, json=body)
        except httpx.HTTPError as exc:
            self.refused[f"{kind} {type(exc).__name__}"] += 1
            return None
        if resp.status_code != ok:
            self.refused[f"{kind} {resp.status_code}"] += 1
            return None
        self.acked[kind] += 1
        return resp.json()

    def _run(self) -> None:
        n = 0
        with httpx.Client(base_url=self.base_url, headers=self.headers, timeout=15) as client:
            while not self.stop.is_set():
                n += 1
                before = sum(self.acked.values())
                if n <= len(COMBOS):  # each SKPD and sub kegiatan once a year: then the plan changes
                    skpd, sub = COMBOS[n - 1]
                    item = self._send(client, "plan", "POST", rkpd_url(self.tahun),
                                      {"kode_skpd": skpd, "kode_sub_kegiatan": sub, "indikator": "Indikator uji",
                                       "target": "1", "satuan": "Unit", "pagu_indikatif": f"{10_000_000 + n}.00"}, 201)
                    if item is not None:
                        self.items.append(item["id"])
                elif self.items:
                    self._send(client, "plan change", "PATCH", f"{rkpd_url(self.tahun)}/{self.items[n % len(self.items)]}",
                               {"pagu_indikatif": f"{20_000_000 + n}.00"}, 200)
                if len(self.items) > 2:  # a line under an item planned a while ago: its plafon is there by now
                    line = self._send(client, "budget line", "POST", apbd_url(self.tahun, "rincian"),
                                      {"rkpd_id": self.items[n % (len(self.items) - 2)], "kode_rekening": REKENING,
                                       "uraian": f"Baris {n}", "volume": "2", "satuan": "Paket",
                                       "harga_satuan": f"{1000 + n}"}, 201)
                    if line is not None:
                        self.lines.append(line["id"])
                # a person's pace; a little slower while the gateway is away
                time.sleep(0.05 if sum(self.acked.values()) > before else 0.3)

    def wait_for_more(self, count: int = 3, timeout: float = 60) -> None:
        target = sum(self.acked.values()) + count
        wait_until(lambda: sum(self.acked.values()) >= target, timeout, message="the stream goes on")


def test_every_process_killed_in_turn_loses_and_duplicates_nothing(stack, api, tahun, admin_db, capsys):
    stream = Stream(stack.base_url, dict(api.headers), tahun)
    stream.thread.start()
    killed = []
    try:
        stream.wait_for_more()
        for name in VICTIMS:
            proc = next(p for p in stack.procs if p.name == name)
            stack.restart(proc, signal.SIGKILL)  # kill -9 mid-stream, then start it again
            killed.append(name)
            stack.wait_healthy(120)
            stream.wait_for_more()
    finally:
        stream.stop.set()
        stream.thread.join(30)

    found: list[str] = []

    def settled() -> bool:
        found[:] = invariants.differences(admin_db, KODE_PEMDA, tahun)
        return not found

    try:
        wait_until(settled, 120, interval=1, message="the read models agree")
    except AssertionError:
        raise AssertionError("differences:\n" + "\n".join(found)) from None
    applied = invariants.counts(admin_db, KODE_PEMDA, tahun)
    with capsys.disabled():
        print(f"\nkill -9 of {', '.join(killed)}: sent {dict(stream.sent)}, acknowledged {dict(stream.acked)}, "
              f"refused or lost in flight {dict(stream.refused)}, applied {applied}")
    held = {str(r[0]) for r in admin_db.execute(
        "SELECT id FROM keuangan.rincian WHERE kode_pemda = %s AND tahun = %s", (KODE_PEMDA, tahun))}
    assert set(stream.lines) <= held, "an acknowledged budget line is missing"
    plans = {str(r[0]) for r in admin_db.execute(
        "SELECT id FROM perencanaan.rkpd_sub_kegiatan WHERE kode_pemda = %s AND tahun = %s", (KODE_PEMDA, tahun))}
    assert set(stream.items) <= plans
    # every item reached keuangan and pemerintahan (the checker compares them) and none twice: one row each
    assert applied["plafon"] == applied["report_rencana"] == applied["rkpd_items"] >= len(stream.items)
    assert applied["rincian"] >= len(stream.lines) and stream.acked["budget line"] > 0


def test_two_instances_of_every_service_reach_the_same_final_state(stack, api, tahun, admin_db, capsys):
    """A second instance of referensi, perencanaan and pemerintahan beside the two of keuangan, while the stream
    runs: the instances share each queue, and the read models end as one instance would leave them."""
    extra = [stack.start_service(name, 2, env=stack.env) for name in ("referensi", "perencanaan", "pemerintahan")]
    stream = Stream(stack.base_url, dict(api.headers), tahun)
    try:
        stack.wait_healthy(120)
        stream.thread.start()
        for _ in range(4):
            stream.wait_for_more(5)
    finally:
        stream.stop.set()
        stream.thread.join(30)
        for proc in extra:
            stack.stop(proc)
    found: list[str] = []

    def settled() -> bool:
        found[:] = invariants.differences(admin_db, KODE_PEMDA, tahun)
        return not found

    try:
        wait_until(settled, 120, interval=1, message="the read models agree")
    except AssertionError:
        raise AssertionError("differences:\n" + "\n".join(found)) from None
    applied = invariants.counts(admin_db, KODE_PEMDA, tahun)
    with capsys.disabled():
        print(f"\ntwo instances of every service: sent {dict(stream.sent)}, acknowledged {dict(stream.acked)}, "
              f"refused {dict(stream.refused)}, applied {applied}")
    assert not stream.refused, stream.refused
    assert applied["rincian"] == len(stream.lines) and applied["rkpd_items"] == len(stream.items)
