"""keuangan: the keys of the creates done (sipd_common.idempotency): a retried or redelivered create happens once

Revision ID: 0005_idempotent_call
Revises: 0005
"""
from sipd_common.migrations import create_idempotency_table, drop_idempotency_table

revision = "0005_idempotent_call"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_idempotency_table()


def downgrade() -> None:
    drop_idempotency_table()
