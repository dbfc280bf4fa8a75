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


@dataclass(frozen=True)
class Dokumen:
    judul: str
    pemda: str
    tahun: int
    tahap: str            # which stage's snapshot, or "draft (live)"
    baris: list[Baris] = field(default_factory=list)


def _dec(value) -> Decimal:
    return Decimal(0) if value is None else Decimal(value)


def susun(items: list[dict], names: dict, *, kode_pemda: str, tahun: int, tahap: str,
          kode_skpd: str | None = None) -> Dokumen:
    """The document's rows: an RKPD (every SKPD) or, for ``kode_skpd``, that SKPD's Renja."""
    nomenklatur, skpd_names = names.get("nomenklatur", {}), names.get("skpd", {})
    pemda = names.get("pemda", {}).get(kode_pemda, kode_pemda)
    items = sorted((i for i in items if not i.get("dihapus") and (kode_skpd is None or i["kode_skpd"] == kode_skpd)),
                   key=lambda i: (i["kode_skpd"], i["kode_sub_kegiatan"]))
    rows: list[Baris] = []
    total, total_n1 = Decimal(0), Decimal(0)

    def sums(group):
        return (sum((_dec(i["pagu_indikatif"]) for i in group), Decimal(0)),
                sum((_dec(i.get("pagu_indikatif_n1")) for i in group), Decimal(0)))

    for skpd in sorted({i["kode_skpd"] for i in items}):
        of_skpd = [i for i in items if i["kode_skpd"] == skpd]
        rows.append(Baris("skpd", skpd, skpd_names.get(skpd, skpd), *sums(of_skpd)))
        for program in sorted({kode_program(i["kode_sub_kegiatan"]) for i in of_skpd}):
            of_program = [i for i in of_skpd if kode_program(i["kode_sub_kegiatan"]) == program]
            rows.append(Baris("program", program, nomenklatur.get(program, ""), *sums(of_program)))
            for kegiatan in sorted({kode_kegiatan(i["kode_sub_kegiatan"]) for i in of_program}):
                of_kegiatan = [i for i in of_program if kode_kegiatan(i["kode_sub_kegiatan"]) == kegiatan]
                rows.append(Baris("kegiatan", kegiatan, nomenklatur.get(kegiatan, ""), *sums(of_kegiatan)))
                for i in of_kegiatan:
                    rows.append(Baris(
                        "sub_kegiatan", i["kode_sub_kegiatan"], i["nama_sub_kegiatan"], _dec(i["pagu_indikatif"]),
                        _dec(i.get("pagu_indikatif_n1")), indikator=i.get("indikator") or "",
                        target=str(i.get("target") or ""), satuan=i.get("satuan") or "",
                        lokasi=", ".join(i.get("lokasi") or []),
                        sumber_dana=", ".join(d["kode_sumber_dana"] for d in i.get("sumber_dana") or [])))
        s, s1 = sums(of_skpd)
        total, total_n1 = total + s, total_n1 + s1
    rows.append(Baris("total", "", "JUMLAH", total, total_n1))
    judul = (f"RENCANA KERJA PERANGKAT DAERAH (RENJA) {skpd_names.get(kode_skpd, kode_skpd)}" if kode_skpd
             else "RENCANA KERJA PEMERINTAH DAERAH (RKPD)")
    return Dokumen(judul=judul, pemda=pemda, tahun=tahun, tahap=tahap, baris=rows)


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
