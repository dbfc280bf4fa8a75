"""The LPPD of a pemda and year: drafted from pemerintahan's read models, its indicators entered,
rebuilt while a draft, verified, submitted as a frozen snapshot, forwarded and received."""
from __future__ import annotations

import hashlib
import json
from datetime import date, datetime, timezone
from decimal import Decimal

from pydantic import ValidationError

from contracts.pemerintahan import IndikatorLppdBaru, LangkahLppd, LppdOut, LppdPublikOut
from sipd_common import access, idempotency
from sipd_common.access import Scope
from sipd_common.errors import Conflict, Forbidden, Invalid, NotFound
from sipd_common.validation import invalid_from

from ..policy import POLICY, Aksi
from .domain import TERBIT, Ditolak, bangun, batas_waktu, berubah, capaian, periksa, terlambat

LPPD = "lppd"  # the record type of the audit trail


def _json(value):
    """The build as JSON (Decimal as text: exact, and equal builds compare equal)."""
    return json.loads(json.dumps(value, default=lambda v: format(v, "f") if isinstance(v, Decimal) else str(v)))


def _build(uow, kode_pemda: str, tahun: int) -> dict:
    return _json(bangun(uow.ringkasan.rencana_of(kode_pemda, tahun), uow.ringkasan.anggaran_of(kode_pemda, tahun),
                        uow.realisasi.belanja_of(kode_pemda, tahun)))


def _today() -> date:
    return datetime.now(timezone.utc).date()


def _indikator(uow, row: dict) -> list[dict]:
    aturan = uow.lppd.aturan_versi(row["versi_aturan"])
    entries = row["indikator"]
    out = []
    for i in uow.lppd.indikator(aturan["versi_indikator"]):
        e = entries.get(i["kode"], {})
        target, realisasi = e.get("target"), e.get("realisasi")
        out.append({**{k: i[k] for k in ("kode", "nama", "jenis", "kode_urusan", "satuan", "polaritas")},
                    "target": target, "realisasi": realisasi, "catatan": e.get("catatan"),
                    "capaian": capaian(Decimal(target) if target else None, Decimal(realisasi) if realisasi else None,
                                       i["polaritas"])})
    return out


def _out(uow, row: dict, sekarang: dict | None = None) -> LppdOut:
    """The report as stored, and what differs from its sources now (``sekarang``: that build, when in hand)."""
    aturan = uow.lppd.aturan_versi(row["versi_aturan"])
    due = batas_waktu(row["tahun"], aturan["batas_bulan"])
    changed = berubah(row["isi"], sekarang if sekarang is not None else _build(uow, row["kode_pemda"], row["tahun"]))
    return LppdOut.model_validate({
        **{k: row[k] for k in ("kode_pemda", "tahun", "status", "versi_aturan", "diajukan_pada", "hash", "isi",
                               "riwayat", "version")},
        "batas_waktu": due, "terlambat": terlambat(due, row["diajukan_pada"], _today()),
        "basi": bool(changed), "berubah": changed, "indikator": _indikator(uow, row)})


def _entry(caller: Scope, aksi: str, catatan: str | None = None) -> dict:
    return {"aksi": aksi, "oleh": caller.username, "peran": str(caller.role), "catatan": catatan,
            "pada": datetime.now(timezone.utc).isoformat(timespec="seconds")}


def _get(uow, kode_pemda: str, tahun: int, for_update: bool = False) -> dict:
    row = uow.lppd.get(kode_pemda, tahun, for_update)
    if row is None:
        raise NotFound(f"no LPPD of {kode_pemda} for {tahun}")
    return row


def _jejak(row: dict) -> dict:
    """What the audit trail keeps of a state: everything the pemda wrote or decided, and the built figures
    down to each bidang urusan (the sub kegiatan are the plan's, audited there)."""
    isi = {**row["isi"], "urusan": [{**u, "bidang_urusan": [{k: v for k, v in b.items() if k != "sub_kegiatan"}
                                                            for b in u["bidang_urusan"]]} for u in row["isi"]["urusan"]]}
    return _json({**{k: v for k, v in row.items() if k not in ("created_at", "updated_at")}, "isi": isi})


def _save(uow, before: dict, after: dict, sekarang: dict | None = None) -> LppdOut:
    """Store ``after`` and audit the change."""
    uow.lppd.save(after)
    out = _out(uow, after, sekarang)
    uow.audit(LPPD, f"{after['kode_pemda']}:{after['tahun']}", "update", _jejak(before), _jejak(after),
              kode_pemda=after["kode_pemda"], tahun=after["tahun"])
    uow.commit()
    return out


def _draft(row: dict) -> None:
    """A submitted LPPD is a snapshot: it never changes (409 naming ``status``)."""
    if row["status"] != "draft":
        raise Conflict(f"the LPPD is {row['status']}: only a draft changes",
                       errors=[{"field": "status", "message": row["status"]}])


def draft_lppd(uow, caller: Scope | None, kode_pemda: str, tahun: int, idempotency_key: str | None = None) -> LppdOut:
    """The year's draft, built from the sources; with ``idempotency_key``, once (a repeat answers the first answer,
    not 409)."""
    caller = POLICY.require(caller, Aksi.DRAFT_LPPD, kode_pemda)
    with uow:
        earlier = idempotency.first_answer(uow, caller, idempotency_key, LppdOut, "draft_lppd", kode_pemda, tahun)
        if earlier is not None:
            return earlier
        aturan = uow.lppd.aturan(tahun)
        if aturan is None:
            raise Invalid.field("tahun", f"no LPPD rules govern {tahun}")
        row = {"kode_pemda": kode_pemda, "tahun": tahun, "status": "draft", "versi_aturan": aturan["versi"],
               "isi": _build(uow, kode_pemda, tahun), "indikator": {}, "hash": None, "diajukan_pada": None,
               "riwayat": [_entry(caller, "draft")], "version": 1}
        if not uow.lppd.add(row):
            raise Conflict(f"the LPPD of {kode_pemda} for {tahun} exists", errors=[{"field": "tahun", "message": "exists"}])
        out = _out(uow, row, row["isi"])
        uow.audit(LPPD, f"{kode_pemda}:{tahun}", "create", None, _jejak(row), kode_pemda=kode_pemda, tahun=tahun)
        idempotency.complete(uow, caller, idempotency_key, out)
        uow.commit()
    return out


def rebuild_lppd(uow, caller: Scope | None, kode_pemda: str, tahun: int) -> LppdOut:
    """A draft built again from the sources as they are now (what ``basi`` / ``berubah`` showed)."""
    caller = POLICY.require(caller, Aksi.DRAFT_LPPD, kode_pemda)
    with uow:
        row = _get(uow, kode_pemda, tahun, for_update=True)
        _draft(row)
        isi = _build(uow, kode_pemda, tahun)
        return _save(uow, row, {**row, "isi": isi, "version": row["version"] + 1,
                                "riwayat": row["riwayat"] + [_entry(caller, "bangun_ulang")]}, isi)


def enter_indikator(uow, caller: Scope | None, kode_pemda: str, tahun: int, data: dict) -> LppdOut:
    caller = POLICY.require(caller, Aksi.DRAFT_LPPD, kode_pemda)
    try:
        baru = IndikatorLppdBaru.model_validate(data)
    except ValidationError as exc:
        raise invalid_from(exc) from None
    with uow:
        row = _get(uow, kode_pemda, tahun, for_update=True)
        _draft(row)
        known = {i["kode"] for i in uow.lppd.indikator(uow.lppd.aturan_versi(row["versi_aturan"])["versi_indikator"])}
        errors = [{"field": f"indikator.{n}.kode", "message": f"not an indicator of the LPPD rules {row['versi_aturan']}"}
                  for n, e in enumerate(baru.indikator) if e.kode not in known]
        if errors:
            raise Invalid(errors[0]["message"], errors=errors)
        entries = {**row["indikator"], **{e.kode: e.model_dump(exclude={"kode"}) for e in baru.indikator}}
        return _save(uow, row, {**row, "indikator": entries, "version": row["version"] + 1})


def step_lppd(uow, caller: Scope | None, kode_pemda: str, tahun: int, data: dict) -> LppdOut:
    """verifikasi / kembalikan (the inspektur), ajukan (the pemda: the report frozen as a hashed snapshot),
    teruskan (a regency/city's province), terima (the ministry)."""
    caller = access.require_read(caller, kode_pemda)
    try:
        langkah = LangkahLppd.model_validate(data)
    except ValidationError as exc:
        raise invalid_from(exc) from None
    with uow:
        row = _get(uow, kode_pemda, tahun, for_update=True)
        try:
            ke = periksa(langkah.aksi, row["status"], caller, kode_pemda)
        except Ditolak as refused:
            error = Forbidden if refused.terlarang else Conflict
            raise error(refused.message, errors=[{"field": refused.field, "message": refused.message}]) from None
        after = {**row, "status": ke, "version": row["version"] + 1,
                 "riwayat": row["riwayat"] + [_entry(caller, langkah.aksi, langkah.catatan)]}
        if langkah.aksi == "ajukan":
            snapshot = json.dumps({"isi": row["isi"], "indikator": row["indikator"]}, sort_keys=True,
                                  separators=(",", ":"))
            after |= {"hash": hashlib.sha256(snapshot.encode()).hexdigest(), "diajukan_pada": _today()}
        return _save(uow, row, after)


def get_lppd(uow, caller: Scope | None, kode_pemda: str, tahun: int) -> LppdOut:
    access.require_read(caller, kode_pemda)
    with uow:
        return _out(uow, _get(uow, kode_pemda, tahun))


def get_lppd_publik(uow, kode_pemda: str, tahun: int) -> LppdPublikOut:
    """The LPPD as submitted, for everyone (the public portal): no caller is needed, read only, one pemda and year.
    Only a submitted report is answered, from its snapshot; a draft or verified one is NotFound, as is none."""
    with uow:
        row = uow.lppd.get(kode_pemda, tahun)
        if row is None or row["status"] not in TERBIT:
            raise NotFound(f"no submitted LPPD of {kode_pemda} for {tahun}")
        due = batas_waktu(tahun, uow.lppd.aturan_versi(row["versi_aturan"])["batas_bulan"])
        isi = row["isi"]
        return LppdPublikOut.model_validate({
            **{k: row[k] for k in ("kode_pemda", "tahun", "status", "diajukan_pada", "hash")},
            "batas_waktu": due, "terlambat": terlambat(due, row["diajukan_pada"], _today()),
            "urusan": [{**u, "bidang_urusan": [{k: v for k, v in b.items() if k != "sub_kegiatan"}
                                               for b in u["bidang_urusan"]]} for u in isi["urusan"]],
            **{k: isi.get(k) for k in ("total_pagu", "total_anggaran", "total_realisasi", "capaian")},
            "indikator": _indikator(uow, row)})


def lppd_audit(uow, caller: Scope | None, kode_pemda: str, tahun: int, offset: int = 0, limit: int = 50) -> dict:
    access.require_read(caller, kode_pemda)
    with uow:
        _get(uow, kode_pemda, tahun)
        return uow.trail(LPPD, f"{kode_pemda}:{tahun}", offset, limit)


def status_of(uow, tahun: int) -> dict[str, tuple[str, bool]]:
    """Per pemda: its LPPD's state and whether it is late (the national view's)."""
    found = {}
    rules: dict[str, int] = {}
    for kode, (status, diajukan, versi) in uow.lppd.status_of(tahun).items():
        if versi not in rules:
            rules[versi] = uow.lppd.aturan_versi(versi)["batas_bulan"]
        found[kode] = (status, terlambat(batas_waktu(tahun, rules[versi]), diajukan, _today()))
    return found
