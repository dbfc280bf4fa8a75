"""The schedule's use cases on an in-memory unit of work: who may schedule, open, lock and reopen; writes of
the RKPD only inside an open window; a lock's snapshot; penetapan's event; the perubahan's murni figures."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from decimal import Decimal

import pytest

from contracts.perencanaan import JadwalOut, RkpdDitetapkan, RkpdSubKegiatanSaved
from services.perencanaan.jadwal import domain, usecases
from services.perencanaan.rkpd import usecases as rkpd
from sipd_common.access import Role, Scope
from sipd_common.errors import Conflict, Forbidden, Invalid, NotFound

from .kodefikasi import DINAS_KESEHATAN, DINAS_PENDIDIKAN, KOTA, PUSKESMAS, USB, USB_BARU
from .test_rkpd import BAPPEDA, OPERATOR, filled, new_item

TAHUN = 2027
T0 = datetime(2026, 1, 5, tzinfo=timezone.utc)
DAY = timedelta(days=1)
STAGES = ["rancangan_awal", "rancangan", "musrenbang", "rancangan_akhir", "penetapan"]
PEMDA_ADMIN = Scope("u3", "admin.bandung", Role.PEMDA_ADMIN, KOTA)
DPRD = Scope("u4", "dprd.bandung", Role.DPRD, KOTA)
OPERATOR_KESEHATAN = Scope("u5", "operator.dinkes", Role.SKPD_OPERATOR, KOTA, DINAS_KESEHATAN)


def body(*kodes) -> dict:
    return {"dokumen": "rkpd", "tahun": TAHUN, "tahap": [
        {"kode_tahap": k, "waktu_mulai": (T0 + i * 10 * DAY).isoformat(),
         "waktu_selesai": (T0 + (i + 1) * 10 * DAY).isoformat()} for i, k in enumerate(kodes or STAGES)]}


def at(stage: str) -> datetime:
    """A moment inside ``stage``'s window."""
    return T0 + STAGES.index(stage) * 10 * DAY + DAY


def scheduled(uow=None, caller=BAPPEDA):
    uow = uow or filled()
    usecases.create_jadwal(uow, caller, KOTA, body(), now=T0)
    return uow


def act(uow, name, kode, caller=BAPPEDA, now=None, **kwargs) -> JadwalOut:
    fn = getattr(usecases, f"{name}_tahap")
    return fn(uow, caller, KOTA, "rkpd", TAHUN, kode, *kwargs.values(), now=now or at(kode))


def plan(uow, caller=BAPPEDA, now=None, **over):
    return rkpd.create_sub_kegiatan(uow, caller, KOTA, TAHUN, new_item(**over), now=now)


def test_bappeda_or_the_pemda_administrator_schedules_the_stages_of_the_decree_in_force():
    uow = scheduled()
    j = usecases.get_jadwal(uow, OPERATOR, KOTA, "rkpd", TAHUN, now=T0)
    assert [t.kode for t in j.tahap] == STAGES and j.versi_tahapan == "permendagri-86-2017"
    assert j.tahap_terbuka is None and {t.status for t in j.tahap} == {"draft"}
    assert str(j.tahap[-1].batas) == "2026-06-30" and not j.tahap[-1].melewati_batas
    [audit] = uow.audited
    assert (audit["action"], audit["record_type"], audit["kode_pemda"], audit["tahun"]) == (
        "create", "jadwal", KOTA, TAHUN)
    with pytest.raises(Conflict) as raised:
        usecases.create_jadwal(uow, PEMDA_ADMIN, KOTA, body(), now=T0)
    assert raised.value.errors[0]["field"] == "tahun"
    assert usecases.create_jadwal(filled(), PEMDA_ADMIN, KOTA, body(), now=T0).kode_pemda == KOTA


@pytest.mark.parametrize("caller", [OPERATOR, DPRD, Scope("u6", "bappeda.cimahi", Role.BAPPEDA, "32.77")])
def test_no_one_else_schedules_opens_locks_or_reopens(caller):
    uow = scheduled()
    act(uow, "open", "rancangan_awal")
    for attempt in (lambda: usecases.create_jadwal(filled(), caller, KOTA, body(), now=T0),
                    lambda: act(uow, "lock", "rancangan_awal", caller=caller),
                    lambda: act(uow, "extend", "rancangan_awal", caller=caller, data={
                        "waktu_selesai": (T0 + 50 * DAY).isoformat()}),
                    lambda: act(uow, "reopen", "rancangan_awal", caller=caller, data={
                        "alasan": "x", "waktu_selesai": (T0 + 50 * DAY).isoformat()})):
        with pytest.raises(Forbidden):
            attempt()
    assert uow.jadwal.get(KOTA, "rkpd", TAHUN).get("rancangan_awal").status == "terbuka"


def test_a_schedule_names_its_errors_by_field_and_an_unknown_document_is_refused():
    with pytest.raises(Invalid) as raised:
        usecases.create_jadwal(filled(), BAPPEDA, KOTA, {**body(), "tahap": body()["tahap"][:-1]}, now=T0)
    assert [e["field"] for e in raised.value.errors] == ["tahap"]
    with pytest.raises(Invalid) as raised:
        usecases.create_jadwal(filled(), BAPPEDA, KOTA, {**body(), "dokumen": "rpjpd"}, now=T0)
    assert raised.value.errors[0]["field"] == "dokumen"
    naive = body()
    naive["tahap"][0]["waktu_mulai"] = "2026-01-05T00:00:00"
    with pytest.raises(Invalid) as raised:
        usecases.create_jadwal(filled(), BAPPEDA, KOTA, naive, now=T0)
    assert raised.value.errors[0]["field"] == "tahap.0.waktu_mulai"


def test_the_rkpd_is_written_only_while_a_stage_is_open_inside_its_window():
    uow = scheduled()
    with pytest.raises(Conflict) as raised:
        plan(uow, now=at("rancangan_awal"))
    assert raised.value.errors == [{"field": "tahun", "message": raised.value.errors[0]["message"]}]
    assert "no stage is open" in raised.value.detail and uow.rkpd.items == {}

    act(uow, "open", "rancangan_awal")
    item = plan(uow, now=at("rancangan_awal"))
    assert ("share", KOTA, "rkpd", TAHUN) in uow.jadwal.locks  # held against a racing lock
    with pytest.raises(Conflict, match="closed at"):
        rkpd.update_sub_kegiatan(uow, BAPPEDA, KOTA, TAHUN, item.id, {"target": "3"}, now=T0 + 10 * DAY)
    act(uow, "lock", "rancangan_awal")
    for attempt in (lambda: rkpd.update_sub_kegiatan(uow, BAPPEDA, KOTA, TAHUN, item.id, {"target": "3"},
                                                     now=at("rancangan_awal")),
                    lambda: rkpd.delete_sub_kegiatan(uow, OPERATOR, KOTA, TAHUN, item.id, now=at("rancangan_awal"))):
        with pytest.raises(Conflict, match="rancangan_awal is locked"):
            attempt()
    assert uow.rkpd.items[item.id].target == Decimal("2")


def test_a_year_without_a_schedule_is_written_as_before():
    assert plan(filled()).version == 1


def test_locking_takes_one_content_hashed_snapshot_and_the_next_stage_starts_from_it():
    uow = scheduled()
    act(uow, "open", "rancangan_awal")
    item = plan(uow, now=at("rancangan_awal"))
    plan(uow, OPERATOR_KESEHATAN, now=at("rancangan_awal"), kode_skpd=DINAS_KESEHATAN, kode_sub_kegiatan=PUSKESMAS,
         pagu_indikatif="100.05")
    locked = act(uow, "lock", "rancangan_awal")
    stage = locked.tahap[0]
    assert (stage.status, stage.jumlah_kunci) == ("terkunci", 1)
    snap = usecases.get_snapshot(uow, BAPPEDA, KOTA, stage.snapshot_id)
    assert [i["kode_skpd"] for i in snap.items] == [DINAS_PENDIDIKAN, DINAS_KESEHATAN]
    assert snap.items[0] == {**snap.items[0], "id": item.id, "pagu_indikatif": "3500000000.00", "target": "2.00"}
    assert snap.ringkasan.total.pagu_indikatif == Decimal("3500000100.05")
    header = domain.snapshot_header(KOTA, "rkpd", TAHUN, "rancangan_awal", 1, None, None)
    assert snap.hash == domain.content_hash(header, snap.items)
    assert not any(isinstance(e, RkpdDitetapkan) for e in uow.events)  # not enacted yet

    with pytest.raises(Conflict, match="locked already"):
        act(uow, "lock", "rancangan_awal", caller=PEMDA_ADMIN)
    assert len(uow.jadwal.snapshot_rows) == 1

    opened = act(uow, "open", "rancangan")
    assert opened.tahap[1].dari_snapshot_id == stage.snapshot_id and opened.tahap_terbuka == "rancangan"

    mine = usecases.get_snapshot(uow, OPERATOR, KOTA, stage.snapshot_id)
    assert [i["kode_skpd"] for i in mine.items] == [DINAS_PENDIDIKAN] and mine.total == 1
    assert [r.kode_skpd for r in mine.ringkasan.skpd] == [DINAS_PENDIDIKAN]
    with pytest.raises(Forbidden):
        usecases.get_snapshot(uow, OPERATOR, KOTA, stage.snapshot_id, kode_skpd=DINAS_KESEHATAN)
    with pytest.raises(NotFound):
        usecases.get_snapshot(uow, Scope("u0", "pusat", Role.PUSAT_ADMIN), "32.77", stage.snapshot_id)


def test_reopening_needs_a_reason_is_audited_and_keeps_the_first_snapshot():
    uow = scheduled()
    act(uow, "open", "rancangan_awal")
    plan(uow, now=at("rancangan_awal"))
    first = act(uow, "lock", "rancangan_awal").tahap[0].snapshot_id
    with pytest.raises(Invalid) as raised:
        act(uow, "reopen", "rancangan_awal", data={"alasan": "", "waktu_selesai": (T0 + 9 * DAY).isoformat()})
    assert raised.value.errors[0]["field"] == "alasan"
    reopened = act(uow, "reopen", "rancangan_awal", data={"alasan": "pagu Disdik salah ketik",
                                                           "waktu_selesai": (T0 + 9 * DAY).isoformat()})
    assert reopened.tahap[0].status == "terbuka" and reopened.tahap[0].alasan_buka_kembali == "pagu Disdik salah ketik"
    assert uow.audited[-1]["after"]["alasan"] == "pagu Disdik salah ketik"
    second = act(uow, "lock", "rancangan_awal").tahap[0]
    assert second.jumlah_kunci == 2 and second.snapshot_id != first
    assert usecases.get_snapshot(uow, BAPPEDA, KOTA, first).kunci_ke == 1  # still there, as it was
    listed = usecases.list_snapshot(uow, BAPPEDA, KOTA, "rkpd", TAHUN)
    assert [s.kunci_ke for s in listed["items"]] == [1, 2]


def _to_penetapan(uow, **over):
    act(uow, "open", "rancangan_awal")
    item = plan(uow, now=at("rancangan_awal"), **over)
    for previous, stage in zip(STAGES, STAGES[1:]):
        act(uow, "lock", previous)
        act(uow, "open", stage)
    return item


def test_a_write_refused_once_the_window_closed_is_accepted_again_after_it_is_extended():
    uow = scheduled()
    act(uow, "open", "rancangan_awal")
    item = plan(uow, now=at("rancangan_awal"))
    late = T0 + 10 * DAY + DAY  # a day after rancangan_awal's window closed
    with pytest.raises(Conflict, match="closed at") as refused:
        rkpd.update_sub_kegiatan(uow, BAPPEDA, KOTA, TAHUN, item.id, {"target": "3"}, now=late)
    assert refused.value.errors[0]["field"] == "tahun" and uow.rkpd.items[item.id].target == Decimal("2")
    with pytest.raises(Conflict, match="closed at"):
        plan(uow, now=late, kode_sub_kegiatan=USB_BARU)
    extended = act(uow, "extend", "rancangan_awal", now=late, data={"waktu_selesai": (late + 2 * DAY).isoformat()})
    assert extended.tahap[0].waktu_selesai == late + 2 * DAY and extended.tahap_terbuka == "rancangan_awal"
    changed = rkpd.update_sub_kegiatan(uow, BAPPEDA, KOTA, TAHUN, item.id, {"target": "3"}, now=late)
    assert (changed.target, changed.version) == (Decimal("3"), 2)
    assert plan(uow, now=late, kode_sub_kegiatan=USB_BARU).version == 1
    # and closes again at its new end
    with pytest.raises(Conflict, match="closed at"):
        rkpd.update_sub_kegiatan(uow, BAPPEDA, KOTA, TAHUN, item.id, {"target": "4"}, now=late + 2 * DAY)


def _with_renstra():
    from .lima_tahun import filled as filled_with_renstra, renstra_terverifikasi

    uow = filled_with_renstra()
    renstra_terverifikasi(uow)
    return scheduled(uow)


def test_a_stage_that_requires_the_sasaran_is_not_locked_while_an_item_of_the_year_has_none():
    from services.perencanaan.renja import usecases as renja

    uow = _with_renstra()
    act(uow, "open", "rancangan_awal")
    unlinked = plan(uow, now=at("rancangan_awal"))
    plan(uow, now=at("rancangan_awal"), kode_sub_kegiatan=USB_BARU, kode_sasaran_renstra="S1")
    for previous, stage in zip(STAGES, STAGES[1:4]):
        act(uow, "lock", previous)  # the stages before rancangan_akhir do not ask it
        act(uow, "open", stage)
    # the SKPD's Renja, verified while the item still had no link: its items no longer change
    renja.submit_renja(uow, OPERATOR, KOTA, TAHUN, DINAS_PENDIDIKAN, now=at("rancangan_akhir"))
    renja.verify_renja(uow, BAPPEDA, KOTA, TAHUN, DINAS_PENDIDIKAN, {"setuju": True}, now=at("rancangan_akhir"))
    before = (uow.jadwal.get(KOTA, "rkpd", TAHUN), len(uow.jadwal.snapshot_rows), len(uow.audited), len(uow.events))

    with pytest.raises(Invalid) as refused:
        act(uow, "lock", "rancangan_akhir")
    [error] = refused.value.errors
    assert error["field"] == "kode_sasaran_renstra" and unlinked.id in error["message"]
    assert USB in error["message"] and "rancangan_akhir" in error["message"]
    assert (uow.jadwal.get(KOTA, "rkpd", TAHUN), len(uow.jadwal.snapshot_rows), len(uow.audited),
            len(uow.events)) == before  # nothing locked, nothing kept
    assert uow.jadwal.get(KOTA, "rkpd", TAHUN).get("rancangan_akhir").status == "terbuka"

    # Bappeda returns the verified Renja; the SKPD links the item; the stage locks, every item traced
    with pytest.raises(Conflict):
        rkpd.update_sub_kegiatan(uow, OPERATOR, KOTA, TAHUN, unlinked.id, {"kode_sasaran_renstra": "S1"},
                                 now=at("rancangan_akhir"))
    renja.verify_renja(uow, BAPPEDA, KOTA, TAHUN, DINAS_PENDIDIKAN, {"setuju": False, "catatan": "Tautkan sasaran"},
                       now=at("rancangan_akhir"))
    rkpd.update_sub_kegiatan(uow, OPERATOR, KOTA, TAHUN, unlinked.id, {"kode_sasaran_renstra": "S1"},
                             now=at("rancangan_akhir"))
    locked = act(uow, "lock", "rancangan_akhir").tahap[3]
    snap = usecases.get_snapshot(uow, BAPPEDA, KOTA, locked.snapshot_id)
    assert {i["kode_sasaran_renstra"] for i in snap.items} == {"S1"} and snap.total == 2


def test_an_item_of_an_skpd_without_a_renstra_holds_the_lock_until_it_is_deleted():
    uow = _with_renstra()  # Dinas Pendidikan's verified Renstra covers the year; Dinas Kesehatan has none
    act(uow, "open", "rancangan_awal")
    plan(uow, now=at("rancangan_awal"), kode_sasaran_renstra="S1")
    stray = plan(uow, OPERATOR_KESEHATAN, now=at("rancangan_awal"), kode_skpd=DINAS_KESEHATAN,
                 kode_sub_kegiatan=PUSKESMAS, pagu_indikatif="100")
    for previous, stage in zip(STAGES, STAGES[1:4]):
        act(uow, "lock", previous)
        act(uow, "open", stage)
    with pytest.raises(Invalid) as refused:
        act(uow, "lock", "rancangan_akhir")
    assert [e["field"] for e in refused.value.errors] == ["kode_sasaran_renstra"]
    assert stray.id in refused.value.errors[0]["message"] and DINAS_KESEHATAN in refused.value.errors[0]["message"]
    rkpd.delete_sub_kegiatan(uow, OPERATOR_KESEHATAN, KOTA, TAHUN, stray.id, now=at("rancangan_akhir"))
    act(uow, "lock", "rancangan_akhir")
    act(uow, "open", "penetapan")
    act(uow, "lock", "penetapan")
    [event] = [e for e in uow.events if isinstance(e, RkpdDitetapkan)]
    assert event.jumlah_sub_kegiatan == 1


def test_penetapan_publishes_the_enacted_snapshot_with_its_totals_and_never_reopens():
    uow = scheduled()
    item = _to_penetapan(uow)
    enacted = act(uow, "lock", "penetapan")
    [event] = [e for e in uow.events if isinstance(e, RkpdDitetapkan)]
    assert event.snapshot_id == enacted.tahap[-1].snapshot_id and event.kode_tahap == "penetapan"
    assert (event.aggregate_id, event.aggregate_version) == (enacted.id, enacted.version)
    assert event.total_pagu_indikatif == Decimal("3500000000.00") and event.jumlah_sub_kegiatan == 1
    assert [(p.kode_skpd, p.kode_program, p.pagu_indikatif) for p in event.program] == [
        (DINAS_PENDIDIKAN, "1.01.02", Decimal("3500000000.00"))]
    assert event.kegiatan[0].kode_kegiatan == "1.01.02.2.01" and event.sub_kegiatan[0].kode_sub_kegiatan == USB
    assert event.perubahan is False and event.murni_snapshot_id is None
    with pytest.raises(Conflict, match="perubahan"):
        act(uow, "reopen", "penetapan", data={"alasan": "x", "waktu_selesai": (T0 + 90 * DAY).isoformat()})
    with pytest.raises(Conflict):
        rkpd.update_sub_kegiatan(uow, BAPPEDA, KOTA, TAHUN, item.id, {"target": "9"}, now=at("penetapan"))


def test_a_perubahan_starts_from_the_enacted_snapshot_and_keeps_its_figures_as_murni():
    from .lima_tahun import filled as filled_with_renstra, renstra_terverifikasi

    uow = filled_with_renstra()
    renstra_terverifikasi(uow)
    scheduled(uow)
    item = _to_penetapan(uow, kode_sasaran_renstra="S1")  # enacted with its link: penetapan asks it of every item
    murni_id = act(uow, "lock", "penetapan").tahap[-1].snapshot_id
    when = T0 + 100 * DAY
    usecases.add_tahap(uow, BAPPEDA, KOTA, "rkpd", TAHUN, {
        "kode_tahap": "perubahan", "waktu_mulai": when.isoformat(), "waktu_selesai": (when + 10 * DAY).isoformat()},
        now=when)
    assert act(uow, "open", "perubahan", now=when).tahap[-1].dari_snapshot_id == murni_id
    rkpd.update_sub_kegiatan(uow, BAPPEDA, KOTA, TAHUN, item.id, {"pagu_indikatif": "3000000000"}, now=when)
    # the perubahan stage is not marked wajib_sasaran (a revision revises what was enacted): an item new in it
    # without a link is written, and the stage locks with it (the consistency report lists it, tanpa_sasaran)
    baru = plan(uow, now=when, kode_sub_kegiatan=USB_BARU, pagu_indikatif="1.00")
    # its draft prints the enacted (murni) pagu beside the revised one, and the difference
    assert _printed(uow)[-1][6:9] == (Decimal("3500000000.00"), Decimal("3000000001.00"), Decimal("-499999999.00"))
    revised = act(uow, "lock", "perubahan", now=when)
    assert _printed(uow, revised.tahap[-1].snapshot_id)[-1][6:9] == (
        Decimal("3500000000.00"), Decimal("3000000001.00"), Decimal("-499999999.00"))
    enacted = _printed(uow, murni_id)[-1]  # as enacted: pagu N, N+1, no murni column
    assert len(enacted) == 9 and enacted[6] == Decimal("3500000000.00")
    event = [e for e in uow.events if isinstance(e, RkpdDitetapkan)][-1]
    assert (event.perubahan, event.murni_snapshot_id, event.aggregate_version) == (True, murni_id, revised.version)
    assert (event.total_pagu_indikatif, event.total_pagu_indikatif_murni) == (Decimal("3000000001.00"),
                                                                              Decimal("3500000000.00"))
    assert event.skpd[0].pagu_indikatif_murni == Decimal("3500000000.00")
    murni = usecases.get_snapshot(uow, BAPPEDA, KOTA, murni_id)
    assert murni.items[0]["pagu_indikatif"] == "3500000000.00"  # as enacted, still
    snap = usecases.get_snapshot(uow, BAPPEDA, KOTA, revised.tahap[-1].snapshot_id)
    revised_item = next(i for i in snap.items if i["id"] == item.id)
    assert (revised_item["pagu_indikatif"], revised_item["pagu_indikatif_murni"]) == ("3000000000.00",
                                                                                     "3500000000.00")
    new_item_row = next(i for i in snap.items if i["id"] == baru.id)
    assert (new_item_row["pagu_indikatif_murni"], new_item_row["kode_sasaran_renstra"]) == ("0.00", None)
    assert snap.murni_snapshot_id == murni_id
    assert any(isinstance(e, RkpdSubKegiatanSaved) and e.pagu_indikatif == Decimal("3000000000") for e in uow.events)


# -- the printed RKPD / Renja ---------------------------------------------------------------------------

def _printed(uow, snapshot_id=None) -> list[tuple]:
    """The rows of the printed RKPD (XLSX) below its headings, amounts as exact Decimals."""
    import base64
    import io

    from openpyxl import load_workbook

    from services.perencanaan.dokumen import usecases as dokumen

    made = dokumen.dokumen_rkpd(uow, BAPPEDA, KOTA, TAHUN, "xlsx", snapshot_id=snapshot_id)
    ws = load_workbook(io.BytesIO(base64.b64decode(made["content"]))).active
    return [tuple(Decimal(str(v)) if isinstance(v, (int, float)) else v for v in row)
            for row in ws.iter_rows(min_row=5, values_only=True)]


def test_the_rkpd_is_printed_from_its_snapshot_and_an_skpd_operator_prints_its_own_renja():
    import base64
    import io

    from openpyxl import load_workbook

    from services.perencanaan.dokumen import usecases as dokumen

    uow = scheduled()
    act(uow, "open", "rancangan_awal")
    plan(uow, now=at("rancangan_awal"))
    plan(uow, OPERATOR_KESEHATAN, now=at("rancangan_awal"), kode_skpd=DINAS_KESEHATAN, kode_sub_kegiatan=PUSKESMAS,
         pagu_indikatif="100.05")
    snapshot_id = act(uow, "lock", "rancangan_awal").tahap[0].snapshot_id

    def rows(result):
        ws = load_workbook(io.BytesIO(base64.b64decode(result["content"]))).active
        return list(ws.iter_rows(min_row=5, values_only=True))

    whole = dokumen.dokumen_rkpd(uow, BAPPEDA, KOTA, TAHUN, "xlsx", snapshot_id=snapshot_id)
    assert whole["filename"] == f"rkpd-{KOTA}-{TAHUN}.xlsx"
    assert [r[0] for r in rows(whole) if r[0] in (DINAS_PENDIDIKAN, DINAS_KESEHATAN)] == [DINAS_PENDIDIKAN,
                                                                                        DINAS_KESEHATAN]
    assert rows(whole)[-1][1] == "JUMLAH" and Decimal(str(rows(whole)[-1][6])) == Decimal("3500000100.05")
    own = dokumen.dokumen_rkpd(uow, OPERATOR, KOTA, TAHUN, "xlsx", snapshot_id=snapshot_id)
    assert own["filename"] == f"renja-{KOTA}-{TAHUN}-{DINAS_PENDIDIKAN}.xlsx"
    assert DINAS_KESEHATAN not in [r[0] for r in rows(own)]
    with pytest.raises(Forbidden):
        dokumen.dokumen_rkpd(uow, OPERATOR, KOTA, TAHUN, "pdf", kode_skpd=DINAS_KESEHATAN)
    with pytest.raises(NotFound):
        dokumen.dokumen_rkpd(uow, BAPPEDA, KOTA, TAHUN + 1, "pdf", snapshot_id=snapshot_id)
    with pytest.raises(Invalid):
        dokumen.dokumen_rkpd(uow, BAPPEDA, KOTA, TAHUN, "docx")
    assert base64.b64decode(dokumen.dokumen_rkpd(uow, BAPPEDA, KOTA, TAHUN, "pdf")["content"]).startswith(b"%PDF")


def test_a_schedule_created_again_with_its_key_answers_the_first_answer_and_another_body_is_refused():
    uow = filled()
    first = usecases.create_jadwal(uow, BAPPEDA, KOTA, body(), now=T0, idempotency_key="k-1")
    again = usecases.create_jadwal(uow, BAPPEDA, KOTA, body(), now=T0 + DAY, idempotency_key="k-1")
    assert again == first  # as answered then, one schedule
    with pytest.raises(Invalid) as refused:
        usecases.create_jadwal(uow, BAPPEDA, KOTA, body(*STAGES[:-1]), now=T0, idempotency_key="k-1")
    assert refused.value.errors[0]["field"] == "Idempotency-Key"
    with pytest.raises(Conflict):  # without the key: the year is scheduled already
        usecases.create_jadwal(uow, BAPPEDA, KOTA, body(), now=T0)
