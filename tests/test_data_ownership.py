"""Each service (and the gateway) owns its schema and nothing else: its role cannot read another's tables."""
from __future__ import annotations

import psycopg
import pytest

from sipd_common.settings import SCHEMAS, service_role

OWN_TABLE = {"referensi": "nomenklatur", "perencanaan": "rkpd_sub_kegiatan", "keuangan": "plafon",
             "pemerintahan": "rencana", "gateway": "users"}


def _connect(settings, service: str):
    dsn = settings.database_url(service_role(service)).replace("postgresql+psycopg://", "postgresql://")
    return psycopg.connect(dsn, autocommit=True)


def test_keuangan_gets_permission_denied_on_perencanaan_tables(settings):
    with _connect(settings, "keuangan") as conn:
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match="permission denied"):
            conn.execute("SELECT * FROM perencanaan.rkpd_sub_kegiatan")


@pytest.mark.parametrize("service", SCHEMAS)
def test_every_role_reads_its_own_schema_and_no_other(settings, service):
    with _connect(settings, service) as conn:
        conn.execute(f"SELECT count(*) FROM {OWN_TABLE[service]}")  # search_path is its own schema
        for other in SCHEMAS:
            if other != service:
                with pytest.raises(psycopg.errors.InsufficientPrivilege):
                    conn.execute(f"SELECT 1 FROM {other}.{OWN_TABLE[other]} LIMIT 1")
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("CREATE TABLE public.intruder (id int)")
