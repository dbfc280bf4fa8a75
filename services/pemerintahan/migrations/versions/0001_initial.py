"""pemerintahan: read models of the plan and the budget; messaging tables

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
        "rencana",
        sa.Column("rkpd_id", UUID(as_uuid=False), primary_key=True),
        sa.Column("kode_pemda", sa.String(10), nullable=False),
        sa.Column("tahun", sa.SmallInteger, nullable=False),
        sa.Column("kode_bidang_urusan", sa.String(10), nullable=False),
        sa.Column("nama_bidang_urusan", sa.Text),
        sa.Column("kode_sub_kegiatan", sa.String(30), nullable=False),
        sa.Column("pagu", sa.Numeric(17, 2), nullable=False),
        sa.Column("dihapus", sa.Boolean, nullable=False),
        sa.Column("source_version", sa.Integer, nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.text("now()")),
    )
    op.create_index("rencana_scope", "rencana", ["kode_pemda", "tahun"])
    op.create_table(
        "anggaran",
        sa.Column("rkpd_id", UUID(as_uuid=False), primary_key=True),
        sa.Column("kode_pemda", sa.String(10), nullable=False),
        sa.Column("tahun", sa.SmallInteger, nullable=False),
        sa.Column("kode_bidang_urusan", sa.String(10), nullable=False),
        sa.Column("kode_sub_kegiatan", sa.String(30), nullable=False),
        sa.Column("total_rincian", sa.Numeric(30, 6), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("source_version", sa.Integer, nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.text("now()")),
    )
    op.create_index("anggaran_scope", "anggaran", ["kode_pemda", "tahun"])


def downgrade() -> None:
    op.drop_table("anggaran")
    op.drop_table("rencana")
    for table in ("parked_event", "handler_failure", "inbox", "outbox"):
        op.drop_table(table)
