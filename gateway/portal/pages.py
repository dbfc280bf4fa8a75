"""The public website: the national page (``/``) and one page per pemda (``/pemda/{kode_pemda}``), in
Indonesian, rendered on the server (readable without JavaScript; the charts are drawn over tables that say
the same), cached until an event changes what they show (``cache.py``).

Only what is enacted is shown: the RKPD from the snapshot its penetapan (or perubahan) locked. The other
documents (APBD, realisation against the enacted budget, LPPD and EPPD, Perda) appear as their cycles publish them.
"""
from __future__ import annotations

import asyncio
from datetime import datetime, timezone
from decimal import Decimal
from pathlib import Path as FilePath
from typing import Annotated, Any

import orjson
from fastapi import APIRouter, Path, Query, Request
from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.responses import FileResponse, HTMLResponse, Response

from ..deps import KODE_PEMDA_PATTERN
from . import sumber
from .cache import NASIONAL, UNAVAILABLE, Partial, cached, fingerprint, fragment, part, versi
from ..problems import responses
from .tampilan import angka, bulan_lra, persen, rupiah

HERE = FilePath(__file__).parent
# what the pages load, served from the project's own files (installed by `make install`; no CDN)
ASSETS = {
    "portal.css": (HERE / "static" / "portal.css", "text/css"),
    "portal.js": (HERE / "static" / "portal.js", "text/javascript"),
    "chart.umd.min.js": (HERE / "node_modules" / "chart.js" / "dist" / "chart.umd.min.js", "text/javascript"),
}
HTML = {200: {"description": "The page", "content": {"text/html": {"schema": {"type": "string"}}}}}
JENIS = {"provinsi": "Provinsi", "kabupaten": "Kabupaten", "kota": "Kota"}

router = APIRouter(tags=["portal"])
env = Environment(loader=FileSystemLoader(HERE / "templates"), autoescape=select_autoescape(["html"]),
                  trim_blocks=True, lstrip_blocks=True)
env.filters.update(rupiah=rupiah, angka=angka)
env.globals.update(persen=persen, JENIS=JENIS)

Tahun = Annotated[int | None, Query(ge=2000, le=2100, description="Tahun anggaran; the latest enacted when left out.")]


def _this_year() -> int:
    return datetime.now(timezone.utc).year


def _html(template: str, **context) -> bytes:
    return env.get_template(template).render(**context).encode()


def _chart(id: str, jenis: str, judul: str, labels: list[str], series: list[dict]) -> dict:
    """What portal.js draws: labels and series of exact decimal strings (Chart.js plots them as numbers;
    the table beside each chart shows the exact rupiah)."""
    return {"id": id, "jenis": jenis, "judul": judul, "labels": labels,
            "series": [{**s, "data": [None if v is None else str(v) for v in s["data"]]} for s in series]}


@router.get("/", response_class=HTMLResponse, responses={**HTML, **responses(422, 503, 504)}, summary="The national page: find a pemda, the provinces, "
            "national totals of what is enacted, the EPPD ranking once announced")
async def nasional(request: Request,
                   q: Annotated[str | None, Query(max_length=100, description="A pemda's name, as people type it "
                                                  "(\"kota bandung\", \"jakarta utara\").")] = None,
                   tahun: Tahun = None):
    tahun = tahun or _this_year()
    q = " ".join(q.split()) if q else None
    eppd = await fragment(request, ("eppd", tahun), lambda: part(request, "pemerintahan",
                                                                    lambda: sumber.eppd(request, tahun)),
                          versi(request, NASIONAL))

    async def build() -> bytes:
        hasil, provinsi, published = await asyncio.gather(
            part(request, "referensi", lambda: sumber.cari_pemda(request, q=q, limit=50)) if q else _none(),
            part(request, "referensi", lambda: sumber.cari_pemda(request, jenis="provinsi", limit=100)),
            part(request, "perencanaan", lambda: sumber.rkpd_nasional(request, tahun)))
        peringkat = (await part(request, "referensi", lambda: _peringkat(request, eppd))
                     if eppd and eppd is not UNAVAILABLE else eppd)
        missing = _unavailable(hasil=hasil, provinsi=provinsi, published=published, peringkat=peringkat)
        hasil, provinsi, published, peringkat = (None if x is UNAVAILABLE else x
                                                 for x in (hasil, provinsi, published, peringkat))
        total = sum((Decimal(r["total_pagu_indikatif"]) for r in published or []), Decimal(0))
        per_urusan: dict[str, dict] = {}
        for r in published or []:
            for u in r["urusan"]:
                g = per_urusan.setdefault(u["kode_bidang_urusan"], {**u, "pagu_indikatif": Decimal(0)})
                g["pagu_indikatif"] += Decimal(u["pagu_indikatif"])
        urusan = [per_urusan[k] for k in sorted(per_urusan)]
        chart = _chart("grafik-nasional-urusan", "bar", f"Pagu indikatif RKPD {tahun} per bidang urusan, nasional",
                       [u["nama_bidang_urusan"] for u in urusan],
                       [{"label": "Pagu indikatif (Rp)", "data": [u["pagu_indikatif"] for u in urusan]}])
        return _page(missing, "nasional.html", q=q, hasil=hasil, provinsi=provinsi or [], tahun=tahun,
                     published=published or [], total=total, urusan=urusan, charts=[chart] if urusan else [],
                     peringkat=peringkat)
    return await cached(request, ("page", "nasional", q and q.lower(), tahun, _key(eppd)), build,
                        "text/html; charset=utf-8")


async def _none() -> None:
    return None


def _unavailable(**parts) -> frozenset[str]:
    """The names of the parts their services did not give (cache.part): each shown as unavailable."""
    return frozenset(name for name, value in parts.items() if value is UNAVAILABLE)


def _page(missing: frozenset[str], template: str, **context) -> bytes:
    """The page; with a part missing, a Partial page (served, not kept)."""
    body = _html(template, tidak_tersedia=missing, **context)
    return Partial(body) if missing else body


def _key(*fragments: Any) -> str:
    """Fragments in a page's cache key (an unavailable one too: that page is not kept anyway)."""
    return fingerprint(*("tidak-tersedia" if f is UNAVAILABLE else f for f in fragments))


async def _peringkat(request: Request, eppd: dict | None) -> dict[str, list[dict]] | None:
    """The announced EPPD results per cluster (provinsi, kabupaten, kota), ranked, each pemda named."""
    if eppd is None:
        return None
    kode = sorted({h["kode_pemda"] for h in eppd["hasil"]})
    nama = {k: p["nama"] for k, p in zip(kode, await asyncio.gather(*(sumber.pemda(request, k) for k in kode))) if p}
    out: dict[str, list[dict]] = {}
    for h in sorted(eppd["hasil"], key=lambda h: (h["peringkat"] is None, h["peringkat"] or 0, h["kode_pemda"])):
        out.setdefault(h["klaster"], []).append({**h, "nama": nama.get(h["kode_pemda"], h["kode_pemda"])})
    return out


@router.get("/pemda/{kode_pemda}", response_class=HTMLResponse,
            responses={**HTML, **responses(422, 503, 504), 404: {**HTML[200], "description": "No pemda has this code"}},
            summary="A pemda's page: its profile and what it enacted (the RKPD and the APBD by urusan, the realisation "
                    "against the budget by month, with charts and open data; its regulations; its LPPD summary and "
                    "EPPD status)")
async def pemda(request: Request,
                kode_pemda: Annotated[str, Path(pattern=KODE_PEMDA_PATTERN, examples=["32.73"])],
                tahun: Tahun = None):
    # the pemda itself is the page: without referensi there is no page (503), every other part may be missing
    p = await fragment(request, ("pemda", kode_pemda), lambda: sumber.pemda(request, kode_pemda))
    if p is None:
        return Response(_html("tidak_ada.html", kode_pemda=kode_pemda), status_code=404,
                        media_type="text/html; charset=utf-8")
    years, perda = await asyncio.gather(
        fragment(request, ("tahun_terbit", kode_pemda),
                 lambda: part(request, "perencanaan", lambda: sumber.tahun_terbit(request, kode_pemda))),
        fragment(request, ("perda", kode_pemda),
                 lambda: part(request, "pemerintahan", lambda: sumber.perda(request, kode_pemda)),
                 versi(request, kode_pemda)))
    year = tahun or (years[0] if years and years is not UNAVAILABLE else _this_year())
    eppd, lppd = await asyncio.gather(
        fragment(request, ("eppd", year), lambda: part(request, "pemerintahan", lambda: sumber.eppd(request, year)),
                 versi(request, NASIONAL)),
        fragment(request, ("lppd", kode_pemda, year),
                 lambda: part(request, "pemerintahan", lambda: sumber.lppd(request, kode_pemda, year))))
    eppd_pemda = eppd if eppd is UNAVAILABLE else next(
        (h for h in (eppd or {}).get("hasil", []) if h["kode_pemda"] == kode_pemda), None)

    async def build() -> bytes:
        provinsi, r, a, lra = await asyncio.gather(
            _none() if p["jenis"] == "provinsi" else part(request, "referensi",
                                                          lambda: sumber.pemda(request, p["kode_provinsi"])),
            part(request, "perencanaan", lambda: sumber.rkpd(request, kode_pemda, year)),
            part(request, "keuangan", lambda: sumber.apbd(request, kode_pemda, year)),
            part(request, "keuangan", lambda: sumber.lra(request, kode_pemda, year)))
        provinsi = p if p["jenis"] == "provinsi" else provinsi
        pembanding = None
        if r and r is not UNAVAILABLE:
            pembanding = await part(request, "perencanaan", lambda: _rata_rata_provinsi(request, p, year, r["urusan"]))
        missing = _unavailable(provinsi=provinsi, rkpd=r, apbd=a, lra=lra, pembanding=pembanding, tahun=years,
                               perda=perda, eppd=eppd_pemda, lppd=lppd)
        provinsi, r, a, lra, pembanding, tahun_terbit, perda_terbit, eppd_terbit, lppd_terbit = (
            None if x is UNAVAILABLE else x for x in (provinsi, r, a, lra, pembanding, years, perda, eppd_pemda, lppd))
        charts = []
        if r is not None:
            urusan = r["urusan"]
            charts.append(_chart("grafik-urusan", "doughnut", f"Komposisi pagu indikatif RKPD {year} per bidang "
                                 "urusan", [u["nama_bidang_urusan"] for u in urusan],
                                 [{"label": "Pagu indikatif (Rp)", "data": [u["pagu_indikatif"] for u in urusan]}]))
            if pembanding:
                charts.append(_chart(
                    "grafik-pembanding", "bar", f"Pagu indikatif per bidang urusan: {p['nama']} dan rata-rata pemda "
                    f"di {provinsi['nama'] if provinsi else 'provinsinya'}", [u["nama_bidang_urusan"] for u in urusan],
                    [{"label": p["nama"], "data": [u["pagu_indikatif"] for u in urusan]},
                     {"label": "Rata-rata provinsi", "data": [pembanding[u["kode_bidang_urusan"]] for u in urusan]}]))
        belanja_urusan = _belanja_bidang_urusan(a) if a else []
        if a is not None:
            kelompok = a["ringkasan"]["belanja_kelompok"]
            charts.append(_chart("grafik-apbd", "doughnut", f"Komposisi belanja APBD {year}",
                                 [KELOMPOK[k] for k in KELOMPOK], [{"label": "Belanja (Rp)",
                                                                    "data": [kelompok[k] for k in KELOMPOK]}]))
            if belanja_urusan:
                charts.append(_chart("grafik-apbd-urusan", "bar", f"Belanja APBD {year} per bidang urusan",
                                     [b["nama"] or b["kode"] for b in belanja_urusan],
                                     [{"label": "Belanja (Rp)", "data": [b["belanja"] for b in belanja_urusan]}]))
        rencana_anggaran = _rencana_dan_anggaran(r, belanja_urusan) if r and a else []
        if rencana_anggaran:
            charts.append(_chart("grafik-rencana-anggaran", "bar", f"Rencana (RKPD) dan anggaran (APBD) {year} per "
                                 "bidang urusan", [x["nama"] for x in rencana_anggaran],
                                 [{"label": "Pagu indikatif RKPD", "data": [x["rencana"] for x in rencana_anggaran]},
                                  {"label": "Belanja APBD", "data": [x["anggaran"] for x in rencana_anggaran]}]))
        bulan = bulan_lra(lra, datetime.now(timezone.utc).date()) if lra else []
        if bulan:
            charts.append(_grafik_lra(lra, bulan))
        return _page(missing, "pemda.html", p=p, provinsi=provinsi, tahun=year, years=tahun_terbit or [], rkpd=r,
                     charts=charts, pembanding=pembanding, program=_per_program(r) if r else [], apbd=a,
                     KELOMPOK=KELOMPOK, belanja_urusan=belanja_urusan, rencana_anggaran=rencana_anggaran,
                     lra=lra, bulan_lra=bulan, BULAN=BULAN, perda=perda_terbit, eppd=eppd_terbit,
                     lppd=lppd_terbit, baris_lppd=baris_lppd(lppd_terbit) if lppd_terbit else [])

    # the pemda's version: a page built before its last event (its realisation, say) is not found again
    return await cached(request, ("page", "pemda", kode_pemda, year, versi(request, kode_pemda),
                                  _key(perda, eppd_pemda, lppd)), build, "text/html; charset=utf-8")


KELOMPOK = {"operasi": "Belanja operasi", "modal": "Belanja modal", "tidak_terduga": "Belanja tidak terduga",
            "transfer": "Belanja transfer"}


BULAN = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober",
         "November", "Desember")


def _grafik_lra(lra: dict, bulan: list[dict]) -> dict:
    """Realisation cumulated month by month (the months passed) against the year's budget (a dashed line of the
    same colour)."""
    def kumulatif(key: str) -> list:
        return [m[f"{key}_kumulatif"] for m in bulan] + [None] * (12 - len(bulan))

    anggaran = {k: lra[k]["jumlah"]["anggaran"] for k in ("pendapatan", "belanja")}
    return _chart("grafik-lra", "line", f"Anggaran dan realisasi kumulatif per bulan, {lra['tahun']}", list(BULAN), [
        {"label": "Anggaran pendapatan", "data": [anggaran["pendapatan"]] * 12, "putus": True, "warna": 0},
        {"label": "Realisasi pendapatan (kumulatif)", "data": kumulatif("pendapatan"), "warna": 0},
        {"label": "Anggaran belanja", "data": [anggaran["belanja"]] * 12, "putus": True, "warna": 1},
        {"label": "Realisasi belanja (kumulatif)", "data": kumulatif("belanja"), "warna": 1}])


LPPD_ANGKA = ("total_pagu", "total_anggaran", "total_realisasi", "capaian")


def baris_lppd(lppd: dict) -> list[dict]:
    """The submitted LPPD's summary rows: each bidang urusan, its urusan's total after them, the whole last; each
    with the plan, budget, realisation and capaian the LPPD states (a report submitted before capaian was kept has
    none: shown as such, not computed here)."""
    rows = []
    for u in lppd["urusan"]:
        for b in u["bidang_urusan"]:
            rows.append({"uraian": f"{b['kode_bidang_urusan']} {b['nama_bidang_urusan'] or ''}".strip(),
                         "jumlah": False, "jumlah_sub_kegiatan": b["jumlah_sub_kegiatan"],
                         **{k: b.get(k) for k in LPPD_ANGKA}})
        rows.append({"uraian": f"Jumlah urusan {u['kode_urusan']}", "jumlah": True,
                     "jumlah_sub_kegiatan": sum(b["jumlah_sub_kegiatan"] for b in u["bidang_urusan"]),
                     **{k: u.get(k) for k in LPPD_ANGKA}})
    rows.append({"uraian": "Jumlah", "jumlah": True,
                 "jumlah_sub_kegiatan": sum(r["jumlah_sub_kegiatan"] for r in rows if not r["jumlah"]),
                 **{k: lppd.get(k) for k in LPPD_ANGKA}})
    return rows


def _belanja_bidang_urusan(a: dict) -> list[dict]:
    """The enacted APBD's spending per bidang urusan (Lampiran II's rows of that level), in code order."""
    return sorted((b for b in a["urusan"]["baris"] if b["tingkat"] == "bidang_urusan"), key=lambda b: b["kode"])


def _rencana_dan_anggaran(r: dict, belanja_urusan: list[dict]) -> list[dict]:
    """Per bidang urusan: what the enacted RKPD planned (pagu indikatif) beside what the enacted APBD budgets."""
    planned = {u["kode_bidang_urusan"]: u for u in r["urusan"]}
    budgeted = {b["kode"]: b for b in belanja_urusan}
    return [{"kode": k, "nama": (planned.get(k) or {}).get("nama_bidang_urusan") or (budgeted.get(k) or {}).get("nama")
             or k, "rencana": Decimal((planned.get(k) or {}).get("pagu_indikatif") or 0),
             "anggaran": Decimal((budgeted.get(k) or {}).get("belanja") or 0)}
            for k in sorted(set(planned) | set(budgeted))]


async def _rata_rata_provinsi(request: Request, p: dict, tahun: int, urusan: list[dict]) -> dict[str, Decimal] | None:
    """Per bidang urusan, the average pagu indikatif over the pemda of the same province (the regencies and
    cities for a regency or city; the provinces for a province) that enacted an RKPD this year. Rounded to
    whole rupiah, half up, for display; None when no other pemda is there to compare with."""
    published = await sumber.rkpd_nasional(request, tahun)
    if p["jenis"] == "provinsi":
        peers = [r for r in published if "." not in r["kode_pemda"]]
    else:
        peers = [r for r in published if r["kode_pemda"].startswith(p["kode_provinsi"] + ".")]
    if len(peers) < 2:
        return None
    out = {}
    for u in urusan:
        values = [Decimal(x["pagu_indikatif"]) for r in peers for x in r["urusan"]
                  if x["kode_bidang_urusan"] == u["kode_bidang_urusan"]]
        out[u["kode_bidang_urusan"]] = (sum(values, Decimal(0)) / len(peers)).quantize(Decimal(1)) if values else 0
    return out


def _per_program(r: dict) -> list[dict]:
    """The enacted sub kegiatan grouped by bidang urusan and program, in code order, with exact subtotals."""
    groups: dict[tuple, dict] = {}
    for s in sorted(r["sub_kegiatan"], key=lambda s: (s["kode_bidang_urusan"], s["kode_program"],
                                                      s["kode_sub_kegiatan"], s["kode_skpd"])):
        g = groups.setdefault((s["kode_bidang_urusan"], s["kode_program"]), {
            "kode_bidang_urusan": s["kode_bidang_urusan"], "nama_bidang_urusan": s["nama_bidang_urusan"],
            "kode_program": s["kode_program"], "nama_program": s["nama_program"], "pagu": Decimal(0), "items": []})
        g["items"].append(s)
        g["pagu"] += Decimal(s["pagu_indikatif"])
    return list(groups.values())


@router.get("/static/{name}", include_in_schema=False)
async def static(name: str):
    """The portal's own stylesheet and script, and Chart.js as `make install` installed it."""
    found = ASSETS.get(name)
    if found is None or not found[0].exists():
        return Response(status_code=404)
    return FileResponse(found[0], media_type=found[1], headers={"Cache-Control": "public, max-age=86400"})


def chart_json(charts: list[dict]) -> str:
    """The charts' data for portal.js, safe inside a <script type="application/json"> element."""
    return orjson.dumps(charts).decode().replace("<", "\\u003c")


env.globals.update(chart_json=chart_json)
