"""perencanaan: the districts (kecamatan) and villages (desa/kelurahan) in the replica of referensi's wilayah,
so that a plan item's or a proposal's location codes are checked against it; the wilayah replica's position
is reset, so that the replica refills itself from referensi's snapshot (every level now)

Revision ID: replika_wilayah_bawah
Revises: replika_varian
"""
import sqlalchemy as sa
from alembic import op

revision = "replika_wilayah_bawah"
down_revision = "replika_varian"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "replika_wilayah_bawah",
        sa.Column("kode", sa.String(30), primary_key=True),
        sa.Column("tingkat", sa.String(20), nullable=False),
        sa.Column("nama", sa.Text, nullable=False),
        sa.Column("kode_induk", sa.String(30)),
        sa.Column("valid_from", sa.String(60), nullable=False),
        sa.Column("valid_until", sa.String(60)),
        sa.Column("revisi", sa.BigInteger, nullable=False),
        sa.Column("kode_pengganti", sa.ARRAY(sa.String(60)), nullable=False, server_default="{}"),
        sa.Column("berlaku", sa.Boolean, nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.text("now()")),
    )
    # the pemda-only replica refills (every level) from the snapshot on the service's next timer tick
    op.execute("DELETE FROM replika_posisi WHERE kind = 'wilayah'")


def downgrade() -> None:
    op.drop_table("replika_wilayah_bawah")
    op.execute("DELETE FROM replika_posisi WHERE kind = 'wilayah'")
