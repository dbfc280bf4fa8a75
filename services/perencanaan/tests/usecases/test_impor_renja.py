"""The Renja entered in bulk from a spreadsheet, on an in-memory unit of work: every row a new item of the SKPD;
one bad row and nothing is written, every bad cell named by row and column."""
from __future__ import annotations

import io
from decimal import Decimal

import pytest
from openpyxl import Workbook

from contracts.perencanaan import RkpdSubKegiatanSaved
from services.perencanaan.pagu_skpd.domain import PaguSkpd
from services.perencanaan.renja import usecases as renja
from services.perencanaan.rkpd import usecases as rkpd
from sipd_common.errors import Conflict, Forbidden, Invalid

from .kodefikasi import DINAS_PENDIDIKAN, KOTA, PUSKESMAS, SUB_LAMA, USB, USB_BARU, USB_PROVINSI
from .test_renja import OPERATOR, OPERATOR_DINKES
from .test_replika import TAHUN, filled

HEADER = ["Kode Sub Kegiatan", "Indikator", "Target", "Satuan", "Pagu Indikatif", "Lokasi", "Bulan Mulai"]


def xlsx(*rows, header=HEADER) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def impor(uow, content, caller=OPERATOR, name="renja.xlsx"):
    return rkpd.import_renja(uow, caller, KOTA, TAHUN, DINAS_PENDIDIKAN, content, name)


def fields(exc) -> list[str]:
    return [e["field"] for e in exc.value.errors]


def test_every_row_becomes_an_item_of_the_skpd_exactly_and_is_published():
    uow = filled()
    done = impor(uow, xlsx([USB, "Jumlah USB", 2, "Unit", 3500000000.5, "32.73.01; 32.73", 3],
                           [],  # an empty row is skipped
                           [USB_BARU, "Jumlah RKB", "1.5", "Unit", "1000000", None, None]))
    assert (done.baris, done.dibuat, done.total_pagu_indikatif) == (2, 2, Decimal("3500000000.50") + 1000000)
    first, second = (uow.rkpd.items[i] for i in done.id)
    assert (first.kode_sub_kegiatan, first.pagu_indikatif, first.target, first.lokasi, first.bulan_mulai) == (
        USB, Decimal("3500000000.50"), Decimal(2), ["32.73.01", "32.73"], 3)
    assert (second.satuan, second.target, second.kode_skpd) == ("Unit", Decimal("1.5"), DINAS_PENDIDIKAN)
    assert [e.aggregate_id for e in uow.events if isinstance(e, RkpdSubKegiatanSaved)] == done.id


def test_a_file_with_bad_rows_writes_nothing_and_names_every_bad_cell():
    uow = filled()
    content = xlsx([USB, "i", 1, "Unit", 100, None, None],
                   [1.01, "i", 1, "Unit", 100, None, None],                  # a code typed as a number
                   [USB_PROVINSI, "i", 1, "Unit", 100, None, None],          # the province's level
                   [PUSKESMAS, "i", "satu", "Unit", "1.234", None, None],     # another bidang; not numbers
                   [SUB_LAMA, "i", 1, "Unit", 100, "31.71", 13],              # retired; outside; no month 13
                   [USB, "i", 1, "Unit", 100, None, None])                    # twice in the file
    with pytest.raises(Invalid) as refused:
        impor(uow, content)
    got = fields(refused)
    assert got[0] == "rows.3.kode_sub_kegiatan" and "format the column as text" in refused.value.errors[0]["message"]
    assert {"rows.4.kode_sub_kegiatan", "rows.5.target", "rows.5.pagu_indikatif", "rows.6.bulan_mulai",
            "rows.7.kode_sub_kegiatan"} <= set(got)
    assert "rows.2.kode_sub_kegiatan" not in got  # the first of the two is not the one refused
    assert uow.rkpd.items == {} and uow.events == []


def test_every_rows_locations_are_checked_against_the_replica_and_an_unknown_one_is_named():
    uow = filled()
    content = xlsx([USB, "i", 1, "Unit", 100, "32.73.01; 32.73.01.1001", None],
                   [USB_BARU, "i", 1, "Unit", 100, "32.73.02.1001; 32.73.02.9999", None])  # no such desa
    with pytest.raises(Invalid) as refused:
        impor(uow, content)
    assert fields(refused) == ["rows.3.lokasi.1"]
    assert uow.rkpd.items == {} and uow.events == []


def test_the_file_is_checked_against_what_the_skpd_plans_and_its_ceiling():
    uow = filled()
    impor(uow, xlsx([USB, "i", 1, "Unit", 600, None, None]))
    with pytest.raises(Invalid) as again:
        impor(uow, xlsx([USB, "i", 1, "Unit", 1, None, None]))
    assert fields(again) == ["rows.2.kode_sub_kegiatan"]
    uow.pagu_skpd.put(PaguSkpd(KOTA, TAHUN, DINAS_PENDIDIKAN, Decimal("1000.00")))
    with pytest.raises(Invalid) as over:
        impor(uow, xlsx([USB_BARU, "i", 1, "Unit", "400.01", None, None]))
    assert fields(over) == ["pagu_indikatif"]
    assert impor(uow, xlsx([USB_BARU, "i", 1, "Unit", 400, None, None])).dibuat == 1


def test_a_file_that_is_no_renja_is_refused_naming_the_file_or_the_header():
    uow = filled()
    with pytest.raises(Invalid) as unreadable:
        impor(uow, b"PK\x03\x04 not really a zip")
    assert fields(unreadable) == ["file"]
    with pytest.raises(Invalid) as header:
        impor(uow, xlsx([USB, 1], header=["kode_sub_kegiatan", "harga"]))
    assert fields(header)[:3] == ["rows.1.harga", "rows.1.target", "rows.1.pagu_indikatif"]
    with pytest.raises(Invalid) as empty:
        impor(uow, "kode_sub_kegiatan,target,pagu_indikatif\n".encode(), name="renja.csv")
    assert fields(empty) == ["file"]


def test_the_skpds_work_only_while_its_renja_changes():
    uow = filled()
    with pytest.raises(Forbidden):
        impor(uow, xlsx([USB, "i", 1, "Unit", 1, None, None]), caller=OPERATOR_DINKES)
    impor(uow, xlsx([USB, "i", 1, "Unit", 1, None, None]))
    renja.submit_renja(uow, OPERATOR, KOTA, TAHUN, DINAS_PENDIDIKAN)
    with pytest.raises(Conflict):
        impor(uow, xlsx([USB_BARU, "i", 1, "Unit", 1, None, None]))


def test_a_row_records_its_funding_sources_with_their_amounts_as_a_single_item_does():
    uow = filled()
    header = ["kode_sub_kegiatan", "indikator", "target", "satuan", "pagu_indikatif", "sumber_dana"]
    with pytest.raises(Invalid) as refused:
        impor(uow, xlsx([USB, "i", 1, "Unit", "1000000.50", "1.1=600000; 1.2=400000"],      # 50 sen short
                        [USB_BARU, "i", 1, "Unit", "100", "1.1=satu juta"],                  # not an amount
                        [PUSKESMAS, "i", 1, "Unit", "100", "1.1 100"], header=header))       # no kode=pagu
    got = fields(refused)
    assert "rows.2.sumber_dana" in got and "rows.3.sumber_dana.0.pagu" in got and "rows.4.sumber_dana" in got
    assert uow.rkpd.items == {} and uow.events == []

    done = impor(uow, xlsx([USB, "i", 1, "Unit", "1000000.50", "1.1=600000; 1.2=400000.50"],
                           [USB_BARU, "i", 1, "Unit", "100", None], header=header))
    first, second = (uow.rkpd.items[i] for i in done.id)
    assert first.sumber_dana == [{"kode_sumber_dana": "1.1", "pagu": Decimal("600000")},
                                 {"kode_sumber_dana": "1.2", "pagu": Decimal("400000.50")}]
    assert second.sumber_dana == []
    [event] = [e for e in uow.events if isinstance(e, RkpdSubKegiatanSaved) and e.aggregate_id == first.id]
    assert [(d.kode_sumber_dana, d.pagu) for d in event.sumber_dana] == [("1.1", Decimal("600000")),
                                                                         ("1.2", Decimal("400000.50"))]
