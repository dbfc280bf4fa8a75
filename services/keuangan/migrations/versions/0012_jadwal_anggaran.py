"""keuangan: the budget's schedule windows — the decree's budget stages as data with a version
(``tahapan_anggaran``, seeded), one pemda-year's schedule (``jadwal_anggaran``) and the snapshots its locked stages
keep (``jadwal_anggaran_snapshot``: a trigger refuses any change or deletion)

Revision ID: jadwal_anggaran
Revises: lra
"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB, UUID

revision = "jadwal_anggaran"
down_revision = "lra"
branch_labels = None
depends_on = None

TAHAPAN = [{
    "versi": "permendagri-77-2020", "berlaku_mulai": 2000,  # every year the API takes, until a later decree (a row)
    "dasar_hukum": "PP 12/2019 Pasal 89–106, 161; Permendagri 77/2020 (tahapan penyusunan APBD); "
                   "the windows are the pemda's, from the yearly Permendagri pedoman penyusunan APBD",
    "tahap": [
        {"kode": "ppas", "nama": "KUA-PPAS (penyesuaian sampai nota kesepakatan)", "urutan": 1, "opsional": False},
        {"kode": "rka", "nama": "Penyusunan RKA-SKPD / RKA-PPKD", "urutan": 2, "opsional": False},
        {"kode": "rapbd", "nama": "Rancangan APBD (pengajuan, evaluasi, penetapan)", "urutan": 3, "opsional": False},
        {"kode": "apbd_p", "nama": "APBD Perubahan", "urutan": 4, "opsional": True},
    ],
}]

TRIGGERS = """
CREATE FUNCTION jadwal_anggaran_snapshot_tetap() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'a budget stage''s snapshot never changes (jadwal_anggaran_snapshot %)', OLD.id
        USING ERRCODE = 'integrity_constraint_violation';
END $$;
CREATE TRIGGER jadwal_anggaran_snapshot_tetap BEFORE UPDATE OR DELETE ON jadwal_anggaran_snapshot
    FOR EACH ROW EXECUTE FUNCTION jadwal_anggaran_snapshot_tetap();
CREATE FUNCTION jadwal_anggaran_snapshot_no_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'a budget stage''s snapshot never changes (jadwal_anggaran_snapshot)'
        USING ERRCODE = 'integrity_constraint_violation';
END $$;
CREATE TRIGGER jadwal_anggaran_snapshot_no_truncate BEFORE TRUNCATE ON jadwal_anggaran_snapshot
    FOR EACH STATEMENT EXECUTE FUNCTION jadwal_anggaran_snapshot_no_truncate();
"""


def upgrade() -> None:
    tahapan = op.create_table(
        "tahapan_anggaran",
        sa.Column("versi", sa.String(60), primary_key=True),
        sa.Column("dasar_hukum", sa.Text, nullable=False),
        sa.Column("berlaku_mulai", sa.SmallInteger, nullable=False),
        sa.Column("tahap", JSONB, nullable=False),
    )
    op.bulk_insert(tahapan, TAHAPAN)
    op.create_table(
        "jadwal_anggaran",
        sa.Column("id", UUID(as_uuid=False), primary_key=True),
        sa.Column("kode_pemda", sa.String(10), nullable=False),
        sa.Column("tahun", sa.SmallInteger, nullable=False),
        sa.Column("versi_tahapan", sa.String(60), nullable=False),
        sa.Column("tahap", JSONB, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.text("now()")),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.text("now()")),
        sa.UniqueConstraint("kode_pemda", "tahun", name="jadwal_anggaran_per_tahun"),
    )
    op.create_table(
        "jadwal_anggaran_snapshot",
        sa.Column("id", UUID(as_uuid=False), primary_key=True),
        sa.Column("jadwal_id", UUID(as_uuid=False), nullable=False),
        sa.Column("kode_pemda", sa.String(10), nullable=False),
        sa.Column("tahun", sa.SmallInteger, nullable=False),
        sa.Column("kode_tahap", sa.String(20), nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
        sa.Column("isi", JSONB, nullable=False),
        sa.Column("dibuat_oleh", sa.String(100)),
        sa.Column("dibuat_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.text("now()")),
        sa.UniqueConstraint("jadwal_id", "kode_tahap", name="jadwal_anggaran_snapshot_per_tahap"),
    )
    op.execute(TRIGGERS)


def downgrade() -> None:
    op.drop_table("jadwal_anggaran_snapshot")
    op.execute("DROP FUNCTION jadwal_anggaran_snapshot_tetap(); DROP FUNCTION jadwal_anggaran_snapshot_no_truncate()")
    op.drop_table("jadwal_anggaran")
    op.drop_table("tahapan_anggaran")
