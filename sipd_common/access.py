"""The shared kernel of access: the caller's scope, the pemda hierarchy, the roles. Pure (no broker,
no database, no HTTP).

A caller is a ``Scope``: a user, one role, and where the role applies (a pemda, and an SKPD for an
SKPD-bound role). The gateway builds it from the access token it issued; every service builds it
again from the same token (``sipd_common.auth``), so a service refuses an operation outside the
caller's scope even when it is called directly over RPC.

What is shared here, and only this:

- the roles and where each applies (``LINGKUP``: nationally, in a province, in a pemda, in one SKPD);
- the pemda hierarchy: a regency/city ``32.73`` belongs to province ``32``;
- reading a pemda's data: every role of that pemda; a province administrator also reads its
  regencies/cities; the pusat administrator reads every pemda; an SKPD-bound role reads only its own
  SKPD's records (reports, which aggregate the pemda, are read by every role of the pemda);
- users: administrators create and change the users of their scope, never one of a wider scope;
- the form of a service's permissions (``Izin``, ``Policy``). Who may *do* what is each service's own
  table, in its ``policy.py``: a new action, or a new role's rights, is a row there.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Callable, Iterable, Mapping, TypeVar

from .errors import Forbidden, NotFound, Unauthenticated

R = TypeVar("R")

KODE_PEMDA = re.compile(r"^[0-9]{2}(\.[0-9]{2})?$")


class Role(StrEnum):
    PUSAT_ADMIN = "pusat_admin"          # Kemendagri: every pemda; maintains the national reference
    PROVINSI_ADMIN = "provinsi_admin"    # a province: its own users; reads its regencies/cities
    PEMDA_ADMIN = "pemda_admin"          # a regency/city: manages its users (and SKPD)
    BAPPEDA = "bappeda"                  # planning agency: the RKPD
    TAPD = "tapd"                        # budget team / BPKAD: the APBD
    SKPD_OPERATOR = "skpd_operator"      # one department: its own records only
    DPRD = "dprd"                        # regional parliament: reads; its members write their own pokir
    INSPEKTUR = "inspektur"              # inspectorate: reads everything of its pemda
    PPKD = "ppkd"                        # the regional finance officer (kepala BPKAD): approves budget shifts
    SEKDA = "sekda"                      # the regional secretary (ketua TAPD): approves wider budget shifts
    # -- penatausahaan (issue 14): the officers who move the money, each of one SKPD but the BUD's -------
    PPTK = "pptk"                        # raises requests for the sub kegiatan of its SKPD
    BENDAHARA_PENGELUARAN = "bendahara_pengeluaran"  # an SKPD's spending treasurer: makes the SPP
    BENDAHARA_PENERIMAAN = "bendahara_penerimaan"    # an SKPD's revenue treasurer: receipts (TBP), deposits (STS)
    PPK_SKPD = "ppk_skpd"                # an SKPD's finance officer: verifies SPP, drafts the SPM
    PA_KPA = "pa_kpa"                    # the SKPD's budget holder (pengguna / kuasa pengguna anggaran): signs the SPM
    BUD = "bud"                          # bendahara umum daerah (PPKD): issues SPD and SP2D, validates deposits
    KUASA_BUD = "kuasa_bud"              # the BUD's delegate: the same, under the BUD's authority


class Lingkup(StrEnum):
    """Where a role applies."""

    NASIONAL = "nasional"   # every pemda
    PROVINSI = "provinsi"   # a province, reading its regencies/cities too
    PEMDA = "pemda"         # one pemda (a province or a regency/city)
    SKPD = "skpd"           # one SKPD of one pemda: its own records only


# The roles' table: a new role is a row here (and rows in the policies of the services that give it rights).
LINGKUP: dict[Role, Lingkup] = {
    Role.PUSAT_ADMIN: Lingkup.NASIONAL,
    Role.PROVINSI_ADMIN: Lingkup.PROVINSI,
    Role.PEMDA_ADMIN: Lingkup.PEMDA,
    Role.BAPPEDA: Lingkup.PEMDA,
    Role.TAPD: Lingkup.PEMDA,
    Role.SKPD_OPERATOR: Lingkup.SKPD,
    Role.DPRD: Lingkup.PEMDA,
    Role.INSPEKTUR: Lingkup.PEMDA,
    Role.PPKD: Lingkup.PEMDA,
    Role.SEKDA: Lingkup.PEMDA,
    Role.PPTK: Lingkup.SKPD,
    Role.BENDAHARA_PENGELUARAN: Lingkup.SKPD,
    Role.BENDAHARA_PENERIMAAN: Lingkup.SKPD,
    Role.PPK_SKPD: Lingkup.SKPD,
    Role.PA_KPA: Lingkup.SKPD,
    Role.BUD: Lingkup.PEMDA,
    Role.KUASA_BUD: Lingkup.PEMDA,
}

ADMINS = frozenset({Role.PUSAT_ADMIN, Role.PROVINSI_ADMIN, Role.PEMDA_ADMIN})
PEMDA_ROLES = frozenset({Role.BAPPEDA, Role.TAPD, Role.SKPD_OPERATOR, Role.DPRD, Role.INSPEKTUR, Role.PPKD, Role.SEKDA,
                         Role.PPTK, Role.BENDAHARA_PENGELUARAN, Role.BENDAHARA_PENERIMAAN, Role.PPK_SKPD, Role.PA_KPA,
                         Role.BUD, Role.KUASA_BUD})

# The roles an administrator may give (or take away): never one of a wider scope than its own.
ASSIGNABLE: dict[Role, frozenset[Role]] = {
    Role.PUSAT_ADMIN: frozenset(Role),
    Role.PROVINSI_ADMIN: frozenset(Role) - {Role.PUSAT_ADMIN},
    Role.PEMDA_ADMIN: PEMDA_ROLES | {Role.PEMDA_ADMIN},
}


def is_province(kode_pemda: str) -> bool:
    return "." not in kode_pemda


def province_of(kode_pemda: str) -> str:
    """``32.73`` belongs to province ``32``; a province is its own."""
    return kode_pemda.split(".")[0]


PUSAT = "pusat"


def evaluator_of(kode_pemda: str) -> str:
    """Who evaluates a pemda's draft budget and regulations: its province for a regency/city, the ministry
    (``pusat``) for a province."""
    return PUSAT if is_province(kode_pemda) else province_of(kode_pemda)


class InvalidScope(ValueError):
    """Claims that do not describe a possible user (a forged or broken token)."""


def assignment_errors(role: Role | str, kode_pemda: str | None, kode_skpd: str | None) -> list[dict[str, str]]:
    """What is wrong with giving ``role`` at ``kode_pemda`` / ``kode_skpd``; empty if it is possible."""
    try:
        role = Role(role)
    except ValueError:
        return [{"field": "role", "message": f"unknown role {role!r}"}]
    errors = []
    if role is Role.PUSAT_ADMIN:
        if kode_pemda is not None:
            errors.append({"field": "kode_pemda", "message": "a pusat administrator has no pemda"})
    elif kode_pemda is None or not KODE_PEMDA.match(kode_pemda):
        errors.append({"field": "kode_pemda", "message": f"a {role} belongs to a pemda: `32` or `32.73`"})
    elif role is Role.PROVINSI_ADMIN and not is_province(kode_pemda):
        errors.append({"field": "kode_pemda", "message": "a province administrator belongs to a province, e.g. `32`"})
    elif role is Role.PEMDA_ADMIN and is_province(kode_pemda):
        errors.append({"field": "kode_pemda",
                       "message": "a province is administered by a provinsi_admin; pemda_admin is for a regency/city"})
    if LINGKUP[role] is Lingkup.SKPD and not kode_skpd:
        errors.append({"field": "kode_skpd", "message": f"a {role} belongs to an SKPD"})
    if LINGKUP[role] is not Lingkup.SKPD and kode_skpd is not None:
        errors.append({"field": "kode_skpd", "message": f"a {role} belongs to no SKPD (only an SKPD-bound role does)"})
    return errors


@dataclass(frozen=True)
class Scope:
    """An identified caller: one user, one role, and where it applies."""

    user_id: str
    username: str
    role: Role
    kode_pemda: str | None = None
    kode_skpd: str | None = None
    # the officer's name and NIP as a signed document prints them (absent: not known; the user id prints)
    nama: str | None = None
    nip: str | None = None

    # -- claims ------------------------------------------------------------------
    @classmethod
    def from_claims(cls, claims: Mapping[str, Any]) -> "Scope":
        try:
            role = Role(claims.get("role"))
        except ValueError:
            raise InvalidScope(f"unknown role {claims.get('role')!r}") from None
        user_id, username = claims.get("sub"), claims.get("username")
        if not isinstance(user_id, str) or not user_id or not isinstance(username, str) or not username:
            raise InvalidScope("no subject")
        kode_pemda, kode_skpd = claims.get("kode_pemda"), claims.get("kode_skpd")
        errors = assignment_errors(role, kode_pemda, kode_skpd)
        if errors:
            raise InvalidScope("; ".join(e["message"] for e in errors))
        nama, nip = (v if isinstance(v := claims.get(k), str) and v else None for k in ("nama", "nip"))
        return cls(user_id=user_id, username=username, role=role, kode_pemda=kode_pemda, kode_skpd=kode_skpd,
                   nama=nama, nip=nip)

    def claims(self) -> dict[str, Any]:
        """The token's claims; the name and NIP only when known (a token stays small)."""
        return {"sub": self.user_id, "username": self.username, "role": str(self.role),
                "kode_pemda": self.kode_pemda, "kode_skpd": self.kode_skpd,
                **{k: v for k, v in (("nama", self.nama), ("nip", self.nip)) if v}}

    @property
    def lingkup(self) -> Lingkup:
        return LINGKUP[self.role]

    @property
    def is_national(self) -> bool:
        return self.lingkup is Lingkup.NASIONAL

    @property
    def skpd_bound(self) -> bool:
        return self.lingkup is Lingkup.SKPD

    # -- reading -----------------------------------------------------------------
    def can_read(self, kode_pemda: str) -> bool:
        """May read the data of ``kode_pemda`` (for an SKPD operator: of its own SKPD there)."""
        if self.is_national:
            return True
        if self.lingkup is Lingkup.PROVINSI:
            return province_of(kode_pemda) == self.kode_pemda
        return kode_pemda == self.kode_pemda

    def acts_in(self, kode_pemda: str) -> bool:
        """Works in ``kode_pemda`` itself (the pusat administrator: everywhere); reading a pemda is wider."""
        return self.is_national or kode_pemda == self.kode_pemda

    def evaluates(self, kode_pemda: str) -> bool:
        """Is of the level that evaluates ``kode_pemda`` (``evaluator_of``): the province of a regency/city, the
        pusat for a province (and, acting everywhere, for every pemda). Never a pemda its own."""
        if self.is_national:
            return True
        return evaluator_of(kode_pemda) == self.kode_pemda

    def can_read_skpd(self, kode_pemda: str, kode_skpd: str) -> bool:
        """May read a record of ``kode_skpd`` in ``kode_pemda``."""
        if not self.can_read(kode_pemda):
            return False
        return not self.skpd_bound or kode_skpd == self.kode_skpd

    @property
    def skpd_filter(self) -> str | None:
        """The only SKPD whose records a list may show this caller; ``None``: every SKPD."""
        return self.kode_skpd if self.skpd_bound else None

    # -- users -------------------------------------------------------------------
    @property
    def manages_users(self) -> bool:
        return self.role in ADMINS

    def can_manage_user(self, role: Role | str, kode_pemda: str | None) -> bool:
        """May create, see and change a user who has (or is to have) ``role`` in ``kode_pemda``."""
        try:
            role = Role(role)
        except ValueError:
            return False
        if role not in ASSIGNABLE.get(self.role, frozenset()):
            return False
        if self.is_national:
            return True
        if kode_pemda is None:
            return False
        if self.lingkup is Lingkup.PROVINSI:
            if role is Role.PROVINSI_ADMIN:
                return kode_pemda == self.kode_pemda
            return province_of(kode_pemda) == self.kode_pemda
        return kode_pemda == self.kode_pemda


# -- the checks a use case makes: each raises the error the caller gets ----------
def require_caller(caller: Scope | None) -> Scope:
    if caller is None:
        raise Unauthenticated("a valid access token is required")
    return caller


def require_national_admin(caller: Scope | None) -> Scope:
    """Maintaining the national reference is Kemendagri's (a pusat administrator)."""
    caller = require_caller(caller)
    if not caller.is_national:
        raise Forbidden("only a pusat administrator maintains the national reference")
    return caller


def require_read(caller: Scope | None, kode_pemda: str) -> Scope:
    caller = require_caller(caller)
    if not caller.can_read(kode_pemda):
        raise Forbidden(f"{caller.role} {caller.username} may not read the data of pemda {kode_pemda}")
    return caller


def require_read_skpd(caller: Scope | None, kode_pemda: str, kode_skpd: str) -> Scope:
    caller = require_read(caller, kode_pemda)
    if not caller.can_read_skpd(kode_pemda, kode_skpd):
        raise Forbidden(f"this record belongs to SKPD {kode_skpd}; an SKPD operator reads its own SKPD's records only")
    return caller


def require_readable(caller: Scope | None, kode_pemda: str, find: Callable[[], R | None],
                     skpd_of: Callable[[R], str], missing: str) -> R:
    """The record ``find`` returns (looked up in ``kode_pemda`` only), if the caller may read it.

    Not there: ``NotFound(missing)``; there but of another SKPD than an SKPD operator's: ``Forbidden``.
    """
    require_read(caller, kode_pemda)
    record = find()
    if record is None:
        raise NotFound(missing)
    require_read_skpd(caller, kode_pemda, skpd_of(record))
    return record


def require_skpd_filter(caller: Scope, kode_skpd: str | None) -> str | None:
    """The SKPD a list is limited to: the one asked for, which an SKPD operator may only ask for its own."""
    own = caller.skpd_filter
    if own is not None and kode_skpd is not None and kode_skpd != own:
        raise Forbidden(f"an SKPD operator lists its own SKPD's records only ({own})")
    return own or kode_skpd


# -- a service's permissions: the form of its policy table ------------------------------------------
@dataclass(frozen=True)
class Izin:
    """Who may take one action: which roles, and in which stages of the schedule.

    Every role acts in its own pemda only (the pusat administrator everywhere); an SKPD-bound role
    only on its own SKPD's records. ``tahap``: the stages in which the action is open (``None``: any).
    ``evaluator``: the action is the evaluating level's on the pemda (``Scope.evaluates``: the province on
    its regencies/cities, the pusat on provinces), not the pemda's own."""

    roles: frozenset[Role]
    tahap: frozenset[str] | None = None
    evaluator: bool = False

    @classmethod
    def of(cls, *roles: Role, tahap: Iterable[str] | None = None, evaluator: bool = False) -> "Izin":
        return cls(frozenset(roles), None if tahap is None else frozenset(tahap), evaluator)


class Policy:
    """A service's permissions: action → ``Izin``. The use cases ask it before they act."""

    def __init__(self, service: str, rules: Mapping[str, Izin]):
        self.service = service
        self.rules = dict(rules)

    def refusal(self, caller: Scope, action: str, kode_pemda: str, kode_skpd: str | None = None,
                tahap: str | None = None) -> str | None:
        """Why ``caller`` may not take ``action`` in ``kode_pemda`` (on a record of ``kode_skpd``, in stage
        ``tahap``); None when it may. The one place each condition is written."""
        rule = self.rules[action]
        in_scope = caller.evaluates(kode_pemda) if rule.evaluator else caller.acts_in(kode_pemda)
        if caller.role not in rule.roles or not in_scope:
            return f"{caller.role} {caller.username} may not {action} in pemda {kode_pemda}"
        if kode_skpd is not None and caller.skpd_bound and kode_skpd != caller.kode_skpd:
            return (f"this record belongs to SKPD {kode_skpd}; a {caller.role} acts on its own SKPD's "
                    f"records only ({caller.kode_skpd})")
        if rule.tahap is not None and tahap not in rule.tahap:
            return f"{action} is not open in stage {tahap!r} (open in: {', '.join(sorted(rule.tahap))})"
        return None

    def allows(self, caller: Scope, action: str, kode_pemda: str, kode_skpd: str | None = None,
               tahap: str | None = None) -> bool:
        return self.refusal(caller, action, kode_pemda, kode_skpd, tahap) is None

    def require(self, caller: Scope | None, action: str, kode_pemda: str, kode_skpd: str | None = None,
                tahap: str | None = None) -> Scope:
        """The caller, if it may take ``action`` in ``kode_pemda`` (on a record of ``kode_skpd``, when
        known yet; ask again once the record is in hand); ``Forbidden`` saying why, if not."""
        caller = require_caller(caller)
        reason = self.refusal(caller, action, kode_pemda, kode_skpd, tahap)
        if reason is not None:
            raise Forbidden(reason)
        return caller
