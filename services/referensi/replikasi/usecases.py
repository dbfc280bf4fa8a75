"""The snapshot a consumer fills or repairs its replica of a list from (``sipd_common.replica``).

A page holds the latest state of records of one list (current, or the last state of a retired one) in
key order, as change items, after the record keyed ``after``; and the list's stream position, read
*before* the page in the same transaction: every change event up to that position was committed
before the page was read, so it is in the page (later ones may be in it too; a consumer keeping the
highest ``revisi`` per record takes both in any order).
"""
from __future__ import annotations

from collections import defaultdict

from pydantic import ValidationError

from contracts.referensi import (
    NomenklaturItem, RekeningItem, SkpdItem, SnapshotPage, SnapshotRequest, StandarHargaItem, SumberDanaItem,
    WilayahItem,
)
from sipd_common.errors import Invalid
from sipd_common.validation import invalid_from

from . import domain as r

ITEMS = {"nomenklatur": NomenklaturItem, "rekening": RekeningItem, "sumber_dana": SumberDanaItem,
         "wilayah": WilayahItem, "skpd": SkpdItem, "standar_harga": StandarHargaItem}


def get_snapshot_page(uow, request: dict) -> SnapshotPage:
    """A page of a list's latest states (``SnapshotRequest`` → ``SnapshotPage``). Public, like the look-ups."""
    try:
        req = SnapshotRequest.model_validate(request)
        after = r.setelah(req.kind, req.after)
        tingkat = r.tingkat_tersimpan(req.kind, req.tingkat)
        if req.akun is not None and req.kind != "rekening":
            raise r.PermintaanTidakSah("akun", f"{req.kind} has no roots of accounts; akun is for rekening")
    except ValidationError as exc:
        raise invalid_from(exc) from None
    except r.PermintaanTidakSah as exc:
        raise Invalid.field(exc.field, exc.message) from None
    with uow:
        urutan = uow.replikasi.position(req.kind)  # first: what it covers is committed before the page is read
        daftar = uow.daftar(req.kind)
        records = daftar.latest(after, req.limit, tingkat, req.akun)
        pengganti = _replacements(daftar, records)
    model = ITEMS[req.kind]
    items = [model.model_validate(r.item(req.kind, record, r.aksi_terakhir(record),
                                         pengganti.get((record.get("kode_pemda") or "", record["kode"]))))
             .model_dump(mode="json") for record in records]
    last = r.kunci(req.kind, records[-1]) if len(records) == req.limit else None
    return SnapshotPage(kind=req.kind, urutan=urutan, items=items, next=last)


def _replacements(daftar, records: list[dict]) -> dict[tuple[str, str], list[str]]:
    """The replacements of the retired records, by (pemda, code): the crosswalk of SKPD is per pemda."""
    retired: dict[str, list[str]] = defaultdict(list)
    for record in records:
        if record["valid_until"] is not None:
            retired[record.get("kode_pemda") or ""].append(record["kode"])
    return {(pemda, old): new for pemda, kodes in retired.items()
            for old, new in daftar.pengganti(kodes, pemda).items()}
