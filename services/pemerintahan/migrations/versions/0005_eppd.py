"""pemerintahan: EPPD — the indicator sets with their weights and the status bands (data with a version,
seeded), the rounds per year, the teams' scores and the tidak dinilai / nihil flags

Revision ID: eppd
Revises: perda
"""
import sqlalchemy as sa
from alembic import op

revision = "eppd"
down_revision = "perda"
branch_labels = None
depends_on = None

# The EPPD's indicator set and weights are set by Kepmendagri each year (2022 used 126 indicators); the
# published decrees were not at hand, so this first set groups the LPPD's aspects (PP 13/2019 art. 25;
# Permendagri 19/2024) with illustrative weights. A decree's own set is a new version, not new code.
DASAR = "PP 13/2019 art. 25; aspects of Permendagri 19/2024 (weights illustrative: decree not at hand)"
INDIKATOR = [
    ("MAKRO", "Capaian indikator kinerja makro (IPM, kemiskinan, pengangguran, pertumbuhan ekonomi, PDRB per "
              "kapita, ketimpangan)", "30"),
    ("WAJIB_DASAR", "Capaian IKK urusan wajib pelayanan dasar", "25"),
    ("WAJIB_NON_DASAR", "Capaian IKK urusan wajib bukan pelayanan dasar", "20"),
    ("PILIHAN", "Capaian IKK urusan pilihan", "15"),
    ("PENUNJANG", "Capaian IKK urusan penunjang dan tugas umum pemerintahan", "10"),
]
# Cut-offs are not published (DOMAIN-DETAIL D): these bands agree with every observed anchor (0.38 sangat
# rendah, 2.95 sedang, 3.43–3.68 tinggi) and are configurable by a new version.
BANDS = [("sangat_tinggi", "3.75"), ("tinggi", "3.00"), ("sedang", "2.00"), ("rendah", "1.00"),
         ("sangat_rendah", "0")]
BANDS_DASAR = "Kepmendagri 100.2.1.7-6646/2023 statuses; cut-offs inferred from published results"


def upgrade() -> None:
    indikator = op.create_table(
        "eppd_indikator",
        sa.Column("versi", sa.String(60), nullable=False),
        sa.Column("kode", sa.String(30), nullable=False),
        sa.Column("nama", sa.Text, nullable=False),
        sa.Column("bobot", sa.Numeric(9, 4), nullable=False),
        sa.Column("urutan", sa.SmallInteger, nullable=False),
        sa.Column("dasar_hukum", sa.Text, nullable=False),
        sa.PrimaryKeyConstraint("versi", "kode"),
    )
    band = op.create_table(
        "eppd_band",
        sa.Column("versi", sa.String(60), nullable=False),
        sa.Column("status", sa.String(30), nullable=False),
        sa.Column("batas_bawah", sa.Numeric(6, 4), nullable=False),
        sa.Column("dasar_hukum", sa.Text, nullable=False),
        sa.PrimaryKeyConstraint("versi", "status"),
    )
    op.bulk_insert(indikator, [{"versi": "eppd-2025", "kode": kode, "nama": nama, "bobot": bobot, "urutan": i,
                                "dasar_hukum": DASAR} for i, (kode, nama, bobot) in enumerate(INDIKATOR, 1)])
    op.bulk_insert(band, [{"versi": "eppd-2025", "status": status, "batas_bawah": batas, "dasar_hukum": BANDS_DASAR}
                          for status, batas in BANDS])
    op.create_table(
        "eppd_ronde",
        sa.Column("tahun", sa.SmallInteger, primary_key=True),
        sa.Column("versi_indikator", sa.String(60), nullable=False),
        sa.Column("versi_band", sa.String(60), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.text("now()")),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.text("now()")),
    )
    op.create_table(
        "eppd_nilai",
        sa.Column("tahun", sa.SmallInteger, nullable=False),
        sa.Column("kode_pemda", sa.String(10), nullable=False),
        sa.Column("kode_indikator", sa.String(30), nullable=False),
        sa.Column("skor", sa.Numeric(5, 2), nullable=False),
        sa.Column("penilai", sa.String(100), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.text("now()")),
        sa.PrimaryKeyConstraint("tahun", "kode_pemda", "kode_indikator"),
    )
    op.create_table(
        "eppd_khusus",
        sa.Column("tahun", sa.SmallInteger, nullable=False),
        sa.Column("kode_pemda", sa.String(10), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("alasan", sa.Text, nullable=False),
        sa.Column("penilai", sa.String(100), nullable=False),
        sa.PrimaryKeyConstraint("tahun", "kode_pemda"),
    )


def downgrade() -> None:
    for table in ("eppd_khusus", "eppd_nilai", "eppd_ronde", "eppd_band", "eppd_indikator"):
        op.drop_table(table)
