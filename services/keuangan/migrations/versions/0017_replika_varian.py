"""keuangan: the replica's nomenclature holds a code's provincial variant beside its record (``varian``, part of
the key, as referensi's), so a province's summaries name its codes as the provincial lampiran does

The records held are their codes' ``umum`` ones; the list is marked as having a gap, so that the next fill
(``sipd_common.replica``) brings the variants.

Revision ID: replika_varian
Revises: langkah_dokumen
"""
import sqlalchemy as sa
from alembic import op

revision = "replika_varian"
down_revision = "langkah_dokumen"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("replika_sub_kegiatan", sa.Column("varian", sa.String(10), nullable=False, server_default="umum"))
    op.drop_constraint("replika_sub_kegiatan_pkey", "replika_sub_kegiatan", type_="primary")
    op.create_primary_key("replika_sub_kegiatan_pkey", "replika_sub_kegiatan", ["kode", "varian"])
    op.execute("UPDATE replika_posisi SET celah_sejak = now() - interval '1 day' WHERE kind = 'nomenklatur'")


def downgrade() -> None:
    op.execute("DELETE FROM replika_sub_kegiatan WHERE varian <> 'umum'")
    op.drop_constraint("replika_sub_kegiatan_pkey", "replika_sub_kegiatan", type_="primary")
    op.create_primary_key("replika_sub_kegiatan_pkey", "replika_sub_kegiatan", ["kode"])
    op.drop_column("replika_sub_kegiatan", "varian")
