"""The proposals' repository on PostgreSQL: the chains the migration seeds, a proposal coming back exact
(Decimal, its chain and its way), reads staying in their pemda and year, and the filters and queries the use
cases rely on (the items an RKPD item answers, the accepted ones) answering what the fakes answer."""
from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import datetime, timezone
from decimal import Decimal

import pytest
from sqlalchemy.orm import Session

from contracts.perencanaan import JenisUsulan, KeputusanUsulan, StatusUsulan
from services.perencanaan.usulan import domain
from services.perencanaan.usulan.domain import Usulan
from services.perencanaan.usulan.repository import UsulanRepository

from ..usecases.fakes import ALUR_MUSRENBANG, ALUR_POKIR

SKPD = "1.01.0.00.0.00.01.0000"
STEP = domain.langkah("bappeda", "bappeda", datetime(2026, 1, 5, tzinfo=timezone.utc))


@pytest.fixture
def db(engines):
    return engines("perencanaan")


def _usulan(kode_pemda: str, tahun: int, **over) -> Usulan:
    return replace(Usulan(id=str(uuid.uuid4()), kode_pemda=kode_pemda, tahun=tahun, jenis=JenisUsulan.MUSRENBANG,
                  pengusul=f"{kode_pemda}.01.1001", dibuat_oleh=str(uuid.uuid4()), masalah="m", uraian="u",
                  kode_skpd=SKPD, volume=Decimal("1234.5678"), satuan="m", anggaran=Decimal("123456789012345.67"),
                  versi_alur=ALUR_MUSRENBANG.versi, alur=ALUR_MUSRENBANG.tingkat, kode_desa=f"{kode_pemda}.01.1001",
                  lokasi=(f"{kode_pemda}.01",)), **over)


def test_the_migration_seeds_each_kind_s_chain_as_the_fakes_have_it(db):
    with Session(db) as session:
        chains = {a.jenis: a for a in UsulanRepository(session).alur()}
    for fake in (ALUR_MUSRENBANG, ALUR_POKIR):
        seeded = chains[fake.jenis]
        assert (seeded.versi, seeded.berlaku_mulai, seeded.tingkat, seeded.tahap) == (
            fake.versi, fake.berlaku_mulai, fake.tingkat, fake.tahap)


def test_a_proposal_round_trips_exactly_and_the_queries_stay_in_their_pemda_and_year(db, scope):
    kode_pemda, tahun = scope
    draft = _usulan(kode_pemda, tahun)
    accepted = replace(_usulan(kode_pemda, tahun, kode_skpd="1.02.0.00.0.00.01.0000"),
                       status=StatusUsulan.DIVERIFIKASI, tingkat="skpd")
    accepted = accepted.putuskan(KeputusanUsulan.SETUJU, None, STEP)
    other_year = _usulan(kode_pemda, tahun + 1)
    rkpd_id = str(uuid.uuid4())
    for u in (draft, accepted, other_year):  # one transaction each: "oldest first" is by creation time
        with Session(db) as session:
            UsulanRepository(session).add(u)
            session.commit()
    with Session(db) as session:
        repo = UsulanRepository(session)
        assert repo.get(kode_pemda, tahun, draft.id) == draft
        assert repo.get(kode_pemda, tahun + 1, draft.id) is None and repo.get("99.99", tahun, draft.id) is None
        got = repo.get(kode_pemda, tahun, accepted.id, for_update=True)
        assert got == accepted and got.riwayat[-1]["aksi"] == "setuju"
        assert repo.diterima(kode_pemda, tahun) == [accepted]
        assert repo.list_page(kode_pemda, tahun, 0, 10) == ([draft, accepted], 2)
        assert repo.list_page(kode_pemda, tahun, 0, 10, status="draft", jenis=None) == ([draft], 1)
        assert repo.list_page(kode_pemda, tahun, 0, 10, kode_skpd=SKPD, tingkat=None) == ([draft], 1)
        assert repo.list_page(kode_pemda, tahun, 1, 10) == ([accepted], 2)
        linked = accepted.tautkan(rkpd_id, STEP)
        repo.save(linked)
        session.commit()
    with Session(db) as session:
        repo = UsulanRepository(session)
        assert repo.answering(rkpd_id) == [linked]
        assert repo.list_page(kode_pemda, tahun, 0, 10, rkpd_id=rkpd_id) == ([linked], 1)
        assert repo.get(kode_pemda, tahun, accepted.id).version == linked.version
