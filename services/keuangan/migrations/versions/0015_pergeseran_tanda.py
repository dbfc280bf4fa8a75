"""keuangan: a pergeseran keeps what its destination account's flags ask of the money shifted in (``tanda_rekening``:
a hibah or bansos recipient, a land purchase's location), as an RKA line keeps them

Revision ID: pergeseran_tanda
Revises: apbd_p_evaluasi
"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "pergeseran_tanda"
down_revision = "apbd_p_evaluasi"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # the table's trigger refuses UPDATE and DELETE of a recorded shift; adding columns touches no row
    op.add_column("pergeseran_anggaran", sa.Column("ke_penerima", JSONB))
    op.add_column("pergeseran_anggaran", sa.Column("ke_lokasi", JSONB))


def downgrade() -> None:
    op.drop_column("pergeseran_anggaran", "ke_lokasi")
    op.drop_column("pergeseran_anggaran", "ke_penerima")
