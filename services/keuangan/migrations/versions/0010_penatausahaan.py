"""keuangan: penatausahaan (issue 14) — document numbering counters; SPD, SPP, SPM, SP2D with their lines, the
approvals an SPP needs (SPJ, TU request) and the UP sizes; the spending realisation; receipts (TBP), deposits (STS)
and the realised revenue

Revision ID: penatausahaan
Revises: apbd_perubahan
"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import ARRAY, JSONB, UUID

revision = "penatausahaan"
down_revision = "apbd_perubahan"
branch_labels = None
depends_on = None

MONEY = sa.Numeric(17, 2)


def _id():
    return sa.Column("id", UUID(as_uuid=False), primary_key=True)


def _scope():
    return [sa.Column("kode_pemda", sa.String(10), nullable=False), sa.Column("tahun", sa.SmallInteger, nullable=False),
            sa.Column("kode_skpd", sa.String(40), nullable=False)]


def _tail():
    return [sa.Column("version", sa.Integer, nullable=False),
            sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.text("now()"))]


def _document(name: str, *columns) -> None:
    numbered = [sa.UniqueConstraint("kode_pemda", "nomor", name=f"{name}_nomor")] if any(
        c.name == "nomor" for c in columns) else []  # a number is the pemda's (an SKPD code repeats across pemda)
    op.create_table(name, _id(), *_scope(), *columns, *_tail(), *numbered)
    op.create_index(f"{name}_scope", name, ["kode_pemda", "tahun", "kode_skpd"])


def _lines(name: str, parent: str, key: str, *extra) -> None:
    op.create_table(
        name,
        sa.Column(key, UUID(as_uuid=False), sa.ForeignKey(f"{parent}.id"), primary_key=True),
        sa.Column("kode_sub_kegiatan", sa.String(40), primary_key=True),
        sa.Column("kode_rekening", sa.String(30), primary_key=True),
        sa.Column("nilai", MONEY, nullable=False),
        *extra,
    )


def _realisasi(name: str, *keys) -> None:
    op.create_table(
        name,
        sa.Column("kode_pemda", sa.String(10), primary_key=True),
        sa.Column("tahun", sa.SmallInteger, primary_key=True),
        sa.Column("kode_skpd", sa.String(40), primary_key=True),
        *keys,
        sa.Column("kode_rekening", sa.String(30), primary_key=True),
        sa.Column("jumlah", MONEY, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
    )


def upgrade() -> None:
    op.create_table(
        "penomoran",
        sa.Column("kode_pemda", sa.String(10), primary_key=True),
        sa.Column("tahun", sa.SmallInteger, primary_key=True),
        sa.Column("kode_skpd", sa.String(40), primary_key=True),
        sa.Column("jenis", sa.String(10), primary_key=True),
        sa.Column("terakhir", sa.Integer, nullable=False),
    )
    _document("spd",
              sa.Column("nomor", sa.String(120), nullable=False),
              sa.Column("bulan_mulai", sa.SmallInteger, nullable=False),
              sa.Column("bulan_sampai", sa.SmallInteger, nullable=False),
              sa.Column("status", sa.String(20), nullable=False),
              sa.Column("dibuat_oleh", sa.String(100), nullable=False),
              sa.Column("diotorisasi_oleh", sa.String(100)))
    _lines("spd_baris", "spd", "spd_id", sa.Column("versi_dpa", sa.Integer))
    _document("pengesahan",
              sa.Column("jenis", sa.String(10), nullable=False),
              sa.Column("nilai", MONEY, nullable=False),
              sa.Column("uraian", sa.Text, nullable=False),
              sa.Column("status", sa.String(20), nullable=False),
              sa.Column("dibuat_oleh", sa.String(100), nullable=False),
              sa.Column("disetujui_oleh", sa.String(100)))
    op.create_table(
        "besaran_up",
        sa.Column("kode_pemda", sa.String(10), primary_key=True),
        sa.Column("tahun", sa.SmallInteger, primary_key=True),
        sa.Column("kode_skpd", sa.String(40), primary_key=True),
        sa.Column("besaran", MONEY, nullable=False),
        sa.Column("dasar", sa.Text, nullable=False),
        sa.Column("ditetapkan_oleh", sa.String(100), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.text("now()")),
    )
    _document("spp",
              sa.Column("nomor", sa.String(120), nullable=False),
              sa.Column("jenis", sa.String(2), nullable=False),
              sa.Column("jenis_ls", sa.String(20)),
              sa.Column("spd_id", UUID(as_uuid=False), sa.ForeignKey("spd.id")),
              sa.Column("pengesahan_id", UUID(as_uuid=False), sa.ForeignKey("pengesahan.id")),
              sa.Column("nilai", MONEY, nullable=False),
              sa.Column("status", sa.String(20), nullable=False),
              sa.Column("alasan_tolak", sa.Text),
              sa.Column("kontrak", JSONB),
              sa.Column("bast", JSONB),
              sa.Column("dibuat_oleh", sa.String(100), nullable=False),
              sa.Column("diverifikasi_oleh", sa.String(100)),
              sa.Column("dikembalikan", MONEY, nullable=False, server_default="0"))
    op.create_index("spp_satu_up", "spp", ["kode_pemda", "tahun", "kode_skpd"], unique=True,
                    postgresql_where=sa.text("jenis = 'UP'"))
    op.create_index("spp_spd", "spp", ["spd_id"])
    _lines("spp_baris", "spp", "spp_id")
    _document("spm",
              sa.Column("nomor", sa.String(120), nullable=False),
              sa.Column("spp_id", UUID(as_uuid=False), sa.ForeignKey("spp.id"), nullable=False),
              sa.Column("jenis", sa.String(2), nullable=False),
              sa.Column("nilai", MONEY, nullable=False),
              sa.Column("status", sa.String(20), nullable=False),
              sa.Column("dibuat_oleh", sa.String(100), nullable=False),
              sa.Column("ditandatangani_oleh", sa.String(100)),
              sa.Column("diputus_oleh", sa.String(100)),
              sa.Column("alasan_tolak", sa.Text))
    op.create_index("spm_satu_per_spp", "spm", ["spp_id"], unique=True, postgresql_where=sa.text("status <> 'ditolak'"))
    _document("sp2d",
              sa.Column("nomor", sa.String(120), nullable=False),
              sa.Column("spm_id", UUID(as_uuid=False), sa.ForeignKey("spm.id"), nullable=False, unique=True),
              sa.Column("jenis", sa.String(2), nullable=False),
              sa.Column("nilai", MONEY, nullable=False),
              sa.Column("status", sa.String(20), nullable=False),
              sa.Column("dibuat_oleh", sa.String(100), nullable=False),
              sa.Column("diterbitkan_oleh", sa.String(100)),
              sa.Column("dicairkan_oleh", sa.String(100)))
    _realisasi("realisasi_belanja", sa.Column("kode_sub_kegiatan", sa.String(40), primary_key=True))
    # revenue: deposits first (a receipt names the deposit that holds it)
    op.create_table(
        "sts", _id(), *_scope(),
        sa.Column("nomor", sa.String(120), nullable=False),
        sa.Column("tanggal", sa.Date, nullable=False),
        sa.Column("tbp_ids", ARRAY(UUID(as_uuid=False)), nullable=False),
        sa.Column("nilai", MONEY, nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("dibuat_oleh", sa.String(100), nullable=False),
        sa.Column("divalidasi_oleh", sa.String(100)),
        *_tail(),
        sa.UniqueConstraint("kode_pemda", "nomor", name="sts_nomor"),
    )
    op.create_index("sts_scope", "sts", ["kode_pemda", "tahun", "kode_skpd"])
    op.create_table(
        "tbp", _id(), *_scope(),
        sa.Column("nomor", sa.String(120), nullable=False),
        sa.Column("kode_rekening", sa.String(30), nullable=False),
        sa.Column("nama_rekening", sa.Text, nullable=False),
        sa.Column("tanggal", sa.Date, nullable=False),
        sa.Column("uraian", sa.Text, nullable=False),
        sa.Column("penyetor", sa.String(200), nullable=False),
        sa.Column("nilai", MONEY, nullable=False),
        sa.Column("sts_id", UUID(as_uuid=False), sa.ForeignKey("sts.id")),
        sa.Column("dibuat_oleh", sa.String(100), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.text("now()")),
        sa.UniqueConstraint("kode_pemda", "nomor", name="tbp_nomor"),
    )
    op.create_index("tbp_scope", "tbp", ["kode_pemda", "tahun", "kode_skpd"])
    _realisasi("realisasi_pendapatan")


def downgrade() -> None:
    for name in ("realisasi_pendapatan", "tbp", "sts", "realisasi_belanja", "sp2d", "spm", "spp_baris", "spp",
                 "besaran_up", "pengesahan", "spd_baris", "spd", "penomoran"):
        op.drop_table(name)
