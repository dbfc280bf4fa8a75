"""The register's use cases on an in-memory unit of work: the lifecycle, its refusals, the public's view."""
from __future__ import annotations

import base64
from datetime import date

import pytest

from contracts.keuangan import ApbdDitetapkan, ApbdPerubahanDitetapkan
from sipd_common.access import Role, Scope
from sipd_common.errors import Conflict, Forbidden, Invalid, NotFound
from services.pemerintahan.perda import usecases

from .fakes import FakePemerintahanUnitOfWork

KOTA = Scope("u1", "hukum.bandung", Role.PEMDA_ADMIN, "32.73")
CIMAHI = Scope("u5", "hukum.cimahi", Role.PEMDA_ADMIN, "32.77")
DPRD = Scope("u6", "dprd.bandung", Role.DPRD, "32.73")
INSPEKTUR = Scope("u7", "inspektur.bandung", Role.INSPEKTUR, "32.73")
JABAR = Scope("u2", "jabar", Role.PROVINSI_ADMIN, "32")
DKI = Scope("u3", "dki", Role.PROVINSI_ADMIN, "31")


def new(uow, caller=KOTA, kode_pemda="32.73", **data):
    return usecases.create_perda(uow, caller, kode_pemda, {"jenis": "perda", "tahun": 2027, "judul": "Pajak Daerah",
                                                            **data})


def step(uow, caller, item, tahap, kode_pemda="32.73", **data):
    return usecases.step_perda(uow, caller, kode_pemda, item.id, {"tahap": tahap, **data})


def through(uow, item, *steps):
    for caller, tahap, data in steps:
        item = step(uow, caller, item, tahap, kode_pemda=item.kode_pemda, **data)
    return item


ENACT = {"nomor": "Perda 1/2027", "tanggal": "2027-03-01"}
PROMULGATE = {"nomor": "LD 2027/1", "tanggal": "2027-03-02"}


def test_a_perda_goes_its_whole_path_each_step_by_its_level():
    uow = FakePemerintahanUnitOfWork()
    item = through(uow, new(uow, kategori="pajak"), (KOTA, "pembahasan_dprd", {}), (JABAR, "fasilitasi", {}),
                   (DPRD, "persetujuan_bersama", {}), (JABAR, "evaluasi", {"catatan": "sesuai"}), (JABAR, "noreg", {}),
                   (KOTA, "ditetapkan", ENACT), (KOTA, "diundangkan", PROMULGATE))
    assert item.status == "diundangkan" and item.tahap_berikut is None
    assert item.noreg == "NOREG PERDA 32.73 (1/2027)" and item.tanggal_pengundangan == date(2027, 3, 2)
    assert [r.tahap for r in item.riwayat] == ["draft", "pembahasan_dprd", "fasilitasi", "persetujuan_bersama",
                                               "evaluasi", "noreg", "ditetapkan", "diundangkan"]
    assert len(uow.audited) == 8


def test_noreg_is_numbered_per_province_and_year_without_gaps():
    uow = FakePemerintahanUnitOfWork()
    numbers = []
    for caller, kode in ((KOTA, "32.73"), (CIMAHI, "32.77"), (KOTA, "32.73")):
        item = through(uow, new(uow, caller, kode), (caller, "pembahasan_dprd", {}), (JABAR, "fasilitasi", {}),
                       (caller, "persetujuan_bersama", {}))
        with pytest.raises(Forbidden):  # a refused noreg takes no number
            step(uow, DKI, item, "noreg", kode_pemda=kode)
        numbers.append(step(uow, JABAR, item, "noreg", kode_pemda=kode).noreg)
    assert numbers == ["NOREG PERDA 32.73 (1/2027)", "NOREG PERDA 32.77 (2/2027)", "NOREG PERDA 32.73 (3/2027)"]


@pytest.mark.parametrize("caller, tahap, error, field", [
    (KOTA, "persetujuan_bersama", Conflict, "tahap"),        # out of order
    (KOTA, "fasilitasi", Forbidden, "tahap"),                 # the pemda's own facilitation: wrong level
    (DKI, "fasilitasi", Forbidden, None),                     # another province: not even its to read
    (INSPEKTUR, "fasilitasi", Forbidden, "tahap"),
])
def test_a_step_out_of_order_or_by_the_wrong_level_changes_nothing(caller, tahap, error, field):
    uow = FakePemerintahanUnitOfWork()
    item = step(uow, KOTA, new(uow), "pembahasan_dprd")
    before = (usecases.get_perda(uow, KOTA, "32.73", item.id), len(uow.audited))
    with pytest.raises(error) as refused:
        step(uow, caller, item, tahap)
    assert [e["field"] for e in refused.value.errors] == ([field] if field else [])
    assert (usecases.get_perda(uow, KOTA, "32.73", item.id), len(uow.audited)) == before


def test_the_pemda_s_own_steps_are_refused_to_a_role_without_the_right():
    uow = FakePemerintahanUnitOfWork()
    with pytest.raises(Forbidden):
        step(uow, INSPEKTUR, new(uow), "pembahasan_dprd")
    with pytest.raises(Forbidden):
        new(uow, INSPEKTUR)


def test_an_attachment_is_stored_with_its_checksum_and_refused_when_not_a_pdf():
    uow = FakePemerintahanUnitOfWork()
    item = new(uow)
    pdf = b"%PDF-1.4 signed"
    out = usecases.attach_perda(uow, KOTA, "32.73", item.id, "perda.pdf", base64.b64encode(pdf).decode())
    [lampiran] = out.lampiran
    assert lampiran.ukuran == len(pdf) and len(lampiran.sha256) == 64
    got = usecases.get_lampiran(uow, JABAR, "32.73", item.id, lampiran.id)
    assert base64.b64decode(got.isi) == pdf
    with pytest.raises(Invalid) as refused:
        usecases.attach_perda(uow, KOTA, "32.73", item.id, "x.docx", base64.b64encode(b"PK\x03\x04").decode())
    assert refused.value.errors[0]["field"] == "file"
    assert len(usecases.get_perda(uow, KOTA, "32.73", item.id).lampiran) == 1


def test_the_public_reads_enacted_regulations_only():
    uow = FakePemerintahanUnitOfWork()
    draft = new(uow)
    perkada = through(uow, new(uow, jenis="perkada"), (KOTA, "harmonisasi", {}), (KOTA, "ditetapkan", ENACT))
    assert [p.id for p in usecases.list_perda_publik(uow)["items"]] == [perkada.id]
    assert usecases.get_perda_publik(uow, perkada.id).status == "ditetapkan"
    with pytest.raises(NotFound):
        usecases.get_perda_publik(uow, draft.id)


def test_another_pemda_reads_none_of_it_and_a_province_reads_its_regencies():
    uow = FakePemerintahanUnitOfWork()
    item = new(uow)
    with pytest.raises(Forbidden):
        usecases.get_perda(uow, CIMAHI, "32.73", item.id)
    with pytest.raises(Forbidden):
        usecases.list_perda(uow, DKI, "32.73")
    assert usecases.list_perda(uow, JABAR, "32.73")["total"] == 1


def test_the_apbd_s_perda_and_perkada_are_registered_once_from_its_enactment():
    uow = FakePemerintahanUnitOfWork()
    event = ApbdDitetapkan(kode_pemda="32.73", tahun=2027, aggregate_id="32.73:2027", aggregate_version=3,
                           nomor_perda="Perda 9/2026", tanggal_perda=date(2026, 12, 20), nomor_perkada="Perwal 88/2026",
                           tanggal_perkada=date(2026, 12, 21), pendapatan="10", belanja="10", pembiayaan_netto="0",
                           silpa="0", hash="0" * 64)
    for _ in range(2):  # the same enactment again (a replay with a new event id) registers nothing more
        usecases.apply_apbd_ditetapkan(uow, event)
        uow.commit()
    # entered enacted: each published once, as a regulation enacted in the register is
    assert sorted((e.event_type(), e.jenis, e.nomor, e.sumber) for e in uow.events) == [
        ("perda.ditetapkan.v1", "perda", "Perda 9/2026", "keuangan.apbd"),
        ("perda.ditetapkan.v1", "perkada", event.nomor_perkada, "keuangan.apbd")]
    perda, perkada = sorted(usecases.list_perda(uow, KOTA, "32.73")["items"], key=lambda p: p.jenis)
    assert (perda.status, perda.nomor, perda.noreg) == ("ditetapkan", "Perda 9/2026", "NOREG PERDA 32.73 (1/2027)")
    assert (perkada.status, perkada.noreg, perkada.tahap_berikut) == ("ditetapkan", None, "diundangkan")
    assert [p.id for p in usecases.list_perda_publik(uow, kode_pemda="32.73")["items"]] != []
    done = step(uow, KOTA, perda, "diundangkan", **PROMULGATE)
    assert done.status == "diundangkan" and uow.perda.noreg == {("32", 2027): 1}


def test_what_becomes_public_is_published_once_per_change():
    uow = FakePemerintahanUnitOfWork()
    pdf = base64.b64encode(b"%PDF-1.4 signed").decode()
    item = new(uow, jenis="perkada")
    usecases.attach_perda(uow, KOTA, "32.73", item.id, "rancangan.pdf", pdf)  # a draft's: not published
    item = through(uow, item, (KOTA, "harmonisasi", {}))
    assert uow.events == []
    item = through(uow, item, (KOTA, "ditetapkan", ENACT))
    signed = usecases.attach_perda(uow, KOTA, "32.73", item.id, "perwal.pdf", pdf)
    with pytest.raises(Conflict):  # a refused step publishes nothing
        step(uow, KOTA, signed, "ditetapkan", **ENACT)
    done = step(uow, KOTA, signed, "diundangkan", **PROMULGATE)
    enacted, attached, promulgated = uow.events
    assert [e.event_type() for e in uow.events] == ["perda.ditetapkan.v1", "perda.lampiran.ditambahkan.v1",
                                                    "perda.diundangkan.v1"]
    assert (enacted.aggregate_id, enacted.kode_pemda, enacted.tahun, enacted.nomor, enacted.sumber) == (
        item.id, "32.73", 2027, "Perda 1/2027", "register")
    assert attached.lampiran_id == signed.lampiran[-1].id and attached.sha256 == signed.lampiran[-1].sha256
    assert (promulgated.nomor_pengundangan, promulgated.aggregate_version) == ("LD 2027/1", done.version)
    assert [e.aggregate_version for e in uow.events] == sorted({e.aggregate_version for e in uow.events})

def test_the_apbd_p_s_perda_and_perkada_are_registered_once_beside_the_apbd_s():
    uow = FakePemerintahanUnitOfWork()
    common = dict(kode_pemda="32.73", tahun=2027, aggregate_id="32.73:2027", aggregate_version=3, hash="0" * 64)
    usecases.apply_apbd_ditetapkan(uow, ApbdDitetapkan(
        **common, nomor_perda="Perda 9/2026", tanggal_perda=date(2026, 12, 20), nomor_perkada="Perwal 88/2026",
        tanggal_perkada=date(2026, 12, 21), pendapatan="10", belanja="10", pembiayaan_netto="0", silpa="0"))
    perubahan = ApbdPerubahanDitetapkan(
        **common, nomor_perda="Perda 7/2027", tanggal_perda=date(2027, 9, 30), nomor_perkada="Perwal 51/2027",
        tanggal_perkada=date(2027, 10, 1), pendapatan_murni="10", pendapatan="12", belanja_murni="10", belanja="12",
        pembiayaan_netto_murni="0", pembiayaan_netto="0", silpa_murni="0", silpa="0")
    for _ in range(2):  # the same version as the APBD's, another budget: registered; a replay: nothing more
        usecases.apply_apbd_ditetapkan(uow, perubahan)
        uow.commit()
    items = usecases.list_perda(uow, KOTA, "32.73")["items"]
    assert sorted((p.kategori, p.jenis, p.nomor, p.sumber) for p in items) == [
        ("apbd", "perda", "Perda 9/2026", "keuangan.apbd"), ("apbd", "perkada", "Perwal 88/2026", "keuangan.apbd"),
        ("perubahan_apbd", "perda", "Perda 7/2027", "keuangan.apbd_p"),
        ("perubahan_apbd", "perkada", "Perwal 51/2027", "keuangan.apbd_p")]
    perda = next(p for p in items if (p.kategori, p.jenis) == ("perubahan_apbd", "perda"))
    assert (perda.status, perda.noreg, perda.judul) == (
        "ditetapkan", "NOREG PERDA 32.73 (2/2027)", "Peraturan Daerah tentang Perubahan APBD Tahun Anggaran 2027")
