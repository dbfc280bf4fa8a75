"""Wiring: pemerintahan's unit of work with the repositories of its sub-domains."""
from sqlalchemy.orm import Session

from sipd_common.db import UnitOfWork

from .binwas.repository import BinwasRepository
from .eppd.repository import EppdRepository
from .lppd.repository import LppdRepository
from .nasional.repository import NasionalRepository
from .perda.repository import PerdaRepository
from .realisasi.repository import RealisasiRepository
from .ringkasan.repository import RingkasanRepository
from .schema import metadata

__all__ = ["PemerintahanUnitOfWork", "metadata"]


class PemerintahanUnitOfWork(UnitOfWork):
    def attach(self, session: Session) -> None:
        self.ringkasan = RingkasanRepository(session)
        self.perda = PerdaRepository(session)
        self.eppd = EppdRepository(session)
        self.binwas = BinwasRepository(session)
        self.nasional = NasionalRepository(session)
        self.lppd = LppdRepository(session)
        self.realisasi = RealisasiRepository(session)
