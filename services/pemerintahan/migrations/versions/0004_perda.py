"""pemerintahan: the register of regional regulations (Perda, Perkada), their signed PDFs, the register
numbers' counters per province and year

Revision ID: perda
Revises: 0003
"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB, UUID

revision = "perda"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "perda",
        sa.Column("id", UUID(as_uuid=False), primary_key=True),
        sa.Column("kode_pemda", sa.String(10), nullable=False),
        sa.Column("tahun", sa.SmallInteger, nullable=False),
        sa.Column("jenis", sa.String(10), nullable=False),
        sa.Column("kategori", sa.String(30), nullable=False),
        sa.Column("judul", sa.Text, nullable=False),
        sa.Column("status", sa.String(30), nullable=False),
        sa.Column("noreg", sa.String(60)),
        sa.Column("nomor", sa.String(100)),
        sa.Column("tanggal_penetapan", sa.Date),
        sa.Column("nomor_pengundangan", sa.String(100)),
        sa.Column("tanggal_pengundangan", sa.Date),
        sa.Column("riwayat", JSONB, nullable=False),
        sa.Column("sumber", sa.String(60), nullable=False),
        sa.Column("sumber_id", sa.String(100)),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.text("now()")),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.text("now()")),
        sa.UniqueConstraint("sumber_id", name="perda_sumber_id"),
    )
    op.create_index("perda_pemda_tahun", "perda", ["kode_pemda", "tahun"])
    op.create_table(
        "perda_lampiran",
        sa.Column("id", UUID(as_uuid=False), primary_key=True),
        sa.Column("perda_id", UUID(as_uuid=False), sa.ForeignKey("perda.id"), nullable=False),
        sa.Column("nama_file", sa.String(255), nullable=False),
        sa.Column("ukuran", sa.BigInteger, nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("isi", sa.LargeBinary, nullable=False),
        sa.Column("diunggah_oleh", sa.String(100), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.text("now()")),
    )
    op.create_index("ix_perda_lampiran_perda_id", "perda_lampiran", ["perda_id"])
    op.create_table(
        "perda_noreg",
        sa.Column("kode_provinsi", sa.String(2), primary_key=True),
        sa.Column("tahun", sa.SmallInteger, primary_key=True),
        sa.Column("terakhir", sa.Integer, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("perda_noreg")
    op.drop_table("perda_lampiran")
    op.drop_table("perda")
