"""keuangan: the budget's rules as data — the flags of the chart of accounts (``tanda_rekening``, seeded: what a line
on a salary, hibah, bansos or land account needs; what the legal ratios count), a line's location (``rincian.lokasi``),
the ratios' numerators by flag, and a budget stage locked more than once (reopened: one snapshot per lock, ``versi``)

Revision ID: aturan_anggaran
Revises: jadwal_anggaran
"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "aturan_anggaran"
down_revision = "jadwal_anggaran"
branch_labels = None
depends_on = None

# The flags SIPD-RI sets on its chart of accounts (is_gaji_asn, is_hibah_*, is_sosial_*, is_modal_tanah; DOMAIN-DETAIL
# B), which referensi's published lists do not carry, as of this migration. A decree's change is a row with a later
# tahun_dari. ``akun``: the account prefixes flagged; ``sub_kegiatan``: the only sub kegiatan a line on them sits under
# (the decree's pattern: X.XX is any urusan and bidang); ``wajib``: the fields such a line gives.
TANDA = [
    {"kode": "gaji_asn", "tahun_dari": 2000, "urutan": 1, "nama": "Belanja Gaji dan Tunjangan ASN",
     "akun": ["5.1.01.01"], "sub_kegiatan": ["X.XX.01.2.02.0001"],
     "dasar_hukum": "Kepmendagri 050-5889/2021 (objek 5.1.01.01); Kepmendagri 900.1.15.5-1317/2023 (sub kegiatan "
                    "X.XX.01.2.02.0001 Penyediaan Gaji dan Tunjangan ASN); SIPD-RI is_gaji_asn"},
    {"kode": "gaji_kdh", "tahun_dari": 2000, "urutan": 2, "nama": "Belanja Gaji dan Tunjangan KDH/WKDH",
     "akun": ["5.1.01.05"], "sub_kegiatan": ["X.XX.01.2.11.0001"],
     "dasar_hukum": "Kepmendagri 050-5889/2021 (objek 5.1.01.05); Kepmendagri 900.1.15.5-1317/2023 (sub kegiatan "
                    "X.XX.01.2.11.0001 Penyediaan Gaji dan Tunjangan Kepala Daerah dan Wakil Kepala Daerah)"},
    {"kode": "hibah", "tahun_dari": 2000, "urutan": 3, "nama": "Belanja Hibah", "akun": ["5.1.05"],
     "wajib": ["penerima"], "dasar_hukum": "Permendagri 77/2020 (penerima hibah dalam RKA dan Perkada penjabaran); "
                                           "SIPD-RI is_hibah_uang, is_hibah_brg"},
    {"kode": "bansos", "tahun_dari": 2000, "urutan": 4, "nama": "Belanja Bantuan Sosial", "akun": ["5.1.06"],
     "wajib": ["penerima"], "dasar_hukum": "Permendagri 77/2020 (penerima bantuan sosial dalam RKA dan Perkada "
                                           "penjabaran); SIPD-RI is_sosial_uang, is_sosial_brg"},
    {"kode": "modal_tanah", "tahun_dari": 2000, "urutan": 5, "nama": "Belanja Modal Tanah", "akun": ["5.2.01"],
     "wajib": ["lokasi"], "dasar_hukum": "Kepmendagri 050-5889/2021 (jenis 5.2.01); SIPD-RI is_modal_tanah and the "
                                         "lokus of the account (lokus_akun_teks): the plot's location"},
    {"kode": "tunjangan_guru_tkd", "tahun_dari": 2000, "urutan": 6,
     "nama": "Tunjangan dan tambahan penghasilan guru dari TKD",
     "akun": ["5.1.01.03.03", "5.1.01.03.04", "5.1.01.03.05", "5.1.01.03.09", "5.1.01.03.10", "5.1.01.03.11"],
     "dasar_hukum": "UU 1/2022 Pasal 146 ayat (2): belanja pegawai di luar tunjangan guru yang dialokasikan melalui "
                    "TKD (TPG, TKG, Tamsil PNSD dan PPPK)"},
    {"kode": "infrastruktur_pelayanan_publik", "tahun_dari": 2000, "urutan": 7,
     "nama": "Belanja infrastruktur pelayanan publik", "akun": ["5.2.03", "5.2.04", "5.2.05"],
     "dasar_hukum": "UU 1/2022 Pasal 147 (belanja infrastruktur yang berkaitan langsung dengan percepatan pelayanan "
                    "publik). Belanja modal 5.2.03-5.2.05: pendekatan, bukan daftar resmi"},
]

# the ratios' numerators as the flags say them (the rule unchanged otherwise); the downgrade puts back the prefixes
PEMBILANG = {
    "belanja_pegawai": ({"akun": ["5.1.01"], "kecuali_tanda": ["tunjangan_guru_tkd"]}, {"akun": ["5.1.01"]}),
    "infrastruktur_pelayanan_publik": ({"tanda": ["infrastruktur_pelayanan_publik"]},
                                       {"akun": ["5.2.03", "5.2.04", "5.2.05"]}),
}


def upgrade() -> None:
    tanda = op.create_table(
        "tanda_rekening",
        sa.Column("kode", sa.String(40), primary_key=True),
        sa.Column("tahun_dari", sa.SmallInteger, primary_key=True),
        sa.Column("nama", sa.Text, nullable=False),
        sa.Column("akun", JSONB, nullable=False),
        sa.Column("kecuali_akun", JSONB, nullable=False, server_default="[]"),
        sa.Column("sub_kegiatan", JSONB, nullable=False, server_default="[]"),
        sa.Column("wajib", JSONB, nullable=False, server_default="[]"),
        sa.Column("dasar_hukum", sa.Text, nullable=False),
        sa.Column("urutan", sa.SmallInteger, nullable=False, server_default="0"),
    )
    op.bulk_insert(tanda, [{"kecuali_akun": [], "sub_kegiatan": [], "wajib": [], **t} for t in TANDA])
    op.add_column("rincian", sa.Column("lokasi", JSONB))
    rasio = sa.table("rasio_wajib", sa.column("kode"), sa.column("tahun_dari"), sa.column("pembilang", JSONB))
    for kode, (baru, _) in PEMBILANG.items():
        op.execute(rasio.update().where(rasio.c.kode == kode, rasio.c.tahun_dari == 2000).values(pembilang=baru))
    # a reopened stage locks again: one snapshot per lock (the trigger keeps every one unchanged)
    op.add_column("jadwal_anggaran_snapshot", sa.Column("versi", sa.SmallInteger, nullable=False,
                                                        server_default="1"))
    op.drop_constraint("jadwal_anggaran_snapshot_per_tahap", "jadwal_anggaran_snapshot", type_="unique")
    op.create_unique_constraint("jadwal_anggaran_snapshot_per_kunci", "jadwal_anggaran_snapshot",
                                ["jadwal_id", "kode_tahap", "versi"])


def downgrade() -> None:
    op.drop_constraint("jadwal_anggaran_snapshot_per_kunci", "jadwal_anggaran_snapshot", type_="unique")
    op.create_unique_constraint("jadwal_anggaran_snapshot_per_tahap", "jadwal_anggaran_snapshot",
                                ["jadwal_id", "kode_tahap"])
    op.drop_column("jadwal_anggaran_snapshot", "versi")
    rasio = sa.table("rasio_wajib", sa.column("kode"), sa.column("tahun_dari"), sa.column("pembilang", JSONB))
    for kode, (_, lama) in PEMBILANG.items():
        op.execute(rasio.update().where(rasio.c.kode == kode, rasio.c.tahun_dari == 2000).values(pembilang=lama))
    op.drop_column("rincian", "lokasi")
    op.drop_table("tanda_rekening")
