"""Statements SQLAlchemy would compile again on every execution, made cacheable; an engine without transactions.

SQLAlchemy 2.0 does not cache PostgreSQL's ``INSERT … ON CONFLICT`` (``sqlalchemy.dialects.postgresql.insert``
has ``inherit_cache = False``: its ``ON CONFLICT`` clause is no part of a cache key), so every execution of an
upsert is compiled anew: up to a sixth of a service's CPU under the write benchmark. ``fixed`` compiles such a
statement once, when the module is loaded, into a ``text()`` that SQLAlchemy caches, its binds typed as they were
(bind processors still apply: JSONB, UUID, Numeric…) and its RETURNING columns typed as they were.

Only for a statement whose shape never changes: built once at module level, every execution passing exactly the
parameters it was compiled for (a missing one is refused; one more is ignored, never a column more). A list of
rows (executemany) still runs, but returns no rows: a statement with RETURNING is executed one row at a time
(asking a list's result for its rows raises ``ResourceClosedError``), or SQLAlchemy's own statement kept for lists
(its "insertmanyvalues" returns them).
"""
from __future__ import annotations

import re
from typing import Iterable

from sqlalchemy import bindparam, text
from sqlalchemy.dialects.postgresql import psycopg
from sqlalchemy.dialects.postgresql.base import PGDialect
from sqlalchemy.engine import Engine
from sqlalchemy.engine.interfaces import BindTyping
from sqlalchemy.sql.elements import TextClause, _anonymous_label
from sqlalchemy.sql.selectable import TextualSelect

# compiled in pyformat, where every literal "%" is doubled, so that a bind ("%(name)s") is never ambiguous;
# without the casts of the binds, which the driver's dialect renders again when it compiles the text
_COMPILE = PGDialect(paramstyle="pyformat")
_COMPILE.bind_typing = BindTyping.NONE
_DRIVER = psycopg.dialect()  # the project's driver (settings.database_url): the SQL it is sent must not change
_TOKEN = re.compile(r"%\((\w+)\)s|%%|:")


def fixed(statement, keys: Iterable[str] = ()) -> TextClause | TextualSelect:
    """``statement`` as a cacheable ``text()``, compiled once for PostgreSQL.

    ``keys``: the column keys every execution passes (an ``insert(table)`` without ``.values()``: the columns it
    inserts); the statement's own named binds (``bindparam("x")``) are taken too, a value it carries as its
    default; a literal (``.values(pagu=0)``, ``x == 5``) stays the constant it is. Refused (``ValueError``): an
    anonymous bind without a value (``bindparam(None)``: name it), a bind expanded or rendered at
    execution (``IN`` lists, ``literal_execute``), a Python-side column default (computed per execution), a name
    that needs escaping, a backslash in the SQL."""
    keys = list(keys)
    compiled = statement.compile(dialect=_COMPILE, column_keys=keys)
    if compiled.insert_prefetch or compiled.update_prefetch:
        raise ValueError("a column with a Python-side default or onupdate cannot be fixed: pass its value")
    if compiled.literal_execute_params or compiled.post_compile_params or compiled.escaped_bind_names:
        raise ValueError("a bind expanded, rendered at execution or escaped cannot be fixed")
    sql = compiled.string
    if "\\" in sql:
        raise ValueError("a backslash in the SQL cannot be fixed (text() reads it as an escape)")
    binds = {}
    for param, name in compiled.bind_names.items():
        if param.required and isinstance(param.key, _anonymous_label):
            raise ValueError(f"an anonymous bind without a value ({name}) cannot be fixed: name it with bindparam()")
        if param.callable is not None:
            raise ValueError(f"a bind with a callable ({name}) cannot be fixed")
        binds[name] = (bindparam(name, type_=param.type, required=True) if param.required
                       else bindparam(name, param.value, type_=param.type))
    missing = set(keys) - set(binds)
    if missing:
        raise ValueError(f"keys the statement takes no bind for: {sorted(missing)}")

    def token(m: re.Match) -> str:  # a bind as text() writes it, a literal "%" as it is, a ":" escaped
        return f":{m.group(1)}" if m.group(1) else "%" if m.group(0) == "%%" else "\\:"

    result = text(_TOKEN.sub(token, sql)).bindparams(*binds.values())
    if compiled.returning:
        result = result.columns(*compiled.returning)
    # the proof: the driver is sent the very SQL the statement would have sent
    if str(result.compile(dialect=_DRIVER)) != str(statement.compile(dialect=_DRIVER, column_keys=keys)):
        raise ValueError(f"the fixed statement does not compile to the same SQL: {sql}")
    return result


def autocommit_engine(engine: Engine) -> Engine:
    """``engine`` whose connections run each statement on its own (no transaction), sharing its pool; made once."""
    made = engine.__dict__.get("_sipd_autocommit")
    if made is None:
        made = engine.__dict__["_sipd_autocommit"] = engine.execution_options(isolation_level="AUTOCOMMIT")
    return made
