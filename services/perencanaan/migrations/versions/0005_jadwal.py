"""perencanaan: schedule windows (jadwal) of the planning documents, the decrees' stage lists (data with a
version), and the snapshots a lock takes, which the database refuses to change or delete

Revision ID: 0005_jadwal
Revises: rpjmd_renstra
"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB, UUID

revision = "0005_jadwal"
down_revision = "rpjmd_renstra"
branch_labels = None
depends_on = None

# The RKPD's stages as Permendagri 86/2017 names them (DOMAIN-DETAIL A; the order is medium-high
# confidence, the deadline unverified: both are data, so a later decree is a new row, not new code).
# Penetapan by the end of June of N-1; perubahan is optional and scheduled when needed.
RKPD_86_2017 = [
    {"kode": "rancangan_awal", "nama": "Rancangan Awal RKPD", "urutan": 1},
    {"kode": "rancangan", "nama": "Rancangan RKPD", "urutan": 2},
    {"kode": "musrenbang", "nama": "Musrenbang RKPD", "urutan": 3},
    {"kode": "rancangan_akhir", "nama": "Rancangan Akhir RKPD", "urutan": 4},
    {"kode": "penetapan", "nama": "Penetapan RKPD", "urutan": 5, "menetapkan": True,
     "batas_bulan": 6, "batas_tahun": -1},
    {"kode": "perubahan", "nama": "Perubahan RKPD", "urutan": 6, "menetapkan": True, "perubahan": True,
     "opsional": True},
]

_IMMUTABLE = """
CREATE FUNCTION jadwal_snapshot_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'a snapshot never changes (jadwal_snapshot %)', OLD.id USING ERRCODE = 'integrity_constraint_violation';
END $$;
CREATE TRIGGER jadwal_snapshot_immutable BEFORE UPDATE OR DELETE ON jadwal_snapshot
    FOR EACH ROW EXECUTE FUNCTION jadwal_snapshot_immutable();
CREATE TRIGGER jadwal_snapshot_no_truncate BEFORE TRUNCATE ON jadwal_snapshot
    FOR EACH STATEMENT EXECUTE FUNCTION jadwal_snapshot_immutable();
"""


def upgrade() -> None:
    tahapan = op.create_table(
        "tahapan",
        sa.Column("dokumen", sa.String(20), primary_key=True),
        sa.Column("versi", sa.String(60), primary_key=True),
        sa.Column("dasar_hukum", sa.Text, nullable=False),
        sa.Column("berlaku_mulai", sa.SmallInteger, nullable=False),
        sa.Column("tahap", JSONB, nullable=False),
    )
    op.bulk_insert(tahapan, [{
        "dokumen": "rkpd", "versi": "permendagri-86-2017", "dasar_hukum": "Permendagri 86/2017",
        "berlaku_mulai": 2018,
        "tahap": [{"menetapkan": False, "perubahan": False, "opsional": False, "batas_bulan": None,
                   "batas_tahun": None, **t} for t in RKPD_86_2017]}])
    op.create_table(
        "jadwal",
        sa.Column("id", UUID(as_uuid=False), primary_key=True),
        sa.Column("kode_pemda", sa.String(10), nullable=False),
        sa.Column("dokumen", sa.String(20), nullable=False),
        sa.Column("tahun", sa.SmallInteger, nullable=False),
        sa.Column("versi_tahapan", sa.String(60), nullable=False),
        sa.Column("tahap", JSONB, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.text("now()")),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.text("now()")),
        sa.UniqueConstraint("kode_pemda", "dokumen", "tahun", name="jadwal_per_dokumen_tahun"),
    )
    op.create_table(
        "jadwal_snapshot",
        sa.Column("id", UUID(as_uuid=False), primary_key=True),
        sa.Column("jadwal_id", UUID(as_uuid=False), nullable=False),
        sa.Column("kode_pemda", sa.String(10), nullable=False),
        sa.Column("dokumen", sa.String(20), nullable=False),
        sa.Column("tahun", sa.SmallInteger, nullable=False),
        sa.Column("kode_tahap", sa.String(40), nullable=False),
        sa.Column("kunci_ke", sa.Integer, nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
        sa.Column("dari_snapshot_id", UUID(as_uuid=False)),
        sa.Column("murni_snapshot_id", UUID(as_uuid=False)),
        sa.Column("items", JSONB, nullable=False),
        sa.Column("ringkasan", JSONB, nullable=False),
        sa.Column("dibuat_oleh", sa.String(100)),
        sa.Column("dibuat_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.text("now()")),
        sa.UniqueConstraint("jadwal_id", "kode_tahap", "kunci_ke", name="jadwal_snapshot_per_kunci"),
    )
    op.create_index("jadwal_snapshot_scope", "jadwal_snapshot", ["kode_pemda", "dokumen", "tahun"])
    op.execute(_IMMUTABLE)


def downgrade() -> None:
    op.drop_table("jadwal_snapshot")
    op.execute("DROP FUNCTION jadwal_snapshot_immutable()")
    op.drop_table("jadwal")
    op.drop_table("tahapan")
