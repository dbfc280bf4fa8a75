"""Binwas findings on an in-memory unit of work: who records, who answers, who decides, in which order."""
from __future__ import annotations

import pytest

from sipd_common.access import Role, Scope
from sipd_common.errors import Conflict, Forbidden
from services.pemerintahan.binwas import usecases

from .fakes import FakePemerintahanUnitOfWork

PUSAT = Scope("1", "kemendagri", Role.PUSAT_ADMIN)
JABAR = Scope("2", "jabar", Role.PROVINSI_ADMIN, "32")
DKI = Scope("3", "dki", Role.PROVINSI_ADMIN, "31")
INSPEKTUR = Scope("4", "inspektur.bandung", Role.INSPEKTUR, "32.73")
DPRD = Scope("5", "dprd.bandung", Role.DPRD, "32.73")
TEMUAN = {"tahun": 2027, "objek": "rasio_anggaran", "uraian": "Belanja pegawai 34%", "rekomendasi": "Turunkan"}


def test_a_finding_answered_sent_back_answered_again_and_closed():
    uow = FakePemerintahanUnitOfWork()
    item = usecases.create_temuan(uow, JABAR, "32.73", TEMUAN)
    item = usecases.answer_temuan(uow, INSPEKTUR, "32.73", item.id, {"isi": "Rasionalisasi TPP"})
    item = usecases.decide_temuan(uow, JABAR, "32.73", item.id, {"diterima": False, "catatan": "Belum cukup"})
    assert item.status == "terbuka"
    item = usecases.answer_temuan(uow, INSPEKTUR, "32.73", item.id, {"isi": "Moratorium pegawai"})
    item = usecases.decide_temuan(uow, PUSAT, "32.73", item.id, {"diterima": True})
    assert item.status == "selesai" and [t.jenis for t in item.tindak_lanjut] == [
        "tanggapan", "dikembalikan", "tanggapan", "diterima"]
    assert [a["action"] for a in uow.audited] == ["create"] + ["update"] * 4


@pytest.mark.parametrize("caller, kode", [(DKI, "32.73"), (JABAR, "32"), (INSPEKTUR, "32.73"), (JABAR, "31.71")])
def test_only_the_ministry_or_the_regency_s_province_records_a_finding(caller, kode):
    uow = FakePemerintahanUnitOfWork()
    with pytest.raises(Forbidden):
        usecases.create_temuan(uow, caller, kode, TEMUAN)
    assert uow.binwas.temuan == {}


def test_the_pemda_answers_only_an_open_finding_and_only_its_own():
    uow = FakePemerintahanUnitOfWork()
    item = usecases.create_temuan(uow, PUSAT, "32", {**TEMUAN, "objek": "perda"})
    with pytest.raises(Forbidden):
        usecases.answer_temuan(uow, DPRD, "32", item.id, {"isi": "x"})
    with pytest.raises(Forbidden):
        usecases.answer_temuan(uow, INSPEKTUR, "32", item.id, {"isi": "x"})
    with pytest.raises(Conflict) as refused:
        usecases.decide_temuan(uow, PUSAT, "32", item.id, {"diterima": True})
    assert refused.value.errors[0]["field"] == "status"
    usecases.answer_temuan(uow, JABAR, "32", item.id, {"isi": "Dicabut"})
    with pytest.raises(Forbidden):  # a province does not decide on its own findings
        usecases.decide_temuan(uow, JABAR, "32", item.id, {"diterima": True})
    with pytest.raises(Conflict):
        usecases.answer_temuan(uow, JABAR, "32", item.id, {"isi": "lagi"})


def test_a_text_with_a_nul_is_refused_naming_its_field():
    """PostgreSQL's text holds no NUL: refused as bad input (422), not a database error."""
    from sipd_common.errors import Invalid

    with pytest.raises(Invalid) as refused:
        usecases.create_temuan(FakePemerintahanUnitOfWork(), JABAR, "32.73", {**TEMUAN, "uraian": "a\x00b"})
    assert refused.value.errors[0]["field"] == "uraian"
