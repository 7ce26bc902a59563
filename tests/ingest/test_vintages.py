"""Vintage selection: the newest loaded file with as-of ≤ month end, per source."""

from __future__ import annotations

from datetime import date

import duckdb
import pytest

from orchestration.ingest.vintages import RunRefused, select_vintages
from tests.ingest.conftest import Ledger, benefit_file, referrals


def _select(ledger: Ledger, month: str, needed=("referrals", "benefits")):
    with duckdb.connect(str(ledger.warehouse)) as con:
        return select_vintages(con, month, ledger.landing, needed)


def _land_referrals(ledger: Ledger, *days: str) -> None:
    for day in days:
        ledger.write("referrals", f"referrals_{day}.csv", referrals("c1;0101904000;2024-01-10;"))


def _land_benefits(ledger: Ledger, *weeks: str) -> None:
    for week in weeks:
        ledger.write("benefits", f"dream_2024W{week}.csv", benefit_file([f"24{week}"], ["0101904000;701"]))


def test_newest_vintage_on_or_before_month_end_per_source(ledger: Ledger) -> None:
    _land_referrals(ledger, "2024-01-31", "2024-02-29", "2024-03-01")
    _land_benefits(ledger, "05", "09", "10")   # Sundays 2024-02-04, 03-03, 03-10
    ledger.ingest()
    chosen = _select(ledger, "2024-02")
    assert chosen["referrals"].file_name == "referrals_2024-02-29.csv"
    assert chosen["benefits"].file_name == "dream_2024W05.csv"   # W09 ends on 3 March
    assert chosen["benefits"].vintage == date(2024, 2, 4)
    assert "income" not in chosen
    assert ledger.rows("SELECT source, file_name FROM raw.selected_vintages WHERE run_month = '2024-02' "
                       "ORDER BY source") == [("benefits", "dream_2024W05.csv"), ("referrals", "referrals_2024-02-29.csv")]


def test_run_without_a_needed_vintage_is_refused(ledger: Ledger) -> None:
    _land_referrals(ledger, "2024-03-31")
    _land_benefits(ledger, "05")
    ledger.ingest()
    with pytest.raises(RunRefused, match="no loaded referrals extract with an as-of date on or before 2024-02-29"):
        _select(ledger, "2024-02")
    with pytest.raises(RunRefused, match="no loaded income extract"):
        _select(ledger, "2024-03", needed=("referrals", "benefits", "income"))


def test_a_rejected_file_that_would_be_selected_stops_the_run(ledger: Ledger) -> None:
    _land_referrals(ledger, "2024-01-31")
    _land_benefits(ledger, "04", "05")
    ledger.write("referrals", "referrals_2024-02-28.csv", b"")
    ledger.ingest()
    with pytest.raises(RunRefused, match="referrals_2024-02-28.csv was rejected and would be the selected referrals "
                                         "vintage for 2024-02"):
        _select(ledger, "2024-02")
    assert _select(ledger, "2024-01")["referrals"].file_name == "referrals_2024-01-31.csv"


def test_a_changed_file_under_a_loaded_name_does_not_stop_the_run(ledger: Ledger) -> None:
    _land_referrals(ledger, "2024-02-28")
    _land_benefits(ledger, "05")
    ledger.ingest()
    ledger.write("referrals", "referrals_2024-02-28.csv", referrals("c1;0201904000;2024-01-10;"))
    ledger.ingest()
    assert _select(ledger, "2024-02")["referrals"].file_name == "referrals_2024-02-28.csv"
