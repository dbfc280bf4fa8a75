"""The Renstra sasaran an RKPD item serves (``kode_sasaran_renstra``), on an in-memory unit of work: optional in
the early stages, required from the rancangan akhir on (the schedule's stages say which), always a sasaran of
the SKPD's verified Renstra covering the year; carried in the answer, the event and the snapshot."""
from __future__ import annotations

import pytest

from contracts.perencanaan import RkpdSubKegiatanSaved
from services.perencanaan.jadwal import usecases as jadwal
from services.perencanaan.renstra import usecases as renstra
from services.perencanaan.rkpd import usecases as rkpd
from services.perencanaan.rpjmd import usecases as rpjmd
from sipd_common.errors import Invalid

from . import lima_tahun
from .kodefikasi import DINAS_KESEHATAN, DINAS_PENDIDIKAN, KOTA, PUSKESMAS, USB, USB_BARU
from .lima_tahun import BAPPEDA, OPERATOR, fields, isi_renstra, renstra_terverifikasi, rpjmd_baru
from .test_jadwal import STAGES, TAHUN, act, at, body
from .test_rkpd import new_item


def world(stage: str | None = "rancangan_awal", verified: bool = True):
    """A Renstra of Dinas Pendidikan (sasaran S1) and the year's schedule open at ``stage`` (None: no schedule)."""
    uow = lima_tahun.filled()
    if verified:
        renstra_terverifikasi(uow)
    if stage is not None:
        jadwal.create_jadwal(uow, BAPPEDA, KOTA, body(), now=at("rancangan_awal"))
        act(uow, "open", STAGES[0])
        for previous, following in zip(STAGES, STAGES[1:STAGES.index(stage) + 1]):
            act(uow, "lock", previous)
            act(uow, "open", following)
    return uow


def plan(uow, stage="rancangan_awal", caller=BAPPEDA, **over):
    return rkpd.create_sub_kegiatan(uow, caller, KOTA, TAHUN, new_item(**over), now=stage and at(stage))


def refused(call) -> tuple[list[str], str]:
    with pytest.raises(Invalid) as raised:
        call()
    return fields(raised), str(raised.value)


def test_in_the_early_stages_the_link_is_optional_and_when_given_a_sasaran_of_the_verified_renstra():
    uow = world()
    unlinked = plan(uow)
    assert unlinked.kode_sasaran_renstra is None
    linked = plan(uow, kode_sub_kegiatan=USB_BARU, kode_sasaran_renstra="S1")
    assert linked.kode_sasaran_renstra == "S1"
    assert rkpd.get_sub_kegiatan(uow, BAPPEDA, KOTA, TAHUN, linked.id).kode_sasaran_renstra == "S1"
    [event] = [e for e in uow.events if isinstance(e, RkpdSubKegiatanSaved) and e.aggregate_id == linked.id]
    assert event.kode_sasaran_renstra == "S1"
    before = len(uow.rkpd.all_of(KOTA, TAHUN))
    # a sasaran the Renstra does not hold, or a Renstra of another period: refused naming the field
    got, message = refused(lambda: rkpd.update_sub_kegiatan(uow, BAPPEDA, KOTA, TAHUN, unlinked.id,
                                                            {"kode_sasaran_renstra": "S9"}, now=at("rancangan_awal")))
    assert got == ["kode_sasaran_renstra"] and "no sasaran S9 in the Renstra 2026–2030" in message
    assert rkpd.get_sub_kegiatan(uow, BAPPEDA, KOTA, TAHUN, unlinked.id).kode_sasaran_renstra is None
    # an SKPD without a Renstra links to nothing
    got, message = refused(lambda: plan(uow, kode_skpd=DINAS_KESEHATAN, kode_sub_kegiatan=PUSKESMAS,
                                        kode_sasaran_renstra="S1"))
    assert got == ["kode_sasaran_renstra"] and "has no Renstra covering 2027" in message
    assert len(uow.rkpd.all_of(KOTA, TAHUN)) == before


def test_a_renstra_not_yet_verified_takes_no_link():
    uow = world(verified=False)
    made = rpjmd.create_rpjmd(uow, BAPPEDA, KOTA, rpjmd_baru())
    renstra.create_renstra(uow, OPERATOR, KOTA, DINAS_PENDIDIKAN, {"rpjmd_id": made.id, **isi_renstra()})
    got, message = refused(lambda: plan(uow, kode_sasaran_renstra="S1"))
    assert got == ["kode_sasaran_renstra"] and "is draft" in message and "verified" in message


def test_from_the_rancangan_akhir_on_a_write_without_the_link_is_refused_naming_it():
    uow = world()
    earlier = plan(uow)  # written without a link while it was optional
    for stage in STAGES[1:4]:
        act(uow, "lock", STAGES[STAGES.index(stage) - 1])
        act(uow, "open", stage)
    events = len(uow.events)
    got, message = refused(lambda: plan(uow, "rancangan_akhir", kode_sub_kegiatan=USB_BARU))
    assert got == ["kode_sasaran_renstra"] and "stage rancangan_akhir" in message
    # a change to an item without a link must give it, whatever else it changes
    got, _ = refused(lambda: rkpd.update_sub_kegiatan(uow, BAPPEDA, KOTA, TAHUN, earlier.id, {"target": "3"},
                                                      now=at("rancangan_akhir")))
    assert got == ["kode_sasaran_renstra"]
    assert len(uow.events) == events and rkpd.get_sub_kegiatan(uow, BAPPEDA, KOTA, TAHUN, earlier.id).version == 1
    changed = rkpd.update_sub_kegiatan(uow, BAPPEDA, KOTA, TAHUN, earlier.id,
                                       {"target": "3", "kode_sasaran_renstra": "S1"}, now=at("rancangan_akhir"))
    assert (changed.kode_sasaran_renstra, changed.version) == ("S1", 2)
    # and cannot take it away again
    got, _ = refused(lambda: rkpd.update_sub_kegiatan(uow, BAPPEDA, KOTA, TAHUN, earlier.id,
                                                      {"kode_sasaran_renstra": None}, now=at("rancangan_akhir")))
    assert got == ["kode_sasaran_renstra"]
    assert plan(uow, "rancangan_akhir", kode_sub_kegiatan=USB_BARU, kode_sasaran_renstra="S1").version == 1
    # the stage's snapshot traces every item to its sasaran
    locked = act(uow, "lock", "rancangan_akhir")
    snapshot = jadwal.get_snapshot(uow, BAPPEDA, KOTA, locked.tahap[3].snapshot_id)
    assert {i["kode_sasaran_renstra"] for i in snapshot.items} == {"S1"}


def test_a_year_without_a_schedule_never_requires_the_link():
    uow = world(stage=None)
    assert plan(uow, stage=None).kode_sasaran_renstra is None


def test_a_renja_imported_in_a_stage_that_requires_it_names_the_sasaran_on_every_row():
    from .test_impor_renja import xlsx

    uow = world("rancangan_akhir")
    header = ["kode_sub_kegiatan", "indikator", "satuan", "target", "pagu_indikatif", "kode_sasaran_renstra"]

    def impor(*rows):
        return rkpd.import_renja(uow, BAPPEDA, KOTA, TAHUN, DINAS_PENDIDIKAN, xlsx(*rows, header=header), "renja.xlsx",
                                 now=at("rancangan_akhir"))

    got, _ = refused(lambda: impor([USB, "i", "Unit", "2", "1000", None], [USB_BARU, "i", "Unit", "1", "1000", "S9"]))
    assert got == ["rows.2.kode_sasaran_renstra", "rows.3.kode_sasaran_renstra"]
    assert uow.rkpd.all_of(KOTA, TAHUN) == []
    assert impor([USB, "i", "Unit", "2", "1000", "S1"]).dibuat == 1
    assert [i.kode_sasaran_renstra for i in uow.rkpd.all_of(KOTA, TAHUN)] == ["S1"]
