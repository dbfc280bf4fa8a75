"""Who may do what in keuangan: one row per action.

Every role acts in its own pemda only (the pusat administrator in every pemda, audited under its
name); an SKPD operator acts on its own SKPD's records only, and a budget line belongs to the SKPD of
its ceiling's RKPD item (``sipd_common.access.Izin``). Reading follows the kernel's rule
(``sipd_common.access.require_read``). The budgeting and spending issues add their actions and roles
(PPTK, bendahara, PPK, PA/KPA, BUD) and the stages in which each is open, as rows here.
"""
from __future__ import annotations

from enum import StrEnum

from sipd_common.access import Izin, Policy, Role


class Aksi(StrEnum):
    CREATE_RINCIAN = "add a budget line (rincian)"


POLICY = Policy("keuangan", {
    Aksi.CREATE_RINCIAN: Izin.of(Role.PUSAT_ADMIN, Role.TAPD, Role.SKPD_OPERATOR),
})
