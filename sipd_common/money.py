"""Money and quantities: exact decimals, never floats, text on the wire."""
from __future__ import annotations

from decimal import Context, Decimal, InvalidOperation
from typing import Annotated

from pydantic import BeforeValidator, PlainSerializer, WithJsonSchema

# Rupiah with up to two decimals (sen), non-negative, at most 15 integer digits.
MONEY_PATTERN = r"^(0|[1-9][0-9]{0,14})(\.[0-9]{1,2})?$"
# A quantity (volume, target): up to 12 integer digits and 4 decimals.
QUANTITY_PATTERN = r"^(0|[1-9][0-9]{0,11})(\.[0-9]{1,4})?$"
# What the services return for amounts they compute (a product may carry up to 6 decimals).
AMOUNT_PATTERN = r"^-?(0|[1-9][0-9]*)(\.[0-9]{1,6})?$"


def _decimal(pattern: str, what: str):
    import re

    compiled = re.compile(pattern)

    def parse(value):
        if isinstance(value, Decimal):
            value = format(value, "f")
        if isinstance(value, bool) or not isinstance(value, (str, int)):
            raise ValueError(f"{what} must be a decimal string such as \"1500000.00\" (never a float)")
        text = str(value)
        if not compiled.fullmatch(text):  # fullmatch: "$" alone would let "100\n" through
            raise ValueError(f"{what} must match {pattern}")
        try:
            return Decimal(text)
        except InvalidOperation:
            raise ValueError(f"{what} is not a number") from None

    return parse


# normalize() rounds to its context's precision: amounts must stay exact (one context, not one per call: an import
# writes thousands of amounts)
_EXACT = Context(prec=64)


def to_text(value: Decimal) -> str:
    """Canonical text of an amount: no exponent, at least two decimals, no needless trailing zeros."""
    text = format(Decimal(value).normalize(_EXACT), "f")
    if "." not in text:
        return text + ".00"
    whole, frac = text.split(".")
    return f"{whole}.{frac.ljust(2, '0')}"


_serialize = PlainSerializer(to_text, return_type=str, when_used="json")


def _schemas(pattern: str, max_integer: int, example: str, description: str):
    """Input: a decimal string or a whole number; output: always the decimal string."""
    text = {"type": "string", "pattern": pattern, "examples": [example]}
    return (
        WithJsonSchema({"anyOf": [text, {"type": "integer", "minimum": 0, "maximum": max_integer}],
                        "description": description + " A whole number may be sent as a JSON integer."},
                       mode="validation"),
        WithJsonSchema({**text, "description": description}, mode="serialization"),
    )


Money = Annotated[Decimal, BeforeValidator(_decimal(MONEY_PATTERN, "a money value")), _serialize,
                  *_schemas(MONEY_PATTERN, 10**15 - 1, "1500000.00",
                            "Rupiah, exact: a decimal string with up to 2 decimals, never a float.")]
Quantity = Annotated[Decimal, BeforeValidator(_decimal(QUANTITY_PATTERN, "a quantity")), _serialize,
                     *_schemas(QUANTITY_PATTERN, 10**12 - 1, "2.5", "Exact decimal string with up to 4 decimals.")]
# An amount sent back exactly as the service computed it (e.g. a month of a cash plan of a line whose total carries
# fractions of a sen): non-negative, up to 6 decimals.
EXACT_MONEY_PATTERN = r"^(0|[1-9][0-9]{0,14})(\.[0-9]{1,6})?$"
ExactMoney = Annotated[Decimal, BeforeValidator(_decimal(EXACT_MONEY_PATTERN, "an amount")), _serialize,
                       *_schemas(EXACT_MONEY_PATTERN, 10**15 - 1, "1250000.00",
                                 "Rupiah, exact: a decimal string with up to 6 decimals, never a float.")]
Amount = Annotated[Decimal, _serialize,
                   WithJsonSchema({"type": "string", "pattern": AMOUNT_PATTERN, "examples": ["37500000.00"],
                                   "description": "Rupiah, exact, as computed: a decimal string."})]

# A rate in percent (a tax such as PPN): 0 to 100 with up to 2 decimals.
PERCENT_PATTERN = r"^(100(\.0{1,2})?|[1-9]?[0-9](\.[0-9]{1,2})?)$"
Percent = Annotated[Decimal, BeforeValidator(_decimal(PERCENT_PATTERN, "a percentage")), _serialize,
                    *_schemas(PERCENT_PATTERN, 100, "11", "Percent, 0 to 100, exact: a decimal string with up to 2 "
                                                         "decimals, never a float.")]
