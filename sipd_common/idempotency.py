"""Creates that happen once: a repeated request (a client's retry with its ``Idempotency-Key``, a redelivered RPC)
answers what the first one answered, and creates nothing more.

The owner of the record keeps the key in an ``idempotent_call`` table of its own schema, written in the same
transaction as the record, and claimed *first*: a second request with the same key waits on the first's
transaction (PostgreSQL's unique index) and then finds its answer. A key is the caller's (the user id is part
of it), so nobody replays another's answer; the same key with another request is refused (422).

In a use case::

    with uow:
        earlier = idempotency.first_answer(uow, caller, key, RincianOut, "create_rincian", kode_pemda, tahun, baru)
        if earlier is not None:
            return earlier
        ...  # create
        idempotency.complete(uow, caller, key, out)
        uow.commit()
"""
from __future__ import annotations

import functools
import hashlib
from typing import Any, TypeVar

import orjson
from pydantic import BaseModel
from sqlalchemy import Column, DateTime, MetaData, String, Table, bindparam, func, select, update
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.dialects.postgresql import insert as pg_insert

from .access import Scope
from .errors import Conflict, Invalid
from .sql import fixed

M = TypeVar("M", bound=BaseModel)
KEY_MAX_LENGTH = 255
HEADER = "Idempotency-Key"


def add_idempotency_table(metadata: MetaData) -> Table:
    return Table(
        "idempotent_call", metadata,
        Column("key", String(300), primary_key=True),  # the caller's id, then the key it sent
        Column("operation", String(100), nullable=False),
        Column("fingerprint", String(64), nullable=False),
        Column("result", JSONB),
        Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    )


def fingerprint(*request: Any) -> str:
    """The request, as it means: its JSON with sorted keys (a parsed body: as its model dumps it)."""
    request = tuple(r.model_dump(mode="json") if isinstance(r, BaseModel) else r for r in request)
    return hashlib.sha256(orjson.dumps(request, option=orjson.OPT_SORT_KEYS)).hexdigest()


def scoped(caller: Scope | None, key: str) -> str:
    return f"{caller.user_id if caller else 'system'}/{key}"


idempotent_call_table = add_idempotency_table(MetaData())


@functools.cache
def _claim(t: Table):
    """The key claimed, unless another request has it: compiled once per table (SQLAlchemy compiles an ON CONFLICT
    anew on every execution, and every create with a key runs it)."""
    return fixed(pg_insert(t).values(key=bindparam("key"), operation=bindparam("operation"),
                                     fingerprint=bindparam("fingerprint")).on_conflict_do_nothing().returning(t.c.key))


class IdempotentCalls:
    """``uow.calls``: the keys of the creates done, in the owner's schema."""

    def __init__(self, session, table: Table = idempotent_call_table):
        self.session = session
        self.table = table

    def claim(self, key: str, operation: str, fingerprint: str) -> dict | None:
        """Claim ``key`` in this transaction, or the (operation, fingerprint, result) of the request that has it."""
        t = self.table
        claimed = self.session.execute(_claim(t), {"key": key, "operation": operation,
                                                   "fingerprint": fingerprint}).first()
        if claimed is not None:
            return None
        row = self.session.execute(select(t.c.operation, t.c.fingerprint, t.c.result).where(t.c.key == key)).one()
        return {"operation": row.operation, "fingerprint": row.fingerprint, "result": row.result}

    def complete(self, key: str, result: dict) -> None:
        self.session.execute(update(self.table).where(self.table.c.key == key).values(result=result))


def claim(uow, caller: Scope | None, key: str | None, operation: str, *request: Any) -> dict | None:
    """``None``: go on and create (nothing, without a key). Otherwise the first answer to this key, as JSON;
    ``Invalid`` if the key was used for another request."""
    if key is None:
        return None
    check_key(key)
    return earlier_answer(uow.calls.claim(scoped(caller, key), operation, fingerprint(operation, *request)),
                          key, operation, *request)


def first_answer(uow, caller: Scope | None, key: str | None, answer: type[M], operation: str,
                 *request: Any) -> M | None:
    """``claim``, its first answer as the ``answer`` model: ``None`` to go on and create."""
    earlier = claim(uow, caller, key, operation, *request)
    return None if earlier is None else answer.model_validate(earlier)


def check_key(key: str) -> None:
    if not 1 <= len(key) <= KEY_MAX_LENGTH:
        raise Invalid.field(HEADER, f"between 1 and {KEY_MAX_LENGTH} characters")


def earlier_answer(earlier: dict | None, key: str, operation: str, *request: Any) -> dict | None:
    """What a claim found: nothing (``None``, go on), the first answer, or a refusal."""
    if earlier is None:
        return None
    if earlier["operation"] != operation or earlier["fingerprint"] != fingerprint(operation, *request):
        raise Invalid.field(HEADER, "already used for another request",
                            f"the {HEADER} {key!r} was used for another request; use a new key for a new request")
    if earlier["result"] is None:  # committed without its answer: not written by these functions
        raise Conflict(f"the request with {HEADER} {key!r} left no answer; use a new key")
    return earlier["result"]


def complete(uow, caller: Scope | None, key: str | None, answer: BaseModel | dict) -> None:
    if key is not None:
        uow.calls.complete(scoped(caller, key), answer.model_dump(mode="json") if isinstance(answer, BaseModel)
                           else answer)
