"""Each service's tables as its code declares them (SQLAlchemy metadata) are the tables its Alembic
migrations create: a rule that lives only in a migration, or a table that drifted, fails here."""
from __future__ import annotations

import importlib

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Column, Integer, MetaData, Table

SERVICES = ("referensi", "perencanaan", "keuangan", "pemerintahan")


def _include(obj, name, type_, reflected, compare_to):
    return not (type_ == "table" and name == "alembic_version")


def drift(connection, metadata: MetaData) -> list:
    context = MigrationContext.configure(connection, opts={"include_object": _include, "compare_type": True})
    return compare_metadata(context, metadata)


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
