"""pemerintahan's events as they leave: through its outbox and the broker, once per change — a regulation enacted,
a signed PDF of an enacted one, its promulgation; each pemda's EPPD result when the round is announced. The steps
before (drafts, a closed round) publish nothing."""
from __future__ import annotations

import base64
import uuid
from decimal import Decimal

import kombu
import nameko
import pytest
from sqlalchemy import text

from ops.testing import wait_until
from services.pemerintahan.service import PemerintahanService
from services.pemerintahan.tests.service.test_perda import call

PDF = base64.b64encode(b"%PDF-1.7\n" + b"0" * 512).decode()


@pytest.fixture
def pemerintahan(start):
    return start(PemerintahanService)


@pytest.fixture
def published(rabbit_config):
    """A queue of the test's own bound to every pemerintahan event; ``published()``: what arrived so far, as
    (routing key, payload)."""
    with kombu.Connection(nameko.config["AMQP_URI"]) as conn:
        exchange = kombu.Exchange("pemerintahan.events", type="topic", durable=True)
        queue = kombu.Queue(f"pemerintahan-events-test-{uuid.uuid4()}", exchange, routing_key="#", auto_delete=True)
        queue(conn.default_channel).declare()
        received: list[tuple[str, dict]] = []

        def read() -> list[tuple[str, dict]]:
            bound = queue(conn.default_channel)
            while (message := bound.get(no_ack=True)) is not None:
                received.append((message.delivery_info["routing_key"], message.decode()))
            return received

        yield read


def _outbox(engines, aggregate_id_like: str) -> list[str]:
    with engines("pemerintahan").connect() as conn:
        return list(conn.execute(text("SELECT routing_key FROM outbox WHERE payload->>'aggregate_id' LIKE :a "
                                      "ORDER BY id"), {"a": aggregate_id_like}).scalars())


def test_a_regulation_is_published_once_enacted_once_per_signed_pdf_and_once_promulgated(pemerintahan, scope,
                                                                                           published, engines):
    kode_pemda, tahun = scope
    item = call(pemerintahan, "create_perda", kode_pemda, {"jenis": "perkada", "tahun": tahun, "judul": "Parkir"},
                kode_pemda=kode_pemda)
    call(pemerintahan, "attach_perda", kode_pemda, item["id"], "rancangan.pdf", PDF, kode_pemda=kode_pemda)
    call(pemerintahan, "step_perda", kode_pemda, item["id"], {"tahap": "harmonisasi"}, kode_pemda=kode_pemda)
    call(pemerintahan, "step_perda", kode_pemda, item["id"], {"tahap": "ditetapkan", "nomor": "Perwal 5",
                                                              "tanggal": f"{tahun}-02-01"}, kode_pemda=kode_pemda)
    signed = call(pemerintahan, "attach_perda", kode_pemda, item["id"], "perwal.pdf", PDF, kode_pemda=kode_pemda)
    done = call(pemerintahan, "step_perda", kode_pemda, item["id"],
                {"tahap": "diundangkan", "nomor": "BD 5", "tanggal": f"{tahun}-02-02"}, kode_pemda=kode_pemda)
    keys = ["perda.ditetapkan.v1", "perda.lampiran.ditambahkan.v1", "perda.diundangkan.v1"]
    assert _outbox(engines, item["id"]) == keys

    def ours():
        return [(k, p) for k, p in published() if p["aggregate_id"] == item["id"]]
    wait_until(lambda: len(ours()) >= 3, 15, message="the regulation's events through the broker")
    assert [k for k, _ in ours()] == keys
    enacted, attached, promulgated = (p for _, p in ours())
    assert (enacted["kode_pemda"], enacted["tahun"], enacted["nomor"], enacted["jenis"]) == (
        kode_pemda, tahun, "Perwal 5", "perkada")
    assert attached["lampiran_id"] == signed["lampiran"][-1]["id"] and attached["nama_file"] == "perwal.pdf"
    assert (promulgated["nomor_pengundangan"], promulgated["aggregate_version"]) == ("BD 5", done["version"])


def test_an_announced_round_publishes_each_pemda_s_result_once(pemerintahan, lingkungan, published, engines):
    # a round is the whole country's: a year no other test of the run has, in any pemda
    tahun = next(y for y in lingkungan.years if all(lingkungan.free(p, y) for p in lingkungan.pemda))
    for p in lingkungan.pemda:
        lingkungan.take(p, [tahun])
    ronde = call(pemerintahan, "open_eppd", tahun, {}, role="pusat_admin")
    score = {"nilai": [{"kode_indikator": i["kode"], "skor": "3"} for i in ronde["indikator"]]}
    call(pemerintahan, "score_eppd", tahun, "32.73", score, role="provinsi_admin", kode_pemda="32")
    call(pemerintahan, "score_eppd", tahun, "32", score, role="pusat_admin")
    call(pemerintahan, "advance_eppd", tahun, "ditutup", role="pusat_admin")
    assert _outbox(engines, f"{tahun}:%") == []
    call(pemerintahan, "advance_eppd", tahun, "diumumkan", role="pusat_admin")
    assert _outbox(engines, f"{tahun}:%") == ["eppd.hasil.diumumkan.v1"] * 2

    def ours():
        return [p for k, p in published() if k == "eppd.hasil.diumumkan.v1" and p["tahun"] == tahun]
    wait_until(lambda: len(ours()) >= 2, 15, message="the results through the broker")
    assert sorted((p["kode_pemda"], p["klaster"], Decimal(p["indeks"]), p["peringkat"]) for p in ours()) == [
        ("32", "provinsi", Decimal(3), 1), ("32.73", "kota", Decimal(3), 1)]
