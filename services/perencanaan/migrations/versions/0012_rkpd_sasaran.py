"""perencanaan: an RKPD item names the Renstra sasaran it serves (``kode_sasaran_renstra``: the ``kode`` of a
sasaran of its SKPD's verified Renstra covering the year), required in the stages the decree marks
``wajib_sasaran`` (Permendagri 86/2017: rancangan akhir, penetapan, perubahan)

The flag is data of the decree's stage list (``tahapan``) and is copied onto each scheduled stage, as the
stage's other attributes are when a jadwal is made: the schedules made before this revision get it too.

Revision ID: rkpd_sasaran
Revises: usulan
"""
import sqlalchemy as sa
from alembic import op

revision = "rkpd_sasaran"
down_revision = "usulan"
branch_labels = None
depends_on = None

WAJIB = ("rancangan_akhir", "penetapan", "perubahan")

# every stage of the document's version gets the flag (true for the stages listed), in its order
_FLAG = """
UPDATE {table} SET tahap = (
    SELECT jsonb_agg(t || jsonb_build_object('wajib_sasaran', t->>'kode' = ANY(:wajib)) ORDER BY n)
    FROM jsonb_array_elements(tahap) WITH ORDINALITY AS x(t, n))
WHERE dokumen = 'rkpd' AND {versi} = 'permendagri-86-2017'
"""
_UNFLAG = """
UPDATE {table} SET tahap = (
    SELECT jsonb_agg(t - 'wajib_sasaran' ORDER BY n) FROM jsonb_array_elements(tahap) WITH ORDINALITY AS x(t, n))
WHERE dokumen = 'rkpd' AND {versi} = 'permendagri-86-2017'
"""
_TABLES = (("tahapan", "versi"), ("jadwal", "versi_tahapan"))


def upgrade() -> None:
    op.add_column("rkpd_sub_kegiatan", sa.Column("kode_sasaran_renstra", sa.String(30)))
    for table, versi in _TABLES:
        op.get_bind().execute(sa.text(_FLAG.format(table=table, versi=versi)), {"wajib": list(WAJIB)})


def downgrade() -> None:
    for table, versi in _TABLES:
        op.execute(_UNFLAG.format(table=table, versi=versi))
    op.drop_column("rkpd_sub_kegiatan", "kode_sasaran_renstra")
