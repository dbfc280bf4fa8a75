"""referensi: the columns of the decrees' own lists (data/sumber/): where each row comes from
(``sumber``), what kind of list a version is (``versi.jenis``), the metadata of the 2027 update
list (lampiran, SPM, tag, jenis, pelaksana, definisi operasional), the accounts' descriptions,
the funding sources' descriptions and SIPD input flag, the goods group of a standard price

Revision ID: 0006
Revises: 0005
"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import ARRAY

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

COLUMNS = {
    "nomenklatur": [
        sa.Column("lingkup", ARRAY(sa.String(20))),
        sa.Column("spm", sa.Boolean),
        sa.Column("tag", ARRAY(sa.Text)),
        sa.Column("jenis", sa.String(20)),
        sa.Column("pelaksana", sa.Text),
        sa.Column("definisi_operasional", sa.Text),
    ],
    "rekening": [sa.Column("keterangan", sa.Text)],
    "sumber_dana": [sa.Column("keterangan", sa.Text), sa.Column("set_input", sa.Boolean)],
    "skpd": [],
    "standar_harga": [sa.Column("kode_kelompok", sa.String(30, collation="C")), sa.Column("nama_kelompok", sa.Text)],
}


def upgrade() -> None:
    op.add_column("versi", sa.Column("jenis", sa.String(20), nullable=False, server_default="keputusan"))
    for table, columns in COLUMNS.items():
        op.add_column(table, sa.Column("sumber", sa.String(60)))
        for column in columns:
            op.add_column(table, column)


def downgrade() -> None:
    for table, columns in COLUMNS.items():
        for column in columns:
            op.drop_column(table, column.name)
        op.drop_column(table, "sumber")
    op.drop_column("versi", "jenis")
