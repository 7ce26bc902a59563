"""Value rules shared by every extract, as polars expressions.

Each function takes the text column (already trimmed, empty → null) and returns an expression;
the schemas use them as checks and the parsers use the same expressions to convert, so what is
validated is exactly what is loaded.
"""

from __future__ import annotations

import polars as pl

#: `-`, digits, optionally `,` and at most two digits; 16 integer digits fit DECIMAL(18,2).
NUMBER_PATTERN = r"^-?[0-9]{1,16}(,[0-9]{1,2})?$"
INTEGER_PATTERN = r"^-?[0-9]{1,18}$"
DATE_PATTERN = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
CPR_PATTERN = r"^([0-9]{6}-?[0-9]{4}|[0-9]{9})$"


def normalised_cpr(col: pl.Expr) -> pl.Expr:
    """Ten digits: hyphen removed, a nine-digit value (leading zero lost) left-padded."""
    digits = col.str.replace("-", "", literal=True)
    return (
        pl.when(col.str.contains(CPR_PATTERN))
        .then(digits.str.pad_start(10, "0"))
        .otherwise(None)
    )


def is_valid_cpr(col: pl.Expr) -> pl.Expr:
    """Ten digits after normalisation and a real day-month (29 February always allowed).

    No modulus-11 check: numbers without it have been issued since 2007.
    """
    cpr = normalised_cpr(col)
    # Year 2000 is a leap year, so 29 February always parses.
    day_month = pl.concat_str(
        [pl.lit("2000"), cpr.str.slice(2, 2), cpr.str.slice(0, 2)]
    ).str.to_date("%Y%m%d", strict=False)
    return day_month.is_not_null()


def parsed_date(col: pl.Expr) -> pl.Expr:
    """`YYYY-MM-DD` as a date; null when the text is not a real date."""
    return (
        pl.when(col.str.contains(DATE_PATTERN))
        .then(col.str.to_date("%Y-%m-%d", strict=False))
        .otherwise(None)
    )


def is_number(col: pl.Expr) -> pl.Expr:
    return col.str.contains(NUMBER_PATTERN)


def parsed_number(col: pl.Expr) -> pl.Expr:
    """Decimal comma text → exact DECIMAL(18,2); null when not a number of the spec's form."""
    return (
        pl.when(is_number(col))
        .then(col.str.replace(",", ".", literal=True))
        .otherwise(None)
        .cast(pl.Decimal(18, 2))
    )


def is_integer(col: pl.Expr) -> pl.Expr:
    return col.str.contains(INTEGER_PATTERN)


def parsed_integer(col: pl.Expr) -> pl.Expr:
    return pl.when(is_integer(col)).then(col).otherwise(None).cast(pl.Int64, strict=False)
