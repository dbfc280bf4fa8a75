"""keuangan's replica of the codification as it runs: fed by referensi's change events, filled on an empty
schema and repaired after a missed event from referensi's snapshot, and what a write then finds in it.

referensi runs beside keuangan (its container, in the test's vhost): the changes are real imports, the
events go through its outbox and the broker, the snapshot is its RPC. Each import goes into a version of
the test's own, dated as the latest (a version is never dated before the latest), under account codes
no other test uses."""
from __future__ import annotations

import base64
import itertools
import uuid

import pytest
from nameko.standalone.events import event_dispatcher
from nameko.testing.services import entrypoint_hook, entrypoint_waiter
from sqlalchemy import select

from contracts.perencanaan import RkpdSubKegiatanSaved
from contracts.referensi import CHANGED, RekeningChanged, RekeningItem
from ops.testing import auth_context, deliver, wait_until
from services.keuangan.replika import usecases as replika
from services.keuangan.replika.domain import KINDS
from services.keuangan.rincian.repository import rincian as rincian_table
from services.keuangan.service import KeuanganService
from services.keuangan.uow import KeuanganUnitOfWork
from sipd_common.errors import Invalid, Unavailable
from sipd_common.tables import outbox_table

from .support import empty, held, posisi, rows, wait_siap

_n = itertools.count(1)
KODE = dict(kode_skpd="1.01.0.00.0.00.01.0000", kode_sub_kegiatan="1.01.02.2.01.0001", kode_bidang_urusan="1.01")
REKENING_GEDUNG_SEKOLAH = "5.2.03.01.01.0010"


def call(container, method, *args, **kwargs):
    with entrypoint_hook(container, method, context_data=auth_context()) as hook:
        return hook(*args, **kwargs)


@pytest.fixture
def versi(referensi):
    """``versi()``: a new version of this test's own, dated as the latest one."""
    def new() -> dict:
        total = call(referensi, "list_versi", 0, 1)["total"]
        [latest] = call(referensi, "list_versi", total - 1, 1)["items"]  # oldest first: the last is the latest
        n = next(_n)
        return {"versi": f"uji-keuangan-{n}-{uuid.uuid4().hex[:6]}", "versi_judul": f"Keputusan uji keuangan {n}",
                "versi_tanggal": latest["tanggal"]}

    return new


def kode_baru() -> str:
    return f"5.2.03.01.01.{7000 + next(_n)}"


def import_rekening(referensi, versi: dict, *rows: str) -> dict:
    content = "\n".join(["aksi,kode,nama,kode_pengganti", *rows]) + "\n"
    report = call(referensi, "import_file", {"kind": "rekening", "mode": "diff", **versi},
                  base64.b64encode(content.encode()).decode(), "uji-keuangan.csv")
    assert report["applied"] and not report["errors"], report
    return report


def stream(referensi, kind: str) -> int:
    """Where referensi's stream of ``kind`` stands (the snapshot says it)."""
    return call(referensi, "snapshot", {"kind": kind, "limit": 1})["urutan"]


def caught_up(db, referensi, kind: str = "rekening") -> None:
    """keuangan has applied every event of ``kind`` referensi has published (none missing)."""
    def done():
        p = posisi(db, kind)
        return p is not None and p.urutan == stream(referensi, kind) and not p.tertunda
    wait_until(done, timeout=60, interval=0.2, message=f"{kind} caught up")


def ceiling(keuangan, scope, pagu="1000000.00") -> str:
    kode_pemda, tahun = scope
    event = RkpdSubKegiatanSaved(
        kode_pemda=kode_pemda, tahun=tahun, aggregate_id=str(uuid.uuid4()), aggregate_version=1, **KODE,
        nama_sub_kegiatan="Pembangunan Unit Sekolah Baru", nama_bidang_urusan="URUSAN PEMERINTAHAN BIDANG PENDIDIKAN",
        indikator="Jumlah", target="1", satuan="Unit", pagu_indikatif=pagu)
    assert deliver(keuangan, "on_rkpd_saved", event) == "applied"
    return event.aggregate_id


def line(rkpd_id: str, kode_rekening: str) -> dict:
    return dict(rkpd_id=rkpd_id, kode_rekening=kode_rekening, uraian="Uji", volume="1", satuan="Paket",
                harga_satuan="1000.00")


# -- a write finds what referensi published -------------------------------------------------------------

def test_an_account_added_in_referensi_is_usable_once_its_event_is_applied(replika_siap, referensi, db, scope,
                                                                          versi):
    keuangan, kode = replika_siap, kode_baru()
    rkpd_id = ceiling(keuangan, scope)
    with pytest.raises(Invalid) as unknown:
        call(keuangan, "create_rincian", *scope, line(rkpd_id, kode))
    assert unknown.value.errors == [{"field": "kode_rekening",
                                     "message": "no such account in the national chart of accounts"}]

    import_rekening(referensi, versi(), f"tambah,{kode},Belanja Modal Uji Keuangan,")
    wait_until(lambda: held(db, "rekening", kode), message="account in keuangan's replica")

    created = call(keuangan, "create_rincian", *scope, line(rkpd_id, kode))
    assert (created["kode_rekening"], created["nama_rekening"]) == (kode, "Belanja Modal Uji Keuangan")


def test_an_account_retired_in_referensi_is_refused_naming_its_replacement_and_its_lines_are_flagged(
        replika_siap, referensi, db, scope, versi):
    keuangan, kode = replika_siap, kode_baru()
    added = versi()
    import_rekening(referensi, added, f"tambah,{kode},Belanja Modal Uji Pensiun,")
    wait_until(lambda: held(db, "rekening", kode), message="account in keuangan's replica")
    rkpd_id = ceiling(keuangan, scope)
    kept = call(keuangan, "create_rincian", *scope, line(rkpd_id, kode))

    retiring = versi()
    import_rekening(referensi, retiring, f"hapus,{kode},,{REKENING_GEDUNG_SEKOLAH}")
    wait_until(lambda: not held(db, "rekening", kode)["berlaku"], message="retirement in keuangan's replica")

    with pytest.raises(Invalid) as refused:
        call(keuangan, "create_rincian", *scope, line(rkpd_id, kode))
    assert refused.value.errors == [{"field": "kode_rekening", "message": (
        f"account {kode} was retired in version {retiring['versi']}; use {REKENING_GEDUNG_SEKOLAH}")}]
    flagged = call(keuangan, "get_rincian", *scope, kept["id"])
    assert flagged["perlu_pemetaan"] and flagged["pemetaan"] == [
        {"kind": "rekening", "kode": kode, "versi": retiring["versi"], "kode_pengganti": [REKENING_GEDUNG_SEKOLAH]}]


def test_a_renamed_account_reaches_the_lines_on_it(replika_siap, referensi, db, scope, versi):
    keuangan, kode = replika_siap, kode_baru()
    import_rekening(referensi, versi(), f"tambah,{kode},Belanja Modal Nama Lama,")
    wait_until(lambda: held(db, "rekening", kode), message="account in keuangan's replica")
    created = call(keuangan, "create_rincian", *scope, line(ceiling(keuangan, scope), kode))

    import_rekening(referensi, versi(), f"ubah,{kode},Belanja Modal Nama Baru,")
    wait_until(lambda: call(keuangan, "get_rincian", *scope, created["id"])["nama_rekening"] == "Belanja Modal Nama Baru",
               message="the line renamed")


# -- filled on an empty schema, repaired after a gap --------------------------------------------------------

def every_event(engines, kind: str) -> list:
    """Every change event of ``kind`` referensi has published, in the order it published them (the messages as
    its outbox keeps them: the events of the seed were published before this test's broker existed)."""
    with engines("referensi").connect() as conn:
        payloads = conn.execute(select(outbox_table.c.payload).where(
            outbox_table.c.routing_key == CHANGED[kind].event_type()).order_by(outbox_table.c.id)).scalars().all()
    return [CHANGED[kind].read(p) for p in payloads]


def test_a_replica_filled_on_an_empty_schema_is_the_one_every_event_made(keuangan, referensi, db, engines, start,
                                                                          versi):
    wait_siap(db)
    # the stream holds more than the seed: an account added, then renamed, another retired
    kode, gone = kode_baru(), kode_baru()
    import_rekening(referensi, versi(), f"tambah,{kode},Belanja Uji Penuh,", f"tambah,{gone},Belanja Uji Pensiun,")
    import_rekening(referensi, versi(), f"ubah,{kode},Belanja Uji Penuh Baru,", f"hapus,{gone},,{kode}")
    for kind in KINDS:
        caught_up(db, referensi, kind)
    keuangan.stop()

    # a consumer that saw every event referensi published, and nothing else
    empty(db)
    for kind in KINDS:
        for event in every_event(engines, kind):
            with KeuanganUnitOfWork(db, "keuangan", {}) as uow:
                replika.apply_changed(uow, kind, event)
                uow.commit()
        assert (posisi(db, kind).urutan, posisi(db, kind).tertunda) == (stream(referensi, kind), ()), kind
    by_events = {kind: rows(db, kind) for kind in KINDS}
    assert by_events["rekening"][(kode,)]["nama"] == "Belanja Uji Penuh Baru"
    assert not by_events["rekening"][(gone,)]["berlaku"]

    # a consumer started on an empty schema: its timer fills every list from referensi's snapshot
    empty(db)
    start(KeuanganService)
    wait_siap(db)
    for kind in KINDS:
        assert rows(db, kind) == by_events[kind], kind
        assert posisi(db, kind).urutan == stream(referensi, kind)


def test_a_gap_in_the_stream_is_repaired_from_the_snapshot(replika_siap, referensi, db, versi, monkeypatch):
    keuangan = replika_siap
    caught_up(db, referensi)
    before = posisi(db, "rekening").urutan
    missed, seen = kode_baru(), kode_baru()

    def carrying(kode):
        return lambda worker_ctx, result, exc_info: any(
            i["kode"] == kode for i in worker_ctx.args[0].get("perubahan", []))

    with monkeypatch.context() as lost:  # the event of the first import never reaches the replica
        lost.setattr(replika, "apply_changed", lambda uow, kind, event: None)
        with entrypoint_waiter(keuangan, "on_rekening_changed", callback=carrying(missed), timeout=30):
            import_rekening(referensi, versi(), f"tambah,{missed},Belanja Uji Terlewat,")
    assert held(db, "rekening", missed) is None

    import_rekening(referensi, versi(), f"tambah,{seen},Belanja Uji Terlihat,")
    wait_until(lambda: held(db, "rekening", seen), message="the next event applied")
    p = posisi(db, "rekening")
    assert (p.urutan, p.tertunda) == (before, (before + 2,))  # a hole where the lost event was

    # once the hole has stayed open past the grace period, the timer repairs the list from the snapshot
    wait_until(lambda: held(db, "rekening", missed), timeout=30, interval=0.2, message="the missed account")
    assert held(db, "rekening", missed)["nama"] == "Belanja Uji Terlewat"
    wait_until(lambda: (posisi(db, "rekening").urutan, posisi(db, "rekening").tertunda) == (before + 2, ()),
               message="the stream position past the gap")


# -- tolerant reading -------------------------------------------------------------------------------------

def test_an_event_with_fields_keuangan_does_not_know_is_applied_not_parked(keuangan, db):
    kode = f"5.2.03.01.01.{5000 + next(_n)}"
    item = RekeningItem(kode=kode, tingkat="sub_rincian_objek", akun="belanja", peruntukan="belanja_modal",
                        nama="Belanja Uji Toleran", kode_induk="5.2.03.01.01", valid_from="uji-toleran",
                        valid_until=None, revisi=1, aksi="added")
    payload = RekeningChanged(versi="uji-toleran", aggregate_id="rekening", aggregate_version=1,
                              perubahan=[item]).to_message()
    payload["diterbitkan_oleh"] = "referensi 2.0"                 # a field added to the envelope,
    payload["perubahan"][0]["kode_sap"] = "5.2.3.01"                # and one to the item

    def this(worker_ctx, result, exc_info):
        return worker_ctx.args[0]["event_id"] == payload["event_id"]

    with entrypoint_waiter(keuangan, "on_rekening_changed", callback=this, timeout=15) as result:
        event_dispatcher()(RekeningChanged.source, RekeningChanged.event_type(), payload)
    assert result.get() == "applied"
    assert held(db, "rekening", kode)["nama"] == "Belanja Uji Toleran"


def test_a_line_on_an_account_of_a_replica_still_loading_is_answered_unavailable(keuangan, db, scope):
    """Before the chart of accounts is first filled (no referensi to fill it from here), a code keuangan
    does not hold yet may still be on its way: try again, rather than refused."""
    rkpd_id = ceiling(keuangan, scope)
    empty(db, "rekening")

    with pytest.raises(Unavailable) as raised:
        call(keuangan, "create_rincian", *scope, line(rkpd_id, REKENING_GEDUNG_SEKOLAH))
    assert raised.value.detail == replika.BELUM_SIAP
    with db.connect() as conn:
        assert conn.execute(select(rincian_table).where(rincian_table.c.rkpd_id == rkpd_id)).first() is None
