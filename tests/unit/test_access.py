"""The shared kernel of access (sipd_common.access), the services' policy tables, and the access tokens
(sipd_common.auth), without a server."""
from __future__ import annotations

import time

import jwt
import pytest

from sipd_common import access
from services.keuangan.policy import POLICY as KEUANGAN, Aksi as AksiKeuangan
from services.perencanaan.policy import POLICY as PERENCANAAN, Aksi as AksiPerencanaan
from sipd_common.access import InvalidScope, Role, Scope, assignment_errors
from sipd_common.auth import InvalidToken, issue_access_token, verify_access_token
from sipd_common.errors import Forbidden, Unauthenticated

SECRET = "unit-tests-only-" + "x" * 32
PDK, KES = "1.01.0.00.0.00.01.0000", "1.02.0.00.0.00.01.0000"


def scope(role: Role, kode_pemda: str | None = "32.73", kode_skpd: str | None = None) -> Scope:
    return Scope(user_id="u1", username="someone", role=role, kode_pemda=kode_pemda, kode_skpd=kode_skpd)


PUSAT = scope(Role.PUSAT_ADMIN, None)
PROV = scope(Role.PROVINSI_ADMIN, "32")
ADMIN = scope(Role.PEMDA_ADMIN)
BAPPEDA = scope(Role.BAPPEDA)
TAPD = scope(Role.TAPD)
OPERATOR = scope(Role.SKPD_OPERATOR, kode_skpd=PDK)
DPRD = scope(Role.DPRD)
INSPEKTUR = scope(Role.INSPEKTUR)
IN_PEMDA = [ADMIN, BAPPEDA, TAPD, OPERATOR, DPRD, INSPEKTUR]


# --- reading -----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("caller", IN_PEMDA, ids=lambda s: s.role)
def test_every_role_of_a_pemda_reads_it_and_no_other(caller):
    assert caller.can_read("32.73")
    for other in ("32.74", "32", "31.71", "33.73"):
        assert not caller.can_read(other), other


def test_pusat_reads_everything():
    assert all(PUSAT.can_read(k) for k in ("11", "32", "32.73", "94.71"))


def test_a_province_reads_itself_and_its_regencies_only():
    assert PROV.can_read("32") and PROV.can_read("32.73") and PROV.can_read("32.01")
    assert not PROV.can_read("33") and not PROV.can_read("33.73") and not PROV.can_read("31.71")


def test_a_province_s_other_roles_do_not_read_its_regencies():
    for role in (Role.BAPPEDA, Role.TAPD, Role.DPRD, Role.INSPEKTUR):
        s = scope(role, "32")
        assert s.can_read("32") and not s.can_read("32.73"), role


def test_an_skpd_operator_reads_its_own_skpd_s_records_only():
    assert OPERATOR.can_read_skpd("32.73", PDK)
    assert not OPERATOR.can_read_skpd("32.73", KES)
    assert not OPERATOR.can_read_skpd("32.74", PDK)  # the same SKPD code in another pemda is another SKPD
    assert OPERATOR.skpd_filter == PDK
    assert all(s.skpd_filter is None for s in (PUSAT, PROV, ADMIN, BAPPEDA, TAPD, DPRD, INSPEKTUR))
    assert INSPEKTUR.can_read_skpd("32.73", KES) and DPRD.can_read_skpd("32.73", PDK)


# --- writing: the services' policies ----------------------------------------------------------------------
PLAN = AksiPerencanaan.CREATE_SUB_KEGIATAN
LINE = AksiKeuangan.CREATE_RINCIAN

MATRIX = {  # role -> (writes RKPD, writes rincian)
    Role.PUSAT_ADMIN: (True, True),
    Role.PROVINSI_ADMIN: (False, False),
    Role.PEMDA_ADMIN: (False, False),
    Role.BAPPEDA: (True, False),
    Role.TAPD: (False, True),
    Role.SKPD_OPERATOR: (True, True),
    Role.DPRD: (False, False),
    Role.INSPEKTUR: (False, False),
    Role.PPKD: (False, False),
    Role.SEKDA: (False, False),
    # the spending officers (issue 14) write neither: their rights are the penatausahaan actions
    Role.PPTK: (False, False),
    Role.BENDAHARA_PENGELUARAN: (False, False),
    Role.BENDAHARA_PENERIMAAN: (False, False),
    Role.PPK_SKPD: (False, False),
    Role.PA_KPA: (False, False),
    Role.BUD: (False, False),
    Role.KUASA_BUD: (False, False),
}


@pytest.mark.parametrize("role", list(Role))
def test_the_permission_matrix(role):
    kode_pemda = None if role is Role.PUSAT_ADMIN else "32" if role is Role.PROVINSI_ADMIN else "32.73"
    s = scope(role, kode_pemda, PDK if access.LINGKUP[role] is access.Lingkup.SKPD else None)
    own = kode_pemda or "32.73"
    assert (PERENCANAAN.allows(s, PLAN, own, PDK), KEUANGAN.allows(s, LINE, own, PDK)) == MATRIX[role]
    assert s.can_read(own)


def test_writes_stay_in_the_own_pemda_and_the_own_skpd():
    assert PERENCANAAN.allows(BAPPEDA, PLAN, "32.73", KES)
    assert not PERENCANAAN.allows(BAPPEDA, PLAN, "32.74", KES)
    assert not PERENCANAAN.allows(PROV, PLAN, "32.73")  # reads its regencies, does not write them
    assert PERENCANAAN.allows(OPERATOR, PLAN, "32.73") and KEUANGAN.allows(OPERATOR, LINE, "32.73")
    assert KEUANGAN.allows(OPERATOR, LINE, "32.73", PDK)
    assert not KEUANGAN.allows(OPERATOR, LINE, "32.73", KES)
    assert not PERENCANAAN.allows(OPERATOR, PLAN, "32.74")
    assert KEUANGAN.allows(PUSAT, LINE, "94.71", KES)


def test_the_checks_raise_what_the_caller_gets():
    with pytest.raises(Unauthenticated):
        access.require_read(None, "32.73")
    with pytest.raises(Forbidden):
        access.require_read(BAPPEDA, "32.74")
    with pytest.raises(Forbidden):
        access.require_read_skpd(OPERATOR, "32.73", KES)
    with pytest.raises(Forbidden, match="may not plan an RKPD sub kegiatan in pemda 32.73"):
        PERENCANAAN.require(DPRD, PLAN, "32.73")
    with pytest.raises(Forbidden, match="belongs to SKPD"):
        PERENCANAAN.require(OPERATOR, PLAN, "32.73", KES)
    with pytest.raises(Unauthenticated):
        PERENCANAAN.require(None, PLAN, "32.73")
    assert PERENCANAAN.require(OPERATOR, PLAN, "32.73", PDK) is OPERATOR
    assert access.require_skpd_filter(OPERATOR, None) == PDK
    assert access.require_skpd_filter(INSPEKTUR, KES) == KES and access.require_skpd_filter(INSPEKTUR, None) is None
    with pytest.raises(Forbidden):
        access.require_skpd_filter(OPERATOR, KES)


def test_an_action_may_be_open_in_some_stages_only():
    policy = access.Policy("uji", {"kunci": access.Izin.of(Role.BAPPEDA, tahap=("rancangan_akhir",))})
    assert policy.allows(BAPPEDA, "kunci", "32.73", tahap="rancangan_akhir")
    assert not policy.allows(BAPPEDA, "kunci", "32.73", tahap="rancangan_awal")
    with pytest.raises(Forbidden, match="not open in stage 'rancangan_awal'"):
        policy.require(BAPPEDA, "kunci", "32.73", tahap="rancangan_awal")


def test_every_role_has_a_place_in_the_kernel_s_table():
    assert set(access.LINGKUP) == set(Role)


# --- users -------------------------------------------------------------------------------------------------

def test_pusat_manages_anyone():
    assert PUSAT.can_manage_user(Role.PUSAT_ADMIN, None) and PUSAT.can_manage_user(Role.DPRD, "94.71")


def test_a_province_manages_its_own_and_its_regencies_users_never_pusat():
    assert PROV.can_manage_user(Role.PROVINSI_ADMIN, "32") and PROV.can_manage_user(Role.BAPPEDA, "32")
    assert PROV.can_manage_user(Role.PEMDA_ADMIN, "32.73") and PROV.can_manage_user(Role.SKPD_OPERATOR, "32.73")
    assert not PROV.can_manage_user(Role.PUSAT_ADMIN, None)
    assert not PROV.can_manage_user(Role.PROVINSI_ADMIN, "33")
    assert not PROV.can_manage_user(Role.BAPPEDA, "33.73")
    assert not PROV.can_manage_user(Role.PROVINSI_ADMIN, "32.73")  # a province administrator only of a province


def test_a_pemda_admin_manages_its_pemda_except_wider_admins():
    assert ADMIN.can_manage_user(Role.PEMDA_ADMIN, "32.73") and ADMIN.can_manage_user(Role.SKPD_OPERATOR, "32.73")
    assert not ADMIN.can_manage_user(Role.PROVINSI_ADMIN, "32")
    assert not ADMIN.can_manage_user(Role.PUSAT_ADMIN, None)
    assert not ADMIN.can_manage_user(Role.BAPPEDA, "32.74")


@pytest.mark.parametrize("caller", [BAPPEDA, TAPD, OPERATOR, DPRD, INSPEKTUR], ids=lambda s: s.role)
def test_other_roles_manage_no_users(caller):
    assert not caller.manages_users
    assert not caller.can_manage_user(Role.DPRD, "32.73")


@pytest.mark.parametrize("role, kode_pemda, kode_skpd, field", [
    (Role.PUSAT_ADMIN, "32", None, "kode_pemda"),
    (Role.PROVINSI_ADMIN, "32.73", None, "kode_pemda"),
    (Role.PEMDA_ADMIN, "32", None, "kode_pemda"),
    (Role.BAPPEDA, None, None, "kode_pemda"),
    (Role.BAPPEDA, "3273", None, "kode_pemda"),
    (Role.SKPD_OPERATOR, "32.73", None, "kode_skpd"),
    (Role.TAPD, "32.73", PDK, "kode_skpd"),
    ("camat", "32.73", None, "role"),
])
def test_impossible_assignments_name_the_field(role, kode_pemda, kode_skpd, field):
    assert field in [e["field"] for e in assignment_errors(role, kode_pemda, kode_skpd)]


def test_possible_assignments():
    assert assignment_errors(Role.PUSAT_ADMIN, None, None) == []
    assert assignment_errors(Role.PROVINSI_ADMIN, "32", None) == []
    assert assignment_errors(Role.BAPPEDA, "32", None) == []
    assert assignment_errors(Role.SKPD_OPERATOR, "32.73", PDK) == []


# --- claims and tokens -------------------------------------------------------------------------------------

@pytest.mark.parametrize("s", [PUSAT, PROV, ADMIN, OPERATOR], ids=lambda s: s.role)
def test_a_scope_survives_its_claims_and_its_token(s):
    assert Scope.from_claims(s.claims()) == s
    token, expires_in = issue_access_token(s, SECRET, 15)
    assert expires_in == 900
    assert verify_access_token(token, SECRET) == s


def test_an_officers_name_and_nip_ride_in_the_token_only_when_known():
    pejabat = Scope("u9", "pa.dikbud", Role.PA_KPA, "32.73", "1.01", nama="Drs. Budi Santoso", nip="197001011995031001")
    assert Scope.from_claims(pejabat.claims()) == pejabat
    assert verify_access_token(issue_access_token(pejabat, SECRET, 15)[0], SECRET) == pejabat
    assert "nama" not in BAPPEDA.claims() and "nip" not in BAPPEDA.claims()  # a token stays small
    # a token issued before names were carried, or a claim of the wrong type: not known
    assert Scope.from_claims({**BAPPEDA.claims(), "nama": 7, "nip": ""}) == BAPPEDA


@pytest.mark.parametrize("claims", [
    {"sub": "u", "username": "x", "role": "root", "kode_pemda": "32.73"},
    {"sub": "u", "username": "x", "role": "bappeda", "kode_pemda": None},
    {"sub": "u", "username": "x", "role": "skpd_operator", "kode_pemda": "32.73"},
    {"sub": "", "username": "x", "role": "bappeda", "kode_pemda": "32.73"},
    {"username": "x", "role": "pusat_admin"},
])
def test_claims_that_describe_no_possible_user_are_refused(claims):
    with pytest.raises(InvalidScope):
        Scope.from_claims(claims)


def _forge(secret: str = SECRET, algorithm: str = "HS256", **override) -> str:
    now = int(time.time())
    claims = {**BAPPEDA.claims(), "iss": "sipd", "aud": "sipd", "iat": now, "exp": now + 60, **override}
    return jwt.encode(claims, secret, algorithm=algorithm)


@pytest.mark.parametrize("forge, reason", [
    (lambda: _forge("another-secret-" + "y" * 32), "not valid"),
    (lambda: _forge(exp=int(time.time()) - 60), "expired"),
    (lambda: _forge(aud="someone-else"), "not valid"),
    (lambda: _forge(iss="someone-else"), "not valid"),
    (lambda: _forge(role="root"), "no possible user"),
    (lambda: _forge(algorithm="HS512"), "not valid"),
    (lambda: "not.a.token", "not valid"),
], ids=["other secret", "expired", "other audience", "other issuer", "no such role", "other algorithm", "garbage"])
def test_tokens_not_ours_or_no_longer_valid_are_refused(forge, reason):
    with pytest.raises(InvalidToken, match=reason):
        verify_access_token(forge(), SECRET)


def test_an_unsigned_token_is_refused():
    header = jwt.utils.base64url_encode(b'{"alg":"none","typ":"JWT"}').decode()
    payload = jwt.utils.base64url_encode(jwt.api_jws.json.dumps(
        {**PUSAT.claims(), "iss": "sipd", "aud": "sipd", "iat": 1, "exp": 2**40}).encode()).decode()
    with pytest.raises(InvalidToken):
        verify_access_token(f"{header}.{payload}.", SECRET)


# --- the worker's caller -----------------------------------------------------------------------------------

def _worker(token: str | None):
    from types import SimpleNamespace

    return SimpleNamespace(data={"auth_token": token} if token else {}, service_name="perencanaan",
                           entrypoint=SimpleNamespace(method_name="list_sub_kegiatan"))


def test_a_worker_s_caller_is_verified_once_and_none_without_a_valid_token():
    from sipd_common.auth import caller_of

    token, _ = issue_access_token(BAPPEDA, SECRET, 15)
    worker = _worker(token)
    assert caller_of(worker, SECRET) == BAPPEDA
    worker.data["auth_token"] = "changed later"  # verified once per worker: the first answer stands
    assert caller_of(worker, SECRET) == BAPPEDA
    assert caller_of(_worker(None), SECRET) is None
    assert caller_of(_worker("garbage"), SECRET) is None
    assert caller_of(_worker(token), "another-secret-" + "z" * 32) is None


def test_the_test_helper_gives_a_caller_the_services_accept():
    from ops.testing import auth_context
    from sipd_common.auth import caller_of
    from sipd_common.settings import get_settings

    worker = _worker(auth_context("skpd_operator", "32.73", PDK)["auth_token"])
    caller = caller_of(worker, get_settings().jwt_secret)
    assert (caller.role, caller.kode_pemda, caller.kode_skpd) == (Role.SKPD_OPERATOR, "32.73", PDK)
