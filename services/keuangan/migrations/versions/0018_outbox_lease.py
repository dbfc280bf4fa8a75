"""keuangan: the outbox's lease (``claimed_until``): a relay claims the rows it publishes for a while instead of
holding a transaction open while it publishes them

Revision ID: outbox_lease
Revises: replika_varian
"""
from sipd_common.migrations import add_outbox_lease_column, drop_outbox_lease_column

revision = "outbox_lease"
down_revision = "replika_varian"
branch_labels = None
depends_on = None


def upgrade() -> None:
    add_outbox_lease_column()


def downgrade() -> None:
    drop_outbox_lease_column()
