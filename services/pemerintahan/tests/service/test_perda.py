"""The register as it runs: regulations in PostgreSQL, register numbers from one counter, PDFs as bytea."""
from __future__ import annotations

import base64
import hashlib

import pytest
from nameko.testing.services import entrypoint_hook

from ops.testing import auth_context
from sipd_common.errors import Forbidden
from services.pemerintahan.service import PemerintahanService


@pytest.fixture
def pemerintahan(start):
    return start(PemerintahanService)


def call(container, method, *args, role="pemda_admin", kode_pemda="32.73", **kwargs):
    context = auth_context(role, None if role == "pusat_admin" else kode_pemda)
    with entrypoint_hook(container, method, context_data=context) as hook:
        return hook(*args, **kwargs)


def ready_for_noreg(container, kode_pemda: str, tahun: int) -> dict:
    item = call(container, "create_perda", kode_pemda, {"jenis": "perda", "tahun": tahun, "judul": "Retribusi"},
                kode_pemda=kode_pemda)
    for tahap, role, pemda in (("pembahasan_dprd", "pemda_admin", kode_pemda), ("fasilitasi", "provinsi_admin", "32"),
                               ("persetujuan_bersama", "pemda_admin", kode_pemda)):
        item = call(container, "step_perda", kode_pemda, item["id"], {"tahap": tahap}, role=role, kode_pemda=pemda)
    return item


def test_register_numbers_of_a_province_s_year_have_no_gaps_and_no_duplicates(pemerintahan, scope):
    _, tahun = scope
    # regencies/cities no other test writes in (the scope's year is this test's alone only in its own pemda)
    items = [ready_for_noreg(pemerintahan, kode, tahun) for kode in ("32.75", "32.77", "32.79", "32.75")]
    with pytest.raises(Forbidden):  # a refusal takes no number
        call(pemerintahan, "step_perda", "32.75", items[0]["id"], {"tahap": "noreg"}, role="provinsi_admin",
             kode_pemda="31")
    done = [call(pemerintahan, "step_perda", i["kode_pemda"], i["id"], {"tahap": "noreg"}, role="provinsi_admin",
                 kode_pemda="32") for i in items]
    numbers = sorted(int(d["noreg"].split("(")[1].split("/")[0]) for d in done)
    assert numbers == list(range(numbers[0], numbers[0] + 4))


def test_a_signed_pdf_comes_back_byte_for_byte_and_the_enacted_regulation_is_public(pemerintahan, scope):
    kode_pemda, tahun = scope
    item = call(pemerintahan, "create_perda", kode_pemda, {"jenis": "perkada", "tahun": tahun, "judul": "Perwal"},
                kode_pemda=kode_pemda)
    pdf = b"%PDF-1.7\n" + bytes(range(256)) * 64
    item = call(pemerintahan, "attach_perda", kode_pemda, item["id"], "perwal.pdf", base64.b64encode(pdf).decode(),
                kode_pemda=kode_pemda)
    [lampiran] = item["lampiran"]
    assert lampiran["sha256"] == hashlib.sha256(pdf).hexdigest() and lampiran["ukuran"] == len(pdf)
    got = call(pemerintahan, "get_perda_lampiran", kode_pemda, item["id"], lampiran["id"], kode_pemda=kode_pemda)
    assert base64.b64decode(got["isi"]) == pdf
    with entrypoint_hook(pemerintahan, "list_perda_publik") as public:
        assert item["id"] not in [p["id"] for p in public(kode_pemda=kode_pemda, tahun=tahun, limit=200)["items"]]
    for tahap, data in (("harmonisasi", {}), ("ditetapkan", {"nomor": "Perwal 1", "tanggal": f"{tahun}-02-01"})):
        item = call(pemerintahan, "step_perda", kode_pemda, item["id"], {"tahap": tahap, **data}, kode_pemda=kode_pemda)
    with entrypoint_hook(pemerintahan, "list_perda_publik") as public:
        assert [p["id"] for p in public(kode_pemda=kode_pemda, tahun=tahun, limit=200)["items"]] == [item["id"]]
    with entrypoint_hook(pemerintahan, "get_perda_lampiran_publik") as public:
        assert base64.b64decode(public(item["id"], lampiran["id"])["isi"]) == pdf
    trail = call(pemerintahan, "get_perda_audit", kode_pemda, item["id"], kode_pemda=kode_pemda)
    assert [e["action"] for e in trail["items"]] == ["create", "update", "update", "update"]


def test_keuangan_s_enactment_registers_the_apbd_s_perda_and_perkada_once(pemerintahan, scope):
    from datetime import date

    from nameko.standalone.events import event_dispatcher
    from nameko.testing.services import entrypoint_waiter

    from contracts.keuangan import ApbdDitetapkan

    kode_pemda, tahun = scope
    dispatch = event_dispatcher()
    for _ in range(2):  # the same enactment delivered again under a new event id: nothing more
        event = ApbdDitetapkan(kode_pemda=kode_pemda, tahun=tahun, aggregate_id=f"{kode_pemda}:{tahun}",
                               aggregate_version=2, nomor_perda="Perda 1", tanggal_perda=date(tahun - 1, 12, 20),
                               nomor_perkada="Perwal 2", tanggal_perkada=date(tahun - 1, 12, 21), pendapatan="1.00",
                               belanja="1.00", pembiayaan_netto="0", silpa="0", hash="a" * 64)
        with entrypoint_waiter(pemerintahan, "on_apbd_ditetapkan", timeout=15) as result:
            dispatch(event.source, event.event_type(), event.to_message())
        assert result.get() == "applied"
    found = call(pemerintahan, "list_perda", kode_pemda, tahun=tahun, kode_pemda=kode_pemda)
    assert sorted((p["jenis"], p["status"], p["nomor"]) for p in found["items"]) == [
        ("perda", "ditetapkan", "Perda 1"), ("perkada", "ditetapkan", "Perwal 2")]
