"""referensi: regions, nomenclature, accounts, SKPD; messaging tables

Revision ID: 0001
Revises:
"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import ARRAY

from sipd_common.migrations import create_messaging_tables

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_messaging_tables()
    op.create_table(
        "wilayah",
        sa.Column("kode", sa.String(20), primary_key=True),
        sa.Column("nama", sa.Text, nullable=False),
        sa.Column("tingkat", sa.SmallInteger, nullable=False),
        sa.Column("kode_induk", sa.String(20), index=True),
    )
    op.create_table(
        "nomenklatur",
        sa.Column("kode", sa.String(30), primary_key=True),
        sa.Column("tingkat", sa.String(20), nullable=False),
        sa.Column("nama", sa.Text, nullable=False),
        sa.Column("kode_induk", sa.String(30), index=True),
        sa.Column("kinerja", sa.Text),
        sa.Column("indikator", sa.Text),
        sa.Column("satuan", sa.Text),
    )
    op.create_table(
        "rekening",
        sa.Column("kode", sa.String(30), primary_key=True),
        sa.Column("tingkat", sa.String(20), nullable=False),
        sa.Column("akun", sa.String(20), nullable=False),
        sa.Column("nama", sa.Text, nullable=False),
        sa.Column("kode_induk", sa.String(30), index=True),
    )
    op.create_table(
        "skpd",
        sa.Column("kode_pemda", sa.String(10), primary_key=True),
        sa.Column("kode", sa.String(40), primary_key=True),
        sa.Column("nama", sa.Text, nullable=False),
        sa.Column("bidang_urusan", ARRAY(sa.String(10)), nullable=False),
    )


def downgrade() -> None:
    for table in ("skpd", "rekening", "nomenklatur", "wilayah", "parked_event", "handler_failure", "inbox", "outbox"):
        op.drop_table(table)
