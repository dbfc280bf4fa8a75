"""The argon2id parameters are settings, OWASP's first configuration by default; a hash of others is re-made."""
from __future__ import annotations

import asyncio

import pytest
from argon2 import PasswordHasher
from argon2.exceptions import HashingError

from gateway import passwords
from sipd_common.settings import Settings


def test_hashes_use_owasps_first_configuration_by_default():
    s = Settings.from_env()
    assert (s.argon2_memory_kib, s.argon2_time_cost, s.argon2_parallelism) == (19456, 2, 1)
    made = passwords.hash_password_sync("correct horse battery")
    assert made.startswith("$argon2id$v=19$m=19456,t=2,p=1$")
    assert not passwords.needs_rehash(made)


def test_a_hash_of_other_parameters_verifies_and_asks_to_be_remade():
    old = PasswordHasher(time_cost=3, memory_cost=65536, parallelism=4).hash("correct horse battery")
    assert passwords._verify(old, "correct horse battery")
    assert not passwords._verify(old, "wrong horse battery")
    assert passwords.needs_rehash(old)
    assert passwords.needs_rehash("not an argon2 hash")
    assert not passwords._verify("not an argon2 hash", "correct horse battery")


def test_an_unknown_user_is_refused_after_the_same_work():
    settings = Settings.from_env()
    assert asyncio.run(passwords.verify_password(None, "no such user: this hash only spends time", settings)) is False


def test_parameters_argon2_refuses_stop_the_gateway_at_start(monkeypatch):
    monkeypatch.setenv("SIPD_ARGON2_MEMORY_KIB", "1")
    passwords._hasher.cache_clear()
    passwords._dummy_hash.cache_clear()
    try:
        with pytest.raises(HashingError):
            passwords.ready()
    finally:
        monkeypatch.undo()
        passwords._hasher.cache_clear()
        passwords._dummy_hash.cache_clear()
    passwords.ready()
