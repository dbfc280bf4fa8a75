"""The replica of the codification: kept by referensi's change events, filled and repaired from its
snapshot, read by the RKPD's writes (``codes_of_plan_item``) so that a write makes no RPC.

Every record keeps the state with the highest ``revisi`` (``uow.replika.simpan``), so events and
snapshot pages can arrive in any order, and twice. A handler records its event's place in the
list's stream (``catat``, which also makes the events of one list apply one at a time); the timer's
``fill_replika`` fills the lists never filled and repairs those with a gap (``sipd_common.replica``).

What the plan does about a change is the RKPD's (``..rkpd.usecases``): a retired sub kegiatan or SKPD
flags the items that use it (only the change that brings the retirement into the replica does,
so an event seen twice, or an event and a snapshot page, flag once); a renamed sub kegiatan or
bidang urusan reaches the items as a new version.
"""
from __future__ import annotations

import logging
from typing import Callable

from contracts.referensi import (
    NomenklaturChanged, NomenklaturItem, SkpdChanged, SkpdItem, SnapshotPage, SnapshotRequest, WilayahChanged,
    WilayahItem,
)
from sipd_common import replica, varian
from sipd_common.errors import Unavailable

from ..rkpd import usecases as rkpd
from . import domain as d

log = logging.getLogger(__name__)

ITEMS = {"nomenklatur": NomenklaturItem, "skpd": SkpdItem, "wilayah": WilayahItem}
PAGE = 2000  # records per snapshot page
PAGES = {"wilayah": 5000}  # of wilayah, every level (some 91,000 regions): the largest page referensi answers


# -- events -----------------------------------------------------------------------------------------------

def apply_nomenklatur_changed(uow, event: NomenklaturChanged) -> None:
    uow.replika.catat("nomenklatur", event.urutan)
    _nomenklatur(uow, event.perubahan, snapshot=False)


def apply_skpd_changed(uow, event: SkpdChanged) -> None:
    uow.replika.catat("skpd", event.urutan)
    _skpd(uow, event.perubahan)


def apply_wilayah_changed(uow, event: WilayahChanged) -> None:
    uow.replika.catat("wilayah", event.urutan)
    _wilayah(uow, event.perubahan)


def apply_snapshot_page(uow, kind: str, items: list[dict]) -> None:
    """One page of referensi's snapshot of ``kind`` (items read tolerantly, as the events are)."""
    typed = [ITEMS[kind].model_validate(item, extra="ignore") for item in items]
    if kind == "nomenklatur":
        _nomenklatur(uow, typed, snapshot=True)
    elif kind == "skpd":
        _skpd(uow, typed)
    else:
        _wilayah(uow, typed)


def _nomenklatur(uow, items: list[NomenklaturItem], snapshot: bool) -> None:
    stored = uow.replika.simpan("nomenklatur", [d.baris_nomenklatur(i) for i in items])
    # which pemda each record reaches: a provincial variant the provinces, a code's record the others (and the
    # provinces where the code has no provincial variant)
    varian_provinsi = uow.replika.varian_provinsi(sorted({i.kode for i in items if i.varian == varian.UMUM}))

    def untuk(i: NomenklaturItem) -> frozenset[str]:
        return varian.berlaku_untuk(i.varian, i.kode, varian_provinsi)

    retired = [(i.kode, i.valid_until, i.kode_pengganti, untuk(i)) for i in items
               if i.aksi == "retired" and i.tingkat == "sub_kegiatan" and (i.kode, i.varian) in stored]
    if retired:
        rkpd.flag_retired_sub_kegiatan(uow, retired)
    # an event renames with its changed records; a snapshot page with every current one (it may repair a
    # missed rename): an item follows a name only when it is newer than the one it holds
    for tingkat in ("sub_kegiatan", "bidang_urusan"):
        names = [(i.kode, i.nama, i.revisi, untuk(i)) for i in items if i.tingkat == tingkat
                 and (i.aksi == "changed" or (snapshot and i.aksi != "retired"))]
        if names:
            rkpd.follow_renames(uow, tingkat, names)


def _skpd(uow, items: list[SkpdItem]) -> None:
    stored = uow.replika.simpan("skpd", [d.baris_skpd(i) for i in items])
    retired = [(i.kode_pemda, i.kode, i.valid_until, i.kode_pengganti) for i in items
               if i.aksi == "retired" and (i.kode_pemda, i.kode) in stored]
    if retired:
        rkpd.flag_retired_skpd(uow, retired)


def _wilayah(uow, items: list[WilayahItem]) -> None:
    """The pemda in their table, the districts and villages (where items are located) in theirs."""
    rows = [d.baris_pemda(i) for i in items if d.adalah_pemda(i)]
    if rows:
        uow.replika.simpan("wilayah", rows)
    bawah = [d.baris_wilayah_bawah(i) for i in items if not d.adalah_pemda(i)]
    if bawah:
        uow.replika.simpan_wilayah_bawah(bawah)


# -- reading, for a write ---------------------------------------------------------------------------------

def _require_loaded(loading: list[tuple[str, str]]) -> None:
    """``Unavailable`` (try again shortly) naming each field whose list is still being loaded, as ``(kind, field)``."""
    if loading:
        lists = ", ".join(sorted({d.WHAT[kind] for kind, _ in loading}))
        raise Unavailable(f"the codification ({lists}) is still being loaded; try again shortly",
                          errors=[{"field": field, "message": f"the {d.WHAT[kind]} codes are still being loaded"}
                                  for kind, field in loading])


def codes_of_plan_item(uow, kode_pemda: str, kode_skpd: str,
                       kode_sub_kegiatan: str) -> tuple[dict | None, dict | None, dict | None]:
    """The pemda, SKPD and sub kegiatan (with its bidang urusan) a plan item names, from the replica; None
    for a code it does not hold. A code missing from a list not yet filled is not refused: ``Unavailable``
    (try again shortly)."""
    kode_bidang = d.kode_bidang_urusan(kode_sub_kegiatan)
    pemda, skpd, sub, bidang = uow.replika.codes(kode_pemda, kode_skpd, kode_sub_kegiatan, kode_bidang)
    missing = [(kind, field) for kind, field, found in (("wilayah", "kode_pemda", pemda), ("skpd", "kode_skpd", skpd),
                                                        ("nomenklatur", "kode_sub_kegiatan", sub)) if found is None]
    loading = [(kind, field) for kind, field in missing if not uow.replika.siap(kind)]
    if sub is not None and bidang is None:  # a sub kegiatan whose bidang urusan has not arrived yet
        loading.append(("nomenklatur", "kode_sub_kegiatan"))
    _require_loaded(loading)
    return (pemda and d.pemda(pemda), skpd and d.skpd(skpd), sub and d.sub_kegiatan(sub, bidang))


def codes_of_plan_items(uow, kode_pemda: str, kode_skpd: str,
                        kodes: list[str]) -> tuple[dict | None, dict | None, dict[str, dict | None]]:
    """As ``codes_of_plan_item`` for many sub kegiatan of one SKPD (a Renja's import), in three round trips:
    the pemda, the SKPD and each sub kegiatan (None where the replica has none, or it is no sub kegiatan)."""
    kodes = sorted(set(kodes))
    bidang = sorted({b for k in kodes if (b := d.kode_bidang_urusan(k))})
    pemda = uow.replika.pemda(kode_pemda)
    skpd = uow.replika.skpd_many(kode_pemda, [kode_skpd]).get(kode_skpd)
    rows = uow.replika.nomenklatur_many(kode_pemda, kodes + bidang) if kodes else {}
    subs = {k: rows[k] if k in rows and rows[k]["tingkat"] == "sub_kegiatan" else None for k in kodes}
    loading = [(kind, field) for kind, field, found in (("wilayah", "kode_pemda", pemda), ("skpd", "kode_skpd", skpd),
                                                        ("nomenklatur", "kode_sub_kegiatan", all(subs.values())))
               if not found and not uow.replika.siap(kind)]
    if any(s is not None and d.kode_bidang_urusan(k) not in rows for k, s in subs.items()):
        loading.append(("nomenklatur", "kode_sub_kegiatan"))
    _require_loaded(loading)
    return (pemda and d.pemda(pemda), skpd and d.skpd(skpd),
            {k: s and d.sub_kegiatan(s, rows[d.kode_bidang_urusan(k)]) for k, s in subs.items()})


def regions_not_held(uow, named: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Of the region codes a write names, as ``(field, kode)`` (an item's or a proposal's ``lokasi.<i>``, a
    proposal's ``kode_desa``), those the replica does not hold as current regions, as ``(field, message)``;
    all read in one round trip. A code missing while the wilayah list is still being filled is not refused:
    ``Unavailable`` (try again shortly)."""
    if not named:
        return []
    held = uow.replika.wilayah_berlaku(sorted({kode for _, kode in named}))
    missing = [field for field, kode in named if kode not in held]
    if missing and not uow.replika.siap("wilayah"):
        _require_loaded([("wilayah", field) for field in dict.fromkeys(missing)])
    return d.periksa_wilayah(named, held)


# -- filling and repairing from referensi's snapshot --------------------------------------------------------

def fill_replika(storage, snapshot: Callable[[dict], dict], lists=d.LISTS) -> dict[str, int | None]:
    """Fill the lists never filled, repair those with a gap: each from referensi's snapshot, page by page
    (``sipd_common.replica.isi_ulang``; each page in a unit of work of its own, as it may publish
    renames). ``snapshot`` answers a ``SnapshotRequest`` (raising ``Unavailable`` while referensi is
    away). The number of records applied per list filled."""
    with storage.unit_of_work() as uow:
        todo = uow.replika.perlu_diisi(lists)
    filled: dict[str, int | None] = {}
    for kind in todo:
        try:
            filled[kind] = replica.isi_ulang(storage.engine, kind, _fetch(kind, snapshot), _apply(storage, kind))
        except Unavailable as exc:
            log.info("replica of %s not filled now: %s", kind, exc.detail)
            break
    return filled


def _fetch(kind: str, snapshot: Callable[[dict], dict]) -> Callable[[list | None], SnapshotPage]:
    def fetch(after: list | None) -> SnapshotPage:
        request = SnapshotRequest(kind=kind, after=after, limit=PAGES.get(kind, PAGE))
        return SnapshotPage.model_validate(snapshot(request.model_dump(mode="json")), extra="ignore")

    return fetch


def _apply(storage, kind: str) -> Callable[[list], None]:
    def apply(items: list[dict]) -> None:
        with storage.unit_of_work() as uow:
            apply_snapshot_page(uow, kind, items)
            uow.commit()

    return apply


def codes_of_plan(uow, kode_pemda: str, kode_skpd: list[str], kodes: list[str],
                  programs: list[str]) -> d.Kodefikasi | None:
    """The pemda, the SKPD and the nomenclature codes a five-year plan (RPJMD, Renstra) names, and the levels
    of its programs' kegiatan, from the replica (None: no such pemda). As for a plan item, a code missing
    from a list not yet filled is not refused: ``Unavailable``."""
    pemda = uow.replika.pemda(kode_pemda)
    skpd = uow.replika.skpd_many(kode_pemda, kode_skpd) if kode_skpd else {}
    nomenklatur = uow.replika.nomenklatur_many(kode_pemda, kodes) if kodes else {}
    missing = [kind for kind, found in (("wilayah", pemda is not None), ("skpd", set(kode_skpd) <= set(skpd)),
                                        ("nomenklatur", set(kodes) <= set(nomenklatur))) if not found]
    loading = [kind for kind in missing if not uow.replika.siap(kind)]
    if loading:
        field_of = {"wilayah": "kode_pemda", "skpd": "kode_skpd", "nomenklatur": "kode"}
        raise Unavailable(f"the codification ({', '.join(sorted(d.WHAT[k] for k in loading))}) is still being "
                          "loaded; try again shortly",
                          errors=[{"field": field_of[k], "message": f"the {d.WHAT[k]} codes are still being loaded"}
                                  for k in loading])
    if pemda is None:
        return None
    return d.Kodefikasi(pemda=d.pemda(pemda), skpd={k: d.skpd(r) for k, r in skpd.items()},
                        nomenklatur={k: d.nomenklatur(r) for k, r in nomenklatur.items()},
                        levels=uow.replika.kegiatan_levels(programs) if programs else {})
