"""Who may do what in pemerintahan.

pemerintahan only reports, for now: a report aggregates a whole pemda, so every role that may read the
pemda reads it (``sipd_common.access.require_read``: a province administrator its regencies/cities
too, the pusat administrator every pemda), SKPD operators included. The LPPD, EPPD and Perda issues
add actions here, as rows of a ``Policy`` table (see ``services/keuangan/policy.py``).
"""
from __future__ import annotations

from sipd_common import access
from sipd_common.access import Scope


def baca_laporan(caller: Scope | None, kode_pemda: str) -> Scope:
    return access.require_read(caller, kode_pemda)
