"""Money and quantities: exact decimals, never floats, text on the wire."""
from __future__ import annotations

import re
from decimal import Decimal

import pytest
from pydantic import BaseModel, TypeAdapter, ValidationError

from sipd_common.money import AMOUNT_PATTERN, MONEY_PATTERN, QUANTITY_PATTERN, Amount, Money, Quantity, to_text

MONEY = TypeAdapter(Money)
QUANTITY = TypeAdapter(Quantity)


class Baris(BaseModel):
    volume: Quantity
    harga_satuan: Money
    jumlah: Amount


# --- Money: what is accepted ------------------------------------------------------------------------

@pytest.mark.parametrize("value, expected", [
    ("0", "0"),
    ("0.5", "0.5"),
    ("0.50", "0.50"),
    ("0.01", "0.01"),
    ("1500000", "1500000"),
    ("1500000.00", "1500000.00"),
    ("999999999999999.99", "999999999999999.99"),  # 15 integer digits, 2 decimals: the largest
    (0, "0"),
    (1500000, "1500000"),
    (999999999999999, "999999999999999"),
    (Decimal("1500000.00"), "1500000.00"),
    (Decimal("1E+2"), "100"),  # a Decimal from arithmetic, written without exponent
])
def test_money_accepts(value, expected):
    parsed = MONEY.validate_python(value)
    assert isinstance(parsed, Decimal)
    assert parsed == Decimal(expected)
    assert str(parsed) == expected  # exact text kept, not rounded through a float


def test_money_keeps_every_digit_of_the_largest_value():
    # a float has 15-17 significant digits: this value would not survive one
    assert MONEY.validate_python("999999999999999.99") - MONEY.validate_python("999999999999999.98") == Decimal("0.01")


# --- Money: what is refused -------------------------------------------------------------------------

@pytest.mark.parametrize("value", [
    1.5, 1.0, 0.0, 1500000.00,            # floats, even integral ones
    True, False,                          # bools are ints in Python, but not money
    None, [], {}, b"100",
    "",
    "01", "00", "00.50", "0001500000",    # leading zeros
    "1e3", "1E3", "1E+2", "1.5e2",        # exponents
    "0.001", "1500000.000", "1.999",      # too many decimals (no silent rounding)
    "-1", "-0.01", "-0", -1, -1500000,     # negative
    "+1",
    " 1", "1 ", "1,5", "1.500.000", "1_000",
    "1.", ".5",
    "NaN", "nan", "Infinity", "inf", "sNaN",
    "1000000000000000", 10 ** 15,          # 16 integer digits
    "\u0661\u0665\u0660\u0660",          # Arabic-Indic digits: Decimal would take them
    "\uff11\uff10\uff10",                   # full-width digits
])
def test_money_refuses(value):
    with pytest.raises(ValidationError):
        MONEY.validate_python(value)


@pytest.mark.parametrize("value", [Decimal("NaN"), Decimal("Infinity"), Decimal("-1"), Decimal("-0")])
def test_money_refuses_special_or_negative_decimals(value):
    with pytest.raises(ValidationError):
        MONEY.validate_python(value)


def test_the_refusal_of_a_float_says_to_send_a_string():
    with pytest.raises(ValidationError, match="never a float"):
        MONEY.validate_python(1.5)


@pytest.mark.parametrize("raw, ok", [
    ('"1500000.00"', True),
    ("1500000", True),
    ("1500000.00", False),  # a JSON number with a fraction parses as a float
    ("1.5", False),
    ("1e3", False),
    ("true", False),
    ("null", False),
    ('"1e3"', False),
])
def test_money_from_json(raw, ok):
    if ok:
        assert MONEY.validate_json(raw) == Decimal(raw.strip('"'))
    else:
        with pytest.raises(ValidationError):
            MONEY.validate_json(raw)


@pytest.mark.parametrize("value", ["100\n", "1500000.00\n"])
def test_money_refuses_a_trailing_newline(value):
    with pytest.raises(ValidationError):
        MONEY.validate_python(value)


# --- Quantity ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("value", ["0", "1", "2.5", "0.0001", "12.3456", "999999999999.9999", 12, Decimal("2.5")])
def test_quantity_accepts(value):
    assert QUANTITY.validate_python(value) == Decimal(str(value))


@pytest.mark.parametrize("value", [
    "0.00001", "1.23456",        # five decimals
    "1000000000000", 10 ** 12,   # 13 integer digits
    2.5, True, "", "01", "-1", "1e2", "1.",
])
def test_quantity_refuses(value):
    with pytest.raises(ValidationError):
        QUANTITY.validate_python(value)


def test_quantity_allows_more_decimals_than_money():
    assert QUANTITY.validate_python("0.0001") == Decimal("0.0001")
    with pytest.raises(ValidationError):
        MONEY.validate_python("0.0001")


# --- to_text: the canonical text of an amount --------------------------------------------------------

@pytest.mark.parametrize("value, text", [
    (Decimal("1500000"), "1500000.00"),
    (Decimal("1500000.00"), "1500000.00"),
    (Decimal("1.5"), "1.50"),
    (Decimal("1.50"), "1.50"),
    (Decimal("2500.000"), "2500.00"),      # needless trailing zeros dropped down to two
    (Decimal("0.000001"), "0.000001"),     # significant decimals kept
    (Decimal("1.2345"), "1.2345"),
    (Decimal("1E+2"), "100.00"),           # never an exponent
    (Decimal("1.5E+3"), "1500.00"),
    (Decimal("1E-6"), "0.000001"),
    (Decimal("0"), "0.00"),
    (Decimal("0.00"), "0.00"),
    (Decimal("0E-10"), "0.00"),
    (Decimal("-250000.50"), "-250000.50"),
    (Decimal("999999999999999.99"), "999999999999999.99"),
    (Decimal("100000000000000000000"), "100000000000000000000.00"),
    (5, "5.00"),
])
def test_to_text(value, text):
    assert to_text(value) == text


@pytest.mark.parametrize("value", [Decimal("1500000"), Decimal("0.000001"), Decimal("-250000.5"), Decimal("1E+2"),
                                   Decimal("999999999999999.99")])
def test_to_text_matches_the_amount_pattern_and_reads_back_to_the_same_value(value):
    text = to_text(value)
    assert re.fullmatch(AMOUNT_PATTERN, text)
    assert Decimal(text) == value


def test_to_text_is_exact_beyond_28_digits():
    from services.keuangan.rincian.domain import jumlah
    value = jumlah(Decimal("999999999999.9999"), Decimal("999999999999999.99"))
    assert value == Decimal("999999999999999890000000000.000001")
    assert to_text(value) == "999999999999999890000000000.000001"


# --- in a model: python and JSON ---------------------------------------------------------------------

def test_model_serialises_money_as_text_in_json_and_keeps_decimals_in_python():
    b = Baris(volume="2.5", harga_satuan="1000.00", jumlah=Decimal("2500.000"))
    assert b.model_dump(mode="json") == {"volume": "2.50", "harga_satuan": "1000.00", "jumlah": "2500.00"}
    assert b.model_dump() == {"volume": Decimal("2.5"), "harga_satuan": Decimal("1000.00"), "jumlah": Decimal("2500.000")}
    assert b.model_dump_json() == '{"volume":"2.50","harga_satuan":"1000.00","jumlah":"2500.00"}'


def test_json_round_trip_is_exact():
    b = Baris(volume="999999999999.9999", harga_satuan="999999999999999.99", jumlah=Decimal("0.000001"))
    again = Baris.model_validate_json(b.model_dump_json())
    assert again == b


@pytest.mark.parametrize("adapter, pattern", [(MONEY, MONEY_PATTERN), (QUANTITY, QUANTITY_PATTERN)])
def test_json_schema_is_a_string_with_the_pattern(adapter, pattern):
    out = adapter.json_schema(mode="serialization")
    assert out["type"] == "string" and out["pattern"] == pattern
    accepted = adapter.json_schema(mode="validation")["anyOf"]
    assert accepted[0]["type"] == "string" and accepted[0]["pattern"] == pattern
    assert accepted[1]["type"] == "integer" and accepted[1]["minimum"] == 0  # whole numbers, never floats
    assert "number" not in str(out) + str(accepted)
    for example in out["examples"]:
        assert adapter.validate_python(example) == Decimal(example)
    assert adapter.validate_python(accepted[1]["maximum"]) == accepted[1]["maximum"]


def test_amount_json_schema_is_a_string_with_the_amount_pattern():
    schema = TypeAdapter(Amount).json_schema()
    assert (schema["type"], schema["pattern"]) == ("string", AMOUNT_PATTERN)


def test_model_json_schema_uses_the_string_schemas():
    props = Baris.model_json_schema(mode="serialization")["properties"]
    assert props["harga_satuan"]["type"] == props["volume"]["type"] == props["jumlah"]["type"] == "string"
    assert props["harga_satuan"]["pattern"] == MONEY_PATTERN
    assert props["volume"]["pattern"] == QUANTITY_PATTERN


@pytest.mark.parametrize("text", ["0", "0.5", "1500000.00", "999999999999999.99", "01", "1.001", "1e3", "-1", "",
                                  "1000000000000000", " 1", "1.", ".1"])
def test_the_published_pattern_and_the_validator_agree(text):
    """A client validating against the schema must get the answer the service gives."""
    # JSON Schema patterns are ECMA regexes: `$` is the end of the string
    by_schema = re.search(MONEY_PATTERN.replace("$", r"\Z"), text) is not None
    try:
        MONEY.validate_python(text)
        by_service = True
    except ValidationError:
        by_service = False
    assert by_schema == by_service
