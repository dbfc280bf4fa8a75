"""Wiring: referensi's unit of work with the repositories of its sub-domains."""
from sqlalchemy.orm import Session

from sipd_common.db import UnitOfWork

from .impor.repository import ImporRepository
from .kodefikasi.repository import Daftar, KodefikasiRepository
from .replikasi.repository import ReplikasiRepository
from .schema import metadata
from .skpd.repository import SkpdRepository
from .standar_harga.repository import StandarHargaRepository
from .wilayah.repository import WilayahRepository

__all__ = ["ReferensiUnitOfWork", "metadata"]


class ReferensiUnitOfWork(UnitOfWork):
    def attach(self, session: Session) -> None:
        self.kodefikasi = KodefikasiRepository(session)
        self.wilayah = WilayahRepository(session)
        self.skpd = SkpdRepository(session)
        self.standar_harga = StandarHargaRepository(session)
        self.impor = ImporRepository(session)
        self.replikasi = ReplikasiRepository(session)

    def daftar(self, kind: str) -> Daftar:
        """The repository of one list of the codification, by its name."""
        return {"nomenklatur": self.kodefikasi.nomenklatur, "rekening": self.kodefikasi.rekening,
                "sumber_dana": self.kodefikasi.sumber_dana, "wilayah": self.wilayah, "skpd": self.skpd,
                "standar_harga": self.standar_harga}[kind]
