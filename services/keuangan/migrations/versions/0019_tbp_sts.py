"""keuangan: an index on ``tbp.sts_id``: the LRA reaches the receipts of the period's STS without reading every
pemda's TBP, and the list of receipts not deposited yet finds them without reading the deposited ones

Revision ID: tbp_sts
Revises: outbox_lease
"""
from alembic import op

revision = "tbp_sts"
down_revision = "outbox_lease"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("tbp_sts", "tbp", ["sts_id"])


def downgrade() -> None:
    op.drop_index("tbp_sts", "tbp")
