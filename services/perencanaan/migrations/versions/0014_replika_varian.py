"""perencanaan: the replica's nomenclature holds a code's provincial variant beside its record (``varian``, part
of the key, as referensi's) and the lampiran that list a record (``lingkup``: the level of a kegiatan whose level
digit is 3 to 8)

The records held are their codes' ``umum`` ones; their ``revisi`` is set to 0 and the list marked as having a gap,
so that the next fill (``sipd_common.replica``) brings every record again with its ``lingkup``, and the variants.

Revision ID: replika_varian
Revises: jadwal_rpjmd_renstra
"""
import sqlalchemy as sa
from alembic import op

revision = "replika_varian"
down_revision = "jadwal_rpjmd_renstra"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("replika_nomenklatur", sa.Column("varian", sa.String(10), nullable=False, server_default="umum"))
    op.add_column("replika_nomenklatur", sa.Column("lingkup", sa.ARRAY(sa.String(20))))
    op.drop_constraint("replika_nomenklatur_pkey", "replika_nomenklatur", type_="primary")
    op.create_primary_key("replika_nomenklatur_pkey", "replika_nomenklatur", ["kode", "varian"])
    op.execute("UPDATE replika_nomenklatur SET revisi = 0")
    op.execute("UPDATE replika_posisi SET celah_sejak = now() - interval '1 day' WHERE kind = 'nomenklatur'")


def downgrade() -> None:
    op.execute("DELETE FROM replika_nomenklatur WHERE varian <> 'umum'")
    op.drop_constraint("replika_nomenklatur_pkey", "replika_nomenklatur", type_="primary")
    op.create_primary_key("replika_nomenklatur_pkey", "replika_nomenklatur", ["kode"])
    op.drop_column("replika_nomenklatur", "lingkup")
    op.drop_column("replika_nomenklatur", "varian")
