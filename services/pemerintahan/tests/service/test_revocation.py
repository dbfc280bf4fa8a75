"""A service refuses the access tokens revoked by the gateway (a deactivation, a role change): those revoked
before it started (read from the stream's history before it serves) and those revoked while it runs, within
seconds. The system test (tests/test_revocation.py) goes through the gateway."""
from __future__ import annotations

import pytest
from nameko.testing.services import entrypoint_hook

from ops.testing import auth_context, revoke, wait_until
from services.pemerintahan.service import PemerintahanService
from sipd_common.errors import Unauthenticated


def _ringkasan(container, username: str):
    with entrypoint_hook(container, "get_ringkasan", context_data=auth_context("dprd", "32.73", username=username)) as call:
        return call("32.73", 2027)


def _refused(container, username: str) -> bool:
    try:
        _ringkasan(container, username)
    except Unauthenticated:
        return True
    return False


def test_a_token_revoked_before_the_service_started_is_refused_from_its_first_call(start):
    revoke("revoked.before-id", min_version=2)  # the test tokens carry version 0
    pemerintahan = start(PemerintahanService)
    with pytest.raises(Unauthenticated):
        _ringkasan(pemerintahan, "revoked.before")
    assert _ringkasan(pemerintahan, "someone.else")["kode_pemda"] == "32.73"  # only that user's tokens


def test_a_token_revoked_while_the_service_runs_is_refused_within_seconds(start):
    revoke("unrelated-id", min_version=2)  # the stream exists before the service starts, as ops.broker makes it
    pemerintahan = start(PemerintahanService)
    assert _ringkasan(pemerintahan, "revoked.later")["kode_pemda"] == "32.73"
    revoke("revoked.later-id", min_version=1)
    wait_until(lambda: _refused(pemerintahan, "revoked.later"), timeout=5, message="the revoked token refused")
