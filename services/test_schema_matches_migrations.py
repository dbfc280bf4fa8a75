"""Each service's tables as its code declares them (SQLAlchemy metadata) are the tables its Alembic
migrations create: a rule that lives only in a migration, or a table that drifted, fails here (the gateway's:
tests/test_gateway_schema_matches_migrations.py, as the services may not import the gateway)."""
from __future__ import annotations

import importlib

import pytest
from sqlalchemy import Column, Integer, MetaData, Table

from sipd_common.migrations import drift

SERVICES = ("referensi", "perencanaan", "keuangan", "pemerintahan")


@pytest.mark.parametrize("service", SERVICES)
def test_the_models_are_what_the_migrations_made(service, engines):
    metadata = importlib.import_module(f"services.{service}.uow").metadata
    with engines(service).connect() as connection:
        assert drift(connection, metadata) == []


def test_a_drift_is_seen(engines):
    """The check can fail: a column the models have and the migrations never made is reported."""
    metadata = MetaData()
    for table in importlib.import_module("services.pemerintahan.uow").metadata.tables.values():
        table.to_metadata(metadata)
    Table("rencana", metadata, Column("dibuat_oleh", Integer), extend_existing=True)
    with engines("pemerintahan").connect() as connection:
        assert [d[0] for d in drift(connection, metadata)] == ["add_column"]
