"""The five-year plans' repositories on PostgreSQL: a document comes back exact (Decimal, years), a read
stays in its pemda and SKPD, and the queries the rules rely on (periods, served sasaran, the Renstra
covering a year) answer what the fakes of the use-case tests answer."""
from __future__ import annotations

import uuid
from decimal import Decimal

import pytest
from sqlalchemy.orm import Session

from contracts.perencanaan import IsiRenstra, IsiRpjmd, StatusRenstra
from services.perencanaan.renstra.domain import Renstra
from services.perencanaan.renstra.repository import RenstraRepository
from services.perencanaan.rpjmd.domain import Rpjmd
from services.perencanaan.rpjmd.repository import RpjmdRepository

SKPD = "1.01.0.00.0.00.01.0000"


@pytest.fixture
def db(engines):
    return engines("perencanaan")


def _isi_rpjmd(awal: int) -> IsiRpjmd:
    return IsiRpjmd.model_validate({"visi": "v", "misi": [{"kode": "1", "uraian": "m", "tujuan": [{
        "kode": "1.1", "uraian": "t", "sasaran": [{"kode": "1.1.1", "uraian": "s", "program": [{
            "kode_program": "1.01.02", "kode_skpd": SKPD, "pagu": {str(awal): "123456789012345.67"}}]}]}]}]})


def _isi_renstra(awal: int) -> IsiRenstra:
    return IsiRenstra.model_validate({"tujuan": [{"kode": "T1", "uraian": "t", "sasaran": [{
        "kode": "S1", "uraian": "s", "sasaran_rpjmd": "1.1.1", "program": [{"kode_program": "1.01.02", "kegiatan": [{
            "kode_kegiatan": "1.01.02.2.01", "sub_kegiatan": [{"kode_sub_kegiatan": "1.01.02.2.01.0001", "indikator": [{
                "uraian": "i", "satuan": "Unit", "polaritas": "kumulatif", "target": {str(awal + 1): "2.5"}}]}]}]}]}]}]})


def test_plans_round_trip_exactly_and_stay_in_their_pemda_and_skpd(db, scope):
    kode_pemda, awal = scope
    rpjmd = Rpjmd(str(uuid.uuid4()), kode_pemda, awal, awal + 4, _isi_rpjmd(awal))
    renstra = Renstra(str(uuid.uuid4()), kode_pemda, SKPD, rpjmd.id, awal, awal + 4, _isi_renstra(awal))
    with Session(db) as session:
        RpjmdRepository(session).add(rpjmd)
        assert RenstraRepository(session).add(renstra)
        assert not RenstraRepository(session).add(Renstra(str(uuid.uuid4()), kode_pemda, SKPD, rpjmd.id, awal,
                                                          awal + 4, IsiRenstra()))  # one per SKPD and RPJMD
        session.commit()
    with Session(db) as session:
        plans, renstras = RpjmdRepository(session), RenstraRepository(session)
        got = plans.get(kode_pemda, rpjmd.id)
        assert got == rpjmd and got.pagu_per_tahun() == {awal: Decimal("123456789012345.67")}
        assert plans.get("99.99", rpjmd.id) is None
        assert (awal, awal + 4) in plans.periods(kode_pemda)
        assert renstras.get(kode_pemda, SKPD, renstra.id) == renstra
        assert renstras.get(kode_pemda, "1.02.0.00.0.00.01.0000", renstra.id) is None
        assert renstras.serving(rpjmd.id) == {"1.1.1": [SKPD]}
        assert renstras.covering(kode_pemda, SKPD, awal + 4) == renstra
        assert renstras.covering(kode_pemda, SKPD, awal + 5) is None
        assert renstras.of_rpjmd(rpjmd.id) == [renstra]
        assert renstras.list_page(kode_pemda, 0, 10, rpjmd_id=rpjmd.id) == ([renstra], 1)
        assert renstras.covering(kode_pemda, SKPD, awal + 1).target_sub_kegiatan("1.01.02.2.01.0001", awal + 1) == [
            ("i", "Unit", Decimal("2.5"))]
        submitted = renstra.ajukan()
        renstras.save(submitted)
        session.commit()
    with Session(db) as session:
        assert RenstraRepository(session).get(kode_pemda, SKPD, renstra.id).status is StatusRenstra.DIAJUKAN
