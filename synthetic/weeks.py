"""Calendar helpers: ISO weeks, week labels, months, and the file names that carry them.

Inside the generator a week is its index from `first_week` (column 0 of every benefit file) and a
month is its index from the month of `first_week`; these helpers convert both ways.
"""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np

def week_monday(day: date) -> date:
    """The Monday of the ISO week that contains `day`."""
    return day - timedelta(days=day.weekday())


def iso_week_label(day: date) -> str:
    """`YYWW` of the ISO week containing `day`: two-digit ISO year, two-digit week."""
    year, week, _ = day.isocalendar()
    if not 1990 <= year <= 2089:
        raise ValueError(f"ISO year {year} cannot be written as a two-digit DREAM year")
    return f"{year % 100:02d}{week:02d}"


def week_column(day: date) -> str:
    """The benefit-file column name `y_YYWW` of the ISO week containing `day`."""
    return f"y_{iso_week_label(day)}"


def week_columns(first_week: date, weeks: int) -> list[str]:
    """Column names of `weeks` consecutive ISO weeks starting with the week of `first_week`."""
    monday = week_monday(first_week)
    return [week_column(monday + timedelta(weeks=i)) for i in range(weeks)]


def coverage_week(as_of: date) -> date:
    """Monday of the last ISO week ended on or before `as_of` (a Sunday ends its own week)."""
    sunday = as_of - timedelta(days=(as_of.weekday() + 1) % 7)
    return sunday - timedelta(days=6)


def coverage_month(as_of: date) -> date:
    """First day of the last calendar month that has ended on or before `as_of`."""
    first = as_of.replace(day=1)
    if (as_of + timedelta(days=1)).day == 1:
        return first
    return add_months(first, -1)


def add_months(first_of_month: date, months: int) -> date:
    index = first_of_month.year * 12 + first_of_month.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def month_end(first_of_month: date) -> date:
    return add_months(first_of_month, 1) - timedelta(days=1)


def referral_file_name(as_of: date, fmt: str = "csv") -> str:
    return f"referrals_{as_of.isoformat()}.{fmt}"


def benefit_file_name(week: date, fmt: str = "csv") -> str:
    """`dream_<YYYY>W<WW>` of the ISO week containing `week` (four-digit ISO year here)."""
    year, number, _ = week.isocalendar()
    return f"dream_{year}W{number:02d}.{fmt}"


def income_file_name(month: date, fmt: str = "csv") -> str:
    return f"eindkomst_{month.year}-{month.month:02d}.{fmt}"


# -- vectorised conversions (numpy datetime64) ------------------------------------------------


def to_day64(day: date) -> np.datetime64:
    return np.datetime64(day.isoformat(), "D")


def month_starts(first_month: date, month_index: np.ndarray) -> np.ndarray:
    """datetime64[D] first days of the months `month_index` after `first_month`."""
    base = np.datetime64(f"{first_month.year:04d}-{first_month.month:02d}", "M")
    return (base + month_index.astype("timedelta64[M]")).astype("datetime64[D]")


def month_index(first_month: date, days: np.ndarray) -> np.ndarray:
    """Month index (relative to the month of `first_month`) of datetime64[D] values."""
    base = np.datetime64(f"{first_month.year:04d}-{first_month.month:02d}", "M")
    return (days.astype("datetime64[M]") - base).astype(np.int64)

