"""perencanaan: proposals (usulan musrenbang, pokir DPRD) and the verification chain of each kind, as data

Revision ID: usulan
Revises: renja
"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import ARRAY, JSONB, UUID

revision = "usulan"
down_revision = "renja"
branch_labels = None
depends_on = None

# The chains (Permendagri 86/2017 Art. 78, PP 12/2018 Art. 54; DOMAIN-DETAIL A "Usulan"). The desa/kelurahan is
# the musrenbang proposal's proposer; TAPD's later look belongs to the budget, not to the plan.
TAHAP = ["rancangan_awal", "rancangan", "musrenbang"]  # the RKPD stages in which proposals are written
ALUR = [
    {"jenis": "musrenbang", "versi": "permendagri-86-2017", "dasar_hukum": "Permendagri 86/2017 Pasal 78",
     "berlaku_mulai": 2018, "tahap": TAHAP, "tingkat": [
         {"kode": "kecamatan", "nama": "Musrenbang Kecamatan"},
         {"kode": "kabupaten_kota", "nama": "Forum Musrenbang Kabupaten/Kota (Bappeda)"},
         {"kode": "skpd", "nama": "Perangkat Daerah yang membidangi"}]},
    {"jenis": "pokir", "versi": "permendagri-86-2017", "dasar_hukum": "Permendagri 86/2017 Pasal 78; PP 12/2018 Pasal 54",
     "berlaku_mulai": 2018, "tahap": TAHAP, "tingkat": [
         {"kode": "bappeda", "nama": "Verifikasi Bappeda"},
         {"kode": "skpd", "nama": "Perangkat Daerah yang membidangi"}]},
]


def upgrade() -> None:
    alur = op.create_table(
        "alur_usulan",
        sa.Column("jenis", sa.String(20), primary_key=True),
        sa.Column("versi", sa.String(60), primary_key=True),
        sa.Column("dasar_hukum", sa.Text, nullable=False),
        sa.Column("berlaku_mulai", sa.SmallInteger, nullable=False),
        sa.Column("tingkat", JSONB, nullable=False),
        sa.Column("tahap", JSONB, nullable=False),
    )
    op.bulk_insert(alur, ALUR)
    op.create_table(
        "usulan",
        sa.Column("id", UUID(as_uuid=False), primary_key=True),
        sa.Column("kode_pemda", sa.String(10), nullable=False),
        sa.Column("tahun", sa.SmallInteger, nullable=False),
        sa.Column("jenis", sa.String(20), nullable=False),
        sa.Column("pengusul", sa.String(100), nullable=False),
        sa.Column("dibuat_oleh", sa.String(64), nullable=False),
        sa.Column("kode_desa", sa.String(20)),
        sa.Column("fraksi", sa.String(100)),
        sa.Column("dapil", sa.String(100)),
        sa.Column("masalah", sa.Text, nullable=False),
        sa.Column("uraian", sa.Text, nullable=False),
        sa.Column("kode_sub_kegiatan", sa.String(30)),
        sa.Column("kode_skpd", sa.String(40), nullable=False),
        sa.Column("lokasi", ARRAY(sa.String(20)), nullable=False, server_default="{}"),
        sa.Column("volume", sa.Numeric(16, 4), nullable=False),
        sa.Column("satuan", sa.Text, nullable=False),
        sa.Column("anggaran", sa.Numeric(17, 2), nullable=False),
        sa.Column("versi_alur", sa.String(60), nullable=False),
        sa.Column("alur", JSONB, nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("tingkat", sa.String(40)),
        sa.Column("alasan", sa.Text),
        sa.Column("rkpd_id", UUID(as_uuid=False)),
        sa.Column("riwayat", JSONB, nullable=False, server_default="[]"),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.text("now()")),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.text("now()")),
    )
    op.create_index("usulan_scope", "usulan", ["kode_pemda", "tahun", "jenis", "status"])
    op.create_index("usulan_rkpd", "usulan", ["rkpd_id"])


def downgrade() -> None:
    op.drop_table("usulan")
    op.drop_table("alur_usulan")
