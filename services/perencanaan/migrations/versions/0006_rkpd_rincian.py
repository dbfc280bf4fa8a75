"""perencanaan: what an RKPD item records (output, pagu N+1, lokasi, sumber dana, months, priority labels)
and each SKPD's pagu indikatif ceiling

Revision ID: 0006_rkpd_rincian
Revises: 0005_jadwal
"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import ARRAY, JSONB

revision = "0006_rkpd_rincian"
down_revision = "0005_jadwal"
branch_labels = None
depends_on = None

COLUMNS = [
    sa.Column("kinerja", sa.Text),
    sa.Column("pagu_indikatif_n1", sa.Numeric(17, 2)),
    sa.Column("lokasi", ARRAY(sa.String(20)), nullable=False, server_default="{}"),
    sa.Column("sumber_dana", JSONB, nullable=False, server_default="[]"),
    sa.Column("bulan_mulai", sa.SmallInteger, nullable=False, server_default="1"),
    sa.Column("bulan_selesai", sa.SmallInteger, nullable=False, server_default="12"),
    sa.Column("label_prioritas", ARRAY(sa.Text), nullable=False, server_default="{}"),
]


def upgrade() -> None:
    for column in COLUMNS:
        op.add_column("rkpd_sub_kegiatan", column)
    op.create_table(
        "pagu_skpd",
        sa.Column("kode_pemda", sa.String(10), primary_key=True),
        sa.Column("tahun", sa.SmallInteger, primary_key=True),
        sa.Column("kode_skpd", sa.String(40), primary_key=True),
        sa.Column("pagu", sa.Numeric(17, 2), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.text("now()")),
    )


def downgrade() -> None:
    op.drop_table("pagu_skpd")
    for column in reversed(COLUMNS):
        op.drop_column("rkpd_sub_kegiatan", column.name)
