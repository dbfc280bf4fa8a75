"""gateway: the keys of the users created (sipd_common.idempotency): a retried create happens once

Revision ID: 0003
Revises: 0002
"""
from sipd_common.migrations import create_idempotency_table, drop_idempotency_table

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_idempotency_table()


def downgrade() -> None:
    drop_idempotency_table()
