"""keuangan: the APBD-P evaluated by the level above as the APBD is (``apbd_perubahan`` keeps its evaluation result and
every evaluation, as ``apbd`` does; an APBD-P opened before this keeps its state, with none), and its KUA-PPAS
perubahan (``ppas_perubahan``, ``ppas_perubahan_pagu``: the murni KUA-PPAS's shape without its RKPD snapshot)

Revision ID: apbd_p_evaluasi
Revises: aturan_anggaran
"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "apbd_p_evaluasi"
down_revision = "aturan_anggaran"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("apbd_perubahan", sa.Column("hasil_evaluasi", sa.String(20)))
    op.add_column("apbd_perubahan", sa.Column("evaluasi", JSONB, nullable=False, server_default="[]"))
    op.create_table(
        "ppas_perubahan",
        sa.Column("kode_pemda", sa.String(10), primary_key=True),
        sa.Column("tahun", sa.SmallInteger, primary_key=True),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("nomor_kesepakatan", sa.Text),
        sa.Column("tanggal_kesepakatan", sa.Date),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.text("now()")),
    )
    op.create_table(
        "ppas_perubahan_pagu",
        sa.Column("kode_pemda", sa.String(10), nullable=False),
        sa.Column("tahun", sa.SmallInteger, nullable=False),
        sa.Column("tingkat", sa.String(20), nullable=False),
        sa.Column("kode_skpd", sa.String(40), nullable=False),
        sa.Column("kode", sa.String(40), nullable=False),
        sa.Column("pagu_rkpd", sa.Numeric(17, 2), nullable=False),
        sa.Column("pagu", sa.Numeric(17, 2), nullable=False),
        sa.Column("disesuaikan", sa.Boolean, nullable=False),
        sa.PrimaryKeyConstraint("kode_pemda", "tahun", "tingkat", "kode_skpd", "kode",
                                name="ppas_perubahan_pagu_pkey"),
    )


def downgrade() -> None:
    op.drop_table("ppas_perubahan_pagu")
    op.drop_table("ppas_perubahan")
    op.drop_column("apbd_perubahan", "evaluasi")
    op.drop_column("apbd_perubahan", "hasil_evaluasi")
