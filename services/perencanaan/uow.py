"""Wiring: perencanaan's unit of work with the repositories of its sub-domains."""
from sqlalchemy.orm import Session

from sipd_common.db import UnitOfWork

from .jadwal.repository import JadwalRepository
from .pagu_skpd.repository import PaguSkpdRepository
from .pemetaan.repository import PemetaanRepository
from .renja.repository import RenjaRepository
from .publikasi.repository import PublikasiRepository
from .renstra.repository import RenstraRepository
from .replika.repository import ReplikaRepository
from .rkpd.repository import RkpdRepository
from .rpjmd.repository import RpjmdRepository
from .usulan.repository import UsulanRepository
from .schema import metadata

__all__ = ["PerencanaanUnitOfWork", "metadata"]


class PerencanaanUnitOfWork(UnitOfWork):
    def attach(self, session: Session) -> None:
        self.rkpd = RkpdRepository(session)
        self.replika = ReplikaRepository(session)
        self.rpjmd = RpjmdRepository(session)
        self.renstra = RenstraRepository(session)
        self.jadwal = JadwalRepository(session)
        self.pagu_skpd = PaguSkpdRepository(session)
        self.pemetaan = PemetaanRepository(session)
        self.renja = RenjaRepository(session)
        self.usulan = UsulanRepository(session)
        self.publikasi = PublikasiRepository(session)
