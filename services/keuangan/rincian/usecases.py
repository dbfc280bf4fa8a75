"""Budget lines: added under a ceiling, read by the pemda (flagged or renamed as the accounts change:
``replika/usecases.py``).

Every RPC use case checks its caller first (``policy.py`` for writes, ``sipd_common.access`` for
reads). A budget line belongs to the SKPD of its ceiling's RKPD item. The account is checked against
keuangan's own replica of the chart of accounts: no RPC to referensi.
"""
from __future__ import annotations

import uuid

from pydantic import ValidationError

from contracts.keuangan import RincianBaru, RincianOut, RkaRincianBaru
from sipd_common import access, idempotency
from sipd_common.access import Scope
from sipd_common.errors import Invalid
from sipd_common.validation import invalid_from, record_id

from ..apbd.usecases import require_terbuka
from ..jadwal.domain import RKA
from ..jadwal.usecases import require_tahap
from ..plafon.domain import Ditolak, Pelanggaran, status
from ..plafon.usecases import plafon_changed
from ..policy import POLICY, Aksi
from ..replika import usecases as replika
from ..tanda.domain import WAJIB, TandaRekening, isian_tanda, periksa_tanda, yang_diisi
from .domain import (
    jumlah, jumlah_rka, koefisien_teks, periksa_komponen, periksa_rekening, periksa_sumber_dana, tanpa_plafon, volume,
)

RINCIAN = "rincian"  # the record type of the audit trail


def _invalid(errors: list[Pelanggaran]) -> Invalid:
    return Invalid("; ".join(e.message for e in errors),
                   errors=[{"field": e.field, "message": e.message} for e in errors])


def _refuse(errors: list[Pelanggaran]) -> None:
    if errors:
        raise _invalid(errors)


def _out(row: dict) -> RincianOut:
    """A stored line with its ceiling's state (``pagu``, ``total_rincian``, ``rencana_dihapus``)."""
    return RincianOut.model_validate(
        {**row, "status": status(row["pagu"], row["total_rincian"], row["rencana_dihapus"])})


def create_rincian(uow, caller: Scope | None, kode_pemda: str, tahun: int, data: dict,
                   idempotency_key: str | None = None) -> RincianOut:
    """A line under the ceiling of an RKPD item, on a current belanja sub rincian objek account; refused
    (nothing changed) above the ceiling or under a deleted plan item. With ``idempotency_key``, once: a
    repeat (a retry, a redelivery) answers the first answer and consumes the ceiling no more.

    The legacy path (``/apbd/{tahun}/rincian``): no component, amount exact (volume × harga satuan); what its
    account's flags ask is asked as of an RKA line (``tanda/domain.periksa_tanda``). An RKA-SKPD line is
    ``create_rka_rincian``."""
    caller = POLICY.require(caller, Aksi.CREATE_RINCIAN, kode_pemda)
    baru = _parse(RincianBaru, data)

    def priced(uow, rekening, p):
        isian = isian_tanda(baru)
        _refuse([*periksa_rekening(rekening),
                 *periksa_tanda(uow.tanda.untuk(tahun), baru.kode_rekening, p.kode_sub_kegiatan, yang_diisi(isian))])
        return {**baru.model_dump(exclude=set(WAJIB)), **isian, "jumlah": jumlah(baru.volume, baru.harga_satuan)}

    return _create(uow, caller, kode_pemda, tahun, baru, "create_rincian", idempotency_key, priced)


def create_rka_rincian(uow, caller: Scope | None, kode_pemda: str, tahun: int, data: dict,
                       idempotency_key: str | None = None) -> RincianOut:
    """An RKA-SKPD line: a component of the pemda's standard prices for the year on an account it allows, a unit
    price not above the standard price, a coefficient of up to four factors, a tax rate, a funding source (and
    what its account's flags ask: a recipient, a location, the salary sub kegiatan); its amount rounded to the rupiah
    (``jumlah_rka``). Refused, each field named and nothing changed, on any rule; above the item's ceiling or its
    funding source's."""
    caller = POLICY.require(caller, Aksi.CREATE_RINCIAN, kode_pemda)
    baru = _parse(RkaRincianBaru, data)

    def priced(uow, rekening, p):
        komponen = replika.find(uow, "standar_harga", kode_pemda, tahun, baru.kode_standar_harga)
        sumber_dana = replika.find(uow, "sumber_dana", baru.kode_sumber_dana)
        return baris_rka(baru, rekening, komponen, sumber_dana, kode_pemda, tahun, p.kode_sub_kegiatan,
                         uow.tanda.untuk(tahun))

    return _create(uow, caller, kode_pemda, tahun, baru, "create_rka_rincian", idempotency_key, priced)


def baris_rka(baru: RkaRincianBaru, rekening, komponen, sumber_dana, kode_pemda: str, tahun: int,
              kode_sub_kegiatan: str, tanda: TandaRekening) -> dict:
    """The stored values of an RKA line under ``kode_sub_kegiatan``, or ``Invalid`` naming every field that breaks a
    rule (its ceiling aside: that needs the lock). ``tanda``: the account flags in force for the year."""
    faktor = [(k.volume, k.satuan) for k in baru.koefisien]
    vol, errors = volume(faktor)
    isian = isian_tanda(baru)
    errors = [*periksa_rekening(rekening), *errors,
              *periksa_komponen(komponen, baru.kode_standar_harga, kode_pemda, tahun, baru.kode_rekening,
                                baru.harga_satuan),
              *periksa_sumber_dana(sumber_dana, baru.kode_sumber_dana),
              *periksa_tanda(tanda, baru.kode_rekening, kode_sub_kegiatan, yang_diisi(isian))]
    _refuse(errors)
    values = baru.model_dump(exclude={"koefisien", *WAJIB})
    return {**values, "uraian": baru.uraian or komponen.uraian, "spesifikasi": komponen.spesifikasi,
            "volume": vol, "satuan": " x ".join(s for _, s in faktor), "koefisien_teks": koefisien_teks(faktor),
            "koefisien": [k.model_dump(mode="json") for k in baru.koefisien], **isian,
            "jumlah": jumlah_rka(vol, baru.harga_satuan, baru.pajak)}


def _parse(model, data: dict):
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise invalid_from(exc) from None


def _create(uow, caller: Scope, kode_pemda: str, tahun: int, baru, operation: str, idempotency_key: str | None,
            priced) -> RincianOut:
    """The one way a line is added: checked (``priced``: the line's values or ``Invalid``), its ceiling locked and
    consumed (``Plafon.tambah_rincian``), stored, published, audited, in one transaction."""
    with uow:
        earlier = idempotency.first_answer(uow, caller, idempotency_key, RincianOut, operation, kode_pemda, tahun,
                                           baru.model_dump(mode="json"))
        if earlier is not None:
            return earlier
        require_tahap(uow, kode_pemda, tahun, RKA)  # inside the stage's window (jadwal anggaran)
        require_terbuka(uow, kode_pemda, tahun)  # not once submitted, evaluated sesuai or enacted
        # whose the ceiling is comes before the pricing rules: another SKPD's operator learns nothing of them
        # (403, not 422)
        p = uow.plafon.lock(baru.rkpd_id, kode_pemda, tahun)
        if p is None or not p.ada:
            _refuse([tanpa_plafon(baru.rkpd_id, kode_pemda, tahun)])
        POLICY.require(caller, Aksi.CREATE_RINCIAN, kode_pemda, p.kode_skpd)
        rekening = replika.find(uow, "rekening", baru.kode_rekening)
        line = priced(uow, rekening, p)
        try:
            p.tambah_rincian(line["jumlah"], line.get("kode_sumber_dana"))
        except Ditolak as refused:
            raise _invalid(refused.pelanggaran) from None
        values = {**line, "id": str(uuid.uuid4()), "kode_pemda": kode_pemda, "tahun": tahun,
                  "nama_rekening": rekening.nama, "revisi_rekening": rekening.revisi}
        uow.rincian.add(values)
        uow.plafon.save(p)
        uow.emit(plafon_changed(p))
        out = RincianOut.model_validate({**values, "status": p.status, "perlu_pemetaan": False, "pemetaan": []})
        uow.audit(RINCIAN, out.id, "create", None, out.model_dump(mode="json"), kode_pemda=kode_pemda, tahun=tahun,
                  kode_skpd=p.kode_skpd)
        idempotency.complete(uow, caller, idempotency_key, out)
        uow.commit()
    return out


def update_rka_rincian(uow, caller: Scope | None, kode_pemda: str, tahun: int, id: str, data: dict) -> RincianOut:
    """One line changed whole, by the rules of a new one (``baris_rka``: account, component, price, coefficient,
    funding source, the account's flags) and within its ceiling with its old amount taken out; it stays under its sub kegiatan
    (``rkpd_id``). Refused naming the field, nothing changed; 409 naming ``status`` once the budget is not open
    (submitted, evaluated sesuai or enacted: a change then is the APBD-P's). Audited, before and after."""
    caller = POLICY.require(caller, Aksi.UPDATE_RINCIAN, kode_pemda)
    baru = _parse(RkaRincianBaru, data)
    with uow:
        require_tahap(uow, kode_pemda, tahun, RKA)  # inside the stage's window (jadwal anggaran)
        require_terbuka(uow, kode_pemda, tahun)
        row = _readable(uow, caller, kode_pemda, tahun, id)
        p = uow.plafon.lock(row["rkpd_id"], kode_pemda, tahun)
        POLICY.require(caller, Aksi.UPDATE_RINCIAN, kode_pemda, p.kode_skpd)
        if baru.rkpd_id != row["rkpd_id"]:
            _refuse([Pelanggaran("rkpd_id", f"a line stays under its sub kegiatan {row['rkpd_id']}: delete it and "
                                            "add one under the other")])
        rekening = replika.find(uow, "rekening", baru.kode_rekening)
        komponen = replika.find(uow, "standar_harga", kode_pemda, tahun, baru.kode_standar_harga)
        sumber_dana = replika.find(uow, "sumber_dana", baru.kode_sumber_dana)
        line = baris_rka(baru, rekening, komponen, sumber_dana, kode_pemda, tahun, p.kode_sub_kegiatan,
                         uow.tanda.untuk(tahun))
        p.hapus_rincian(row["jumlah"], row.get("kode_sumber_dana"))
        try:
            p.tambah_rincian(line["jumlah"], line.get("kode_sumber_dana"))
        except Ditolak as refused:
            raise _invalid(refused.pelanggaran) from None
        values = {**line, "nama_rekening": rekening.nama, "revisi_rekening": rekening.revisi}
        uow.rincian.update(row["id"], values)
        uow.plafon.save(p)
        uow.emit(plafon_changed(p))
        before = _out(row).model_dump(mode="json")
        out = _out(uow.rincian.get(kode_pemda, tahun, row["id"]))
        uow.audit(RINCIAN, out.id, "update", before, out.model_dump(mode="json"), kode_pemda=kode_pemda, tahun=tahun,
                  kode_skpd=p.kode_skpd)
        uow.commit()
    return out


def delete_rincian(uow, caller: Scope | None, kode_pemda: str, tahun: int, id: str) -> None:
    """One line removed, its amount given back to its ceiling (and its funding source's); 409 naming ``status`` once
    the budget is not open. Audited (the line as it was)."""
    caller = POLICY.require(caller, Aksi.DELETE_RINCIAN, kode_pemda)
    with uow:
        require_tahap(uow, kode_pemda, tahun, RKA)  # inside the stage's window (jadwal anggaran)
        require_terbuka(uow, kode_pemda, tahun)
        row = _readable(uow, caller, kode_pemda, tahun, id)
        p = uow.plafon.lock(row["rkpd_id"], kode_pemda, tahun)
        POLICY.require(caller, Aksi.DELETE_RINCIAN, kode_pemda, p.kode_skpd)
        p.hapus_rincian(row["jumlah"], row.get("kode_sumber_dana"))
        uow.rincian.delete(row["id"])
        uow.plafon.save(p)
        uow.emit(plafon_changed(p))
        uow.audit(RINCIAN, row["id"], "delete", _out(row).model_dump(mode="json"), None, kode_pemda=kode_pemda,
                  tahun=tahun, kode_skpd=p.kode_skpd)
        uow.commit()


def _readable(uow, caller: Scope | None, kode_pemda: str, tahun: int, id: str) -> dict:
    return access.require_readable(
        caller, kode_pemda, lambda: uow.rincian.get(kode_pemda, tahun, record_id(id, "budget line")),
        lambda row: row["kode_skpd"], f"no budget line {id} in {kode_pemda}/{tahun}")


def get_rincian(uow, caller: Scope | None, kode_pemda: str, tahun: int, id: str) -> RincianOut:
    with uow:
        return _out(_readable(uow, caller, kode_pemda, tahun, id))


def rincian_audit(uow, caller: Scope | None, kode_pemda: str, tahun: int, id: str, offset: int = 0,
                  limit: int = 50) -> dict:
    """Every write to one line, oldest first (a page), for whoever may read the line."""
    with uow:
        row = _readable(uow, caller, kode_pemda, tahun, id)
        return uow.trail(RINCIAN, row["id"], offset, limit)


def list_rincian(uow, caller: Scope | None, kode_pemda: str, tahun: int, offset: int = 0, limit: int = 50,
                 rkpd_id: str | None = None) -> dict:
    """The lines of a pemda and year (an SKPD operator: its own SKPD's), optionally of one RKPD item."""
    caller = access.require_read(caller, kode_pemda)
    if rkpd_id is not None:
        try:
            rkpd_id = str(uuid.UUID(rkpd_id))
        except ValueError:
            raise Invalid.field("rkpd_id", "must be a UUID") from None
    with uow:
        rows, total = uow.rincian.list_page(kode_pemda, tahun, offset, limit, rkpd_id, caller.skpd_filter)
    return {"items": [_out(r) for r in rows], "total": total}
