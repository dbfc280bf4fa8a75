"""RPJMD rules: a pemda's five-year plan (visi, misi, tujuan, sasaran, indicators, priority programs), and
the rules of every five-year plan's figures, which a Renstra (``..renstra``) follows for the same period.

Pure: the plan's content arrives as the contract's models (``contracts.perencanaan.IsiRpjmd``); the
codification as ``replika.domain.Kodefikasi``. A broken rule is a ``Pelanggaran`` naming the field as the
caller sent it (``misi.0.tujuan.1.sasaran.0.indikator.2.target.2031``).
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any, Iterator

from contracts.perencanaan import IsiRpjmd, Polaritas

from ..rkpd.domain import Pelanggaran

# UU 23/2014 art. 263: the RPJMD covers five years (a transitional plan, RPD, would be another document)
LAMA_PERIODE = 5


@dataclass(frozen=True)
class Rpjmd:
    id: str
    kode_pemda: str
    tahun_awal: int
    tahun_akhir: int
    isi: IsiRpjmd
    version: int = 1

    @property
    def tahun(self) -> range:
        return range(self.tahun_awal, self.tahun_akhir + 1)

    @property
    def periode(self) -> str:
        return f"{self.tahun_awal}–{self.tahun_akhir}"

    def ubah(self, isi: IsiRpjmd) -> "Rpjmd":
        """A new version with this content; the same RPJMD when nothing changes."""
        return self if isi == self.isi else replace(self, isi=isi, version=self.version + 1)

    def sasaran(self) -> dict[str, str]:
        """Every sasaran's kode, with its uraian."""
        return {s.kode: s.uraian for m in self.isi.misi for t in m.tujuan for s in t.sasaran}

    def pagu_per_tahun(self) -> dict[int, Decimal]:
        return jumlah_pagu(p.pagu for m in self.isi.misi for t in m.tujuan for s in t.sasaran for p in s.program)


# -- the period -------------------------------------------------------------------------------------------

def periksa_periode(tahun_awal: int, tahun_akhir: int) -> list[Pelanggaran]:
    if tahun_akhir - tahun_awal + 1 != LAMA_PERIODE:
        return [Pelanggaran("tahun_akhir", f"an RPJMD covers {LAMA_PERIODE} years: from {tahun_awal} it ends in "
                                           f"{tahun_awal + LAMA_PERIODE - 1}, not {tahun_akhir}")]
    return []


def tumpang_tindih(tahun_awal: int, tahun_akhir: int, others: list[tuple[int, int]]) -> list[Pelanggaran]:
    """A pemda has one RPJMD for any year: a period may not overlap another's."""
    for awal, akhir in others:
        if awal <= tahun_akhir and tahun_awal <= akhir:
            return [Pelanggaran("tahun_awal", f"the pemda already has an RPJMD for {awal}–{akhir}, which overlaps "
                                              f"{tahun_awal}–{tahun_akhir}")]
    return []


# -- figures of every five-year plan (RPJMD and Renstra) --------------------------------------------------

def _walk(node: Any, path: tuple = ()) -> Iterator[tuple[tuple, dict]]:
    """Every dict of a plan's content (as ``model_dump()`` gives it), with its path."""
    if isinstance(node, dict):
        yield path, node
        for key, value in node.items():
            if isinstance(value, (dict, list)) and key not in ("target", "pagu"):
                yield from _walk(value, path + (key,))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _walk(value, path + (i,))


def _field(*parts) -> str:
    return ".".join(str(p) for p in parts)


def periksa_tahun(isi: dict, tahun: range) -> list[Pelanggaran]:
    """Every yearly figure (an indicator's targets, a node's pagu) is for a year of the plan's period."""
    errors = []
    for path, node in _walk(isi):
        for key in ("target", "pagu"):
            values = node.get(key)
            if not isinstance(values, dict):
                continue
            for year in sorted(values):
                if year not in tahun:
                    errors.append(Pelanggaran(_field(*path, key, year),
                                              f"{year} is outside the plan's period {tahun.start}–{tahun.stop - 1}"))
    return errors


def indikator_di(isi: dict) -> Iterator[tuple[str, dict]]:
    """Every indicator of a plan's content (as ``model_dump()`` gives it), with its field path."""
    for path, node in _walk(isi):
        if "polaritas" in node:
            yield _field(*path), node


def target_akhir(polaritas: Polaritas | str, target: dict[int, Decimal]) -> Decimal | None:
    """The end-of-period target derived from the yearly ones: their sum for a cumulative indicator, the last
    year's otherwise (higher or lower is better: where the period ends)."""
    if not target:
        return None
    if Polaritas(polaritas) is Polaritas.KUMULATIF:
        return sum(target.values(), Decimal(0))
    return target[max(target)]


def lengkapi(isi: dict, nama: dict[str, str] | None = None) -> dict:
    """The content as stored: each indicator's ``target_akhir`` derived where left out, and the names of the
    codification's codes (``nama_program`` … from ``nama``), whatever the caller sent for them."""
    nama = nama or {}
    for _, node in _walk(isi):
        if "polaritas" in node and node.get("target_akhir") is None:
            node["target_akhir"] = target_akhir(node["polaritas"], node.get("target") or {})
        for tingkat in ("program", "kegiatan", "sub_kegiatan"):
            if f"kode_{tingkat}" in node:
                node[f"nama_{tingkat}"] = nama.get(node[f"kode_{tingkat}"])
    return isi


def kode_ganda(nodes: list[tuple[str, Any]], what: str) -> list[Pelanggaran]:
    """``(field, kode)`` pairs: a kode named twice is refused at its second place."""
    seen: set = set()
    errors = []
    for field_, kode in nodes:
        if kode in seen:
            errors.append(Pelanggaran(field_, f"{what} {kode} is named twice"))
        seen.add(kode)
    return errors


def jumlah_pagu(pagu: Iterator[dict[int, Decimal]]) -> dict[int, Decimal]:
    total: dict[int, Decimal] = {}
    for per_year in pagu:
        for year, amount in per_year.items():
            total[year] = total.get(year, Decimal(0)) + amount
    return dict(sorted(total.items()))


# -- the RPJMD's own content ------------------------------------------------------------------------------

def periksa_isi(isi: IsiRpjmd, tahun: range) -> list[Pelanggaran]:
    """Kodes unique (misi among misi, tujuan and sasaran in the whole RPJMD; a program once per SKPD in a
    sasaran) and every figure in the period. The codes of the codification are ``periksa_program``'s."""
    misi, tujuan, sasaran, program = [], [], [], []
    for i, m in enumerate(isi.misi):
        misi.append((f"misi.{i}.kode", m.kode))
        for j, t in enumerate(m.tujuan):
            tujuan.append((f"misi.{i}.tujuan.{j}.kode", t.kode))
            for k, s in enumerate(t.sasaran):
                at = f"misi.{i}.tujuan.{j}.sasaran.{k}"
                sasaran.append((f"{at}.kode", s.kode))
                program += kode_ganda([(f"{at}.program.{n}.kode_program", (p.kode_program, p.kode_skpd))
                                       for n, p in enumerate(s.program)], "program (with its SKPD)")
    return [*kode_ganda(misi, "misi"), *kode_ganda(tujuan, "tujuan"), *kode_ganda(sasaran, "sasaran"), *program,
            *periksa_tahun(isi.model_dump(), tahun)]


def program_rpjmd(isi: IsiRpjmd) -> Iterator[tuple[str, Any]]:
    """Every priority program, with its field path."""
    for i, m in enumerate(isi.misi):
        for j, t in enumerate(m.tujuan):
            for k, s in enumerate(t.sasaran):
                for n, p in enumerate(s.program):
                    yield f"misi.{i}.tujuan.{j}.sasaran.{k}.program.{n}", p


def sasaran_dilepas(before: "Rpjmd", after: IsiRpjmd, dilayani: dict[str, list[str]]) -> list[Pelanggaran]:
    """A sasaran a Renstra serves (``dilayani``: kode → the SKPD whose Renstra serve it) stays in the RPJMD."""
    kept = {s.kode for m in after.misi for t in m.tujuan for s in t.sasaran}
    return [Pelanggaran("misi", f"sasaran {kode} is served by the Renstra of SKPD {', '.join(sorted(skpd))}; "
                                "change those first")
            for kode, skpd in sorted(dilayani.items()) if kode not in kept and kode in before.sasaran()]
