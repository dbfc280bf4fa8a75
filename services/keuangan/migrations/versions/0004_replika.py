"""keuangan: its replica of the codification (accounts, SKPD, sub kegiatan, funding sources, standard
prices) and its position in referensi's event streams (sipd_common.replica)

Revision ID: 0004
Revises: 0003
"""
import sqlalchemy as sa
from alembic import op

from sipd_common.migrations import create_replica_table, drop_replica_table

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def _berlaku() -> list[sa.Column]:
    """The validity every replicated record carries, as referensi published it."""
    return [
        sa.Column("valid_from", sa.String(60), nullable=False),
        sa.Column("valid_until", sa.String(60)),
        sa.Column("revisi", sa.BigInteger, nullable=False),
        sa.Column("kode_pengganti", sa.ARRAY(sa.String(60)), nullable=False, server_default="{}"),
        sa.Column("berlaku", sa.Boolean, nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.text("now()")),
    ]


def upgrade() -> None:
    op.create_table(
        "replika_rekening",
        sa.Column("kode", sa.String(30), primary_key=True),
        sa.Column("tingkat", sa.String(20), nullable=False),
        sa.Column("akun", sa.String(20), nullable=False),
        sa.Column("peruntukan", sa.String(60), nullable=False),
        sa.Column("nama", sa.Text, nullable=False),
        sa.Column("kode_induk", sa.String(30)),
        *_berlaku(),
    )
    op.create_table(
        "replika_skpd",
        sa.Column("kode_pemda", sa.String(10), primary_key=True),
        sa.Column("kode", sa.String(40), primary_key=True),
        sa.Column("nama", sa.Text, nullable=False),
        sa.Column("bidang_urusan", sa.ARRAY(sa.String(10)), nullable=False),
        *_berlaku(),
    )
    op.create_table(
        "replika_sub_kegiatan",
        sa.Column("kode", sa.String(30), primary_key=True),
        sa.Column("nama", sa.Text, nullable=False),
        sa.Column("kode_bidang_urusan", sa.String(10), nullable=False),
        *_berlaku(),
    )
    op.create_table(
        "replika_sumber_dana",
        sa.Column("kode", sa.String(30), primary_key=True),
        sa.Column("tingkat", sa.SmallInteger, nullable=False),
        sa.Column("nama", sa.Text, nullable=False),
        sa.Column("kode_induk", sa.String(30)),
        *_berlaku(),
    )
    op.create_table(
        "replika_standar_harga",
        sa.Column("kode_pemda", sa.String(10), primary_key=True),
        sa.Column("tahun", sa.SmallInteger, primary_key=True),
        sa.Column("kode", sa.String(60), primary_key=True),
        sa.Column("jenis", sa.String(4), nullable=False),
        sa.Column("uraian", sa.Text, nullable=False),
        sa.Column("spesifikasi", sa.Text),
        sa.Column("satuan", sa.Text, nullable=False),
        sa.Column("harga", sa.Numeric(17, 2), nullable=False),
        sa.Column("kode_rekening", sa.ARRAY(sa.String(30)), nullable=False),
        *_berlaku(),
    )
    create_replica_table()


def downgrade() -> None:
    drop_replica_table()
    for table in ("replika_standar_harga", "replika_sumber_dana", "replika_sub_kegiatan", "replika_skpd",
                  "replika_rekening"):
        op.drop_table(table)
