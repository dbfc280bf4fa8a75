"""The consistency reports' use cases: how an RPJMD and the Renstra that follow it agree
(``domain.periksa``), and how a year's RKPD agrees with its ceilings, the Renstra and the accepted proposals
(``domain.periksa_rkpd``). Read by every role of the pemda; an SKPD operator sees the findings of its own SKPD
(and those of the RPJMD itself), never another SKPD's."""
from __future__ import annotations

from contracts.perencanaan import JenisTemuanRkpd, KonsistensiRkpdOut, KonsistensiRpjmdOut, TemuanRkpd
from sipd_common import access
from sipd_common.access import Scope
from sipd_common.errors import NotFound
from sipd_common.validation import record_id

from ..usulan import usecases as usulan
from . import domain


def get_konsistensi_rpjmd(uow, caller: Scope | None, kode_pemda: str, id: str) -> KonsistensiRpjmdOut:
    caller = access.require_read(caller, kode_pemda)
    with uow:
        rpjmd = uow.rpjmd.get(kode_pemda, record_id(id, "RPJMD"))
        if rpjmd is None:
            raise NotFound(f"no RPJMD {id} in pemda {kode_pemda}")
        renstra = uow.renstra.of_rpjmd(rpjmd.id)
    temuan = domain.periksa(rpjmd, renstra)
    own = caller.skpd_filter
    if own is not None:
        temuan = [t for t in temuan if t.kode_skpd in (None, own)]
    return KonsistensiRpjmdOut(rpjmd_id=rpjmd.id, kode_pemda=kode_pemda, tahun_awal=rpjmd.tahun_awal,
                               tahun_akhir=rpjmd.tahun_akhir, jumlah=domain.jumlah(temuan), temuan=temuan)


# -- the year's RKPD (issue 12 part 9) -------------------------------------------------------------------

def usulan_tidak_tertaut(uow, kode_pemda: str, tahun: int, live: set[str]) -> list[TemuanRkpd]:
    """The accepted proposals of the year no live RKPD item answers (found by the proposals' own sub-domain,
    ``usulan``): never linked, or linked to an item deleted since."""
    found = []
    for u in usulan.accepted_not_linked(uow, kode_pemda, tahun, live):
        what = "is answered by no RKPD item" if u.rkpd_id is None else f"was answered by item {u.rkpd_id}, deleted since"
        found.append(TemuanRkpd(jenis=JenisTemuanRkpd.USULAN_TIDAK_TERTAUT, kode_skpd=u.kode_skpd, usulan_id=u.id,
                                rkpd_id=u.rkpd_id, kode_sub_kegiatan=u.kode_sub_kegiatan,
                                pesan=f"accepted {u.jenis} proposal {u.uraian!r} {what}"))
    return found


def get_konsistensi_rkpd(uow, caller: Scope | None, kode_pemda: str, tahun: int) -> KonsistensiRkpdOut:
    caller = access.require_read(caller, kode_pemda)
    with uow:
        items = uow.rkpd.all_of(kode_pemda, tahun)
        renstra = {kode: uow.renstra.covering(kode_pemda, kode, tahun) for kode in sorted({i.kode_skpd for i in items})}
        pagu = {p.kode_skpd: p.pagu for p in uow.pagu_skpd.list(kode_pemda, tahun)}
        temuan = domain.periksa_rkpd(tahun, items, renstra, pagu,
                                     usulan_tidak_tertaut(uow, kode_pemda, tahun, {i.id for i in items}))
    own = caller.skpd_filter
    if own is not None:
        temuan = [t for t in temuan if t.kode_skpd in (None, own)]
    return KonsistensiRkpdOut(kode_pemda=kode_pemda, tahun=tahun, jumlah=domain.jumlah_rkpd(temuan), temuan=temuan)
