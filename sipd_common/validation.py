"""pydantic validation errors as the ``Invalid`` domain error, naming each field; shared request shapes."""
from __future__ import annotations

import inspect
import uuid
from typing import Any, ClassVar, TypeVar

from pydantic import BaseModel, ValidationError, ValidationInfo, field_validator, model_validator

from .errors import Invalid, NotFound


def field_path(loc: tuple) -> str:
    return ".".join(str(part) for part in loc) or "body"


def invalid_from(exc: ValidationError, prefix: tuple = ()) -> Invalid:
    errors = [{"field": field_path(prefix + tuple(e["loc"])), "message": e["msg"]} for e in exc.errors()]
    return Invalid("; ".join(f"{e['field']}: {e['message']}" for e in errors), errors=errors)


Model = TypeVar("Model", bound=BaseModel)


def parse(model: type[Model], data: Any) -> Model:
    """A caller's body as ``model``; one that breaks it: ``Invalid`` naming each field."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise invalid_from(exc) from None


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


# Every list RPC takes ``offset`` and ``limit``: bounded here as the gateway bounds ``page`` and ``per_page``, so
# a caller on the broker gets the same clear refusal (Invalid, 422 at the gateway), never a database error.
MAX_LIMIT = 200
MAX_OFFSET = 200 * 1_000_000


def check_paging(signature: inspect.Signature, args: tuple, kwargs: dict[str, Any]) -> None:
    if "offset" not in signature.parameters and "limit" not in signature.parameters:
        return
    try:
        bound = signature.bind(*args, **kwargs)
    except TypeError:
        return  # Nameko answers a wrong call itself
    errors = []
    for name, low, high in (("offset", 0, MAX_OFFSET), ("limit", 1, MAX_LIMIT)):
        if name in bound.arguments:
            value = bound.arguments[name]
            if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
                errors.append({"field": name, "message": f"an integer from {low} to {high}"})
    if errors:
        raise Invalid("; ".join(f"{e['field']}: {e['message']}" for e in errors), errors=errors)
