"""Users: created and changed by an administrator of a wider (or the same) scope, every write audited.

Scope (``sipd_common.access``): the pusat administrator manages everyone; a province administrator
the users of its province and of its regencies/cities; a pemda administrator those of its own pemda,
never an administrator of a wider scope. A user outside the caller's scope is answered 404, as if it
did not exist: usernames are not public. Nobody changes their own role or deactivates themselves. A
deactivation or a change of role or SKPD ends the user's sessions and, within seconds, its access tokens
(``revocations``).
"""
from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import func, insert, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from sipd_common import idempotency
from sipd_common.access import KODE_PEMDA, LINGKUP, Lingkup, Role, Scope, assignment_errors
from sipd_common.audit import audit_values, entry_out, trail_queries
from sipd_common.errors import Conflict, DomainError, Forbidden, Invalid, NotFound
from sipd_common.logging import request_id_var
from sipd_common.settings import Settings
from sipd_common.validation import PartialUpdate, record_id

from . import accounts, passwords, revocations
from .db import audit, idempotent_call, users
from .rpc import RemoteError, RpcClient

RECORD = "user"
USERNAME_PATTERN = r"^[a-z0-9][a-z0-9._-]{2,63}$"
KODE_SKPD_PATTERN = r"^[0-9A-Z]+(\.[0-9A-Z]+)*$"
_ROLES = ", ".join(f"`{r}`" for r in Role)
_SKPD_ROLES = ", ".join(f"`{r}`" for r in Role if LINGKUP[r] is Lingkup.SKPD)
NIP_PATTERN = r"^[0-9]{18}$"


def _nama():
    return Field(default=None, min_length=1, max_length=120,
                 description="The officer's name as signed documents print it, with titles (`Drs. Budi Santoso`).")


def _nip():
    return Field(default=None, pattern=NIP_PATTERN,
                 description="The officer's NIP (nomor induk pegawai): 18 digits, printed under the name.")


class UserNew(BaseModel):
    """A user to create; the password is the first one, for the user to change."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{
        "username": "bappeda.bandung", "password": "ganti-segera-2026!", "role": "bappeda", "kode_pemda": "32.73"}]})

    username: str = Field(pattern=USERNAME_PATTERN, description="Lower case letters, digits, `.`, `_`, `-`; 3 to 64.")
    password: str = Field(min_length=passwords.MIN_LENGTH, max_length=passwords.MAX_LENGTH)
    role: Role = Field(description=f"One of {_ROLES}.")
    kode_pemda: str | None = Field(default=None, pattern=KODE_PEMDA.pattern,
                                   description="The pemda the user belongs to; none for a pusat administrator.")
    kode_skpd: str | None = Field(default=None, max_length=40, pattern=KODE_SKPD_PATTERN,
                                  description=f"The SKPD of an SKPD-bound role ({_SKPD_ROLES}); none for any other role.")
    nama: str | None = _nama()
    nip: str | None = _nip()


class UserChange(PartialUpdate):
    """What an administrator changes: role (within its scope), SKPD, active, name and NIP. A username and pemda
    stay. A new name or NIP is in the user's next access token (a login or a refresh)."""

    nullable = frozenset({"kode_skpd", "nama", "nip"})  # null: no SKPD (any role not bound to an SKPD), not known

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"active": False},
                                                                              {"role": "inspektur"}]})

    role: Role | None = None
    kode_skpd: str | None = Field(default=None, max_length=40, pattern=KODE_SKPD_PATTERN,
                                  description=f"Required when the role becomes an SKPD-bound one ({_SKPD_ROLES}); cleared for other roles.")
    active: bool | None = Field(default=None, description="`false` deactivates: no login, every refresh token revoked.")
    nama: str | None = _nama()
    nip: str | None = _nip()


class PasswordChange(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{
        "current_password": "ganti-segera-2026!", "new_password": "kata sandi yang panjang sekali"}]})

    current_password: str = Field(min_length=1, max_length=passwords.MAX_LENGTH)
    new_password: str = Field(min_length=passwords.MIN_LENGTH, max_length=passwords.MAX_LENGTH)


class UserOut(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{
        "id": "0b6f2c1e-1d3a-4c8e-9a55-3f2e1d0c9b8a", "username": "operator.disdik.bandung", "role": "skpd_operator",
        "kode_pemda": "32.73", "kode_skpd": "1.01.0.00.0.00.01.0000", "nama": "Siti Rahmawati, S.E.",
        "nip": "198503122010012003", "active": True, "version": 1,
        "created_at": "2026-05-04T08:15:02+00:00", "updated_at": "2026-05-04T08:15:02+00:00",
        "password_changed_at": "2026-05-04T08:15:02+00:00"}]})

    id: str
    username: str
    role: Role
    kode_pemda: str | None
    kode_skpd: str | None
    nama: str | None = None
    nip: str | None = None
    active: bool
    version: int = Field(description="Increases with every change; send it back as If-Match to change safely.")
    created_at: datetime
    updated_at: datetime
    password_changed_at: datetime


class PreconditionFailed(DomainError):
    status = 412
    title = "Precondition failed"

    def __init__(self, detail: str, current_version: int):
        super().__init__(detail)
        self.headers = {"ETag": f'"{current_version}"'}


def user_out(row) -> dict[str, Any]:
    return UserOut.model_validate(row, from_attributes=True).model_dump(mode="json")


async def _audit(conn: AsyncConnection, caller: Scope | None, action, before: dict | None, after: dict | None,
                 system: str = "system") -> None:
    user = after or before
    await conn.execute(insert(audit).values(audit_values(
        RECORD, user["id"], action, before, after, actor=caller, request_id=request_id_var.get(),
        kode_pemda=user["kode_pemda"], system=system)))


def _visible(caller: Scope):
    """The users ``caller`` may see and manage, as a WHERE clause (``Scope.can_manage_user`` in SQL)."""
    if caller.is_national:
        return users.c.id.isnot(None)
    if caller.role is Role.PROVINSI_ADMIN:
        return or_(users.c.kode_pemda == caller.kode_pemda, users.c.kode_pemda.like(f"{caller.kode_pemda}.%"))
    if caller.role is Role.PEMDA_ADMIN:
        return users.c.kode_pemda == caller.kode_pemda
    return users.c.id.is_(None)


def _require_admin(caller: Scope) -> None:
    if not caller.manages_users:
        raise Forbidden(f"a {caller.role} does not manage users")


async def _managed(conn: AsyncConnection, caller: Scope, id: str, for_update: bool = False):
    _require_admin(caller)
    id = record_id(id, "user")
    query = select(users).where(users.c.id == id, _visible(caller))
    row = (await conn.execute(query.with_for_update() if for_update else query)).first()
    if row is None:
        raise NotFound(f"no user {id} among the users you manage")
    return row


def _require_assignable(caller: Scope, role: Role, kode_pemda: str | None, kode_skpd: str | None) -> None:
    errors = assignment_errors(role, kode_pemda, kode_skpd)
    if errors:
        raise Invalid("; ".join(e["message"] for e in errors), errors=errors)
    if not caller.can_manage_user(role, kode_pemda):
        raise Forbidden(f"a {caller.role} of {caller.kode_pemda or 'pusat'} may not make a {role} of "
                        f"{kode_pemda or 'pusat'}")


async def _check_references(rpc: RpcClient, kode_pemda: str | None, kode_skpd: str | None) -> None:
    """The pemda and the SKPD must exist in the national reference."""
    checks = []
    if kode_pemda is not None:
        checks.append(("kode_pemda", "get_pemda", (kode_pemda,)))
        if kode_skpd is not None:
            checks.append(("kode_skpd", "get_skpd", (kode_pemda, kode_skpd)))
    errors = []
    for field, method, args in checks:
        try:
            await rpc.call("referensi", method, *args)
        except RemoteError as exc:
            if exc.exc_type != "NotFound":
                raise
            errors.append({"field": field, "message": f"not in the national reference: {args[-1]}"})
    if errors:
        raise Invalid("; ".join(e["message"] for e in errors), errors=errors)


# -- use cases -------------------------------------------------------------------
async def create(engine: AsyncEngine, rpc: RpcClient, caller: Scope, new: UserNew,
                 idempotency_key: str | None = None) -> dict[str, Any]:
    """A new user; with ``idempotency_key``, once (a repeat with the same body answers the first answer)."""
    _require_admin(caller)
    _require_assignable(caller, new.role, new.kode_pemda, new.kode_skpd)
    errors = passwords.policy_errors(new.password, new.username)
    if errors:
        raise Invalid(errors[0]["message"], errors=errors)
    await _check_references(rpc, new.kode_pemda, new.kode_skpd)
    return await insert_user(engine, caller, new, await passwords.hash_password(new.password),
                             idempotency_key=idempotency_key)


async def _claim(conn: AsyncConnection, caller: Scope | None, key: str | None, new: UserNew) -> dict | None:
    """``sipd_common.idempotency`` on the gateway's connection; the password is not kept, so not compared."""
    if key is None:
        return None
    request = new.model_dump(mode="json", exclude={"password"})
    t, scoped = idempotent_call, idempotency.scoped(caller, key)
    claimed = (await conn.execute(pg_insert(t).values(key=scoped, operation="create_user",
                                                      fingerprint=idempotency.fingerprint("create_user", request))
                                  .on_conflict_do_nothing().returning(t.c.key))).first()
    earlier = None
    if claimed is None:
        row = (await conn.execute(select(t).where(t.c.key == scoped))).one()
        earlier = {"operation": row.operation, "fingerprint": row.fingerprint, "result": row.result}
    return idempotency.earlier_answer(earlier, key, "create_user", request)


def _taken(new: UserNew) -> Conflict:
    return Conflict(f"username {new.username!r} is taken in {new.kode_pemda or 'pusat'}",
                    errors=[{"field": "username", "message": "already taken"}])


async def insert_user(engine: AsyncEngine, caller: Scope | None, new: UserNew, password_hash: str,
                      system: str = "system", idempotency_key: str | None = None) -> dict[str, Any]:
    values = dict(id=str(uuid.uuid4()), username=new.username, password_hash=password_hash, role=str(new.role),
                  kode_pemda=new.kode_pemda, kode_skpd=new.kode_skpd, nama=new.nama, nip=new.nip, active=True,
                  version=1)
    try:
        async with engine.begin() as conn:
            earlier = await _claim(conn, caller, idempotency_key, new)
            if earlier is not None:
                return earlier
            if new.kode_pemda is None and (await conn.execute(select(users.c.id).where(
                    users.c.username == new.username).limit(1))).first():
                # a pusat user's bare name must be its own (its maker sees every user: this reveals nothing)
                raise _taken(new)
            row = (await conn.execute(insert(users).values(values).returning(users))).first()
            out = user_out(row)
            await _audit(conn, caller, "create", None, out, system=system)
            if idempotency_key is not None:
                await conn.execute(update(idempotent_call).where(
                    idempotent_call.c.key == idempotency.scoped(caller, idempotency_key)).values(result=out))
    except IntegrityError:  # in the new user's own pemda: its maker sees that pemda's users anyway
        raise _taken(new) from None
    return out


async def list_(engine: AsyncEngine, caller: Scope, offset: int, limit: int, kode_pemda: str | None = None,
                role: Role | None = None, active: bool | None = None) -> dict[str, Any]:
    _require_admin(caller)
    where = [_visible(caller)]
    if kode_pemda is not None:
        where.append(users.c.kode_pemda == kode_pemda)
    if role is not None:
        where.append(users.c.role == str(role))
    if active is not None:
        where.append(users.c.active.is_(active))
    async with engine.connect() as conn:
        total = (await conn.execute(select(func.count()).select_from(users).where(*where))).scalar_one()
        rows = (await conn.execute(select(users).where(*where).order_by(users.c.kode_pemda.nulls_first(),
                                                                         users.c.username)
                                   .offset(offset).limit(limit))).all()
    return {"items": [user_out(r) for r in rows], "total": total}


async def get(engine: AsyncEngine, caller: Scope, id: str) -> dict[str, Any]:
    async with engine.connect() as conn:
        return user_out(await _managed(conn, caller, id))


async def change(engine: AsyncEngine, rpc: RpcClient, settings: Settings, caller: Scope, id: str, change: UserChange,
                 expected_version: int | None = None) -> dict[str, Any]:
    fields = change.model_fields_set
    async with engine.begin() as conn:
        row = await _managed(conn, caller, id, for_update=True)
        if expected_version is not None and expected_version != row.version:
            raise PreconditionFailed(f"user {row.id} is at version {row.version}, not {expected_version}", row.version)
        role = change.role if "role" in fields else Role(row.role)
        kode_skpd = change.kode_skpd if "kode_skpd" in fields else row.kode_skpd
        if LINGKUP[role] is not Lingkup.SKPD and "kode_skpd" not in fields:
            kode_skpd = None  # leaving an SKPD-bound role leaves the SKPD
        active = change.active if "active" in fields else row.active
        if row.id == caller.user_id and (role != Role(row.role) or not active):
            raise Forbidden("nobody changes their own role or deactivates themselves; ask another administrator")
        _require_assignable(caller, role, row.kode_pemda, kode_skpd)
        if kode_skpd != row.kode_skpd:
            await _check_references(rpc, row.kode_pemda, kode_skpd)
        values = {"role": str(role), "kode_skpd": kode_skpd, "active": active,
                  **{k: getattr(change, k) if k in fields else getattr(row, k) for k in ("nama", "nip")}}
        if all(values[k] == getattr(row, k) for k in values):
            return user_out(row)
        after = (await conn.execute(update(users).where(users.c.id == row.id).values(
            **values, version=row.version + 1, updated_at=func.now()).returning(users))).first()
        revoked = None
        if not active or role != Role(row.role) or kode_skpd != row.kode_skpd:
            await accounts.revoke(conn, row.id)  # sessions end; a new login carries the new role
            # and the access tokens already issued stop working, everywhere, within seconds
            revoked = await revocations.record(conn, settings, row.id, after.version)
        await _audit(conn, caller, "update", user_out(row), user_out(after))
    if revoked is not None:
        await revocations.revoked_now(engine, rpc, revoked)
    return user_out(after)


async def audit_trail(engine: AsyncEngine, caller: Scope, id: str, offset: int, limit: int) -> dict[str, Any]:
    async with engine.connect() as conn:
        row = await _managed(conn, caller, id)
        count, page = trail_queries(RECORD, row.id, offset, limit, table=audit)
        total = (await conn.execute(count)).scalar_one()
        items = [entry_out(r) for r in (await conn.execute(page)).all()]
    return {"items": items, "total": total}


async def me(engine: AsyncEngine, caller: Scope) -> dict[str, Any]:
    async with engine.connect() as conn:
        row = (await conn.execute(select(users).where(users.c.id == caller.user_id))).first()
    if row is None:
        raise NotFound("your account no longer exists")
    return user_out(row)


async def change_password(engine: AsyncEngine, settings: Settings, caller: Scope, body: PasswordChange,
                          address: str) -> None:
    """The caller's own password, after the current one (throttled and counted like a login); every session ends."""
    user = await accounts.check_password(engine, settings, accounts.login_name(caller.username, caller.kode_pemda),
                                         body.current_password, address,
                                         field="current_password")
    errors = passwords.policy_errors(body.new_password, user.username, field="new_password")
    if body.new_password == body.current_password:
        errors.append({"field": "new_password", "message": "must differ from the current password"})
    if errors:
        raise Invalid(errors[0]["message"], errors=errors)
    password_hash = await passwords.hash_password(body.new_password)
    async with engine.begin() as conn:
        before = (await conn.execute(select(users).where(users.c.id == user.id).with_for_update())).first()
        after = (await conn.execute(update(users).where(users.c.id == user.id).values(
            password_hash=password_hash, password_changed_at=func.now(), updated_at=func.now(),
            version=users.c.version + 1).returning(users))).first()
        await accounts.revoke(conn, user.id)
        await _audit(conn, caller, "password_change", user_out(before), user_out(after))
