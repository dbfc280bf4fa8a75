"""The proposals' use cases: enter, change and submit a proposal (Bappeda for a desa's musrenbang, a DPRD
member for its own pokir), decide on it level by level along its chain, link an accepted one to the RKPD
item that answers it; read them, their audit trail, and what the consistency report asks of them.

Every write asks the policy first (``..policy``: who writes each kind, who acts at each level of a chain,
``VERIFIKATOR_USULAN``), passes the RKPD schedule of its year (``..jadwal``: the stages the chain names,
inside their window), is audited and published (``usulan.saved``). A refusal changes nothing: a wrong
level's role is 403 naming ``tingkat``; a step the status does not allow is 409 naming ``status``.
"""
from __future__ import annotations

import uuid
from datetime import datetime, timezone

from contracts.perencanaan import (
    JenisUsulan, LangkahUsulan, PerubahanUsulan, StatusUsulan, TautanUsulan, TingkatUsulanOut, UsulanBaru, UsulanOut,
    UsulanSaved, VerifikasiUsulan,
)
from sipd_common import access, idempotency
from sipd_common.access import Role, Scope
from sipd_common.errors import Conflict, Forbidden, Invalid, NotFound
from sipd_common.validation import record_id

from ..jadwal.usecases import RKPD
from ..policy import POLICY, VERIFIKATOR_USULAN, Aksi
from ..renstra.domain import periksa_skpd
from ..replika import usecases as replika
from ..rkpd.domain import Pelanggaran, dipensiunkan, periksa_tahun
from ..rpjmd.domain import StatusTidakSesuai
from ..rpjmd.usecases import errors_of, invalid, validated
from . import domain
from .domain import AlurUsulan, Usulan

RECORD = "usulan"
TULIS = {JenisUsulan.MUSRENBANG: Aksi.TULIS_USULAN_MUSRENBANG, JenisUsulan.POKIR: Aksi.TULIS_POKIR}


def _now(now: datetime | None) -> datetime:
    return now or datetime.now(timezone.utc)


def _out(u: Usulan) -> UsulanOut:
    return UsulanOut(
        id=u.id, kode_pemda=u.kode_pemda, tahun=u.tahun, jenis=u.jenis, kode_desa=u.kode_desa, pengusul=u.pengusul,
        fraksi=u.fraksi, dapil=u.dapil, masalah=u.masalah, uraian=u.uraian, kode_sub_kegiatan=u.kode_sub_kegiatan,
        kode_skpd=u.kode_skpd, lokasi=list(u.lokasi), volume=u.volume, satuan=u.satuan, anggaran=u.anggaran,
        status=u.status, versi_alur=u.versi_alur, alur=[TingkatUsulanOut(kode=t.kode, nama=t.nama) for t in u.alur],
        tingkat=u.tingkat, alasan=u.alasan, rkpd_id=u.rkpd_id,
        riwayat=[LangkahUsulan.model_validate(s) for s in u.riwayat], version=u.version)


def _saved(uow, action: str, before: Usulan | None, after: Usulan) -> None:
    """Every write is audited and published (``usulan.saved``)."""
    uow.emit(UsulanSaved(
        kode_pemda=after.kode_pemda, tahun=after.tahun, aggregate_id=after.id, aggregate_version=after.version,
        jenis=after.jenis, kode_skpd=after.kode_skpd, kode_desa=after.kode_desa, pengusul=after.pengusul,
        status=after.status, tingkat=after.tingkat, alasan=after.alasan, kode_sub_kegiatan=after.kode_sub_kegiatan,
        uraian=after.uraian, anggaran=after.anggaran, rkpd_id=after.rkpd_id))
    uow.audit(RECORD, after.id, action, before and _out(before).model_dump(mode="json"),
              _out(after).model_dump(mode="json"), kode_pemda=after.kode_pemda, tahun=after.tahun,
              kode_skpd=after.kode_skpd)


def _conflict(errors: list[Pelanggaran]) -> Conflict:
    return Conflict("; ".join(e.message for e in errors), errors=errors_of(errors))


def _step(step):
    try:
        return step()
    except StatusTidakSesuai as exc:
        raise Conflict(str(exc), errors=[{"field": "status", "message": str(exc)}]) from None


def _uuid(id: str) -> str:
    return record_id(id, "usulan")


def _acting(caller: Scope | None, kode_pemda: str) -> Scope:
    """A writer works in its own pemda (the pusat administrator everywhere); what it may do there is asked
    once the proposal is in hand."""
    caller = access.require_caller(caller)
    if not caller.acts_in(kode_pemda):
        raise Forbidden(f"{caller.role} {caller.username} may not change data of pemda {kode_pemda}")
    return caller


def _alur(uow, jenis: JenisUsulan, tahun: int) -> AlurUsulan:
    found = domain.alur_berlaku(uow.usulan.alur(str(jenis)), str(jenis), tahun)
    if found is None:
        raise Invalid.field("tahun", f"no verification chain of {jenis} proposals is in force for {tahun}")
    return found


def _alur_of(uow, u: Usulan) -> AlurUsulan:
    """The chain a proposal was made under (it keeps its version), else the one in force."""
    held = next((a for a in uow.usulan.alur(str(u.jenis)) if a.versi == u.versi_alur), None)
    return held or _alur(uow, u.jenis, u.tahun)


def _require_window(uow, kode_pemda: str, tahun: int, alur: AlurUsulan, now: datetime) -> None:
    """The RKPD schedule of the year, share-locked until the write commits (as the RKPD's own writes)."""
    errors = domain.periksa_jendela(uow.jadwal.get(kode_pemda, RKPD, tahun, lock="share"), alur, now)
    if errors:
        raise _conflict(errors)


def _check_codes(uow, kode_pemda: str, isi, kode_desa: str | None = None) -> None:
    """The SKPD of the pemda, the sub kegiatan of the codification, and the regions it is located in (and, for a
    new one, the desa/kelurahan proposing it), current (from the replica)."""
    subs = [isi.kode_sub_kegiatan] if isi.kode_sub_kegiatan else []
    kode = replika.codes_of_plan(uow, kode_pemda, [isi.kode_skpd], subs, [])
    if kode is None:
        raise NotFound(f"no pemda with code {kode_pemda!r}")
    errors = periksa_skpd("kode_skpd", isi.kode_skpd, kode)
    for sub in subs:
        row = kode.nomenklatur.get(sub)
        if row is None or row["tingkat"] != "sub_kegiatan":
            errors.append(Pelanggaran("kode_sub_kegiatan", f"no sub kegiatan {sub} in the national codification"))
        elif not row["berlaku"]:
            errors.append(Pelanggaran("kode_sub_kegiatan", dipensiunkan("sub kegiatan", row)))
    named = [("kode_desa", kode_desa)] if kode_desa else []
    named += [(f"lokasi.{i}", kode) for i, kode in enumerate(isi.lokasi)]
    errors += [Pelanggaran(field, message) for field, message in replika.regions_not_held(uow, named)]
    if errors:
        raise invalid(errors)


def _get_for_update(uow, kode_pemda: str, tahun: int, id: str, expected_version: int | None) -> Usulan:
    u = uow.usulan.get(kode_pemda, tahun, _uuid(id), for_update=True)
    if u is None:
        raise NotFound(f"no usulan {id} in {kode_pemda}/{tahun}")
    if expected_version is not None and expected_version != u.version:
        raise Conflict(f"usulan {u.id} is at version {u.version}, not {expected_version}", current_version=u.version)
    return u


def _require_proposer(caller: Scope, u: Usulan) -> None:
    """Its kind's writers change and submit it; a DPRD member only its own pokir."""
    POLICY.require(caller, TULIS[u.jenis], u.kode_pemda)
    if caller.role is Role.DPRD and caller.user_id != u.dibuat_oleh:
        raise Forbidden(f"this pokir is {u.pengusul}'s: a DPRD member writes its own pokir only")


def _require_verifier(caller: Scope, u: Usulan) -> None:
    """Only the role of the level the proposal awaits decides (an SKPD operator: for its own SKPD)."""
    aksi = VERIFIKATOR_USULAN.get(u.tingkat)
    reason = (f"no role acts at level {u.tingkat}" if aksi is None
              else POLICY.refusal(caller, aksi, u.kode_pemda, u.kode_skpd))
    if reason is not None:
        message = (f"the proposal awaits level {u.tingkat} ({u.nama_tingkat(u.tingkat)}); {caller.role} "
                   f"{caller.username} is not its verifier: {reason}")
        raise Forbidden(message, errors=[{"field": "tingkat", "message": message}])


def _langkah(caller: Scope, now: datetime) -> dict:
    return domain.langkah(caller.username, str(caller.role), now)


# -- writes ---------------------------------------------------------------------------------------------

def create_usulan(uow, caller: Scope | None, kode_pemda: str, tahun: int, data: dict,
                  idempotency_key: str | None = None, now: datetime | None = None) -> UsulanOut:
    """A new proposal, as a draft of its proposer; with ``idempotency_key``, once."""
    caller = _acting(caller, kode_pemda)
    if not any(POLICY.allows(caller, aksi, kode_pemda) for aksi in TULIS.values()):
        POLICY.require(caller, Aksi.TULIS_USULAN_MUSRENBANG, kode_pemda)  # refused, saying why
    errors = periksa_tahun(tahun)
    if errors:
        raise invalid(errors)
    baru = validated(UsulanBaru, data)
    POLICY.require(caller, TULIS[baru.jenis], kode_pemda, baru.kode_skpd)
    errors = domain.periksa_pengusul(baru.jenis, kode_pemda, baru.kode_desa, baru.fraksi, baru.dapil) + \
        domain.periksa_lokasi(kode_pemda, baru.lokasi)
    if errors:
        raise invalid(errors)
    now = _now(now)
    with uow:
        earlier = idempotency.first_answer(uow, caller, idempotency_key, UsulanOut, "create_usulan", kode_pemda, tahun,
                                           baru.model_dump(mode="json"))
        if earlier is not None:
            return earlier
        alur = _alur(uow, baru.jenis, tahun)
        _require_window(uow, kode_pemda, tahun, alur, now)
        _check_codes(uow, kode_pemda, baru, baru.kode_desa)
        pokir = baru.jenis is JenisUsulan.POKIR
        u = Usulan(id=str(uuid.uuid4()), kode_pemda=kode_pemda, tahun=tahun, jenis=baru.jenis,
                   pengusul=caller.username if pokir else baru.kode_desa, dibuat_oleh=caller.user_id,
                   kode_desa=baru.kode_desa, versi_alur=alur.versi, alur=alur.tingkat,
                   **{**baru.model_dump(include=set(domain.ISI)), "lokasi": tuple(baru.lokasi)})
        uow.usulan.add(u)
        _saved(uow, "create", None, u)
        out = _out(u)
        idempotency.complete(uow, caller, idempotency_key, out)
        uow.commit()
    return out


def update_usulan(uow, caller: Scope | None, kode_pemda: str, tahun: int, id: str, data: dict,
                  expected_version: int | None = None, now: datetime | None = None) -> UsulanOut:
    """Replace its content, while its proposer holds it (draft, or returned for correction)."""
    caller = _acting(caller, kode_pemda)
    isi = validated(PerubahanUsulan, data)
    errors = domain.periksa_lokasi(kode_pemda, isi.lokasi)
    if errors:
        raise invalid(errors)
    with uow:
        u = _get_for_update(uow, kode_pemda, tahun, id, expected_version)
        _require_proposer(caller, u)
        errors = domain.periksa_pengusul(u.jenis, kode_pemda, u.kode_desa, isi.fraksi, isi.dapil)
        if errors:
            raise invalid(errors)
        changed = _step(lambda: u.ubah(**{**isi.model_dump(include=set(domain.ISI)), "lokasi": tuple(isi.lokasi)}))
        _require_window(uow, kode_pemda, tahun, _alur_of(uow, u), _now(now))
        _check_codes(uow, kode_pemda, isi)
        if changed is not u:
            uow.usulan.save(changed)
            _saved(uow, "update", u, changed)
            uow.commit()
    return _out(changed)


def submit_usulan(uow, caller: Scope | None, kode_pemda: str, tahun: int, id: str,
                  expected_version: int | None = None, now: datetime | None = None) -> UsulanOut:
    """The proposer submits it to the first level of its chain."""
    caller = _acting(caller, kode_pemda)
    now = _now(now)
    with uow:
        u = _get_for_update(uow, kode_pemda, tahun, id, expected_version)
        _require_proposer(caller, u)
        changed = _step(lambda: u.ajukan(_langkah(caller, now)))
        _require_window(uow, kode_pemda, tahun, _alur_of(uow, u), now)
        uow.usulan.save(changed)
        _saved(uow, "update", u, changed)
        uow.commit()
    return _out(changed)


def verify_usulan(uow, caller: Scope | None, kode_pemda: str, tahun: int, id: str, data: dict,
                  expected_version: int | None = None, now: datetime | None = None) -> UsulanOut:
    """The level it awaits recommends it (accepts it, at the last), rejects it or returns it, with a reason."""
    caller = _acting(caller, kode_pemda)
    keputusan = validated(VerifikasiUsulan, data)
    errors = domain.periksa_keputusan(keputusan.keputusan, keputusan.alasan)
    if errors:
        raise invalid(errors)
    now = _now(now)
    with uow:
        u = _get_for_update(uow, kode_pemda, tahun, id, expected_version)
        if u.status not in domain.MENUNGGU:  # no level awaits it: out of order, whoever asks
            _step(lambda: u.putuskan(keputusan.keputusan, keputusan.alasan, _langkah(caller, now)))
        _require_verifier(caller, u)
        _require_window(uow, kode_pemda, tahun, _alur_of(uow, u), now)
        changed = _step(lambda: u.putuskan(keputusan.keputusan, keputusan.alasan and keputusan.alasan.strip(),
                                           _langkah(caller, now)))
        uow.usulan.save(changed)
        _saved(uow, "update", u, changed)
        uow.commit()
    return _out(changed)


def link_usulan(uow, caller: Scope | None, kode_pemda: str, tahun: int, id: str, data: dict,
                expected_version: int | None = None, now: datetime | None = None) -> UsulanOut:
    """Link an accepted proposal to the RKPD item (same pemda and year) that answers it; before the RKPD is
    enacted. An SKPD operator links its own SKPD's proposals to its own SKPD's items."""
    caller = POLICY.require(caller, Aksi.TAUTKAN_USULAN, kode_pemda)
    tautan = validated(TautanUsulan, data)
    try:
        rkpd_id = str(uuid.UUID(tautan.rkpd_id))
    except ValueError:
        raise Invalid.field("rkpd_id", "not an RKPD item id (a UUID)") from None
    now = _now(now)
    with uow:
        u = _get_for_update(uow, kode_pemda, tahun, id, expected_version)
        POLICY.require(caller, Aksi.TAUTKAN_USULAN, kode_pemda, u.kode_skpd)
        item = uow.rkpd.get(kode_pemda, tahun, rkpd_id)
        if item is None:
            raise Invalid.field("rkpd_id", f"no RKPD item {rkpd_id} in {kode_pemda}/{tahun}: a proposal is answered "
                                           "by an item of its own pemda and year")
        POLICY.require(caller, Aksi.TAUTKAN_USULAN, kode_pemda, item.kode_skpd)
        changed = _step(lambda: u.tautkan(item.id, _langkah(caller, now)))
        errors = domain.periksa_tautan(uow.jadwal.get(kode_pemda, RKPD, tahun, lock="share"))
        if errors:
            raise _conflict(errors)
        if changed is not u:
            uow.usulan.save(changed)
            _saved(uow, "update", u, changed)
            uow.commit()
    return _out(changed)


def unlink_usulan(uow, caller: Scope | None, kode_pemda: str, tahun: int, id: str,
                  expected_version: int | None = None, now: datetime | None = None) -> UsulanOut:
    """Take the link off, before the RKPD is enacted."""
    caller = POLICY.require(caller, Aksi.TAUTKAN_USULAN, kode_pemda)
    now = _now(now)
    with uow:
        u = _get_for_update(uow, kode_pemda, tahun, id, expected_version)
        POLICY.require(caller, Aksi.TAUTKAN_USULAN, kode_pemda, u.kode_skpd)
        changed = _step(lambda: u.lepaskan(_langkah(caller, now)))
        errors = domain.periksa_tautan(uow.jadwal.get(kode_pemda, RKPD, tahun, lock="share"))
        if errors:
            raise _conflict(errors)
        uow.usulan.save(changed)
        _saved(uow, "update", u, changed)
        uow.commit()
    return _out(changed)


# -- reads ----------------------------------------------------------------------------------------------

def _readable(uow, caller: Scope | None, kode_pemda: str, tahun: int, id: str) -> Usulan:
    return access.require_readable(caller, kode_pemda, lambda: uow.usulan.get(kode_pemda, tahun, _uuid(id)),
                                   lambda u: u.kode_skpd, f"no usulan {id} in {kode_pemda}/{tahun}")


def get_usulan(uow, caller: Scope | None, kode_pemda: str, tahun: int, id: str) -> UsulanOut:
    with uow:
        return _out(_readable(uow, caller, kode_pemda, tahun, id))


def get_usulan_audit(uow, caller: Scope | None, kode_pemda: str, tahun: int, id: str, offset: int = 0,
                     limit: int = 50) -> dict:
    with uow:
        u = _readable(uow, caller, kode_pemda, tahun, id)
        return uow.trail(RECORD, u.id, offset, limit)


def list_usulan(uow, caller: Scope | None, kode_pemda: str, tahun: int, offset: int = 0, limit: int = 50,
                jenis: str | None = None, status: str | None = None, kode_skpd: str | None = None,
                tingkat: str | None = None, rkpd_id: str | None = None) -> dict:
    """The year's proposals, oldest first (an SKPD operator: its own SKPD's), filtered."""
    caller = access.require_read(caller, kode_pemda)
    kode_skpd = access.require_skpd_filter(caller, kode_skpd)
    if rkpd_id is not None:
        try:
            rkpd_id = str(uuid.UUID(rkpd_id))
        except ValueError:
            raise Invalid.field("rkpd_id", "not an RKPD item id (a UUID)") from None
    with uow:
        items, total = uow.usulan.list_page(kode_pemda, tahun, offset, limit, jenis=jenis, status=status,
                                            kode_skpd=kode_skpd, tingkat=tingkat, rkpd_id=rkpd_id)
    return {"items": [_out(u) for u in items], "total": total}


def accepted_not_linked(uow, kode_pemda: str, tahun: int, live: set[str] | None = None) -> list[Usulan]:
    """For the RKPD's consistency report (``..konsistensi``): the year's accepted proposals no live RKPD item
    answers (``live``: the ids of the year's live items, when the caller holds them). Runs in the caller's unit
    of work."""
    if live is None:
        live = {item.id for item in uow.rkpd.all_of(kode_pemda, tahun)}
    return domain.diterima_tanpa_tautan(uow.usulan.diterima(kode_pemda, tahun), live)
