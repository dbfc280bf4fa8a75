"""pemerintahan: the LPPD — its rules (due date, indicator list) and indicator lists as versioned, seeded
data, the reports per pemda and year; the plan's read model keeps what the LPPD reports of each item
(name, indicator, target, unit)

Revision ID: lppd
Revises: nasional
"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "lppd"
down_revision = "nasional"
branch_labels = None
depends_on = None

INDIKATOR = "lppd-permendagri-19-2024"
# The macro indicators of Permendagri 19/2024 (DOMAIN-DETAIL D) and, per urusan, a first IKK each for the
# bidang urusan the plan uses most; the decree's full IKK list is loaded as a new version of this list.
ROWS = [
    ("IPM", "Indeks Pembangunan Manusia", "makro", None, "indeks", "positif"),
    ("KEMISKINAN", "Persentase penduduk miskin", "makro", None, "%", "negatif"),
    ("TPT", "Tingkat pengangguran terbuka", "makro", None, "%", "negatif"),
    ("PERTUMBUHAN", "Laju pertumbuhan ekonomi", "makro", None, "%", "positif"),
    ("PDRB_KAPITA", "PDRB per kapita atas dasar harga berlaku", "makro", None, "rupiah", "positif"),
    ("GINI", "Rasio gini", "makro", None, "indeks", "negatif"),
    ("IKK_1.01_APM", "Angka partisipasi murni pendidikan dasar", "ikk", "1.01", "%", "positif"),
    ("IKK_1.02_PERSALINAN", "Persentase persalinan di fasilitas kesehatan", "ikk", "1.02", "%", "positif"),
    ("IKK_1.03_JALAN", "Persentase jalan dalam kondisi mantap", "ikk", "1.03", "%", "positif"),
]


def upgrade() -> None:
    for name, type_ in (("nama_sub_kegiatan", sa.Text), ("indikator", sa.Text), ("target", sa.Numeric(16, 4)),
                        ("satuan", sa.String(100))):
        op.add_column("rencana", sa.Column(name, type_))
    aturan = op.create_table(
        "lppd_aturan",
        sa.Column("versi", sa.String(60), primary_key=True),
        sa.Column("berlaku_mulai", sa.SmallInteger, nullable=False),
        sa.Column("batas_bulan", sa.SmallInteger, nullable=False),
        sa.Column("versi_indikator", sa.String(60), nullable=False),
        sa.Column("dasar_hukum", sa.Text, nullable=False),
    )
    indikator = op.create_table(
        "lppd_indikator",
        sa.Column("versi", sa.String(60), nullable=False),
        sa.Column("kode", sa.String(30), nullable=False),
        sa.Column("nama", sa.Text, nullable=False),
        sa.Column("jenis", sa.String(10), nullable=False),
        sa.Column("kode_urusan", sa.String(10)),
        sa.Column("satuan", sa.String(60), nullable=False),
        sa.Column("polaritas", sa.String(10), nullable=False),
        sa.Column("urutan", sa.SmallInteger, nullable=False),
        sa.PrimaryKeyConstraint("versi", "kode"),
    )
    op.bulk_insert(aturan, [{"versi": "permendagri-19-2024", "berlaku_mulai": 2000, "batas_bulan": 3,
                             "versi_indikator": INDIKATOR,
                             "dasar_hukum": "PP 13/2019 (due 3 months after the year ends); Permendagri 19/2024"}])
    op.bulk_insert(indikator, [{"versi": INDIKATOR, "kode": k, "nama": n, "jenis": j, "kode_urusan": u, "satuan": s,
                                "polaritas": p, "urutan": i} for i, (k, n, j, u, s, p) in enumerate(ROWS, 1)])
    op.create_table(
        "lppd",
        sa.Column("kode_pemda", sa.String(10), nullable=False),
        sa.Column("tahun", sa.SmallInteger, nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("versi_aturan", sa.String(60), nullable=False),
        sa.Column("isi", JSONB, nullable=False),
        sa.Column("indikator", JSONB, nullable=False),
        sa.Column("hash", sa.String(64)),
        sa.Column("diajukan_pada", sa.Date),
        sa.Column("riwayat", JSONB, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.text("now()")),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.text("now()")),
        sa.PrimaryKeyConstraint("kode_pemda", "tahun"),
    )


def downgrade() -> None:
    for table in ("lppd", "lppd_indikator", "lppd_aturan"):
        op.drop_table(table)
    for name in ("satuan", "target", "indikator", "nama_sub_kegiatan"):
        op.drop_column("rencana", name)
