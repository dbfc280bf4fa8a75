"""The import on an in-memory unit of work: what it applies, what it publishes and in which stream
positions, what it refuses, which version it goes into. No database, no broker."""
from __future__ import annotations

import base64
from datetime import date

import pytest

from contracts import referensi as ev
from sipd_common.access import Role, Scope
from sipd_common.errors import Forbidden, Invalid, Unauthenticated
from services.referensi.impor import usecases
from services.referensi.kodefikasi import domain as k

from .fakes import FakeReferensiUnitOfWork

V1 = k.Versi("permendagri-90-2019", "Permendagri 90/2019", date(2019, 12, 12), 1)
V2 = k.Versi("kepmendagri-050-5889-2021", "Kepmendagri 050-5889/2021", date(2021, 10, 14), 2)
ADMIN = Scope("u1", "pusat", Role.PUSAT_ADMIN, None)
TREE = ["aksi,kode,nama", "tambah,1,URUSAN", "tambah,1.01,PENDIDIKAN", "tambah,1.01.02,PROGRAM",
        "tambah,1.01.02.2.01,Kegiatan"]


def csv(*lines: str) -> bytes:
    return ("\n".join(lines) + "\n").encode()


def run(uow, content: bytes, versi: str | None = V2.kode, kind: str = "nomenklatur", mode: str = "diff", **extra):
    return usecases.run_import(uow, {"kind": kind, "mode": mode, "versi": versi, **extra}, content, "uji.csv", "uji")


def refused(uow, content: bytes, **request) -> dict:
    with pytest.raises(Invalid) as exc:
        run(uow, content, **request)
    return exc.value.extra["report"]


def changes(uow, kind: str = "nomenklatur") -> list:
    return [e for e in uow.events if isinstance(e, ev.CHANGED[kind])]


@pytest.fixture
def uow():
    return FakeReferensiUnitOfWork([V1, V2])


# -- what is applied -----------------------------------------------------------------------------------

def test_an_import_applies_its_rows_and_publishes_them_as_one_change_event(uow):
    report = run(uow, csv(*TREE))
    assert (report.applied, report.added, report.impor_id, report.versi_baru) == (True, 4, 1, False)
    assert {s["kode"] for s in uow.impor.states["nomenklatur"]} == {"1", "1.01", "1.01.02", "1.01.02.2.01"}
    [event] = changes(uow)
    assert (event.urutan, event.versi, [i.aksi for i in event.perubahan]) == (1, V2.kode, ["added"] * 4)
    assert uow.commits == 1


def test_a_dry_run_reports_and_changes_nothing(uow):
    report = run(uow, csv(*TREE), dry_run=True)
    assert (report.dry_run, report.applied, report.added, report.impor_id) == (True, False, 4, None)
    assert report.examples.added == ["1", "1.01", "1.01.02", "1.01.02.2.01"]
    assert report.summary == "dry run: 4 added, 0 changed, 0 retired if applied; nothing was changed"
    assert uow.impor.states["nomenklatur"] == [] and uow.events == [] and uow.commits == 0
    assert uow.impor.locks == []  # a dry run holds up no import


def test_a_dry_run_into_a_new_version_registers_no_version(uow):
    report = run(uow, csv(*TREE), versi="uji-2030", versi_judul="Uji", versi_tanggal="2030-01-01", dry_run=True)
    assert report.versi_baru and [v.kode for v in uow.kodefikasi.versions()] == [V1.kode, V2.kode]


def test_the_same_file_twice_changes_nothing_the_second_time(uow):
    run(uow, csv(*TREE))
    events, commits = list(uow.events), uow.commits
    again = run(uow, csv(*TREE))
    assert (again.applied, again.added, again.unchanged, again.impor_id) == (False, 0, 4, None)
    assert again.summary == "nothing to change: the 4 row(s) match what is current"
    assert uow.events == events and uow.commits == commits


def test_the_same_full_list_twice_changes_nothing_the_second_time(uow):
    full = csv("kode,nama", "1,URUSAN", "1.01,PENDIDIKAN")
    assert run(uow, full, mode="full").added == 2
    again = run(uow, full, mode="full")
    assert (again.applied, again.unchanged, len(changes(uow))) == (False, 2, 1)


def test_a_retirement_imported_twice_changes_nothing_the_second_time(uow):
    run(uow, csv(*TREE, "tambah,1.01.02.2.01.0001,Sub"))
    retire = csv("aksi,kode", "hapus,1.01.02.2.01.0001")
    assert run(uow, retire, versi="uji-2030", versi_judul="Uji", versi_tanggal="2030-01-01").retired == 1
    again = run(uow, retire, versi="uji-2030")
    assert (again.applied, again.unchanged, again.retired) == (False, 1, 0)


def test_a_bad_row_refuses_the_whole_file_and_nothing_is_applied(uow):
    report = refused(uow, csv(*TREE, "tambah,1.01.03,", "ubah,1.01.04,TIDAK ADA"))
    assert [(e["row"], e["field"]) for e in report["errors"]] == [(6, "nama")]
    assert not report["applied"] and uow.impor.states["nomenklatur"] == [] and uow.events == []


def test_findings_against_what_is_current_refuse_the_whole_file(uow):
    run(uow, csv(*TREE))
    report = refused(uow, csv("aksi,kode,nama", "tambah,1.01.05,BAIK", "ubah,1.01.06,TIDAK ADA", "hapus,1.01,"))
    assert [(e["row"], e["field"]) for e in report["errors"]] == [(2, "kode"), (3, "kode"), (4, "kode")]
    assert len(uow.impor.states["nomenklatur"]) == 4 and len(changes(uow)) == 1


def test_an_skpd_must_serve_a_current_bidang_urusan(uow):
    run(uow, csv(*TREE))
    report = refused(uow, csv("kode,nama", "1.01.0.00.0.00.01.0000,Dinas", "9.99.0.00.0.00.01.0000,Lain"),
                     kind="skpd", mode="full", versi=None, kode_pemda="32.73")
    assert [(e["row"], e["field"]) for e in report["errors"]] == [(3, "kode")]


# -- which version -------------------------------------------------------------------------------------

def test_a_national_list_names_its_version(uow):
    report = refused(uow, csv(*TREE), versi=None)
    assert [(e["row"], e["field"]) for e in report["errors"]] == [(0, "versi")]


def test_skpd_go_into_the_latest_version_when_none_is_named(uow):
    run(uow, csv(*TREE))
    report = run(uow, csv("kode,nama", "1.01.0.00.0.00.01.0000,Dinas Pendidikan"), kind="skpd", mode="full",
                 versi=None, kode_pemda="32.73")
    assert (report.versi, report.added) == (V2.kode, 1)
    assert uow.impor.states["skpd"][0]["valid_from"] == V2.kode
    assert changes(uow, "skpd")[0].kode_pemda == "32.73"


def test_a_price_may_be_spent_on_current_belanja_accounts_only(uow):
    run(uow, csv("kode,nama", "5,BELANJA", "5.1,OPERASI", "5.1.02,BARANG", "5.1.02.01,OBJEK", "5.1.02.01.01,RINCIAN",
                 "5.1.02.01.01.0024,ATK"), kind="rekening", mode="full")
    prices = ["kode,jenis,uraian,satuan,harga,kode_rekening", "H.1,SSH,Pensil,Buah,3500.50,5.1.02.01.01.0024",
              "H.2,SSH,Kertas,Rim,52000,5.1.02.01.01.0025"]
    report = refused(uow, csv(*prices), kind="standar_harga", mode="full", versi=None, kode_pemda="32.73", tahun=2026)
    assert [(e["row"], e["field"]) for e in report["errors"]] == [(3, "kode_rekening")]
    run(uow, csv(*prices[:2]), kind="standar_harga", mode="full", versi=None, kode_pemda="32.73", tahun=2026)
    [item] = changes(uow, "standar_harga")[0].perubahan
    assert str(item.harga) == "3500.50" and (item.kode_pemda, item.tahun) == ("32.73", 2026)


def test_a_new_version_is_registered_with_the_import(uow):
    report = run(uow, csv(*TREE), versi="uji-2030", versi_judul="Keputusan  Uji", versi_tanggal="2030-01-01")
    assert report.versi_baru and report.versi == "uji-2030"
    assert uow.kodefikasi.versions()[-1] == k.Versi("uji-2030", "Keputusan Uji", date(2030, 1, 1), 3)


@pytest.mark.parametrize("request_, message", [
    ({"versi": "uji-2030"}, "give the title"),
    ({"versi": "uji-2030", "versi_judul": "Uji"}, "give the date"),
    ({"versi": "uji-2018", "versi_judul": "Uji", "versi_tanggal": "2018-01-01"}, "before the latest version"),
])
def test_a_new_version_needs_its_decree(uow, request_, message):
    report = refused(uow, csv(*TREE), **request_)
    assert report["errors"][0]["field"] == "versi" and message in report["errors"][0]["message"]
    assert [v.kode for v in uow.kodefikasi.versions()] == [V1.kode, V2.kode] and uow.events == []


def test_an_import_into_a_version_older_than_the_list_is_refused(uow):
    run(uow, csv(*TREE))
    report = refused(uow, csv("aksi,kode,nama", "tambah,1.02,KESEHATAN"), versi=V1.kode)
    assert report["errors"][0]["field"] == "versi" and f"later than {V1.kode}" in report["errors"][0]["message"]


def test_a_record_retired_in_the_version_it_began_in_keeps_that_state_until_it_is_added_again(uow):
    run(uow, csv(*TREE, "tambah,1.01.02.2.01.0001,Sub Sebentar"))
    run(uow, csv("aksi,kode", "hapus,1.01.02.2.01.0001"))
    [state] = [s for s in uow.impor.states["nomenklatur"] if s["kode"] == "1.01.02.2.01.0001"]
    assert (state["valid_from"], state["valid_until"]) == (V2.kode, V2.kode)  # valid in no version, retired
    assert run(uow, csv("aksi,kode", "hapus,1.01.02.2.01.0001")).unchanged == 1  # the same file twice
    again = run(uow, csv("aksi,kode,nama", "tambah,1.01.02.2.01.0001,Sub Lagi"))
    assert again.added == 1
    states = [s for s in uow.impor.states["nomenklatur"] if s["kode"] == "1.01.02.2.01.0001"]
    assert [(s["nama"], s["valid_from"], s["valid_until"]) for s in states] == [("Sub Lagi", V2.kode, None)]
    assert [i.aksi for e in changes(uow)[1:] for i in e.perubahan] == ["retired", "added"]


def test_a_change_in_the_version_a_state_began_in_replaces_that_state(uow):
    run(uow, csv(*TREE))
    run(uow, csv("aksi,kode,nama", "ubah,1.01.02,PROGRAM BARU"))
    states = [s for s in uow.impor.states["nomenklatur"] if s["kode"] == "1.01.02"]
    assert [(s["nama"], s["valid_from"], s["valid_until"]) for s in states] == [("PROGRAM BARU", V2.kode, None)]


# -- what is published, and where in the stream ------------------------------------------------------------

def test_each_change_event_takes_the_next_place_in_its_lists_stream(uow):
    run(uow, csv(*TREE))
    subs = [f"tambah,1.01.02.2.01.{n:04d},Sub {n}" for n in range(1, ev.BATCH + 2)]  # two batches
    run(uow, csv("aksi,kode,nama", *subs))
    assert [(e.urutan, len(e.perubahan)) for e in changes(uow)] == [(1, 4), (2, ev.BATCH), (3, 1)]
    run(uow, csv("aksi,kode,nama", "tambah,5,BELANJA"), kind="rekening")  # another list, another stream
    assert [e.urutan for e in changes(uow, "rekening")] == [1]
    assert uow.replikasi.position("nomenklatur") == 3


def test_a_refused_or_unchanged_import_takes_no_place(uow):
    run(uow, csv(*TREE))
    run(uow, csv(*TREE))
    refused(uow, csv("aksi,kode,nama", "ubah,9,TIDAK ADA"))
    run(uow, csv("aksi,kode,nama", "tambah,2,URUSAN PILIHAN"))
    assert [e.urutan for e in changes(uow)] == [1, 2]


def test_a_retired_item_carries_its_replacements_and_the_deprecated_event_follows(uow):
    run(uow, csv(*TREE, "tambah,1.01.02.2.01.0001,Sub Lama", "tambah,1.01.02.2.01.0002,Sub Baru"))
    report = run(uow, csv("aksi,kode,kode_pengganti", "hapus,1.01.02.2.01.0001,1.01.02.2.01.0002"),
                 versi="uji-2030", versi_judul="Uji", versi_tanggal="2030-01-01")
    assert (report.retired, report.crosswalk_added) == (1, 1)
    [event] = changes(uow)[1:]
    [item] = event.perubahan
    assert (item.aksi, item.kode, item.valid_until, item.kode_pengganti) == (
        "retired", "1.01.02.2.01.0001", "uji-2030", ["1.01.02.2.01.0002"])
    [retired] = [e for e in uow.events if isinstance(e, ev.KodeRetired)]
    assert (retired.kode, retired.tingkat, retired.kode_pengganti, retired.versi) == (
        "1.01.02.2.01.0001", "sub_kegiatan", ["1.01.02.2.01.0002"], "uji-2030")


def test_items_other_than_retired_carry_no_replacements(uow):
    run(uow, csv("kode,nama,kode_lama", "1,URUSAN,", "1.01,PENDIDIKAN,"), mode="full")
    run(uow, csv("kode,nama,kode_lama", "1,URUSAN,", "1.02,PENDIDIKAN BARU,1.01"), mode="full",
        versi="uji-2030", versi_judul="Uji", versi_tanggal="2030-01-01")
    items = {(i.aksi, i.kode): i.kode_pengganti for i in changes(uow)[-1].perubahan}
    assert items == {("added", "1.02"): [], ("retired", "1.01"): ["1.02"]}


def test_a_region_is_published_with_its_level_by_name(uow):
    run(uow, csv("kode,nama", "32,Jawa Barat", "32.73,Kota Bandung"), kind="wilayah", mode="full")
    assert [i.tingkat for i in changes(uow, "wilayah")[0].perubahan] == ["provinsi", "kabupaten_kota"]


# -- over RPC: who may import, what the service is sent -------------------------------------------------------

def test_only_a_pusat_administrator_imports(uow):
    content = base64.b64encode(csv(*TREE)).decode()
    with pytest.raises(Unauthenticated):
        usecases.import_file(uow, None, {"kind": "nomenklatur", "mode": "diff", "versi": V2.kode}, content, "f.csv")
    with pytest.raises(Forbidden):
        usecases.import_file(uow, Scope("u2", "bappeda", Role.BAPPEDA, "32.73"),
                             {"kind": "nomenklatur", "mode": "diff", "versi": V2.kode}, content, "f.csv")
    assert uow.events == []


def test_a_file_that_is_not_base64_is_invalid(uow):
    with pytest.raises(Invalid) as exc:
        usecases.import_file(uow, ADMIN, {"kind": "nomenklatur", "mode": "diff", "versi": V2.kode}, "%%%", "f.csv")
    assert exc.value.errors == [{"field": "file", "message": "the file content is not base64"}]


def test_a_refused_file_is_answered_with_its_report(uow):
    content = base64.b64encode(csv("aksi,kode,nama", "tambah,1,")).decode()
    report = usecases.import_file(uow, ADMIN, {"kind": "nomenklatur", "mode": "diff", "versi": V2.kode}, content,
                                  "f.csv")
    assert isinstance(report, ev.ImportReport) and not report.applied
    assert [(e.row, e.field) for e in report.errors] == [(2, "nama")]


def test_a_request_that_breaks_the_contract_names_its_field(uow):
    with pytest.raises(Invalid) as exc:
        run(uow, csv(*TREE), kind="program")
    assert [e["field"] for e in exc.value.errors] == ["kind"]
