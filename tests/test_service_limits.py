"""What the gateway bounds, the services bound too: a caller on the broker gets the same clear refusals."""
from __future__ import annotations

import pytest
from nameko.exceptions import RemoteError
from nameko.standalone.rpc import ClusterRpcClient

from tests.conftest import tahun_lama


@pytest.fixture(scope="module")
def tahun() -> int:
    """One year of its own for the module, before the schedules: its tests are refused, read, or write one item."""
    return tahun_lama()


@pytest.fixture
def rpc(amqp_uri, pusat_admin):
    with ClusterRpcClient(context_data={"auth_token": pusat_admin.token}, timeout=15, uri=amqp_uri) as client:
        yield client


@pytest.mark.parametrize("call", [
    lambda rpc, tahun: rpc.perencanaan.list_sub_kegiatan("32.73", tahun, offset=-1),
    lambda rpc, tahun: rpc.perencanaan.list_sub_kegiatan("32.73", tahun, limit=100_000),
    lambda rpc, tahun: rpc.keuangan.list_rincian("32.73", tahun, offset=-5, limit=10),
    lambda rpc, tahun: rpc.keuangan.list_plafon("32.73", tahun, 0, 0),
    lambda rpc, tahun: rpc.referensi.list_versi(offset="1"),
    lambda rpc, tahun: rpc.referensi.search("nomenklatur", q="sekolah", limit=1_000_000),
], ids=["negative-offset", "huge-limit", "negative-offset-keuangan", "zero-limit", "string-offset", "huge-search"])
def test_paging_out_of_bounds_is_refused_by_the_service_naming_the_field(rpc, tahun, call):
    with pytest.raises(RemoteError) as refused:
        call(rpc, tahun)
    assert refused.value.exc_type == "Invalid", refused.value  # the gateway answers it 422, not 502
    assert refused.value.args[0]  # the refusal names offset or limit
    assert "offset" in str(refused.value) or "limit" in str(refused.value)


def test_paging_within_bounds_answers(rpc, tahun):
    assert rpc.perencanaan.list_sub_kegiatan("32.73", tahun, offset=0, limit=200)["total"] == 0


# -- XLSX imports: what a file claims is checked before it is read -------------------------------------------

def _xlsx(rewrite=None, extra: tuple[str, int] | None = None) -> bytes:
    """A small valid nomenclature XLSX; ``rewrite`` edits its sheet's XML, ``extra`` adds a part of n zero bytes."""
    import io
    import zipfile

    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["Aksi", "Kode", "Nama", "Kinerja", "Indikator", "Satuan"])
    book.active.append(["tambah", "1.01.87", "PROGRAM UJI", None, None, None])
    plain = io.BytesIO()
    book.save(plain)
    source, out = zipfile.ZipFile(io.BytesIO(plain.getvalue())), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info in source.infolist():
            data = source.read(info.filename)
            if rewrite and info.filename == "xl/worksheets/sheet1.xml":
                data = rewrite(data)
            z.writestr(info, data)
        if extra:
            name, size = extra
            with z.open(name, "w", force_zip64=True) as part:  # streamed: the test holds no gigabytes either
                chunk = bytes(1024 * 1024)
                for _ in range(size // len(chunk)):
                    part.write(chunk)
    return out.getvalue()


def _import(api, admin_headers, content: bytes):
    from tests.test_referensi import new_versi, upload

    return upload(api, admin_headers, content, "daftar.xlsx", kind="nomenklatur", mode="diff", **new_versi())


def test_an_xlsx_that_would_unpack_beyond_the_limit_is_refused_unread(api, admin_headers):
    bomb = _xlsx(extra=("xl/media/padding.bin", 300 * 1024 * 1024))  # 300 MiB of zeros, about 300 KB packed
    assert len(bomb) < 1024 * 1024
    resp = _import(api, admin_headers, bomb)
    assert resp.status_code == 422, resp.text
    [error] = resp.json()["errors"]
    assert error["field"] == "file" and "unpack" in error["message"]


def test_a_sheet_declaring_a_million_rows_by_16384_columns_is_refused_unread(api, admin_headers):
    import re

    claims = _xlsx(rewrite=lambda xml: re.sub(rb'<dimension ref="[^"]+"\s*/>', b'<dimension ref="A1:XFD1048576"/>', xml))
    resp = _import(api, admin_headers, claims)
    assert resp.status_code == 422, resp.text
    [error] = resp.json()["errors"]
    assert error["field"] == "file" and "16384 columns" in error["message"]
    # the same file with its true dimension is imported
    assert _import(api, admin_headers, _xlsx()).status_code == 200
