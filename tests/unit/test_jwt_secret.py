"""The JWT secret: refused when it is not one (short, a placeholder, little entropy), required when the gateway
listens beyond this machine; made once, random and readable only by its owner, for a local run."""
from __future__ import annotations

import secrets
import stat

import pytest

from sipd_common import settings


@pytest.fixture
def env(monkeypatch, tmp_path):
    for name in ("SIPD_JWT_SECRET", "SIPD_JWT_SECRET_FILE", "SIPD_GATEWAY_HOST"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(settings, "LOCAL_SECRET_FILE", tmp_path / ".run" / "jwt-secret")
    return monkeypatch


@pytest.mark.parametrize("secret, why", [
    ("replace-me-with-at-least-32-random-characters", "placeholder"),  # compose/.env.example's
    ("x" * 31, "at least 32"),
    ("a" * 64, "entropy"),
    ("ab" * 32, "entropy"),
    ("0123456789" * 4, "entropy"),
])
def test_a_secret_that_is_not_one_stops_the_process(env, secret, why):
    env.setenv("SIPD_JWT_SECRET", secret)
    with pytest.raises(SystemExit, match=why):
        settings.jwt_secret()


def test_a_random_secret_is_taken(env):
    for secret in (secrets.token_urlsafe(32), secrets.token_hex(32)):
        env.setenv("SIPD_JWT_SECRET", secret)
        assert settings.jwt_secret() == secret


def test_without_a_secret_a_gateway_listening_beyond_this_machine_does_not_start(env):
    for host in ("0.0.0.0", "10.1.2.3", "::", "sipd.example.go.id"):
        env.setenv("SIPD_GATEWAY_HOST", host)
        with pytest.raises(SystemExit, match="required"):
            settings.jwt_secret()


def test_on_loopback_a_random_secret_is_made_once_readable_only_by_its_owner(env):
    env.setenv("SIPD_GATEWAY_HOST", "127.0.0.1")
    first = settings.jwt_secret()
    path = settings.LOCAL_SECRET_FILE
    assert stat.S_IMODE(path.stat().st_mode) == 0o600 and settings.secret_problem(first) is None
    assert settings.jwt_secret() == first  # every process of the machine, every start, the same one
    assert [p.name for p in path.parent.iterdir()] == ["jwt-secret"]  # no draft left
    path.chmod(0o644)
    with pytest.raises(SystemExit, match="readable by others"):
        settings.jwt_secret()


def test_the_secret_may_come_from_a_file(env, tmp_path):
    path = tmp_path / "secret"
    path.write_text(secrets.token_urlsafe(48) + "\n")
    path.chmod(0o600)
    env.setenv("SIPD_GATEWAY_HOST", "0.0.0.0")
    env.setenv("SIPD_JWT_SECRET_FILE", str(path))
    assert settings.jwt_secret() == path.read_text().strip()
