"""The consistency report's rules: where the five-year plans disagree (Permendagri 86/2017: every Renstra
sasaran serves an RPJMD sasaran; every priority program is carried by the Renstra of its SKPD; a target
of year t is the plan's above unless a note says why).

The report lists, it refuses nothing: a plan is made in stages, and an inconsistency on the way is work
to do, not an error. Pure: the RPJMD and its Renstra arrive as domain objects.
"""
from __future__ import annotations

from decimal import Decimal

from contracts.perencanaan import JenisTemuan, JenisTemuanRkpd, StatusRenstra, Temuan, TemuanRkpd

from ..renstra.domain import Renstra
from ..rkpd.domain import SubKegiatanRkpd
from ..rpjmd.domain import Rpjmd, indikator_di, program_rpjmd
from ..usulan.domain import Usulan


def _nama(text: str) -> str:
    return " ".join(text.casefold().split())


def _target_belum_lengkap(isi: dict, tahun: range, **where) -> list[Temuan]:
    found = []
    for field, node in indikator_di(isi):
        missing = [t for t in tahun if t not in (node.get("target") or {})]
        if missing:
            found.append(Temuan(jenis=JenisTemuan.TARGET_BELUM_LENGKAP, field=field, tahun=missing,
                                pesan=f"indicator {node['uraian']!r} has no target for "
                                      f"{', '.join(map(str, missing))}", **where))
    return found


def periksa(rpjmd: Rpjmd, renstra: list[Renstra]) -> list[Temuan]:
    """Every finding about the RPJMD and the Renstra that follow it, in a stable order."""
    found: list[Temuan] = []
    by_skpd = {r.kode_skpd: r for r in renstra}
    served = {kode for r in renstra for kode in r.sasaran_rpjmd()}
    for kode, uraian in rpjmd.sasaran().items():
        if kode not in served:
            found.append(Temuan(jenis=JenisTemuan.SASARAN_TANPA_RENSTRA, kode=kode,
                                pesan=f"no Renstra serves sasaran {kode} ({uraian})"))

    # the priority programs, summed over the sasaran they serve, per SKPD
    programs: dict[tuple[str, str], dict] = {}
    for field, p in program_rpjmd(rpjmd.isi):
        entry = programs.setdefault((p.kode_skpd, p.kode_program), {"field": field, "pagu": {}, "indikator": []})
        for year, amount in p.pagu.items():
            entry["pagu"][year] = entry["pagu"].get(year, Decimal(0)) + amount
        entry["indikator"] += p.indikator
    for kode_skpd in sorted({k for k, _ in programs}):
        if kode_skpd not in by_skpd:
            found.append(Temuan(jenis=JenisTemuan.SKPD_TANPA_RENSTRA, kode_skpd=kode_skpd,
                                pesan=f"SKPD {kode_skpd} is responsible for priority programs and has no Renstra "
                                      f"for the RPJMD {rpjmd.periode}"))
    for (kode_skpd, kode_program), entry in sorted(programs.items()):
        plan = by_skpd.get(kode_skpd)
        if plan is None:
            continue
        where = {"kode_skpd": kode_skpd, "renstra_id": plan.id, "kode": kode_program}
        carried = [p for t in plan.isi.tujuan for s in t.sasaran for p in s.program if p.kode_program == kode_program]
        if not carried:
            found.append(Temuan(jenis=JenisTemuan.PROGRAM_TANPA_RENSTRA, field=entry["field"], **where,
                                pesan=f"priority program {kode_program} is not in the Renstra of SKPD {kode_skpd}"))
            continue
        over = []
        for year, ceiling in sorted(entry["pagu"].items()):
            planned = sum((p.pagu.get(year, Decimal(0)) for p in carried), Decimal(0))
            if planned > ceiling:
                over.append(year)
        if over:
            found.append(Temuan(jenis=JenisTemuan.PAGU_MELEBIHI_RPJMD, field=entry["field"], tahun=over, **where,
                                pesan=f"the Renstra of SKPD {kode_skpd} plans more for program {kode_program} than "
                                      f"the RPJMD's indicative funding in {', '.join(map(str, over))}"))
        theirs = {(_nama(i.uraian), _nama(i.satuan)): i for p in carried for i in p.indikator}
        for indikator in entry["indikator"]:
            own = theirs.get((_nama(indikator.uraian), _nama(indikator.satuan)))
            if own is None or own.catatan:
                continue
            differ = [t for t in rpjmd.tahun if t in indikator.target and t in own.target
                      and own.target[t] != indikator.target[t]]
            if differ:
                found.append(Temuan(jenis=JenisTemuan.TARGET_BERBEDA, field=entry["field"], tahun=differ, **where,
                                    pesan=f"the Renstra's targets of {indikator.uraian!r} for program {kode_program} "
                                          f"differ from the RPJMD's in {', '.join(map(str, differ))}, with no note"))

    found += _target_belum_lengkap(rpjmd.isi.model_dump(), rpjmd.tahun)
    for plan in renstra:
        found += _target_belum_lengkap(plan.isi.model_dump(), rpjmd.tahun, kode_skpd=plan.kode_skpd,
                                       renstra_id=plan.id)
        if plan.status is not StatusRenstra.TERVERIFIKASI:
            found.append(Temuan(jenis=JenisTemuan.RENSTRA_BELUM_TERVERIFIKASI, kode_skpd=plan.kode_skpd,
                                renstra_id=plan.id, pesan=f"the Renstra of SKPD {plan.kode_skpd} is {plan.status}"))
    return found


def jumlah(temuan: list[Temuan]) -> dict[JenisTemuan, int]:
    counts = {jenis: 0 for jenis in JenisTemuan}
    for t in temuan:
        counts[t.jenis] += 1
    return counts


# -- a year's RKPD ----------------------------------------------------------------------------------------------

def _sub_kegiatan_renstra(plan: Renstra) -> set[str]:
    return {sk.kode_sub_kegiatan for t in plan.isi.tujuan for s in t.sasaran for p in s.program for k in p.kegiatan
            for sk in k.sub_kegiatan}


def periksa_rkpd(tahun: int, items: list[SubKegiatanRkpd], pagu_skpd: dict[str, Decimal],
                 renstra: dict[str, Renstra | None], usulan_tanpa_tautan: list[Usulan]) -> list[TemuanRkpd]:
    """Every finding about a year's RKPD, in a stable order: SKPD over their ceiling (sums of exact decimals),
    items no sasaran of their SKPD's Renstra covering the year plans (DOMAIN-DETAIL A: every sub kegiatan maps to
    a Renstra program, which serves an RPJMD sasaran), accepted proposals no live item answers."""
    found: list[TemuanRkpd] = []
    totals: dict[str, Decimal] = {}
    for item in items:
        totals[item.kode_skpd] = totals.get(item.kode_skpd, Decimal(0)) + item.pagu_indikatif
    for kode_skpd, total in sorted(totals.items()):
        ceiling = pagu_skpd.get(kode_skpd)
        if ceiling is not None and total > ceiling:
            found.append(TemuanRkpd(jenis=JenisTemuanRkpd.PAGU_MELEBIHI_PAGU_SKPD, kode_skpd=kode_skpd,
                                    pesan=f"SKPD {kode_skpd} plans {total}, over its pagu indikatif ceiling of "
                                          f"{ceiling} for {tahun}"))
    planned = {kode: _sub_kegiatan_renstra(plan) for kode, plan in renstra.items() if plan is not None}
    for item in sorted(items, key=lambda i: (i.kode_skpd, i.kode_sub_kegiatan, i.id)):
        if item.kode_sub_kegiatan in planned.get(item.kode_skpd, ()):
            continue
        why = ("the SKPD has no Renstra covering " + str(tahun) if item.kode_skpd not in planned
               else "its Renstra plans it under no sasaran")
        found.append(TemuanRkpd(jenis=JenisTemuanRkpd.SUB_KEGIATAN_TANPA_SASARAN, kode_skpd=item.kode_skpd,
                                rkpd_id=item.id, kode=item.kode_sub_kegiatan,
                                pesan=f"sub kegiatan {item.kode_sub_kegiatan} of SKPD {item.kode_skpd} serves no "
                                      f"sasaran: {why}"))
    for u in usulan_tanpa_tautan:
        what = "is answered by no RKPD item" if u.rkpd_id is None else f"was answered by item {u.rkpd_id}, deleted since"
        found.append(TemuanRkpd(jenis=JenisTemuanRkpd.USULAN_TANPA_TAUTAN, kode_skpd=u.kode_skpd, usulan_id=u.id,
                                rkpd_id=u.rkpd_id, kode=u.kode_sub_kegiatan,
                                pesan=f"accepted {u.jenis} proposal {u.uraian!r} {what}"))
    return found


def jumlah_rkpd(temuan: list[TemuanRkpd]) -> dict[JenisTemuanRkpd, int]:
    counts = {jenis: 0 for jenis in JenisTemuanRkpd}
    for t in temuan:
        counts[t.jenis] += 1
    return counts
