"""Who may do what in referensi.

Reading is public: the codification is the same for everyone, so the look-ups, lists and the
snapshot take no caller (the gateway serves them without login). Maintaining it, that is importing a
list (the national codification, a pemda's SKPD or standard prices), is Kemendagri's: a pusat
administrator's (``sipd_common.access.require_national_admin``).
"""
from __future__ import annotations

from sipd_common import access
from sipd_common.access import Scope


def may_import(caller: Scope | None) -> Scope:
    """The caller, if it may import a list; ``Unauthenticated`` or ``Forbidden`` otherwise."""
    return access.require_national_admin(caller)
