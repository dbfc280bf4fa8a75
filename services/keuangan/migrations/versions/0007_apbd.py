"""keuangan: the APBD — revenue targets and financing lines, the APBD's state and evaluations, the APBD as
enacted (never changed: a trigger refuses it), and the legal ratios' rule table seeded with today's rules

Revision ID: apbd
Revises: rka_ppas
"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB, UUID

revision = "apbd"
down_revision = "rka_ppas"
branch_labels = None
depends_on = None

IMMUTABLE = """
CREATE FUNCTION apbd_ditetapkan_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'an enacted APBD never changes (apbd_ditetapkan %/%)', OLD.kode_pemda, OLD.tahun
        USING ERRCODE = 'integrity_constraint_violation';
END $$;
CREATE TRIGGER apbd_ditetapkan_immutable BEFORE UPDATE OR DELETE ON apbd_ditetapkan
    FOR EACH ROW EXECUTE FUNCTION apbd_ditetapkan_immutable();
CREATE TRIGGER apbd_ditetapkan_no_truncate BEFORE TRUNCATE ON apbd_ditetapkan
    FOR EACH STATEMENT EXECUTE FUNCTION apbd_ditetapkan_immutable();
"""

# The legal ratios as of this migration (DOMAIN-DETAIL E). A decree that changes one is a new row with a later
# tahun_dari (or a new rule), not a code change. Selectors count spending (belanja) lines: ``akun`` account
# prefixes, ``kecuali_akun`` prefixes left out, ``bidang_urusan`` the sub kegiatan's bidang urusan.
RASIO = [
    {"kode": "belanja_pegawai", "tahun_dari": 2000, "urutan": 1, "nama": "Belanja pegawai",
     "pembilang": {"akun": ["5.1.01"]}, "penyebut": {"akun": ["5"]}, "op": "<=", "ambang": "30", "wajib_mulai": 2027,
     "dasar_hukum": "UU 1/2022 Pasal 146 (paling tinggi 30% dari total belanja APBD, di luar tunjangan guru dari TKD; "
                    "penyesuaian 5 tahun: wajib mulai TA 2027)"},
    {"kode": "infrastruktur_pelayanan_publik", "tahun_dari": 2000, "urutan": 2,
     "nama": "Belanja infrastruktur pelayanan publik",
     "pembilang": {"akun": ["5.2.03", "5.2.04", "5.2.05"]}, "penyebut": {"akun": ["5"], "kecuali_akun": ["5.4"]},
     "op": ">=", "ambang": "40", "wajib_mulai": 2027,
     "dasar_hukum": "UU 1/2022 Pasal 147 (paling rendah 40% dari total belanja di luar bagi hasil dan/atau transfer; "
                    "wajib mulai TA 2027). Pembilang: belanja modal 5.2.03-5.2.05, pendekatan bukan daftar resmi"},
    {"kode": "fungsi_pendidikan", "tahun_dari": 2000, "urutan": 3, "nama": "Belanja fungsi pendidikan",
     "pembilang": {"akun": ["5"], "bidang_urusan": ["1.01"]}, "penyebut": {"akun": ["5"]},
     "op": ">=", "ambang": "20", "wajib_mulai": 2000,
     "dasar_hukum": "UUD 1945 Pasal 31 ayat (4); UU 20/2003 Pasal 49. Pembilang: bidang urusan 1.01 (pendidikan) "
                    "sebagai fungsi pendidikan"},
    {"kode": "kesehatan", "tahun_dari": 2000, "urutan": 4, "nama": "Belanja kesehatan (informasi)",
     "pembilang": {"akun": ["5"], "bidang_urusan": ["1.02"]}, "penyebut": {"akun": ["5"]},
     "op": None, "ambang": None, "wajib_mulai": None,
     "dasar_hukum": "UU 17/2023 menghapus mandatory spending kesehatan; dilaporkan sebagai informasi"},
]


def upgrade() -> None:
    op.create_table(
        "pendapatan_pembiayaan",
        sa.Column("id", UUID(as_uuid=False), primary_key=True),
        sa.Column("kode_pemda", sa.String(10), nullable=False),
        sa.Column("tahun", sa.SmallInteger, nullable=False),
        sa.Column("jenis", sa.String(30), nullable=False),
        sa.Column("kode_skpd", sa.String(40), nullable=False),
        sa.Column("kode_rekening", sa.String(30), nullable=False),
        sa.Column("nama_rekening", sa.Text, nullable=False),
        sa.Column("uraian", sa.Text, nullable=False),
        sa.Column("jumlah", sa.Numeric(17, 2), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.text("now()")),
    )
    op.create_index("pendapatan_pembiayaan_scope", "pendapatan_pembiayaan", ["kode_pemda", "tahun", "jenis"])
    op.create_table(
        "apbd",
        sa.Column("kode_pemda", sa.String(10), primary_key=True),
        sa.Column("tahun", sa.SmallInteger, primary_key=True),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("hasil_evaluasi", sa.String(20)),
        sa.Column("evaluasi", JSONB, nullable=False, server_default="[]"),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.text("now()")),
    )
    op.create_table(
        "apbd_ditetapkan",
        sa.Column("kode_pemda", sa.String(10), primary_key=True),
        sa.Column("tahun", sa.SmallInteger, primary_key=True),
        sa.Column("nomor_perda", sa.String(200), nullable=False),
        sa.Column("tanggal_perda", sa.Date, nullable=False),
        sa.Column("nomor_perkada", sa.String(200), nullable=False),
        sa.Column("tanggal_perkada", sa.Date, nullable=False),
        sa.Column("isi", JSONB, nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
        sa.Column("ditetapkan_oleh", sa.String(100), nullable=False),
        sa.Column("ditetapkan_pada", sa.DateTime(timezone=True), nullable=False, server_default=sa.text("now()")),
    )
    op.execute(IMMUTABLE)
    rasio = op.create_table(
        "rasio_wajib",
        sa.Column("kode", sa.String(40), primary_key=True),
        sa.Column("tahun_dari", sa.SmallInteger, primary_key=True),
        sa.Column("nama", sa.Text, nullable=False),
        sa.Column("pembilang", JSONB, nullable=False),
        sa.Column("penyebut", JSONB, nullable=False),
        sa.Column("op", sa.String(2)),
        sa.Column("ambang", sa.Numeric(7, 4)),
        sa.Column("wajib_mulai", sa.SmallInteger),
        sa.Column("dasar_hukum", sa.Text, nullable=False),
        sa.Column("urutan", sa.SmallInteger, nullable=False, server_default="0"),
    )
    op.bulk_insert(rasio, RASIO)


def downgrade() -> None:
    op.drop_table("rasio_wajib")
    op.drop_table("apbd_ditetapkan")
    op.execute("DROP FUNCTION apbd_ditetapkan_immutable()")
    op.drop_table("apbd")
    op.drop_index("pendapatan_pembiayaan_scope", "pendapatan_pembiayaan")
    op.drop_table("pendapatan_pembiayaan")
