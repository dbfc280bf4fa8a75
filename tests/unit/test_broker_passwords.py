"""The broker's passwords: ``python -m ops.broker setup`` (compose's ``migrate``) refuses a placeholder or a weak
password for a broker beyond this machine, naming each, and sets nothing up; in the ``make run`` case (the broker
and the gateway on loopback) it takes what it is given, and generates real ones where nothing is given."""
from __future__ import annotations

import secrets

import pytest

from ops import broker

# compose/.env.example's
PLACEHOLDERS = {var: f"{component}-change-me" for component, var in broker.PASSWORD_VARS.items()}


@pytest.fixture
def env(monkeypatch):
    for var in (*broker.PASSWORD_VARS.values(), "SIPD_RABBIT_API_URI", "SIPD_GATEWAY_HOST"):
        monkeypatch.delenv(var, raising=False)
    return monkeypatch


def _beyond_this_machine(env, admin: str | None = None) -> None:
    """As in compose: the broker is ``rabbitmq``, the gateway listens on every interface."""
    env.setenv("SIPD_RABBIT_API_URI", f"http://sipd:{admin or secrets.token_urlsafe(32)}@rabbitmq:15672")
    env.setenv("SIPD_GATEWAY_HOST", "0.0.0.0")


def _given(env, passwords: dict[str, str]) -> None:
    for var, value in passwords.items():
        env.setenv(var, value)


def test_the_compose_placeholders_stop_the_set_up_naming_each(env):
    _beyond_this_machine(env, admin="sipd-change-me")
    _given(env, PLACEHOLDERS)
    with pytest.raises(SystemExit) as stopped:
        broker._passwords("/", None)
    message = str(stopped.value)
    assert all(var in message for var in PLACEHOLDERS), message
    assert "placeholder" in message and "RABBITMQ_PASSWORD" in message  # the administrator's too


@pytest.mark.parametrize("weak, why", [
    ("operator-password", "at least 32"),
    ("a" * 40, "entropy"),
    ("0123456789" * 4, "entropy"),
])
def test_one_weak_password_stops_the_set_up_naming_it_alone(env, weak, why):
    _beyond_this_machine(env)
    _given(env, {var: secrets.token_urlsafe(32) for var in broker.PASSWORD_VARS.values()})
    env.setenv("SIPD_BROKER_PASSWORD_OPERATOR", weak)
    with pytest.raises(SystemExit, match=why) as stopped:
        broker._passwords("/", None)
    assert "SIPD_BROKER_PASSWORD_OPERATOR" in str(stopped.value)
    assert "SIPD_BROKER_PASSWORD_GATEWAY" not in str(stopped.value)


def test_real_passwords_are_taken_and_generated_ones_are_real(env):
    _beyond_this_machine(env)
    given = {var: secrets.token_urlsafe(32) for var in broker.PASSWORD_VARS.values()}
    _given(env, given)
    assert broker._passwords("/", None) == {c: given[var] for c, var in broker.PASSWORD_VARS.items()}
    for var in given:
        env.delenv(var)
    generated = broker._passwords("/", None)  # nothing given: made here, and real
    assert set(generated) == set(broker.COMPONENTS) and not broker.password_problems(generated)


def test_the_make_run_case_takes_what_it_is_given(env, tmp_path):
    """The broker and the gateway on this machine alone (loopback): a developer's own passwords are not refused."""
    env.setenv("SIPD_RABBIT_API_URI", "http://guest:guest@127.0.0.1:15672")
    _given(env, PLACEHOLDERS)
    assert broker.local()
    kept = tmp_path / "broker.json"
    assert broker._passwords("/", kept)["operator"] == "operator-change-me"
    assert kept.stat().st_mode & 0o077 == 0
    env.setenv("SIPD_GATEWAY_HOST", "0.0.0.0")  # the gateway reachable from elsewhere: not the local case
    assert not broker.local()
    with pytest.raises(SystemExit, match="placeholder"):
        broker._passwords("/", kept)
