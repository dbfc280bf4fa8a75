"""pydantic validation errors as the ``Invalid`` domain error, naming each field; shared request shapes."""
from __future__ import annotations

import uuid
from typing import ClassVar

from pydantic import BaseModel, ValidationError, ValidationInfo, field_validator, model_validator

from .errors import Invalid, NotFound


def field_path(loc: tuple) -> str:
    return ".".join(str(part) for part in loc) or "body"


def invalid_from(exc: ValidationError, prefix: tuple = ()) -> Invalid:
    errors = [{"field": field_path(prefix + tuple(e["loc"])), "message": e["msg"]} for e in exc.errors()]
    return Invalid("; ".join(f"{e['field']}: {e['message']}" for e in errors), errors=errors)


class PartialUpdate(BaseModel):
    """A PATCH body: an absent field keeps its value; at least one field is named.

    An explicit null would mean "erase", which only the fields listed in ``nullable`` allow.
    """

    nullable: ClassVar[frozenset[str]] = frozenset()

    @field_validator("*", mode="before")
    @classmethod
    def _not_null(cls, value, info: ValidationInfo):
        if value is None and info.field_name not in cls.nullable:
            raise ValueError("cannot be null; leave the field out to keep its value")
        return value

    @model_validator(mode="after")
    def _something(self):
        if not self.model_fields_set:
            raise ValueError("name at least one field to change")
        return self


def record_id(id: str, what: str) -> str:
    """A record id from a caller, as the canonical UUID; not a UUID: no such record."""
    try:
        return str(uuid.UUID(str(id)))
    except ValueError:
        raise NotFound(f"no {what} {id!r}") from None
