"""Login: OAuth2 password flow, short-lived JWT access tokens, rotating refresh tokens, throttling and lockout,
logout and password change revoking sessions; the operators' command for the first pusat administrator."""
from __future__ import annotations

import subprocess
import sys
import threading
import time

import httpx
import jwt
import pytest

from tests.conftest import JWT_SECRET, PASSWORD, ROOT, client_for

TOKEN = "/api/v1/auth/token"
ME = "/api/v1/auth/me"


def _login(client, username, password):
    return client.post(TOKEN, data={"grant_type": "password", "username": username, "password": password})


def _refresh(client, token):
    return client.post(TOKEN, data={"grant_type": "refresh_token", "refresh_token": token})


def _assert_401(resp, error: str | None = None):
    assert resp.status_code == 401, resp.text
    assert resp.headers["content-type"] == "application/problem+json"
    assert resp.headers["www-authenticate"].startswith('Bearer realm="sipd"')
    body = resp.json()
    assert body["type"] == "urn:sipd:problem:unauthenticated" and "Traceback" not in resp.text
    if error:
        assert body["error"] == error, body


def test_login_gives_a_short_lived_access_token_and_a_refresh_token(anonymous, accounts):
    user = accounts.new("dprd")
    resp = _login(anonymous, user.username, PASSWORD)
    assert resp.status_code == 200 and resp.headers["cache-control"] == "no-store"
    body = resp.json()
    assert body["token_type"] == "bearer" and body["expires_in"] == 120 * 60  # the tests' setting; 15 min by default
    claims = jwt.decode(body["access_token"], JWT_SECRET, algorithms=["HS256"], audience="sipd")
    assert (claims["sub"], claims["role"], claims["kode_pemda"]) == (user.id, "dprd", "32.73")
    assert claims["exp"] - claims["iat"] == body["expires_in"]
    me = anonymous.get(ME, headers={"Authorization": f"Bearer {body['access_token']}"})
    assert me.status_code == 200 and me.json()["username"] == user.username and "password_hash" not in me.text
    # a username is not case sensitive
    assert _login(anonymous, user.username.upper(), PASSWORD).status_code == 200


def test_a_wrong_password_and_an_unknown_user_get_the_same_answer(anonymous, accounts):
    user = accounts.new("inspektur")
    wrong = _login(anonymous, user.username, "not-the-password-at-all")
    unknown = _login(anonymous, "nobody.at.all", "not-the-password-at-all")
    for resp in (wrong, unknown):
        _assert_401(resp, "invalid_grant")
    assert wrong.json()["detail"] == unknown.json()["detail"] == "invalid username or password"


def test_a_hash_made_with_older_argon2_parameters_is_remade_at_the_next_login(anonymous, accounts, admin_db):
    from argon2 import PasswordHasher

    user = accounts.new("dprd")
    # as a hash of argon2-cffi's own defaults (RFC 9106's low-memory profile) was stored before
    old = PasswordHasher(time_cost=3, memory_cost=65536, parallelism=4).hash(PASSWORD)
    admin_db.execute("UPDATE gateway.users SET password_hash = %s WHERE id = %s", (old, user.id))
    version, changed = admin_db.execute("SELECT version, password_changed_at FROM gateway.users WHERE id = %s",
                                        (user.id,)).fetchone()
    assert anonymous.get(ME, headers=user.headers).status_code == 200

    assert _login(anonymous, user.username, PASSWORD).status_code == 200
    now = admin_db.execute("SELECT password_hash, version, password_changed_at FROM gateway.users WHERE id = %s",
                           (user.id,)).fetchone()
    assert now[0] != old and now[0].startswith("$argon2id$v=19$m=19456,t=2,p=1$"), now[0]
    # the same password: the account's version (its tokens) and its password's date stay
    assert (now[1], now[2]) == (version, changed)
    assert anonymous.get(ME, headers=user.headers).status_code == 200
    assert _login(anonymous, user.username, PASSWORD).status_code == 200
    assert _login(anonymous, user.username, "not-the-password-at-all").status_code == 401


def test_the_token_form_names_missing_fields(anonymous):
    resp = anonymous.post(TOKEN, data={"grant_type": "password", "username": "x"})
    assert resp.status_code == 422 and resp.json()["errors"] == [{"field": "password", "message": "required"}]
    resp = anonymous.post(TOKEN, data={"grant_type": "client_credentials"})
    assert resp.status_code == 422 and resp.json()["errors"][0]["field"] == "grant_type"


@pytest.mark.parametrize("header, error", [
    (None, None),
    ("Bearer not-a-jwt", "invalid_token"),
    ("Basic dXNlcjpwYXNz", None),
])
def test_no_valid_token_is_401_with_a_challenge(anonymous, header, error):
    resp = anonymous.get(ME, headers={"Authorization": header} if header else {})
    _assert_401(resp, error)


def _forged(secret: str = JWT_SECRET, **claims) -> str:
    now = int(time.time())
    return jwt.encode({"iss": "sipd", "aud": "sipd", "iat": now, "exp": now + 600, "username": "x",
                       "sub": "00000000-0000-0000-0000-000000000000", "role": "pusat_admin", "kode_pemda": None,
                       **claims}, secret, algorithm="HS256")


def test_expired_and_foreign_tokens_are_refused(anonymous):
    expired = _forged(iat=int(time.time()) - 4000, exp=int(time.time()) - 60)
    foreign = _forged(secret="an attacker's own secret " * 2)
    for token in (expired, foreign):
        resp = anonymous.get("/api/v1/pemda/32.73/rkpd/2030/sub-kegiatan", headers={"Authorization": f"Bearer {token}"})
        _assert_401(resp, "invalid_token")


def test_a_refresh_token_rotates_and_its_reuse_revokes_the_session(anonymous, accounts):
    user = accounts.new("tapd")
    first = _login(anonymous, user.username, PASSWORD).json()
    second = _refresh(anonymous, first["refresh_token"])
    assert second.status_code == 200, second.text
    second = second.json()
    assert second["refresh_token"] != first["refresh_token"]
    assert anonymous.get(ME, headers={"Authorization": f"Bearer {second['access_token']}"}).status_code == 200

    # the first one again: stolen; the whole session (the newer token too) is revoked
    _assert_401(_refresh(anonymous, first["refresh_token"]), "invalid_grant")
    _assert_401(_refresh(anonymous, second["refresh_token"]), "invalid_grant")
    # another session of the same user is not touched
    other = _login(anonymous, user.username, PASSWORD).json()
    assert _refresh(anonymous, other["refresh_token"]).status_code == 200
    _assert_401(_refresh(anonymous, "never-issued"), "invalid_grant")


def test_logout_revokes_the_session_or_all_sessions(anonymous, accounts):
    user = accounts.new("bappeda")
    a = _login(anonymous, user.username, PASSWORD).json()
    b = _login(anonymous, user.username, PASSWORD).json()
    auth = {"Authorization": f"Bearer {a['access_token']}"}
    assert anonymous.post("/api/v1/auth/logout", json={"refresh_token": a["refresh_token"]}, headers=auth).status_code == 204
    _assert_401(_refresh(anonymous, a["refresh_token"]))
    b = _refresh(anonymous, b["refresh_token"]).json()  # the other session lives on
    assert anonymous.post("/api/v1/auth/logout", headers=auth).status_code == 204  # no body: every session
    _assert_401(_refresh(anonymous, b["refresh_token"]))
    assert anonymous.post("/api/v1/auth/logout", json={"extra": 1}, headers=auth).status_code == 422


def test_changing_the_password_checks_the_old_one_and_ends_every_session(stack, anonymous, accounts):
    user = accounts.new("dprd")
    with client_for(stack, user) as client:
        wrong = client.post("/api/v1/auth/password", json={"current_password": "wrong-password-here",
                                                           "new_password": "a-new-long-password"})
        assert wrong.status_code == 422 and wrong.json()["errors"] == [{"field": "current_password", "message": "incorrect"}]
        weak = client.post("/api/v1/auth/password", json={"current_password": PASSWORD, "new_password": "short"})
        assert weak.status_code == 422 and weak.json()["errors"][0]["field"] == "new_password"
        ok = client.post("/api/v1/auth/password", json={"current_password": PASSWORD,
                                                        "new_password": "a-new-long-password"})
        assert ok.status_code == 204, ok.text
    _assert_401(_refresh(anonymous, user.refresh_token))
    _assert_401(_login(anonymous, user.username, PASSWORD))
    assert _login(anonymous, user.username, "a-new-long-password").status_code == 200


def test_failed_logins_slow_down_then_lock_the_account(stack, anonymous, accounts):
    user = accounts.new("inspektur")
    # from an address of its own: its failures must not count against the address every other test logs in from
    here = _from(next(_addresses))
    own = httpx.Client(base_url=stack.base_url, headers=here)
    took = []
    for attempt in range(1, 5):
        started = time.monotonic()
        _assert_401(_login(own, user.username, f"wrong-password-{attempt}"), "invalid_grant")
        took.append(time.monotonic() - started)
    # failure n waits 0.05 s × 2^(n-1) before the next attempt is tried (SIPD_LOGIN_DELAY_SECONDS=0.05 here)
    # (not compared with the first attempt's time: a password check on a loaded machine varies by more than that)
    assert took[3] >= 0.2, took

    # the fifth wait (0.4 s) must not hold the gateway: other requests are answered meanwhile
    finished = {}

    def fifth():
        finished["login"] = (_login(httpx.Client(base_url=stack.base_url, headers=here), user.username,
                                    "wrong-again-5"),
                             time.monotonic())

    thread = threading.Thread(target=fifth)
    thread.start()
    time.sleep(0.05)
    others = [anonymous.get("/api/v1/referensi/pemda/32.73") for _ in range(3)]
    others_done = time.monotonic()
    thread.join()
    assert all(r.status_code == 200 for r in others)
    assert others_done < finished["login"][1], "the event loop waited with the login"
    locked = finished["login"][0]
    assert locked.status_code == 429 and locked.json()["type"] == "urn:sipd:problem:too-many-attempts"

    # locked: even the right password is refused, saying for how long
    resp = _login(own, user.username, PASSWORD)
    assert resp.status_code == 429 and 0 < int(resp.headers["retry-after"]) <= 15 * 60
    assert resp.json()["retry_after"] == int(resp.headers["retry-after"])
    # an access token issued before the lock still works until it expires (locking stops guessing, not sessions)
    assert anonymous.get(ME, headers=user.headers).status_code == 200


def test_a_deactivated_user_can_neither_log_in_nor_refresh(anonymous, accounts, pusat_admin):
    user = accounts.new("tapd")
    resp = anonymous.patch(f"/api/v1/users/{user.id}", json={"active": False}, headers=pusat_admin.headers)
    assert resp.status_code == 200 and resp.json()["active"] is False
    _assert_401(_login(anonymous, user.username, PASSWORD), "invalid_grant")
    _assert_401(_refresh(anonymous, user.refresh_token), "invalid_grant")


def _admin_command(stack, username, password):
    return subprocess.run([sys.executable, "-m", "gateway.admin", "create-pusat-admin", username],
                          env={**stack.env, "SIPD_ADMIN_PASSWORD": password}, cwd=ROOT, capture_output=True,
                          text=True, timeout=60, stdin=subprocess.DEVNULL)


def test_the_command_refuses_a_taken_username_and_a_weak_password(stack, pusat_admin):
    taken = _admin_command(stack, pusat_admin.username, PASSWORD)
    assert taken.returncode == 1 and "taken" in taken.stderr
    weak = _admin_command(stack, "another.admin", "short")
    assert weak.returncode == 2 and "password" in weak.stderr
    no_terminal = subprocess.run([sys.executable, "-m", "gateway.admin", "create-pusat-admin", "third.admin"],
                                 env={k: v for k, v in stack.env.items() if k != "SIPD_ADMIN_PASSWORD"}, cwd=ROOT,
                                 capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL)
    assert no_terminal.returncode != 0 and "SIPD_ADMIN_PASSWORD" in no_terminal.stderr


def test_the_first_admin_s_creation_is_audited_as_the_command_s(api, pusat_admin):
    trail = api.get(f"/api/v1/users/{pusat_admin.id}/audit").json()
    first = trail["items"][0]
    assert first["action"] == "create" and first["before"] is None and first["after"]["role"] == "pusat_admin"
    assert first["actor"]["id"] is None and first["actor"]["username"].startswith("command create-pusat-admin")
    assert "password" not in str(first["after"]).replace("password_changed_at", "")


# -- the throttle: counted before verifying, per address too, bounded; clear answers -------------------------
_addresses = iter(f"10.77.{i // 250}.{i % 250 + 1}" for i in range(100_000))


def _from(address: str) -> dict:
    """Requests as if from ``address``: the tests' client is a proxy the gateway trusts (127.0.0.1)."""
    return {"X-Forwarded-For": address}


def _parallel(stack, attempts: list[tuple[str, str, str]]) -> list[httpx.Response]:
    """Login attempts (username, password, address) sent at once."""
    barrier = threading.Barrier(len(attempts))
    answers: list = [None] * len(attempts)

    def attempt(i, username, password, address):
        with httpx.Client(base_url=stack.base_url, timeout=60) as client:
            barrier.wait()
            answers[i] = client.post(TOKEN, headers=_from(address),
                                     data={"grant_type": "password", "username": username, "password": password})

    threads = [threading.Thread(target=attempt, args=(i, *a)) for i, a in enumerate(attempts)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return answers


def test_an_attempt_is_counted_before_it_is_verified(stack, anonymous, accounts):
    """Four failures, then ten attempts at once with the right password: only the fifth attempt is verified;
    the others find the limit reached and are refused unverified (429), right password or not."""
    user = accounts.new("dprd")
    address = next(_addresses)
    for attempt in range(4):
        _assert_401(anonymous.post(TOKEN, headers=_from(address), data={
            "grant_type": "password", "username": user.username, "password": f"wrong-password-{attempt}"}))
    answers = _parallel(stack, [(user.username, PASSWORD, address)] * 10)
    statuses = sorted(r.status_code for r in answers)
    assert statuses == [200] + [429] * 9, statuses


def test_a_username_locked_from_one_address_still_logs_in_from_another(stack, anonymous, accounts):
    """Whoever guesses locks out their own address, not the user (a known username cannot be locked by anyone)."""
    user = accounts.new("inspektur")
    guesser, owner = next(_addresses), next(_addresses)
    answers = [anonymous.post(TOKEN, headers=_from(guesser), data={
        "grant_type": "password", "username": user.username, "password": f"wrong-password-{i}"}) for i in range(5)]
    assert [r.status_code for r in answers] == [401] * 4 + [429]
    locked = anonymous.post(TOKEN, headers=_from(guesser), data={
        "grant_type": "password", "username": user.username, "password": PASSWORD})
    assert locked.status_code == 429
    assert anonymous.post(TOKEN, headers=_from(owner), data={
        "grant_type": "password", "username": user.username, "password": PASSWORD}).status_code == 200


def test_spraying_many_usernames_from_one_address_is_stopped(stack, anonymous, accounts):
    """An address is locked after 20 failed logins on any usernames (SIPD_LOGIN_ADDRESS_MAX_FAILURES here)."""
    user = accounts.new("dprd")
    sprayer = next(_addresses)
    for i in range(20):
        _assert_401(anonymous.post(TOKEN, headers=_from(sprayer), data={
            "grant_type": "password", "username": f"guess.{i}.{sprayer}", "password": "Password12345"}))
    refused = anonymous.post(TOKEN, headers=_from(sprayer), data={
        "grant_type": "password", "username": user.username, "password": PASSWORD})
    assert refused.status_code == 429 and int(refused.headers["retry-after"]) > 0
    assert anonymous.post(TOKEN, headers=_from(next(_addresses)), data={
        "grant_type": "password", "username": user.username, "password": PASSWORD}).status_code == 200


def test_a_flood_of_logins_is_answered_503_never_500(stack, admin_db):
    """Verifications are bounded (4 at once and 4 waiting here): beyond that, 503 with Retry-After at once. An
    attempt answered 503 was not verified: it counts as no failure (of its address, its username)."""
    attempts = [(f"flood.{i}", "not-the-password", next(_addresses)) for i in range(40)]
    answers = _parallel(stack, attempts)
    statuses = {r.status_code for r in answers}
    assert statuses <= {401, 503}, [r.text for r in answers if r.status_code not in (401, 503)]
    busy = [r for r in answers if r.status_code == 503]
    assert busy and all(r.headers["retry-after"] and r.json()["type"] == "urn:sipd:problem:unavailable" for r in busy)
    counted = dict(admin_db.execute("SELECT key, failures FROM gateway.login_throttle WHERE kind = 'address' "
                                    "AND key = ANY(%s)", ([a for _, _, a in attempts],)).fetchall())
    assert {a: counted.get(a, 0) for _, _, a in attempts} == {
        a: int(r.status_code == 401) for (_, _, a), r in zip(attempts, answers)}


def test_guessers_from_many_addresses_do_not_lock_the_owner_out_of_its_own_address(stack, anonymous, accounts):
    """The username's own limit (20 failures from any addresses here, SIPD_LOGIN_USER_MAX_FAILURES; 100 by default)
    stops a guesser with many addresses — everywhere but where the user has logged in from: nobody can lock a
    known username (``admin``) out of the addresses it works from."""
    user = accounts.new("inspektur")
    home = next(_addresses)

    def login_from(address: str) -> httpx.Response:
        return anonymous.post(TOKEN, headers=_from(address), data={
            "grant_type": "password", "username": user.username, "password": PASSWORD})

    assert login_from(home).status_code == 200  # the owner's own address from now on
    guessers = [next(_addresses) for _ in range(7)]  # 3 guesses each: under the per-address limits
    answers = _parallel(stack, [(user.username, f"wrong-password-{i}", guessers[i % 7]) for i in range(21)])
    statuses = [r.status_code for r in answers]
    assert set(statuses) <= {401, 429, 503} and 429 in statuses, statuses  # the 21st: the username's limit
    # the username is locked at every other address, for the right password too
    assert login_from(next(_addresses)).status_code == 429
    # but not at the owner's own
    assert login_from(home).status_code == 200


def test_a_username_longer_than_any_user_s_is_a_clear_422(anonymous):
    """'İ' lower-cases to two characters: 200 of them make a name of 400, longer than any column."""
    resp = anonymous.post(TOKEN, data={"grant_type": "password", "username": "İ" * 200, "password": "whatever-it-is"})
    assert resp.status_code == 422, resp.text
    assert resp.json()["errors"] == [{"field": "username", "message": "at most 64 characters"}]


def test_a_session_ends_at_its_absolute_lifetime_however_often_it_is_renewed(anonymous, accounts, admin_db):
    """Renewal rotates the refresh token but never moves the login's end (SIPD_SESSION_MAX_HOURS)."""
    user = accounts.new("dprd")
    first = _login(anonymous, user.username, PASSWORD).json()
    renewed = _refresh(anonymous, first["refresh_token"]).json()
    ends = admin_db.execute("SELECT DISTINCT session_expires_at FROM gateway.refresh_token t JOIN gateway.users u "
                            "ON u.id = t.user_id WHERE u.username = %s", (user.username,)).fetchall()
    assert len(ends) == 2  # the fixture's login and this one: each its own end, kept by the renewal
    # this login's end has come (as if 168 hours had passed): its fresh refresh token no longer renews it
    admin_db.execute("UPDATE gateway.refresh_token SET session_expires_at = now() - interval '1 second' "
                     "WHERE family_id = (SELECT family_id FROM gateway.refresh_token WHERE token_hash = "
                     "encode(sha256(%s::bytea), 'hex'))", (renewed["refresh_token"],))
    resp = _refresh(anonymous, renewed["refresh_token"])
    _assert_401(resp, "invalid_grant")
    assert "maximum lifetime" in resp.json()["detail"]
    assert _refresh(anonymous, user.refresh_token).status_code == 200  # the other session lives on
