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
from ..rpjmd.domain import Rpjmd, indikator_di, program_rpjmd


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


# -- the year's RKPD against the Renstra and the SKPD ceilings (issue 12 part 9) ------------------------

def _sub_kegiatan_renstra(plan: Renstra) -> set[str]:
    return {sk.kode_sub_kegiatan for t in plan.isi.tujuan for s in t.sasaran for p in s.program
            for k in p.kegiatan for sk in k.sub_kegiatan}


def _target_renstra(item, plan: Renstra, tahun: int) -> Decimal | None:
    """The Renstra's target for the item's indicator in the year: the one of the same indicator and unit, else
    the only one the Renstra gives the sub kegiatan; None when it gives none to compare with. An item linked to
    a sasaran compares with that sasaran's targets (where it plans the sub kegiatan), else with the Renstra's."""
    targets = (item.kode_sasaran_renstra and plan.target_sub_kegiatan(item.kode_sub_kegiatan, tahun,
                                                                        item.kode_sasaran_renstra)
               or plan.target_sub_kegiatan(item.kode_sub_kegiatan, tahun))
    same = [t for uraian, satuan, t in targets
            if (_nama(uraian), _nama(satuan)) == (_nama(item.indikator), _nama(item.satuan))]
    if same:
        return same[0]
    return targets[0][2] if len(targets) == 1 else None


def periksa_rkpd(tahun: int, items: list, renstra: dict[str, Renstra | None], pagu: dict[str, Decimal],
                 usulan: list[TemuanRkpd] = ()) -> list[TemuanRkpd]:
    """Every finding about a year's RKPD: items serving no sasaran of their SKPD's Renstra covering the year
    (``renstra``: per SKPD, None when it has none) — the sasaran an item records (``kode_sasaran_renstra``) where
    it records one, else inferred: a sasaran under which the Renstra plans its sub kegiatan — targets differing from the Renstra's
    for the year with no ``catatan``, SKPD whose items exceed their ceiling (``pagu``), and the accepted
    proposals no item answers (``usulan``, found by the proposals' own sub-domain)."""
    found: list[TemuanRkpd] = []
    totals: dict[str, Decimal] = {}
    for item in items:
        totals[item.kode_skpd] = totals.get(item.kode_skpd, Decimal(0)) + item.pagu_indikatif
        where = {"kode_skpd": item.kode_skpd, "rkpd_id": item.id, "kode_sub_kegiatan": item.kode_sub_kegiatan}
        plan = renstra.get(item.kode_skpd)
        if plan is None:
            found.append(TemuanRkpd(jenis=JenisTemuanRkpd.TANPA_SASARAN, **where,
                                    pesan=f"SKPD {item.kode_skpd} has no Renstra covering {tahun}: sub kegiatan "
                                          f"{item.kode_sub_kegiatan} serves no sasaran"))
            continue
        if item.kode_sasaran_renstra and item.kode_sasaran_renstra not in plan.sasaran():
            found.append(TemuanRkpd(jenis=JenisTemuanRkpd.TANPA_SASARAN, renstra_id=plan.id, **where,
                                    pesan=f"sub kegiatan {item.kode_sub_kegiatan} names sasaran "
                                          f"{item.kode_sasaran_renstra}, which is not in the Renstra "
                                          f"{plan.tahun_awal}–{plan.tahun_akhir} of SKPD {item.kode_skpd}"))
            continue
        if not item.kode_sasaran_renstra and item.kode_sub_kegiatan not in _sub_kegiatan_renstra(plan):
            found.append(TemuanRkpd(jenis=JenisTemuanRkpd.TANPA_SASARAN, renstra_id=plan.id, **where,
                                    pesan=f"sub kegiatan {item.kode_sub_kegiatan} is in no sasaran of the Renstra "
                                          f"{plan.tahun_awal}–{plan.tahun_akhir} of SKPD {item.kode_skpd}"))
            continue
        target = _target_renstra(item, plan, tahun)
        if target is not None and target != item.target and not item.catatan:
            found.append(TemuanRkpd(jenis=JenisTemuanRkpd.TARGET_BERBEDA, renstra_id=plan.id, **where,
                                    pesan=f"the target {item.target} of sub kegiatan {item.kode_sub_kegiatan} differs "
                                          f"from the Renstra's {target} for {tahun}, with no note"))
    for kode_skpd, ceiling in sorted(pagu.items()):
        total = totals.get(kode_skpd, Decimal(0))
        if total > ceiling:
            found.append(TemuanRkpd(jenis=JenisTemuanRkpd.MELEBIHI_PAGU_SKPD, kode_skpd=kode_skpd,
                                    pesan=f"SKPD {kode_skpd} plans {total} against its pagu indikatif {ceiling} "
                                          f"({total - ceiling} over)"))
    return found + list(usulan)


def jumlah_rkpd(temuan: list[TemuanRkpd]) -> dict[JenisTemuanRkpd, int]:
    counts = {jenis: 0 for jenis in JenisTemuanRkpd}
    for t in temuan:
        counts[t.jenis] += 1
    return counts
