"""referensi: the provincial variant of a nomenclature code (``varian``, part of the record's key: ``umum``,
every pemda's record, or ``provinsi``, the provincial lampiran's content of a code the regency/city lampiran
gives other content); where an SKPD's bidang urusan come from when not from its code (``sumber_bidang_urusan``)

Every record held so far is its code's ``umum`` record; ``python -m services.referensi.seed`` then adds the
provincial variants of the 2027 list.

Revision ID: 0007
Revises: 0006
"""
import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("nomenklatur", sa.Column("varian", sa.String(10), nullable=False, server_default="umum"))
    op.drop_constraint("nomenklatur_pkey", "nomenklatur", type_="primary")
    op.create_primary_key("nomenklatur_pkey", "nomenklatur", ["kode", "varian", "valid_from"])
    op.drop_index("nomenklatur_current", table_name="nomenklatur")
    op.create_index("nomenklatur_current", "nomenklatur", ["kode", "varian"], unique=True,
                    postgresql_where=sa.text("valid_until IS NULL"))
    op.add_column("skpd", sa.Column("sumber_bidang_urusan", sa.String(60)))


def downgrade() -> None:
    op.drop_column("skpd", "sumber_bidang_urusan")
    op.execute("DELETE FROM nomenklatur WHERE varian <> 'umum'")
    op.drop_index("nomenklatur_current", table_name="nomenklatur")
    op.create_index("nomenklatur_current", "nomenklatur", ["kode"], unique=True,
                    postgresql_where=sa.text("valid_until IS NULL"))
    op.drop_constraint("nomenklatur_pkey", "nomenklatur", type_="primary")
    op.create_primary_key("nomenklatur_pkey", "nomenklatur", ["kode", "valid_from"])
    op.drop_column("nomenklatur", "varian")
