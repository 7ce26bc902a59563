"""ISO-week labels, coverage of an as-of date, and file names."""

from datetime import date

import pytest

from synthetic import (
    benefit_file_name, coverage_month, coverage_week, income_file_name, iso_week_label,
    referral_file_name, week_columns, week_monday,
)


@pytest.mark.parametrize(("day", "label"), [
    (date(2024, 1, 1), "2401"),
    (date(2024, 12, 30), "2501"),   # belongs to ISO 2025-W01
    (date(2021, 1, 3), "2053"),     # Sunday of ISO 2020-W53
    (date(1999, 12, 31), "9952"),
    (date(2022, 1, 9), "2201"),
])
def test_iso_week_label_uses_the_iso_year(day, label):
    assert iso_week_label(day) == label


def test_week_columns_run_over_a_53_week_year():
    columns = week_columns(date(2020, 12, 21), 4)
    assert columns == ["y_2052", "y_2053", "y_2101", "y_2102"]


def test_coverage_week_is_the_last_week_ended_by_the_as_of_date():
    assert coverage_week(date(2024, 9, 29)) == date(2024, 9, 23)   # a Sunday ends its week
    assert coverage_week(date(2024, 9, 30)) == date(2024, 9, 23)   # Monday: previous week
    assert coverage_week(date(2024, 10, 5)) == date(2024, 9, 23)   # Saturday: not yet ended
    assert coverage_week(date(2024, 10, 6)) == date(2024, 9, 30)


def test_coverage_month_is_the_last_month_ended_by_the_as_of_date():
    assert coverage_month(date(2024, 10, 31)) == date(2024, 10, 1)
    assert coverage_month(date(2024, 10, 30)) == date(2024, 9, 1)
    assert coverage_month(date(2024, 2, 29)) == date(2024, 2, 1)
    assert coverage_month(date(2024, 1, 15)) == date(2023, 12, 1)


def test_file_names():
    assert benefit_file_name(date(2024, 12, 30)) == "dream_2025W01.csv"
    assert benefit_file_name(date(2024, 9, 23), "parquet") == "dream_2024W39.parquet"
    assert income_file_name(date(2024, 3, 1)) == "eindkomst_2024-03.csv"
    assert referral_file_name(date(2024, 3, 31)) == "referrals_2024-03-31.csv"
    assert week_monday(date(2024, 9, 29)) == date(2024, 9, 23)
