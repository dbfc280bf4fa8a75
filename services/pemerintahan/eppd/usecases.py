"""EPPD rounds: opened, scored by the right team, closed, announced; results read within one's scope
while the round runs, by the public once announced — and published then, one ``eppd.hasil.diumumkan`` per pemda."""
from __future__ import annotations

from decimal import Decimal

from pydantic import ValidationError

from contracts.pemerintahan import (
    HasilEppdDiumumkan, HasilEppdOut, HasilRondeOut, NilaiEppd, PenilaianPemdaOut, RondeBaru, RondeOut,
    StatusKhususEppd,
)
from sipd_common import access, idempotency
from sipd_common.access import Scope
from sipd_common.errors import Conflict, Forbidden, Invalid, NotFound
from sipd_common.validation import invalid_from

from ..policy import NASIONAL, POLICY, Aksi
from .domain import Hasil, boleh_menilai, hasil, penilai

RONDE = "eppd_ronde"  # the record types of the audit trail
PENILAIAN = "eppd_penilaian"
NEXT = {"dibuka": "ditutup", "ditutup": "diumumkan"}


def _parse(model, data: dict):
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise invalid_from(exc) from None


def _ronde_out(uow, ronde: dict) -> RondeOut:
    return RondeOut.model_validate({
        **ronde, "indikator": uow.eppd.indikator(ronde["versi_indikator"]),
        "bands": [vars(b) for b in sorted(uow.eppd.bands(ronde["versi_band"]), key=lambda b: -b.batas_bawah)]})


def _ronde(uow, tahun: int, for_update: bool = False) -> dict:
    ronde = uow.eppd.ronde(tahun, for_update)
    if ronde is None:
        raise NotFound(f"no EPPD round for {tahun}")
    return ronde


def open_ronde(uow, caller: Scope | None, tahun: int, data: dict, idempotency_key: str | None = None) -> RondeOut:
    """The year's round; with ``idempotency_key``, once (a repeat answers the first answer, not 409)."""
    POLICY.require(caller, Aksi.MANAGE_EPPD, NASIONAL)
    baru = _parse(RondeBaru, data)
    with uow:
        earlier = idempotency.first_answer(uow, caller, idempotency_key, RondeOut, "open_eppd", tahun,
                                           baru.model_dump(mode="json"))
        if earlier is not None:
            return earlier
        versi = {"versi_indikator": baru.versi_indikator or uow.eppd.versi_terbaru("indikator"),
                 "versi_band": baru.versi_band or uow.eppd.versi_terbaru("band")}
        if not versi["versi_indikator"] or not uow.eppd.indikator(versi["versi_indikator"]):
            raise Invalid.field("versi_indikator", f"no indicator set {versi['versi_indikator']!r}")
        if not versi["versi_band"] or not uow.eppd.bands(versi["versi_band"]):
            raise Invalid.field("versi_band", f"no status bands {versi['versi_band']!r}")
        ronde = {"tahun": tahun, **versi, "status": "dibuka", "version": 1}
        if not uow.eppd.add_ronde(ronde):
            raise Conflict(f"the EPPD round of {tahun} exists", errors=[{"field": "tahun", "message": "exists"}])
        out = _ronde_out(uow, ronde)
        uow.audit(RONDE, str(tahun), "create", None, out.model_dump(mode="json"), tahun=tahun)
        idempotency.complete(uow, caller, idempotency_key, out)
        uow.commit()
    return out


def advance_ronde(uow, caller: Scope | None, tahun: int, ke: str) -> RondeOut:
    """Close a round (``ditutup``: no score changes after) or announce it (``diumumkan``: public)."""
    POLICY.require(caller, Aksi.MANAGE_EPPD, NASIONAL)
    with uow:
        ronde = _ronde(uow, tahun, for_update=True)
        if NEXT.get(ronde["status"]) != ke:
            raise Conflict(f"the round of {tahun} is {ronde['status']}: it cannot become {ke}",
                           errors=[{"field": "status", "message": ronde["status"]}])
        before = _ronde_out(uow, ronde)
        ronde = {**ronde, "status": ke, "version": ronde["version"] + 1}
        uow.eppd.save_ronde(tahun, ke, ronde["version"])
        out = _ronde_out(uow, ronde)
        uow.audit(RONDE, str(tahun), "update", before.model_dump(mode="json"), out.model_dump(mode="json"), tahun=tahun)
        if ke == "diumumkan":
            uow.emit_many([HasilEppdDiumumkan(
                kode_pemda=h.kode_pemda, tahun=tahun, aggregate_id=f"{tahun}:{h.kode_pemda}",
                aggregate_version=ronde["version"], klaster=h.klaster, indeks=h.indeks, status=h.status,
                peringkat=h.peringkat, versi_indikator=ronde["versi_indikator"], versi_band=ronde["versi_band"])
                for h in _hasil(uow, ronde)])
        uow.commit()
    return out


def _team(caller: Scope | None, kode_pemda: str) -> Scope:
    caller = access.require_caller(caller)
    if not boleh_menilai(caller, kode_pemda):
        role, kode = penilai(kode_pemda)
        message = f"pemda {kode_pemda} is evaluated by the team of {kode or 'the ministry'} ({role}), not by a " \
                  f"{caller.role} of {caller.kode_pemda or 'pusat'}"
        raise Forbidden(message, errors=[{"field": "kode_pemda", "message": message}])
    return caller


def _open(uow, tahun: int) -> dict:
    ronde = _ronde(uow, tahun, for_update=True)
    if ronde["status"] != "dibuka":
        raise Conflict(f"the round of {tahun} is {ronde['status']}: scores no longer change",
                       errors=[{"field": "tahun", "message": f"round {ronde['status']}"}])
    return ronde


def score_pemda(uow, caller: Scope | None, tahun: int, kode_pemda: str, data: dict) -> PenilaianPemdaOut:
    """The team's scores of one pemda's indicators; refused (nothing changed) by a team outside its scope,
    after the round is closed, or on an indicator not in the round's set."""
    caller = _team(caller, kode_pemda)
    nilai = _parse(NilaiEppd, data)
    with uow:
        ronde = _open(uow, tahun)
        kode = {i["kode"] for i in uow.eppd.indikator(ronde["versi_indikator"])}
        errors = [{"field": f"nilai.{i}.kode_indikator", "message": f"not an indicator of {ronde['versi_indikator']}"}
                  for i, s in enumerate(nilai.nilai) if s.kode_indikator not in kode]
        if errors:
            raise Invalid(errors[0]["message"], errors=errors)
        before = _penilaian(uow, tahun, kode_pemda)
        uow.eppd.simpan_nilai(tahun, kode_pemda, {s.kode_indikator: Decimal(s.skor) for s in nilai.nilai},
                              caller.username)
        out = _penilaian(uow, tahun, kode_pemda)
        uow.audit(PENILAIAN, f"{tahun}:{kode_pemda}", "update", before.model_dump(mode="json"),
                  out.model_dump(mode="json"), kode_pemda=kode_pemda, tahun=tahun)
        uow.commit()
    return out


def flag_pemda(uow, caller: Scope | None, tahun: int, kode_pemda: str, data: dict) -> PenilaianPemdaOut:
    caller = _team(caller, kode_pemda)
    khusus = _parse(StatusKhususEppd, data)
    if khusus.status is not None and not khusus.alasan:
        raise Invalid.field("alasan", f"say why the pemda is {khusus.status}")
    with uow:
        _open(uow, tahun)
        before = _penilaian(uow, tahun, kode_pemda)
        uow.eppd.simpan_khusus(tahun, kode_pemda, khusus.status, khusus.alasan, caller.username)
        out = _penilaian(uow, tahun, kode_pemda)
        uow.audit(PENILAIAN, f"{tahun}:{kode_pemda}", "update", before.model_dump(mode="json"),
                  out.model_dump(mode="json"), kode_pemda=kode_pemda, tahun=tahun)
        uow.commit()
    return out


def _hasil(uow, ronde: dict) -> list[Hasil]:
    bobot = {i["kode"]: i["bobot"] for i in uow.eppd.indikator(ronde["versi_indikator"])}
    khusus = {k: v["status"] for k, v in uow.eppd.khusus(ronde["tahun"]).items()}
    return hasil(bobot, uow.eppd.bands(ronde["versi_band"]), uow.eppd.nilai(ronde["tahun"]), khusus)


def hasil_of(uow, tahun: int) -> dict[str, Hasil]:
    """Every pemda's result of the year's round (none without a round): for the national view."""
    ronde = uow.eppd.ronde(tahun)
    return {} if ronde is None else {h.kode_pemda: h for h in _hasil(uow, ronde)}


def _penilaian(uow, tahun: int, kode_pemda: str) -> PenilaianPemdaOut:
    ronde = _ronde(uow, tahun)
    found = next((h for h in _hasil(uow, ronde) if h.kode_pemda == kode_pemda), None)
    return PenilaianPemdaOut(tahun=tahun, kode_pemda=kode_pemda,
                             nilai={k: str(v) for k, v in uow.eppd.nilai(tahun, kode_pemda).get(kode_pemda, {}).items()},
                             hasil=HasilEppdOut.model_validate(vars(found)) if found else None)


def get_penilaian(uow, caller: Scope | None, tahun: int, kode_pemda: str) -> PenilaianPemdaOut:
    access.require_read(caller, kode_pemda)
    with uow:
        return _penilaian(uow, tahun, kode_pemda)


def get_ronde(uow, caller: Scope | None, tahun: int) -> HasilRondeOut:
    """The round and the results the caller may read (the ministry every pemda's, a province its own and its
    regencies', a pemda its own); ranks are within the whole cluster."""
    caller = access.require_caller(caller)
    with uow:
        ronde = _ronde(uow, tahun)
        rows = [h for h in _hasil(uow, ronde) if caller.can_read(h.kode_pemda)]
        return HasilRondeOut(ronde=_ronde_out(uow, ronde), hasil=[HasilEppdOut.model_validate(vars(h)) for h in rows])


def get_ronde_publik(uow, tahun: int) -> HasilRondeOut:
    with uow:
        ronde = uow.eppd.ronde(tahun)
        if ronde is None or ronde["status"] != "diumumkan":
            raise NotFound(f"no announced EPPD result for {tahun}")
        return HasilRondeOut(ronde=_ronde_out(uow, ronde),
                             hasil=[HasilEppdOut.model_validate(vars(h)) for h in _hasil(uow, ronde)])
