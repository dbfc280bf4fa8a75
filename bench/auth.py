"""The benchmarks' login: a pusat administrator made in the fresh database, and its access tokens."""
from __future__ import annotations

import json
import secrets
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request

from ops.stack import ROOT

ADMIN_USERNAME = "bench.admin"  # a pusat administrator: may write RKPD items in every pemda and import the reference


def create_admin(env: dict, username: str = ADMIN_USERNAME) -> str:
    """The run's pusat administrator, made in the fresh database by the operators' command; its password."""
    password = secrets.token_urlsafe(24)
    done = subprocess.run([sys.executable, "-m", "gateway.admin", "create-pusat-admin", username],
                          env={**env, "SIPD_ADMIN_PASSWORD": password}, cwd=ROOT, capture_output=True, text=True,
                          timeout=120)
    if done.returncode != 0:
        raise RuntimeError(f"create-pusat-admin {username} failed: {done.stderr.strip() or done.stdout.strip()}")
    return password


class Login:
    """Logs the run's administrator in: a fresh access token (valid 15 minutes) for each phase that needs one."""

    def __init__(self, base_url: str, username: str, password: str):
        self.url = f"{base_url}/api/v1/auth/token"
        self.form = urllib.parse.urlencode({"grant_type": "password", "username": username,
                                            "password": password}).encode()

    def headers(self) -> dict[str, str]:
        req = urllib.request.Request(self.url, data=self.form, method="POST",
                                     headers={"Content-Type": "application/x-www-form-urlencoded"})
        try:
            with urllib.request.urlopen(req, timeout=30) as resp:
                token = json.loads(resp.read())["access_token"]
        except urllib.error.HTTPError as exc:
            raise RuntimeError(f"login failed: {exc.code} {exc.read()[:300]!r}") from None
        return {"Authorization": f"Bearer {token}"}
