"""perencanaan: the audit trail of every write (sipd_common.audit)

Revision ID: 0002
Revises: 0001
"""
from sipd_common.migrations import create_audit_table

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_audit_table()


def downgrade() -> None:
    from alembic import op

    op.drop_table("audit")
