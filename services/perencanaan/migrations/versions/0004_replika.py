"""perencanaan: its replica of the codification (nomenklatur, SKPD, pemda) and its position in
referensi's event streams (sipd_common.replica)

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
        "replika_nomenklatur",
        sa.Column("kode", sa.String(30), primary_key=True),
        sa.Column("tingkat", sa.String(20), nullable=False),
        sa.Column("nama", sa.Text, nullable=False),
        sa.Column("kode_induk", sa.String(30)),
        sa.Column("kinerja", sa.Text),
        sa.Column("indikator", sa.Text),
        sa.Column("satuan", sa.Text),
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
        "replika_pemda",
        sa.Column("kode", sa.String(10), primary_key=True),
        sa.Column("nama", sa.Text, nullable=False),
        sa.Column("provinsi", sa.Boolean, nullable=False),
        *_berlaku(),
    )
    create_replica_table()


def downgrade() -> None:
    drop_replica_table()
    for table in ("replika_pemda", "replika_skpd", "replika_nomenklatur"):
        op.drop_table(table)
