"""The APBD-P (perubahan) and the pergeseran of an enacted APBD.

The enacted APBD is kept: its lines are closed for good (``apbd/usecases.require_terbuka``), and the first write
here (opening the APBD-P, or a first shift) sums them into budget positions whose ``murni`` never changes (checked
against the enacted totals; the database refuses to change it). From then on a position's amount moves only by a
pergeseran (``geser``: within the actor's authority, from the rule table) or in the open APBD-P (``ubah_pos``).

The APBD-P goes as the APBD does: it opens with its KUA-PPAS perubahan (``ppas/usecases.mulai_perubahan``), whose
nota kesepakatan perubahan comes before any position changes and whose ceilings the belanja per sub kegiatan then
respects; it is submitted to the level above (``ajukan_perubahan``), evaluated there (``evaluasi_perubahan``: the
APBD's evaluation, ``apbd.domain.Dievaluasi``), corrected after a ``tidak_sesuai``, and enacted after a ``sesuai``
(``tetapkan_perubahan``: kept content-hashed, ``apbd.perubahan.ditetapkan`` published, which pemerintahan's Perda
register takes). Each write is audited; a shift is also recorded whole (``pergeseran_anggaran``).

After a pergeseran and after an enacted APBD-P the DPA gets a new version: ``_dpa_baru``, the one place.
"""
from __future__ import annotations

import base64
import uuid
from datetime import datetime, timezone
from decimal import Decimal

from pydantic import ValidationError

from contracts.keuangan import (
    ApbdPerubahanDitetapkan, ApbdPerubahanOut, PenetapanApbd, PergeseranBaru, PergeseranOut, PosOut, PosPerubahan,
)
from sipd_common import access, idempotency
from sipd_common.access import Role, Scope
from sipd_common.errors import Conflict, Invalid, NotFound
from sipd_common.validation import invalid_from

from ..apbd import domain as apbd_domain
from ..apbd import usecases as apbd_usecases
from ..jadwal.domain import APBD_P
from ..jadwal.usecases import require_tahap
from ..plafon.domain import Pelanggaran
from ..dpa import usecases as dpa
from ..policy import POLICY, Aksi
from ..ppas import usecases as ppas
from ..replika import usecases as replika
from ..tanda import domain as tanda
from ..tanda.domain import WAJIB
from . import dokumen, domain
from .domain import DITETAPKAN, Ditolak, Perubahan, Pos

POS, PERUBAHAN, PERGESERAN = "anggaran_pos", "apbd_perubahan", "pergeseran"  # record types of the audit trail


def _refused(refused: Ditolak) -> Invalid | Conflict:
    errors = [{"field": p.field, "message": p.message} for p in refused.pelanggaran]
    return (Conflict if refused.konflik else Invalid)(str(refused), errors=errors)


def _refuse(errors: list[Pelanggaran]) -> None:
    if errors:
        raise _refused(Ditolak(*errors))


def _parse(model, data: dict):
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise invalid_from(exc) from None


def _dpa_baru(uow, by: str, kode_pemda: str, tahun: int, sebab: str, kode_skpd: tuple[str, ...] = ()) -> None:
    """The DPA gets a new version after a pergeseran (of the SKPD of each position it moved: ``kode_skpd``) or an
    enacted APBD-P (every SKPD that has a DPA; and an SKPD the APBD-P budgets first gets its versi 1:
    ``dpa.versi_perubahan``), in the same transaction as the change: its lines are the SKPD's budget as it stands now
    (``dpa.anggaran_sekarang``: the positions, as shifted, none at 0; the rincian stay as enacted). THE one place the
    DPA is told. An SKPD whose latest DPA is still a draft refuses it (409 naming ``versi``: authorise that draft
    first), so the change is not made either; after a shift, an SKPD without a DPA has nothing to amend (its first
    version, when generated, is made from the budget as it stands then)."""
    if not kode_skpd:
        dpa.versi_perubahan(uow, by, kode_pemda, tahun, sebab)
        return
    ada = uow.dpa.skpd(kode_pemda, tahun)
    for skpd in sorted(set(kode_skpd) & ada):
        dpa.versi_baru(uow, by, kode_pemda, tahun, skpd, sebab)


# -- the positions ----------------------------------------------------------------------------------------------

def _status_apbd(uow, kode_pemda: str, tahun: int) -> str:
    a = uow.apbd.get(kode_pemda, tahun)
    return a.status if a else "draft"


def _murni_dari_baris(uow, kode_pemda: str, tahun: int) -> list[Pos]:
    """The enacted lines summed per position (revenue and financing beside spending): the murni budget."""
    belanja = uow.rincian.jumlah_per(kode_pemda, tahun, ("kode_skpd", "rkpd_id", "kode_sub_kegiatan",
                                                         "kode_rekening"))
    anggaran = [{"kode_skpd": s, "kode_rekening": r, "jumlah": j}
                for s, r, j in uow.pendapatan.jumlah_per_akun(kode_pemda, tahun)]
    return [Pos(id=str(uuid.uuid5(uuid.NAMESPACE_URL, f"sipd:pos:{kode_pemda}:{tahun}:{'|'.join(key)}")),
                kode_pemda=kode_pemda, tahun=tahun, murni=v["jumlah"], jumlah=v["jumlah"], version=1,
                **{k: v[k] for k in ("kode_skpd", "rkpd_id", "kode_sub_kegiatan", "kode_rekening")})
            for key, v in sorted(domain.pos_murni(belanja, anggaran).items())]


def _pos(uow, kode_pemda: str, tahun: int) -> list[Pos]:
    """The positions now: as held, or (none held yet: nothing shifted, no APBD-P) the enacted lines summed."""
    held = uow.perubahan.semua_pos(kode_pemda, tahun)
    return held if held else _murni_dari_baris(uow, kode_pemda, tahun)


def pos_sekarang(uow, kode_pemda: str, tahun: int) -> list[Pos]:
    """The budget now, for a reader outside this package: the positions as held, or the enacted lines summed before
    any pergeseran or APBD-P."""
    return _pos(uow, kode_pemda, tahun)


def anggaran_terbit(uow, kode_pemda: str, tahun: int) -> tuple[dict | None, list[tuple[str, str, Decimal]]]:
    """The budget as decided, for the public (the LRA's): (the enacted APBD-P's row, or None; (kode_skpd,
    kode_rekening, jumlah) per position). The positions now — the enacted APBD or APBD-P and the shifts since —
    except while an APBD-P is under way (open, submitted, evaluated): its changes are a draft until enacted, so the
    positions as they stood when it opened (murni and the shifts made before it; none is made while it is under way)."""
    row = uow.perubahan.get(kode_pemda, tahun)
    ps = _pos(uow, kode_pemda, tahun)
    if row is not None and row["status"] != DITETAPKAN:
        geser = uow.perubahan.geser_bersih(kode_pemda, tahun)
        return None, [(p.kode_skpd, p.kode_rekening, domain.jumlah_diputuskan(p, geser)) for p in ps]
    return (row if row is not None and row["status"] == DITETAPKAN else None), [
        (p.kode_skpd, p.kode_rekening, p.jumlah) for p in ps]


def anggaran_per_akun(uow, kode_pemda: str, tahun: int, kode_skpd: str | None = None) -> list[tuple[str, str, Decimal]]:
    """The budget now per (kode_skpd, kode_rekening), summed in the database: what ``pos_sekarang`` holds, added up
    per account, without building every position (the LRA's read: 30,000 lines made 30,000 positions in Python, most
    of the report's time; docs/performance.md, "Spending and the LRA"). ``kode_skpd``: that SKPD's only."""
    if uow.perubahan.ada_pos(kode_pemda, tahun):
        return uow.perubahan.jumlah_per_akun(kode_pemda, tahun, kode_skpd)
    belanja = uow.rincian.jumlah_per(kode_pemda, tahun, ("kode_skpd", "kode_rekening"), kode_skpd)
    return ([(r["kode_skpd"], r["kode_rekening"], r["jumlah"]) for r in belanja]
            + uow.pendapatan.jumlah_per_akun(kode_pemda, tahun, kode_skpd))


def _siapkan_pos(uow, kode_pemda: str, tahun: int) -> None:
    """Under the APBD's lock: the positions kept from the enacted lines, once. Their totals must be the enacted
    APBD's (else its lines changed since, which nothing may do: 409 naming ``status``, nothing kept)."""
    if uow.perubahan.ada_pos(kode_pemda, tahun):
        return
    ps = _murni_dari_baris(uow, kode_pemda, tahun)
    enacted = uow.apbd.ditetapkan(kode_pemda, tahun)
    r = enacted["isi"]["ringkasan"] if enacted else None
    t = domain.total((p.kode_rekening, p.murni) for p in ps)
    if r is None or any(Decimal(str(r[k])) != v for k, v in (("pendapatan", t.pendapatan), ("belanja", t.belanja),
                                                              ("pembiayaan_netto", t.pembiayaan_netto))):
        raise _refused(Ditolak(Pelanggaran("status", f"the lines of {kode_pemda}/{tahun} no longer sum to the "
                                                     "enacted APBD: the murni budget cannot be kept"), konflik=True))
    uow.perubahan.save_pos(ps)


def _pos_out(p: Pos, names: dict[str, str]) -> PosOut:
    return PosOut(id=p.id, kode_skpd=p.kode_skpd, rkpd_id=p.rkpd_id or None,
                  kode_sub_kegiatan=p.kode_sub_kegiatan or None, kode_rekening=p.kode_rekening,
                  nama_rekening=names.get(p.kode_rekening), murni=p.murni, perubahan=p.jumlah, selisih=p.selisih)


def _trail(p: Pos) -> dict:
    return {"kode_skpd": p.kode_skpd, "rkpd_id": p.rkpd_id, "kode_rekening": p.kode_rekening,
            "murni": str(p.murni), "jumlah": str(p.jumlah), "version": p.version}


def _require_enacted(uow, kode_pemda: str, tahun: int) -> None:
    if uow.apbd.ditetapkan(kode_pemda, tahun, isi=False) is None:
        raise NotFound(f"the APBD {kode_pemda}/{tahun} is not enacted")


# -- reads ------------------------------------------------------------------------------------------------------

def _out(uow, kode_pemda: str, tahun: int) -> ApbdPerubahanOut:
    row = uow.perubahan.get(kode_pemda, tahun)
    if row is not None and row["status"] == DITETAPKAN:
        ringkasan = row["isi"]["ringkasan"]
        penetapan = {k: row[k] for k in ("nomor_perda", "tanggal_perda", "nomor_perkada", "tanggal_perkada", "hash",
                                         "ditetapkan_oleh", "ditetapkan_pada")}
    else:
        ringkasan, penetapan = domain.ringkasan(_pos(uow, kode_pemda, tahun)), None
    p = uow.perubahan.perubahan(kode_pemda, tahun)
    return ApbdPerubahanOut.model_validate({
        "kode_pemda": kode_pemda, "tahun": tahun, "status": p.status if p else None,
        "evaluator": access.evaluator_of(kode_pemda), "hasil_evaluasi": p.hasil_evaluasi if p else None,
        "terbuka": p.terbuka if p else False, "evaluasi": p.evaluasi if p else [], "ringkasan": ringkasan,
        "penetapan": penetapan, "version": p.version if p else 0})


def get_perubahan(uow, caller: Scope | None, kode_pemda: str, tahun: int) -> ApbdPerubahanOut:
    """The APBD-P's state and murni / perubahan / selisih of every identity (as enacted, once enacted)."""
    access.require_read(caller, kode_pemda)
    with uow:
        _require_enacted(uow, kode_pemda, tahun)
        return _out(uow, kode_pemda, tahun)


def list_pos(uow, caller: Scope | None, kode_pemda: str, tahun: int, offset: int = 0, limit: int = 50) -> dict:
    """The budget positions, each with murni, perubahan and selisih (an SKPD operator: its own SKPD's)."""
    caller = access.require_read(caller, kode_pemda)
    with uow:
        _require_enacted(uow, kode_pemda, tahun)
        if uow.perubahan.ada_pos(kode_pemda, tahun):
            rows, total = uow.perubahan.list_pos(kode_pemda, tahun, offset, limit, caller.skpd_filter)
        else:
            every = [p for p in _murni_dari_baris(uow, kode_pemda, tahun)
                     if not caller.skpd_filter or p.kode_skpd == caller.skpd_filter]
            rows, total = every[offset:offset + limit], len(every)
        names = uow.apbd.nama_rekening(sorted({p.kode_rekening for p in rows}))
    return {"items": [_pos_out(p, names) for p in rows], "total": total}


# -- the APBD-P -------------------------------------------------------------------------------------------------

def buka_perubahan(uow, caller: Scope | None, kode_pemda: str, tahun: int,
                   idempotency_key: str | None = None) -> ApbdPerubahanOut:
    """Open the APBD-P from the enacted APBD (once a year): its positions start at what they are now (murni, and
    the shifts since), the murni kept beside them; its KUA-PPAS perubahan starts provisional. With
    ``idempotency_key``, once (a repeat answers the first answer, not 409 for the APBD-P it opened)."""
    caller = POLICY.require(caller, Aksi.BUKA_PERUBAHAN, kode_pemda)
    with uow:
        if (earlier := idempotency.first_answer(uow, caller, idempotency_key, ApbdPerubahanOut, "buka_perubahan",
                                                kode_pemda, tahun)) is not None:
            return earlier
        require_tahap(uow, kode_pemda, tahun, APBD_P)  # inside the APBD-P's window
        apbd = uow.apbd.lock(kode_pemda, tahun)
        try:
            domain.periksa_buka(apbd.status, uow.perubahan.perubahan(kode_pemda, tahun), kode_pemda, tahun)
        except Ditolak as refused:
            raise _refused(refused) from None
        _siapkan_pos(uow, kode_pemda, tahun)
        p = Perubahan(kode_pemda, tahun, version=1)
        uow.perubahan.add(p, caller.username)
        uow.audit(PERUBAHAN, f"{kode_pemda}:{tahun}", "create", None, _trail_perubahan(p), kode_pemda=kode_pemda,
                  tahun=tahun)
        ppas.mulai_perubahan(uow, kode_pemda, tahun)
        out = _out(uow, kode_pemda, tahun)
        idempotency.complete(uow, caller, idempotency_key, out)
        uow.commit()
    return out


def ubah_pos(uow, caller: Scope | None, kode_pemda: str, tahun: int, data: dict) -> PosOut:
    """A position's amount in the open APBD-P (a new position — a new account or sub kegiatan — starts at murni 0);
    refused naming the field (a retired or non-leaf account, a belanja position without its sub kegiatan, an
    unknown sub kegiatan or SKPD, ``jumlah`` raising its sub kegiatan's belanja above its KUA-PPAS perubahan
    ceiling, money put on an account its flags forbid there — ``kode_rekening``, or the ``penerima`` / ``lokasi``
    they ask: ``tanda/domain.periksa_tanda_pos``), 409 naming ``status`` while the APBD-P is not open or its
    KUA-PPAS perubahan not agreed."""
    caller = POLICY.require(caller, Aksi.UBAH_PERUBAHAN, kode_pemda)
    body = _parse(PosPerubahan, data)
    with uow:
        require_tahap(uow, kode_pemda, tahun, APBD_P)  # inside the APBD-P's window
        uow.apbd.lock(kode_pemda, tahun)
        p = uow.perubahan.perubahan(kode_pemda, tahun)
        if p is None:
            raise _refused(Ditolak(Pelanggaran("status", f"no APBD-P of {kode_pemda}/{tahun} is open"),
                                   konflik=True))
        try:
            p.periksa_ubah()
        except Ditolak as refused:
            raise _refused(refused) from None
        _require_kesepakatan(uow, kode_pemda, tahun)
        rekening = replika.find(uow, "rekening", body.kode_rekening)
        _refuse(domain.periksa_pos(body.kode_rekening, body.rkpd_id, body.kode_skpd, body.jumlah, rekening))
        if body.kode_rekening.startswith("5."):
            plafon = uow.plafon.get(kode_pemda, tahun, body.rkpd_id)
            if plafon is None:
                _refuse([Pelanggaran("rkpd_id", f"no sub kegiatan {body.rkpd_id} in {kode_pemda}/{tahun}")])
            kode_skpd, rkpd_id, kode_sub_kegiatan = plafon.kode_skpd, plafon.rkpd_id, plafon.kode_sub_kegiatan
        else:
            if replika.find(uow, "skpd", kode_pemda, body.kode_skpd) is None:
                _refuse([Pelanggaran("kode_skpd", f"no SKPD {body.kode_skpd} in {kode_pemda}")])
            kode_skpd, rkpd_id, kode_sub_kegiatan = body.kode_skpd, "", ""
        POLICY.require(caller, Aksi.UBAH_PERUBAHAN, kode_pemda, kode_skpd)
        pos = uow.perubahan.pos(kode_pemda, tahun, kode_skpd, rkpd_id, body.kode_rekening)
        held = pos.jumlah if pos else Decimal(0)
        isian = tanda.isian_tanda(body)  # what the account's flags ask of the money added (kept in the audit)
        errors = tanda.periksa_tanda_pos(uow.tanda.untuk(tahun), body.kode_rekening, kode_sub_kegiatan,
                                         tanda.yang_diisi(isian), held, body.jumlah)
        if rkpd_id:  # belanja: its sub kegiatan within the KUA-PPAS perubahan's ceiling
            key = (kode_skpd, kode_sub_kegiatan)
            sebelum = uow.perubahan.belanja_per_sub_kegiatan(kode_pemda, tahun, *key).get(key, Decimal(0))
            pagu = uow.ppas_perubahan.pagu_per(kode_pemda, tahun, "sub_kegiatan", *key).get(key, Decimal(0))
            errors += domain.periksa_pagu(kode_sub_kegiatan, sebelum, sebelum - held + body.jumlah, pagu)
        _refuse(errors)
        before = _trail(pos) if pos else None
        if pos is None:
            pos = Pos(id=str(uuid.uuid4()), kode_pemda=kode_pemda, tahun=tahun, kode_skpd=kode_skpd, rkpd_id=rkpd_id,
                      kode_sub_kegiatan=kode_sub_kegiatan, kode_rekening=body.kode_rekening, murni=Decimal(0),
                      jumlah=Decimal(0))
        pos.jumlah, pos.version = body.jumlah, pos.version + 1
        uow.perubahan.save_pos([pos])
        given = {k: v for k, v in isian.items() if v is not None}
        uow.audit(POS, pos.id, "update" if before else "create", before,
                  {**_trail(pos), "alasan": body.alasan, **given}, kode_pemda=kode_pemda, tahun=tahun,
                  kode_skpd=kode_skpd)
        out = _pos_out(pos, uow.apbd.nama_rekening([pos.kode_rekening]))
        uow.commit()
    return out


def _require_kesepakatan(uow, kode_pemda: str, tahun: int) -> None:
    """The APBD-P's positions change, and it is submitted, only once its KUA-PPAS perubahan is agreed (409 naming
    ``status`` before): its ceilings are then fixed."""
    held = uow.ppas_perubahan.get(kode_pemda, tahun)
    if held is None or not held.disepakati:
        raise _refused(Ditolak(Pelanggaran("status", f"the KUA-PPAS perubahan {kode_pemda}/{tahun} is not agreed: the "
                                                     "APBD-P changes under the ceilings of its nota kesepakatan "
                                                     "perubahan"), konflik=True))


def _trail_perubahan(p: Perubahan) -> dict:
    return {"status": p.status, "hasil_evaluasi": p.hasil_evaluasi, "evaluasi": p.evaluasi, "version": p.version}


def _langkah(uow, kode_pemda: str, tahun: int, change, **penetapan) -> Perubahan:
    """Under the APBD's lock (the caller's): the APBD-P takes a step of its evaluation (``apbd.domain.Dievaluasi``;
    one its state does not allow is a 409 naming ``status``, nothing changed), saved and audited; ``penetapan``:
    what its enactment keeps beside it."""
    p = uow.perubahan.perubahan(kode_pemda, tahun)
    if p is None:
        raise _refused(Ditolak(Pelanggaran("status", f"no APBD-P of {kode_pemda}/{tahun} is open"), konflik=True))
    before = _trail_perubahan(p)
    try:
        change(p)
    except apbd_domain.Ditolak as refused:
        raise apbd_usecases.conflict(refused) from None
    uow.perubahan.save(p, **penetapan)
    uow.audit(PERUBAHAN, f"{kode_pemda}:{tahun}", "update", before, _trail_perubahan(p), kode_pemda=kode_pemda,
              tahun=tahun)
    return p


def ajukan_perubahan(uow, caller: Scope | None, kode_pemda: str, tahun: int) -> ApbdPerubahanOut:
    """The open (or corrected) APBD-P to its evaluator, as the APBD goes: only once its KUA-PPAS perubahan is agreed
    (409 naming ``status``) and every sub kegiatan's belanja is within its ceiling (409 naming ``pagu``); its
    positions are closed meanwhile."""
    caller = POLICY.require(caller, Aksi.AJUKAN_PERUBAHAN, kode_pemda)
    with uow:
        require_tahap(uow, kode_pemda, tahun, APBD_P)  # inside the APBD-P's window
        uow.apbd.lock(kode_pemda, tahun)

        def ajukan(p: Perubahan) -> None:
            if p.terbuka:  # within its ceilings as it leaves (one its state holds back is refused as such)
                _require_kesepakatan(uow, kode_pemda, tahun)
                errors = domain.melebihi_pagu(uow.perubahan.belanja_per_sub_kegiatan(kode_pemda, tahun),
                                              uow.ppas_perubahan.pagu_per(kode_pemda, tahun, "sub_kegiatan"))
                if errors:
                    raise _refused(Ditolak(*errors, konflik=True))
            p.ajukan()

        _langkah(uow, kode_pemda, tahun, ajukan)
        uow.commit()
        return _out(uow, kode_pemda, tahun)


def evaluasi_perubahan(uow, caller: Scope | None, kode_pemda: str, tahun: int, data: dict) -> ApbdPerubahanOut:
    """The evaluator's result on the submitted APBD-P (its users only: the province of a regency/city, the pusat for
    a province), recorded as the APBD's is: ``sesuai``, or ``tidak_sesuai`` with findings, which reopens the APBD-P
    for its corrections."""
    caller = POLICY.require(caller, Aksi.EVALUASI_PERUBAHAN, kode_pemda)
    hasil, catatan = apbd_usecases.catatan_evaluasi(caller, kode_pemda, data)
    with uow:
        require_tahap(uow, kode_pemda, tahun, APBD_P)  # inside the APBD-P's window
        uow.apbd.lock(kode_pemda, tahun)
        _langkah(uow, kode_pemda, tahun, lambda p: p.evaluasi_dicatat(hasil, catatan))
        uow.commit()
        return _out(uow, kode_pemda, tahun)


def tetapkan_perubahan(uow, caller: Scope | None, kode_pemda: str, tahun: int, data: dict) -> ApbdPerubahanOut:
    """The APBD-P its evaluator found ``sesuai``, enacted by its Perda and Perkada penjabaran (409 naming ``status``
    before): every position's murni, perubahan and selisih and the identities kept (content-hashed, never changed),
    ``apbd.perubahan.ditetapkan`` published, the DPA told (``_dpa_baru``). The murni APBD stays as it was enacted."""
    caller = POLICY.require(caller, Aksi.TETAPKAN_PERUBAHAN, kode_pemda)
    penetapan = _parse(PenetapanApbd, data)
    dasar = penetapan.model_dump(mode="json")
    with uow:
        require_tahap(uow, kode_pemda, tahun, APBD_P)  # inside the APBD-P's window
        uow.apbd.lock(kode_pemda, tahun)
        ps = uow.perubahan.semua_pos(kode_pemda, tahun)
        ringkasan = domain.ringkasan(ps)
        isi = {"ringkasan": {k: {n: str(v) for n, v in nilai.items()} for k, nilai in ringkasan.items()},
               "pos": [{**_trail(x), "selisih": str(x.selisih)} for x in ps]}
        digest = domain.hash_isi({"kode_pemda": kode_pemda, "tahun": tahun, **dasar, "isi": isi})
        p = _langkah(uow, kode_pemda, tahun, Perubahan.tetapkan, **penetapan.model_dump(), isi=isi,
                     hash=digest, ditetapkan_oleh=caller.username, ditetapkan_pada=datetime.now(timezone.utc))
        uow.emit(ApbdPerubahanDitetapkan(
            kode_pemda=kode_pemda, tahun=tahun, aggregate_id=f"{kode_pemda}:{tahun}", aggregate_version=p.version,
            **penetapan.model_dump(), hash=digest,
            **{f"{k}{suffix}": ringkasan[k][col] for k in ("pendapatan", "belanja", "pembiayaan_netto", "silpa")
               for suffix, col in (("_murni", "murni"), ("", "perubahan"))}))
        _dpa_baru(uow, caller.username, kode_pemda, tahun, "apbd_perubahan")
        uow.commit()
        return _out(uow, kode_pemda, tahun)


def dokumen_lampiran(uow, caller: Scope | None, kode_pemda: str, tahun: int, format: str) -> dict:
    """Lampiran I of the Perda perubahan APBD (by kelompok and jenis: before and after the change, bertambah /
    (berkurang) in rupiah and percent) as XLSX or PDF: as enacted once enacted, the positions now before (404
    before the APBD is enacted). ``{"filename", "content_type", "content"}`` (content base64)."""
    access.require_read(caller, kode_pemda)
    if format not in dokumen.FORMATS:
        raise Invalid.field("format", f"format is one of {', '.join(dokumen.FORMATS)}")
    with uow:
        _require_enacted(uow, kode_pemda, tahun)
        row = uow.perubahan.get(kode_pemda, tahun)
        if row is not None and row["status"] == DITETAPKAN:
            rows = [(x["kode_rekening"], Decimal(x["murni"]), Decimal(x["jumlah"])) for x in row["isi"]["pos"]]
            keadaan = f"{row['nomor_perda']} ({row['tanggal_perda'].isoformat()}), sha256 {row['hash'][:12]}"
            ringkasan = row["isi"]["ringkasan"]
        else:
            ps = _pos(uow, kode_pemda, tahun)
            rows = [(x.kode_rekening, x.murni, x.jumlah) for x in ps]
            ringkasan, keadaan = domain.ringkasan(ps), "rancangan (draft)"
        akun = domain.per_akun(rows, tingkat=3)
        nama = uow.apbd.nama_rekening([kode for kode, *_ in akun])
    doc = dokumen.lampiran_i(kode_pemda, tahun, akun, ringkasan, nama, keadaan)
    content_type, make = dokumen.FORMATS[format]
    return {"filename": f"apbd-p-{kode_pemda}-{tahun}-lampiran-i.{format}", "content_type": content_type,
            "content": base64.b64encode(make(doc)).decode("ascii")}


# -- the pergeseran ---------------------------------------------------------------------------------------------

def _pergeseran_out(row: dict) -> PergeseranOut:
    return PergeseranOut.model_validate({
        **row, "dari": {"rkpd_id": row["dari_rkpd_id"], "kode_rekening": row["dari_rekening"]},
        "ke": {"rkpd_id": row["ke_rkpd_id"], "kode_rekening": row["ke_rekening"],
               **{k: row.get(f"ke_{k}") for k in WAJIB}}})


def geser(uow, caller: Scope | None, kode_pemda: str, tahun: int, data: dict,
          idempotency_key: str | None = None) -> PergeseranOut:
    """A shift of an amount from one belanja position to another of an enacted APBD (not while its APBD-P is open):
    allowed when a rule of ``kewenangan_pergeseran`` covers it for the caller's role and the destination's account
    flags allow the money there (``tanda/domain.periksa_tanda_pos``: ``ke.kode_rekening``, or the ``ke.penerima``
    / ``ke.lokasi`` they ask, kept with the shift), else refused naming the field (nothing changed). The total
    stays; both positions, the shift (who, when, from, to, amount, reason) and its audit are written in one
    transaction, and the DPA told (``_dpa_baru``). With ``idempotency_key``, once: a repeat answers the first
    answer and shifts nothing more."""
    caller = POLICY.require(caller, Aksi.GESER_ANGGARAN, kode_pemda)
    body = _parse(PergeseranBaru, data)
    with uow:
        if (earlier := idempotency.first_answer(uow, caller, idempotency_key, PergeseranOut, "geser_anggaran",
                                                kode_pemda, tahun, body)) is not None:
            return earlier
        apbd = uow.apbd.lock(kode_pemda, tahun)
        try:
            domain.periksa_pergeseran_boleh(apbd.status, uow.perubahan.perubahan(kode_pemda, tahun), kode_pemda,
                                            tahun)
        except Ditolak as refused:
            raise _refused(refused) from None
        _siapkan_pos(uow, kode_pemda, tahun)
        sumber = uow.plafon.get(kode_pemda, tahun, body.dari.rkpd_id)
        dari = (uow.perubahan.pos(kode_pemda, tahun, sumber.kode_skpd, sumber.rkpd_id, body.dari.kode_rekening)
                if sumber else None)
        if dari is None:
            _refuse([Pelanggaran("dari.kode_rekening", f"no budget position {body.dari.kode_rekening} under sub "
                                                       f"kegiatan {body.dari.rkpd_id} in {kode_pemda}/{tahun}")])
        tujuan = uow.plafon.get(kode_pemda, tahun, body.ke.rkpd_id)
        if tujuan is None:
            _refuse([Pelanggaran("ke.rkpd_id", f"no sub kegiatan {body.ke.rkpd_id} in {kode_pemda}/{tahun}")])
        rekening = replika.find(uow, "rekening", body.ke.kode_rekening)
        if rekening is None or not rekening.berlaku or rekening.tingkat != "sub_rincian_objek":
            _refuse([Pelanggaran("ke.kode_rekening", f"{body.ke.kode_rekening} is not a current sub rincian objek "
                                                     "account")])
        try:
            rule = domain.periksa_pergeseran(
                uow.perubahan.kewenangan(), tahun, dari, tujuan.rkpd_id, tujuan.kode_skpd, body.ke.kode_rekening,
                body.jumlah, str(caller.role), semua_wewenang=caller.role is Role.PUSAT_ADMIN)
        except Ditolak as refused:
            raise _refused(refused) from None
        ke = uow.perubahan.pos(kode_pemda, tahun, tujuan.kode_skpd, tujuan.rkpd_id, body.ke.kode_rekening)
        held = ke.jumlah if ke else Decimal(0)
        isian = tanda.isian_tanda(body.ke)  # what the destination account's flags ask of the money shifted in
        _refuse(tanda.periksa_tanda_pos(uow.tanda.untuk(tahun), body.ke.kode_rekening, tujuan.kode_sub_kegiatan,
                                        tanda.yang_diisi(isian), held, held + body.jumlah, awalan="ke."))
        ke_before = _trail(ke) if ke else None
        if ke is None:
            ke = Pos(id=str(uuid.uuid4()), kode_pemda=kode_pemda, tahun=tahun, kode_skpd=tujuan.kode_skpd,
                     rkpd_id=tujuan.rkpd_id, kode_sub_kegiatan=tujuan.kode_sub_kegiatan,
                     kode_rekening=body.ke.kode_rekening, murni=Decimal(0), jumlah=Decimal(0))
        dari_before = _trail(dari)
        dari.jumlah, dari.version = dari.jumlah - body.jumlah, dari.version + 1
        ke.jumlah, ke.version = ke.jumlah + body.jumlah, ke.version + 1
        uow.perubahan.save_pos([dari, ke])
        values = {"id": str(uuid.uuid4()), "kode_pemda": kode_pemda, "tahun": tahun, "kode_skpd": dari.kode_skpd,
                  "dari_pos_id": dari.id, "ke_pos_id": ke.id, "dari_rkpd_id": dari.rkpd_id,
                  "dari_rekening": dari.kode_rekening, "ke_rkpd_id": ke.rkpd_id, "ke_rekening": ke.kode_rekening,
                  **{f"ke_{k}": v for k, v in isian.items()},
                  "jumlah": body.jumlah, "alasan": body.alasan, "kewenangan": rule.kode, "oleh": caller.username,
                  "peran": str(caller.role), "pada": datetime.now(timezone.utc)}
        uow.perubahan.add_pergeseran(values)
        out = _pergeseran_out(values)
        where = {"kode_pemda": kode_pemda, "tahun": tahun, "kode_skpd": dari.kode_skpd}
        uow.audit(PERGESERAN, out.id, "create", None, out.model_dump(mode="json"), **where)
        uow.audit(POS, dari.id, "update", dari_before, {**_trail(dari), "pergeseran": out.id}, **where)
        uow.audit(POS, ke.id, "update" if ke_before else "create", ke_before, {**_trail(ke), "pergeseran": out.id},
                  **where)
        _dpa_baru(uow, caller.username, kode_pemda, tahun, "pergeseran", (dari.kode_skpd, ke.kode_skpd))
        idempotency.complete(uow, caller, idempotency_key, out)
        uow.commit()
    return out


def list_pergeseran(uow, caller: Scope | None, kode_pemda: str, tahun: int, offset: int = 0, limit: int = 50) -> dict:
    """Every shift of the year, oldest first (an SKPD operator: its own SKPD's)."""
    caller = access.require_read(caller, kode_pemda)
    with uow:
        rows, total = uow.perubahan.list_pergeseran(kode_pemda, tahun, offset, limit, caller.skpd_filter)
    return {"items": [_pergeseran_out(r) for r in rows], "total": total}
