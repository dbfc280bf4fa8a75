"""A deactivated user's, or a changed role's, access tokens stop working within seconds, not when they expire
(15 minutes): at the gateway and at every service called directly over RPC (sipd_common.revocation)."""
from __future__ import annotations

from nameko.exceptions import RemoteError
from nameko.standalone.rpc import ClusterRpcClient

from ops.testing import wait_until
from tests.conftest import KODE_PEMDA, PASSWORD, login
from tests.support import SKPD_PENDIDIKAN

ME = "/api/v1/auth/me"
RPJMD = f"/api/v1/pemda/{KODE_PEMDA}/rpjmd"
REVOKED_WITHIN = 5.0  # seconds; measured: well under one


def _bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


def _service_answers(amqp_uri: str, token: str) -> bool:
    """perencanaan, called directly on the broker (no gateway) with ``token``: True if it served the call,
    False if it refused the token."""
    with ClusterRpcClient(context_data={"auth_token": token}, timeout=15, uri=amqp_uri) as rpc:
        try:
            rpc.perencanaan.list_rpjmd(KODE_PEMDA)
            return True
        except RemoteError as exc:
            assert exc.exc_type == "Unauthenticated", exc
            return False


def _gateway_refuses(anonymous, token: str) -> bool:
    """The gateway itself (``/auth/me`` calls no service) refuses ``token``."""
    me = anonymous.get(ME, headers=_bearer(token))
    if me.status_code == 401:
        assert me.json()["detail"].startswith("the access token was revoked"), me.text
        assert "invalid_token" in me.headers["www-authenticate"]
        return True
    assert me.status_code == 200, me.text
    return False


def _refused_everywhere(anonymous, amqp_uri: str, token: str) -> None:
    wait_until(lambda: _gateway_refuses(anonymous, token), REVOKED_WITHIN, message="the gateway refuses")
    wait_until(lambda: not _service_answers(amqp_uri, token), REVOKED_WITHIN, message="perencanaan refuses")
    assert anonymous.get(RPJMD, headers=_bearer(token)).status_code == 401


def test_a_deactivated_user_s_token_is_refused_by_the_gateway_and_by_a_service_within_seconds(
        anonymous, accounts, pusat_admin, amqp_uri):
    user = accounts.new("bappeda")
    assert not _gateway_refuses(anonymous, user.token) and _service_answers(amqp_uri, user.token)
    bystander = accounts.new("bappeda")

    resp = anonymous.patch(f"/api/v1/users/{user.id}", json={"active": False}, headers=pusat_admin.headers)
    assert resp.status_code == 200 and resp.json()["active"] is False

    _refused_everywhere(anonymous, amqp_uri, user.token)
    # only that user's tokens
    assert not _gateway_refuses(anonymous, bystander.token) and _service_answers(amqp_uri, bystander.token)


def test_a_changed_role_s_token_is_refused_and_a_new_login_carries_the_new_role(stack, anonymous, accounts,
                                                                                 pusat_admin, amqp_uri):
    user = accounts.new("skpd_operator", kode_skpd=SKPD_PENDIDIKAN)
    assert _service_answers(amqp_uri, user.token)
    resp = anonymous.patch(f"/api/v1/users/{user.id}", json={"role": "inspektur"}, headers=pusat_admin.headers)
    assert resp.status_code == 200 and resp.json()["role"] == "inspektur"

    _refused_everywhere(anonymous, amqp_uri, user.token)
    # the user is not locked out: a new login works everywhere, as an inspektur
    token = login(stack.base_url, user.username, PASSWORD)["access_token"]
    assert anonymous.get(ME, headers=_bearer(token)).json()["role"] == "inspektur"
    assert not _gateway_refuses(anonymous, token) and _service_answers(amqp_uri, token)


def test_a_revocation_the_broker_did_not_take_is_published_later_and_every_gateway_worker_reads_it(
        anonymous, accounts, admin_db, amqp_uri):
    """As after a change made while the broker was away, or by another gateway worker: the row alone, unpublished;
    the gateway's loop loads it (every worker) and publishes it (the services)."""
    user = accounts.new("dprd")
    assert not _gateway_refuses(anonymous, user.token) and _service_answers(amqp_uri, user.token)
    admin_db.execute("INSERT INTO gateway.revocation (user_id, min_version, until) "
                     "VALUES (%s, 2, now() + interval '20 minutes')", (user.id,))

    _refused_everywhere(anonymous, amqp_uri, user.token)
    published = admin_db.execute("SELECT published_at FROM gateway.revocation WHERE user_id = %s", (user.id,))
    assert published.fetchone()[0] is not None
