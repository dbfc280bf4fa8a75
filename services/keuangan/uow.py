"""Wiring: keuangan's unit of work with the repositories of its sub-domains."""
from sqlalchemy.orm import Session

from sipd_common.db import UnitOfWork

from .apbd.repository import ApbdRepository
from .pendapatan.repository import PendapatanRepository
from .plafon.repository import PlafonRepository
from .replika.repository import ReplikaRepository
from .rincian.repository import RincianRepository
from .schema import metadata

__all__ = ["KeuanganUnitOfWork", "metadata"]


class KeuanganUnitOfWork(UnitOfWork):
    def attach(self, session: Session) -> None:
        self.plafon = PlafonRepository(session)
        self.rincian = RincianRepository(session)
        self.replika = ReplikaRepository(session)
        # the APBD: revenue and financing, its state and as enacted
        self.pendapatan = PendapatanRepository(session)
        self.apbd = ApbdRepository(session)
