"""The printed RKPD and Renja: their table, laid out as pemda print them — per SKPD, its programs, their
kegiatan and sub kegiatan, with indikator, target, lokasi, pagu indikatif N and N+1 — with subtotals at
every level. Pure: items and names arrive as plain data; the files are made by ``render``.

Amounts are summed exactly (Decimal) and printed in full rupiah and sen, never rounded."""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from ..jadwal.domain import kode_kegiatan, kode_program


@dataclass(frozen=True)
class Baris:
    level: str            # skpd | program | kegiatan | sub_kegiatan | total
    kode: str
    uraian: str
    pagu: Decimal
    pagu_n1: Decimal
    indikator: str = ""
    target: str = ""
    satuan: str = ""
    lokasi: str = ""
    sumber_dana: str = ""
    # of a perubahan: the enacted (murni) pagu beside the revised one (``pagu``), and the difference
    pagu_murni: Decimal | None = None

    @property
    def selisih(self) -> Decimal | None:
        return None if self.pagu_murni is None else self.pagu - self.pagu_murni


@dataclass(frozen=True)
class Dokumen:
    judul: str
    pemda: str
    tahun: int
    tahap: str            # which stage's snapshot, or "draft (live)"
    baris: list[Baris] = field(default_factory=list)
    perubahan: bool = False  # a perubahan's: pagu murni, perubahan and their difference side by side


def _dec(value) -> Decimal:
    return Decimal(0) if value is None else Decimal(value)


def susun(items: list[dict], names: dict, *, kode_pemda: str, tahun: int, tahap: str,
          kode_skpd: str | None = None) -> Dokumen:
    """The document's rows: an RKPD (every SKPD) or, for ``kode_skpd``, that SKPD's Renja.

    Items of a perubahan carry their enacted figure (``pagu_indikatif_murni``: ``jadwal.domain.dengan_murni``):
    the document then prints pagu murni beside the revised pagu and the difference, at every level, and an
    enacted item the perubahan removed (``dihapus``) stays, at 0, so that the columns add up."""
    nomenklatur, skpd_names = names.get("nomenklatur", {}), names.get("skpd", {})
    pemda = names.get("pemda", {}).get(kode_pemda, kode_pemda)
    perubahan = any("pagu_indikatif_murni" in i for i in items)
    # an item the perubahan removed: nothing for N+1 either
    items = sorted(({**i, "pagu_indikatif_n1": None} if i.get("dihapus") else i for i in items
                    if (perubahan or not i.get("dihapus"))
                    and (kode_skpd is None or i["kode_skpd"] == kode_skpd)),
                   key=lambda i: (i["kode_skpd"], i["kode_sub_kegiatan"]))
    rows: list[Baris] = []
    total, total_n1, total_murni = Decimal(0), Decimal(0), Decimal(0)

    def sums(group):
        pagu = (sum((_dec(i["pagu_indikatif"]) for i in group), Decimal(0)),
                sum((_dec(i.get("pagu_indikatif_n1")) for i in group), Decimal(0)))
        return (*pagu, sum((_dec(i.get("pagu_indikatif_murni")) for i in group), Decimal(0)) if perubahan else None)

    def subtotal(level: str, kode: str, uraian: str, group) -> Baris:
        pagu, pagu_n1, murni = sums(group)
        return Baris(level, kode, uraian, pagu, pagu_n1, pagu_murni=murni)

    for skpd in sorted({i["kode_skpd"] for i in items}):
        of_skpd = [i for i in items if i["kode_skpd"] == skpd]
        rows.append(subtotal("skpd", skpd, skpd_names.get(skpd, skpd), of_skpd))
        for program in sorted({kode_program(i["kode_sub_kegiatan"]) for i in of_skpd}):
            of_program = [i for i in of_skpd if kode_program(i["kode_sub_kegiatan"]) == program]
            rows.append(subtotal("program", program, nomenklatur.get(program, ""), of_program))
            for kegiatan in sorted({kode_kegiatan(i["kode_sub_kegiatan"]) for i in of_program}):
                of_kegiatan = [i for i in of_program if kode_kegiatan(i["kode_sub_kegiatan"]) == kegiatan]
                rows.append(subtotal("kegiatan", kegiatan, nomenklatur.get(kegiatan, ""), of_kegiatan))
                for i in of_kegiatan:
                    rows.append(Baris(
                        "sub_kegiatan", i["kode_sub_kegiatan"],
                        i["nama_sub_kegiatan"] + (" (dihapus dalam perubahan)" if i.get("dihapus") else ""),
                        _dec(i["pagu_indikatif"]),
                        _dec(i.get("pagu_indikatif_n1")), indikator=i.get("indikator") or "",
                        target=str(i.get("target") or ""), satuan=i.get("satuan") or "",
                        lokasi=", ".join(i.get("lokasi") or []),
                        sumber_dana=", ".join(d["kode_sumber_dana"] for d in i.get("sumber_dana") or []),
                        pagu_murni=_dec(i.get("pagu_indikatif_murni")) if perubahan else None))
        s, s1, sm = sums(of_skpd)
        total, total_n1 = total + s, total_n1 + s1
        total_murni += sm or 0
    rows.append(Baris("total", "", "JUMLAH", total, total_n1, pagu_murni=total_murni if perubahan else None))
    judul = (f"RENCANA KERJA PERANGKAT DAERAH (RENJA) {skpd_names.get(kode_skpd, kode_skpd)}" if kode_skpd
             else "RENCANA KERJA PEMERINTAH DAERAH (RKPD)")
    if perubahan:
        judul = judul.replace("RENCANA KERJA", "PERUBAHAN RENCANA KERJA", 1)
    return Dokumen(judul=judul, pemda=pemda, tahun=tahun, tahap=tahap, baris=rows, perubahan=perubahan)


def rupiah(value: Decimal) -> str:
    """``1234567.5`` → ``1.234.567,50`` (as Indonesian documents print rupiah; exact, two decimals)."""
    whole, _, sen = f"{value:.2f}".partition(".")
    sign = "-" if whole.startswith("-") else ""
    whole = whole.lstrip("-")
    groups = []
    while whole:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    return f"{sign}{'.'.join(groups) or '0'},{sen}"
