"""perencanaan: plan items flagged when a code they use is retired; the revisi of the names held

Revision ID: 0003
Revises: 0002
"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("rkpd_sub_kegiatan", sa.Column("perlu_pemetaan", sa.Boolean, nullable=False, server_default=sa.false()))
    op.add_column("rkpd_sub_kegiatan", sa.Column("pemetaan", JSONB, nullable=False, server_default="[]"))
    op.add_column("rkpd_sub_kegiatan", sa.Column("revisi_sub_kegiatan", sa.BigInteger, nullable=False, server_default="0"))
    op.add_column("rkpd_sub_kegiatan", sa.Column("revisi_bidang_urusan", sa.BigInteger, nullable=False, server_default="0"))
    # the codification's events find the items by code, across pemda and years
    op.create_index("rkpd_sub_kegiatan_kode", "rkpd_sub_kegiatan", ["kode_sub_kegiatan"],
                    postgresql_where=sa.text("deleted_at IS NULL"))
    op.create_index("rkpd_sub_kegiatan_bidang", "rkpd_sub_kegiatan", ["kode_bidang_urusan"],
                    postgresql_where=sa.text("deleted_at IS NULL"))
    op.create_index("rkpd_sub_kegiatan_skpd", "rkpd_sub_kegiatan", ["kode_pemda", "kode_skpd"],
                    postgresql_where=sa.text("deleted_at IS NULL"))


def downgrade() -> None:
    for index in ("rkpd_sub_kegiatan_skpd", "rkpd_sub_kegiatan_bidang", "rkpd_sub_kegiatan_kode"):
        op.drop_index(index, "rkpd_sub_kegiatan")
    for column in ("revisi_bidang_urusan", "revisi_sub_kegiatan", "pemetaan", "perlu_pemetaan"):
        op.drop_column("rkpd_sub_kegiatan", column)
