"""keuangan: the DPA-SKPD in versions (``dpa``) with its lines and cash plan (``dpa_baris``); the database keeps an
authorised version as it was (triggers), and at most one version per SKPD is the authorised one

Revision ID: dpa
Revises: apbd
"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import ARRAY, UUID

revision = "dpa"
down_revision = "apbd"
branch_labels = None
depends_on = None

# An authorised (or superseded) version never changes: neither its lines nor itself, except the one step
# disahkan → diganti (with diganti_pada) when a later version is authorised.
IMMUTABLE = """
CREATE FUNCTION dpa_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' AND OLD.status <> 'draft' THEN
        RAISE EXCEPTION 'an authorised DPA never changes (dpa % versi %)', OLD.kode_skpd, OLD.versi
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    IF TG_OP = 'UPDATE' AND OLD.status <> 'draft' AND NOT (
            OLD.status = 'disahkan' AND NEW.status = 'diganti'
            AND to_jsonb(NEW) - 'status' - 'diganti_pada' = to_jsonb(OLD) - 'status' - 'diganti_pada') THEN
        RAISE EXCEPTION 'an authorised DPA never changes (dpa % versi %)', OLD.kode_skpd, OLD.versi
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END $$;
CREATE TRIGGER dpa_immutable BEFORE UPDATE OR DELETE ON dpa FOR EACH ROW EXECUTE FUNCTION dpa_immutable();

CREATE FUNCTION dpa_baris_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF (SELECT status FROM dpa WHERE id = OLD.dpa_id) <> 'draft' THEN
        RAISE EXCEPTION 'the lines of an authorised DPA never change'
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END $$;
CREATE TRIGGER dpa_baris_immutable BEFORE UPDATE OR DELETE ON dpa_baris
    FOR EACH ROW EXECUTE FUNCTION dpa_baris_immutable();

-- lines added to an authorised version: checked once per statement (a generation inserts 30,000 lines)
CREATE FUNCTION dpa_baris_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM baru JOIN dpa ON dpa.id = baru.dpa_id WHERE dpa.status <> 'draft') THEN
        RAISE EXCEPTION 'the lines of an authorised DPA never change'
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER dpa_baris_insert AFTER INSERT ON dpa_baris REFERENCING NEW TABLE AS baru
    FOR EACH STATEMENT EXECUTE FUNCTION dpa_baris_insert();

CREATE FUNCTION dpa_no_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'an authorised DPA never changes' USING ERRCODE = 'integrity_constraint_violation';
END $$;
CREATE TRIGGER dpa_no_truncate BEFORE TRUNCATE ON dpa FOR EACH STATEMENT EXECUTE FUNCTION dpa_no_truncate();
CREATE TRIGGER dpa_baris_no_truncate BEFORE TRUNCATE ON dpa_baris
    FOR EACH STATEMENT EXECUTE FUNCTION dpa_no_truncate();
"""


def upgrade() -> None:
    op.create_table(
        "dpa",
        sa.Column("id", UUID(as_uuid=False), primary_key=True),
        sa.Column("kode_pemda", sa.String(10), nullable=False),
        sa.Column("tahun", sa.SmallInteger, nullable=False),
        sa.Column("kode_skpd", sa.String(40), nullable=False),
        sa.Column("versi", sa.SmallInteger, nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("sebab", sa.Text, nullable=False),
        sa.Column("jumlah", sa.Numeric(30, 6), nullable=False),
        sa.Column("jumlah_baris", sa.Integer, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("dibuat_oleh", sa.String(100)),
        sa.Column("dibuat_pada", sa.DateTime(timezone=True), nullable=False, server_default=sa.text("now()")),
        sa.Column("disahkan_oleh", sa.String(100)),
        sa.Column("disahkan_pada", sa.DateTime(timezone=True)),
        sa.Column("nomor", sa.String(200)),
        sa.Column("hash", sa.String(64)),
        sa.Column("diganti_pada", sa.DateTime(timezone=True)),
        sa.UniqueConstraint("kode_pemda", "tahun", "kode_skpd", "versi", name="dpa_versi"),
    )
    op.create_index("dpa_scope", "dpa", ["kode_pemda", "tahun", "kode_skpd"])
    # at most one authorised version per SKPD and year: the one the spending reads (``pagu_baris``)
    op.create_index("dpa_satu_disahkan", "dpa", ["kode_pemda", "tahun", "kode_skpd"], unique=True,
                    postgresql_where=sa.text("status = 'disahkan'"))
    op.create_table(
        "dpa_baris",
        sa.Column("dpa_id", UUID(as_uuid=False), sa.ForeignKey("dpa.id"), primary_key=True),
        sa.Column("kode_sub_kegiatan", sa.String(30), primary_key=True),
        sa.Column("kode_rekening", sa.String(30), primary_key=True),
        sa.Column("nama_rekening", sa.Text, nullable=False),
        sa.Column("jumlah", sa.Numeric(30, 6), nullable=False),
        sa.Column("kas", ARRAY(sa.Numeric(30, 6)), nullable=False),
        sa.CheckConstraint("cardinality(kas) = 12", name="dpa_baris_12_bulan"),
    )
    op.execute(IMMUTABLE)


def downgrade() -> None:
    op.drop_table("dpa_baris")
    op.drop_table("dpa")
    op.execute("DROP FUNCTION dpa_no_truncate(); DROP FUNCTION dpa_baris_insert(); DROP FUNCTION dpa_baris_immutable(); "
               "DROP FUNCTION dpa_immutable()")
