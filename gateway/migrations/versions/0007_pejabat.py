"""gateway: a user's name and NIP (optional), the officer as signed documents print them

Revision ID: 0007
Revises: 0006
"""
import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("users", sa.Column("nama", sa.String(120)))
    op.add_column("users", sa.Column("nip", sa.String(18)))


def downgrade() -> None:
    op.drop_column("users", "nip")
    op.drop_column("users", "nama")
