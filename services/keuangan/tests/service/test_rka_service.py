"""KUA-PPAS and RKA-SKPD in keuangan as it runs (real PostgreSQL and RabbitMQ): the funding sources' ceilings
through the plan's event and the JSON columns, the enacted RKPD's event, the agreement over every ceiling of the
year, the pergeseran, the RKA line's columns and the import's delete-and-insert in SQL."""
from __future__ import annotations

import base64
import io
import uuid

import pytest
from openpyxl import Workbook
from sqlalchemy import insert, select

from contracts.perencanaan import RkpdDitetapkan
from services.keuangan.ppas.repository import ppas_pagu
from services.keuangan.replika.repository import replika_standar_harga
from services.keuangan.rincian.repository import rincian as rincian_table
from sipd_common.errors import Conflict, Invalid

from .test_service import KODE, call, count, deliver, deliver_saved, plafon_of, saved

HONOR, KOMPONEN = "5.1.02.02.01.0026", "9.1.1"


def prices(db, scope) -> None:
    """A standard price of this test's pemda and year in keuangan's replica (as referensi's event would leave it)."""
    kode_pemda, tahun = scope
    with db.begin() as conn:
        conn.execute(insert(replika_standar_harga).values(
            kode_pemda=kode_pemda, tahun=tahun, kode=KOMPONEN, jenis="SBU", uraian="Honorarium", spesifikasi="-",
            satuan="OB", harga=2500000, kode_rekening=[HONOR], valid_from="v", revisi=1, berlaku=True))


def rka_line(rkpd_id: str, **changes) -> dict:
    return {"rkpd_id": rkpd_id, "kelompok": "Honorarium", "keterangan": "Tenaga", "kode_rekening": HONOR,
            "kode_standar_harga": KOMPONEN, "koefisien": [{"volume": "2", "satuan": "Orang"},
                                                          {"volume": "12", "satuan": "Bulan"}],
            "harga_satuan": "2500000", "pajak": "11", "kode_sumber_dana": "1.1", **changes}


def ditetapkan(scope, pagu: str) -> RkpdDitetapkan:
    kode_pemda, tahun = scope
    s = KODE["kode_skpd"]
    return RkpdDitetapkan(
        kode_pemda=kode_pemda, tahun=tahun, aggregate_id=str(uuid.uuid4()), aggregate_version=1,
        snapshot_id=str(uuid.uuid4()), hash="0" * 64, kode_tahap="penetapan", perubahan=False, murni_snapshot_id=None,
        jumlah_sub_kegiatan=1, total_pagu_indikatif=pagu, skpd=[{"kode_skpd": s, "pagu_indikatif": pagu}],
        program=[{"kode_skpd": s, "kode_program": "1.01.02", "pagu_indikatif": pagu}],
        kegiatan=[{"kode_skpd": s, "kode_kegiatan": "1.01.02.2.01", "pagu_indikatif": pagu}],
        sub_kegiatan=[{"kode_skpd": s, "kode_sub_kegiatan": KODE["kode_sub_kegiatan"], "pagu_indikatif": pagu}])


def test_an_rka_line_and_its_funding_sources_ceiling_in_sql(keuangan, replika_siap, db, scope):
    prices(db, scope)
    event = saved(scope, pagu="100000000.00", sumber_dana=[{"kode_sumber_dana": "1.1", "pagu": "70000000"},
                                                           {"kode_sumber_dana": "1.2", "pagu": "30000000"}])
    deliver_saved(keuangan, event)
    created = call(keuangan, "create_rka_rincian", *scope, rka_line(event.aggregate_id))
    assert (created["jumlah"], created["koefisien_teks"], created["pajak"]) == ("66600000.00", "2 Orang x 12 Bulan",
                                                                               "11.00")
    with db.connect() as conn:
        stored = conn.execute(select(rincian_table).where(rincian_table.c.id == created["id"])).one()
    assert (stored.kelompok, stored.kode_standar_harga, stored.koefisien, str(stored.pajak)) == (
        "Honorarium", KOMPONEN, [{"volume": "2.00", "satuan": "Orang"}, {"volume": "12.00", "satuan": "Bulan"}], "11.00")
    p = plafon_of(db, event.aggregate_id)
    assert (p.sumber_dana, p.total_sumber_dana) == ({"1.1": "70000000.00", "1.2": "30000000.00"},
                                                    {"1.1": "66600000"})
    with pytest.raises(Invalid) as refused:  # 3,400,000 of 1.1 left
        call(keuangan, "create_rka_rincian", *scope, rka_line(event.aggregate_id, koefisien=[
            {"volume": "2", "satuan": "OB"}], pajak="0"))
    assert [e["field"] for e in refused.value.errors] == ["kode_sumber_dana"]
    assert count(db, rincian_table, rincian_table.c.rkpd_id == event.aggregate_id) == 1
    tree = call(keuangan, "get_rka_sub_kegiatan", *scope, event.aggregate_id)
    assert [s["sisa"] for s in tree["plafon"]["sumber_dana"]] == ["3400000.00", "30000000.00"]


def test_the_ppas_from_the_enacted_rkpd_agreed_then_the_plan_drifts(keuangan, replika_siap, db, scope):
    event = saved(scope, pagu="100000000.00")
    deliver_saved(keuangan, event)
    enacted = ditetapkan(scope, "100000000.00")
    assert deliver(keuangan, "on_rkpd_ditetapkan", RkpdDitetapkan, enacted.to_message()) == "applied"
    assert deliver(keuangan, "on_rkpd_ditetapkan", RkpdDitetapkan, enacted.to_message()) == "duplicate"
    with db.connect() as conn:
        assert conn.execute(select(ppas_pagu.c.tingkat, ppas_pagu.c.pagu).where(
            ppas_pagu.c.kode_pemda == scope[0], ppas_pagu.c.tahun == scope[1]).order_by(ppas_pagu.c.tingkat)
        ).all() == [("kegiatan", 100000000), ("program", 100000000), ("skpd", 100000000), ("sub_kegiatan", 100000000)]
    call(keuangan, "adjust_ppas", *scope, {"tingkat": "sub_kegiatan", "kode_skpd": KODE["kode_skpd"],
                                           "kode": KODE["kode_sub_kegiatan"], "pagu": "80000000", "alasan": "x"})
    agreed = call(keuangan, "agree_ppas", *scope, {"nomor": "900/1", "tanggal": "2026-08-10"})
    assert (agreed["status"], agreed["total"], agreed["total_rkpd"]) == ("disepakati", "100000000.00", "100000000.00")
    p = plafon_of(db, event.aggregate_id)
    assert (str(p.pagu), str(p.pagu_rencana), p.disepakati) == ("80000000.00", "100000000.00", True)
    with pytest.raises(Conflict):
        call(keuangan, "agree_ppas", *scope, {"nomor": "900/2", "tanggal": "2026-08-11"})

    deliver_saved(keuangan, saved(scope, event.aggregate_id, version=2, pagu="90000000.00"))
    [drift] = call(keuangan, "list_pergeseran", *scope)["items"]
    assert (drift["pagu"], drift["pagu_rencana"], drift["pergeseran"]) == ("80000000.00", "90000000.00", "menunggu")
    # an item the plan adds after the agreement: no agreed ceiling until TAPD accepts it
    new = saved(scope, pagu="5000000.00", kode_sub_kegiatan="1.01.02.2.01.0002")
    deliver_saved(keuangan, new)
    assert (str(plafon_of(db, new.aggregate_id).pagu), plafon_of(db, new.aggregate_id).disepakati) == ("0.00", True)
    accepted = call(keuangan, "decide_pergeseran", *scope, event.aggregate_id, True, {})
    assert (accepted["pagu"], accepted["pergeseran"]) == ("90000000.00", None)
    assert call(keuangan, "list_pergeseran", *scope)["total"] == 1


def test_an_import_replaces_the_lines_in_one_transaction(keuangan, replika_siap, db, scope):
    prices(db, scope)
    event = saved(scope, pagu="100000000.00")
    deliver_saved(keuangan, event)
    call(keuangan, "create_rka_rincian", *scope, rka_line(event.aggregate_id))
    book = Workbook()
    sheet = book.active
    sheet.append(["kode_sub_kegiatan", "kelompok", "keterangan", "kode_rekening", "kode_standar_harga", "volume_1",
                  "satuan_1", "harga_satuan", "kode_sumber_dana"])
    for _ in range(3):
        sheet.append([KODE["kode_sub_kegiatan"], "Honorarium", "Tenaga", HONOR, KOMPONEN, 4, "OB", 2500000, "1.1"])
    out = io.BytesIO()
    book.save(out)
    report = call(keuangan, "import_rka", *scope, KODE["kode_skpd"], base64.b64encode(out.getvalue()).decode())
    assert (report["errors"], report["jumlah_rincian"], report["total"]) == ([], 3, "30000000.00")
    assert count(db, rincian_table, rincian_table.c.rkpd_id == event.aggregate_id) == 3
    with db.connect() as conn:  # written by COPY: the JSON as JSON, the amounts exact, the defaults filled
        stored = conn.execute(select(rincian_table).where(rincian_table.c.rkpd_id == event.aggregate_id)).first()
    assert (stored.koefisien, stored.koefisien_teks, str(stored.volume), str(stored.jumlah), stored.penerima,
            stored.uraian, stored.pemetaan, stored.created_at is not None) == (
        [{"volume": "4.00", "satuan": "OB"}], "4 OB", "4.0000", "10000000.000000", None, "Honorarium", [], True)
    p = plafon_of(db, event.aggregate_id)
    assert (str(p.total_rincian), p.total_sumber_dana) == ("30000000.000000", {"1.1": "30000000"})
