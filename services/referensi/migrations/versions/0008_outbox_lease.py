"""referensi: the outbox's lease (``claimed_until``): a relay claims the rows it publishes for a while instead of
holding a transaction open while it publishes them

Revision ID: 0008
Revises: 0007
"""
from sipd_common.migrations import add_outbox_lease_column, drop_outbox_lease_column

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    add_outbox_lease_column()


def downgrade() -> None:
    drop_outbox_lease_column()
