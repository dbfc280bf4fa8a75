"""Budget lines on an in-memory unit of work: what is refused (and then nothing changes), who may add a
line, and the account checked against keuangan's own replica."""
from __future__ import annotations

import uuid
from decimal import Decimal

import pytest

from services.keuangan.plafon.usecases import apply_rkpd_deleted, apply_rkpd_saved
from services.keuangan.replika import usecases as replika
from services.keuangan.replika.usecases import BELUM_SIAP
from services.keuangan.rincian import usecases
from sipd_common.access import Role, Scope
from sipd_common.errors import Forbidden, Invalid, NotFound, Unauthenticated, Unavailable

from .fakes import (
    KODE, PEMDA, REKENING_GEDUNG_SEKOLAH, TAHUN, FakeKeuanganUnitOfWork, apply, deleted, rekening_changed,
    rekening_item, saved, with_chart,
)

TAPD = Scope("u1", "tapd.bandung", Role.TAPD, PEMDA)


def line(rkpd_id: str, harga: str = "300000.50", volume: str = "2", kode_rekening: str = REKENING_GEDUNG_SEKOLAH) -> dict:
    return dict(rkpd_id=rkpd_id, kode_rekening=kode_rekening, uraian="Pembangunan gedung SD", volume=volume,
                satuan="Paket", harga_satuan=harga)


def budget(pagu: str = "1000000.00", **kode) -> tuple[FakeKeuanganUnitOfWork, str]:
    """A unit of work with the chart of accounts and one ceiling."""
    rkpd_id = str(uuid.uuid4())
    uow = with_chart(FakeKeuanganUnitOfWork(TAPD))
    apply(uow, apply_rkpd_saved, saved(rkpd_id, pagu, **kode))
    return uow, rkpd_id


def state(uow) -> tuple:
    """Everything a refused line must leave as it was."""
    return (dict(uow.rincian.lines), {k: vars(p).copy() for k, p in uow.plafon.rows.items()}, len(uow.events),
            len(uow.audited))


def refused(uow, caller: Scope | None, data: dict, error=Invalid, kode_pemda: str = PEMDA):
    before = state(uow)
    with pytest.raises(error) as raised:
        usecases.create_rincian(uow, caller, kode_pemda, TAHUN, data)
    assert state(uow) == before
    return raised.value


# -- a line added ---------------------------------------------------------------------------------------

def test_a_line_is_stored_under_its_ceiling_published_and_audited():
    uow, rkpd_id = budget()
    created = usecases.create_rincian(uow, TAPD, PEMDA, TAHUN, line(rkpd_id))

    assert (created.jumlah, created.status, created.nama_rekening) == (
        Decimal("600001.00"), "sesuai", "Belanja Modal Bangunan Gedung Tempat Pendidikan")
    assert uow.rincian.lines[created.id]["revisi_rekening"] == 10  # the account's state the line was made on
    p = uow.plafon.rows[rkpd_id]
    assert (p.total_rincian, p.version) == (Decimal("600001.00"), 2)
    assert [(e.aggregate_version, e.total_rincian) for e in uow.events] == [(1, 0), (2, Decimal("600001.00"))]
    [audit] = uow.audited
    assert (audit["record_id"], audit["action"], audit["actor_username"], audit["kode_skpd"]) == (
        created.id, "create", "tapd.bandung", KODE["kode_skpd"])

    assert usecases.get_rincian(uow, TAPD, PEMDA, TAHUN, created.id) == created
    assert usecases.rincian_audit(uow, TAPD, PEMDA, TAHUN, created.id)["total"] == 1
    assert [r.id for r in usecases.list_rincian(uow, TAPD, PEMDA, TAHUN, rkpd_id=rkpd_id)["items"]] == [created.id]


def test_a_repeated_create_with_its_key_happens_once():
    """A retry or a redelivered RPC with the same key: the first answer again, the ceiling consumed once."""
    uow, rkpd_id = budget()
    first = usecases.create_rincian(uow, TAPD, PEMDA, TAHUN, line(rkpd_id), idempotency_key="k-1")
    again = usecases.create_rincian(uow, TAPD, PEMDA, TAHUN, line(rkpd_id), idempotency_key="k-1")
    assert again == first and list(uow.rincian.lines) == [first.id]
    assert uow.plafon.rows[rkpd_id].total_rincian == Decimal("600001.00") and len(uow.events) == 2

    with pytest.raises(Invalid) as refused:  # the same key with another body
        usecases.create_rincian(uow, TAPD, PEMDA, TAHUN, line(rkpd_id, volume="1"), idempotency_key="k-1")
    assert refused.value.errors == [{"field": "Idempotency-Key", "message": "already used for another request"}]
    # the key is the caller's: another user's same key is another request
    other = Scope("u2", "tapd.lain", Role.TAPD, PEMDA)
    uow.actor = other
    assert usecases.create_rincian(uow, other, PEMDA, TAHUN, line(rkpd_id, volume="0.5"),
                                   idempotency_key="k-1").id != first.id


# -- refused, and nothing changed ------------------------------------------------------------------------

def test_a_line_above_the_ceiling_is_refused_naming_the_price():
    uow, rkpd_id = budget("1000000.00")
    usecases.create_rincian(uow, TAPD, PEMDA, TAHUN, line(rkpd_id))
    error = refused(uow, TAPD, line(rkpd_id, harga="400000.00", volume="1"))  # 1.00 above what is left
    assert [e["field"] for e in error.errors] == ["harga_satuan"]
    assert "1000001.00" in error.detail and "room left: 399999.00" in error.detail


def test_a_line_under_a_deleted_plan_item_is_refused():
    uow, rkpd_id = budget()
    apply(uow, apply_rkpd_deleted, deleted(rkpd_id, version=2))
    error = refused(uow, TAPD, line(rkpd_id, harga="1.00", volume="1"))
    assert error.errors == [{"field": "rkpd_id", "message": f"RKPD item {rkpd_id} was deleted from the plan"}]


def test_a_line_without_a_ceiling_is_refused():
    uow, _ = budget()
    other = str(uuid.uuid4())
    error = refused(uow, TAPD, line(other))
    assert error.errors == [{"field": "rkpd_id", "message": f"no RKPD item {other} with a ceiling in {PEMDA}/{TAHUN}"}]


def test_a_ceiling_of_another_pemda_or_year_is_no_ceiling_here():
    uow, rkpd_id = budget()
    assert [e["field"] for e in refused(uow, Scope("u", "pusat", Role.PUSAT_ADMIN), line(rkpd_id),
                                        kode_pemda="32.77").errors] == ["rkpd_id"]


@pytest.mark.parametrize("kode, message", [
    ("4.1.01.09.01.0001", "account 4.1.01.09.01.0001 is pendapatan, not belanja"),
    ("5.1.02.01.01", "account 5.1.02.01.01 is a rincian_objek; a line needs a sub rincian objek"),
    ("5.2.03.01.01.9999", "no such account in the national chart of accounts"),
])
def test_a_line_on_an_account_it_cannot_sit_on_is_refused(kode, message):
    uow, rkpd_id = budget()
    error = refused(uow, TAPD, line(rkpd_id, kode_rekening=kode))
    assert error.errors == [{"field": "kode_rekening", "message": message}]


def test_a_line_on_a_retired_account_is_refused_naming_its_replacement():
    uow, rkpd_id = budget()
    apply(uow, replika.apply_changed, rekening_changed(rekening_item(
        aksi="retired", valid_until="v-3", revisi=20, kode_pengganti=["5.2.03.01.01.0003"]), urutan=2))
    error = refused(uow, TAPD, line(rkpd_id))
    assert error.errors == [{"field": "kode_rekening", "message": f"account {REKENING_GEDUNG_SEKOLAH} was retired in "
                                                                  "version v-3; use 5.2.03.01.01.0003"}]


# the account flags (tanda_rekening) hold on the deprecated path as on an RKA line
GAJI, HIBAH, SUB_GAJI = "5.1.01.01.01.0001", "5.1.05.05.01.0001", "1.01.01.2.02.0001"
PENERIMA = {"nama": "Yayasan Pendidikan Nusantara", "kode_wilayah": "32.73.01"}


def flagged(**kode) -> tuple[FakeKeuanganUnitOfWork, str]:
    uow, rkpd_id = budget(**kode)
    with_chart(uow, rekening_item(), rekening_item(GAJI, "Belanja Gaji Pokok PNS", revisi=30),
               rekening_item(HIBAH, "Belanja Hibah Uang kepada Badan", revisi=31))
    return uow, rkpd_id


def test_a_salary_line_on_the_old_path_sits_only_under_the_salary_sub_kegiatan():
    uow, rkpd_id = flagged()  # 1.01.02.2.01.0001, Pembangunan Unit Sekolah Baru
    error = refused(uow, TAPD, line(rkpd_id, kode_rekening=GAJI))
    assert [e["field"] for e in error.errors] == ["kode_rekening"] and "X.XX.01.2.02.0001" in error.errors[0]["message"]
    uow, rkpd_id = flagged(kode_sub_kegiatan=SUB_GAJI)
    assert usecases.create_rincian(uow, TAPD, PEMDA, TAHUN, line(rkpd_id, kode_rekening=GAJI)).kode_rekening == GAJI


def test_a_hibah_line_on_the_old_path_names_its_recipient():
    uow, rkpd_id = flagged()
    assert [e["field"] for e in refused(uow, TAPD, line(rkpd_id, kode_rekening=HIBAH)).errors] == ["penerima"]
    out = usecases.create_rincian(uow, TAPD, PEMDA, TAHUN, {**line(rkpd_id, kode_rekening=HIBAH), "penerima": PENERIMA})
    assert out.penerima.nama == PENERIMA["nama"] and uow.rincian.lines[out.id]["penerima"]["nama"] == PENERIMA["nama"]


def test_a_malformed_line_is_refused_naming_its_fields():
    uow, rkpd_id = budget()
    error = refused(uow, TAPD, {**line(rkpd_id), "volume": "-1", "extra": 1})
    assert {e["field"] for e in error.errors} == {"volume", "extra"}


# -- the replica not filled yet ------------------------------------------------------------------------------

def test_an_account_not_in_a_replica_still_loading_is_unavailable_not_refused():
    uow = FakeKeuanganUnitOfWork(TAPD)
    rkpd_id = str(uuid.uuid4())
    apply(uow, apply_rkpd_saved, saved(rkpd_id))
    error = refused(uow, TAPD, line(rkpd_id), error=Unavailable)
    assert error.detail == BELUM_SIAP and error.status == 503


def test_an_account_already_in_a_replica_still_loading_is_used():
    uow = FakeKeuanganUnitOfWork(TAPD)
    rkpd_id = str(uuid.uuid4())
    apply(uow, apply_rkpd_saved, saved(rkpd_id))
    apply(uow, replika.apply_changed, rekening_changed(rekening_item(), urutan=1))  # an event before the fill
    assert not uow.replika.siap("rekening")
    assert usecases.create_rincian(uow, TAPD, PEMDA, TAHUN, line(rkpd_id)).status == "sesuai"


# -- who may add a line ----------------------------------------------------------------------------------------

def test_a_user_of_another_pemda_may_not_add_a_line():
    uow, rkpd_id = budget()
    refused(uow, Scope("u", "tapd.cimahi", Role.TAPD, "32.77"), line(rkpd_id), error=Forbidden)


def test_an_skpd_operator_adds_lines_under_its_own_skpd_s_ceilings_only():
    uow, theirs = budget(kode_skpd="1.02.0.00.0.00.01.0000")
    operator = Scope("u", "dinas.pendidikan", Role.SKPD_OPERATOR, PEMDA, KODE["kode_skpd"])
    error = refused(uow, operator, line(theirs), error=Forbidden)
    assert "1.02.0.00.0.00.01.0000" in error.detail
    mine = str(uuid.uuid4())
    apply(uow, apply_rkpd_saved, saved(mine))
    assert usecases.create_rincian(uow, operator, PEMDA, TAHUN, line(mine)).status == "sesuai"


@pytest.mark.parametrize("role", [Role.BAPPEDA, Role.DPRD, Role.INSPEKTUR, Role.PEMDA_ADMIN])
def test_a_role_that_does_not_budget_may_not_add_a_line(role):
    uow, rkpd_id = budget()
    refused(uow, Scope("u", "someone", role, PEMDA), line(rkpd_id), error=Forbidden)


def test_no_line_without_a_caller():
    uow, rkpd_id = budget()
    refused(uow, None, line(rkpd_id), error=Unauthenticated)


# -- reading lines ------------------------------------------------------------------------------------------

def test_an_skpd_operator_reads_its_own_skpd_s_lines_only():
    uow, theirs = budget(kode_skpd="1.02.0.00.0.00.01.0000")
    other = usecases.create_rincian(uow, TAPD, PEMDA, TAHUN, line(theirs))
    operator = Scope("u", "dinas.pendidikan", Role.SKPD_OPERATOR, PEMDA, KODE["kode_skpd"])
    assert usecases.list_rincian(uow, operator, PEMDA, TAHUN)["total"] == 0
    with pytest.raises(Forbidden):
        usecases.get_rincian(uow, operator, PEMDA, TAHUN, other.id)
    with pytest.raises(Forbidden):
        usecases.rincian_audit(uow, operator, PEMDA, TAHUN, other.id)


def test_an_unknown_or_malformed_line_is_not_found_and_a_malformed_rkpd_id_is_invalid():
    uow, _ = budget()
    for id in (str(uuid.uuid4()), "not-a-uuid"):
        with pytest.raises(NotFound):
            usecases.get_rincian(uow, TAPD, PEMDA, TAHUN, id)
    with pytest.raises(Invalid) as raised:
        usecases.list_rincian(uow, TAPD, PEMDA, TAHUN, rkpd_id="x")
    assert raised.value.errors == [{"field": "rkpd_id", "message": "must be a UUID"}]
