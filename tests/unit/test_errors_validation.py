"""Domain errors (what crosses RPC and becomes problem details) and pydantic errors turned into them."""
from __future__ import annotations

import json

import pytest
from pydantic import BaseModel, Field, ValidationError, model_validator

from sipd_common.errors import (
    DOMAIN_ERRORS, Conflict, DeadlineExceeded, DomainError, Forbidden, Invalid, NotFound, Unauthenticated, Unavailable,
)
from sipd_common.money import Money
from sipd_common.validation import field_path, invalid_from
from contracts.keuangan import RincianBaru
from contracts.perencanaan import PerubahanSubKegiatan

# --- errors ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("cls, status, title", [
    (DomainError, 400, "Bad request"),
    (Unauthenticated, 401, "Login required"),
    (Forbidden, 403, "Forbidden"),
    (NotFound, 404, "Not found"),
    (Invalid, 422, "Unprocessable content"),
    (Conflict, 409, "Conflict"),
    (Unavailable, 503, "Service unavailable"),
])
def test_status_and_title(cls, status, title):
    assert (cls.status, cls.title) == (status, title)
    assert cls("x").status == status


def test_every_domain_error_is_a_domain_error_and_none_is_another():
    kinds = (Unauthenticated, Forbidden, NotFound, Invalid, Conflict, Unavailable)
    for cls in kinds:
        assert issubclass(cls, DomainError)
        assert not any(issubclass(cls, other) for other in kinds if other is not cls)


def test_the_registry_maps_the_class_names_nameko_sends():
    assert DOMAIN_ERRORS == {"DomainError": DomainError, "Unauthenticated": Unauthenticated, "Forbidden": Forbidden,
                             "NotFound": NotFound, "Invalid": Invalid, "Conflict": Conflict,
                             "Unavailable": Unavailable, "DeadlineExceeded": DeadlineExceeded}


def test_the_single_argument_carries_detail_and_errors():
    exc = NotFound("no RKPD item 'x'")
    assert exc.args == ({"detail": "no RKPD item 'x'", "errors": []},)
    assert (exc.detail, exc.errors, exc.extra) == ("no RKPD item 'x'", [], {})


def test_extra_members_travel_in_the_argument():
    exc = Conflict("version mismatch", current_version=3, expected_version=2)
    assert exc.args == ({"detail": "version mismatch", "errors": [], "current_version": 3, "expected_version": 2},)
    assert exc.extra == {"current_version": 3, "expected_version": 2}


def test_errors_travel_in_the_argument():
    errors = [{"field": "harga_satuan", "message": "above the plafon"}]
    exc = Invalid("above the plafon", errors=errors)
    (body,) = exc.args
    assert body["errors"] == errors and body["detail"] == "above the plafon"


def test_instances_do_not_share_the_default_errors_list():
    a, b = DomainError("a"), DomainError("b")
    a.errors.append({"field": "x", "message": "y"})
    assert b.errors == []


def test_invalid_field_names_the_field():
    exc = Invalid.field("tahun", "fiscal year must be between 2000 and 2100")
    assert exc.errors == [{"field": "tahun", "message": "fiscal year must be between 2000 and 2100"}]
    assert exc.detail == "fiscal year must be between 2000 and 2100"
    assert isinstance(exc, Invalid) and exc.status == 422


def test_invalid_field_with_its_own_detail():
    exc = Invalid.field("kode_rekening", "not belanja", detail="the line cannot be priced")
    assert exc.detail == "the line cannot be priced"
    assert exc.args[0]["errors"][0]["message"] == "not belanja"


def test_the_argument_is_plain_json():
    exc = Invalid.field("volume", "a quantity must match ...")
    assert json.loads(json.dumps(exc.args[0])) == exc.args[0]


def test_nameko_serialises_detail_and_errors_as_is():
    nameko_exceptions = pytest.importorskip("nameko.exceptions")
    errors = [{"field": "kode_sub_kegiatan", "message": "already planned for this SKPD and year"}]
    exc = Conflict("SKPD 1.01 already plans 1.01.02.2.01.0001 in 2026", errors=errors)
    wire = json.loads(json.dumps(nameko_exceptions.serialize(exc)))
    assert wire["exc_type"] == "Conflict" and wire["exc_type"] in DOMAIN_ERRORS
    assert wire["exc_args"] == [{"detail": "SKPD 1.01 already plans 1.01.02.2.01.0001 in 2026", "errors": errors}]


def test_nameko_keeps_extra_members_but_as_text():
    """Documents the transport: Nameko stringifies every non-string scalar, so an int extra arrives as text."""
    nameko_exceptions = pytest.importorskip("nameko.exceptions")
    wire = nameko_exceptions.serialize(Conflict("stale", current_version=3))
    assert wire["exc_args"][0]["current_version"] == "3"


def test_str_of_an_error_shows_its_detail():
    assert "no SKPD" in str(NotFound("no SKPD '1.01'"))


# --- field_path / invalid_from -------------------------------------------------------------------------

@pytest.mark.parametrize("loc, path", [
    ((), "body"),
    (("harga_satuan",), "harga_satuan"),
    (("rincian", 0, "volume"), "rincian.0.volume"),
    (("body", "rkpd_id"), "body.rkpd_id"),
])
def test_field_path(loc, path):
    assert field_path(loc) == path


def _error(model, data) -> ValidationError:
    with pytest.raises(ValidationError) as info:
        model.model_validate(data)
    return info.value


GOOD_LINE = {"rkpd_id": "6f1c2b9e-8d7a-4c55-9d0e-2b1f6a7c8d90", "kode_rekening": "5.2.03.01.01.0002",
             "uraian": "Pembangunan gedung", "volume": "1", "satuan": "Paket", "harga_satuan": "1750000000.00"}


def test_invalid_from_names_every_failing_field():
    exc = invalid_from(_error(RincianBaru, {**GOOD_LINE, "rkpd_id": "x", "harga_satuan": 1.5, "uraian": "",
                                            "kode_rekening": None}))
    assert isinstance(exc, Invalid) and exc.status == 422
    assert sorted(e["field"] for e in exc.errors) == ["harga_satuan", "kode_rekening", "rkpd_id", "uraian"]
    assert all(e["message"] for e in exc.errors)
    for e in exc.errors:
        assert f"{e['field']}: {e['message']}" in exc.detail
    assert exc.args[0]["errors"] == exc.errors


def test_invalid_from_names_a_missing_field():
    body = {k: v for k, v in GOOD_LINE.items() if k != "volume"}
    exc = invalid_from(_error(RincianBaru, body))
    assert exc.errors == [{"field": "volume", "message": "Field required"}]
    assert exc.detail == "volume: Field required"


def test_invalid_from_names_an_unknown_field():
    exc = invalid_from(_error(RincianBaru, {**GOOD_LINE, "jumlah": "1"}))
    assert [e["field"] for e in exc.errors] == ["jumlah"]


def test_invalid_from_puts_a_whole_body_error_under_body():
    exc = invalid_from(_error(PerubahanSubKegiatan, {}))
    assert [e["field"] for e in exc.errors] == ["body"]
    assert "at least one field" in exc.errors[0]["message"]


def test_invalid_from_with_a_prefix():
    exc = invalid_from(_error(RincianBaru, {**GOOD_LINE, "harga_satuan": "1.001"}), prefix=("body",))
    assert [e["field"] for e in exc.errors] == ["body.harga_satuan"]
    whole = invalid_from(_error(PerubahanSubKegiatan, {}), prefix=("body",))
    assert [e["field"] for e in whole.errors] == ["body"]


class _Rincian(BaseModel):
    volume: int = Field(ge=1)
    harga_satuan: Money


class _Dokumen(BaseModel):
    rincian: list[_Rincian]
    tahun: int

    @model_validator(mode="after")
    def _tahun(self):
        if self.tahun < 2000:
            raise ValueError("tahun too early")
        return self


def test_invalid_from_names_the_path_into_nested_lists():
    exc = invalid_from(_error(_Dokumen, {"tahun": 2026, "rincian": [
        {"volume": 1, "harga_satuan": "1.00"}, {"volume": 0, "harga_satuan": 1.5}]}))
    assert sorted(e["field"] for e in exc.errors) == ["rincian.1.harga_satuan", "rincian.1.volume"]


def test_invalid_from_keeps_pydantic_order_and_one_entry_per_error():
    err = _error(_Dokumen, {"tahun": "x", "rincian": "y"})
    exc = invalid_from(err)
    assert [e["field"] for e in exc.errors] == [field_path(e["loc"]) for e in err.errors()]
    assert len(exc.errors) == err.error_count() == 2


def test_a_nul_in_text_is_the_callers_to_fix_on_every_rpc_not_a_service_error():
    import pytest
    from sqlalchemy.exc import DataError

    from sipd_common.errors import Invalid
    from sipd_common.rpc import rpc

    class Orig(Exception):
        sqlstate = "22021"

    def create(self, data: dict):
        raise DataError("INSERT ...", {}, Orig("invalid byte sequence for encoding \"UTF8\": 0x00"))

    with pytest.raises(Invalid) as refused:
        rpc(create)(None, {"uraian": "a\x00b"})
    assert refused.value.errors == [{"field": "body", "message": "text may not contain the NUL character (U+0000)"}]

    class Client(Exception):  # psycopg's own refusal of a text parameter: no sqlstate
        sqlstate = None

    def update(self, data: dict):
        raise DataError("UPDATE ...", {}, Client("PostgreSQL text fields cannot contain NUL (0x00) bytes"))

    with pytest.raises(Invalid):
        rpc(update)(None, {"uraian": "a\x00b"})

    Orig.sqlstate = "23505"  # any other database error stays the service's
    with pytest.raises(DataError):
        rpc(create)(None, {})


# --- the database away ---------------------------------------------------------------------------------------

def test_a_database_away_is_told_from_a_statement_that_failed():
    """``database_unavailable``: a restart's or a dropped connection's error is "try again" (503 for a call, no
    counted attempt for an event); a statement's own error is not."""
    import psycopg
    from sqlalchemy.exc import DBAPIError, IntegrityError, InterfaceError, OperationalError

    from sipd_common.db import database_unavailable

    def Stated(sqlstate):  # noqa: N802 — psycopg's error of that SQLSTATE, as the server sends it
        return psycopg.errors.lookup(sqlstate)("x")

    def wrapped(cls, orig, invalidated=False):
        return cls("SELECT 1", {}, orig, connection_invalidated=invalidated)

    assert database_unavailable(wrapped(OperationalError, psycopg.OperationalError("connection failed: FATAL: "
                                                                                   "database is not accepting")))
    assert database_unavailable(wrapped(OperationalError, Stated("57P01")))  # terminated, as by a shutdown
    assert database_unavailable(wrapped(OperationalError, Stated("57P03")))  # starting up
    assert database_unavailable(wrapped(OperationalError, Stated("08006")))
    assert database_unavailable(wrapped(DBAPIError, Stated("XX000"), invalidated=True))
    assert database_unavailable(wrapped(InterfaceError, psycopg.InterfaceError("the connection is closed")))
    assert not database_unavailable(wrapped(OperationalError, Stated("57014")))  # a statement timeout: the caller's
    assert not database_unavailable(wrapped(OperationalError, Stated("40001")))  # a serialization failure
    assert not database_unavailable(wrapped(IntegrityError, psycopg.IntegrityError("duplicate key")))
    assert not database_unavailable(ValueError("not the database's"))
