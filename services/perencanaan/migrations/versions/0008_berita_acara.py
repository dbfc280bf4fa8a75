"""perencanaan: code mapping recorded as a berita acara, numbered per pemda and year; signed ones never change

Revision ID: berita_acara
Revises: rpjmd_penetapan
"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB, UUID

revision = "berita_acara"
down_revision = "rpjmd_penetapan"
branch_labels = None
depends_on = None

# a draft changes; a signed berita acara is neither changed nor deleted (as rpjmd_ditetapkan)
IMMUTABLE = """
CREATE FUNCTION berita_acara_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.status = 'ditandatangani' THEN
        RAISE EXCEPTION 'a signed berita acara never changes (berita_acara %, nomor %)', OLD.id, OLD.nomor
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER berita_acara_immutable BEFORE UPDATE OR DELETE ON berita_acara
    FOR EACH ROW EXECUTE FUNCTION berita_acara_immutable();
CREATE FUNCTION berita_acara_no_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'signed berita acara never change' USING ERRCODE = 'integrity_constraint_violation';
END $$;
CREATE TRIGGER berita_acara_no_truncate BEFORE TRUNCATE ON berita_acara
    FOR EACH STATEMENT EXECUTE FUNCTION berita_acara_no_truncate();
"""


def upgrade() -> None:
    op.create_table(
        "berita_acara",
        sa.Column("id", UUID(as_uuid=False), primary_key=True),
        sa.Column("kode_pemda", sa.String(10), nullable=False),
        sa.Column("tahun", sa.SmallInteger, nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("nomor", sa.Integer),
        sa.Column("tanggal", sa.Date),
        sa.Column("perihal", sa.Text),
        sa.Column("pasangan", JSONB, nullable=False),
        sa.Column("pihak", JSONB, nullable=False, server_default="[]"),
        sa.Column("dibuat_oleh", sa.String(100), nullable=False),
        sa.Column("ditandatangani_oleh", sa.String(100)),
        sa.Column("ditandatangani_pada", sa.DateTime(timezone=True)),
        sa.Column("hash", sa.String(64)),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.text("now()")),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.text("now()")),
        sa.UniqueConstraint("kode_pemda", "tahun", "nomor", name="berita_acara_nomor_unik"),
    )
    op.create_table(
        "berita_acara_nomor",
        sa.Column("kode_pemda", sa.String(10), nullable=False),
        sa.Column("tahun", sa.SmallInteger, nullable=False),
        sa.Column("terakhir", sa.Integer, nullable=False),
        sa.PrimaryKeyConstraint("kode_pemda", "tahun"),
    )
    op.execute(IMMUTABLE)


def downgrade() -> None:
    op.drop_table("berita_acara_nomor")
    op.drop_table("berita_acara")
    op.execute("DROP FUNCTION berita_acara_no_truncate()")
    op.execute("DROP FUNCTION berita_acara_immutable()")
