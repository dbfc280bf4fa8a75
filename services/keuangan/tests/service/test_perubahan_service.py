"""The APBD-P's positions on PostgreSQL: kept from the enacted lines (summed in the database, their totals the
enacted APBD's), a pergeseran within the seeded authority moving two positions in one transaction, the APBD-P
with its KUA-PPAS perubahan evaluated and enacted, and the database itself refusing to change a murni amount, a
recorded shift or an enacted APBD-P. The account flags the migration seeds hold for a shift's destination and an
APBD-P change (a hibah's recipient kept with the shift); the enacted APBD-P gives an SKPD it budgets first its DPA
and one it empties a version without lines."""
from __future__ import annotations

import uuid
from decimal import Decimal

import pytest
from sqlalchemy import select, text
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.exc import DBAPIError

from services.keuangan.apbd import usecases as apbd
from services.keuangan.dpa import usecases as dpa
from services.keuangan.perubahan import usecases as perubahan
from services.keuangan.ppas import usecases as ppas
from services.keuangan.perubahan.repository import anggaran_pos, apbd_perubahan, kewenangan_pergeseran, pergeseran_anggaran
from services.keuangan.plafon.repository import plafon
from services.keuangan.replika.repository import replika_rekening
from services.keuangan.rincian.repository import rincian
from services.keuangan.tests.service.test_apbd_service import ACCOUNTS, PENETAPAN, caller, enacted
from sipd_common.access import Role
from sipd_common.errors import Invalid

KANTOR = "5.2.03.01.01.0001"


def _accounts(db, *kode_nama: tuple[str, str]) -> None:
    """Leaves of the chart of accounts in keuangan's replica (kept when a filled replica has them already)."""
    with db.begin() as conn:
        conn.execute(insert(replika_rekening).values([dict(
            kode=kode, tingkat="sub_rincian_objek", akun="belanja", peruntukan="belanja", nama=nama,
            kode_induk=kode.rsplit(".", 1)[0], valid_from="v-1", revisi=1, kode_pengganti=[], berlaku=True)
            for kode, nama in kode_nama]).on_conflict_do_nothing())


def test_positions_kept_from_the_enacted_lines_shift_and_the_database_keeps_murni(db, scope):
    kode_pemda, tahun = scope
    _accounts(db, (KANTOR, "Belanja Modal Bangunan Gedung Kantor"))
    uow, tapd, pusat, _ = enacted(db, kode_pemda, tahun)
    ppkd = caller(kode_pemda, Role.PPKD)
    belanja = apbd.get_penetapan(uow(), tapd, kode_pemda, tahun).ringkasan.belanja

    first = perubahan.list_pos(uow(), tapd, kode_pemda, tahun, limit=500)["items"]
    gudang = next(p for p in first if p.kode_rekening == "5.2.03.01.01.0002")
    out = perubahan.geser(uow(ppkd), ppkd, kode_pemda, tahun, {
        "dari": {"rkpd_id": gudang.rkpd_id, "kode_rekening": gudang.kode_rekening},
        "ke": {"rkpd_id": gudang.rkpd_id, "kode_rekening": KANTOR}, "jumlah": "1000.00", "alasan": "x"})
    assert out.kewenangan == "antar_sub_rincian_objek"
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


GAJI, GAJI_PPPK = "5.1.01.01.01.0001", "5.1.01.01.01.0002"  # flagged gaji_asn (migration aturan_anggaran)
HIBAH, HIBAH_LAIN, GEDUNG = "5.1.05.05.01.0001", "5.1.05.05.01.0002", "5.2.03.01.01.0002"
PENERIMA = {"nama": "Yayasan Pendidikan Nusantara", "kode_wilayah": "32.73.01"}


def _refused_naming(call, *args) -> list[str]:
    with pytest.raises(Invalid) as raised:
        call(*args)
    return [e["field"] for e in raised.value.errors]


def test_money_goes_on_a_flagged_account_only_where_the_seeded_flags_allow_it(db, scope):
    """The salary ``store`` budgets under other sub kegiatan stands for lines made before the flags: it may be
    lowered, never raised; a hibah's recipient is kept with the shift that adds to it."""
    kode_pemda, tahun = scope
    _accounts(db, (GAJI, "Belanja Gaji Pokok PNS"), (GAJI_PPPK, "Belanja Gaji Pokok PPPK"),
              (HIBAH, "Belanja Hibah Uang kepada Badan"), (HIBAH_LAIN, "Belanja Hibah Uang kepada Lembaga"))
    ceiling = {}

    def hibah_line(conn):  # a hibah line of the murni budget, with its recipient
        ceiling.update(conn.execute(select(plafon.c.rkpd_id, plafon.c.kode_sub_kegiatan).where(
            plafon.c.kode_pemda == kode_pemda, plafon.c.tahun == tahun).limit(1)).one()._asdict())
        conn.execute(insert(rincian).values(
            id=str(uuid.uuid4()), kode_pemda=kode_pemda, tahun=tahun, rkpd_id=ceiling["rkpd_id"], kode_rekening=HIBAH,
            nama_rekening="x", uraian="x", volume=1, satuan="x", harga_satuan=Decimal(5000), jumlah=Decimal(5000),
            penerima=PENERIMA))

    uow, tapd, _, _ = enacted(db, kode_pemda, tahun, hibah_line)
    ppkd = caller(kode_pemda, Role.PPKD)
    rkpd_id = ceiling["rkpd_id"]
    shift = {"dari": {"rkpd_id": rkpd_id, "kode_rekening": HIBAH}, "ke": {"rkpd_id": rkpd_id,
                                                                         "kode_rekening": HIBAH_LAIN},
             "jumlah": "1000.00", "alasan": "x"}
    assert _refused_naming(perubahan.geser, uow(ppkd), ppkd, kode_pemda, tahun, shift) == ["ke.penerima"]
    out = perubahan.geser(uow(ppkd), ppkd, kode_pemda, tahun, {**shift, "ke": {**shift["ke"], "penerima": PENERIMA}})
    with db.connect() as conn:
        kept = conn.execute(select(pergeseran_anggaran.c.ke_penerima, pergeseran_anggaran.c.ke_lokasi)
                            .where(pergeseran_anggaran.c.id == out.id)).one()
    assert kept.ke_penerima["nama"] == PENERIMA["nama"] and kept.ke_lokasi is None
    assert perubahan.list_pergeseran(uow(), tapd, kode_pemda, tahun)["items"][-1].ke.penerima.nama == PENERIMA["nama"]
    gaji = next((p for p in perubahan.list_pos(uow(), tapd, kode_pemda, tahun, limit=500)["items"]
                 if p.kode_rekening == GAJI), None)
    assert gaji is not None
    salary = {"dari": {"rkpd_id": gaji.rkpd_id, "kode_rekening": GAJI},
              "ke": {"rkpd_id": gaji.rkpd_id, "kode_rekening": GAJI_PPPK}, "jumlah": "1.00", "alasan": "x"}
    assert _refused_naming(perubahan.geser, uow(ppkd), ppkd, kode_pemda, tahun, salary) == ["ke.kode_rekening"]

    perubahan.buka_perubahan(uow(), tapd, kode_pemda, tahun)
    ppas.agree_ppas(uow(), tapd, kode_pemda, tahun, {"nomor": "900/1", "tanggal": "2026-08-20"}, perubahan=True)
    raised = {"rkpd_id": gaji.rkpd_id, "kode_rekening": GAJI, "jumlah": str(int(gaji.perubahan) + 1),
              "alasan": "x"}
    assert _refused_naming(perubahan.ubah_pos, uow(), tapd, kode_pemda, tahun, raised) == ["kode_rekening"]
    lowered = perubahan.ubah_pos(uow(), tapd, kode_pemda, tahun, {**raised, "jumlah": "0"})
    assert (lowered.murni, lowered.perubahan) == (gaji.murni, Decimal(0))
    with db.connect() as conn:  # the refusals changed nothing: one shift recorded, the salary position as lowered
        assert conn.execute(select(text("count(*)")).select_from(pergeseran_anggaran).where(
            pergeseran_anggaran.c.kode_pemda == kode_pemda, pergeseran_anggaran.c.tahun == tahun)).scalar_one() == 1


DINSOS = "1.06.0.00.0.00.01.0000"


def test_an_enacted_apbd_p_gives_an_skpd_it_budgets_first_its_dpa_and_one_it_empties_a_version_without_lines(
        db, scope):
    kode_pemda, tahun = scope
    _accounts(db, *((kode, "x") for kode in ACCOUNTS))  # store's, Dinsos's among them
    dinsos = str(uuid.uuid4())

    def dinsos_ceiling(conn):  # a ceiling of an SKPD with no line in the APBD
        conn.execute(insert(plafon).values(
            rkpd_id=dinsos, kode_pemda=kode_pemda, tahun=tahun, kode_skpd=DINSOS, kode_sub_kegiatan="1.06.02.2.01.0001",
            kode_bidang_urusan="1.06", pagu=Decimal("1e9"), pagu_rencana=Decimal("1e9"), total_rincian=0,
            rencana_dihapus=False, source_version=1, version=1))

    uow, tapd, pusat, _ = enacted(db, kode_pemda, tahun, dinsos_ceiling)
    made = dpa.generate_dpa(uow(), tapd, kode_pemda, tahun)
    skpd = sorted(d.kode_skpd for d in made.dibuat)
    assert DINSOS not in skpd and len(skpd) == 3
    for s in skpd:
        dpa.sahkan_dpa(uow(), tapd, kode_pemda, tahun, s, {"versi": 1})
    emptied = skpd[-1]

    perubahan.buka_perubahan(uow(), tapd, kode_pemda, tahun)
    ppas.agree_ppas(uow(), tapd, kode_pemda, tahun, {"nomor": "900/1", "tanggal": "2026-08-20"}, perubahan=True)
    perubahan.ubah_pos(uow(), tapd, kode_pemda, tahun, {"rkpd_id": dinsos, "kode_rekening": GEDUNG,
                                                         "jumlah": "250000.50", "alasan": "bantuan sekolah"})
    with uow() as reader:
        gone = [p for p in reader.perubahan.semua_pos(kode_pemda, tahun, emptied) if p.rkpd_id]
    for p in gone:
        perubahan.ubah_pos(uow(), tapd, kode_pemda, tahun, {"rkpd_id": p.rkpd_id, "kode_rekening": p.kode_rekening,
                                                             "jumlah": "0", "alasan": "dialihkan"})
    perubahan.ajukan_perubahan(uow(), tapd, kode_pemda, tahun)
    perubahan.evaluasi_perubahan(uow(pusat), pusat, kode_pemda, tahun, {"hasil": "sesuai"})
    perubahan.tetapkan_perubahan(uow(), tapd, kode_pemda, tahun, PENETAPAN)

    first = dpa.get_dpa(uow(), tapd, kode_pemda, tahun, DINSOS)
    assert (first.versi, first.status, first.sebab, first.jumlah) == (1, "draft", "apbd_perubahan",
                                                                      Decimal("250000.50"))
    assert [(b.kode_sub_kegiatan, b.kode_rekening, b.jumlah) for b in first.baris] == [
        ("1.06.02.2.01.0001", GEDUNG, Decimal("250000.50"))]
    assert sum(first.baris[0].kas) == first.jumlah
    empty = dpa.get_dpa(uow(), tapd, kode_pemda, tahun, emptied)
    assert (empty.versi, empty.sebab, empty.jumlah, empty.baris, empty.jumlah_baris) == (
        2, "apbd_perubahan", Decimal(0), [], 0)
    assert dpa.get_dpa(uow(), tapd, kode_pemda, tahun, emptied, 1).jumlah > 0  # the version before, kept
    assert [d.versi for d in dpa.list_dpa(uow(), tapd, kode_pemda, tahun)["items"]] == [2, 2, 2, 1]
