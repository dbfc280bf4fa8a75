"""referensi: each list's stream position (``aliran``), the place of its last change event

Revision ID: 0004
Revises: 0003
"""
import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "aliran",
        sa.Column("kind", sa.String(40), primary_key=True),
        sa.Column("urutan", sa.BigInteger, nullable=False, server_default="0"),
    )


def downgrade() -> None:
    op.drop_table("aliran")
