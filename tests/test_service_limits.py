"""What the gateway bounds, the services bound too: a caller on the broker gets the same clear refusals."""
from __future__ import annotations

import pytest
from nameko.exceptions import RemoteError
from nameko.standalone.rpc import ClusterRpcClient


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
