"""Synthetic CPR numbers: valid by the spec's rule, provably never issued.

Every number has a real day-month (29 February included) and a birth year 2037–2057 by the CPR
century rule (seventh digit 5–8 with `YY` 37–57 means 20YY): no such number has been issued, and
the serial part is always 5000–8999. Numbers are drawn from this space only — never from a list.
The modulus-11 check is deliberately not applied (the spec says not to rely on it).

Each source writes a person's number in one of three forms: `DDMMYYSSSS`, `DDMMYY-SSSS`, or —
when the day is 01–09 and the export lost its leading zero — nine digits.
"""

from __future__ import annotations

import numpy as np
import polars as pl

FIRST_YEAR, LAST_YEAR = 37, 57  # two-digit years; with serial 5000-8999 → born 2037-2057
SERIAL_FROM, SERIAL_TO = 5000, 8999

_DAYS_IN_MONTH = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)  # 29 February always allowed
_DAY_MONTH = np.array([(d, m) for m, n in enumerate(_DAYS_IN_MONTH, 1) for d in range(1, n + 1)])
_YEARS = LAST_YEAR - FIRST_YEAR + 1
_SERIALS = SERIAL_TO - SERIAL_FROM + 1

PLAIN, HYPHEN, NINE_DIGIT = 0, 1, 2


def synthetic_cprs(rng: np.random.Generator, n: int) -> pl.DataFrame:
    """`n` distinct synthetic CPR numbers: columns `cpr` (ten digits) and `day` (1–31)."""
    space = len(_DAY_MONTH) * _YEARS * _SERIALS
    if n > space:
        raise ValueError(f"at most {space} synthetic CPR numbers can be drawn, asked for {n}")
    index = rng.choice(space, size=n, replace=False)
    day_month, rest = np.divmod(index, _YEARS * _SERIALS)
    year, serial = np.divmod(rest, _SERIALS)
    day, month = _DAY_MONTH[day_month, 0], _DAY_MONTH[day_month, 1]
    frame = pl.DataFrame(
        {"day": day, "month": month, "yy": year + FIRST_YEAR, "serial": serial + SERIAL_FROM}
    )
    return frame.select(
        pl.concat_str(
            [pl.col(c).cast(pl.String).str.zfill(2) for c in ("day", "month", "yy")]
            + [pl.col("serial").cast(pl.String)]
        ).alias("cpr"),
        pl.col("day").cast(pl.Int8),
    )


def draw_styles(
    rng: np.random.Generator, day: np.ndarray, hyphen_share: float, nine_digit_share: float
) -> np.ndarray:
    """A written form per person: nine digits only where the day is 01–09."""
    u_hyphen, u_nine = rng.random(len(day)), rng.random(len(day))
    style = np.full(len(day), PLAIN, dtype=np.int8)
    style[(day < 10) & (u_nine < nine_digit_share)] = NINE_DIGIT
    style[u_hyphen < hyphen_share] = HYPHEN
    return style


def written_expr(cpr: str, style: str) -> pl.Expr:
    """Polars expression: the ten-digit column `cpr` written in the form of column `style`."""
    ten = pl.col(cpr)
    return (
        pl.when(pl.col(style) == HYPHEN)
        .then(pl.concat_str([ten.str.slice(0, 6), pl.lit("-"), ten.str.slice(6, 4)]))
        .when(pl.col(style) == NINE_DIGIT)
        .then(ten.str.slice(1, 9))
        .otherwise(ten)
    )


def normalise_cpr(value: str) -> str:
    """Ten digits as the spec reads a CPR: hyphen form joined, nine digits left-padded."""
    value = value.strip()
    if len(value) == 11 and value[6] == "-":
        value = value[:6] + value[7:]
    if len(value) == 9:
        value = "0" + value
    return value


def is_valid_cpr(value: str) -> bool:
    """The spec's validity rule (no modulus-11 check)."""
    ten = normalise_cpr(value)
    if len(ten) != 10 or not ten.isascii() or not ten.isdigit():
        return False
    day, month = int(ten[:2]), int(ten[2:4])
    return 1 <= month <= 12 and 1 <= day <= _DAYS_IN_MONTH[month - 1]


def birth_year(ten: str) -> int:
    """Birth year by the CPR office's century rule (seventh digit and `YY`)."""
    yy, seventh = int(ten[4:6]), int(ten[6])
    if seventh <= 3:
        return 1900 + yy
    if seventh in (4, 9):
        return 2000 + yy if yy <= 36 else 1900 + yy
    return 2000 + yy if yy <= 57 else 1800 + yy
