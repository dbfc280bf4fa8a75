"""The public website: the national page (``/``) and one page per pemda (``/pemda/{kode_pemda}``), in
Indonesian, rendered on the server (readable without JavaScript; the charts are drawn over tables that say
the same), cached until an event changes what they show (``cache.py``).

Only what is enacted is shown: the RKPD from the snapshot its penetapan (or perubahan) locked. The other
documents (APBD, realisation, LPPD and EPPD, Perda) appear as their cycles publish them.
"""
from __future__ import annotations

from datetime import datetime, timezone
from decimal import Decimal
from pathlib import Path as FilePath
from typing import Annotated

import orjson
from fastapi import APIRouter, Path, Query, Request
from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.responses import FileResponse, HTMLResponse, Response

from ..deps import KODE_PEMDA_PATTERN
from . import sumber
from .cache import cached, fingerprint, fragment
from ..problems import responses
from .tampilan import angka, persen, rupiah

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
            "series": [{**s, "data": [str(v) for v in s["data"]]} for s in series]}


@router.get("/", response_class=HTMLResponse, responses={**HTML, **responses(422, 503, 504)}, summary="The national page: find a pemda, the provinces, "
            "national totals of what is enacted, the EPPD ranking once announced")
async def nasional(request: Request,
                   q: Annotated[str | None, Query(max_length=100, description="A pemda's name, as people type it "
                                                  "(\"kota bandung\", \"jakarta utara\").")] = None,
                   tahun: Tahun = None):
    tahun = tahun or _this_year()
    q = " ".join(q.split()) if q else None
    eppd = await fragment(request, ("eppd", tahun), lambda: sumber.eppd(request, tahun))

    async def build() -> bytes:
        hasil = await sumber.cari_pemda(request, q=q, limit=50) if q else None
        provinsi = await sumber.cari_pemda(request, jenis="provinsi", limit=100)
        published = await sumber.rkpd_nasional(request, tahun)
        total = sum((Decimal(r["total_pagu_indikatif"]) for r in published), Decimal(0))
        per_urusan: dict[str, dict] = {}
        for r in published:
            for u in r["urusan"]:
                g = per_urusan.setdefault(u["kode_bidang_urusan"], {**u, "pagu_indikatif": Decimal(0)})
                g["pagu_indikatif"] += Decimal(u["pagu_indikatif"])
        urusan = [per_urusan[k] for k in sorted(per_urusan)]
        chart = _chart("grafik-nasional-urusan", "bar", f"Pagu indikatif RKPD {tahun} per bidang urusan, nasional",
                       [u["nama_bidang_urusan"] for u in urusan],
                       [{"label": "Pagu indikatif (Rp)", "data": [u["pagu_indikatif"] for u in urusan]}])
        return _html("nasional.html", q=q, hasil=hasil, provinsi=provinsi, tahun=tahun, published=published,
                     total=total, urusan=urusan, charts=[chart] if urusan else [], peringkat=await _peringkat(request, eppd))
    return await cached(request, ("page", "nasional", q and q.lower(), tahun, fingerprint(eppd)), build,
                        "text/html; charset=utf-8")


async def _peringkat(request: Request, eppd: dict | None) -> dict[str, list[dict]] | None:
    """The announced EPPD results per cluster (provinsi, kabupaten, kota), ranked, each pemda named."""
    if eppd is None:
        return None
    out: dict[str, list[dict]] = {}
    for h in sorted(eppd["hasil"], key=lambda h: (h["peringkat"] is None, h["peringkat"] or 0, h["kode_pemda"])):
        p = await sumber.pemda(request, h["kode_pemda"])
        out.setdefault(h["klaster"], []).append({**h, "nama": p["nama"] if p else h["kode_pemda"]})
    return out


@router.get("/pemda/{kode_pemda}", response_class=HTMLResponse,
            responses={**HTML, **responses(422, 503, 504), 404: {**HTML[200], "description": "No pemda has this code"}},
            summary="A pemda's page: its profile and what it enacted (the RKPD and the APBD by urusan, with charts and "
                    "open data; its regulations; its EPPD status)")
async def pemda(request: Request,
                kode_pemda: Annotated[str, Path(pattern=KODE_PEMDA_PATTERN, examples=["32.73"])],
                tahun: Tahun = None):
    p = await fragment(request, ("pemda", kode_pemda), lambda: sumber.pemda(request, kode_pemda))
    if p is None:
        return Response(_html("tidak_ada.html", kode_pemda=kode_pemda), status_code=404,
                        media_type="text/html; charset=utf-8")
    years = await fragment(request, ("tahun_terbit", kode_pemda), lambda: sumber.tahun_terbit(request, kode_pemda))
    year = tahun or (years[0] if years else _this_year())
    perda = await fragment(request, ("perda", kode_pemda), lambda: sumber.perda(request, kode_pemda))
    eppd = await fragment(request, ("eppd", year), lambda: sumber.eppd(request, year))
    eppd_pemda = next((h for h in (eppd or {}).get("hasil", []) if h["kode_pemda"] == kode_pemda), None)

    async def build() -> bytes:
        provinsi = p if p["jenis"] == "provinsi" else await sumber.pemda(request, p["kode_provinsi"])
        r = await sumber.rkpd(request, kode_pemda, year)
        a = await sumber.apbd(request, kode_pemda, year)
        charts, pembanding = [], None
        if r is not None:
            urusan = r["urusan"]
            charts.append(_chart("grafik-urusan", "doughnut", f"Komposisi pagu indikatif RKPD {year} per bidang "
                                 "urusan", [u["nama_bidang_urusan"] for u in urusan],
                                 [{"label": "Pagu indikatif (Rp)", "data": [u["pagu_indikatif"] for u in urusan]}]))
            pembanding = await _rata_rata_provinsi(request, p, year, urusan)
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
        return _html("pemda.html", p=p, provinsi=provinsi, tahun=year, years=years, rkpd=r, charts=charts,
                     pembanding=pembanding, program=_per_program(r) if r else [], apbd=a, KELOMPOK=KELOMPOK,
                     belanja_urusan=belanja_urusan, rencana_anggaran=rencana_anggaran,
                     perda=perda, eppd=eppd_pemda)

    return await cached(request, ("page", "pemda", kode_pemda, year, fingerprint(perda, eppd_pemda)), build,
                        "text/html; charset=utf-8")


KELOMPOK = {"operasi": "Belanja operasi", "modal": "Belanja modal", "tidak_terduga": "Belanja tidak terduga",
            "transfer": "Belanja transfer"}


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
