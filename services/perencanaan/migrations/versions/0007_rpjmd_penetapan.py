"""perencanaan: an RPJMD is enacted (Perda) and revised (perubahan); every enacted version is kept as enacted

Revision ID: rpjmd_penetapan
Revises: 0006_rkpd_rincian
"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB, UUID

revision = "rpjmd_penetapan"
down_revision = "0006_rkpd_rincian"
branch_labels = None
depends_on = None

IMMUTABLE = """
CREATE FUNCTION rpjmd_ditetapkan_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'an enacted RPJMD never changes (rpjmd_ditetapkan %, revisi %)', OLD.rpjmd_id, OLD.revisi
        USING ERRCODE = 'integrity_constraint_violation';
END $$;
CREATE TRIGGER rpjmd_ditetapkan_immutable BEFORE UPDATE OR DELETE ON rpjmd_ditetapkan
    FOR EACH ROW EXECUTE FUNCTION rpjmd_ditetapkan_immutable();
CREATE TRIGGER rpjmd_ditetapkan_no_truncate BEFORE TRUNCATE ON rpjmd_ditetapkan
    FOR EACH STATEMENT EXECUTE FUNCTION rpjmd_ditetapkan_immutable();
"""


def upgrade() -> None:
    op.add_column("rpjmd", sa.Column("status", sa.String(20), nullable=False, server_default="rancangan"))
    op.add_column("rpjmd", sa.Column("revisi", sa.Integer, nullable=False, server_default="0"))
    op.add_column("rpjmd", sa.Column("alasan_perubahan", sa.Text))
    op.create_table(
        "rpjmd_ditetapkan",
        sa.Column("rpjmd_id", UUID(as_uuid=False), sa.ForeignKey("rpjmd.id"), primary_key=True),
        sa.Column("revisi", sa.Integer, primary_key=True),
        sa.Column("kode_pemda", sa.String(10), nullable=False),
        sa.Column("tahun_awal", sa.SmallInteger, nullable=False),
        sa.Column("tahun_akhir", sa.SmallInteger, nullable=False),
        sa.Column("nomor_perda", sa.String(200), nullable=False),
        sa.Column("tanggal_perda", sa.Date, nullable=False),
        sa.Column("isi", JSONB, nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
        sa.Column("ditetapkan_oleh", sa.String(100), nullable=False),
        sa.Column("alasan_perubahan", sa.Text),
        sa.Column("ditetapkan_pada", sa.DateTime(timezone=True), nullable=False, server_default=sa.text("now()")),
    )
    op.execute(IMMUTABLE)


def downgrade() -> None:
    op.drop_table("rpjmd_ditetapkan")
    op.execute("DROP FUNCTION rpjmd_ditetapkan_immutable()")
    op.drop_column("rpjmd", "alasan_perubahan")
    op.drop_column("rpjmd", "revisi")
    op.drop_column("rpjmd", "status")
