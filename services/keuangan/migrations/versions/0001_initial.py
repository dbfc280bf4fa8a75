"""keuangan: plafon per RKPD item, rincian belanja; messaging tables

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
        "plafon",
        sa.Column("rkpd_id", UUID(as_uuid=False), primary_key=True),
        sa.Column("kode_pemda", sa.String(10), nullable=False),
        sa.Column("tahun", sa.SmallInteger, nullable=False),
        sa.Column("kode_skpd", sa.String(40), nullable=False),
        sa.Column("kode_sub_kegiatan", sa.String(30), nullable=False),
        sa.Column("kode_bidang_urusan", sa.String(10), nullable=False),
        sa.Column("pagu", sa.Numeric(17, 2), nullable=False),
        sa.Column("total_rincian", sa.Numeric(30, 6), nullable=False),
        sa.Column("rencana_dihapus", sa.Boolean, nullable=False),
        sa.Column("source_version", sa.Integer, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.text("now()")),
    )
    op.create_index("plafon_scope", "plafon", ["kode_pemda", "tahun"])
    op.create_table(
        "rincian",
        sa.Column("id", UUID(as_uuid=False), primary_key=True),
        sa.Column("kode_pemda", sa.String(10), nullable=False),
        sa.Column("tahun", sa.SmallInteger, nullable=False),
        sa.Column("rkpd_id", UUID(as_uuid=False), sa.ForeignKey("plafon.rkpd_id"), nullable=False),
        sa.Column("kode_rekening", sa.String(30), nullable=False),
        sa.Column("nama_rekening", sa.Text, nullable=False),
        sa.Column("uraian", sa.Text, nullable=False),
        sa.Column("volume", sa.Numeric(16, 4), nullable=False),
        sa.Column("satuan", sa.Text, nullable=False),
        sa.Column("harga_satuan", sa.Numeric(17, 2), nullable=False),
        sa.Column("jumlah", sa.Numeric(30, 6), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.text("now()")),
    )
    op.create_index("rincian_scope", "rincian", ["kode_pemda", "tahun", "rkpd_id"])


def downgrade() -> None:
    op.drop_table("rincian")
    op.drop_table("plafon")
    for table in ("parked_event", "handler_failure", "inbox", "outbox"):
        op.drop_table(table)
