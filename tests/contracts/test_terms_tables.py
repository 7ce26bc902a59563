"""`write_terms_tables` into a real DuckDB file: the tables of docs/architecture.md, exact values."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from contracts.terms import TABLES, load_terms_folder, write_terms_tables
from tests.contracts.terms_cases import (
    COHORT,
    COHORT_FORECAST,
    EXAMPLES_DIR,
    RATE_CARD,
    REFERENCE_DIR,
    SAVINGS,
    SAVINGS_FORECAST,
    TermsFolder,
    edit,
)

ARCHITECTURE = Path(__file__).resolve().parents[2] / "docs" / "architecture.md"


def _architecture_tables() -> dict[str, list[str]]:
    """Table → column names, from the 'raw contract terms' block of docs/architecture.md."""
    text = ARCHITECTURE.read_text(encoding="utf-8")
    block = text.split("### raw contract terms", 1)[1].split("```", 2)[1]
    block = re.sub(r"--[^\n]*", "", block)  # comments
    tables = {}
    for name, columns in re.findall(r"raw\.(\w+)\((.*?)\)\s*(?=raw\.|$)", block, re.S):
        columns = re.sub(r"DECIMAL\(\d+,\d+\)", "DECIMAL", columns)
        tables[name] = [c.split()[0] for c in columns.split(",") if c.strip()]
    return tables


def _write(path: Path, contracts) -> None:
    with duckdb.connect(str(path)) as con:
        write_terms_tables(con, contracts)


def _read(path: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(path), read_only=True) as con:
        return con.execute(sql).fetchall()


@pytest.fixture
def three(tmp_path: Path):
    folder = TermsFolder(tmp_path / "terms")
    folder.write(SAVINGS, "savings.yml")
    folder.write(edit(RATE_CARD, "weeks: 13, within_weeks: 78",
                      "weeks: 13, within_weeks: 78, statuses: [self_supporting, partial]"),
                 "card.yml")
    folder.write(COHORT, "cohort.yml")
    return folder.load()


def _created(path: Path) -> dict[str, dict[str, str]]:
    """Table → column → type, as `write_terms_tables` creates them (warehouse_schema/terms.sql)."""
    _write(path, [])
    rows = _read(path, "SELECT table_name, column_name, data_type FROM information_schema.columns "
                       "WHERE table_schema = 'raw' ORDER BY table_name, ordinal_position")
    tables: dict[str, dict[str, str]] = {}
    for table, column, sql_type in rows:
        tables.setdefault(table, {})[column] = sql_type
    return tables


def test_tables_match_the_architecture(tmp_path: Path):
    created = _created(tmp_path / "w.duckdb")
    assert set(created) == set(TABLES)
    assert _architecture_tables() == {t: list(columns) for t, columns in created.items()}


def test_types_match_the_architecture(tmp_path: Path):
    text = ARCHITECTURE.read_text(encoding="utf-8")
    typed = dict(re.findall(r"(\w+) (DECIMAL\(\d+,\d+\)|DATE|INTEGER|BOOLEAN)", text.split(
        "### raw contract terms", 1)[1].split("```", 2)[1]))
    for table, columns in _created(tmp_path / "w.duckdb").items():
        for column, sql_type in columns.items():
            assert sql_type == typed.get(column, "VARCHAR"), (table, column)


def test_contract_rows_are_exact(tmp_path: Path, three):
    path = tmp_path / "warehouse.duckdb"
    _write(path, three)
    rows = _read(path, "SELECT * EXCLUDE (terms_yaml) FROM raw.contracts ORDER BY contract_id")
    savings = next(t for t in three if t.id == "savings-test")
    assert rows[2] == (
        "savings-test", "Savings test", "Kommune", "Fund", "Provider", "savings_share",
        "savings.yml", savings.terms_sha256, date(2023, 1, 1), date(2024, 6, 30), 100, 3,
        Decimal("40.08"), 26, 13, 2024, "5.68.90", True, Decimal("3200000.00"), Decimal("0.5"),
        Decimal("4500000.00"), None, None, None, None, None, None, "gross", 2,
    )
    assert rows[0][0] == "cohort-test"
    assert rows[0][-6:] == (1, Decimal("0.5"), Decimal("1500000.00"), "pro_rata", "gross", 2)
    assert rows[0][17] is False and rows[0][12] is None  # has_baseline, employment hours
    assert rows[1][0] == "rate-card-test"
    assert rows[1][21:23] == (Decimal("60000.00"), Decimal("2000000.00"))
    texts = dict(_read(path, "SELECT contract_id, terms_yaml FROM raw.contracts"))
    assert texts["savings-test"] == SAVINGS


def test_fraction_columns_keep_ten_places(tmp_path: Path, terms_folder: TermsFolder):
    text = edit(SAVINGS, "investor_share: 0.5", "investor_share: 0.1234567891")
    text = edit(text, "factors: [1.0, 1.0, 1.0]", "factors: [1.0, 0.0000000001, 9999999999.5]")
    path = tmp_path / "w.duckdb"
    _write(path, [terms_folder.load_one(text)])
    assert _read(path, "SELECT investor_share FROM raw.contracts") == [(Decimal("0.1234567891"),)]
    assert _read(path, "SELECT follow_up_year, factor FROM raw.contract_baseline_factors "
                       "ORDER BY 1") == [(1, Decimal("1")), (2, Decimal("0.0000000001")),
                                          (3, Decimal("9999999999.5"))]


def test_detail_tables(tmp_path: Path, three):
    path = tmp_path / "w.duckdb"
    _write(path, three)
    q = lambda sql: _read(path, sql)  # noqa: E731
    assert q("SELECT week_status, benefit_group FROM raw.contract_status_groups "
             "WHERE contract_id = 'savings-test' ORDER BY week_status DESC, benefit_group") == [
        ("self_supporting", "education"), ("self_supporting", "leave"),
        ("self_supporting", "none"), ("partial", "fleksjob")]
    # defaults are written too: the resolved lists
    assert q("SELECT week_status, count(*) FROM raw.contract_status_groups "
             "WHERE contract_id = 'cohort-test' GROUP BY ALL") == [("self_supporting", 3)]
    # every benefit group has its resolved rate, for every contract
    assert q("SELECT contract_id, count(*) FROM raw.contract_weekly_rates GROUP BY ALL "
             "ORDER BY 1") == [("cohort-test", 14), ("rate-card-test", 14), ("savings-test", 14)]
    assert q("SELECT weekly_rate_dkk FROM raw.contract_weekly_rates WHERE contract_id = "
             "'savings-test' AND benefit_group = 'fleksjob'") == [(Decimal("2307.69"),)]
    assert q("SELECT contract_id, follow_up_year, factor FROM raw.contract_baseline_factors "
             "ORDER BY 2") == [("savings-test", k, Decimal("1.0")) for k in (1, 2, 3)]
    assert q("SELECT * FROM raw.contract_year_statuses ORDER BY ALL") == [
        ("cohort-test", "target_statuses", "full"), ("cohort-test", "target_statuses", "partial"),
        ("savings-test", "count_savings_when", "full"),
        ("savings-test", "count_savings_when", "partial")]
    assert q("SELECT * FROM raw.contract_rate_card_outcomes ORDER BY position") == [
        ("rate-card-test", 1, "job_entry_13w", "streak", 13, 78, None, Decimal("20000.00")),
        ("rate-card-test", 2, "sustained_26w", "streak", 26, 104, "job_entry_13w",
         Decimal("15000.00")),
        ("rate-card-test", 3, "self_supporting_year", "year_status", None, None, None,
         Decimal("30000.00"))]
    assert q("SELECT outcome_id, status FROM raw.contract_outcome_statuses ORDER BY ALL") == [
        ("job_entry_13w", "partial"), ("job_entry_13w", "self_supporting"),
        ("self_supporting_year", "full"), ("sustained_26w", "self_supporting")]
    assert q("SELECT * FROM raw.contract_outcome_years ORDER BY ALL") == [
        ("rate-card-test", "self_supporting_year", k) for k in (1, 2, 3)]


def test_forecast_tables(tmp_path: Path):
    folder = TermsFolder(tmp_path / "terms")
    folder.write(edit(SAVINGS_FORECAST, "price_year: 2024", "price_year: 2024\n  basis: municipal_net"),
                 "savings.yml")
    folder.write(COHORT_FORECAST, "cohort.yml")
    folder.write(RATE_CARD + "forecast: {verification_lag_months: 1}\n", "card.yml")
    path = tmp_path / "w.duckdb"
    _write(path, folder.load())
    assert _read(path, "SELECT contract_id, valuation_basis, verification_lag_months "
                       "FROM raw.contracts ORDER BY 1") == [
        ("cohort-test", "gross", 2), ("rate-card-test", "gross", 1),
        ("savings-test", "municipal_net", 3)]
    # one row per contract with a business case: the card has only a lag
    assert _read(path, "SELECT * FROM raw.contract_forecast ORDER BY 1") == [
        ("cohort-test", 84, None, Decimal("0.5")),
        ("savings-test", 100, "kontanthjaelp", None)]
    assert _read(path, "SELECT * FROM raw.contract_forecast_savings ORDER BY 2") == [
        ("savings-test", 1, Decimal("18333.33")), ("savings-test", 2, Decimal("18333.33")),
        ("savings-test", 3, Decimal("18333.34"))]


def test_each_call_replaces_the_content(tmp_path: Path, three):
    path = tmp_path / "w.duckdb"
    _write(path, three)
    _write(path, [t for t in three if t.id == "cohort-test"])
    assert _read(path, "SELECT contract_id FROM raw.contracts") == [("cohort-test",)]
    assert _read(path, "SELECT count(*) FROM raw.contract_rate_card_outcomes") == [(0,)]
    assert _read(path, "SELECT DISTINCT contract_id FROM raw.contract_weekly_rates") == [
        ("cohort-test",)]
    _write(path, [])
    for table in TABLES:
        assert _read(path, f"SELECT count(*) FROM raw.{table}") == [(0,)]


def test_examples_write(tmp_path: Path):
    path = tmp_path / "w.duckdb"
    _write(path, load_terms_folder(EXAMPLES_DIR, REFERENCE_DIR))
    assert _read(path, "SELECT contract_id, mechanism, outlay_dkk, investor_share, "
                       "employment_hours_per_month, target_amount_dkk, cap_total_dkk "
                       "FROM raw.contracts ORDER BY 1") == [
        ("brondby-dsi-tuba", "savings_share", Decimal("3200000.00"), Decimal("0.5"), None, None,
         None),
        ("impact60-aalborg", "cohort_target", None, None, Decimal("40.08"),
         Decimal("1500000.00"), None),
        ("jobcenter-rate-card", "rate_card", None, None, None, None, Decimal("2000000.00")),
    ]
