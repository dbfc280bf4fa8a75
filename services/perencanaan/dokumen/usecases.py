"""The printed RKPD and Renja: made from a snapshot (as a stage was locked; as enacted) or from the live
draft, as XLSX or PDF. Read by every role of the pemda; an SKPD operator prints its own SKPD's Renja."""
from __future__ import annotations

import base64
from decimal import Decimal

from sipd_common import access
from sipd_common.access import Scope
from sipd_common.errors import Invalid, NotFound
from sipd_common.validation import record_id

from ..jadwal.domain import DRAFT, dengan_murni, kode_kegiatan, kode_program
from . import domain, render

FORMATS = {"xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", render.xlsx),
           "pdf": ("application/pdf", render.pdf)}


def _murni(uow, kode_pemda: str, tahun: int):
    """The enacted snapshot a perubahan under way revises (its stage begun: open, or locked since), else None."""
    j = uow.jadwal.get(kode_pemda, "rkpd", tahun)
    if j is None or not any(t.perubahan and t.status != DRAFT for t in j.tahap):
        return None
    enacted = j.penetapan()
    if enacted is None or enacted.snapshot_id is None:
        return None
    return uow.jadwal.snapshot(kode_pemda, enacted.snapshot_id)


def dokumen_rkpd(uow, caller: Scope | None, kode_pemda: str, tahun: int, format: str, kode_skpd: str | None = None,
                 snapshot_id: str | None = None) -> dict:
    """``{"filename", "content_type", "content"}`` (content base64): the RKPD, or with ``kode_skpd`` that
    SKPD's Renja; from ``snapshot_id`` (of this pemda and year) or the live draft. A perubahan's (its snapshot,
    or the live draft once its stage has begun) prints the enacted (murni) pagu beside the revised one."""
    caller = access.require_read(caller, kode_pemda)
    kode_skpd = access.require_skpd_filter(caller, kode_skpd)
    if format not in FORMATS:
        raise Invalid.field("format", f"format is one of {', '.join(FORMATS)}")
    with uow:
        if snapshot_id:
            s = uow.jadwal.snapshot(kode_pemda, record_id(snapshot_id, "snapshot"))
            if s is None or s.tahun != tahun:
                raise NotFound(f"no snapshot {snapshot_id} of the {tahun} plan of pemda {kode_pemda}")
            items, tahap = s.items, f"{s.kode_tahap} (snapshot {s.id}, sha256 {s.hash[:12]})"
        else:
            items = [i.isi_snapshot() for i in uow.rkpd.all_of(kode_pemda, tahun)]
            tahap = "draft (not locked)"
            murni = _murni(uow, kode_pemda, tahun)
            if murni is not None:  # the draft of a perubahan: beside the enacted figures
                items = dengan_murni(items, [{**m, "pagu_indikatif": Decimal(m["pagu_indikatif"])}
                                             for m in murni.items])
                tahap = f"perubahan draft (not locked; murni: snapshot {murni.id}, sha256 {murni.hash[:12]})"
        if kode_skpd is not None:
            items = [i for i in items if i["kode_skpd"] == kode_skpd]
        codes = sorted({f(i["kode_sub_kegiatan"]) for i in items for f in (kode_program, kode_kegiatan)})
        names = uow.replika.names(kode_pemda, codes, sorted({i["kode_skpd"] for i in items} | (
            {kode_skpd} if kode_skpd else set())))
    doc = domain.susun(items, names, kode_pemda=kode_pemda, tahun=tahun, tahap=tahap, kode_skpd=kode_skpd)
    content_type, make = FORMATS[format]
    name = f"renja-{kode_pemda}-{tahun}-{kode_skpd}" if kode_skpd else f"rkpd-{kode_pemda}-{tahun}"
    return {"filename": f"{name}.{format}", "content_type": content_type,
            "content": base64.b64encode(make(doc)).decode("ascii")}


