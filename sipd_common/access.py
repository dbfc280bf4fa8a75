"""Who may read and change what: the access policy, pure (no broker, no database, no HTTP).

A caller is a ``Scope``: a user, one role, and where the role applies (a pemda, and an SKPD for an
SKPD operator). The gateway builds it from the access token it issued; every service builds it again
from the same token (``sipd_common.auth``) and asks the same questions, so a service refuses an
operation outside the caller's scope even when it is called directly over RPC.

The permission matrix (README, "Access") in code:

- reading a pemda's data (RKPD, plafon, rincian, reports, audit): every role of that pemda; a
  province administrator also reads its regencies/cities (``32`` reads ``32.73``); the pusat
  administrator reads every pemda. An SKPD operator reads only its own SKPD's records (reports,
  which aggregate the pemda, are read by every role of the pemda).
- writing: per area, the roles in ``WRITERS``; only in the caller's own pemda; an SKPD operator
  only for its own SKPD. The pusat administrator writes everywhere.
- users: administrators create and change the users of their scope, never one of a wider scope.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Callable, Mapping, TypeVar

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
    DPRD = "dprd"                        # regional parliament: reads (no proposals exist yet)
    INSPEKTUR = "inspektur"              # inspectorate: reads everything of its pemda


class Area(StrEnum):
    PERENCANAAN = "perencanaan"  # RKPD sub kegiatan
    KEUANGAN = "keuangan"        # APBD budget lines (rincian)


WRITERS: dict[Area, frozenset[Role]] = {
    Area.PERENCANAAN: frozenset({Role.PUSAT_ADMIN, Role.BAPPEDA, Role.SKPD_OPERATOR}),
    Area.KEUANGAN: frozenset({Role.PUSAT_ADMIN, Role.TAPD, Role.SKPD_OPERATOR}),
}

ADMINS = frozenset({Role.PUSAT_ADMIN, Role.PROVINSI_ADMIN, Role.PEMDA_ADMIN})
PEMDA_ROLES = frozenset({Role.BAPPEDA, Role.TAPD, Role.SKPD_OPERATOR, Role.DPRD, Role.INSPEKTUR})

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
    if role is Role.SKPD_OPERATOR and not kode_skpd:
        errors.append({"field": "kode_skpd", "message": "an SKPD operator belongs to an SKPD"})
    if role is not Role.SKPD_OPERATOR and kode_skpd is not None:
        errors.append({"field": "kode_skpd", "message": "only an SKPD operator belongs to an SKPD"})
    return errors


@dataclass(frozen=True)
class Scope:
    """An identified caller: one user, one role, and where it applies."""

    user_id: str
    username: str
    role: Role
    kode_pemda: str | None = None
    kode_skpd: str | None = None

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
        return cls(user_id=user_id, username=username, role=role, kode_pemda=kode_pemda, kode_skpd=kode_skpd)

    def claims(self) -> dict[str, Any]:
        return {"sub": self.user_id, "username": self.username, "role": str(self.role),
                "kode_pemda": self.kode_pemda, "kode_skpd": self.kode_skpd}

    @property
    def is_national(self) -> bool:
        return self.role is Role.PUSAT_ADMIN

    # -- reading -----------------------------------------------------------------
    def can_read(self, kode_pemda: str) -> bool:
        """May read the data of ``kode_pemda`` (for an SKPD operator: of its own SKPD there)."""
        if self.is_national:
            return True
        if self.role is Role.PROVINSI_ADMIN:
            return province_of(kode_pemda) == self.kode_pemda
        return kode_pemda == self.kode_pemda

    def can_read_skpd(self, kode_pemda: str, kode_skpd: str) -> bool:
        """May read a record of ``kode_skpd`` in ``kode_pemda``."""
        if not self.can_read(kode_pemda):
            return False
        return self.role is not Role.SKPD_OPERATOR or kode_skpd == self.kode_skpd

    @property
    def skpd_filter(self) -> str | None:
        """The only SKPD whose records a list may show this caller; ``None``: every SKPD."""
        return self.kode_skpd if self.role is Role.SKPD_OPERATOR else None

    # -- writing -----------------------------------------------------------------
    def may_write_in(self, area: Area, kode_pemda: str) -> bool:
        """May write some records of ``area`` in ``kode_pemda`` (which ones: ``can_write``)."""
        if self.role not in WRITERS[area]:
            return False
        return self.is_national or kode_pemda == self.kode_pemda

    def can_write(self, area: Area, kode_pemda: str, kode_skpd: str) -> bool:
        """May create, change or delete a record of ``area`` that belongs to ``kode_skpd`` in ``kode_pemda``."""
        if not self.may_write_in(area, kode_pemda):
            return False
        return self.role is not Role.SKPD_OPERATOR or kode_skpd == self.kode_skpd

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
        if self.role is Role.PROVINSI_ADMIN:
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


def require_write_in(caller: Scope | None, area: Area, kode_pemda: str) -> Scope:
    caller = require_caller(caller)
    if not caller.may_write_in(area, kode_pemda):
        raise Forbidden(f"{caller.role} {caller.username} may not change {area} data of pemda {kode_pemda}")
    return caller


def require_write(caller: Scope | None, area: Area, kode_pemda: str, kode_skpd: str) -> Scope:
    caller = require_write_in(caller, area, kode_pemda)
    if not caller.can_write(area, kode_pemda, kode_skpd):
        raise Forbidden(f"this record belongs to SKPD {kode_skpd}; an SKPD operator changes its own SKPD's "
                        f"records only ({caller.kode_skpd})")
    return caller
