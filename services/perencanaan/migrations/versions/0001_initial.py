"""perencanaan: RKPD sub kegiatan; messaging tables

Revision ID: 0001
Revises:
"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import UUID

from sipd_common.migrations import create_messaging_tables

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_messaging_tables()
    op.create_table(
        "rkpd_sub_kegiatan",
        sa.Column("id", UUID(as_uuid=False), primary_key=True),
        sa.Column("kode_pemda", sa.String(10), nullable=False),
        sa.Column("tahun", sa.SmallInteger, nullable=False),
        sa.Column("kode_skpd", sa.String(40), nullable=False),
        sa.Column("kode_sub_kegiatan", sa.String(30), nullable=False),
        sa.Column("nama_sub_kegiatan", sa.Text, nullable=False),
        sa.Column("kode_bidang_urusan", sa.String(10), nullable=False),
        sa.Column("nama_bidang_urusan", sa.Text, nullable=False),
        sa.Column("indikator", sa.Text, nullable=False),
        sa.Column("target", sa.Numeric(16, 4), nullable=False),
        sa.Column("satuan", sa.Text, nullable=False),
        sa.Column("pagu_indikatif", sa.Numeric(17, 2), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.text("now()")),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.text("now()")),
        sa.Column("deleted_at", sa.DateTime(timezone=True)),
    )
    op.create_index("rkpd_sub_kegiatan_scope", "rkpd_sub_kegiatan", ["kode_pemda", "tahun", "kode_skpd", "kode_sub_kegiatan"])
    # one live plan item per SKPD, sub kegiatan and year
    op.create_index("rkpd_sub_kegiatan_unique_live", "rkpd_sub_kegiatan",
                    ["kode_pemda", "tahun", "kode_skpd", "kode_sub_kegiatan"], unique=True,
                    postgresql_where=sa.text("deleted_at IS NULL"))


def downgrade() -> None:
    op.drop_table("rkpd_sub_kegiatan")
    for table in ("parked_event", "handler_failure", "inbox", "outbox"):
        op.drop_table(table)
