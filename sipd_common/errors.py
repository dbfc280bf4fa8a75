"""Errors a service raises for its callers: they cross RPC and become problem details.

Nameko serialises an exception as its class name and arguments; the gateway maps
the class name to an HTTP status and the single dict argument to the problem body.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable


@dataclass(frozen=True)
class Pelanggaran:
    """One rule a domain finds broken, naming the field the caller must fix (it becomes an error's ``errors``)."""

    field: str
    message: str


class DomainError(Exception):
    """Base of the errors that are the caller's to fix; never logged as a fault."""

    status = 400
    title = "Bad request"

    def __init__(self, detail: str, errors: list[dict[str, Any]] | None = None, **extra: Any):
        self.detail = detail
        self.errors = errors or []
        self.extra = extra
        super().__init__({"detail": detail, "errors": self.errors, **extra})

    @classmethod
    def of(cls, pelanggaran: Iterable[Pelanggaran]) -> "DomainError":
        """The error for the rules a domain found broken: each named in ``errors``, their messages joined."""
        broken = list(pelanggaran)
        return cls("; ".join(p.message for p in broken),
                   errors=[{"field": p.field, "message": p.message} for p in broken])


class Unauthenticated(DomainError):
    """No valid access token came with the call."""

    status = 401
    title = "Login required"


class Forbidden(DomainError):
    """The caller is known, and the operation is outside its role or scope."""

    status = 403
    title = "Forbidden"


class NotFound(DomainError):
    status = 404
    title = "Not found"


class Invalid(DomainError):
    """A field the caller sent breaks a rule: ``errors`` names each field."""

    status = 422
    title = "Unprocessable content"

    @classmethod
    def field(cls, field: str, message: str, detail: str | None = None) -> "Invalid":
        return cls(detail or message, errors=[{"field": field, "message": message}])


class Conflict(DomainError):
    status = 409
    title = "Conflict"


class Unavailable(DomainError):
    """What the operation needs is not there yet (a replica still being filled): try again shortly."""

    status = 503
    title = "Service unavailable"


class DeadlineExceeded(DomainError):
    """The caller's deadline passed before the work was done: nothing was committed."""

    status = 504
    title = "Service timed out"


DOMAIN_ERRORS = {cls.__name__: cls for cls in (DomainError, Unauthenticated, Forbidden, NotFound, Invalid, Conflict,
                                               Unavailable, DeadlineExceeded)}
