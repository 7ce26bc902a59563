"""The run's clock: which day it is in Copenhagen, and which months have ended.

"Today" is an input, not a hidden call: `OUTCOME_LEDGER_TODAY=YYYY-MM-DD` sets it (tests, a rerun
of a past month's schedule); otherwise it is the current date in Europe/Copenhagen.
"""

from __future__ import annotations

import calendar
import os
import re
from collections.abc import Mapping
from datetime import date, datetime
from zoneinfo import ZoneInfo

from orchestration.errors import MonthRefused, SettingRefused

COPENHAGEN = ZoneInfo("Europe/Copenhagen")
TODAY_ENV = "OUTCOME_LEDGER_TODAY"
MONTH_PATTERN = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


def today(environ: Mapping[str, str] | None = None) -> date:
    """Today in Copenhagen, or the date `OUTCOME_LEDGER_TODAY` names."""
    environ = os.environ if environ is None else environ
    value = environ.get(TODAY_ENV, "").strip()
    if not value:
        return datetime.now(COPENHAGEN).date()
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise SettingRefused(f"{TODAY_ENV}={value!r} is not a date written YYYY-MM-DD") from None


def last_day_of_month(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def month_end(month: str) -> date:
    """The last day of `month` (`YYYY-MM`)."""
    year, number = (int(part) for part in month.split("-"))
    return last_day_of_month(year, number)


def month_of(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def previous_month(day: date) -> str:
    return month_of(date(day.year - 1, 12, 1) if day.month == 1 else date(day.year, day.month - 1, 1))


def next_month(month: str) -> str:
    year, number = (int(part) for part in month.split("-"))
    return f"{year + number // 12:04d}-{number % 12 + 1:02d}"


def refuse_unless_ended(month: str, on: date) -> None:
    """Statements are issued only for a month that has ended (spec: warehouse.md, "Running a month")."""
    if on <= month_end(month):
        state = "has not ended" if on.strftime("%Y-%m") == month else "is in the future"
        raise MonthRefused(
            f"refused: {month} {state} (today is {on.isoformat()} in Copenhagen); statements are "
            f"issued only for a month that has ended. Use --preview to see what would be issued so far.")
