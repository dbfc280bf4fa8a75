"""perencanaan: an RKPD item's note on why its target differs from the Renstra's (the RKPD consistency report)

Revision ID: rkpd_catatan
Revises: berita_acara
"""
import sqlalchemy as sa
from alembic import op

revision = "rkpd_catatan"
down_revision = "berita_acara"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("rkpd_sub_kegiatan", sa.Column("catatan", sa.Text))


def downgrade() -> None:
    op.drop_column("rkpd_sub_kegiatan", "catatan")
