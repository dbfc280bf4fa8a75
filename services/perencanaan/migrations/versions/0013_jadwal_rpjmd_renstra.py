"""perencanaan: the stage lists of the RPJMD and the Renstra (data with a version, as the RKPD's), so that
a pemda schedules them as it schedules its RKPD; a schedule of either is keyed by its period's first year
(``tahun_awal``)

The stages follow Permendagri 86/2017 as DOMAIN-DETAIL reads it (rancangan awal, rancangan, musrenbang —
the RPJMD only —, rancangan akhir, penetapan). The order is medium confidence and no deadline is set (the
decree counts the RPJMD's from the kepala daerah's inauguration, which is not a fixed month): all of it is
data, so a correction or a later decree is a new row, not new code.

Revision ID: jadwal_rpjmd_renstra
Revises: rkpd_sasaran
"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "jadwal_rpjmd_renstra"
down_revision = "rkpd_sasaran"
branch_labels = None
depends_on = None

VERSI = "permendagri-86-2017"

RPJMD_86_2017 = [
    {"kode": "rancangan_awal", "nama": "Rancangan Awal RPJMD", "urutan": 1},
    {"kode": "rancangan", "nama": "Rancangan RPJMD", "urutan": 2},
    {"kode": "musrenbang", "nama": "Musrenbang RPJMD", "urutan": 3},
    {"kode": "rancangan_akhir", "nama": "Rancangan Akhir RPJMD", "urutan": 4},
    {"kode": "penetapan", "nama": "Penetapan RPJMD", "urutan": 5, "menetapkan": True},
]
RENSTRA_86_2017 = [
    {"kode": "rancangan_awal", "nama": "Rancangan Awal Renstra", "urutan": 1},
    {"kode": "rancangan", "nama": "Rancangan Renstra", "urutan": 2},
    {"kode": "rancangan_akhir", "nama": "Rancangan Akhir Renstra", "urutan": 3},
    {"kode": "penetapan", "nama": "Penetapan Renstra", "urutan": 4, "menetapkan": True},
]

_DEFAULTS = {"menetapkan": False, "perubahan": False, "opsional": False, "wajib_sasaran": False,
             "batas_bulan": None, "batas_tahun": None}


def upgrade() -> None:
    tahapan = sa.table("tahapan", sa.column("dokumen"), sa.column("versi"), sa.column("dasar_hukum"),
                       sa.column("berlaku_mulai"), sa.column("tahap", JSONB))
    op.bulk_insert(tahapan, [
        {"dokumen": dokumen, "versi": VERSI, "dasar_hukum": "Permendagri 86/2017", "berlaku_mulai": 2018,
         "tahap": [{**_DEFAULTS, **t} for t in stages]}
        for dokumen, stages in (("rpjmd", RPJMD_86_2017), ("renstra", RENSTRA_86_2017))])


def downgrade() -> None:
    # the schedules made under these lists, and their snapshots (which never change), are kept
    op.execute(f"DELETE FROM tahapan WHERE dokumen IN ('rpjmd', 'renstra') AND versi = '{VERSI}'")
