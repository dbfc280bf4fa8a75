"""Every service checks the caller again: called directly over RPC (no gateway), with a token of another pemda,
with a forged or no token, it refuses; with the right token it answers. Event handlers need no caller."""
from __future__ import annotations

import time

import jwt
import pytest
from nameko.exceptions import RemoteError
from nameko.standalone.rpc import ClusterRpcClient

from tests.conftest import JWT_SECRET, client_for
from tests.support import (
    SKPD_KESEHATAN, SKPD_PENDIDIKAN, SD_BARU, isi_renstra, isi_rpjmd, make_renstra, make_rpjmd, plan, wait_plafon,
)

NEW_ITEM = {"kode_skpd": SKPD_PENDIDIKAN, "kode_sub_kegiatan": SD_BARU, "indikator": "i", "target": "1",
            "satuan": "Unit", "pagu_indikatif": "1"}


def _rpc(amqp_uri, token: str | None):
    return ClusterRpcClient(context_data={"auth_token": token} if token else None, timeout=15, uri=amqp_uri)


def _refused(call, exc_type: str):
    with pytest.raises(RemoteError) as caught:
        call()
    assert caught.value.exc_type == exc_type, caught.value


def _forged(role: str, kode_pemda: str | None, secret: str = JWT_SECRET) -> str:
    now = int(time.time())
    return jwt.encode({"iss": "sipd", "aud": "sipd", "iat": now, "exp": now + 600, "sub": "forged", "username": "forged",
                       "role": role, "kode_pemda": kode_pemda}, secret, algorithm="HS256")


@pytest.fixture
def item(api, tahun):
    item = plan(api, tahun)
    wait_plafon(api, tahun, item["id"])
    return item


def test_the_five_year_plans_refuse_another_pemda_and_another_skpd_over_rpc(amqp_uri, stack, accounts, periode):
    with client_for(stack, accounts("bappeda")) as bappeda:
        rpjmd = make_rpjmd(bappeda, periode)
    with client_for(stack, accounts("skpd_operator", kode_skpd=SKPD_PENDIDIKAN)) as operator:
        renstra = make_renstra(operator, rpjmd)
    isi, id, kode = isi_rpjmd(periode), rpjmd["id"], SKPD_PENDIDIKAN
    with _rpc(amqp_uri, accounts("bappeda", "32.74").token) as rpc:
        _refused(lambda: rpc.perencanaan.list_rpjmd("32.73"), "Forbidden")
        _refused(lambda: rpc.perencanaan.get_rpjmd("32.73", id), "Forbidden")
        _refused(lambda: rpc.perencanaan.get_rpjmd_audit("32.73", id), "Forbidden")
        _refused(lambda: rpc.perencanaan.create_rpjmd("32.73", {"tahun_awal": 2000, "tahun_akhir": 2004, **isi}),
                 "Forbidden")
        _refused(lambda: rpc.perencanaan.update_rpjmd("32.73", id, isi), "Forbidden")
        _refused(lambda: rpc.perencanaan.list_renstra("32.73"), "Forbidden")
        _refused(lambda: rpc.perencanaan.verify_renstra("32.73", kode, renstra["id"], {"setuju": True}), "Forbidden")
        # its own pemda has no such RPJMD
        _refused(lambda: rpc.perencanaan.update_rpjmd("32.74", id, isi), "NotFound")
    with _rpc(amqp_uri, accounts("skpd_operator", "32.73", SKPD_KESEHATAN).token) as rpc:
        _refused(lambda: rpc.perencanaan.get_renstra("32.73", kode, renstra["id"]), "Forbidden")
        _refused(lambda: rpc.perencanaan.get_renstra_audit("32.73", kode, renstra["id"]), "Forbidden")
        _refused(lambda: rpc.perencanaan.update_renstra("32.73", kode, renstra["id"], isi_renstra(periode)),
                 "Forbidden")
        _refused(lambda: rpc.perencanaan.submit_renstra("32.73", kode, renstra["id"]), "Forbidden")
        _refused(lambda: rpc.perencanaan.create_renstra("32.73", kode, {"rpjmd_id": id, **isi_renstra(periode)}),
                 "Forbidden")
        assert rpc.perencanaan.list_renstra("32.73")["total"] == 0  # its own SKPD has none
        assert rpc.perencanaan.get_rpjmd("32.73", id)["id"] == id  # the RPJMD is the whole pemda's


def test_a_token_of_another_pemda_is_refused_by_every_service(amqp_uri, accounts, tahun, item):
    other = accounts("bappeda", "32.74")
    with _rpc(amqp_uri, other.token) as rpc:
        _refused(lambda: rpc.perencanaan.list_sub_kegiatan("32.73", tahun), "Forbidden")
        _refused(lambda: rpc.perencanaan.get_sub_kegiatan("32.73", tahun, item["id"]), "Forbidden")
        _refused(lambda: rpc.perencanaan.create_sub_kegiatan("32.73", tahun, NEW_ITEM), "Forbidden")
        _refused(lambda: rpc.perencanaan.update_sub_kegiatan("32.73", tahun, item["id"], {"target": "9"}), "Forbidden")
        _refused(lambda: rpc.perencanaan.delete_sub_kegiatan("32.73", tahun, item["id"]), "Forbidden")
        _refused(lambda: rpc.perencanaan.get_sub_kegiatan_audit("32.73", tahun, item["id"]), "Forbidden")
        _refused(lambda: rpc.keuangan.list_plafon("32.73", tahun), "Forbidden")
        _refused(lambda: rpc.keuangan.list_rincian("32.73", tahun), "Forbidden")
        _refused(lambda: rpc.pemerintahan.get_ringkasan("32.73", tahun), "Forbidden")
        # its own pemda it may read
        assert rpc.perencanaan.list_sub_kegiatan("32.74", tahun)["total"] == 0
    tapd = accounts("tapd", "32.74")
    with _rpc(amqp_uri, tapd.token) as rpc:
        _refused(lambda: rpc.keuangan.create_rincian("32.73", tahun, {
            "rkpd_id": item["id"], "kode_rekening": "5.2.03.01.01.0002", "uraian": "x", "volume": "1",
            "satuan": "Paket", "harga_satuan": "1"}), "Forbidden")


@pytest.mark.parametrize("token", [None, "not-a-token", _forged("pusat_admin", None, secret="guessed " * 5)],
                         ids=["no token", "garbage", "forged"])
def test_no_valid_token_is_refused_even_for_reads(amqp_uri, tahun, item, token):
    with _rpc(amqp_uri, token) as rpc:
        _refused(lambda: rpc.perencanaan.list_sub_kegiatan("32.73", tahun), "Unauthenticated")
        _refused(lambda: rpc.perencanaan.delete_sub_kegiatan("32.73", tahun, item["id"]), "Unauthenticated")
        _refused(lambda: rpc.keuangan.list_plafon("32.73", tahun), "Unauthenticated")
        _refused(lambda: rpc.pemerintahan.get_ringkasan("32.73", tahun), "Unauthenticated")
        # the national reference is public
        assert rpc.referensi.get_pemda("32.73")["nama"] == "Kota Bandung"


def test_an_skpd_operator_is_held_to_its_skpd_by_the_services(amqp_uri, accounts, tahun, item):
    other_skpd = accounts("skpd_operator", "32.73", "1.02.0.00.0.00.01.0000")
    with _rpc(amqp_uri, other_skpd.token) as rpc:
        _refused(lambda: rpc.perencanaan.get_sub_kegiatan("32.73", tahun, item["id"]), "Forbidden")
        _refused(lambda: rpc.perencanaan.update_sub_kegiatan("32.73", tahun, item["id"], {"target": "9"}), "Forbidden")
        _refused(lambda: rpc.perencanaan.list_sub_kegiatan("32.73", tahun, kode_skpd=SKPD_PENDIDIKAN), "Forbidden")
        assert rpc.perencanaan.list_sub_kegiatan("32.73", tahun)["total"] == 0  # filtered to its own SKPD
        assert rpc.keuangan.list_plafon("32.73", tahun)["total"] == 0


def test_the_right_token_is_served_and_the_change_reaches_the_other_services(amqp_uri, api, accounts, tahun, item):
    bappeda = accounts("bappeda", "32.73")
    with _rpc(amqp_uri, bappeda.token) as rpc:
        changed = rpc.perencanaan.update_sub_kegiatan("32.73", tahun, item["id"], {"pagu_indikatif": "777.00"})
        assert changed["version"] == 2
        trail = rpc.perencanaan.get_sub_kegiatan_audit("32.73", tahun, item["id"])
    assert trail["items"][-1]["actor"]["username"] == bappeda.username
    # keuangan applied the event without any caller: handlers are the system's
    wait_plafon(api, tahun, item["id"], lambda p: p["pagu"] == "777.00")


def test_the_apbd_is_evaluated_by_its_own_province_only_even_over_rpc(amqp_uri, accounts, tahun):
    """Called directly (no gateway), another province's administrator may not evaluate a regency's APBD, nor
    the regency's own TAPD its own; the province of the regency may (here: refused for the state only)."""
    with _rpc(amqp_uri, accounts("provinsi_admin", "31").token) as rpc:
        _refused(lambda: rpc.keuangan.evaluasi_apbd("32.73", tahun, {"hasil": "sesuai"}), "Forbidden")
        _refused(lambda: rpc.keuangan.ringkasan_apbd("32.73", tahun), "Forbidden")
    with _rpc(amqp_uri, accounts("tapd", "32.73").token) as rpc:
        _refused(lambda: rpc.keuangan.evaluasi_apbd("32.73", tahun, {"hasil": "sesuai"}), "Forbidden")
    with _rpc(amqp_uri, accounts("provinsi_admin", "32").token) as rpc:
        _refused(lambda: rpc.keuangan.evaluasi_apbd("32.73", tahun, {"hasil": "sesuai"}), "Conflict")  # a draft
