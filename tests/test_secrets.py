"""A gateway that would listen beyond this machine without a real JWT secret does not start (no stack needed)."""
from __future__ import annotations

import subprocess
import sys

import pytest

from ops.stack import ROOT, base_env


@pytest.mark.parametrize("secret", [None, "replace-me-with-at-least-32-random-characters"])
def test_the_gateway_refuses_to_start_without_a_real_secret(secret):
    env = {k: v for k, v in base_env(SIPD_GATEWAY_HOST="0.0.0.0", SIPD_GATEWAY_PORT="0").items()
           if k not in ("SIPD_JWT_SECRET", "SIPD_JWT_SECRET_FILE")}
    if secret:
        env["SIPD_JWT_SECRET"] = secret
    done = subprocess.run([sys.executable, "-m", "gateway"], env=env, cwd=ROOT, capture_output=True, text=True,
                          timeout=30, stdin=subprocess.DEVNULL)
    assert done.returncode != 0
    assert "SIPD_JWT_SECRET" in done.stderr, done.stderr[-2000:]
