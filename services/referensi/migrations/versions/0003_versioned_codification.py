"""referensi: versions, every list valid from one version until another, funding sources,
standard prices, the crosswalk, the import log; full text search

Before this revision the four reference tables held only what the seed loads from the files
shipped with the project (nothing else could write them), so they are dropped and created in
their new shape, and ``python -m services.referensi.seed`` (run by ``make run``) loads them again.

Revision ID: 0003
Revises: 0002
"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import ARRAY, TSVECTOR

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

C = "C"


def _search(*columns: str) -> sa.Computed:
    joined = " || ' ' || ".join(f"coalesce({c}, '')" for c in columns)
    return sa.Computed(f"to_tsvector('simple'::regconfig, regexp_replace({joined}, '[^[:alnum:]]+', ' ', 'g'))",
                       persisted=True)


def _versioned(name: str, key: list[sa.Column], columns: list[sa.Column], search: tuple[str, ...],
               tree: bool = False) -> None:
    """A list whose rows are states of a record, each valid from one version until another."""
    op.create_table(
        name,
        *key,
        sa.Column("valid_from", sa.String(60), sa.ForeignKey("versi.kode"), primary_key=True),
        sa.Column("valid_until", sa.String(60), sa.ForeignKey("versi.kode")),
        sa.Column("revisi", sa.BigInteger, nullable=False, server_default=sa.text("nextval('revisi_seq')")),
        *columns,
        sa.Column("cari", TSVECTOR, _search(*search)),
    )
    key_names = [c.name for c in key]
    # at most one current state per record; the current list is what most queries read
    op.create_index(f"{name}_current", name, key_names, unique=True, postgresql_where=sa.text("valid_until IS NULL"))
    op.create_index(f"{name}_cari", name, ["cari"], postgresql_using="gin")
    if tree:
        op.create_index(f"{name}_kode_induk", name, ["kode_induk"])


def upgrade() -> None:
    for table in ("skpd", "rekening", "nomenklatur", "wilayah"):
        op.drop_table(table)
    op.execute("CREATE SEQUENCE revisi_seq")
    op.create_table(
        "versi",
        sa.Column("kode", sa.String(60), primary_key=True),
        sa.Column("judul", sa.Text, nullable=False),
        sa.Column("tanggal", sa.Date, nullable=False),
        sa.Column("urutan", sa.Integer, nullable=False, unique=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.text("now()")),
    )
    _versioned("nomenklatur", [sa.Column("kode", sa.String(30, collation=C), primary_key=True)], [
        sa.Column("tingkat", sa.String(20), nullable=False),
        sa.Column("nama", sa.Text, nullable=False),
        sa.Column("kode_induk", sa.String(30, collation=C)),
        sa.Column("kinerja", sa.Text),
        sa.Column("indikator", sa.Text),
        sa.Column("satuan", sa.Text),
    ], ("nama", "kinerja", "indikator"), tree=True)
    _versioned("rekening", [sa.Column("kode", sa.String(30, collation=C), primary_key=True)], [
        sa.Column("tingkat", sa.String(20), nullable=False),
        sa.Column("akun", sa.String(20), nullable=False),
        sa.Column("peruntukan", sa.String(60), nullable=False),
        sa.Column("nama", sa.Text, nullable=False),
        sa.Column("kode_induk", sa.String(30, collation=C)),
    ], ("nama",), tree=True)
    _versioned("sumber_dana", [sa.Column("kode", sa.String(30, collation=C), primary_key=True)], [
        sa.Column("tingkat", sa.SmallInteger, nullable=False),
        sa.Column("nama", sa.Text, nullable=False),
        sa.Column("kode_induk", sa.String(30, collation=C)),
    ], ("nama",), tree=True)
    _versioned("wilayah", [sa.Column("kode", sa.String(20, collation=C), primary_key=True)], [
        sa.Column("tingkat", sa.SmallInteger, nullable=False),
        sa.Column("nama", sa.Text, nullable=False),
        sa.Column("kode_induk", sa.String(20, collation=C)),
    ], ("nama",), tree=True)
    _versioned("skpd", [sa.Column("kode_pemda", sa.String(10, collation=C), primary_key=True),
                        sa.Column("kode", sa.String(40, collation=C), primary_key=True)], [
        sa.Column("nama", sa.Text, nullable=False),
        sa.Column("bidang_urusan", ARRAY(sa.String(10)), nullable=False),
    ], ("nama",))
    _versioned("standar_harga", [sa.Column("kode_pemda", sa.String(10, collation=C), primary_key=True),
                                 sa.Column("tahun", sa.SmallInteger, primary_key=True),
                                 sa.Column("kode", sa.String(60, collation=C), primary_key=True)], [
        sa.Column("jenis", sa.String(4), nullable=False),
        sa.Column("uraian", sa.Text, nullable=False),
        sa.Column("spesifikasi", sa.Text),
        sa.Column("satuan", sa.Text, nullable=False),
        sa.Column("harga", sa.Numeric(17, 2), nullable=False),
        sa.Column("kode_rekening", ARRAY(sa.String(30)), nullable=False),
    ], ("uraian", "spesifikasi"))
    op.create_index("standar_harga_kode_rekening", "standar_harga", ["kode_rekening"], postgresql_using="gin")
    op.create_table(
        "crosswalk",
        sa.Column("kind", sa.String(20), primary_key=True),
        sa.Column("kode_pemda", sa.String(10, collation=C), primary_key=True, server_default=""),
        sa.Column("kode_lama", sa.String(60, collation=C), primary_key=True),
        sa.Column("kode_baru", sa.String(60, collation=C), primary_key=True),
        sa.Column("versi", sa.String(60), sa.ForeignKey("versi.kode"), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.text("now()")),
    )
    op.create_index("crosswalk_kode_baru", "crosswalk", ["kind", "kode_baru"])
    op.create_table(
        "impor",
        sa.Column("id", sa.BigInteger, primary_key=True, autoincrement=True),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("mode", sa.String(4), nullable=False),
        sa.Column("versi", sa.String(60), sa.ForeignKey("versi.kode"), nullable=False),
        sa.Column("kode_pemda", sa.String(10)),
        sa.Column("tahun", sa.SmallInteger),
        sa.Column("file_name", sa.Text, nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("rows", sa.Integer, nullable=False),
        sa.Column("added", sa.Integer, nullable=False),
        sa.Column("changed", sa.Integer, nullable=False),
        sa.Column("retired", sa.Integer, nullable=False),
        sa.Column("unchanged", sa.Integer, nullable=False),
        sa.Column("imported_by", sa.Text, nullable=False),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.text("now()")),
    )


def downgrade() -> None:
    for table in ("impor", "crosswalk", "standar_harga", "skpd", "wilayah", "sumber_dana", "rekening", "nomenklatur",
                  "versi"):
        op.drop_table(table)
    op.execute("DROP SEQUENCE revisi_seq")
    # the shapes of revision 0001 (empty: the seed of that revision loads them)
    op.create_table("wilayah", sa.Column("kode", sa.String(20), primary_key=True), sa.Column("nama", sa.Text, nullable=False),
                    sa.Column("tingkat", sa.SmallInteger, nullable=False), sa.Column("kode_induk", sa.String(20), index=True))
    op.create_table("nomenklatur", sa.Column("kode", sa.String(30), primary_key=True),
                    sa.Column("tingkat", sa.String(20), nullable=False), sa.Column("nama", sa.Text, nullable=False),
                    sa.Column("kode_induk", sa.String(30), index=True), sa.Column("kinerja", sa.Text),
                    sa.Column("indikator", sa.Text), sa.Column("satuan", sa.Text))
    op.create_table("rekening", sa.Column("kode", sa.String(30), primary_key=True),
                    sa.Column("tingkat", sa.String(20), nullable=False), sa.Column("akun", sa.String(20), nullable=False),
                    sa.Column("nama", sa.Text, nullable=False), sa.Column("kode_induk", sa.String(30), index=True))
    op.create_table("skpd", sa.Column("kode_pemda", sa.String(10), primary_key=True),
                    sa.Column("kode", sa.String(40), primary_key=True), sa.Column("nama", sa.Text, nullable=False),
                    sa.Column("bidang_urusan", ARRAY(sa.String(10)), nullable=False))
