"""keuangan: who took each step of a spending document (the officer's name and NIP) and when — what its signature
blocks print (``langkah_dokumen``)

Revision ID: langkah_dokumen
Revises: pergeseran_tanda
"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import UUID

revision = "langkah_dokumen"
down_revision = "pergeseran_tanda"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "langkah_dokumen",
        sa.Column("jenis", sa.String(10), primary_key=True),
        sa.Column("dokumen_id", UUID(as_uuid=False), primary_key=True),
        sa.Column("langkah", sa.String(20), primary_key=True),
        sa.Column("pada", sa.DateTime(timezone=True), nullable=False, server_default=sa.text("now()")),
        sa.Column("user_id", sa.String(100), nullable=False),
        sa.Column("nama", sa.String(120)),
        sa.Column("nip", sa.String(18)),
    )


def downgrade() -> None:
    op.drop_table("langkah_dokumen")
