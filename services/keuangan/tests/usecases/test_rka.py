"""RKA-SKPD lines on an in-memory unit of work: priced from the standard prices, held to the item's ceiling and
its funding sources'; every refusal names its field and changes nothing; the tree, the notes, the import."""
from __future__ import annotations

import base64
import io
import uuid
from decimal import Decimal

import pytest
from openpyxl import Workbook

from services.keuangan.plafon.usecases import apply_rkpd_saved
from services.keuangan.rincian import usecases
from services.keuangan.replika.domain import terbaru
from services.keuangan.rka import usecases as rka
from sipd_common.access import Role, Scope
from sipd_common.errors import Forbidden, Invalid, NotFound

from .fakes import (
    KODE, KOMPONEN_HIBAH, PEMDA, REKENING_HIBAH, TAHUN, FakeKeuanganUnitOfWork, apply, komponen, rekening_item,
    rka_line, saved, with_rka,
)

TAPD = Scope("u1", "tapd.bandung", Role.TAPD, PEMDA)
SKPD = KODE["kode_skpd"]
OPERATOR = Scope("u2", "op.pendidikan", Role.SKPD_OPERATOR, PEMDA, kode_skpd=SKPD)
OTHER_OPERATOR = Scope("u3", "op.kesehatan", Role.SKPD_OPERATOR, PEMDA, kode_skpd="1.02.0.00.0.00.01.0000")


def budget(pagu: str = "100000000.00", sumber_dana: dict | None = None, **kode) -> tuple[FakeKeuanganUnitOfWork, str]:
    rkpd_id = str(uuid.uuid4())
    uow = with_rka(FakeKeuanganUnitOfWork(TAPD))
    apply(uow, apply_rkpd_saved, saved(rkpd_id, pagu, sumber_dana=sumber_dana, **kode))
    return uow, rkpd_id


def state(uow) -> tuple:
    return (dict(uow.rincian.lines), {k: vars(p).copy() for k, p in uow.plafon.rows.items()}, len(uow.events),
            len(uow.audited))


def refused(uow, data: dict, caller: Scope = TAPD) -> list[str]:
    before = state(uow)
    with pytest.raises(Invalid) as raised:
        usecases.create_rka_rincian(uow, caller, PEMDA, TAHUN, data)
    assert state(uow) == before
    return [e["field"] for e in raised.value.errors]


def test_an_rka_line_is_priced_from_its_component_with_its_coefficient_and_tax():
    uow, rkpd_id = budget()
    out = usecases.create_rka_rincian(uow, TAPD, PEMDA, TAHUN, rka_line(rkpd_id, pajak="11", harga_satuan="2499999.99"))
    # 2 × 12 × 2,499,999.99 × 1.11 = 66,599,999.73... → 66,599,999.7336 rounds half up to the rupiah
    assert out.volume == Decimal(24) and out.koefisien_teks == "2 Orang x 12 Bulan" and out.satuan == "Orang x Bulan"
    assert out.jumlah == Decimal("66600000")
    assert (out.uraian, out.spesifikasi, out.kode_sumber_dana) == ("Komponen 1.1.12.01.01.0001", "per orang per bulan", "1.1")
    p = uow.plafon.rows[rkpd_id]
    assert p.total_rincian == Decimal("66600000") and p.total_sumber_dana == {"1.1": Decimal("66600000")}
    assert len(uow.events) == 2 and uow.audited[-1]["record_id"] == out.id


def test_half_a_rupiah_rounds_up_and_less_rounds_down():
    uow, rkpd_id = budget()
    half = usecases.create_rka_rincian(uow, TAPD, PEMDA, TAHUN, rka_line(
        rkpd_id, koefisien=[{"volume": "1", "satuan": "OB"}], harga_satuan="0.50"))
    less = usecases.create_rka_rincian(uow, TAPD, PEMDA, TAHUN, rka_line(
        rkpd_id, koefisien=[{"volume": "1", "satuan": "OB"}], harga_satuan="1.49"))
    assert (half.jumlah, less.jumlah) == (Decimal(1), Decimal(1))


@pytest.mark.parametrize("changes, field", [
    ({"harga_satuan": "2500000.01"}, "harga_satuan"),                  # above the standard price
    ({"kode_rekening": "5.2.03.01.01.0002"}, "kode_rekening"),         # not an account the component allows
    ({"kode_rekening": "5.1.02.01.01"}, "kode_rekening"),              # not a leaf
    ({"kode_standar_harga": "9.9.99.99.99.0001"}, "kode_standar_harga"),  # another pemda's component
    ({"kode_standar_harga": "9.9.99.99.99.0002"}, "kode_standar_harga"),  # another year's
    ({"kode_standar_harga": "9.9.99.99.99.0003"}, "kode_standar_harga"),  # retired
    ({"kode_sumber_dana": "7.7"}, "kode_sumber_dana"),                  # unknown funding source
    ({"kode_sumber_dana": "9.9"}, "kode_sumber_dana"),                  # retired
    ({"koefisien": []}, "koefisien"),
    ({"koefisien": [{"volume": "1", "satuan": "a"}] * 5}, "koefisien"),
    ({"koefisien": [{"volume": "0.0001", "satuan": "a"}, {"volume": "0.5", "satuan": "b"}]}, "koefisien"),
    ({"pajak": "100.01"}, "pajak"),
    ({"pajak": 11.5}, "pajak"),                                          # a float, never
])
def test_a_line_breaking_a_rule_is_refused_naming_the_field(changes, field):
    uow, rkpd_id = budget()
    assert field in refused(uow, rka_line(rkpd_id, **changes))


def test_a_hibah_line_names_its_recipient():
    uow, rkpd_id = budget()
    hibah = rka_line(rkpd_id, kode_rekening=REKENING_HIBAH, kode_standar_harga=KOMPONEN_HIBAH,
                     koefisien=[{"volume": "1", "satuan": "Paket"}], harga_satuan="50000000.00")
    assert refused(uow, hibah) == ["penerima"]
    out = usecases.create_rka_rincian(uow, TAPD, PEMDA, TAHUN, {**hibah, "penerima": {
        "nama": "Yayasan Pendidikan Nusantara", "kode_wilayah": "32.73.01"}})
    assert out.penerima.nama == "Yayasan Pendidikan Nusantara"


# -- the account flags (tanda_rekening): a salary only under the salary sub kegiatan, a land purchase's location ----

GAJI, TANAH = "5.1.01.01.01.0001", "5.2.01.01.01.0001"
KOMPONEN_GAJI, KOMPONEN_TANAH = "1.1.12.09.01.0001", "1.3.01.01.01.0001"
SUB_GAJI = "1.01.01.2.02.0001"  # Penyediaan Gaji dan Tunjangan ASN, under the SKPD's bidang
LOKASI = {"kode_wilayah": "32.73.01.1001", "uraian": "Jl. Sukajadi, 1.200 m2, calon SD Negeri"}


def flagged(**kode) -> tuple[FakeKeuanganUnitOfWork, str]:
    """A budget whose replica has a salary and a land account, each with a component."""
    uow, rkpd_id = budget("3000000000.00", **kode)
    uow.replika.simpan("rekening", terbaru("rekening", [rekening_item(GAJI, "Belanja Gaji Pokok PNS", revisi=30),
                                                        rekening_item(TANAH, "Belanja Modal Tanah", revisi=31)]))
    uow.replika.simpan("standar_harga", [komponen(KOMPONEN_GAJI, "5000000.00", (GAJI,)),
                                         komponen(KOMPONEN_TANAH, "2000000.00", (TANAH,))])
    uow.commit()
    return uow, rkpd_id


def gaji(rkpd_id: str, **changes) -> dict:
    return rka_line(rkpd_id, kelompok="Gaji", kode_rekening=GAJI, kode_standar_harga=KOMPONEN_GAJI,
                    harga_satuan="5000000.00", **changes)


def tanah(rkpd_id: str, **changes) -> dict:
    return rka_line(rkpd_id, kelompok="Pengadaan tanah", kode_rekening=TANAH, kode_standar_harga=KOMPONEN_TANAH,
                    koefisien=[{"volume": "1200", "satuan": "m2"}], harga_satuan="2000000.00", **changes)


def test_an_asn_salary_is_refused_outside_the_salary_sub_kegiatan_naming_the_account():
    uow, rkpd_id = flagged()  # 1.01.02.2.01.0001, Pembangunan Unit Sekolah Baru
    assert refused(uow, gaji(rkpd_id)) == ["kode_rekening"]
    uow, rkpd_id = flagged(kode_sub_kegiatan=SUB_GAJI)
    out = usecases.create_rka_rincian(uow, TAPD, PEMDA, TAHUN, gaji(rkpd_id))
    assert (out.kode_rekening, out.jumlah) == (GAJI, Decimal(120000000))


def test_a_land_purchase_names_its_location():
    uow, rkpd_id = flagged()
    assert refused(uow, tanah(rkpd_id)) == ["lokasi"]
    assert refused(uow, tanah(rkpd_id, lokasi={"uraian": "tanpa wilayah"})) == ["lokasi.kode_wilayah"]
    out = usecases.create_rka_rincian(uow, TAPD, PEMDA, TAHUN, tanah(rkpd_id, lokasi=LOKASI))
    assert out.lokasi.kode_wilayah == LOKASI["kode_wilayah"] and out.jumlah == Decimal(2400000000)
    assert usecases.get_rincian(uow, TAPD, PEMDA, TAHUN, out.id).lokasi == out.lokasi
    # a change keeps to the rule: without its location it is refused, nothing changed
    before = state(uow)
    with pytest.raises(Invalid) as raised:
        usecases.update_rka_rincian(uow, TAPD, PEMDA, TAHUN, out.id, tanah(rkpd_id))
    assert [e["field"] for e in raised.value.errors] == ["lokasi"] and state(uow) == before


def test_the_import_applies_the_account_flags_naming_the_column():
    uow, rkpd_id = flagged()
    before = state(uow)
    report = rka.import_rka(uow, OPERATOR, PEMDA, TAHUN, SKPD, xlsx(
        row(), row(kode_rekening=GAJI, kode_standar_harga=KOMPONEN_GAJI, harga="5000000"),
        row(kode_rekening=TANAH, kode_standar_harga=KOMPONEN_TANAH, volume_1=1200, satuan_1="m2", volume_2=None,
            satuan_2=None, harga="2000000")))
    assert [(e.baris, e.kolom) for e in report.errors] == [(3, "kode_rekening"), (4, "lokasi_kode_wilayah")]
    assert state(uow) == before
    report = rka.import_rka(uow, OPERATOR, PEMDA, TAHUN, SKPD, xlsx(
        row(kode_rekening=TANAH, kode_standar_harga=KOMPONEN_TANAH, volume_1=1200, satuan_1="m2", volume_2=None,
            satuan_2=None, harga="2000000", lokasi_kode_wilayah="32.73.01")))
    assert report.errors == [] and report.total == Decimal(2400000000)
    assert next(iter(uow.rincian.lines.values()))["lokasi"] == {"kode_wilayah": "32.73.01", "uraian": None}


def test_the_ceiling_and_each_funding_sources_ceiling_hold_exactly():
    uow, rkpd_id = budget("80000000.00", sumber_dana={"1.1": "60000000.00", "2.1": "10000000.00"})
    usecases.create_rka_rincian(uow, TAPD, PEMDA, TAHUN, rka_line(rkpd_id))  # 60,000,000 from 1.1
    one = [{"volume": "1", "satuan": "OB"}]
    assert refused(uow, rka_line(rkpd_id, koefisien=one, harga_satuan="1.00")) == ["kode_sumber_dana"]
    # 2.1 has 10,000,000: not a rupiah more
    assert refused(uow, rka_line(rkpd_id, kode_sumber_dana="2.1", koefisien=[{"volume": "5", "satuan": "OB"}],
                                 harga_satuan="2000000.10")) == ["kode_sumber_dana"]  # 10,000,000.50 → 10,000,001
    usecases.create_rka_rincian(uow, TAPD, PEMDA, TAHUN, rka_line(
        rkpd_id, kode_sumber_dana="2.1", koefisien=[{"volume": "4", "satuan": "OB"}], harga_satuan="2500000.00"))
    assert refused(uow, rka_line(rkpd_id, kode_sumber_dana="2.1", koefisien=one, harga_satuan="1.00")) == [
        "kode_sumber_dana"]  # 10,000,000 of the item's 80,000,000 left, none of 2.1's
    # a source the item is not funded by
    uow2, rkpd2 = budget(sumber_dana={"2.1": "100000000.00"})
    assert refused(uow2, rka_line(rkpd2)) == ["kode_sumber_dana"]


def test_an_operator_prices_its_own_skpds_items_only():
    uow, rkpd_id = budget()
    assert usecases.create_rka_rincian(uow, OPERATOR, PEMDA, TAHUN, rka_line(rkpd_id)).jumlah == Decimal(60000000)
    with pytest.raises(Forbidden):
        usecases.create_rka_rincian(uow, OTHER_OPERATOR, PEMDA, TAHUN, rka_line(rkpd_id))


def test_the_rka_of_a_sub_kegiatan_groups_its_lines():
    uow, rkpd_id = budget()
    for kelompok, keterangan in (("B", "x"), ("A", "y"), ("A", "x"), ("A", "x")):
        usecases.create_rka_rincian(uow, TAPD, PEMDA, TAHUN, rka_line(
            rkpd_id, kelompok=kelompok, keterangan=keterangan, koefisien=[{"volume": "1", "satuan": "OB"}]))
    tree = rka.get_rka_sub_kegiatan(uow, OPERATOR, PEMDA, TAHUN, rkpd_id)
    assert [(k.kelompok, k.jumlah, [(x.keterangan, len(x.rincian)) for x in k.keterangan]) for k in tree.kelompok] == [
        ("A", Decimal(7500000), [("x", 2), ("y", 1)]), ("B", Decimal(2500000), [("x", 1)])]
    assert tree.plafon.total_rincian == Decimal(10000000)
    with pytest.raises(Forbidden):
        rka.get_rka_sub_kegiatan(uow, OTHER_OPERATOR, PEMDA, TAHUN, rkpd_id)


def test_tapd_notes_and_the_skpd_answers():
    uow, rkpd_id = budget()
    note = rka.create_verifikasi(uow, TAPD, PEMDA, TAHUN, rkpd_id, {"fokus_uraian": "Honorarium",
                                                                      "catatan": "Sesuaikan dengan SBU"})
    with pytest.raises(Forbidden):
        rka.create_verifikasi(uow, OPERATOR, PEMDA, TAHUN, rkpd_id, {"fokus_uraian": "x", "catatan": "y"})
    with pytest.raises(Forbidden):
        rka.answer_verifikasi(uow, OTHER_OPERATOR, PEMDA, TAHUN, note.id, {"tanggapan": "bukan kami"})
    answered = rka.answer_verifikasi(uow, OPERATOR, PEMDA, TAHUN, note.id, {"tanggapan": "Sudah disesuaikan"})
    assert (answered.tanggapan, answered.ditanggapi_oleh) == ("Sudah disesuaikan", "op.pendidikan")
    listed = rka.list_verifikasi(uow, TAPD, PEMDA, TAHUN, rkpd_id)
    assert listed["total"] == 1 and listed["items"][0].tanggapan == "Sudah disesuaikan"
    assert [a["action"] for a in uow.audited if a["record_type"] == "rka_verifikasi"] == ["create", "update"]
    with pytest.raises(NotFound):
        rka.answer_verifikasi(uow, OPERATOR, PEMDA, TAHUN, str(uuid.uuid4()), {"tanggapan": "x"})


# -- the import -------------------------------------------------------------------------------------------

HEADER = ["kode_sub_kegiatan", "kelompok", "keterangan", "kode_rekening", "kode_standar_harga", "volume_1", "satuan_1",
          "volume_2", "satuan_2", "harga_satuan", "pajak", "kode_sumber_dana", "penerima_nama", "lokasi_kode_wilayah"]


def xlsx(*rows) -> str:
    book = Workbook()
    sheet = book.active
    sheet.append(HEADER)
    for row in rows:
        sheet.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return base64.b64encode(out.getvalue()).decode()


def row(harga="2500000", kelompok="Honorarium", **changes):
    values = dict(zip(HEADER, [KODE["kode_sub_kegiatan"], kelompok, "Tenaga", "5.1.02.02.01.0026",
                               "1.1.12.01.01.0001", 2, "Orang", 12, "Bulan", harga, 0, "1.1", None, None]))
    values.update(changes)
    return [values[h] for h in HEADER]


def test_an_import_replaces_the_sub_kegiatans_lines_atomically_and_twice_is_the_same():
    uow, rkpd_id = budget()
    usecases.create_rka_rincian(uow, TAPD, PEMDA, TAHUN, rka_line(rkpd_id))
    report = rka.import_rka(uow, OPERATOR, PEMDA, TAHUN, SKPD, xlsx(row(), row(1000000.5, "Bahan")))
    assert report.errors == [] and (report.jumlah_rincian, report.jumlah_sub_kegiatan) == (2, 1)
    assert report.total == Decimal(60000000 + 24000012)
    again = rka.import_rka(uow, OPERATOR, PEMDA, TAHUN, SKPD, xlsx(row(), row(1000000.5, "Bahan")))
    assert again.total == report.total and len(uow.rincian.lines) == 2
    assert uow.plafon.rows[rkpd_id].total_rincian == report.total


def test_an_import_with_bad_rows_reports_each_and_changes_nothing():
    uow, rkpd_id = budget("60000000.00")
    usecases.create_rka_rincian(uow, TAPD, PEMDA, TAHUN, rka_line(rkpd_id))
    before = state(uow)
    report = rka.import_rka(uow, OPERATOR, PEMDA, TAHUN, SKPD, xlsx(
        row(), row(harga="2500000.01"), row(kode_sumber_dana="9.9"), row(kode_sub_kegiatan="1.01.02.2.01.9999"),
        row(volume_1="dua")))
    assert state(uow) == before
    assert [(e.baris, e.kolom) for e in report.errors] == [
        (3, "harga_satuan"), (4, "kode_sumber_dana"), (5, "kode_sub_kegiatan"), (6, "volume_1")]
    # well-formed rows whose sum is above the ceiling: the rows that do not fit are named
    report = rka.import_rka(uow, OPERATOR, PEMDA, TAHUN, SKPD, xlsx(row(), row()))
    assert [(e.baris, e.kolom) for e in report.errors] == [(3, "harga_satuan")] and state(uow) == before


def test_an_import_is_the_skpds_own():
    uow, _ = budget()
    with pytest.raises(Forbidden):
        rka.import_rka(uow, OTHER_OPERATOR, PEMDA, TAHUN, SKPD, xlsx(row()))
    with pytest.raises(Invalid) as raised:
        rka.import_rka(uow, OPERATOR, PEMDA, TAHUN, SKPD, base64.b64encode(b"PK\x03\x04garbage").decode())
    assert raised.value.errors[0]["field"] == "file"


# -- one line changed or deleted (issue 13: the same rules as a new line, closed once the budget is) ----------------

def test_a_line_is_changed_by_the_rules_of_a_new_one_within_its_ceiling_and_audited():
    uow, rkpd_id = budget("80000000.00", sumber_dana={"1.1": "70000000.00", "2.1": "10000000.00"})
    out = usecases.create_rka_rincian(uow, OPERATOR, PEMDA, TAHUN, rka_line(rkpd_id))  # 60,000,000 from 1.1
    # its own old amount is taken out first: 70,000,000 of 1.1 may now be used by the line itself
    changed = usecases.update_rka_rincian(uow, OPERATOR, PEMDA, TAHUN, out.id, rka_line(
        rkpd_id, koefisien=[{"volume": "28", "satuan": "OB"}], harga_satuan="2500000.00"))
    assert changed.id == out.id and changed.jumlah == Decimal(70000000) and changed.koefisien_teks == "28 OB"
    p = uow.plafon.rows[rkpd_id]
    assert p.total_rincian == Decimal(70000000) and p.total_sumber_dana == {"1.1": Decimal(70000000)}
    assert (uow.audited[-1]["action"], Decimal(uow.audited[-1]["before"]["jumlah"])) == ("update", 60000000)
    # moved to the other source: its ceiling holds
    moved = usecases.update_rka_rincian(uow, OPERATOR, PEMDA, TAHUN, out.id, rka_line(
        rkpd_id, kode_sumber_dana="2.1", koefisien=[{"volume": "4", "satuan": "OB"}]))
    assert uow.plafon.rows[rkpd_id].total_sumber_dana == {"2.1": Decimal(10000000)} and moved.jumlah == 10000000


@pytest.mark.parametrize("changes, field", [
    ({"harga_satuan": "2500000.01"}, "harga_satuan"),                          # above the standard price
    ({"koefisien": [{"volume": "40", "satuan": "OB"}]}, "harga_satuan"),        # above the ceiling
    ({"kode_rekening": REKENING_HIBAH}, "kode_rekening"),                       # an account the component does not allow
    ({"rkpd_id": "11111111-2222-3333-4444-555555555555"}, "rkpd_id"),            # it stays under its sub kegiatan
])
def test_a_change_breaking_a_rule_is_refused_naming_the_field_and_changes_nothing(changes, field):
    uow, rkpd_id = budget("80000000.00")
    out = usecases.create_rka_rincian(uow, TAPD, PEMDA, TAHUN, rka_line(rkpd_id))
    before = state(uow)
    with pytest.raises(Invalid) as raised:
        usecases.update_rka_rincian(uow, TAPD, PEMDA, TAHUN, out.id, {**rka_line(rkpd_id), **changes})
    assert state(uow) == before and field in [e["field"] for e in raised.value.errors]


def test_a_line_is_deleted_its_amount_given_back_and_audited_by_its_own_skpd_only():
    uow, rkpd_id = budget()
    out = usecases.create_rka_rincian(uow, OPERATOR, PEMDA, TAHUN, rka_line(rkpd_id))
    for call, args in ((usecases.delete_rincian, ()), (usecases.update_rka_rincian, (rka_line(rkpd_id),))):
        before = state(uow)
        with pytest.raises(Forbidden):
            call(uow, OTHER_OPERATOR, PEMDA, TAHUN, out.id, *args)
        assert state(uow) == before
    usecases.delete_rincian(uow, OPERATOR, PEMDA, TAHUN, out.id)
    assert not uow.rincian.lines and uow.plafon.rows[rkpd_id].total_rincian == 0
    assert uow.audited[-1]["action"] == "delete" and uow.audited[-1]["record_id"] == out.id
    with pytest.raises(NotFound):
        usecases.delete_rincian(uow, OPERATOR, PEMDA, TAHUN, out.id)
