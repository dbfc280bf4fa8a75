"""The Renja (rencana kerja) of an SKPD for a year: its part of the year's RKPD, planned by the SKPD,
submitted, and verified by Bappeda or returned with a note (Permendagri 86/2017). While it is submitted or
verified its items no longer change (``..rkpd`` asks ``dapat_diubah``). Pure."""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Any

from contracts.perencanaan import StatusRenja

from ..rkpd.domain import Pelanggaran
from ..rpjmd.domain import StatusTidakSesuai


@dataclass(frozen=True)
class Renja:
    kode_pemda: str
    tahun: int
    kode_skpd: str
    status: StatusRenja = StatusRenja.DRAFT
    catatan: str | None = None
    version: int = 0  # 0: never submitted (no row yet)

    @property
    def dapat_diubah(self) -> bool:
        """Its items change while the SKPD works on it: a draft, or returned by Bappeda."""
        return self.status in (StatusRenja.DRAFT, StatusRenja.DIKEMBALIKAN)

    def ajukan(self) -> "Renja":
        if not self.dapat_diubah:
            raise StatusTidakSesuai(f"the Renja of SKPD {self.kode_skpd} for {self.tahun} is {self.status}")
        return replace(self, status=StatusRenja.DIAJUKAN, version=self.version + 1)

    def verifikasi(self, setuju: bool, catatan: str | None) -> "Renja":
        """Bappeda verifies a submitted Renja, or returns it with a note; a verified one it may still return (its
        items change again: e.g. an item a later stage requires to name its Renstra sasaran, which a stage's
        lock asks of every item)."""
        returnable = (StatusRenja.DIAJUKAN, StatusRenja.TERVERIFIKASI)
        if self.status != StatusRenja.DIAJUKAN and (setuju or self.status not in returnable):
            raise StatusTidakSesuai(f"the Renja of SKPD {self.kode_skpd} for {self.tahun} is {self.status}; "
                                    "Bappeda verifies a submitted one (and returns a submitted or verified one)")
        status = StatusRenja.TERVERIFIKASI if setuju else StatusRenja.DIKEMBALIKAN
        return replace(self, status=status, catatan=catatan, version=self.version + 1)


def periksa_ajukan(jumlah_sub_kegiatan: int) -> list[Pelanggaran]:
    if jumlah_sub_kegiatan == 0:
        return [Pelanggaran("kode_skpd", "the SKPD plans no sub kegiatan this year: nothing to submit")]
    return []


def periksa_verifikasi(setuju: bool, catatan: str | None) -> list[Pelanggaran]:
    if not setuju and not catatan:
        return [Pelanggaran("catatan", "say why the Renja is returned to the SKPD")]
    return []


# -- the Renja as a spreadsheet (bulk entry by the SKPD) -------------------------------------------------
# One row per sub kegiatan of the SKPD (header in row 1, names as below, any order, any case); the SKPD is the
# one the file is imported for. Lists (lokasi, label_prioritas) in one cell, separated by ``;`` or ``,``. The
# funding sources (``sumber_dana``) in one cell too, each ``kode=pagu`` (or ``kode: pagu``), separated by ``;``
# or line breaks: ``1.1=600000; 1.2=400000.50`` (the amounts with a decimal point, adding up to the pagu
# indikatif, as for a single item's ``sumber_dana``).
KOLOM = ("kode_sub_kegiatan", "kinerja", "indikator", "target", "satuan", "pagu_indikatif", "pagu_indikatif_n1",
         "lokasi", "sumber_dana", "bulan_mulai", "bulan_selesai", "label_prioritas", "catatan",
         "kode_sasaran_renstra")
KOLOM_WAJIB = ("kode_sub_kegiatan", "target", "pagu_indikatif")
_DAFTAR = ("lokasi", "label_prioritas")
_KODE = ("kode_sub_kegiatan", "lokasi", "kode_sasaran_renstra", "sumber_dana")
MAX_BARIS = 5000  # an SKPD's Renja: far more sub kegiatan than any SKPD plans in a year


def nama_kolom(header: Any) -> str:
    """Header cells as operators write them: ``Pagu Indikatif`` is ``pagu_indikatif``."""
    return "_".join(str(header or "").strip().lower().replace("-", " ").split())


def periksa_header(header: list[Any]) -> tuple[list[str], list[Pelanggaran]]:
    """The columns of row 1, and what is wrong with them (named ``rows.1.<column>``)."""
    columns = [nama_kolom(h) for h in header]
    errors = [Pelanggaran(f"rows.1.{c}", "unknown column; the columns are " + ", ".join(KOLOM))
              for c in columns if c and c not in KOLOM]
    errors += [Pelanggaran(f"rows.1.{c}", "the column is named twice") for c in sorted(set(columns))
               if c and columns.count(c) > 1]
    errors += [Pelanggaran(f"rows.1.{c}", "the column is missing") for c in KOLOM_WAJIB if c not in columns]
    return columns, errors


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _sel(column: str, value: Any) -> Any:
    """A cell as the plan item's field reads it; a code typed as a number is refused (1.10 would arrive as 1.1),
    a number kept exact (a float as the shortest text that is it: what was typed)."""
    if isinstance(value, bool):
        raise ValueError("is not a value of this column")
    if column in _KODE and isinstance(value, float):
        raise ValueError(f"{value!r} is a number in the spreadsheet; format the column as text so that a code "
                         "keeps its digits")
    if isinstance(value, float):
        value = int(value) if value.is_integer() and column.startswith("bulan") else repr(value)
    if column in _DAFTAR:
        return [part.strip() for part in re.split(r"[;,]", str(value)) if part.strip()]
    if column == "sumber_dana":
        return sumber_dana(str(value))
    return value.strip() if isinstance(value, str) else (str(value) if not column.startswith("bulan") else value)


def sumber_dana(cell: str) -> list[dict]:
    """``1.1=600000; 1.2=400000.50`` → ``[{"kode_sumber_dana": "1.1", "pagu": "600000"}, ...]`` (the amounts as
    text, checked as a single item's are); an entry without its code or amount is refused."""
    out = []
    for part in re.split(r"[;\n]", cell):
        part = part.strip()
        if not part:
            continue
        match = re.fullmatch(r"([^=:]+?)\s*[=:]\s*(\S.*)", part)
        if match is None:
            raise ValueError(f"{part!r}: write each funding source as kode=pagu (e.g. 1.1=600000), separated by ;")
        out.append({"kode_sumber_dana": match[1].strip(), "pagu": match[2].strip()})
    return out


def baris(number: int, columns: list[str], cells: list[Any]) -> tuple[dict, list[Pelanggaran]]:
    """One data row as the fields of a new plan item (blank cells left out), and its cells that cannot be read."""
    data, errors = {}, []
    for column, value in zip(columns, cells):
        if column not in KOLOM or _blank(value):
            continue
        try:
            data[column] = _sel(column, value)
        except ValueError as exc:
            errors.append(Pelanggaran(f"rows.{number}.{column}", str(exc)))
    return data, errors


def kosong(cells: list[Any]) -> bool:
    """A row with nothing in it (spreadsheets keep formatted empty rows): skipped."""
    return all(_blank(c) for c in cells)
