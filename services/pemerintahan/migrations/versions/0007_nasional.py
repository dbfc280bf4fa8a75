"""pemerintahan: the national view sums a year's plan and budget per pemda and bidang urusan

Revision ID: nasional
Revises: binwas
"""
from alembic import op

revision = "nasional"
down_revision = "binwas"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("rencana_tahun", "rencana", ["tahun", "kode_pemda", "kode_bidang_urusan"])
    op.create_index("anggaran_tahun", "anggaran", ["tahun", "kode_pemda", "kode_bidang_urusan"])


def downgrade() -> None:
    op.drop_index("anggaran_tahun", "anggaran")
    op.drop_index("rencana_tahun", "rencana")
