"""The rules of a proposal (usulan) on its own: each transition of its chain, the reasons a decision needs,
who proposes what, the windows it is written in, when its link to the RKPD may change, the consistency
report's finding, and the policy's rows (who writes which kind, who acts at each level). Pure: no unit of
work."""
from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta, timezone
from decimal import Decimal

import pytest

from contracts.perencanaan import JenisUsulan, KeputusanUsulan, StatusUsulan
from services.perencanaan.jadwal import domain as jadwal
from services.perencanaan.policy import POLICY, VERIFIKATOR_USULAN, Aksi
from services.perencanaan.rpjmd.domain import StatusTidakSesuai
from services.perencanaan.usulan import domain
from services.perencanaan.usulan.domain import AlurUsulan, Tingkat, Usulan
from sipd_common.access import LINGKUP, Lingkup, Role, Scope

T0 = datetime(2026, 1, 5, tzinfo=timezone.utc)
ALUR = AlurUsulan("musrenbang", "v1", "Permendagri 86/2017", 2018,
                  (Tingkat("kecamatan", "Kecamatan"), Tingkat("kabupaten_kota", "Forum"), Tingkat("skpd", "SKPD")),
                  ("rancangan_awal", "musrenbang"))
SETUJU, TOLAK, KEMBALIKAN = KeputusanUsulan.SETUJU, KeputusanUsulan.TOLAK, KeputusanUsulan.KEMBALIKAN
STEP = domain.langkah("bappeda.bandung", "bappeda", T0)


def draft(**over) -> Usulan:
    return Usulan(id="u1", kode_pemda="32.73", tahun=2027, jenis=JenisUsulan.MUSRENBANG, pengusul="32.73.01.1001",
                  dibuat_oleh="user-1", masalah="Jalan rusak", uraian="Perbaikan jalan", kode_skpd="1.03",
                  volume=Decimal("250"), satuan="m", anggaran=Decimal("150000000.00"), versi_alur=ALUR.versi,
                  alur=ALUR.tingkat, kode_desa="32.73.01.1001", **over)


def test_a_submitted_proposal_awaits_the_first_level_and_climbs_the_chain_to_acceptance():
    u = draft().ajukan(STEP)
    assert (u.status, u.tingkat, u.version) == (StatusUsulan.DIAJUKAN, "kecamatan", 2)
    u = u.putuskan(SETUJU, None, STEP)
    assert (u.status, u.tingkat) == (StatusUsulan.DIVERIFIKASI, "kabupaten_kota")
    u = u.putuskan(SETUJU, None, STEP)
    assert (u.status, u.tingkat) == (StatusUsulan.DIVERIFIKASI, "skpd")
    u = u.putuskan(SETUJU, None, STEP)
    assert (u.status, u.tingkat, u.version) == (StatusUsulan.DITERIMA, None, 5)
    assert [(s["aksi"], s["tingkat"]) for s in u.riwayat] == [
        ("ajukan", None), ("setuju", "kecamatan"), ("setuju", "kabupaten_kota"), ("setuju", "skpd")]


def test_an_accepted_or_rejected_proposal_is_final():
    accepted = draft().ajukan(STEP).putuskan(SETUJU, None, STEP).putuskan(SETUJU, None, STEP) \
        .putuskan(SETUJU, None, STEP)
    rejected = draft().ajukan(STEP).putuskan(TOLAK, "Bukan kewenangan daerah", STEP)
    assert (rejected.status, rejected.alasan, rejected.tingkat) == (StatusUsulan.DITOLAK, "Bukan kewenangan daerah",
                                                                    None)
    for final in (accepted, rejected):
        for step in (lambda u: u.ajukan(STEP), lambda u: u.putuskan(SETUJU, None, STEP),
                     lambda u: u.putuskan(KEMBALIKAN, "x", STEP), lambda u: u.ubah(uraian="lain")):
            with pytest.raises(StatusTidakSesuai):
                step(final)


def test_a_returned_proposal_is_its_proposer_s_again_and_starts_the_chain_anew():
    u = draft().ajukan(STEP).putuskan(SETUJU, None, STEP).putuskan(KEMBALIKAN, "Volume tidak sesuai", STEP)
    assert (u.status, u.tingkat, u.alasan) == (StatusUsulan.DIKEMBALIKAN, None, "Volume tidak sesuai")
    corrected = u.ubah(volume=Decimal("200"))
    assert (corrected.volume, corrected.version) == (Decimal("200"), u.version + 1)
    assert corrected.ubah(volume=Decimal("200")) is corrected  # nothing changed: the same version
    again = corrected.ajukan(STEP)
    assert (again.status, again.tingkat, again.alasan) == (StatusUsulan.DIAJUKAN, "kecamatan", None)


def test_steps_out_of_order_are_refused():
    with pytest.raises(StatusTidakSesuai):
        draft().putuskan(SETUJU, None, STEP)          # not submitted
    with pytest.raises(StatusTidakSesuai):
        draft().ajukan(STEP).ajukan(STEP)             # submitted twice
    with pytest.raises(StatusTidakSesuai):
        draft().ajukan(STEP).ubah(uraian="lain")      # changed while a level holds it
    with pytest.raises(StatusTidakSesuai):
        draft().tautkan("rkpd-1", STEP)               # linked before it is accepted
    with pytest.raises(StatusTidakSesuai):
        draft().lepaskan(STEP)                        # nothing to unlink


def test_only_an_accepted_proposal_is_linked_and_unlinked():
    accepted = replace(draft(), status=StatusUsulan.DITERIMA)
    linked = accepted.tautkan("rkpd-1", STEP)
    assert (linked.rkpd_id, linked.version) == ("rkpd-1", accepted.version + 1)
    assert linked.tautkan("rkpd-1", STEP) is linked
    assert linked.lepaskan(STEP).rkpd_id is None
    assert [s["aksi"] for s in linked.lepaskan(STEP).riwayat] == ["tautkan", "lepaskan"]


@pytest.mark.parametrize("keputusan, alasan, field", [
    (TOLAK, None, ["alasan"]), (TOLAK, "  ", ["alasan"]), (KEMBALIKAN, None, ["alasan"]),
    (SETUJU, None, []), (TOLAK, "Di luar kewenangan", [])])
def test_rejecting_and_returning_need_a_reason(keputusan, alasan, field):
    assert [e.field for e in domain.periksa_keputusan(keputusan, alasan)] == field


@pytest.mark.parametrize("jenis, kode_pemda, kode_desa, extra, field", [
    (JenisUsulan.MUSRENBANG, "32.73", "32.73.01.1001", {}, []),
    (JenisUsulan.MUSRENBANG, "32.73", "32.74.01.1001", {}, ["kode_desa"]),   # another pemda's desa
    (JenisUsulan.MUSRENBANG, "32.73", None, {}, ["kode_desa"]),
    (JenisUsulan.MUSRENBANG, "32", "32.73.01.1001", {}, ["jenis"]),          # a province has no musrenbang desa
    (JenisUsulan.MUSRENBANG, "32.73", "32.73.01.1001", {"fraksi": "F"}, ["fraksi"]),
    (JenisUsulan.POKIR, "32.73", None, {"fraksi": "F", "dapil": "D1"}, []),
    (JenisUsulan.POKIR, "32.73", "32.73.01.1001", {}, ["kode_desa"]),
])
def test_who_proposes(jenis, kode_pemda, kode_desa, extra, field):
    assert [e.field for e in domain.periksa_pengusul(jenis, kode_pemda, kode_desa, **extra)] == field


def test_lokasi_lies_inside_the_pemda_each_once():
    assert [e.field for e in domain.periksa_lokasi("32.73", ["32.73.01", "32.74.01", "32.73.01"])] == [
        "lokasi.1", "lokasi"]


def _jadwal(open_: str | None = None, locked: tuple[str, ...] = (), perubahan_open: bool = False) -> jadwal.Jadwal:
    stages = []
    for i, kode in enumerate(("rancangan_awal", "rancangan", "musrenbang", "rancangan_akhir", "penetapan",
                              "perubahan")):
        status = jadwal.TERBUKA if kode == open_ else jadwal.TERKUNCI if kode in locked else jadwal.DRAFT
        stages.append(jadwal.Tahap(kode, kode, i + 1, T0 - timedelta(days=1), T0 + timedelta(days=10), status,
                                   menetapkan=kode in ("penetapan", "perubahan"), perubahan=kode == "perubahan"))
    return jadwal.Jadwal("j1", "32.73", "rkpd", 2027, "v1", tuple(stages))


def test_proposals_are_written_in_the_stages_their_chain_names_inside_the_window():
    assert domain.periksa_jendela(None, ALUR, T0) == []                              # not under a schedule
    assert domain.periksa_jendela(_jadwal("musrenbang", ("rancangan_awal", "rancangan")), ALUR, T0) == []
    [late] = domain.periksa_jendela(_jadwal("rancangan_akhir", ("rancangan_awal",)), ALUR, T0)
    assert late.field == "tahun" and "rancangan_akhir" in late.message
    [closed] = domain.periksa_jendela(_jadwal("musrenbang"), ALUR, T0 + timedelta(days=11))
    assert closed.field == "tahun" and "closed" in closed.message
    [none_open] = domain.periksa_jendela(_jadwal(), ALUR, T0)
    assert none_open.field == "tahun"
    anytime = replace(ALUR, tahap=())
    assert domain.periksa_jendela(_jadwal("rancangan_akhir"), anytime, T0) == []


def test_links_change_until_the_rkpd_is_enacted_and_again_in_its_perubahan():
    assert domain.periksa_tautan(None) == []
    assert domain.periksa_tautan(_jadwal("rancangan_akhir", ("rancangan_awal",))) == []
    [enacted] = domain.periksa_tautan(_jadwal(None, ("penetapan",)))
    assert enacted.field == "rkpd_id"
    assert domain.periksa_tautan(_jadwal("perubahan", ("penetapan",))) == []


def test_the_chain_in_force_is_the_newest_valid_for_the_year():
    newer = replace(ALUR, versi="v2", berlaku_mulai=2027)
    assert domain.alur_berlaku([ALUR, newer], "musrenbang", 2026) is ALUR
    assert domain.alur_berlaku([ALUR, newer], "musrenbang", 2028) is newer
    assert domain.alur_berlaku([ALUR], "pokir", 2028) is None
    assert domain.alur_berlaku([ALUR], "musrenbang", 2017) is None


def test_accepted_proposals_no_live_item_answers_are_found():
    accepted = replace(draft(), status=StatusUsulan.DITERIMA)
    linked = replace(accepted, id="u2", rkpd_id="live")
    gone = replace(accepted, id="u3", rkpd_id="deleted")
    pending = replace(draft(), id="u4")
    found = domain.diterima_tanpa_tautan([accepted, linked, gone, pending], {"live"})
    assert [u.id for u in found] == ["u1", "u3"]


# -- who writes which kind, who acts at each level (perencanaan's policy) ------------------------------------

PDK, KES = "1.01.0.00.0.00.01.0000", "1.02.0.00.0.00.01.0000"
# role -> (enters musrenbang, enters pokir, kecamatan, forum, bappeda (pokir), skpd of PDK's proposal, links)
MATRIX = {
    Role.PUSAT_ADMIN: (True, True, True, True, True, True, True),
    Role.PROVINSI_ADMIN: (False,) * 7,
    Role.PEMDA_ADMIN: (False,) * 7,
    Role.BAPPEDA: (True, False, True, True, True, False, True),
    Role.TAPD: (False,) * 7,
    Role.SKPD_OPERATOR: (False, False, False, False, False, True, True),
    Role.DPRD: (False, True, False, False, False, False, False),
    Role.INSPEKTUR: (False,) * 7,
    Role.PPKD: (False,) * 7,
    Role.SEKDA: (False,) * 7,
    # the spending officers (issue 14) have no part in proposals
    **{r: (False,) * 7 for r in (Role.PPTK, Role.BENDAHARA_PENGELUARAN, Role.BENDAHARA_PENERIMAAN, Role.PPK_SKPD,
                                 Role.PA_KPA, Role.BUD, Role.KUASA_BUD)},
}


@pytest.mark.parametrize("role", list(Role))
def test_the_proposals_permission_matrix(role):
    kode_pemda = None if role is Role.PUSAT_ADMIN else "32" if role is Role.PROVINSI_ADMIN else "32.73"
    caller = Scope("u", "x", role, kode_pemda, PDK if LINGKUP[role] is Lingkup.SKPD else None)
    actions = (Aksi.TULIS_USULAN_MUSRENBANG, Aksi.TULIS_POKIR, *(VERIFIKATOR_USULAN[k] for k in (
        "kecamatan", "kabupaten_kota", "bappeda", "skpd")), Aksi.TAUTKAN_USULAN)
    assert tuple(POLICY.allows(caller, a, "32.73", PDK) for a in actions) == MATRIX[role]
    assert not any(POLICY.allows(caller, a, "32.74", PDK) for a in actions if role is not Role.PUSAT_ADMIN)


def test_an_skpd_operator_decides_only_on_its_own_skpd_s_proposals():
    operator = Scope("u", "x", Role.SKPD_OPERATOR, "32.73", PDK)
    assert not POLICY.allows(operator, VERIFIKATOR_USULAN["skpd"], "32.73", KES)
