"""The LRA of a pemda-year (or one SKPD's) for a period: the budget after perubahan (``perubahan.anggaran_per_akun``),
the realisation of the period by its date and the same period of the year before (``uow.lra``), the names from the
replica; laid out by ``domain.susun``, printed by ``dokumen`` (the shared printer, ``cetak``).

Read by every role of the pemda; an SKPD operator its own SKPD's report only (403 for another's). The public's
(``get_lra_publik``) needs no caller: the whole pemda's year against the budget as enacted, month by month."""
from __future__ import annotations

import base64
from decimal import Decimal

from contracts.keuangan import LraOut, LraPublikOut
from sipd_common import access
from sipd_common.access import Scope
from sipd_common.errors import Invalid, NotFound

from ..perubahan import usecases as perubahan
from . import dokumen, domain


def _nilai(n: domain.Nilai) -> dict:
    return {"anggaran": n.anggaran, "realisasi": n.realisasi, "persen": n.persen, "realisasi_lalu": n.realisasi_lalu}


def _bagian(b: domain.Bagian) -> dict:
    return {"baris": [{"kode_rekening": r.kode, "nama_rekening": r.nama, "tingkat": r.tingkat, **_nilai(r.nilai)}
                      for r in b.baris], "jumlah": _nilai(b.jumlah)}


def _per_akun(rows, kode_skpd: str | None) -> dict[str, Decimal]:
    out: dict[str, Decimal] = {}
    for s, rek, jumlah in rows:
        if kode_skpd is None or s == kode_skpd:
            out[rek] = out.get(rek, Decimal(0)) + jumlah
    return out


def _tingkat(tingkat: int) -> None:
    if not 1 <= tingkat <= len(domain.TINGKAT):
        raise Invalid.field("tingkat", f"tingkat is 1 .. {len(domain.TINGKAT)}, not {tingkat}")


def _lra(kode_pemda: str, tahun: int, periode: str, tingkat: int, lra: domain.Lra, **extra) -> dict:
    dari, sampai = domain.rentang(tahun, periode)
    return {"kode_pemda": kode_pemda, "tahun": tahun, "periode": periode, "dari": dari, "sampai": sampai,
            "tingkat": tingkat, "pendapatan": _bagian(lra.pendapatan), "belanja": _bagian(lra.belanja),
            "surplus_defisit": _nilai(lra.surplus_defisit), "penerimaan_pembiayaan": _bagian(lra.penerimaan_pembiayaan),
            "pengeluaran_pembiayaan": _bagian(lra.pengeluaran_pembiayaan),
            "pembiayaan_netto": _nilai(lra.pembiayaan_netto), "silpa": _nilai(lra.silpa), **extra}


def _susun(uow, caller: Scope | None, kode_pemda: str, tahun: int, periode: str, tingkat: int,
           kode_skpd: str | None) -> LraOut:
    caller = access.require_read(caller, kode_pemda)
    kode_skpd = access.require_skpd_filter(caller, kode_skpd)
    try:
        dari, sampai = domain.rentang(tahun, periode)
    except ValueError as exc:
        raise Invalid.field("periode", str(exc)) from None
    _tingkat(tingkat)
    lalu_dari, lalu_sampai = domain.rentang(tahun - 1, periode)
    with uow:
        if uow.apbd.ditetapkan(kode_pemda, tahun, isi=False) is None:
            raise NotFound(f"the APBD {kode_pemda}/{tahun} is not enacted: it has no LRA")
        anggaran = _per_akun(perubahan.anggaran_per_akun(uow, kode_pemda, tahun, kode_skpd), kode_skpd)
        realisasi = _per_akun(((s, r, j) for (s, r), j in uow.lra.realisasi(kode_pemda, tahun, dari, sampai,
                                                                             kode_skpd).items()), kode_skpd)
        lalu = _per_akun(((s, r, j) for (s, r), j in uow.lra.realisasi(kode_pemda, tahun - 1, lalu_dari, lalu_sampai,
                                                                        kode_skpd).items()), kode_skpd)
        nama = uow.apbd.nama_rekening(sorted(domain.induk_semua({*anggaran, *realisasi, *lalu}, tingkat)))
    lra = domain.susun(anggaran, realisasi, lalu, tingkat, nama)
    return LraOut.model_validate(_lra(kode_pemda, tahun, periode, tingkat, lra, kode_skpd=kode_skpd))


def get_lra(uow, caller: Scope | None, kode_pemda: str, tahun: int, periode: str = "tahun", tingkat: int = 6,
            kode_skpd: str | None = None) -> LraOut:
    """The LRA for ``periode`` (tahun, semester-1/2, bulan-m) to account level ``tingkat`` (1 akun … 6 sub rincian
    objek), of the pemda or of ``kode_skpd``. 404 before the APBD is enacted; 422 naming periode or tingkat."""
    return _susun(uow, caller, kode_pemda, tahun, periode, tingkat, kode_skpd)


def get_lra_publik(uow, kode_pemda: str, tahun: int, tingkat: int = 2) -> LraPublikOut:
    """The whole pemda's LRA of the year so far, for everyone (the public portal, open data): no caller is needed.
    NotFound before the APBD is enacted (a draft budget has no LRA); the budget is the enacted one
    (``perubahan.anggaran_terbit``: an open APBD-P's figures never), the realisation the disbursed SP2D and validated
    STS by their date, also per month; the previous year's whole realisation beside it."""
    _tingkat(tingkat)
    lalu_dari, lalu_sampai = domain.rentang(tahun - 1, "tahun")
    with uow:
        apbd = uow.apbd.ditetapkan(kode_pemda, tahun, isi=False)
        if apbd is None:
            raise NotFound(f"the APBD {kode_pemda}/{tahun} is not enacted: it has no LRA")
        apbd_p, pos = perubahan.anggaran_terbit(uow, kode_pemda, tahun)
        anggaran = _per_akun(pos, None)
        per_bulan = uow.lra.realisasi_bulanan(kode_pemda, tahun)
        realisasi: dict[str, Decimal] = {}
        for (_, rek), (jumlah, _) in per_bulan.items():
            realisasi[rek] = realisasi.get(rek, Decimal(0)) + jumlah
        lalu = _per_akun(((s, r, j) for (s, r), j in uow.lra.realisasi(kode_pemda, tahun - 1, lalu_dari,
                                                                        lalu_sampai).items()), None)
        nama = uow.apbd.nama_rekening(sorted(domain.induk_semua({*anggaran, *realisasi, *lalu}, tingkat)))
    dasar = apbd_p or apbd
    lra = domain.susun(anggaran, realisasi, lalu, tingkat, nama)
    return LraPublikOut.model_validate(_lra(
        kode_pemda, tahun, "tahun", tingkat, lra, kode_skpd=None,
        dasar_anggaran="apbd_perubahan" if apbd_p else "apbd", nomor_perda=dasar["nomor_perda"],
        tanggal_perda=dasar["tanggal_perda"], realisasi_terakhir=max((t for _, t in per_bulan.values()), default=None),
        bulanan=domain.bulanan({k: v for k, (v, _) in per_bulan.items()})))


def dokumen_lra(uow, caller: Scope | None, kode_pemda: str, tahun: int, format: str, periode: str = "tahun",
                tingkat: int = 6, kode_skpd: str | None = None) -> dict:
    """The LRA as printed (XLSX or PDF): ``{"filename", "content_type", "content"}`` (content base64)."""
    if format not in dokumen.FORMATS:
        raise Invalid.field("format", f"format is one of {', '.join(dokumen.FORMATS)}")
    out = _susun(uow, caller, kode_pemda, tahun, periode, tingkat, kode_skpd)
    content_type, make = dokumen.FORMATS[format]
    nama = f"lra-{kode_pemda}-{tahun}-{periode}" + (f"-{kode_skpd}" if kode_skpd else "")
    return {"filename": f"{nama}.{format}", "content_type": content_type,
            "content": base64.b64encode(make(dokumen.lra(out))).decode("ascii")}
