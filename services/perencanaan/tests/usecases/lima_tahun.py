"""What the five-year plans' use-case tests share: a filled replica with a few more codes, an RPJMD and a
Renstra as a caller sends them."""
from __future__ import annotations

from services.perencanaan.replika import usecases as replika
from sipd_common.access import Role, Scope

from .fakes import FakePerencanaanUnitOfWork
from .kodefikasi import DINAS_KESEHATAN, DINAS_PENDIDIKAN, KOTA, PROVINSI, SNAPSHOT, USB, nomenklatur

AWAL, AKHIR = 2026, 2030
BAPPEDA = Scope("u1", "bappeda.bandung", Role.BAPPEDA, KOTA)
OPERATOR = Scope("u2", "operator.disdik", Role.SKPD_OPERATOR, KOTA, DINAS_PENDIDIKAN)
OPERATOR_DINKES = Scope("u3", "operator.dinkes", Role.SKPD_OPERATOR, KOTA, DINAS_KESEHATAN)
BAPPEDA_JABAR = Scope("u4", "bappeda.jabar", Role.BAPPEDA, PROVINSI)

PROGRAM = "1.01.02"
KEGIATAN = "1.01.02.2.01"
KEGIATAN_PROVINSI = "1.01.02.1.01"
PROGRAM_KESEHATAN = "1.02.02"
PROGRAM_TANPA_KOTA = "1.01.03"  # only province kegiatan under it
PROGRAM_PENUNJANG = "1.01.01"

EXTRA = [
    nomenklatur(KEGIATAN_PROVINSI, "kegiatan", "Pengelolaan Pendidikan SMA", 40),
    nomenklatur(PROGRAM_KESEHATAN, "program", "PROGRAM PEMENUHAN UPAYA KESEHATAN", 41),
    nomenklatur("1.02.02.2.01", "kegiatan", "Penyediaan Fasilitas Pelayanan Kesehatan", 42),
    nomenklatur(PROGRAM_TANPA_KOTA, "program", "PROGRAM PENGEMBANGAN KURIKULUM", 43),
    nomenklatur("1.01.03.1.01", "kegiatan", "Penetapan Kurikulum Muatan Lokal SMA", 44),
    nomenklatur(PROGRAM_PENUNJANG, "program", "PROGRAM PENUNJANG URUSAN PEMERINTAHAN DAERAH", 45),
    nomenklatur("1.01.01.2.01", "kegiatan", "Perencanaan, Penganggaran, dan Evaluasi Kinerja", 46),
]


def filled() -> FakePerencanaanUnitOfWork:
    uow = FakePerencanaanUnitOfWork()
    for kind, items in SNAPSHOT.items():
        replika.apply_snapshot_page(uow, kind, items + (EXTRA if kind == "nomenklatur" else []))
    uow.replika.terisi()
    uow.commit()
    return uow


def indikator(**over) -> dict:
    return {"uraian": "Angka Partisipasi Murni SD", "satuan": "%", "polaritas": "positif", "baseline": "95.2",
            "target": {"2026": "95.5", "2027": "96", "2028": "96.5", "2029": "97", "2030": "97.5"}, **over}


def program_rpjmd(**over) -> dict:
    return {"kode_program": PROGRAM, "kode_skpd": DINAS_PENDIDIKAN, "indikator": [indikator()],
            "pagu": {"2026": "150000000000.00", "2027": "160000000000.00"}, **over}


def isi_rpjmd(program: list | None = None, sasaran: list | None = None) -> dict:
    sasaran = sasaran or [{"kode": "1.1.1", "uraian": "Meningkatnya akses pendidikan dasar",
                           "indikator": [indikator()], "program": program or [program_rpjmd()]}]
    return {"visi": "Bandung yang unggul", "misi": [{"kode": "1", "uraian": "SDM berkualitas", "tujuan": [{
        "kode": "1.1", "uraian": "Meningkatnya kualitas pendidikan", "indikator": [indikator(uraian="IPM")],
        "sasaran": sasaran}]}]}


def rpjmd_baru(awal: int = AWAL, akhir: int = AKHIR, **isi) -> dict:
    return {"tahun_awal": awal, "tahun_akhir": akhir, **isi_rpjmd(**isi)}


def sub_kegiatan(**over) -> dict:
    return {"kode_sub_kegiatan": USB, "indikator": [indikator(uraian="Jumlah sekolah baru", satuan="Unit",
                                                              polaritas="kumulatif", target={"2026": "2", "2027": "3"})],
            "pagu": {"2026": "3500000000.00"}, **over}


def program_renstra(kegiatan: list | None = None, **over) -> dict:
    kegiatan = kegiatan if kegiatan is not None else [{"kode_kegiatan": KEGIATAN, "pagu": {"2026": "4000000000.00"},
                                                       "sub_kegiatan": [sub_kegiatan()]}]
    return {"kode_program": PROGRAM, "indikator": [indikator()], "pagu": {"2026": "50000000000.00"},
            "kegiatan": kegiatan, **over}


def isi_renstra(program: list | None = None, sasaran_rpjmd: str = "1.1.1") -> dict:
    return {"tujuan": [{"kode": "T1", "uraian": "Meningkatnya mutu pendidikan dasar", "sasaran": [{
        "kode": "S1", "uraian": "Meningkatnya daya tampung SD", "sasaran_rpjmd": sasaran_rpjmd,
        "indikator": [indikator()], "program": program if program is not None else [program_renstra()]}]}]}


def fields(raised) -> list[str]:
    return [e["field"] for e in raised.value.errors]


def renstra_terverifikasi(uow, kode_skpd: str = DINAS_PENDIDIKAN, operator: Scope = OPERATOR):
    """An RPJMD (2026–2030) and the SKPD's Renstra following it, submitted and verified by Bappeda: the one
    the year's plan items link their sasaran to (its sasaran ``S1``)."""
    from services.perencanaan.renstra import usecases as renstra
    from services.perencanaan.rpjmd import usecases as rpjmd

    plan = rpjmd.create_rpjmd(uow, BAPPEDA, KOTA, rpjmd_baru())
    item = renstra.create_renstra(uow, operator, KOTA, kode_skpd, {"rpjmd_id": plan.id, **isi_renstra()})
    renstra.submit_renstra(uow, operator, KOTA, kode_skpd, item.id)
    return renstra.verify_renstra(uow, BAPPEDA, KOTA, kode_skpd, item.id, {"setuju": True})
