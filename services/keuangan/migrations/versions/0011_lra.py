"""keuangan: the LRA (issue 14) — an SP2D's disbursement date (``sp2d.tanggal_cair``), the realisation's date by
which the LRA takes it into a period; one already disbursed is dated the day it was made (nothing recorded the
bank's day before).

Revision ID: lra
Revises: penatausahaan
"""
import sqlalchemy as sa
from alembic import op

revision = "lra"
down_revision = "penatausahaan"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("sp2d", sa.Column("tanggal_cair", sa.Date))
    op.execute("UPDATE sp2d SET tanggal_cair = (created_at AT TIME ZONE 'Asia/Jakarta')::date WHERE status = 'cair'")


def downgrade() -> None:
    op.drop_column("sp2d", "tanggal_cair")
