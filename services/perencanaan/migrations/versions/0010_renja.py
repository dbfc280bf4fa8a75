"""perencanaan: the Renja's state per SKPD and year (submitted, verified by Bappeda or returned)

Revision ID: renja
Revises: rkpd_catatan
"""
import sqlalchemy as sa
from alembic import op

revision = "renja"
down_revision = "rkpd_catatan"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "renja",
        sa.Column("kode_pemda", sa.String(10), primary_key=True),
        sa.Column("tahun", sa.SmallInteger, primary_key=True),
        sa.Column("kode_skpd", sa.String(40), primary_key=True),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("catatan", sa.Text),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.text("now()")),
    )


def downgrade() -> None:
    op.drop_table("renja")
