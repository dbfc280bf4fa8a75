"""The APBD-P's positions on PostgreSQL: kept from the enacted lines (summed in the database, their totals the
enacted APBD's), a pergeseran within the seeded authority moving two positions in one transaction, the APBD-P
with its KUA-PPAS perubahan evaluated and enacted, and the database itself refusing to change a murni amount, a
recorded shift or an enacted APBD-P."""
from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import select, text
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.exc import DBAPIError

from services.keuangan.apbd import usecases as apbd
from services.keuangan.perubahan import usecases as perubahan
from services.keuangan.ppas import usecases as ppas
from services.keuangan.perubahan.repository import anggaran_pos, apbd_perubahan, kewenangan_pergeseran, pergeseran_anggaran
from services.keuangan.replika.repository import replika_rekening
from services.keuangan.tests.service.test_apbd_service import caller, store
from services.keuangan.uow import KeuanganUnitOfWork
from sipd_common.access import Role

PENETAPAN = {"nomor_perda": "Perda 1", "tanggal_perda": "2026-12-20", "nomor_perkada": "Perkada 1",
             "tanggal_perkada": "2026-12-21"}
KANTOR = "5.2.03.01.01.0001"


def test_positions_kept_from_the_enacted_lines_shift_and_the_database_keeps_murni(db, scope):
    kode_pemda, tahun = scope
    store(db, kode_pemda, tahun)
    with db.begin() as conn:
        conn.execute(insert(replika_rekening).values(
            kode=KANTOR, tingkat="sub_rincian_objek", akun="belanja", peruntukan="belanja_modal",
            nama="Belanja Modal Bangunan Gedung Kantor", kode_induk="5.2.03.01.01", valid_from="v-1", revisi=1,
            kode_pengganti=[], berlaku=True).on_conflict_do_nothing())
    tapd, pusat, ppkd = caller(kode_pemda), caller(kode_pemda, Role.PUSAT_ADMIN), caller(kode_pemda, Role.PPKD)

    def uow(actor=tapd):
        return KeuanganUnitOfWork(db, "keuangan", {}, actor=actor)

    apbd.ajukan_apbd(uow(), tapd, kode_pemda, tahun)
    apbd.evaluasi_apbd(uow(pusat), pusat, kode_pemda, tahun, {"hasil": "sesuai"})
    enacted = apbd.tetapkan_apbd(uow(), tapd, kode_pemda, tahun, PENETAPAN)
    belanja = apbd.get_penetapan(uow(), tapd, kode_pemda, tahun).ringkasan.belanja

    first = perubahan.list_pos(uow(), tapd, kode_pemda, tahun, limit=500)["items"]
    gudang = next(p for p in first if p.kode_rekening == "5.2.03.01.01.0002")
    out = perubahan.geser(uow(ppkd), ppkd, kode_pemda, tahun, {
        "dari": {"rkpd_id": gudang.rkpd_id, "kode_rekening": gudang.kode_rekening},
        "ke": {"rkpd_id": gudang.rkpd_id, "kode_rekening": KANTOR}, "jumlah": "1000.00", "alasan": "x"})
    assert out.kewenangan == "antar_sub_rincian_objek" and enacted.status == "ditetapkan"
    where = (anggaran_pos.c.kode_pemda == kode_pemda) & (anggaran_pos.c.tahun == tahun)
    with db.connect() as conn:
        murni, jumlah = conn.execute(select(text("sum(murni)"), text("sum(jumlah)")).select_from(anggaran_pos)
                                     .where(where, anggaran_pos.c.kode_rekening.like("5.%"))).one()
        assert murni == jumlah == belanja  # kept exactly, and the shift kept the total
        assert {r.kode for r in conn.execute(select(kewenangan_pergeseran))} >= {"antar_sub_rincian_objek",
                                                                                  "antar_objek"}
    for statement, message in (
            (anggaran_pos.update().where(where).values(murni=0), "murni"),
            (anggaran_pos.delete().where(where), "murni"),
            (pergeseran_anggaran.update().where(pergeseran_anggaran.c.id == out.id).values(jumlah=1), "pergeseran")):
        with pytest.raises(DBAPIError, match=message):
            with db.begin() as conn:
                conn.execute(statement)

    perubahan.buka_perubahan(uow(), tapd, kode_pemda, tahun)
    # its KUA-PPAS perubahan kept beside the murni one, from the plan: every level summed in the database
    kua = ppas.list_pagu_ppas(uow(), tapd, kode_pemda, tahun, limit=500, perubahan=True)["items"]
    assert {p.tingkat for p in kua} == {"skpd", "program", "kegiatan", "sub_kegiatan"}
    ppas.agree_ppas(uow(), tapd, kode_pemda, tahun, {"nomor": "900/1", "tanggal": "2026-08-20"}, perubahan=True)
    key = (gudang.kode_skpd, gudang.kode_sub_kegiatan)  # a shift moves nothing out of its sub kegiatan
    with uow() as reader:
        assert reader.perubahan.belanja_per_sub_kegiatan(kode_pemda, tahun, *key) == {key: sum(
            p.perubahan for p in first if (p.kode_skpd, p.kode_sub_kegiatan) == key)}
    perubahan.ajukan_perubahan(uow(), tapd, kode_pemda, tahun)
    evaluated = perubahan.evaluasi_perubahan(uow(pusat), pusat, kode_pemda, tahun, {"hasil": "sesuai"})
    assert evaluated.evaluasi[0].oleh == pusat.username
    done = perubahan.tetapkan_perubahan(uow(), tapd, kode_pemda, tahun, PENETAPAN)
    assert done.ringkasan["belanja"].selisih == Decimal(0) and done.hasil_evaluasi == "sesuai"
    with pytest.raises(DBAPIError, match="an enacted APBD-P never changes"):
        with db.begin() as conn:
            conn.execute(apbd_perubahan.update().where(apbd_perubahan.c.kode_pemda == kode_pemda,
                                                       apbd_perubahan.c.tahun == tahun).values(nomor_perda="x"))
    with db.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM outbox WHERE routing_key = 'apbd.perubahan.ditetapkan.v1' "
                                 "AND payload->>'kode_pemda' = :k AND (payload->>'tahun')::int = :t"),
                            {"k": kode_pemda, "t": tahun}).scalar_one() == 1
