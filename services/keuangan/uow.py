"""Wiring: keuangan's unit of work with the repositories of its sub-domains."""
from sqlalchemy.orm import Session

from sipd_common.db import UnitOfWork

from .apbd.repository import ApbdRepository
from .dpa.repository import DpaRepository
from .jadwal.repository import JadwalAnggaranRepository
from .lra.repository import LraRepository
from .penatausahaan.repository import PenatausahaanRepository
from .pendapatan.repository import PendapatanRepository
from .penerimaan.repository import PenerimaanRepository
from .penomoran.repository import PenomoranRepository
from .perubahan.repository import PerubahanRepository
from .plafon.repository import PlafonRepository
from .ppas.repository import PpasRepository
from .replika.repository import ReplikaRepository
from .rincian.repository import RincianRepository
from .rka.repository import VerifikasiRepository
from .schema import metadata
from .tanda.repository import TandaRekeningRepository

__all__ = ["KeuanganUnitOfWork", "metadata"]


class KeuanganUnitOfWork(UnitOfWork):
    def attach(self, session: Session) -> None:
        self.plafon = PlafonRepository(session)
        self.rincian = RincianRepository(session)
        self.replika = ReplikaRepository(session)
        # the flags of the chart of accounts and what a line on a flagged account needs (a rule table)
        self.tanda = TandaRekeningRepository(session)
        # KUA-PPAS and RKA-SKPD (issue 13)
        self.ppas = PpasRepository(session)
        self.ppas_perubahan = PpasRepository(session, perubahan=True)  # the APBD-P's KUA-PPAS perubahan
        self.verifikasi = VerifikasiRepository(session)
        # the APBD: revenue and financing, its state and as enacted
        self.pendapatan = PendapatanRepository(session)
        self.apbd = ApbdRepository(session)
        # DPA-SKPD in versions, with the cash plan; the spending documents read it (``self.dpa.pagu_baris``)
        self.dpa = DpaRepository(session)
        # the APBD-P and the pergeseran of the enacted APBD
        self.perubahan = PerubahanRepository(session)
        # the budget's schedule windows and the snapshots of its locked stages
        self.jadwal = JadwalAnggaranRepository(session)
        # penatausahaan (issue 14): document numbers, spending documents, revenue received
        self.penomoran = PenomoranRepository(session)
        self.penatausahaan = PenatausahaanRepository(session)
        self.penerimaan = PenerimaanRepository(session)
        self.lra = LraRepository(session)  # the LRA's reads of the realisation by date
