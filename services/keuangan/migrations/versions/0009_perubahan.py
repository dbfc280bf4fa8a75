"""keuangan: the APBD-P and the pergeseran — the budget positions of an enacted APBD (murni never changes: a trigger
refuses it), the APBD-P of a pemda-year (never changes once enacted), every shift (append-only), and the authority
of each kind of shift as a rule table seeded with today's rules; the replica of the nomenclature keeps the urusan,
bidang urusan and program too (their names for the APBD's summaries: ``tingkat``), refilled from referensi's
snapshot after this migration (its stream position is marked as having a gap; the records held stay usable)

Revision ID: apbd_perubahan
Revises: dpa
"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB, UUID

revision = "apbd_perubahan"
down_revision = "dpa"
branch_labels = None
depends_on = None

TRIGGERS = """
CREATE FUNCTION anggaran_pos_murni_tetap() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' OR NEW.murni IS DISTINCT FROM OLD.murni THEN
        RAISE EXCEPTION 'the murni (enacted) budget never changes (anggaran_pos %)', OLD.id
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER anggaran_pos_murni_tetap BEFORE UPDATE OR DELETE ON anggaran_pos
    FOR EACH ROW EXECUTE FUNCTION anggaran_pos_murni_tetap();

CREATE FUNCTION apbd_perubahan_tetap() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' OR OLD.status = 'ditetapkan' THEN
        RAISE EXCEPTION 'an enacted APBD-P never changes (apbd_perubahan %/%)', OLD.kode_pemda, OLD.tahun
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER apbd_perubahan_tetap BEFORE UPDATE OR DELETE ON apbd_perubahan
    FOR EACH ROW EXECUTE FUNCTION apbd_perubahan_tetap();

CREATE FUNCTION pergeseran_anggaran_tetap() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'a recorded pergeseran never changes (pergeseran_anggaran %)', OLD.id
        USING ERRCODE = 'integrity_constraint_violation';
END $$;
CREATE TRIGGER pergeseran_anggaran_tetap BEFORE UPDATE OR DELETE ON pergeseran_anggaran
    FOR EACH ROW EXECUTE FUNCTION pergeseran_anggaran_tetap();
"""

# Who may approve a pergeseran (Permendagri 77/2020 and PP 12/2019 Pasal 163, as issue 13 states them). A decree's
# change is a new row with a later tahun_dari, not code. A shift no row covers (another jenis, another sub kegiatan
# or SKPD) is made only in the APBD-P.
KEWENANGAN = [
    {"kode": "antar_sub_rincian_objek", "tahun_dari": 2000, "urutan": 1, "tingkat_sama": 5, "sub_kegiatan_sama": True,
     "nama": "Antar sub rincian objek dalam satu rincian objek", "peran": ["ppkd", "sekda"],
     "dasar_hukum": "PP 12/2019 Pasal 163; Permendagri 77/2020 (persetujuan PPKD)"},
    {"kode": "antar_objek", "tahun_dari": 2000, "urutan": 2, "tingkat_sama": 3, "sub_kegiatan_sama": True,
     "nama": "Antar objek dalam satu jenis", "peran": ["sekda"],
     "dasar_hukum": "PP 12/2019 Pasal 163; Permendagri 77/2020 (persetujuan Sekretaris Daerah)"},
]


def upgrade() -> None:
    op.create_table(
        "anggaran_pos",
        sa.Column("id", UUID(as_uuid=False), primary_key=True),
        sa.Column("kode_pemda", sa.String(10), nullable=False),
        sa.Column("tahun", sa.SmallInteger, nullable=False),
        sa.Column("kode_skpd", sa.String(40), nullable=False),
        sa.Column("rkpd_id", sa.String(36), nullable=False, server_default=""),
        sa.Column("kode_sub_kegiatan", sa.String(30), nullable=False, server_default=""),
        sa.Column("kode_rekening", sa.String(30), nullable=False),
        sa.Column("murni", sa.Numeric(30, 6), nullable=False),
        sa.Column("jumlah", sa.Numeric(30, 6), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.text("now()")),
        sa.UniqueConstraint("kode_pemda", "tahun", "kode_skpd", "rkpd_id", "kode_rekening", name="anggaran_pos_kunci"),
    )
    op.create_table(
        "apbd_perubahan",
        sa.Column("kode_pemda", sa.String(10), primary_key=True),
        sa.Column("tahun", sa.SmallInteger, primary_key=True),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("dibuka_oleh", sa.String(100), nullable=False),
        sa.Column("dibuka_pada", sa.DateTime(timezone=True), nullable=False, server_default=sa.text("now()")),
        sa.Column("nomor_perda", sa.String(200)),
        sa.Column("tanggal_perda", sa.Date),
        sa.Column("nomor_perkada", sa.String(200)),
        sa.Column("tanggal_perkada", sa.Date),
        sa.Column("isi", JSONB),
        sa.Column("hash", sa.String(64)),
        sa.Column("ditetapkan_oleh", sa.String(100)),
        sa.Column("ditetapkan_pada", sa.DateTime(timezone=True)),
    )
    op.create_table(
        "pergeseran_anggaran",
        sa.Column("id", UUID(as_uuid=False), primary_key=True),
        sa.Column("kode_pemda", sa.String(10), nullable=False),
        sa.Column("tahun", sa.SmallInteger, nullable=False),
        sa.Column("kode_skpd", sa.String(40), nullable=False),
        sa.Column("dari_pos_id", UUID(as_uuid=False), nullable=False),
        sa.Column("ke_pos_id", UUID(as_uuid=False), nullable=False),
        sa.Column("dari_rkpd_id", sa.String(36), nullable=False),
        sa.Column("dari_rekening", sa.String(30), nullable=False),
        sa.Column("ke_rkpd_id", sa.String(36), nullable=False),
        sa.Column("ke_rekening", sa.String(30), nullable=False),
        sa.Column("jumlah", sa.Numeric(30, 6), nullable=False),
        sa.Column("alasan", sa.Text, nullable=False),
        sa.Column("kewenangan", sa.String(40), nullable=False),
        sa.Column("oleh", sa.String(100), nullable=False),
        sa.Column("peran", sa.String(30), nullable=False),
        sa.Column("pada", sa.DateTime(timezone=True), nullable=False, server_default=sa.text("now()")),
    )
    op.create_index("pergeseran_anggaran_scope", "pergeseran_anggaran", ["kode_pemda", "tahun", "kode_skpd"])
    op.execute(TRIGGERS)
    kewenangan = op.create_table(
        "kewenangan_pergeseran",
        sa.Column("kode", sa.String(40), primary_key=True),
        sa.Column("tahun_dari", sa.SmallInteger, primary_key=True),
        sa.Column("nama", sa.Text, nullable=False),
        sa.Column("tingkat_sama", sa.SmallInteger, nullable=False),
        sa.Column("sub_kegiatan_sama", sa.Boolean, nullable=False),
        sa.Column("peran", JSONB, nullable=False),
        sa.Column("dasar_hukum", sa.Text, nullable=False),
        sa.Column("urutan", sa.SmallInteger, nullable=False, server_default="0"),
    )
    op.bulk_insert(kewenangan, KEWENANGAN)
    op.add_column("replika_sub_kegiatan", sa.Column("tingkat", sa.String(20), nullable=False,
                                                    server_default="sub_kegiatan"))
    # the levels above the sub kegiatan come with the next fill (sipd_common.replica: a gap older than the grace)
    op.execute("UPDATE replika_posisi SET celah_sejak = now() - interval '1 day' WHERE kind = 'nomenklatur'")


def downgrade() -> None:
    op.execute("DELETE FROM replika_sub_kegiatan WHERE tingkat <> 'sub_kegiatan'")
    op.drop_column("replika_sub_kegiatan", "tingkat")
    op.drop_table("kewenangan_pergeseran")
    op.drop_index("pergeseran_anggaran_scope", "pergeseran_anggaran")
    op.drop_table("pergeseran_anggaran")
    op.drop_table("apbd_perubahan")
    op.drop_table("anggaran_pos")
    for fn in ("anggaran_pos_murni_tetap", "apbd_perubahan_tetap", "pergeseran_anggaran_tetap"):
        op.execute(f"DROP FUNCTION {fn}()")
