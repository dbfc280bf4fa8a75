"""perencanaan: the five-year plans: the RPJMD of each pemda and period, the Renstra of each SKPD for it

Revision ID: rpjmd_renstra
Revises: 0005_idempotent_call
"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB, UUID

revision = "rpjmd_renstra"
down_revision = "0005_idempotent_call"
branch_labels = None
depends_on = None


def _timestamps() -> list[sa.Column]:
    return [sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.text("now()")),
            sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.text("now()"))]


def upgrade() -> None:
    op.create_table(
        "rpjmd",
        sa.Column("id", UUID(as_uuid=False), primary_key=True),
        sa.Column("kode_pemda", sa.String(10), nullable=False),
        sa.Column("tahun_awal", sa.SmallInteger, nullable=False),
        sa.Column("tahun_akhir", sa.SmallInteger, nullable=False),
        sa.Column("isi", JSONB, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        *_timestamps(),
        sa.UniqueConstraint("kode_pemda", "tahun_awal", name="rpjmd_pemda_periode"),
    )
    op.create_table(
        "renstra",
        sa.Column("id", UUID(as_uuid=False), primary_key=True),
        sa.Column("kode_pemda", sa.String(10), nullable=False),
        sa.Column("kode_skpd", sa.String(40), nullable=False),
        sa.Column("rpjmd_id", UUID(as_uuid=False), sa.ForeignKey("rpjmd.id"), nullable=False),
        sa.Column("tahun_awal", sa.SmallInteger, nullable=False),
        sa.Column("tahun_akhir", sa.SmallInteger, nullable=False),
        sa.Column("isi", JSONB, nullable=False),
        sa.Column("sasaran_rpjmd", sa.ARRAY(sa.String(30)), nullable=False, server_default="{}"),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("catatan", sa.Text),
        sa.Column("version", sa.Integer, nullable=False),
        *_timestamps(),
        sa.UniqueConstraint("rpjmd_id", "kode_skpd", name="renstra_rpjmd_skpd"),
    )
    op.create_index("renstra_pemda_skpd", "renstra", ["kode_pemda", "kode_skpd"])


def downgrade() -> None:
    op.drop_table("renstra")
    op.drop_table("rpjmd")
