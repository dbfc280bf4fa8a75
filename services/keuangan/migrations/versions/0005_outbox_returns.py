"""keuangan: the outbox keeps an event the broker returned as unroutable (no queue bound), and when to retry it

Revision ID: 0005
Revises: 0004
"""
from sipd_common.migrations import add_outbox_return_columns, drop_outbox_return_columns

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    add_outbox_return_columns()


def downgrade() -> None:
    drop_outbox_return_columns()
