"""The printed RKPD and Renja (XLSX, PDF): made by perencanaan from a snapshot or from the live draft."""
from __future__ import annotations

import base64
from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query
from starlette.responses import Response

from sipd_common import access

from ..deps import KodePemda, Rpc, Tahun
from ..problems import responses
from ..security import PemdaReader
from .renstra import KODE_SKPD

router = APIRouter(prefix="/api/v1/pemda/{kode_pemda}/rkpd/{tahun}", tags=["perencanaan"],
                   responses=responses(401, 403))

FILES = {200: {"description": "The document", "content": {
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {"schema": {"type": "string",
                                                                                    "format": "binary"}},
    "application/pdf": {"schema": {"type": "string", "format": "binary"}}}}}


@router.get("/dokumen/{format}", response_class=Response, responses={**FILES, **responses(404, 422, 503, 504)},
            summary="The RKPD (or, with kode_skpd, that SKPD's Renja) as XLSX or PDF: per SKPD, program, kegiatan "
                    "and sub kegiatan, with indikator, target, lokasi, pagu indikatif N and N+1",
            description="A perubahan's (its snapshot, or the live draft once the perubahan stage has begun) prints "
                        "the enacted pagu N (murni) beside the revised one and the difference, at every level; an "
                        "enacted sub kegiatan the perubahan removed stays, at 0, so that the columns add up.")
async def dokumen(rpc: Rpc, caller: PemdaReader, kode_pemda: KodePemda, tahun: Tahun,
                  format: Annotated[Literal["xlsx", "pdf"], Path(description="`xlsx` or `pdf`.")],
                  kode_skpd: Annotated[str | None, Query(max_length=40, pattern=KODE_SKPD, description=(
                      "That SKPD's Renja (an SKPD operator: its own only)."))] = None,
                  snapshot_id: Annotated[str | None, Query(pattern=r"^[0-9a-fA-F-]{36}$", description=(
                      "As a stage was locked (e.g. the enacted RKPD); the live draft when left out."))] = None):
    access.require_skpd_filter(caller, kode_skpd)
    result = await rpc.call("perencanaan", "dokumen_rkpd", kode_pemda, tahun, format, kode_skpd=kode_skpd,
                            snapshot_id=snapshot_id, timeout=60)
    return Response(base64.b64decode(result["content"]), media_type=result["content_type"],
                    headers={"Content-Disposition": f'attachment; filename="{result["filename"]}"'})
