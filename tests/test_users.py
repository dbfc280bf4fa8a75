"""Users are made and changed by administrators within their scope; lists are scoped and paginated; every
change is audited."""
from __future__ import annotations

import httpx
import pytest

from tests.conftest import PASSWORD, client_for, login
from tests.support import SKPD_PENDIDIKAN

USERS = "/api/v1/users"
_serial = iter(range(1, 10_000))


def _new(role: str, kode_pemda: str | None, kode_skpd: str | None = None, **extra) -> dict:
    return {"username": f"made.{role.replace('_', '-')}.{next(_serial)}", "password": PASSWORD, "role": role,
            "kode_pemda": kode_pemda, "kode_skpd": kode_skpd, **extra}


@pytest.mark.parametrize("maker, role, kode_pemda, status", [
    (("pemda_admin", "32.73"), "bappeda", "32.73", 201),
    (("pemda_admin", "32.73"), "pemda_admin", "32.73", 201),
    (("pemda_admin", "32.73"), "bappeda", "32.74", 403),         # another pemda
    (("pemda_admin", "32.73"), "provinsi_admin", "32", 403),     # a wider scope
    (("pemda_admin", "32.73"), "pusat_admin", None, 403),
    (("provinsi_admin", "32"), "pemda_admin", "32.73", 201),     # its regencies
    (("provinsi_admin", "32"), "inspektur", "32", 201),
    (("provinsi_admin", "32"), "provinsi_admin", "32", 201),
    (("provinsi_admin", "32"), "bappeda", "33.73", 403),         # another province's regency
    (("provinsi_admin", "32"), "pusat_admin", None, 403),
    (("bappeda", "32.73"), "dprd", "32.73", 403),                # not an administrator
    (("skpd_operator", "32.73"), "dprd", "32.73", 403),
])
def test_who_may_make_whom(stack, accounts, maker, role, kode_pemda, status):
    role_of_maker, pemda_of_maker = maker
    skpd = SKPD_PENDIDIKAN if role_of_maker == "skpd_operator" else None
    with client_for(stack, accounts(role_of_maker, pemda_of_maker, skpd)) as client:
        resp = client.post(USERS, json=_new(role, kode_pemda))
    assert resp.status_code == status, resp.text
    if status == 201:
        assert resp.headers["location"].endswith(resp.json()["id"]) and resp.headers["etag"] == '"1"'
        assert "password" not in resp.json()


@pytest.mark.parametrize("change, field, status", [
    ({"role": "pemda_admin", "kode_pemda": "32"}, "kode_pemda", 422),     # a province has a provinsi_admin
    ({"role": "skpd_operator"}, "kode_skpd", 422),
    ({"role": "bappeda", "kode_skpd": SKPD_PENDIDIKAN}, "kode_skpd", 422),
    ({"role": "bappeda", "kode_pemda": "99.99"}, "kode_pemda", 422),      # not in the reference
    ({"role": "skpd_operator", "kode_skpd": "9.99.0.00.0.00.01.0000"}, "kode_skpd", 422),
    ({"role": "camat"}, "role", 422),
    ({"username": "Not Valid!"}, "username", 422),
    ({"password": "short"}, "password", 422),
    ({"is_superuser": True}, "is_superuser", 422),                          # unknown fields are refused
    ({"nip": "19700101199503100"}, "nip", 422),                              # 17 digits: a NIP has 18
    ({"nama": ""}, "nama", 422),
])
def test_a_user_that_cannot_be_is_refused_naming_the_field(api, change, field, status):
    body = {**_new("bappeda", "32.73"), **change}
    resp = api.post(USERS, json=body)
    assert resp.status_code == status, resp.text
    assert resp.headers["content-type"] == "application/problem+json"
    assert field in [e["field"] for e in resp.json()["errors"]], resp.json()


def test_a_taken_username_conflicts(api):
    body = _new("dprd", "32.73")
    assert api.post(USERS, json=body).status_code == 201
    resp = api.post(USERS, json={**body, "username": body["username"].upper()})
    assert resp.status_code == 422  # usernames are lower case
    resp = api.post(USERS, json=body)
    assert resp.status_code == 409 and resp.json()["errors"][0]["field"] == "username"


def test_lists_show_the_caller_s_scope_only_with_totals(stack, accounts):
    made = [accounts.new("dprd", "32.72"), accounts.new("dprd", "32.72"), accounts.new("inspektur", "32"),
            accounts.new("dprd", "31.71")]
    province = accounts("provinsi_admin", "32")
    with client_for(stack, province) as client:
        everything = client.get(USERS, params={"per_page": 200}).json()
        assert all(u["kode_pemda"] == "32" or u["kode_pemda"].startswith("32.") for u in everything["items"])
        ids = {u["id"] for u in everything["items"]}
        assert {m.id for m in made[:3]} <= ids and made[3].id not in ids
        page = client.get(USERS, params={"kode_pemda": "32.72", "per_page": 1, "page": 2}).json()
        assert page["total"] >= 2 and page["page"] == 2 and page["per_page"] == 1 and len(page["items"]) == 1
        assert client.get(USERS, params={"role": "dprd", "kode_pemda": "31.71"}).json()["total"] == 0
    with client_for(stack, accounts("pemda_admin", "32.72")) as client:
        listed = client.get(USERS, params={"per_page": 200}).json()
        assert {u["kode_pemda"] for u in listed["items"]} == {"32.72"} and listed["total"] == len(listed["items"])
        assert client.get(f"{USERS}/{made[2].id}").status_code == 404  # a province user: not its business


def test_an_administrator_changes_roles_and_deactivates_within_its_scope(stack, accounts, pusat_admin):
    admin = accounts("pemda_admin", "32.73")
    with client_for(stack, admin) as client:
        user = client.post(USERS, json=_new("dprd", "32.73")).json()
        url = f"{USERS}/{user['id']}"
        changed = client.patch(url, json={"role": "skpd_operator", "kode_skpd": SKPD_PENDIDIKAN})
        assert changed.status_code == 200, changed.text
        assert changed.json()["role"] == "skpd_operator" and changed.json()["version"] == 2
        assert client.patch(url, json={"role": "provinsi_admin"}).status_code == 422  # 32.73 is no province
        back = client.patch(url, json={"role": "inspektur"}, headers={"If-Match": '"2"'})
        assert back.status_code == 200 and back.json()["kode_skpd"] is None  # leaving the role leaves the SKPD
        stale = client.patch(url, json={"active": False}, headers={"If-Match": '"2"'})
        assert stale.status_code == 412 and stale.headers["etag"] == '"3"'
        assert client.patch(url, json={"active": False}).json()["active"] is False
        assert client.patch(url, json={}).status_code == 422
        assert client.patch(url, json={"username": "renamed"}).status_code == 422
        # itself: never
        assert client.patch(f"{USERS}/{admin.id}", json={"active": False}).status_code == 403
        assert client.patch(f"{USERS}/{admin.id}", json={"role": "bappeda"}).status_code == 403
        # a user of a wider scope: not found
        assert client.get(f"{USERS}/{pusat_admin.id}").status_code == 404
        assert client.patch(f"{USERS}/{pusat_admin.id}", json={"active": False}).status_code == 404

        trail = client.get(f"{url}/audit").json()
    assert [e["action"] for e in trail["items"]] == ["create", "update", "update", "update"] and trail["total"] == 4
    first, last = trail["items"][0], trail["items"][-1]
    assert first["actor"] == {"id": admin.id, "username": admin.username, "role": "pemda_admin"}
    assert last["changed"] == ["active", "updated_at", "version"]
    assert last["before"]["active"] is True and last["after"]["active"] is False
    assert all("password_hash" not in str(e) for e in trail["items"])


def test_an_officer_s_name_and_nip_are_kept_changed_and_cleared(api):
    user = api.post(USERS, json=_new("pa_kpa", "32.73", SKPD_PENDIDIKAN, nama="Drs. Budi Santoso, M.Si.",
                                     nip="197001011995031001")).json()
    assert (user["nama"], user["nip"]) == ("Drs. Budi Santoso, M.Si.", "197001011995031001")
    url = f"{USERS}/{user['id']}"
    refused = api.patch(url, json={"nip": "1970-01-01"})
    assert refused.status_code == 422 and [e["field"] for e in refused.json()["errors"]] == ["nip"]
    assert api.get(url).json()["version"] == 1  # a refusal changes nothing
    changed = api.patch(url, json={"nama": "Dr. Budi Santoso, M.Si.", "nip": None}).json()
    assert (changed["nama"], changed["nip"], changed["version"]) == ("Dr. Budi Santoso, M.Si.", None, 2)


def test_a_password_change_is_audited_without_the_password(stack, accounts, pusat_admin):
    user = accounts.new("dprd")
    with client_for(stack, user) as client:
        assert client.post("/api/v1/auth/password", json={"current_password": PASSWORD,
                                                          "new_password": "another-long-password"}).status_code == 204
    with client_for(stack, pusat_admin) as client:
        trail = client.get(f"{USERS}/{user.id}/audit").json()["items"]
    assert trail[-1]["action"] == "password_change" and trail[-1]["actor"]["id"] == user.id
    assert "password_changed_at" in trail[-1]["changed"]
    assert "another-long-password" not in str(trail) and "argon2" not in str(trail)


def test_user_management_is_for_administrators(stack, accounts):
    with client_for(stack, accounts("inspektur")) as client:
        for resp in (client.get(USERS), client.post(USERS, json=_new("dprd", "32.73"))):
            assert resp.status_code == 403 and resp.json()["type"] == "urn:sipd:problem:forbidden"
        assert client.get("/api/v1/auth/me").json()["role"] == "inspektur"  # its own account it sees


def test_a_username_taken_in_another_pemda_does_not_reveal_itself(stack, accounts):
    """Usernames are unique within a pemda: an administrator learns nothing of another pemda's users by the
    names it is refused; each user logs in as ``name@kode_pemda`` (a bare name is its first holder's)."""
    name = f"sama.nama.{next(_serial)}"
    with client_for(stack, accounts("pemda_admin", "32.73")) as bandung:
        first = bandung.post(USERS, json={**_new("dprd", "32.73"), "username": name})
    assert first.status_code == 201, first.text
    with client_for(stack, accounts("pemda_admin", "32.74")) as sukabumi:
        second = sukabumi.post(USERS, json={**_new("inspektur", "32.74"), "username": name,
                                            "password": PASSWORD + "-lain"})
        assert second.status_code == 201, second.text  # as for a name nobody has
        again = sukabumi.post(USERS, json={**_new("dprd", "32.74"), "username": name})
        assert again.status_code == 409 and again.json()["errors"][0]["field"] == "username"  # its own pemda's
        assert "32.73" not in again.text
    for login_as, password, kode_pemda in ((f"{name}@32.73", PASSWORD, "32.73"),
                                           (f"{name}@32.74", PASSWORD + "-lain", "32.74"),
                                           (name, PASSWORD, "32.73")):
        token = login(stack.base_url, login_as, password)["access_token"]
        me = httpx.get(f"{stack.base_url}/api/v1/auth/me", headers={"Authorization": f"Bearer {token}"})
        assert me.json()["kode_pemda"] == kode_pemda, login_as
    # a pusat user's name stays its own everywhere: its maker, who sees every user, is refused a taken one
    with client_for(stack, accounts.admin) as pusat:
        taken = pusat.post(USERS, json={"username": name, "password": PASSWORD, "role": "pusat_admin"})
    assert taken.status_code == 409
