"""The codification keuangan checks against: kept from referensi's change events, filled and repaired
from its paged snapshot, looked up by the writes; and what a change does to the records using a code.

What does keuangan do when referensi retires an account, a sub kegiatan or an SKPD? ``apply_items``:
the lines on the account, the ceilings on the sub kegiatan or of the SKPD are flagged
(``perlu_pemetaan``), once per code and version, never rewritten. When it renames an account? The
lines on it take the new name. Events and snapshot pages go through the same ``apply_items``, so a
replica filled from the snapshot ends as one fed by every event (``replika/domain.py``).
"""
from __future__ import annotations

import logging
from typing import Any, Callable, Iterable

from contracts.referensi import (
    NomenklaturItem, RekeningItem, SkpdItem, SnapshotPage, SnapshotRequest, StandarHargaItem, SumberDanaItem,
)
from sipd_common import replica
from sipd_common.varian import LEVELS, level_pemda
from sipd_common.errors import Unavailable

from ..plafon.domain import Plafon
from .domain import (
    AKUN_DISIMPAN, KINDS, PLAFON_SKPD, PLAFON_SUB_KEGIATAN, RINCIAN_REKENING, KodePensiun, kode_pensiun, nama_rekening,
    tambah_pemetaan, terbaru,
)

log = logging.getLogger(__name__)

ITEMS = {"rekening": RekeningItem, "skpd": SkpdItem, "nomenklatur": NomenklaturItem, "sumber_dana": SumberDanaItem,
         "standar_harga": StandarHargaItem}
# of the nomenclature, keuangan keeps the sub kegiatan (a ceiling is one) and, for the names its summaries show, the
# urusan, bidang urusan and program (``domain.NOMENKLATUR_DISIMPAN``)
TINGKAT = {"nomenklatur": ["urusan", "bidang_urusan", "program", "sub_kegiatan"]}
AKUN = {"rekening": list(AKUN_DISIMPAN)}  # of the chart of accounts, the budget's roots
PAGE = 1000  # records per snapshot page
BELUM_SIAP = "the codification is still being loaded; try again shortly"


# -- what a write looks up -----------------------------------------------------------------------------

def find(uow, kind: str, *key: Any) -> Any:
    """The record of ``kind`` (current or retired), None if there is none; ``Unavailable`` while the list
    is still being filled for the first time and the code is not in it yet (it may be on its way)."""
    found = uow.replika.get(kind, *key)
    if found is None and not uow.replika.siap(kind):
        raise Unavailable(BELUM_SIAP)
    return found


# -- referensi's events and snapshot pages --------------------------------------------------------------

def apply_changed(uow, kind: str, event: Any) -> None:
    """A change event of one of the lists keuangan keeps (up to 500 records), and its place in the stream."""
    apply_items(uow, kind, event.perubahan)
    uow.replika.catat(kind, event.urutan)


def apply_items(uow, kind: str, items: list[Any]) -> None:
    """A batch of records in their new state: kept where newer than what is held, and their effects on the
    ceilings and lines that use them. Applying the same batch again changes nothing."""
    uow.replika.simpan(kind, terbaru(kind, items))
    varian_provinsi = (uow.replika.varian_provinsi(sorted({i.kode for i in items if i.aksi == "retired"}))
                       if kind == "nomenklatur" else set())
    retired = kode_pensiun(kind, items, varian_provinsi)
    if retired:
        _flag_plafon(uow, retired)
        _flag_rincian(uow, retired)
    if kind == "rekening":
        uow.rincian.rename_rekening(nama_rekening(items))


def _flag_plafon(uow, retired: list[KodePensiun]) -> None:
    """A sub kegiatan or an SKPD the ceilings use was retired: flag them (their versions unchanged)."""
    # by the levels of pemda that read the retired record (a provincial variant: the provinces')
    by_sub_kegiatan = {(r.kode, level): r.pemetaan for r in retired if r.dipakai_sebagai == PLAFON_SUB_KEGIATAN
                       for level in (r.untuk or LEVELS)}
    by_skpd = {(r.kode_pemda, r.kode): r.pemetaan for r in retired if r.dipakai_sebagai == PLAFON_SKPD}
    flagged: dict[str, Plafon] = {}
    if by_sub_kegiatan:
        for p in uow.plafon.using_sub_kegiatan(sorted({kode for kode, _ in by_sub_kegiatan})):
            pemetaan = by_sub_kegiatan.get((p.kode_sub_kegiatan, level_pemda(p.kode_pemda)))
            if pemetaan is not None and p.tandai_pemetaan(pemetaan):
                flagged[p.rkpd_id] = p
    if by_skpd:
        for p in uow.plafon.using_skpd(sorted(by_skpd)):
            p = flagged.get(p.rkpd_id, p)
            if p.tandai_pemetaan(by_skpd[(p.kode_pemda, p.kode_skpd)]):
                flagged[p.rkpd_id] = p
    uow.plafon.save_pemetaan([flagged[k] for k in sorted(flagged)])


def _flag_rincian(uow, retired: list[KodePensiun]) -> None:
    """An account lines sit on was retired: flag the lines."""
    by_rekening = {r.kode: r.pemetaan for r in retired if r.dipakai_sebagai == RINCIAN_REKENING}
    if not by_rekening:
        return
    flagged = []
    for line in uow.rincian.using_rekening(sorted(by_rekening)):
        pemetaan = tambah_pemetaan(line["pemetaan"], by_rekening[line["kode_rekening"]])
        if pemetaan != line["pemetaan"]:
            flagged.append((line["id"], pemetaan))
    uow.rincian.flag(flagged)


def read_items(kind: str, items: Iterable[dict]) -> list[Any]:
    """A snapshot page's items as the change items they are shaped like (fields keuangan does not know ignored)."""
    return [ITEMS[kind].model_validate(item, extra="ignore") for item in items]


# -- filling and repairing (the timer) --------------------------------------------------------------------

Snapshot = Callable[[dict], dict]  # referensi's snapshot RPC: a SnapshotRequest's data → a SnapshotPage's


def fill_replika(storage, snapshot: Snapshot, kinds: Iterable[str] = KINDS) -> dict[str, int | None]:
    """Fill each list never filled, or repair one with a gap in its stream (``sipd_common.replica``): every
    page of referensi's snapshot applied as its events are, each page in a unit of work of its own, then
    the list's position moved up to what the snapshot covers. Writes that need other lists go on meanwhile.

    What was filled (records per list; None where another instance is filling it). A failure (referensi
    away) is logged and the lists are left for the next round."""
    with storage.unit_of_work() as uow:
        due = uow.replika.perlu_diisi(list(kinds))
    filled: dict[str, int | None] = {}
    for kind in due:
        try:
            filled[kind] = replica.isi_ulang(storage.engine, kind, _fetch(snapshot, kind), _apply(storage, kind))
        except Unavailable as exc:  # referensi away: the timer tries again
            log.info("replica of %s not filled now: %s", kind, exc.detail)
            break
    return filled


def _fetch(snapshot: Snapshot, kind: str) -> Callable[[Any], SnapshotPage]:
    def fetch(after: Any) -> SnapshotPage:
        request = SnapshotRequest(kind=kind, after=after, limit=PAGE, tingkat=TINGKAT.get(kind), akun=AKUN.get(kind))
        return SnapshotPage.model_validate(snapshot(request.model_dump(mode="json")), extra="ignore")

    return fetch


def _apply(storage, kind: str) -> Callable[[list], None]:
    def apply(items: list[dict]) -> None:
        with storage.unit_of_work() as uow:
            apply_items(uow, kind, read_items(kind, items))
            uow.commit()

    return apply
