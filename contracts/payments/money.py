"""Exact money helpers for the handful of contract-level figures computed in Python."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

CENT = Decimal("0.01")


def round_half_away(value: Fraction) -> Decimal:
    """Round an exact fraction to two decimals, half away from zero."""
    sign = -1 if value < 0 else 1
    cents = abs(value) * 100
    whole, rest = divmod(cents.numerator, cents.denominator)
    if 2 * rest >= cents.denominator:
        whole += 1
    return (Decimal(sign * whole) / 100).quantize(CENT)


def format_amount(value: Decimal | int) -> str:
    """Two decimals, '.' as mark, '-' for negatives, never '-0.00', no thousands separator."""
    d = Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)
    if d != Decimal(value):
        raise ValueError(f"{value!r} is not an amount with two decimals")
    if d == 0:
        d = Decimal("0.00")
    return f"{d:.2f}"
