"""keuangan: ceilings and budget lines flagged when a code they use is retired; the revisi of
the account name a line holds

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
    for table in ("plafon", "rincian"):
        op.add_column(table, sa.Column("perlu_pemetaan", sa.Boolean, nullable=False, server_default=sa.false()))
        op.add_column(table, sa.Column("pemetaan", JSONB, nullable=False, server_default="[]"))
    op.add_column("rincian", sa.Column("revisi_rekening", sa.BigInteger, nullable=False, server_default="0"))
    # the codification's events find the records by code, across pemda and years
    op.create_index("rincian_kode_rekening", "rincian", ["kode_rekening"])
    op.create_index("plafon_kode_sub_kegiatan", "plafon", ["kode_sub_kegiatan"])
    op.create_index("plafon_skpd", "plafon", ["kode_pemda", "kode_skpd"])


def downgrade() -> None:
    op.drop_index("plafon_skpd", "plafon")
    op.drop_index("plafon_kode_sub_kegiatan", "plafon")
    op.drop_index("rincian_kode_rekening", "rincian")
    op.drop_column("rincian", "revisi_rekening")
    for table in ("rincian", "plafon"):
        op.drop_column(table, "pemetaan")
        op.drop_column(table, "perlu_pemetaan")
