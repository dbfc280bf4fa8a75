"""DPA-SKPD on an in-memory unit of work: generated from the enacted APBD only (all SKPD or one), the cash plan
edited while a draft and refused unless it adds up (naming the field, nothing changed), authorised by PPKD
(``dpa.disahkan`` published, locked after), new versions keeping the old, and ``pagu_baris`` for spending."""
from __future__ import annotations

import base64
import io
import uuid
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from contracts.keuangan import DpaDisahkan
from services.keuangan.apbd import usecases as apbd
from services.keuangan.dpa import usecases as dpa
from services.keuangan.plafon.usecases import apply_rkpd_saved
from services.keuangan.rincian import usecases as rincian
from services.keuangan.rka import usecases as rka
from sipd_common.access import Role, Scope
from sipd_common.errors import Conflict, Forbidden, Invalid, NotFound

from .fakes import PEMDA, REKENING_GEDUNG_SEKOLAH, TAHUN, apply, saved
from .test_apbd import OPERATOR, PEGAWAI, PENETAPAN, PROVINSI, TAPD, budget, line

DIKBUD, DINKES = "1.01.0.00.0.00.01.0000", "1.02.0.00.0.00.01.0000"
SUB = "1.01.02.2.01.0001"
OPERATOR_DINKES = Scope("u9", "op.dinkes", Role.SKPD_OPERATOR, PEMDA, DINKES)
BAPPEDA = Scope("u8", "bappeda", Role.BAPPEDA, PEMDA)


def enacted():
    """Dikbud: 1,000,000 on gedung sekolah + 600,000.50 on pegawai; Dinkes: 120 on gedung sekolah; enacted."""
    uow, rkpd_id = budget()
    other = str(uuid.uuid4())
    apply(uow, apply_rkpd_saved, saved(other, "1000000.00", kode_skpd=DINKES, kode_sub_kegiatan="1.02.02.2.01.0001",
                                       kode_bidang_urusan="1.02"))
    for ceiling, harga, rekening in ((rkpd_id, "1000000.00", REKENING_GEDUNG_SEKOLAH),
                                     (rkpd_id, "600000.50", PEGAWAI), (other, "120", REKENING_GEDUNG_SEKOLAH)):
        rincian.create_rincian(uow, TAPD, PEMDA, TAHUN, line(ceiling, harga, rekening))
    return uow


def enact(uow):
    apbd.ajukan_apbd(uow, TAPD, PEMDA, TAHUN)
    apbd.evaluasi_apbd(uow, PROVINSI, PEMDA, TAHUN, {"hasil": "sesuai"})
    apbd.tetapkan_apbd(uow, TAPD, PEMDA, TAHUN, PENETAPAN)
    return uow


def state(uow) -> tuple:
    return (repr(sorted(uow.dpa.rows.items())), repr(sorted(uow.dpa.lines.items())), len(uow.events),
            len(uow.audited))


def refused(uow, call, error, *args):
    before = state(uow)
    with pytest.raises(error) as raised:
        call(uow, *args)
    assert state(uow) == before
    return raised.value


def kas_body(kas, versi=1, rekening=REKENING_GEDUNG_SEKOLAH):
    return {"versi": versi, "baris": [{"kode_sub_kegiatan": SUB, "kode_rekening": rekening, "kas": kas}]}


def test_only_an_enacted_apbd_makes_a_dpa_and_only_tapd_generates_it():
    uow = enacted()
    assert refused(uow, dpa.generate_dpa, Conflict, TAPD, PEMDA, TAHUN).errors[0]["field"] == "status"
    enact(uow)
    for outsider in (OPERATOR, BAPPEDA, Scope("x", "tapd.lain", Role.TAPD, "32.01")):
        refused(uow, dpa.generate_dpa, Forbidden, outsider, PEMDA, TAHUN)


def test_every_skpd_gets_versi_1_from_the_enacted_lines_each_spread_by_default():
    uow = enact(enacted())
    out = dpa.generate_dpa(uow, TAPD, PEMDA, TAHUN)
    assert [(d.kode_skpd, d.versi, d.status, d.jumlah, d.jumlah_baris) for d in out.dibuat] == [
        (DIKBUD, 1, "draft", Decimal("1600000.50"), 2), (DINKES, 1, "draft", Decimal("120"), 1)]
    got = dpa.get_dpa(uow, OPERATOR, PEMDA, TAHUN, DIKBUD)
    gedung = next(b for b in got.baris if b.kode_rekening == REKENING_GEDUNG_SEKOLAH)
    assert gedung.kas == [Decimal(83333)] * 11 + [Decimal(83337)]
    pegawai = next(b for b in got.baris if b.kode_rekening == PEGAWAI)
    assert pegawai.kas[-1] == Decimal("50000.50") and sum(pegawai.kas) == pegawai.jumlah
    assert gedung.nama_rekening  # from the replica
    # again: nothing new; one SKPD again: 409 naming kode_skpd
    again = dpa.generate_dpa(uow, TAPD, PEMDA, TAHUN)
    assert (again.dibuat, again.sudah_ada) == ([], [DIKBUD, DINKES])
    assert refused(uow, dpa.generate_dpa, Conflict, TAPD, PEMDA, TAHUN, DIKBUD).errors[0]["field"] == "kode_skpd"
    refused(uow, dpa.generate_dpa, NotFound, TAPD, PEMDA, TAHUN, "9.99.0.00.0.00.01.0000")
    # an SKPD operator sees its own only
    assert [d.kode_skpd for d in dpa.list_dpa(uow, OPERATOR, PEMDA, TAHUN)["items"]] == [DIKBUD]
    refused(uow, dpa.get_dpa, Forbidden, OPERATOR_DINKES, PEMDA, TAHUN, DIKBUD)


def test_one_skpd_is_generated_alone():
    uow = enact(enacted())
    out = dpa.generate_dpa(uow, TAPD, PEMDA, TAHUN, DINKES)
    assert [d.kode_skpd for d in out.dibuat] == [DINKES] and dpa.list_dpa(uow, TAPD, PEMDA, TAHUN)["total"] == 1


def test_the_cash_plan_must_add_up_and_is_refused_naming_the_field_changing_nothing():
    uow = enact(enacted())
    dpa.generate_dpa(uow, TAPD, PEMDA, TAHUN)
    plan = ["0", "0", "250000", "250000", "250000", "0", "0", "0", "0", "0", "0", "250000"]
    out = dpa.ubah_kas(uow, OPERATOR, PEMDA, TAHUN, DIKBUD, kas_body(plan))
    assert next(b for b in out.baris if b.kode_rekening == REKENING_GEDUNG_SEKOLAH).kas == [Decimal(x) for x in plan]
    short = refused(uow, dpa.ubah_kas, Invalid, OPERATOR, PEMDA, TAHUN, DIKBUD, kas_body(plan[:-1] + ["249999.99"]))
    assert short.errors == [{"field": "baris.0.kas", "message": short.errors[0]["message"]}]
    assert refused(uow, dpa.ubah_kas, Invalid, OPERATOR, PEMDA, TAHUN, DIKBUD,
                   kas_body(plan[:-1])).errors[0]["field"] == "baris.0.kas"  # 11 months
    assert refused(uow, dpa.ubah_kas, Invalid, OPERATOR, PEMDA, TAHUN, DIKBUD,
                   kas_body(["1"] * 12, rekening="5.9.99.99.99.9999")).errors[0]["field"] == "baris.0.kode_rekening"
    assert refused(uow, dpa.ubah_kas, Invalid, OPERATOR, PEMDA, TAHUN, DIKBUD,
                   kas_body(["1.5"] * 12)).errors[0]["field"] == "baris.0.kas"
    assert refused(uow, dpa.ubah_kas, Invalid, OPERATOR, PEMDA, TAHUN, DIKBUD,
                   kas_body([83333.33] * 12)).errors[0]["field"].startswith("baris.0.kas")  # a float: never
    assert refused(uow, dpa.ubah_kas, Conflict, OPERATOR, PEMDA, TAHUN, DIKBUD,
                   kas_body(plan, versi=2)).errors[0]["field"] == "versi"
    refused(uow, dpa.ubah_kas, Forbidden, OPERATOR_DINKES, PEMDA, TAHUN, DIKBUD, kas_body(plan))


def test_ppkd_authorises_a_version_which_is_then_locked_published_and_read_by_spending():
    uow = enact(enacted())
    dpa.generate_dpa(uow, TAPD, PEMDA, TAHUN)
    assert uow.dpa.pagu_baris(PEMDA, TAHUN, DIKBUD, SUB, REKENING_GEDUNG_SEKOLAH) is None  # a draft is not spent
    refused(uow, dpa.sahkan_dpa, Forbidden, OPERATOR, PEMDA, TAHUN, DIKBUD, {"versi": 1})
    out = dpa.sahkan_dpa(uow, TAPD, PEMDA, TAHUN, DIKBUD, {"versi": 1, "nomor": "DPA/1.01/2026/1"})
    assert (out.status, out.nomor, len(out.hash)) == ("disahkan", "DPA/1.01/2026/1", 64)
    event = uow.events[-1]
    assert isinstance(event, DpaDisahkan) and event.event_type() == "dpa.disahkan.v1"
    assert (event.aggregate_id, event.versi, event.jumlah, event.hash) == (
        f"{PEMDA}:{TAHUN}:{DIKBUD}", 1, Decimal("1600000.50"), out.hash)
    pagu = uow.dpa.pagu_baris(PEMDA, TAHUN, DIKBUD, SUB, REKENING_GEDUNG_SEKOLAH)
    assert (pagu.jumlah, pagu.versi, len(pagu.kas), sum(pagu.kas)) == (Decimal(1000000), 1, 12, Decimal(1000000))
    assert uow.dpa.pagu_baris(PEMDA, TAHUN, DIKBUD, SUB, "5.9.99.99.99.9999") is None
    assert refused(uow, dpa.ubah_kas, Conflict, OPERATOR, PEMDA, TAHUN, DIKBUD,
                   kas_body(["0"] * 11 + ["1000000"])).errors[0]["field"] == "status"
    assert refused(uow, dpa.sahkan_dpa, Conflict, TAPD, PEMDA, TAHUN, DIKBUD, {"versi": 1}).errors[0]["field"] == "status"


def test_a_new_version_keeps_the_old_one_unchanged_and_supersedes_it_once_authorised():
    uow = enact(enacted())
    dpa.generate_dpa(uow, TAPD, PEMDA, TAHUN)
    plan = ["0"] * 11 + ["1000000"]
    dpa.ubah_kas(uow, OPERATOR, PEMDA, TAHUN, DIKBUD, kas_body(plan))
    assert refused(uow, dpa.buat_versi_dpa, Conflict, TAPD, PEMDA, TAHUN, DIKBUD, "APBD-P").errors[0]["field"] == "versi"
    v1 = dpa.sahkan_dpa(uow, TAPD, PEMDA, TAHUN, DIKBUD, {"versi": 1})
    assert refused(uow, dpa.buat_versi_dpa, Invalid, TAPD, PEMDA, TAHUN, DIKBUD, " ").errors[0]["field"] == "sebab"
    refused(uow, dpa.buat_versi_dpa, Forbidden, OPERATOR, PEMDA, TAHUN, DIKBUD, "APBD-P")
    # the amended budget (as the APBD-P sub-domain passes it): pegawai raised, gedung unchanged, a new line
    v2 = dpa.buat_versi_dpa(uow, TAPD, PEMDA, TAHUN, DIKBUD, "Pergeseran No. 1", [
        (SUB, REKENING_GEDUNG_SEKOLAH, Decimal(1000000)), (SUB, PEGAWAI, Decimal("700000.50")),
        ("1.01.02.2.01.0002", PEGAWAI, Decimal(24))])
    assert (v2.versi, v2.status, v2.sebab, v2.jumlah) == (2, "draft", "Pergeseran No. 1", Decimal("1700024.50"))
    by = {(b.kode_sub_kegiatan, b.kode_rekening): b.kas for b in v2.baris}
    assert by[(SUB, REKENING_GEDUNG_SEKOLAH)] == [Decimal(x) for x in plan]  # kept: its total did not change
    assert by[("1.01.02.2.01.0002", PEGAWAI)] == [Decimal(2)] * 12
    # until v2 is authorised, spending reads v1
    assert uow.dpa.pagu_baris(PEMDA, TAHUN, DIKBUD, SUB, PEGAWAI).versi == 1
    dpa.sahkan_dpa(uow, TAPD, PEMDA, TAHUN, DIKBUD, {"versi": 2})
    assert uow.dpa.pagu_baris(PEMDA, TAHUN, DIKBUD, SUB, PEGAWAI).jumlah == Decimal("700000.50")
    versions = dpa.list_versi(uow, TAPD, PEMDA, TAHUN, DIKBUD)["items"]
    assert [(v.versi, v.status) for v in versions] == [(1, "diganti"), (2, "disahkan")]
    old = dpa.get_dpa(uow, TAPD, PEMDA, TAHUN, DIKBUD, 1)
    assert (old.baris, old.hash, old.jumlah) == (v1.baris, v1.hash, v1.jumlah)  # kept as it was


def test_the_dpa_and_rka_print_with_their_totals():
    uow = enact(enacted())
    dpa.generate_dpa(uow, TAPD, PEMDA, TAHUN)
    for format in ("xlsx", "pdf"):
        printed = base64.b64decode(dpa.dokumen_dpa(uow, OPERATOR, PEMDA, TAHUN, DIKBUD, format)["content"])
        assert printed[:4] == (b"PK\x03\x04" if format == "xlsx" else b"%PDF")
        made = base64.b64decode(rka.dokumen_rka(uow, OPERATOR, PEMDA, TAHUN, DIKBUD, format)["content"])
        assert made[:4] == (b"PK\x03\x04" if format == "xlsx" else b"%PDF")
    wb = load_workbook(io.BytesIO(base64.b64decode(dpa.dokumen_dpa(uow, TAPD, PEMDA, TAHUN, DIKBUD, "xlsx")["content"])))
    rows = list(wb["Rincian Belanja"].values)
    assert rows[-1][2:] == ("JUMLAH", Decimal("1600000.5"))
    kas = list(wb["Anggaran Kas"].values)
    assert kas[-1][1] == "JUMLAH" and sum(kas[-1][2:14]) == kas[-1][14] == Decimal("1600000.5")
    rka_rows = list(load_workbook(io.BytesIO(base64.b64decode(
        rka.dokumen_rka(uow, TAPD, PEMDA, TAHUN, DIKBUD, "xlsx")["content"]))).active.values)
    assert rka_rows[-1][1] == "JUMLAH" and rka_rows[-1][6] == Decimal("1600000.5")
    refused(uow, dpa.dokumen_dpa, Forbidden, OPERATOR_DINKES, PEMDA, TAHUN, DIKBUD, "pdf")
    refused(uow, dpa.dokumen_dpa, Invalid, TAPD, PEMDA, TAHUN, DIKBUD, "doc")
