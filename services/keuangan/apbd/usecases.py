"""The APBD: its summary and legal ratios (from the lines, or as enacted), its submission to its evaluator,
the evaluation, and its enactment (a content-hashed snapshot kept as enacted, ``apbd.ditetapkan`` published).

Every write to a pemda-year's lines, revenue and financing asks ``require_terbuka`` first: the one place that
refuses (409, naming ``status``) a change while the evaluator holds the budget, after a ``sesuai``, or once
enacted (a change then is the APBD-P's).
"""
from __future__ import annotations

import base64
from datetime import datetime, timezone

from contracts.keuangan import (
    ApbdDitetapkan, ApbdDitetapkanOut, ApbdOut, EvaluasiApbd, PenetapanApbd, PenetapanApbdOut, RasioApbdOut,
    RingkasanApbdOut, RingkasanMenurutOut,
)
from pydantic import ValidationError

from sipd_common import access
from sipd_common.access import Scope
from sipd_common.errors import Conflict, Invalid, NotFound
from sipd_common.validation import invalid_from

from ..jadwal.domain import RAPBD
from ..jadwal.usecases import require_tahap
from ..plafon.domain import Pelanggaran
from ..policy import POLICY, Aksi
from . import domain, lampiran
from .domain import Apbd, Ditolak, JumlahAnggaran, JumlahBelanja

APBD = "apbd"  # the record type of the audit trail
DRAFT, DITETAPKAN = "draft", "ditetapkan"


def invalid(errors: list[Pelanggaran]) -> Invalid:
    return Invalid("; ".join(e.message for e in errors),
                   errors=[{"field": e.field, "message": e.message} for e in errors])


def conflict(refused: Ditolak) -> Conflict:
    return Conflict(str(refused), errors=[{"field": p.field, "message": p.message} for p in refused.pelanggaran])


def require_terbuka(uow, kode_pemda: str, tahun: int) -> None:
    """Inside the write's transaction: the pemda-year's budget is open to change (``domain.periksa_terbuka``),
    else ``Conflict`` naming ``status``; the state is held (shared) until the write commits."""
    held = uow.apbd.terbuka(kode_pemda, tahun)
    try:
        domain.periksa_terbuka(kode_pemda, tahun, *(held or (domain.DRAFT, None)))
    except Ditolak as refused:
        raise conflict(refused) from None


# -- the amounts ---------------------------------------------------------------------------------------------

def _belanja(uow, kode_pemda: str, tahun: int, view: str) -> list[JumlahBelanja]:
    """The lines summed in the database per what ``view`` shows (``domain.KUNCI_MENURUT``)."""
    rows = uow.rincian.jumlah_per(kode_pemda, tahun, domain.KUNCI_MENURUT[view])
    return [JumlahBelanja(**{("kode_rekening" if k == "kelompok_rekening" else k): v for k, v in row.items()})
            for row in rows]


def _anggaran(uow, kode_pemda: str, tahun: int) -> list[JumlahAnggaran]:
    return [JumlahAnggaran(*row) for row in uow.pendapatan.jumlah_per_akun(kode_pemda, tahun)]


def _ringkasan(uow, kode_pemda: str, tahun: int, tingkat: int) -> RingkasanApbdOut:
    belanja, anggaran = _belanja(uow, kode_pemda, tahun, "akun"), _anggaran(uow, kode_pemda, tahun)
    i = domain.identitas(belanja, anggaran)
    akun = domain.per_akun(belanja, anggaran, tingkat)
    names = uow.apbd.nama_rekening([kode for kode, _, _ in akun])
    return RingkasanApbdOut(
        kode_pemda=kode_pemda, tahun=tahun, sumber=DRAFT, pendapatan=i.pendapatan, belanja=i.belanja,
        belanja_kelompok=i.belanja_kelompok, surplus_defisit=i.surplus_defisit,
        penerimaan_pembiayaan=i.penerimaan_pembiayaan, pengeluaran_pembiayaan=i.pengeluaran_pembiayaan,
        pembiayaan_netto=i.pembiayaan_netto, silpa=i.silpa,
        akun=[{"kode": kode, "nama": names.get(kode), "tingkat": level, "jumlah": jumlah}
              for kode, level, jumlah in akun])


def _menurut(uow, kode_pemda: str, tahun: int, by: str) -> RingkasanMenurutOut:
    rows = domain.menurut(_belanja(uow, kode_pemda, tahun, by), _anggaran(uow, kode_pemda, tahun), by)
    kodes = [r.kode for r in rows]
    names = uow.apbd.nama_skpd(kode_pemda, kodes) if by == "skpd" else uow.apbd.nama_nomenklatur(kode_pemda, kodes)
    return RingkasanMenurutOut(kode_pemda=kode_pemda, tahun=tahun, sumber=DRAFT, menurut=by, baris=[
        {"kode": r.kode, "nama": names.get(r.kode), "tingkat": r.tingkat, "pendapatan": r.pendapatan,
         "belanja_kelompok": r.belanja_kelompok, "belanja": r.belanja} for r in rows])


def _rasio(uow, kode_pemda: str, tahun: int) -> RasioApbdOut:
    belanja = _belanja(uow, kode_pemda, tahun, "rasio")
    tanda = uow.tanda.untuk(tahun)
    return RasioApbdOut(kode_pemda=kode_pemda, tahun=tahun, sumber=DRAFT, rasio=[
        vars(h) for h in domain.semua_rasio(uow.apbd.aturan_rasio(), belanja, tahun, tanda.of)])


def _isi(uow, kode_pemda: str, tahun: int) -> dict:
    """Everything the APBD is, from its lines: as enactment keeps it."""
    return {"ringkasan": _ringkasan(uow, kode_pemda, tahun, 6),
            **{by: _menurut(uow, kode_pemda, tahun, by) for by in domain.MENURUT},
            "rasio": _rasio(uow, kode_pemda, tahun)}


def _sumber(sumber: str) -> None:
    if sumber not in (DRAFT, DITETAPKAN):
        raise Invalid.field("sumber", "sumber is `draft` or `ditetapkan`")


def _enacted(uow, kode_pemda: str, tahun: int) -> ApbdDitetapkanOut:
    row = uow.apbd.ditetapkan(kode_pemda, tahun)
    if row is None:
        raise NotFound(f"the APBD {kode_pemda}/{tahun} is not enacted")
    return ApbdDitetapkanOut.model_validate({**row, **row["isi"]})


def ringkasan(uow, caller: Scope | None, kode_pemda: str, tahun: int, tingkat: int = 3,
              sumber: str = DRAFT) -> RingkasanApbdOut:
    """The structure and identities, with the amounts per account to ``tingkat`` (1–6)."""
    access.require_read(caller, kode_pemda)
    _sumber(sumber)
    if not 1 <= tingkat <= 6:
        raise Invalid.field("tingkat", "tingkat is 1 (akun) to 6 (sub rincian objek)")
    with uow:
        if sumber == DITETAPKAN:
            out = _enacted(uow, kode_pemda, tahun).ringkasan
            return out.model_copy(update={"akun": [a for a in out.akun if a.tingkat <= tingkat]})
        return _ringkasan(uow, kode_pemda, tahun, tingkat)


def ringkasan_menurut(uow, caller: Scope | None, kode_pemda: str, tahun: int, menurut: str,
                      sumber: str = DRAFT) -> RingkasanMenurutOut:
    access.require_read(caller, kode_pemda)
    _sumber(sumber)
    if menurut not in domain.MENURUT:
        raise Invalid.field("menurut", f"menurut is one of {', '.join(domain.MENURUT)}")
    with uow:
        if sumber == DITETAPKAN:
            return getattr(_enacted(uow, kode_pemda, tahun), menurut)
        return _menurut(uow, kode_pemda, tahun, menurut)


def rasio(uow, caller: Scope | None, kode_pemda: str, tahun: int, sumber: str = DRAFT) -> RasioApbdOut:
    access.require_read(caller, kode_pemda)
    _sumber(sumber)
    with uow:
        if sumber == DITETAPKAN:
            return _enacted(uow, kode_pemda, tahun).rasio
        return _rasio(uow, kode_pemda, tahun)


# -- the record: submission, evaluation, enactment ---------------------------------------------------------

def _out(uow, a: Apbd) -> ApbdOut:
    enacted = uow.apbd.ditetapkan(a.kode_pemda, a.tahun, isi=False) if a.status == DITETAPKAN else None
    return ApbdOut(kode_pemda=a.kode_pemda, tahun=a.tahun, status=a.status,
                   evaluator=access.evaluator_of(a.kode_pemda), hasil_evaluasi=a.hasil_evaluasi, terbuka=a.terbuka,
                   evaluasi=a.evaluasi, penetapan=PenetapanApbdOut.model_validate(enacted) if enacted else None,
                   version=a.version)


def get_apbd(uow, caller: Scope | None, kode_pemda: str, tahun: int) -> ApbdOut:
    access.require_read(caller, kode_pemda)
    with uow:
        return _out(uow, uow.apbd.get(kode_pemda, tahun) or Apbd(kode_pemda, tahun))


def _step(uow, kode_pemda: str, tahun: int, change) -> tuple[Apbd, Apbd]:
    """Lock the APBD, apply ``change`` to a copy; a step its state does not allow is a 409 naming ``status``."""
    before = uow.apbd.lock(kode_pemda, tahun)
    after = Apbd(**{**vars(before), "evaluasi": list(before.evaluasi)})
    try:
        change(after)
    except Ditolak as refused:
        raise conflict(refused) from None
    uow.apbd.save(after)
    uow.audit(APBD, f"{kode_pemda}:{tahun}", "update" if before.version else "create",
              _trail(before) if before.version else None, _trail(after), kode_pemda=kode_pemda, tahun=tahun)
    return before, after


def _trail(a: Apbd) -> dict:
    return {"status": a.status, "hasil_evaluasi": a.hasil_evaluasi, "evaluasi": a.evaluasi, "version": a.version}


def ajukan_apbd(uow, caller: Scope | None, kode_pemda: str, tahun: int) -> ApbdOut:
    """The draft (or the corrected draft) to its evaluator; its lines, revenue and financing are closed meanwhile."""
    caller = POLICY.require(caller, Aksi.AJUKAN_APBD, kode_pemda)
    with uow:
        require_tahap(uow, kode_pemda, tahun, RAPBD)  # inside the draft APBD's window
        _, after = _step(uow, kode_pemda, tahun, Apbd.ajukan)
        uow.commit()
        return _out(uow, after)


def catatan_evaluasi(caller: Scope, kode_pemda: str, data: dict) -> tuple[str, dict]:
    """The evaluator's result (an APBD's or an APBD-P's) validated, and the record kept of it: who evaluated, as
    which level, when. A ``tidak_sesuai`` without findings is refused naming ``temuan``."""
    evaluasi = _validated(EvaluasiApbd, data)
    errors = domain.periksa_evaluasi(evaluasi.hasil, evaluasi.temuan)
    if errors:
        raise invalid(errors)
    return evaluasi.hasil, {**evaluasi.model_dump(mode="json"), "evaluator": access.evaluator_of(kode_pemda),
                            "oleh": caller.username, "pada": datetime.now(timezone.utc).isoformat()}


def evaluasi_apbd(uow, caller: Scope | None, kode_pemda: str, tahun: int, data: dict) -> ApbdOut:
    """The evaluator's result (its users only: the province of a regency/city, the pusat for a province):
    ``sesuai``, or ``tidak_sesuai`` with findings, which reopens the draft for its corrections."""
    caller = POLICY.require(caller, Aksi.EVALUASI_APBD, kode_pemda)
    hasil, catatan = catatan_evaluasi(caller, kode_pemda, data)
    with uow:
        require_tahap(uow, kode_pemda, tahun, RAPBD)  # inside the draft APBD's window
        _, after = _step(uow, kode_pemda, tahun, lambda a: a.evaluasi_dicatat(hasil, catatan))
        uow.commit()
        return _out(uow, after)


def tetapkan_apbd(uow, caller: Scope | None, kode_pemda: str, tahun: int, data: dict) -> ApbdOut:
    """The evaluated (``sesuai``) APBD enacted by its Perda and Perkada penjabaran: its summary and ratios kept
    as enacted (content-hashed, never changed), ``apbd.ditetapkan`` published, its lines closed for good."""
    caller = POLICY.require(caller, Aksi.TETAPKAN_APBD, kode_pemda)
    penetapan = _validated(PenetapanApbd, data)
    with uow:
        require_tahap(uow, kode_pemda, tahun, RAPBD)  # inside the draft APBD's window
        _, after = _step(uow, kode_pemda, tahun, Apbd.tetapkan)
        isi = {k: v.model_dump(mode="json") for k, v in _isi(uow, kode_pemda, tahun).items()}
        for view in isi.values():
            view["sumber"] = DITETAPKAN
        dasar = penetapan.model_dump(mode="json")
        digest = domain.hash_isi({"kode_pemda": kode_pemda, "tahun": tahun, **dasar, "isi": isi})
        uow.apbd.add_ditetapkan({"kode_pemda": kode_pemda, "tahun": tahun, **penetapan.model_dump(), "isi": isi,
                                 "hash": digest, "ditetapkan_oleh": caller.username})
        r = isi["ringkasan"]
        uow.emit(ApbdDitetapkan(
            kode_pemda=kode_pemda, tahun=tahun, aggregate_id=f"{kode_pemda}:{tahun}", aggregate_version=after.version,
            **penetapan.model_dump(), pendapatan=r["pendapatan"], belanja=r["belanja"],
            pembiayaan_netto=r["pembiayaan_netto"], silpa=r["silpa"], hash=digest))
        uow.commit()
        return _out(uow, after)


def get_penetapan(uow, caller: Scope | None, kode_pemda: str, tahun: int) -> ApbdDitetapkanOut:
    """The APBD as enacted, whole (its Perda, Perkada, summary, ratios and hash)."""
    access.require_read(caller, kode_pemda)
    with uow:
        return _enacted(uow, kode_pemda, tahun)


def get_apbd_terbit(uow, kode_pemda: str, tahun: int) -> ApbdDitetapkanOut:
    """The APBD as enacted, for everyone (the public portal, open data): no caller is needed, and only an enacted
    (content-hashed, never changed) APBD is answered; a draft, submitted or evaluated one is NotFound."""
    with uow:
        return _enacted(uow, kode_pemda, tahun)


def dokumen_lampiran(uow, caller: Scope | None, kode_pemda: str, tahun: int, format: str) -> dict:
    """Lampiran I of the Perda APBD (summary by kelompok and jenis) as XLSX or PDF: as enacted once enacted, the
    draft before. ``{"filename", "content_type", "content"}`` (content base64)."""
    access.require_read(caller, kode_pemda)
    if format not in lampiran.FORMATS:
        raise Invalid.field("format", f"format is one of {', '.join(lampiran.FORMATS)}")
    with uow:
        enacted = uow.apbd.ditetapkan(kode_pemda, tahun)
        if enacted is not None:
            out = ApbdDitetapkanOut.model_validate({**enacted, **enacted["isi"]})
            r = out.ringkasan.model_copy(update={"akun": [a for a in out.ringkasan.akun if a.tingkat <= 3]})
            keadaan = f"{out.nomor_perda} ({out.tanggal_perda.isoformat()}), sha256 {out.hash[:12]}"
        else:
            r, keadaan = _ringkasan(uow, kode_pemda, tahun, 3), "rancangan (draft)"
    doc = lampiran.susun(r, keadaan)
    content_type, make = lampiran.FORMATS[format]
    return {"filename": f"apbd-{kode_pemda}-{tahun}-lampiran-i.{format}", "content_type": content_type,
            "content": base64.b64encode(make(doc)).decode("ascii")}


def _validated(model, data: dict):
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise invalid_from(exc) from None
