"""pemerintahan: the keys of the creates done (sipd_common.idempotency): a retried or redelivered create (a
regulation, a finding, an EPPD round, an LPPD) happens once

Revision ID: idempotent_call
Revises: realisasi
"""
from sipd_common.migrations import create_idempotency_table, drop_idempotency_table

revision = "idempotent_call"
down_revision = "realisasi"
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_idempotency_table()


def downgrade() -> None:
    drop_idempotency_table()
