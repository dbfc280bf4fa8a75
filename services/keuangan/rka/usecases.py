"""RKA-SKPD: a sub kegiatan's lines as SIPD groups them, TAPD's verification notes and the SKPD's answers, and the
XLSX import of an SKPD's lines (validated whole, applied atomically, every bad row reported).

A single line is added by ``rincian/usecases.py`` ``create_rka_rincian`` (the same rules the import applies).
"""
from __future__ import annotations

import base64
import binascii
import uuid
from decimal import Decimal
from typing import Any

from pydantic import ValidationError

from contracts.keuangan import (
    ImporRkaOut, RincianOut, RkaRincianBaru, RkaSubKegiatanOut, TanggapanBaru, VerifikasiBaru, VerifikasiOut,
)
from sipd_common import access, berkas, idempotency
from sipd_common.access import Scope
from sipd_common.errors import Invalid, NotFound
from sipd_common.validation import invalid_from, record_id

from ..apbd.usecases import require_terbuka
from ..jadwal.domain import RKA
from ..jadwal.usecases import require_tahap
from ..plafon.domain import Ditolak, Plafon, status
from ..plafon.usecases import plafon_changed, plafon_out
from ..policy import POLICY, Aksi
from ..replika import usecases as replika
from ..rincian.usecases import baris_rka
from . import dokumen
from .domain import KOLOM_WAJIB, baris_impor, kelompokkan, kolom_of, nama_kolom

IMPOR, VERIFIKASI = "rka_impor", "rka_verifikasi"  # record types of the audit trail


def _parse(model, data: dict):
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise invalid_from(exc) from None


def _ceiling(uow, caller: Scope | None, kode_pemda: str, tahun: int, rkpd_id: str):
    """The ceiling of an RKPD item the caller may read; NotFound as for one that does not exist."""
    return access.require_readable(
        caller, kode_pemda, lambda: uow.plafon.get(kode_pemda, tahun, record_id(rkpd_id, "RKA sub kegiatan")),
        lambda p: p.kode_skpd, f"no RKA sub kegiatan {rkpd_id} in {kode_pemda}/{tahun}")


def get_rka_sub_kegiatan(uow, caller: Scope | None, kode_pemda: str, tahun: int, rkpd_id: str) -> RkaSubKegiatanOut:
    """The RKA of one sub kegiatan: its ceilings (total and per funding source) and its lines as a tree."""
    with uow:
        p = _ceiling(uow, caller, kode_pemda, tahun, rkpd_id)
        lines = uow.rincian.of_sub_kegiatan(kode_pemda, tahun, p.rkpd_id)
    rows = [RincianOut.model_validate({**r, "status": status(r["pagu"], r["total_rincian"], r["rencana_dihapus"])})
            for r in lines]
    tree = kelompokkan([{"kelompok": r.kelompok, "keterangan": r.keterangan, "jumlah": r.jumlah, "line": r}
                        for r in rows])
    for k in tree:
        for ket in k["keterangan"]:
            ket["rincian"] = [x["line"] for x in ket["rincian"]]
    return RkaSubKegiatanOut(plafon=plafon_out(p), kelompok=tree)


# -- TAPD's verification notes ---------------------------------------------------------------------------------

def _verifikasi_out(row: dict) -> VerifikasiOut:
    return VerifikasiOut.model_validate(row)


def create_verifikasi(uow, caller: Scope | None, kode_pemda: str, tahun: int, rkpd_id: str, data: dict,
                      idempotency_key: str | None = None) -> VerifikasiOut:
    """TAPD notes something about an SKPD's RKA of one sub kegiatan (SIPD: fokus_uraian, catatan_verifikasi); with
    ``idempotency_key``, once (a repeat answers the first answer)."""
    caller = POLICY.require(caller, Aksi.VERIFIKASI_RKA, kode_pemda)
    body = _parse(VerifikasiBaru, data)
    with uow:
        if (earlier := idempotency.first_answer(uow, caller, idempotency_key, VerifikasiOut, "create_verifikasi",
                                                kode_pemda, tahun, rkpd_id, body)) is not None:
            return earlier
        p = _ceiling(uow, caller, kode_pemda, tahun, rkpd_id)
        values = {"id": str(uuid.uuid4()), "kode_pemda": kode_pemda, "tahun": tahun, "rkpd_id": p.rkpd_id,
                  "kode_skpd": p.kode_skpd, **body.model_dump(), "dibuat_oleh": caller.username, "tanggapan": None,
                  "ditanggapi_oleh": None}
        uow.verifikasi.add(values)
        out = _verifikasi_out(values)
        uow.audit(VERIFIKASI, out.id, "create", None, out.model_dump(mode="json"), kode_pemda=kode_pemda,
                  tahun=tahun, kode_skpd=p.kode_skpd)
        idempotency.complete(uow, caller, idempotency_key, out)
        uow.commit()
    return out


def answer_verifikasi(uow, caller: Scope | None, kode_pemda: str, tahun: int, id: str, data: dict) -> VerifikasiOut:
    """The SKPD answers a note on its own RKA (SIPD: tanggapan_opd); a later answer replaces it, audited."""
    caller = POLICY.require(caller, Aksi.TANGGAPI_VERIFIKASI, kode_pemda)
    body = _parse(TanggapanBaru, data)
    with uow:
        row = access.require_readable(
            caller, kode_pemda, lambda: uow.verifikasi.lock(kode_pemda, tahun, record_id(id, "verification note")),
            lambda r: r["kode_skpd"], f"no verification note {id} in {kode_pemda}/{tahun}")
        POLICY.require(caller, Aksi.TANGGAPI_VERIFIKASI, kode_pemda, row["kode_skpd"])
        before = _verifikasi_out(row)
        uow.verifikasi.answer(row["id"], body.tanggapan, caller.username)
        out = _verifikasi_out({**row, "tanggapan": body.tanggapan, "ditanggapi_oleh": caller.username})
        uow.audit(VERIFIKASI, out.id, "update", before.model_dump(mode="json"), out.model_dump(mode="json"),
                  kode_pemda=kode_pemda, tahun=tahun, kode_skpd=row["kode_skpd"])
        uow.commit()
    return out


def list_verifikasi(uow, caller: Scope | None, kode_pemda: str, tahun: int, rkpd_id: str) -> dict:
    """The notes on one sub kegiatan's RKA, oldest first, with the SKPD's answers."""
    with uow:
        p = _ceiling(uow, caller, kode_pemda, tahun, rkpd_id)
        rows = uow.verifikasi.of_sub_kegiatan(kode_pemda, tahun, p.rkpd_id)
    return {"items": [_verifikasi_out(r) for r in rows], "total": len(rows)}


# -- the XLSX import ------------------------------------------------------------------------------------------

class _Temuan:
    """Every bad cell of an import, by row (the header is row 1) and column."""

    def __init__(self):
        self.errors: list[dict[str, Any]] = []

    def add(self, baris: int, kolom: str, pesan: str) -> None:
        self.errors.append({"baris": baris, "kolom": kolom, "pesan": pesan})

    def invalid(self, baris: int, exc: Invalid) -> None:
        for e in exc.errors or [{"field": "body", "message": str(exc)}]:
            self.add(baris, kolom_of(e["field"]), e["message"])

    def in_order(self) -> list[dict[str, Any]]:
        """By row (a row's findings as they were noted): the rows are checked in two passes."""
        return sorted(self.errors, key=lambda e: e["baris"])


def _read(content_b64: str, file_name: str):
    try:
        content = base64.b64decode(content_b64, validate=True)
    except (binascii.Error, ValueError):
        raise Invalid.field("file", "not base64") from None
    try:
        header, rows = berkas.baca(content, file_name)
    except berkas.BerkasTidakTerbaca as exc:
        raise Invalid.field("file", str(exc)) from None
    return [nama_kolom(h) for h in header], rows


class _Memo:
    """The replica's records an import needs, each looked up once; the account flags in force for the year."""

    def __init__(self, uow, tanda):
        self.uow, self.held, self.tanda = uow, {}, tanda

    def prime(self, rows: list[tuple[int, Plafon, RkaRincianBaru]], kode_pemda: str, tahun: int) -> None:
        """Every record the rows name, one query per list (a code not held is left to ``find``: it may be on its
        way while the list is first filled)."""
        wanted = {"rekening": {(b.kode_rekening,) for _, _, b in rows},
                  "standar_harga": {(kode_pemda, tahun, b.kode_standar_harga) for _, _, b in rows},
                  "sumber_dana": {(b.kode_sumber_dana,) for _, _, b in rows}}
        for kind, keys in wanted.items():
            for key, found in self.uow.replika.get_many(kind, keys).items():
                self.held[(kind, key)] = found

    def find(self, kind: str, *key):
        if (kind, key) not in self.held:
            self.held[(kind, key)] = replika.find(self.uow, kind, *key)
        return self.held[(kind, key)]


def import_rka(uow, caller: Scope | None, kode_pemda: str, tahun: int, kode_skpd: str, content_b64: str,
               file_name: str = "rka.xlsx") -> ImporRkaOut:
    """An SKPD's RKA lines from a file (XLSX, or CSV), one line a row: for every sub kegiatan the file names, its
    lines are replaced by the file's. Validated whole by the rules of a single line (``create_rka_rincian``) and
    the ceilings (the total's and each funding source's, after the replaced lines are gone); applied in one
    transaction, or, with any bad row, not at all and every bad cell reported. Importing the same file twice
    leaves the same lines."""
    caller = POLICY.require(caller, Aksi.IMPOR_RKA, kode_pemda, kode_skpd)
    header, cells = _read(content_b64, file_name)
    temuan = _Temuan()
    missing = [k for k in KOLOM_WAJIB if k not in header]
    for kolom in missing:
        temuan.add(1, kolom, "missing column")
    with uow:
        require_tahap(uow, kode_pemda, tahun, RKA)  # inside the stage's window (jadwal anggaran)
        require_terbuka(uow, kode_pemda, tahun)  # an import is writes too: not once submitted or enacted
        ceilings = {p.kode_sub_kegiatan: p for p in uow.plafon.of_skpd(kode_pemda, tahun, kode_skpd)}
        bodies: list[tuple[int, Plafon, RkaRincianBaru]] = []
        count = 0
        try:
            for number, values in cells:
                count += 1
                if missing or not any(v not in (None, "") for v in values):
                    continue
                body = _body(temuan, number, dict(zip(header, values)), ceilings, kode_pemda, tahun, kode_skpd)
                if body is not None:
                    bodies.append((number, *body))
        except berkas.BerkasTidakTerbaca as exc:
            raise Invalid.field("file", str(exc)) from None
        memo = _Memo(uow, uow.tanda.untuk(tahun))
        memo.prime(bodies, kode_pemda, tahun)
        lines: list[tuple[int, dict]] = []
        for number, p, baru in bodies:
            line = _line(memo, temuan, number, p, baru, kode_pemda, tahun)
            if line is not None:
                lines.append((number, line))
        report = {"kode_skpd": kode_skpd, "jumlah_baris": count, "jumlah_sub_kegiatan": 0, "jumlah_rincian": 0,
                  "total": Decimal(0)}
        if temuan.errors:
            return ImporRkaOut.model_validate({**report, "errors": temuan.in_order()})
        rkpd_ids = sorted({line["rkpd_id"] for _, line in lines})
        locked = {p.rkpd_id: p for p in uow.plafon.lock_many(kode_pemda, tahun, rkpd_ids)}
        for old in uow.rincian.delete_under(kode_pemda, tahun, rkpd_ids):
            locked[old["rkpd_id"]].hapus_rincian(old["jumlah"], old["kode_sumber_dana"])
        for number, line in lines:
            try:
                locked[line["rkpd_id"]].tambah_rincian(line["jumlah"], line["kode_sumber_dana"])
            except Ditolak as refused:
                for e in refused.pelanggaran:
                    temuan.add(number, kolom_of(e.field), e.message)
        if temuan.errors:
            uow.rollback()
            return ImporRkaOut.model_validate({**report, "errors": temuan.errors})
        uow.rincian.add_many([line for _, line in lines])
        changed = list(locked.values())
        uow.plafon.save_all(changed)
        uow.emit_many([plafon_changed(p) for p in changed])
        out = ImporRkaOut.model_validate({**report, "jumlah_sub_kegiatan": len(rkpd_ids), "jumlah_rincian": len(lines),
                                          "total": sum((line["jumlah"] for _, line in lines), Decimal(0)),
                                          "errors": []})
        uow.audit(IMPOR, f"{kode_skpd}", "update", None, {**out.model_dump(mode="json"), "file": file_name},
                  kode_pemda=kode_pemda, tahun=tahun, kode_skpd=kode_skpd)
        uow.commit()
    return out


def _body(temuan: _Temuan, number: int, row: dict, ceilings: dict, kode_pemda: str, tahun: int,
          kode_skpd: str) -> tuple[Plafon, RkaRincianBaru] | None:
    """One row's ceiling and line as given; None (its findings noted) when it has no ceiling or is malformed."""
    kode_sub_kegiatan = str(row.get("kode_sub_kegiatan") or "").strip()
    p = ceilings.get(kode_sub_kegiatan)
    if p is None:
        temuan.add(number, "kode_sub_kegiatan", f"no sub kegiatan {kode_sub_kegiatan or '(empty)'} of SKPD "
                                                f"{kode_skpd} with a ceiling in {kode_pemda}/{tahun}")
        return None
    try:
        return p, RkaRincianBaru.model_validate({**baris_impor(row), "rkpd_id": p.rkpd_id})
    except ValidationError as exc:
        temuan.invalid(number, invalid_from(exc))
        return None


def _line(memo: _Memo, temuan: _Temuan, number: int, p: Plafon, baru: RkaRincianBaru, kode_pemda: str,
          tahun: int) -> dict | None:
    """A well-formed row as the stored values of its line; None (its findings noted) when it breaks a rule."""
    rekening = memo.find("rekening", baru.kode_rekening)
    try:
        line = baris_rka(baru, rekening, memo.find("standar_harga", kode_pemda, tahun, baru.kode_standar_harga),
                         memo.find("sumber_dana", baru.kode_sumber_dana), kode_pemda, tahun, p.kode_sub_kegiatan,
                         memo.tanda)
    except Invalid as exc:
        temuan.invalid(number, exc)
        return None
    return {**line, "id": str(uuid.uuid4()), "kode_pemda": kode_pemda, "tahun": tahun, "nama_rekening": rekening.nama,
            "revisi_rekening": rekening.revisi}


# -- the printed RKA-SKPD -------------------------------------------------------------------------------------

def dokumen_rka(uow, caller: Scope | None, kode_pemda: str, tahun: int, kode_skpd: str, format: str) -> dict:
    """An SKPD's RKA-SKPD (rincian belanja) as XLSX or PDF, from its lines as they stand (as enacted once the APBD
    is: its lines are closed then). ``{"filename", "content_type", "content"}`` (content base64)."""
    access.require_read_skpd(caller, kode_pemda, kode_skpd)
    if format not in dokumen.FORMATS:
        raise Invalid.field("format", f"format is one of {', '.join(dokumen.FORMATS)}")
    with uow:
        lines = uow.rincian.of_skpd(kode_pemda, tahun, kode_skpd)
        nama = uow.apbd.nama_skpd(kode_pemda, [kode_skpd]).get(kode_skpd, "")
        apbd = uow.apbd.get(kode_pemda, tahun)
    keadaan = {"ditetapkan": "APBD ditetapkan"}.get(apbd.status if apbd else "draft", "rancangan (draft)")
    content_type, make = dokumen.FORMATS[format]
    return {"filename": f"rka-{kode_pemda}-{tahun}-{kode_skpd}.{format}", "content_type": content_type,
            "content": base64.b64encode(make(dokumen.rka(kode_pemda, tahun, kode_skpd, nama, lines, keadaan)))
            .decode("ascii")}
