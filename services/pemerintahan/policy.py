"""Who may do what in pemerintahan: one row per action.

Reports aggregate a whole pemda, so every role that may read the pemda reads them
(``sipd_common.access.require_read``: a province administrator its regencies/cities too, the pusat
administrator every pemda), SKPD operators included.

The register of regulations: the pemda's own steps (draft, DPRD discussion, joint approval, enactment,
promulgation, attachments) are taken by its administrator (the regional secretariat's legal bureau),
Bappeda (its plans' Perda) and TAPD (the budget's); the DPRD records the joint approval too. The steps
of the level above (fasilitasi, evaluasi, noreg) are the province's administrator's for a
regency/city and the pusat administrator's for a province (``perda/domain.py``, ``pelaku_atas``): the
rows below name the roles, the domain the level.

EPPD: the ministry opens, closes and announces a round; the scores of a pemda are its evaluating
team's (``eppd/domain.py``, ``penilai``: the ministry's for a province, the province's for its
regencies/cities).

Binwas: findings are recorded, and their follow-up accepted or sent back, by the ministry (any pemda)
or a regency/city's province (``binwas/domain.py``, ``pengawas``); the pemda answers through its
administrator, Bappeda, TAPD or its inspektur (the row below).

LPPD: the pemda drafts it (its administrator, Bappeda: the row below); its inspektur verifies it, the
pemda submits it, a regency/city's province forwards it and the ministry receives it
(``lppd/domain.py``, ``boleh``).
"""
from __future__ import annotations

from enum import StrEnum

from sipd_common import access
from sipd_common.access import Izin, Policy, Role, Scope

PEMDA_HUKUM = (Role.PUSAT_ADMIN, Role.PROVINSI_ADMIN, Role.PEMDA_ADMIN, Role.BAPPEDA, Role.TAPD)


class Aksi(StrEnum):
    CREATE_PERDA = "enter a regulation in the register"
    STEP_PERDA = "take a pemda's step of a regulation"
    APPROVE_PERDA = "record the joint approval of a Perda"
    ATTACH_PERDA = "attach a signed PDF to a regulation"
    MANAGE_EPPD = "open, close or announce an EPPD round"
    ANSWER_TEMUAN = "answer a binwas finding with the pemda's follow-up"
    DRAFT_LPPD = "draft, rebuild or fill in the pemda's LPPD"


POLICY = Policy("pemerintahan", {
    Aksi.CREATE_PERDA: Izin.of(*PEMDA_HUKUM),
    Aksi.STEP_PERDA: Izin.of(*PEMDA_HUKUM),
    Aksi.APPROVE_PERDA: Izin.of(*PEMDA_HUKUM, Role.DPRD),
    Aksi.ATTACH_PERDA: Izin.of(*PEMDA_HUKUM),
    Aksi.MANAGE_EPPD: Izin.of(Role.PUSAT_ADMIN),
    Aksi.ANSWER_TEMUAN: Izin.of(Role.PROVINSI_ADMIN, Role.PEMDA_ADMIN, Role.BAPPEDA, Role.TAPD, Role.INSPEKTUR),
    Aksi.DRAFT_LPPD: Izin.of(Role.PUSAT_ADMIN, Role.PROVINSI_ADMIN, Role.PEMDA_ADMIN, Role.BAPPEDA),
})
# the "pemda" of a national action (an EPPD round): only a nationally acting role acts there
NASIONAL = "nasional"


def baca_laporan(caller: Scope | None, kode_pemda: str) -> Scope:
    return access.require_read(caller, kode_pemda)
