"""Proposals (usulan musrenbang, pokir DPRD) on the in-memory unit of work: who enters and submits them, who
decides at each level of their chain, what every step publishes and audits, the refusals that change
nothing, the link to the RKPD item that answers an accepted one, and the consistency report's finding."""
from __future__ import annotations

from decimal import Decimal

import pytest

from contracts.perencanaan import StatusUsulan, UsulanSaved
from services.perencanaan.jadwal import usecases as jadwal
from services.perencanaan.konsistensi import usecases as konsistensi
from services.perencanaan.rkpd import usecases as rkpd
from services.perencanaan.usulan import usecases
from sipd_common.access import Role, Scope
from sipd_common.errors import Conflict, Forbidden, Invalid, NotFound

from .kodefikasi import DINAS_KESEHATAN, DINAS_LAMA, DINAS_PENDIDIKAN, KOTA, PUSKESMAS, SUB_LAMA, USB
from .test_jadwal import T0, at, body
from .test_rkpd import BAPPEDA, OPERATOR, filled, new_item

TAHUN = 2027
DESA = "32.73.01.1001"
DPRD = Scope("u4", "anggota.dprd", Role.DPRD, KOTA)
DPRD_LAIN = Scope("u6", "anggota.lain", Role.DPRD, KOTA)
OPERATOR_KESEHATAN = Scope("u5", "operator.dinkes", Role.SKPD_OPERATOR, KOTA, DINAS_KESEHATAN)
BAPPEDA_LAIN = Scope("u7", "bappeda.cimahi", Role.BAPPEDA, "32.77")
TAPD = Scope("u8", "tapd.bandung", Role.TAPD, KOTA)


def isi(**over) -> dict:
    return {"masalah": "Daya tampung SD kurang", "uraian": "Pembangunan SD baru di Sukasari",
            "kode_skpd": DINAS_PENDIDIKAN, "kode_sub_kegiatan": USB, "lokasi": [DESA], "volume": "1",
            "satuan": "Unit", "anggaran": "3500000000.00", **over}


def musrenbang(**over) -> dict:
    return {"jenis": "musrenbang", "kode_desa": DESA, **isi(**over)}


def pokir(**over) -> dict:
    return {"jenis": "pokir", "fraksi": "Fraksi A", "dapil": "Bandung 1", **isi(**over)}


def create(uow, caller=BAPPEDA, data=None, **kwargs):
    return usecases.create_usulan(uow, caller, KOTA, TAHUN, data or musrenbang(), **kwargs)


def decide(uow, caller, u, keputusan="setuju", alasan=None, **kwargs):
    data = {"keputusan": keputusan, **({"alasan": alasan} if alasan else {})}
    return usecases.verify_usulan(uow, caller, KOTA, TAHUN, u.id, data, **kwargs)


def fields(raised) -> list[str]:
    return [e["field"] for e in raised.value.errors]


def unchanged(uow, u):
    """The proposal as stored is the one given, and nothing was published or audited since."""
    events, audited = len(uow.events), len(uow.audited)
    return lambda: (uow.usulan.items[u.id] == u and len(uow.events) == events and len(uow.audited) == audited)


def test_a_musrenbang_proposal_climbs_its_chain_each_step_published_and_audited():
    uow = filled()
    u = create(uow)
    assert (u.status, u.pengusul, u.versi_alur, [t.kode for t in u.alur]) == (
        StatusUsulan.DRAFT, DESA, "permendagri-86-2017", ["kecamatan", "kabupaten_kota", "skpd"])
    u = usecases.submit_usulan(uow, BAPPEDA, KOTA, TAHUN, u.id)
    assert (u.status, u.tingkat) == (StatusUsulan.DIAJUKAN, "kecamatan")
    u = decide(uow, BAPPEDA, u)                    # Bappeda records the kecamatan's decision
    u = decide(uow, BAPPEDA, u)                    # the regency/city forum
    assert (u.status, u.tingkat) == (StatusUsulan.DIVERIFIKASI, "skpd")
    u = decide(uow, OPERATOR, u)                   # the SKPD concerned accepts it
    assert (u.status, u.tingkat, u.version) == (StatusUsulan.DITERIMA, None, 5)
    assert [(s.aksi, s.tingkat, s.oleh) for s in u.riwayat] == [
        ("ajukan", None, "bappeda.bandung"), ("setuju", "kecamatan", "bappeda.bandung"),
        ("setuju", "kabupaten_kota", "bappeda.bandung"), ("setuju", "skpd", "operator.disdik")]
    saved = [e for e in uow.events if isinstance(e, UsulanSaved)]
    assert [(e.aggregate_version, e.status) for e in saved] == [
        (1, "draft"), (2, "diajukan"), (3, "diverifikasi"), (4, "diverifikasi"), (5, "diterima")]
    assert [a["action"] for a in uow.audited] == ["create"] + ["update"] * 4
    assert uow.audited[-1]["after"]["status"] == "diterima" and uow.audited[-1]["before"]["tingkat"] == "skpd"
    assert usecases.get_usulan_audit(uow, OPERATOR, KOTA, TAHUN, u.id)["total"] == 5


def test_a_returned_proposal_needs_a_reason_is_corrected_by_its_proposer_and_starts_again():
    uow = filled()
    u = usecases.submit_usulan(uow, BAPPEDA, KOTA, TAHUN, create(uow).id)
    u = decide(uow, BAPPEDA, u)
    with pytest.raises(Invalid) as raised:
        decide(uow, BAPPEDA, u, "kembalikan")
    assert fields(raised) == ["alasan"]
    u = decide(uow, BAPPEDA, u, "kembalikan", "Volume tidak sesuai RAB")
    assert (u.status, u.alasan) == (StatusUsulan.DIKEMBALIKAN, "Volume tidak sesuai RAB")
    u = usecases.update_usulan(uow, BAPPEDA, KOTA, TAHUN, u.id, isi(volume="2", anggaran="7000000000"))
    assert (u.volume, u.anggaran) == (Decimal("2"), Decimal("7000000000"))
    u = usecases.submit_usulan(uow, BAPPEDA, KOTA, TAHUN, u.id)
    assert (u.status, u.tingkat, u.alasan) == (StatusUsulan.DIAJUKAN, "kecamatan", None)


def test_a_rejected_proposal_needs_a_reason_and_is_final():
    uow = filled()
    u = usecases.submit_usulan(uow, BAPPEDA, KOTA, TAHUN, create(uow).id)
    with pytest.raises(Invalid) as raised:
        decide(uow, BAPPEDA, u, "tolak")
    assert fields(raised) == ["alasan"]
    u = decide(uow, BAPPEDA, u, "tolak", "Bukan kewenangan kota")
    assert (u.status, u.alasan) == (StatusUsulan.DITOLAK, "Bukan kewenangan kota")
    for attempt in (lambda: decide(uow, BAPPEDA, u),
                    lambda: usecases.submit_usulan(uow, BAPPEDA, KOTA, TAHUN, u.id),
                    lambda: usecases.update_usulan(uow, BAPPEDA, KOTA, TAHUN, u.id, isi())):
        with pytest.raises(Conflict) as raised:
            attempt()
        assert fields(raised) == ["status"]


def test_only_the_role_of_the_level_it_awaits_moves_it_and_a_refusal_changes_nothing():
    uow = filled()
    u = usecases.submit_usulan(uow, BAPPEDA, KOTA, TAHUN, create(uow).id)
    same = unchanged(uow, uow.usulan.items[u.id])
    for caller in (OPERATOR, DPRD, TAPD):       # the kecamatan level is Bappeda's
        with pytest.raises(Forbidden) as raised:
            decide(uow, caller, u)
        assert fields(raised) == ["tingkat"] and "kecamatan" in str(raised.value)
    u = decide(uow, BAPPEDA, decide(uow, BAPPEDA, u))
    same = unchanged(uow, uow.usulan.items[u.id])
    with pytest.raises(Forbidden) as raised:    # the SKPD level: the SKPD concerned, not Bappeda
        decide(uow, BAPPEDA, u)
    assert fields(raised) == ["tingkat"]
    with pytest.raises(Forbidden):              # nor another SKPD's operator
        decide(uow, OPERATOR_KESEHATAN, u, "tolak", "bukan urusan kami")
    assert same()


def test_a_step_out_of_order_is_a_conflict_naming_the_status_and_changes_nothing():
    uow = filled()
    u = create(uow)
    same = unchanged(uow, uow.usulan.items[u.id])
    with pytest.raises(Conflict) as raised:
        decide(uow, BAPPEDA, u)                 # not submitted yet
    assert fields(raised) == ["status"]
    with pytest.raises(Conflict):
        decide(uow, OPERATOR, u)                # out of order, whoever asks
    assert same()
    usecases.submit_usulan(uow, BAPPEDA, KOTA, TAHUN, u.id)
    with pytest.raises(Conflict):
        usecases.submit_usulan(uow, BAPPEDA, KOTA, TAHUN, u.id)
    with pytest.raises(Conflict) as raised:
        usecases.submit_usulan(uow, BAPPEDA, KOTA, TAHUN, u.id, expected_version=1)
    assert raised.value.args[0]["current_version"] == 2


def test_a_dprd_member_writes_its_own_pokir_only_and_bappeda_then_the_skpd_verify_it():
    uow = filled()
    with pytest.raises(Forbidden):
        create(uow, DPRD, musrenbang())         # a musrenbang proposal is not the DPRD's to enter
    with pytest.raises(Forbidden):
        create(uow, BAPPEDA, pokir())           # a pokir is a member's own
    p = create(uow, DPRD, pokir())
    assert (p.jenis, p.pengusul, p.fraksi, [t.kode for t in p.alur]) == (
        "pokir", "anggota.dprd", "Fraksi A", ["bappeda", "skpd"])
    with pytest.raises(Forbidden):
        usecases.update_usulan(uow, DPRD_LAIN, KOTA, TAHUN, p.id, pokir_isi := isi(uraian="diganti"))
    with pytest.raises(Forbidden):
        usecases.submit_usulan(uow, DPRD_LAIN, KOTA, TAHUN, p.id)
    assert usecases.update_usulan(uow, DPRD, KOTA, TAHUN, p.id, pokir_isi).uraian == "diganti"
    p = usecases.submit_usulan(uow, DPRD, KOTA, TAHUN, p.id)
    with pytest.raises(Forbidden):
        decide(uow, DPRD, p)                    # the member does not verify its own pokir
    p = decide(uow, OPERATOR, decide(uow, BAPPEDA, p))
    assert p.status == StatusUsulan.DITERIMA
    # and a musrenbang proposal stays out of a member's reach
    m = create(uow)
    with pytest.raises(Forbidden):
        usecases.update_usulan(uow, DPRD, KOTA, TAHUN, m.id, isi())


@pytest.mark.parametrize("data, field", [
    (musrenbang(kode_desa="32.74.01.1001"), "kode_desa"),
    (musrenbang(kode_desa=None), "kode_desa"),
    (musrenbang(lokasi=["32.74.01"]), "lokasi.0"),
    (musrenbang(kode_desa="32.73.01.9999"), "kode_desa"),             # no such desa in the codification
    (musrenbang(lokasi=[DESA, "32.73.01.9999"]), "lokasi.1"),
    (musrenbang(kode_skpd="9.99.0.00.0.00.01.0000"), "kode_skpd"),
    (musrenbang(kode_skpd=DINAS_LAMA), "kode_skpd"),
    (musrenbang(kode_sub_kegiatan="1.01.02.2.01.9999"), "kode_sub_kegiatan"),
    (musrenbang(kode_sub_kegiatan=SUB_LAMA), "kode_sub_kegiatan"),
    (musrenbang(anggaran=1.5), "anggaran"),
    (musrenbang(anggaran="-1"), "anggaran"),
    (musrenbang(masalah=""), "masalah"),
    (musrenbang(jenis="aspirasi"), "jenis"),
])
def test_bad_proposals_are_refused_naming_the_field_and_nothing_is_stored(data, field):
    uow = filled()
    with pytest.raises(Invalid) as raised:
        create(uow, data={k: v for k, v in data.items() if v is not None})
    assert field in fields(raised)
    assert uow.usulan.items == {} and uow.events == []


def test_another_pemda_neither_writes_nor_reads():
    uow = filled()
    u = create(uow)
    for attempt in (lambda: usecases.create_usulan(uow, BAPPEDA_LAIN, KOTA, TAHUN, musrenbang()),
                    lambda: usecases.submit_usulan(uow, BAPPEDA_LAIN, KOTA, TAHUN, u.id),
                    lambda: usecases.get_usulan(uow, BAPPEDA_LAIN, KOTA, TAHUN, u.id),
                    lambda: usecases.list_usulan(uow, BAPPEDA_LAIN, KOTA, TAHUN)):
        with pytest.raises(Forbidden):
            attempt()
    with pytest.raises(NotFound):  # looked up in the pemda of the path only
        usecases.get_usulan(uow, Scope("u0", "pusat", Role.PUSAT_ADMIN), "32.77", TAHUN, u.id)


def test_an_skpd_operator_reads_its_own_skpd_s_proposals_and_the_lists_filter():
    uow = filled()
    mine = create(uow)
    theirs = create(uow, data=musrenbang(kode_skpd=DINAS_KESEHATAN, kode_sub_kegiatan=PUSKESMAS))
    assert [u.id for u in usecases.list_usulan(uow, OPERATOR, KOTA, TAHUN)["items"]] == [mine.id]
    with pytest.raises(Forbidden):
        usecases.get_usulan(uow, OPERATOR, KOTA, TAHUN, theirs.id)
    with pytest.raises(Forbidden):
        usecases.list_usulan(uow, OPERATOR, KOTA, TAHUN, kode_skpd=DINAS_KESEHATAN)
    assert usecases.list_usulan(uow, DPRD, KOTA, TAHUN)["total"] == 2
    assert usecases.list_usulan(uow, DPRD, KOTA, TAHUN, kode_skpd=DINAS_KESEHATAN)["items"][0].id == theirs.id
    assert usecases.list_usulan(uow, DPRD, KOTA, TAHUN, status="diajukan")["total"] == 0


def _accepted(uow, caller=BAPPEDA, data=None):
    u = usecases.submit_usulan(uow, caller, KOTA, TAHUN, create(uow, caller, data).id)
    while u.status != StatusUsulan.DITERIMA:
        u = decide(uow, OPERATOR if u.tingkat == "skpd" else BAPPEDA, u)
    return u


def test_an_accepted_proposal_is_linked_to_the_rkpd_item_that_answers_it_which_lists_it():
    uow = filled()
    u = _accepted(uow)
    item = rkpd.create_sub_kegiatan(uow, BAPPEDA, KOTA, TAHUN, new_item())
    assert rkpd.get_sub_kegiatan(uow, BAPPEDA, KOTA, TAHUN, item.id).usulan == []
    assert [x.id for x in usecases.accepted_not_linked(uow, KOTA, TAHUN)] == [u.id]
    linked = usecases.link_usulan(uow, OPERATOR, KOTA, TAHUN, u.id, {"rkpd_id": item.id})
    assert linked.rkpd_id == item.id and linked.riwayat[-1].aksi == "tautkan"
    [answer] = rkpd.get_sub_kegiatan(uow, OPERATOR, KOTA, TAHUN, item.id).usulan
    assert (answer.id, answer.jenis, answer.anggaran) == (u.id, "musrenbang", Decimal("3500000000.00"))
    assert usecases.accepted_not_linked(uow, KOTA, TAHUN) == []
    assert usecases.list_usulan(uow, BAPPEDA, KOTA, TAHUN, rkpd_id=item.id)["total"] == 1
    with pytest.raises(Invalid):
        usecases.list_usulan(uow, BAPPEDA, KOTA, TAHUN, rkpd_id="not-a-uuid")
    unlinked = usecases.unlink_usulan(uow, BAPPEDA, KOTA, TAHUN, u.id)
    assert unlinked.rkpd_id is None and rkpd.get_sub_kegiatan(uow, BAPPEDA, KOTA, TAHUN, item.id).usulan == []
    assert isinstance(uow.events[-1], UsulanSaved) and uow.events[-1].rkpd_id is None


def test_a_link_is_refused_to_a_pending_proposal_another_year_s_item_or_another_skpd_s_operator():
    uow = filled()
    item = rkpd.create_sub_kegiatan(uow, BAPPEDA, KOTA, TAHUN, new_item())
    pending = create(uow)
    with pytest.raises(Conflict) as raised:
        usecases.link_usulan(uow, BAPPEDA, KOTA, TAHUN, pending.id, {"rkpd_id": item.id})
    assert fields(raised) == ["status"]
    u = _accepted(uow)
    other_year = rkpd.create_sub_kegiatan(uow, BAPPEDA, KOTA, TAHUN + 1, new_item())
    for rkpd_id in (other_year.id, "not-a-uuid"):
        with pytest.raises(Invalid) as raised:
            usecases.link_usulan(uow, BAPPEDA, KOTA, TAHUN, u.id, {"rkpd_id": rkpd_id})
        assert fields(raised) == ["rkpd_id"]
    with pytest.raises(Forbidden):
        usecases.link_usulan(uow, OPERATOR_KESEHATAN, KOTA, TAHUN, u.id, {"rkpd_id": item.id})
    with pytest.raises(Forbidden):
        usecases.link_usulan(uow, DPRD, KOTA, TAHUN, u.id, {"rkpd_id": item.id})
    assert uow.usulan.items[u.id].rkpd_id is None


def test_an_item_deleted_since_leaves_its_proposal_accepted_but_not_linked():
    uow = filled()
    u = _accepted(uow)
    item = rkpd.create_sub_kegiatan(uow, BAPPEDA, KOTA, TAHUN, new_item())
    usecases.link_usulan(uow, BAPPEDA, KOTA, TAHUN, u.id, {"rkpd_id": item.id})
    rkpd.delete_sub_kegiatan(uow, BAPPEDA, KOTA, TAHUN, item.id)
    assert [x.id for x in usecases.accepted_not_linked(uow, KOTA, TAHUN)] == [u.id]


def test_the_rkpd_s_consistency_report_lists_accepted_proposals_no_item_answers():
    uow = filled()
    u = _accepted(uow)
    item = rkpd.create_sub_kegiatan(uow, BAPPEDA, KOTA, TAHUN, new_item())
    report = konsistensi.get_konsistensi_rkpd(uow, BAPPEDA, KOTA, TAHUN)
    [finding] = [t for t in report.temuan if t.jenis == "usulan_tidak_tertaut"]
    assert (finding.usulan_id, finding.kode_skpd, report.jumlah["usulan_tidak_tertaut"]) == (u.id, DINAS_PENDIDIKAN, 1)
    # the item serves no sasaran: its SKPD has no Renstra in the fake unit of work
    assert [(t.rkpd_id, t.kode_sub_kegiatan) for t in report.temuan if t.jenis == "tanpa_sasaran"] == [(item.id, USB)]
    assert konsistensi.get_konsistensi_rkpd(uow, OPERATOR_KESEHATAN, KOTA, TAHUN).temuan == []  # another SKPD's
    usecases.link_usulan(uow, BAPPEDA, KOTA, TAHUN, u.id, {"rkpd_id": item.id})
    assert konsistensi.get_konsistensi_rkpd(uow, OPERATOR, KOTA, TAHUN).jumlah["usulan_tidak_tertaut"] == 0
    with pytest.raises(Forbidden):
        konsistensi.get_konsistensi_rkpd(uow, BAPPEDA_LAIN, KOTA, TAHUN)


# -- the schedule: proposals are written in the stages their chain names, links change until penetapan --------

def _scheduled():
    uow = filled()
    jadwal.create_jadwal(uow, BAPPEDA, KOTA, body(), now=T0)
    return uow


def _act(uow, name, kode):
    getattr(jadwal, f"{name}_tahap")(uow, BAPPEDA, KOTA, "rkpd", TAHUN, kode, now=at(kode))


def test_proposals_are_written_only_in_their_stages_inside_the_window():
    uow = _scheduled()
    with pytest.raises(Conflict) as raised:     # no stage open yet
        create(uow, now=at("rancangan_awal"))
    assert fields(raised) == ["tahun"] and uow.usulan.items == {}
    _act(uow, "open", "rancangan_awal")
    u = create(uow, now=at("rancangan_awal"))
    for previous, stage in (("rancangan_awal", "rancangan"), ("rancangan", "musrenbang")):
        _act(uow, "lock", previous)
        _act(uow, "open", stage)
    u = usecases.submit_usulan(uow, BAPPEDA, KOTA, TAHUN, u.id, now=at("musrenbang"))
    _act(uow, "lock", "musrenbang")
    _act(uow, "open", "rancangan_akhir")
    same = unchanged(uow, uow.usulan.items[u.id])
    with pytest.raises(Conflict) as raised:     # past the stages the chain names
        decide(uow, BAPPEDA, u, now=at("rancangan_akhir"))
    assert fields(raised) == ["tahun"] and "rancangan_akhir" in str(raised.value)
    assert same()


def test_a_link_no_longer_changes_once_the_rkpd_is_enacted():
    uow = filled()
    u = _accepted(uow)
    item = rkpd.create_sub_kegiatan(uow, BAPPEDA, KOTA, TAHUN, new_item())
    linked = usecases.link_usulan(uow, BAPPEDA, KOTA, TAHUN, u.id, {"rkpd_id": item.id})
    jadwal.create_jadwal(uow, BAPPEDA, KOTA, body(), now=T0)
    stages = ["rancangan_awal", "rancangan", "musrenbang", "rancangan_akhir", "penetapan"]
    for stage in stages:
        _act(uow, "open", stage)
        _act(uow, "lock", stage)
    same = unchanged(uow, uow.usulan.items[u.id])
    with pytest.raises(Conflict) as raised:
        usecases.unlink_usulan(uow, BAPPEDA, KOTA, TAHUN, linked.id)
    assert fields(raised) == ["rkpd_id"]
    assert same()


def test_a_repeated_create_with_its_idempotency_key_answers_the_first():
    uow = filled()
    first = create(uow, idempotency_key="k1")
    assert create(uow, idempotency_key="k1") == first and len(uow.usulan.items) == 1
