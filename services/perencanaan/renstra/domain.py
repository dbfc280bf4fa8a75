"""Renstra rules: an SKPD's five-year plan for the period of its pemda's RPJMD — tujuan and sasaran, each
sasaran serving an RPJMD sasaran, and the programs, kegiatan and sub kegiatan it plans for them; made by
the SKPD, verified by Bappeda.

Also here, because a Renstra is where they bite hardest: which codes of the codification a five-year
plan of an SKPD may name (``periksa_program`` … ; the RPJMD's priority programs ask the same).

Pure: the content arrives as the contract's models, the codification as ``replika.domain.Kodefikasi``.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Iterator

from contracts.perencanaan import IsiRenstra, StatusRenstra

from ..replika.domain import Kodefikasi, kode_bidang_urusan
from ..rkpd.domain import Pelanggaran, dipensiunkan
from ..rpjmd.domain import Rpjmd, StatusTidakSesuai, jumlah_pagu, kode_ganda, periksa_tahun

LEVEL = {"1": "provinsi", "2": "kabupaten_kota"}  # the level digit of a kegiatan code (Permendagri 90/2019)
DAPAT_DIUBAH = frozenset({StatusRenstra.DRAFT, StatusRenstra.DIKEMBALIKAN})


@dataclass(frozen=True)
class Renstra:
    id: str
    kode_pemda: str
    kode_skpd: str
    rpjmd_id: str
    tahun_awal: int
    tahun_akhir: int
    isi: IsiRenstra
    status: StatusRenstra = StatusRenstra.DRAFT
    catatan: str | None = None
    version: int = 1

    def ubah(self, isi: IsiRenstra) -> "Renstra":
        """New content, while the SKPD holds it (draft, or returned by Bappeda)."""
        if self.status not in DAPAT_DIUBAH:
            raise StatusTidakSesuai(f"the Renstra is {self.status}: it changes only as a draft or once Bappeda "
                                    "returns it")
        return self if isi == self.isi else replace(self, isi=isi, version=self.version + 1)

    def ajukan(self) -> "Renstra":
        """The SKPD submits it to Bappeda for verification."""
        if self.status not in DAPAT_DIUBAH:
            raise StatusTidakSesuai(f"the Renstra is {self.status}; only a draft or a returned one is submitted")
        return replace(self, status=StatusRenstra.DIAJUKAN, version=self.version + 1)

    def verifikasi(self, setuju: bool, catatan: str | None) -> "Renstra":
        """Bappeda verifies a submitted Renstra, or returns it to the SKPD with a note."""
        if self.status is not StatusRenstra.DIAJUKAN:
            raise StatusTidakSesuai(f"the Renstra is {self.status}; Bappeda verifies a submitted one")
        status = StatusRenstra.TERVERIFIKASI if setuju else StatusRenstra.DIKEMBALIKAN
        return replace(self, status=status, catatan=catatan, version=self.version + 1)

    def sasaran_rpjmd(self) -> list[str]:
        """The RPJMD sasaran this Renstra serves."""
        return sorted({s.sasaran_rpjmd for t in self.isi.tujuan for s in t.sasaran})

    def pagu_per_tahun(self) -> dict[int, Decimal]:
        return jumlah_pagu(p.pagu for t in self.isi.tujuan for s in t.sasaran for p in s.program)

    # -- what the year's plan (RKPD, Renja) reads of it ------------------------------------------------
    def sasaran(self) -> dict[str, str]:
        """Every sasaran's kode, with the RPJMD sasaran it serves."""
        return {s.kode: s.sasaran_rpjmd for t in self.isi.tujuan for s in t.sasaran}

    def target_sub_kegiatan(self, kode_sub_kegiatan: str, tahun: int,
                            kode_sasaran: str | None = None) -> list[tuple[str, str, Decimal]]:
        """The Renstra's targets of a sub kegiatan for one year, as ``(indikator, satuan, target)``; under one
        sasaran only when ``kode_sasaran`` is given."""
        return [(i.uraian, i.satuan, i.target[tahun])
                for t in self.isi.tujuan for s in t.sasaran if kode_sasaran in (None, s.kode)
                for p in s.program for k in p.kegiatan
                for sk in k.sub_kegiatan if sk.kode_sub_kegiatan == kode_sub_kegiatan
                for i in sk.indikator if tahun in i.target]


def periksa_sasaran_tahunan(field: str, kode_sasaran: str, kode_skpd: str, tahun: int,
                            renstra: "Renstra | None") -> list[Pelanggaran]:
    """A plan item of year ``tahun`` serves a sasaran of its SKPD's verified Renstra for the period covering that
    year (a verified Renstra no longer changes: the link cannot lose its sasaran)."""
    if renstra is None:
        return [Pelanggaran(field, f"SKPD {kode_skpd} has no Renstra covering {tahun}")]
    if renstra.status is not StatusRenstra.TERVERIFIKASI:
        return [Pelanggaran(field, f"the Renstra {renstra.tahun_awal}–{renstra.tahun_akhir} of SKPD {kode_skpd} is "
                                   f"{renstra.status}: an item links to a sasaran once Bappeda verified it")]
    if kode_sasaran not in renstra.sasaran():
        return [Pelanggaran(field, f"no sasaran {kode_sasaran} in the Renstra {renstra.tahun_awal}–"
                                   f"{renstra.tahun_akhir} of SKPD {kode_skpd}")]
    return []


def periksa_verifikasi(setuju: bool, catatan: str | None) -> list[Pelanggaran]:
    if not setuju and not catatan:
        return [Pelanggaran("catatan", "say why the Renstra is returned to the SKPD")]
    return []


# -- which codes a five-year plan of an SKPD may name ------------------------------------------------------

def level_pemda(kode: Kodefikasi) -> str:
    return "provinsi" if kode.pemda["jenis"] == "provinsi" else "kabupaten_kota"


def periksa_skpd(at: str, kode_skpd: str, kode: Kodefikasi) -> list[Pelanggaran]:
    skpd = kode.skpd.get(kode_skpd)
    if skpd is None:
        return [Pelanggaran(at, f"no SKPD {kode_skpd} in pemda {kode.pemda['kode']}")]
    if not skpd["berlaku"]:
        return [Pelanggaran(at, dipensiunkan("SKPD", skpd))]
    return []


def _nomenklatur(at: str, kode_: str, tingkat: str, kode: Kodefikasi) -> tuple[dict | None, list[Pelanggaran]]:
    row = kode.nomenklatur.get(kode_)
    if row is None or row["tingkat"] != tingkat:
        return None, [Pelanggaran(at, f"no {tingkat.replace('_', ' ')} {kode_} in the national codification")]
    if not row["berlaku"]:
        return None, [Pelanggaran(at, dipensiunkan(tingkat.replace("_", " "), row))]
    return row, []


def periksa_program(at: str, kode_program: str, kode_skpd: str, kode: Kodefikasi) -> list[Pelanggaran]:
    """A program the SKPD may plan: current, of a bidang urusan the SKPD serves, with kegiatan for the pemda's
    level of government."""
    row, errors = _nomenklatur(at, kode_program, "program", kode)
    skpd = kode.skpd.get(kode_skpd)
    if errors or skpd is None:
        return errors
    bidang = kode_bidang_urusan(kode_program)
    if bidang not in skpd["bidang_urusan"]:
        return [Pelanggaran(at, f"SKPD {kode_skpd} does not serve bidang urusan {bidang} "
                                f"(it serves {', '.join(skpd['bidang_urusan'])})")]
    level = level_pemda(kode)
    if not any(LEVEL.get(digit) == level for digit in kode.levels.get(kode_program, ())):
        return [Pelanggaran(at, f"program {kode_program} has no kegiatan for {level} government; pemda "
                                f"{kode.pemda['kode']} is {kode.pemda['jenis']}")]
    return []


def periksa_kegiatan(at: str, kode_kegiatan: str, kode_program: str, kode: Kodefikasi) -> list[Pelanggaran]:
    """A kegiatan under its program, for the pemda's level of government."""
    row, errors = _nomenklatur(at, kode_kegiatan, "kegiatan", kode)
    if errors:
        return errors
    if row["kode_induk"] != kode_program:
        return [Pelanggaran(at, f"kegiatan {kode_kegiatan} is not under program {kode_program}")]
    level, own = LEVEL.get(kode_kegiatan.split(".")[3]), level_pemda(kode)
    if level != own:
        return [Pelanggaran(at, f"kegiatan {kode_kegiatan} is for {level} government; pemda {kode.pemda['kode']} "
                                f"is {kode.pemda['jenis']}")]
    return []


def periksa_sub_kegiatan(at: str, kode_sub: str, kode_kegiatan: str, kode: Kodefikasi) -> list[Pelanggaran]:
    row, errors = _nomenklatur(at, kode_sub, "sub_kegiatan", kode)
    if errors:
        return errors
    if row["kode_induk"] != kode_kegiatan and not kode_sub.startswith(kode_kegiatan + "."):
        return [Pelanggaran(at, f"sub kegiatan {kode_sub} is not under kegiatan {kode_kegiatan}")]
    return []


# -- the Renstra's own content ----------------------------------------------------------------------------

def kode_renstra(isi: IsiRenstra) -> tuple[list[str], list[str]]:
    """The nomenclature codes a Renstra names, and of those its programs (to read them from the replica)."""
    programs = [p.kode_program for t in isi.tujuan for s in t.sasaran for p in s.program]
    others = [k.kode_kegiatan for t in isi.tujuan for s in t.sasaran for p in s.program for k in p.kegiatan]
    others += [sk.kode_sub_kegiatan for t in isi.tujuan for s in t.sasaran for p in s.program for k in p.kegiatan
               for sk in k.sub_kegiatan]
    return sorted(set(programs + others)), sorted(set(programs))


def _melebihi(at: str, pagu: dict[int, Decimal], children: Iterator[dict[int, Decimal]], what: str) -> list[Pelanggaran]:
    """Where a node states its pagu for a year, its children together stay within it."""
    total = jumlah_pagu(children)
    return [Pelanggaran(f"{at}.pagu.{year}", f"its {what} together plan {total[year]} in {year}, more than "
                                             f"its pagu {pagu[year]}")
            for year in sorted(pagu) if total.get(year, Decimal(0)) > pagu[year]]


def periksa_isi(isi: IsiRenstra, kode_skpd: str, rpjmd: Rpjmd, kode: Kodefikasi) -> list[Pelanggaran]:
    """Kodes unique; each sasaran serving a sasaran of the RPJMD followed; every figure in its period; the
    codes allowed to this SKPD in this pemda; children's pagu within their parent's."""
    served = rpjmd.sasaran()
    tujuan, sasaran, errors = [], [], []
    for i, t in enumerate(isi.tujuan):
        tujuan.append((f"tujuan.{i}.kode", t.kode))
        for j, s in enumerate(t.sasaran):
            at = f"tujuan.{i}.sasaran.{j}"
            sasaran.append((f"{at}.kode", s.kode))
            if s.sasaran_rpjmd not in served:
                errors.append(Pelanggaran(f"{at}.sasaran_rpjmd", f"no sasaran {s.sasaran_rpjmd} in the RPJMD "
                                                                 f"{rpjmd.periode} this Renstra follows"))
            errors += kode_ganda([(f"{at}.program.{n}.kode_program", p.kode_program)
                                  for n, p in enumerate(s.program)], "program")
            for n, p in enumerate(s.program):
                at_p = f"{at}.program.{n}"
                errors += periksa_program(f"{at_p}.kode_program", p.kode_program, kode_skpd, kode)
                errors += kode_ganda([(f"{at_p}.kegiatan.{m}.kode_kegiatan", k.kode_kegiatan)
                                      for m, k in enumerate(p.kegiatan)], "kegiatan")
                errors += _melebihi(at_p, p.pagu, (k.pagu for k in p.kegiatan), "kegiatan")
                for m, k in enumerate(p.kegiatan):
                    at_k = f"{at_p}.kegiatan.{m}"
                    errors += periksa_kegiatan(f"{at_k}.kode_kegiatan", k.kode_kegiatan, p.kode_program, kode)
                    errors += kode_ganda([(f"{at_k}.sub_kegiatan.{x}.kode_sub_kegiatan", sk.kode_sub_kegiatan)
                                          for x, sk in enumerate(k.sub_kegiatan)], "sub kegiatan")
                    errors += _melebihi(at_k, k.pagu, (sk.pagu for sk in k.sub_kegiatan), "sub kegiatan")
                    for x, sk in enumerate(k.sub_kegiatan):
                        errors += periksa_sub_kegiatan(f"{at_k}.sub_kegiatan.{x}.kode_sub_kegiatan",
                                                       sk.kode_sub_kegiatan, k.kode_kegiatan, kode)
    return [*kode_ganda(tujuan, "tujuan"), *kode_ganda(sasaran, "sasaran"), *errors,
            *periksa_tahun(isi.model_dump(), rpjmd.tahun)]
