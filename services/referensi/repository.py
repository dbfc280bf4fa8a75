"""referensi's tables (schema ``referensi``) and the queries the service answers."""
from __future__ import annotations

from sqlalchemy import ARRAY, Column, MetaData, SmallInteger, String, Table, Text, select
from sqlalchemy.orm import Session

from sipd_common.audit import add_audit_table
from sipd_common.tables import add_messaging_tables

metadata = MetaData()
add_messaging_tables(metadata)
add_audit_table(metadata)

wilayah = Table(
    "wilayah", metadata,
    Column("kode", String(20), primary_key=True),
    Column("nama", Text, nullable=False),
    Column("tingkat", SmallInteger, nullable=False),
    Column("kode_induk", String(20), index=True),
)
nomenklatur = Table(
    "nomenklatur", metadata,
    Column("kode", String(30), primary_key=True),
    Column("tingkat", String(20), nullable=False),
    Column("nama", Text, nullable=False),
    Column("kode_induk", String(30), index=True),
    Column("kinerja", Text),
    Column("indikator", Text),
    Column("satuan", Text),
)
rekening = Table(
    "rekening", metadata,
    Column("kode", String(30), primary_key=True),
    Column("tingkat", String(20), nullable=False),
    Column("akun", String(20), nullable=False),
    Column("nama", Text, nullable=False),
    Column("kode_induk", String(30), index=True),
)
skpd = Table(
    "skpd", metadata,
    Column("kode_pemda", String(10), primary_key=True),
    Column("kode", String(40), primary_key=True),
    Column("nama", Text, nullable=False),
    Column("bidang_urusan", ARRAY(String(10)), nullable=False),
)


def get_nomenklatur(session: Session, kode: str):
    return session.execute(select(nomenklatur).where(nomenklatur.c.kode == kode)).first()


def get_rekening(session: Session, kode: str):
    return session.execute(select(rekening).where(rekening.c.kode == kode)).first()


def get_wilayah(session: Session, kode: str):
    return session.execute(select(wilayah).where(wilayah.c.kode == kode)).first()


def get_skpd(session: Session, kode_pemda: str, kode: str):
    return session.execute(select(skpd).where(skpd.c.kode_pemda == kode_pemda, skpd.c.kode == kode)).first()


def get_many_nomenklatur(session: Session, kodes: list[str]) -> dict:
    rows = session.execute(select(nomenklatur).where(nomenklatur.c.kode.in_(kodes))).all()
    return {row.kode: row for row in rows}
