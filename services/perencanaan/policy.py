"""Who may do what in perencanaan: one row per action.

Every role acts in its own pemda only (the pusat administrator in every pemda: Kemendagri supervises
and supports, and each of its writes is audited under its name); an SKPD operator acts on its own
SKPD's records only (``sipd_common.access.Izin``). Reading follows the kernel's rule
(``sipd_common.access.require_read``). Administrators manage people, not plans (separation of duties); the schedule of the stages, which
the issue gives the pemda administrator too, is the exception.
The planning issue adds its actions (lock a stage, enact, propose) and their stages here.
"""
from __future__ import annotations

from enum import StrEnum

from sipd_common.access import Izin, Policy, Role


class Aksi(StrEnum):
    CREATE_SUB_KEGIATAN = "plan an RKPD sub kegiatan"
    UPDATE_SUB_KEGIATAN = "change an RKPD sub kegiatan"
    DELETE_SUB_KEGIATAN = "delete an RKPD sub kegiatan"
    WRITE_RPJMD = "make or change the RPJMD"
    ENACT_RPJMD = "enact the RPJMD or open its revision"
    WRITE_RENSTRA = "make or change a Renstra"
    SUBMIT_RENSTRA = "submit a Renstra for verification"
    VERIFY_RENSTRA = "verify or return a Renstra"
    KELOLA_JADWAL = "schedule, open and extend the stages of a planning document"
    KUNCI_TAHAP = "lock a planning stage (its snapshot; locking penetapan enacts the document)"
    BUKA_KEMBALI_TAHAP = "reopen a locked planning stage"
    TETAPKAN_PAGU_SKPD = "set an SKPD's pagu indikatif ceiling"
    # -- code mapping (issue 12 part 6) --
    PETAKAN_KODE = "draft, change and sign a berita acara mapping retired codes to current ones"
    # -- the Renja (issue 12 part 4) --
    SUBMIT_RENJA = "submit an SKPD's Renja (its part of the year's RKPD) for verification"
    VERIFY_RENJA = "verify or return an SKPD's Renja"
    # -- proposals (usulan musrenbang, pokir DPRD) --
    TULIS_USULAN_MUSRENBANG = "enter, change or submit a musrenbang proposal"
    TULIS_POKIR = "enter, change or submit a pokir (a DPRD member's own)"
    VERIFIKASI_USULAN_KECAMATAN = "decide on a musrenbang proposal at the kecamatan level"
    VERIFIKASI_USULAN_FORUM = "decide on a musrenbang proposal at the regency/city forum"
    VERIFIKASI_USULAN_BAPPEDA = "verify a pokir as Bappeda"
    VERIFIKASI_USULAN_SKPD = "decide on a proposal as the SKPD concerned"
    TAUTKAN_USULAN = "link an accepted proposal to the RKPD item that answers it"


_PLANNERS = (Role.PUSAT_ADMIN, Role.BAPPEDA, Role.SKPD_OPERATOR)
# the schedule of the planning stages is Bappeda's, or the pemda administrator's (issue 12: "Bappeda (or
# the pemda administrator) opens, extends and locks them"); a province's administrator for the province
_SCHEDULERS = (Role.PUSAT_ADMIN, Role.BAPPEDA, Role.PEMDA_ADMIN, Role.PROVINSI_ADMIN)

POLICY = Policy("perencanaan", {
    Aksi.CREATE_SUB_KEGIATAN: Izin.of(*_PLANNERS),
    Aksi.UPDATE_SUB_KEGIATAN: Izin.of(*_PLANNERS),
    Aksi.DELETE_SUB_KEGIATAN: Izin.of(*_PLANNERS),
    # the RPJMD is Bappeda's; a Renstra is its SKPD's, verified by Bappeda (who therefore does not write it)
    Aksi.WRITE_RPJMD: Izin.of(Role.PUSAT_ADMIN, Role.BAPPEDA),
    Aksi.ENACT_RPJMD: Izin.of(Role.PUSAT_ADMIN, Role.BAPPEDA),
    Aksi.WRITE_RENSTRA: Izin.of(Role.PUSAT_ADMIN, Role.SKPD_OPERATOR),
    Aksi.SUBMIT_RENSTRA: Izin.of(Role.PUSAT_ADMIN, Role.SKPD_OPERATOR),
    Aksi.VERIFY_RENSTRA: Izin.of(Role.PUSAT_ADMIN, Role.BAPPEDA),
    Aksi.KELOLA_JADWAL: Izin.of(*_SCHEDULERS),
    Aksi.KUNCI_TAHAP: Izin.of(*_SCHEDULERS),
    Aksi.BUKA_KEMBALI_TAHAP: Izin.of(*_SCHEDULERS),
    # the ceilings are Bappeda's (DOMAIN-DETAIL A: Σ pagu per PD ≤ the PD's pagu indikatif)
    Aksi.TETAPKAN_PAGU_SKPD: Izin.of(Role.PUSAT_ADMIN, Role.BAPPEDA),
    # -- code mapping: Bappeda maps the flagged items of its pemda (the pusat administrator may, audited)
    Aksi.PETAKAN_KODE: Izin.of(Role.PUSAT_ADMIN, Role.BAPPEDA),
    # -- the Renja is its SKPD's, verified by Bappeda (as the Renstra)
    Aksi.SUBMIT_RENJA: Izin.of(Role.PUSAT_ADMIN, Role.SKPD_OPERATOR),
    Aksi.VERIFY_RENJA: Izin.of(Role.PUSAT_ADMIN, Role.BAPPEDA),
    # -- proposals (usulan). No desa/kelurahan or kecamatan role exists: Bappeda (the musrenbang's secretariat)
    # enters a desa's proposals and records the kecamatan's decisions; a DPRD member writes its own pokir only
    Aksi.TULIS_USULAN_MUSRENBANG: Izin.of(Role.PUSAT_ADMIN, Role.BAPPEDA),
    Aksi.TULIS_POKIR: Izin.of(Role.PUSAT_ADMIN, Role.DPRD),
    Aksi.VERIFIKASI_USULAN_KECAMATAN: Izin.of(Role.PUSAT_ADMIN, Role.BAPPEDA),
    Aksi.VERIFIKASI_USULAN_FORUM: Izin.of(Role.PUSAT_ADMIN, Role.BAPPEDA),
    Aksi.VERIFIKASI_USULAN_BAPPEDA: Izin.of(Role.PUSAT_ADMIN, Role.BAPPEDA),
    Aksi.VERIFIKASI_USULAN_SKPD: Izin.of(Role.PUSAT_ADMIN, Role.SKPD_OPERATOR),
    Aksi.TAUTKAN_USULAN: Izin.of(*_PLANNERS),
})

# who acts at each level of a proposal's chain (the levels are data: ``usulan.repository.alur_usulan``); a
# level with no row here is acted at by no one
VERIFIKATOR_USULAN = {
    "kecamatan": Aksi.VERIFIKASI_USULAN_KECAMATAN,
    "kabupaten_kota": Aksi.VERIFIKASI_USULAN_FORUM,
    "bappeda": Aksi.VERIFIKASI_USULAN_BAPPEDA,
    "skpd": Aksi.VERIFIKASI_USULAN_SKPD,
}
