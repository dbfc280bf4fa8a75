"""pemerintahan: the realisation's read model (keuangan's ``realisasi.berubah``), and the plan's read model keeps
each item's SKPD (the LPPD finds an item's realisation by SKPD and sub kegiatan)

Revision ID: realisasi
Revises: lppd
"""
import sqlalchemy as sa
from alembic import op

revision = "realisasi"
down_revision = "lppd"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # null on the items held before: each gets it with its next event, and its realisation counts meanwhile in
    # its bidang urusan's total (not on the item)
    op.add_column("rencana", sa.Column("kode_skpd", sa.String(40)))
    op.create_table(
        "realisasi",
        sa.Column("id", sa.Text, primary_key=True),
        sa.Column("kode_pemda", sa.String(10), nullable=False),
        sa.Column("tahun", sa.SmallInteger, nullable=False),
        sa.Column("jenis", sa.String(10), nullable=False),
        sa.Column("kode_skpd", sa.String(40), nullable=False),
        sa.Column("kode_sub_kegiatan", sa.String(40)),
        sa.Column("kode_bidang_urusan", sa.String(10)),
        sa.Column("kode_rekening", sa.String(30), nullable=False),
        sa.Column("jumlah", sa.Numeric(30, 6), nullable=False),
        sa.Column("source_version", sa.Integer, nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.text("now()")),
    )
    op.create_index("realisasi_belanja_tahun", "realisasi", ["tahun", "kode_pemda", "kode_bidang_urusan"],
                    postgresql_include=["kode_skpd", "kode_sub_kegiatan", "jumlah"],
                    postgresql_where=sa.text("kode_bidang_urusan IS NOT NULL"))


def downgrade() -> None:
    op.drop_table("realisasi")
    op.drop_column("rencana", "kode_skpd")
