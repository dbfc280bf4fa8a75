"""What the service tests need of perencanaan's replica: wait until it is filled, empty it, read it;
and changes made in referensi (a real ReferensiService), the way an operator makes them: an import."""
from __future__ import annotations

import base64
import itertools
from datetime import date, timedelta

from nameko.testing.services import entrypoint_hook
from sqlalchemy import delete, text
from sqlalchemy.orm import Session

from ops.testing import auth_context, wait_until
from services.perencanaan.replika.domain import LISTS
from services.perencanaan.replika.repository import TABLES, ReplikaRepository
from sipd_common import replica

_versions = itertools.count(1)


def replika_siap(db, timeout: float = 180) -> None:
    """Wait until every list of the replica is filled and has no gap."""
    def ready():
        with Session(db) as session:
            return replica.perlu_diisi(session, LISTS) == []

    wait_until(ready, timeout=timeout, interval=0.2, message="perencanaan's replica filled")


def kosongkan(db) -> None:
    """An empty replica with no position: what a consumer starting on a new schema has."""
    with db.begin() as conn:
        conn.execute(text(f"TRUNCATE {', '.join(t.name for t in TABLES.values())}"))
        conn.execute(delete(replica.posisi))


def isi(db) -> dict[str, list[dict]]:
    """Every record of every table of the replica, in key order."""
    with Session(db) as session:
        repository = ReplikaRepository(session)
        return {kind: repository.rows(kind) for kind in TABLES}  # the lists, and wilayah's lower levels apart


def posisi(db, kind: str) -> replica.Posisi | None:
    with Session(db) as session:
        return replica.baca(session, [kind]).get(kind)


def held(db, kind: str, *key) -> dict | None:
    table = TABLES[kind]
    with db.connect() as conn:
        row = conn.execute(table.select().where(*[c == v for c, v in zip(table.primary_key.columns, key)])).first()
        return dict(row._mapping) if row else None


# -- referensi ---------------------------------------------------------------------------------------------

def versi() -> dict:
    """A version of the codification of its own, dated after the shipped ones (and before those of
    referensi's own tests, which may run later on the same database)."""
    n = next(_versions)
    return {"versi": f"uji-perencanaan-{n}", "versi_judul": f"Keputusan uji perencanaan {n}",
            "versi_tanggal": (date(2089, 1, 1) + timedelta(days=n)).isoformat()}


def impor(referensi, lines: list[str], kind: str = "nomenklatur", mode: str = "diff", **request) -> dict:
    content = base64.b64encode(("\n".join(lines) + "\n").encode()).decode()
    with entrypoint_hook(referensi, "import_file", context_data=auth_context()) as hook:
        report = hook({"kind": kind, "mode": mode, **versi(), **request}, content, "uji.csv")
    assert report["applied"] and not report["errors"], report
    return report
