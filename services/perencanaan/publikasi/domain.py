"""What of the plan is published: the enacted RKPD, nothing before it.

A pemda's RKPD becomes public when the stage that enacts it (``penetapan``) is locked: its snapshot is
content-hashed and never changes. A perubahan, once its own enacting stage is locked, is published in
its place (keeping the murni figures beside its own). Drafts, and the snapshots of the stages before
penetapan, are working papers and are never published.

Pure: schedules and snapshot items arrive as values.
"""
from __future__ import annotations

from decimal import Decimal
from typing import Iterable

from ..jadwal.domain import TERKUNCI, Jadwal, Tahap, kode_program


def tahap_terbit(j: Jadwal | None) -> Tahap | None:
    """The enacting stage whose snapshot is the published RKPD: the latest one locked (a perubahan after
    its penetapan), or None while nothing is enacted."""
    if j is None:
        return None
    enacted = [t for t in j.tahap if t.menetapkan and t.snapshot_id and t.status == TERKUNCI]
    return max(enacted, key=lambda t: t.urutan, default=None)


def per_urusan(items: Iterable[dict]) -> list[dict]:
    """The enacted pagu indikatif per bidang urusan: exact sums, in code order."""
    groups: dict[str, dict] = {}
    for item in items:
        if item.get("dihapus"):
            continue  # a perubahan keeps an enacted item it dropped, at 0, beside its murni figure
        g = groups.setdefault(item["kode_bidang_urusan"], {
            "kode_bidang_urusan": item["kode_bidang_urusan"], "nama_bidang_urusan": item["nama_bidang_urusan"],
            "jumlah_sub_kegiatan": 0, "pagu_indikatif": Decimal(0)})
        g["jumlah_sub_kegiatan"] += 1
        g["pagu_indikatif"] += Decimal(item["pagu_indikatif"])
    return [groups[k] for k in sorted(groups)]


def sub_kegiatan_terbit(item: dict, nama_program: dict[str, str], nama_skpd: dict[str, str]) -> dict:
    """One snapshot item as the public reads it: its program and SKPD named, bookkeeping left out."""
    program = kode_program(item["kode_sub_kegiatan"])
    return {
        "kode_skpd": item["kode_skpd"], "nama_skpd": nama_skpd.get(item["kode_skpd"]),
        "kode_bidang_urusan": item["kode_bidang_urusan"], "nama_bidang_urusan": item["nama_bidang_urusan"],
        "kode_program": program, "nama_program": nama_program.get(program),
        "kode_sub_kegiatan": item["kode_sub_kegiatan"], "nama_sub_kegiatan": item["nama_sub_kegiatan"],
        "kinerja": item.get("kinerja"), "indikator": item["indikator"], "target": item["target"],
        "satuan": item["satuan"], "lokasi": item.get("lokasi") or [], "pagu_indikatif": item["pagu_indikatif"],
        "pagu_indikatif_n1": item.get("pagu_indikatif_n1"), "pagu_indikatif_murni": item.get("pagu_indikatif_murni"),
    }
