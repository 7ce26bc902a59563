"""Synthetic CPR numbers: valid per the spec, never issued, written in the three forms."""

import numpy as np
import polars as pl
from hypothesis import given, strategies as st

from synthetic.cpr import (
    HYPHEN, NINE_DIGIT, PLAIN, birth_year, draw_styles, is_valid_cpr, normalise_cpr,
    synthetic_cprs, written_expr,
)


def test_drawn_numbers_are_distinct_valid_and_from_the_unissued_range():
    cprs = synthetic_cprs(np.random.default_rng(1), 20_000)["cpr"].to_list()
    assert len(set(cprs)) == len(cprs)
    assert all(len(c) == 10 and c.isdigit() and is_valid_cpr(c) for c in cprs)
    assert {birth_year(c) for c in cprs} <= set(range(2037, 2058))
    assert all(5000 <= int(c[6:]) <= 8999 for c in cprs)
    assert any(c.startswith("2902") for c in cprs)  # 29 February occurs (always allowed)


def test_written_forms_normalise_back_to_ten_digits():
    frame = synthetic_cprs(np.random.default_rng(2), 5_000)
    day = frame["day"].to_numpy()
    frame = frame.with_columns(style=pl.Series(draw_styles(np.random.default_rng(3), day,
                                                            0.2, 0.5)))
    written = frame.select(written_expr("cpr", "style").alias("w"), "cpr", "style", "day")
    for w, ten, style, d in written.iter_rows():
        assert normalise_cpr(w) == ten
        if style == HYPHEN:
            assert w[6] == "-" and len(w) == 11
        elif style == NINE_DIGIT:
            assert len(w) == 9 and d < 10
        else:
            assert style == PLAIN and w == ten
    styles = set(written["style"].to_list())
    assert styles == {PLAIN, HYPHEN, NINE_DIGIT}


@given(st.text(alphabet="0123456789-", min_size=0, max_size=12))
def test_validity_rule_needs_ten_digits_and_a_real_day_month(value):
    ten = normalise_cpr(value)
    expected = (len(ten) == 10 and ten.isdigit() and 1 <= int(ten[2:4]) <= 12
                and 1 <= int(ten[:2]) <= (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)[
                    int(ten[2:4]) - 1])
    assert is_valid_cpr(value) == expected


def test_validity_examples():
    assert is_valid_cpr("290237-5000")      # 29 February of a non-leap year: allowed
    assert is_valid_cpr("10537-5000".replace("-", ""))  # nine digits: 0105375000
    assert not is_valid_cpr("3002375000")
    assert not is_valid_cpr("0013375000")
