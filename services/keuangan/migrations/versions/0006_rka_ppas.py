"""keuangan: KUA-PPAS (ppas, ppas_pagu), funding-source ceilings and the agreed ceiling beside the plan's on
plafon, the RKA-SKPD line's columns on rincian (defaults keep existing lines valid), TAPD's verification notes

Revision ID: rka_ppas
Revises: 0005_idempotent_call
"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB, UUID

revision = "rka_ppas"
down_revision = "0005_idempotent_call"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("plafon", sa.Column("sumber_dana", JSONB, nullable=False, server_default="{}"))
    op.add_column("plafon", sa.Column("total_sumber_dana", JSONB, nullable=False, server_default="{}"))
    op.add_column("plafon", sa.Column("pagu_rencana", sa.Numeric(17, 2), nullable=False, server_default="0"))
    op.add_column("plafon", sa.Column("sumber_dana_rencana", JSONB, nullable=False, server_default="{}"))
    op.add_column("plafon", sa.Column("disepakati", sa.Boolean, nullable=False, server_default=sa.false()))
    op.add_column("plafon", sa.Column("pergeseran_ditolak", sa.Integer, nullable=False, server_default="0"))
    op.execute("UPDATE plafon SET pagu_rencana = pagu")  # before any agreement, the plan's figure is the ceiling

    op.add_column("rincian", sa.Column("kelompok", sa.Text, nullable=False, server_default=""))
    op.add_column("rincian", sa.Column("keterangan", sa.Text, nullable=False, server_default=""))
    op.add_column("rincian", sa.Column("kode_standar_harga", sa.String(60)))
    op.add_column("rincian", sa.Column("spesifikasi", sa.Text))
    op.add_column("rincian", sa.Column("koefisien", JSONB, nullable=False, server_default="[]"))
    op.add_column("rincian", sa.Column("koefisien_teks", sa.Text, nullable=False, server_default=""))
    op.add_column("rincian", sa.Column("pajak", sa.Numeric(5, 2), nullable=False, server_default="0"))
    op.add_column("rincian", sa.Column("kode_sumber_dana", sa.String(30)))
    op.add_column("rincian", sa.Column("penerima", JSONB))

    op.create_table(
        "ppas",
        sa.Column("kode_pemda", sa.String(10), primary_key=True),
        sa.Column("tahun", sa.SmallInteger, primary_key=True),
        sa.Column("snapshot_id", sa.String(60), nullable=False),
        sa.Column("rkpd_versi", sa.Integer, nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("nomor_kesepakatan", sa.Text),
        sa.Column("tanggal_kesepakatan", sa.Date),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.text("now()")),
    )
    op.create_table(
        "ppas_pagu",
        sa.Column("kode_pemda", sa.String(10), nullable=False),
        sa.Column("tahun", sa.SmallInteger, nullable=False),
        sa.Column("tingkat", sa.String(20), nullable=False),
        sa.Column("kode_skpd", sa.String(40), nullable=False),
        sa.Column("kode", sa.String(40), nullable=False),
        sa.Column("pagu_rkpd", sa.Numeric(17, 2), nullable=False),
        sa.Column("pagu", sa.Numeric(17, 2), nullable=False),
        sa.Column("disesuaikan", sa.Boolean, nullable=False),
        sa.PrimaryKeyConstraint("kode_pemda", "tahun", "tingkat", "kode_skpd", "kode", name="ppas_pagu_pkey"),
    )
    op.create_table(
        "rka_verifikasi",
        sa.Column("id", UUID(as_uuid=False), primary_key=True),
        sa.Column("kode_pemda", sa.String(10), nullable=False),
        sa.Column("tahun", sa.SmallInteger, nullable=False),
        sa.Column("rkpd_id", UUID(as_uuid=False), nullable=False),
        sa.Column("kode_skpd", sa.String(40), nullable=False),
        sa.Column("fokus_uraian", sa.Text, nullable=False),
        sa.Column("catatan", sa.Text, nullable=False),
        sa.Column("dibuat_oleh", sa.String(100)),
        sa.Column("tanggapan", sa.Text),
        sa.Column("ditanggapi_oleh", sa.String(100)),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.text("now()")),
    )
    op.create_index("rka_verifikasi_scope", "rka_verifikasi", ["kode_pemda", "tahun", "rkpd_id"])


def downgrade() -> None:
    op.drop_table("rka_verifikasi")
    op.drop_table("ppas_pagu")
    op.drop_table("ppas")
    for column in ("penerima", "kode_sumber_dana", "pajak", "koefisien_teks", "koefisien", "spesifikasi",
                   "kode_standar_harga", "keterangan", "kelompok"):
        op.drop_column("rincian", column)
    for column in ("pergeseran_ditolak", "disepakati", "sumber_dana_rencana", "pagu_rencana", "total_sumber_dana",
                   "sumber_dana"):
        op.drop_column("plafon", column)
