"""The gateway's tables as ``gateway.db`` declares them are the tables its Alembic migrations create (as each
service's: services/test_schema_matches_migrations.py). Needs the database only, not the running stack."""
from __future__ import annotations

from gateway.db import metadata
from sipd_common.db import make_engine
from sipd_common.migrations import drift


def test_the_gateway_s_models_are_what_its_migrations_made(settings):
    engine = make_engine("gateway", settings, pool_size=1, max_overflow=0)
    try:
        with engine.connect() as connection:
            assert drift(connection, metadata) == []
    finally:
        engine.dispose()
