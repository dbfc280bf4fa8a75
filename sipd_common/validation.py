"""pydantic validation errors as the ``Invalid`` domain error, naming each field."""
from __future__ import annotations

from pydantic import ValidationError

from .errors import Invalid


def field_path(loc: tuple) -> str:
    return ".".join(str(part) for part in loc) or "body"


def invalid_from(exc: ValidationError, prefix: tuple = ()) -> Invalid:
    errors = [{"field": field_path(prefix + tuple(e["loc"])), "message": e["msg"]} for e in exc.errors()]
    return Invalid("; ".join(f"{e['field']}: {e['message']}" for e in errors), errors=errors)
