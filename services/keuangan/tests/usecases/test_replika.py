"""keuangan's replica of the codification on an in-memory unit of work: the latest state per record
whatever the order, and what a retirement or a rename does to the ceilings and lines using a code."""
from __future__ import annotations

import uuid
from decimal import Decimal

from contracts.referensi import (
    NomenklaturChanged, NomenklaturItem, SkpdChanged, SkpdItem, StandarHargaChanged, StandarHargaItem,
)
from services.keuangan.plafon.usecases import apply_rkpd_saved
from services.keuangan.replika import usecases as replika
from services.keuangan.replika.domain import StandarHarga, SubKegiatan
from services.keuangan.rincian.usecases import create_rincian
from sipd_common.access import Role, Scope

from .fakes import (
    KODE, PEMDA, REKENING_GEDUNG_SEKOLAH, TAHUN, FakeKeuanganUnitOfWork, apply, rekening_changed, rekening_item,
    saved, with_chart,
)

TAPD = Scope("u1", "tapd.bandung", Role.TAPD, PEMDA)
RETIRED = dict(aksi="retired", valid_until="v-3", kode_pengganti=["5.2.03.01.01.0003"])


def with_line(uow) -> str:
    rkpd_id = str(uuid.uuid4())
    apply(uow, apply_rkpd_saved, saved(rkpd_id))
    return create_rincian(uow, TAPD, PEMDA, TAHUN, dict(
        rkpd_id=rkpd_id, kode_rekening=REKENING_GEDUNG_SEKOLAH, uraian="u", volume="1", satuan="Paket",
        harga_satuan="10.00")).id


def sub_kegiatan_item(kode: str, aksi: str = "added", revisi: int = 30, tingkat: str = "sub_kegiatan",
                      **over) -> NomenklaturItem:
    return NomenklaturItem(**{**dict(kode=kode, tingkat=tingkat, nama=f"Nama {kode}", kode_induk=kode.rsplit(".", 1)[0],
                                     kinerja=None, indikator=None, satuan=None, valid_from="v-1", valid_until=None,
                                     revisi=revisi, aksi=aksi), **over})


def skpd_item(kode_pemda: str, kode: str, aksi: str = "added", revisi: int = 40, **over) -> SkpdItem:
    return SkpdItem(**{**dict(kode_pemda=kode_pemda, kode=kode, nama="Dinas", bidang_urusan=["1.01"], valid_from="v-1",
                              valid_until=None, revisi=revisi, aksi=aksi), **over})


# -- the latest state per record ------------------------------------------------------------------------

def test_the_newest_state_stays_whatever_the_order_and_the_position_follows_the_stream():
    uow = FakeKeuanganUnitOfWork()
    renamed = rekening_item(nama="Nama Baru", revisi=20, aksi="changed")
    apply(uow, replika.apply_changed, rekening_changed(renamed, urutan=2), rekening_changed(rekening_item(), urutan=1),
          rekening_changed(renamed, urutan=2))
    held = uow.replika.get("rekening", REKENING_GEDUNG_SEKOLAH)
    assert (held.nama, held.revisi, held.berlaku) == ("Nama Baru", 20, True)
    assert (uow.replika.posisi["rekening"].urutan, uow.replika.posisi["rekening"].tertunda) == (2, ())


def test_a_batch_naming_a_record_twice_keeps_its_newest_state():
    uow = FakeKeuanganUnitOfWork()
    apply(uow, replika.apply_changed, rekening_changed(rekening_item(nama="B", revisi=21), rekening_item(nama="A", revisi=20)))
    assert uow.replika.get("rekening", REKENING_GEDUNG_SEKOLAH).nama == "B"


def test_of_the_nomenclature_only_the_sub_kegiatan_are_kept_with_their_bidang_urusan():
    uow = FakeKeuanganUnitOfWork()
    event = NomenklaturChanged(versi="v-2", aggregate_id="nomenklatur", aggregate_version=31, urutan=1, perubahan=[
        sub_kegiatan_item("1.01.02.2.01.0001"), sub_kegiatan_item("1.01.02.2.01", tingkat="kegiatan", revisi=31)])
    apply(uow, replika.apply_changed, event)
    assert uow.replika.get("nomenklatur", "1.01.02.2.01.0001", "umum") == SubKegiatan(
        "1.01.02.2.01.0001", "Nama 1.01.02.2.01.0001", "1.01", valid_from="v-1", valid_until=None, revisi=30,
        kode_pengganti=(), berlaku=True)
    assert uow.replika.get("nomenklatur", "1.01.02.2.01", "umum") is None


def test_standard_prices_are_kept_per_pemda_and_year_with_their_price_exact():
    uow = FakeKeuanganUnitOfWork()
    item = StandarHargaItem(kode_pemda=PEMDA, tahun=TAHUN, kode="1.1.7.01.01.01.001", jenis="SSH", uraian="Pensil",
                            spesifikasi="2B", satuan="Buah", harga="3500.10", kode_rekening=["5.1.02.01.01.0024"],
                            valid_from="v-1", valid_until=None, revisi=50, aksi="added")
    apply(uow, replika.apply_changed, StandarHargaChanged(kode_pemda=PEMDA, tahun=TAHUN, versi="v-1",
                                                          aggregate_id="standar_harga", aggregate_version=50,
                                                          perubahan=[item], urutan=1))
    held = uow.replika.get("standar_harga", PEMDA, TAHUN, "1.1.7.01.01.01.001")
    assert isinstance(held, StandarHarga) and held.harga == Decimal("3500.10")
    assert held.kode_rekening == ("5.1.02.01.01.0024",)
    assert uow.replika.get("standar_harga", PEMDA, TAHUN + 1, "1.1.7.01.01.01.001") is None


# -- retirements: flagged once per code and version, nothing rewritten ------------------------------------

def test_a_retired_account_flags_its_lines_once_per_code_and_version():
    uow = with_chart(FakeKeuanganUnitOfWork())
    id = with_line(uow)
    retired = rekening_changed(rekening_item(revisi=20, **RETIRED), urutan=2)
    apply(uow, replika.apply_changed, retired, retired)  # redelivered
    replika.apply_items(uow, "rekening", retired.perubahan)  # and seen again in a snapshot page
    uow.commit()

    line = uow.rincian.lines[id]
    assert line["perlu_pemetaan"] and line["kode_rekening"] == REKENING_GEDUNG_SEKOLAH
    assert line["pemetaan"] == [{"kind": "rekening", "kode": REKENING_GEDUNG_SEKOLAH, "versi": "v-3",
                                 "kode_pengganti": ["5.2.03.01.01.0003"]}]
    assert not uow.replika.get("rekening", REKENING_GEDUNG_SEKOLAH).berlaku
    [p] = uow.plafon.rows.values()
    assert not p.perlu_pemetaan

    again = rekening_changed(rekening_item(revisi=30, **{**RETIRED, "valid_until": "v-5"}), urutan=3)
    apply(uow, replika.apply_changed, again)
    assert [e["versi"] for e in uow.rincian.lines[id]["pemetaan"]] == ["v-3", "v-5"]


def test_a_retired_account_above_the_lowest_level_flags_nothing():
    uow = with_chart(FakeKeuanganUnitOfWork())
    id = with_line(uow)
    apply(uow, replika.apply_changed, rekening_changed(rekening_item(
        REKENING_GEDUNG_SEKOLAH, tingkat="rincian_objek", revisi=20, **RETIRED)))
    assert not uow.rincian.lines[id]["perlu_pemetaan"]


def test_a_retired_sub_kegiatan_flags_the_ceilings_on_it_in_every_pemda_and_keeps_their_version():
    uow = FakeKeuanganUnitOfWork()
    here, there, other = str(uuid.uuid4()), str(uuid.uuid4()), str(uuid.uuid4())
    apply(uow, apply_rkpd_saved, saved(here), saved(there, kode_pemda="32.04"),
          saved(other, kode_sub_kegiatan="1.01.02.2.01.0002"))
    event = NomenklaturChanged(versi="v-3", aggregate_id="nomenklatur", aggregate_version=31, urutan=1, perubahan=[
        sub_kegiatan_item(KODE["kode_sub_kegiatan"], aksi="retired", valid_until="v-3", revisi=31)])
    apply(uow, replika.apply_changed, event, event)

    rows = uow.plafon.rows
    assert rows[here].perlu_pemetaan and rows[there].perlu_pemetaan and not rows[other].perlu_pemetaan
    assert rows[here].pemetaan == [{"kind": "nomenklatur", "kode": KODE["kode_sub_kegiatan"], "versi": "v-3",
                                    "kode_pengganti": []}]
    assert (rows[here].version, rows[here].kode_sub_kegiatan) == (1, KODE["kode_sub_kegiatan"])
    assert len(uow.events) == 3  # the ceilings' creations only: a flag is no change of the budget


def test_a_retired_provincial_variant_flags_the_ceilings_of_the_provinces_only():
    uow = FakeKeuanganUnitOfWork()
    province, city = str(uuid.uuid4()), str(uuid.uuid4())
    kode = KODE["kode_sub_kegiatan"]
    apply(uow, apply_rkpd_saved, saved(province, kode_pemda="32"), saved(city))
    replika.apply_items(uow, "nomenklatur", [sub_kegiatan_item(kode, revisi=30),
                                             sub_kegiatan_item(kode, revisi=31, varian="provinsi", nama="Provinsi")])
    replika.apply_items(uow, "nomenklatur", [sub_kegiatan_item(kode, aksi="retired", valid_until="v-3", revisi=32,
                                                               varian="provinsi", nama="Provinsi")])
    uow.commit()
    assert uow.plafon.rows[province].perlu_pemetaan and not uow.plafon.rows[city].perlu_pemetaan
    assert uow.replika.get("nomenklatur", kode, "umum").berlaku
    # the code's record retired while the provinces have no variant of it any more: every pemda's ceilings
    replika.apply_items(uow, "nomenklatur", [sub_kegiatan_item(kode, aksi="retired", valid_until="v-4", revisi=33)])
    uow.commit()
    assert uow.plafon.rows[city].perlu_pemetaan
    assert [e["versi"] for e in uow.plafon.rows[province].pemetaan] == ["v-3", "v-4"]


def test_a_retired_skpd_flags_the_ceilings_of_its_pemda_only():
    uow = FakeKeuanganUnitOfWork()
    mine, other = str(uuid.uuid4()), str(uuid.uuid4())
    apply(uow, apply_rkpd_saved, saved(mine), saved(other, kode_pemda="32.04"))
    event = SkpdChanged(kode_pemda=PEMDA, versi="v-3", aggregate_id=f"skpd/{PEMDA}", aggregate_version=41, urutan=1,
                        perubahan=[skpd_item(PEMDA, KODE["kode_skpd"], aksi="retired", valid_until="v-3", revisi=41,
                                             kode_pengganti=["1.01.0.00.0.00.02.0000"])])
    apply(uow, replika.apply_changed, event)
    assert uow.plafon.rows[mine].perlu_pemetaan and not uow.plafon.rows[other].perlu_pemetaan
    assert uow.plafon.rows[mine].pemetaan[0]["kode_pengganti"] == ["1.01.0.00.0.00.02.0000"]
    assert not uow.replika.get("skpd", PEMDA, KODE["kode_skpd"]).berlaku


def test_a_ceiling_whose_sub_kegiatan_and_skpd_retire_together_keeps_both():
    uow = FakeKeuanganUnitOfWork()
    rkpd_id = str(uuid.uuid4())
    apply(uow, apply_rkpd_saved, saved(rkpd_id))
    nomenklatur = sub_kegiatan_item(KODE["kode_sub_kegiatan"], aksi="retired", valid_until="v-3", revisi=31)
    skpd = skpd_item(PEMDA, KODE["kode_skpd"], aksi="retired", valid_until="v-3", revisi=41)
    replika.apply_items(uow, "nomenklatur", [nomenklatur])
    replika.apply_items(uow, "skpd", [skpd])
    uow.commit()
    assert [e["kind"] for e in uow.plafon.rows[rkpd_id].pemetaan] == ["nomenklatur", "skpd"]


# -- renames ----------------------------------------------------------------------------------------------

def test_a_renamed_account_reaches_its_lines_unless_the_rename_is_older():
    uow = with_chart(FakeKeuanganUnitOfWork())
    id = with_line(uow)
    apply(uow, replika.apply_changed, rekening_changed(rekening_item(nama="Nama Baru", revisi=20, aksi="changed")))
    assert (uow.rincian.lines[id]["nama_rekening"], uow.rincian.lines[id]["revisi_rekening"]) == ("Nama Baru", 20)
    apply(uow, replika.apply_changed, rekening_changed(rekening_item(nama="Lebih Lama", revisi=15, aksi="changed")))
    assert uow.rincian.lines[id]["nama_rekening"] == "Nama Baru"


def test_a_rename_missed_and_seen_in_a_snapshot_page_reaches_the_lines():
    uow = with_chart(FakeKeuanganUnitOfWork())
    id = with_line(uow)
    page = [{**rekening_item(nama="Nama Baru", revisi=20).model_dump(mode="json"), "unknown": "ignored"}]
    replika.apply_items(uow, "rekening", replika.read_items("rekening", page))
    uow.commit()
    assert uow.rincian.lines[id]["nama_rekening"] == "Nama Baru"
    assert uow.replika.get("rekening", REKENING_GEDUNG_SEKOLAH).nama == "Nama Baru"
