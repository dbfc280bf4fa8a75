"""pemerintahan: binwas findings against a pemda, with recommendations and their follow-up

Revision ID: binwas
Revises: eppd
"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB, UUID

revision = "binwas"
down_revision = "eppd"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "binwas_temuan",
        sa.Column("id", UUID(as_uuid=False), primary_key=True),
        sa.Column("kode_pemda", sa.String(10), nullable=False),
        sa.Column("tahun", sa.SmallInteger, nullable=False),
        sa.Column("objek", sa.String(30), nullable=False),
        sa.Column("objek_id", sa.String(100)),
        sa.Column("uraian", sa.Text, nullable=False),
        sa.Column("rekomendasi", sa.Text, nullable=False),
        sa.Column("dicatat_oleh", sa.String(100), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("tindak_lanjut", JSONB, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.text("now()")),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.text("now()")),
    )
    op.create_index("binwas_temuan_pemda_tahun", "binwas_temuan", ["kode_pemda", "tahun"])


def downgrade() -> None:
    op.drop_table("binwas_temuan")
