"""Properties of the refusion ladder and the municipal cost, against references written here.

- The ladder week numbers of `int_benefit_weeks_laddered` (its SQL compiled by dbt, run on
  DuckDB tables of random week patterns) equal a direct, week-by-week reading of finance.md.
- The municipal cost expression (the `money` macro over DECIMAL(18,2) x DECIMAL(20,10), as
  `int_participant_weeks_classified` writes it) is round(gross x share, 2), half away from zero.
"""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import duckdb
import jinja2
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

REPO = Path(__file__).resolve().parents[2]
DBT_PROJECT = REPO / "dbt_project"
DBT = str(Path(sys.executable).parent / "dbt")
COVERAGE_START = date(2016, 1, 4)
LADDER_GROUPS = {"kontanthjaelp": "refusion", "dagpenge": "cofinancing", "sygedagpenge": "refusion"}
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def ladder_numbers(cells: str) -> list[int | None]:
    """finance.md, read week by week: `cells` has one letter per week from the coverage start,
    L a ladder week, S a self-supported week."""
    numbers: list[int | None] = []
    start, number = None, 0
    for w, cell in enumerate(cells):
        if cell != "L":
            numbers.append(None)
            continue
        if start is None:
            start, number = w, 1
        else:
            # weeks w-156 ... w-1 that are self-supported and lie after the period's first week
            # (history before the coverage start counts as none)
            after_start = sum(1 for j in range(max(w - 156, start + 1, 0), w) if cells[j] == "S")
            if after_start >= 52:
                start, number = w, 1
            else:
                number += 1
        numbers.append(number)
    return numbers


@pytest.fixture(scope="module")
def ladder_sql(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The model's SQL as dbt compiles it, its relations in catalog `w`."""
    work = tmp_path_factory.mktemp("ladder_sql")
    env = {**os.environ, "OUTCOME_LEDGER_WAREHOUSE": str(work / "w.duckdb"),
           "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}
    subprocess.run([DBT, "compile", "--select", "int_benefit_weeks_laddered", "--project-dir", str(DBT_PROJECT),
                    "--profiles-dir", str(DBT_PROJECT), "--target-path", str(work / "target"),
                    "--log-path", str(work / "logs"), "--quiet"], cwd=REPO, env=env, check=True,
                   capture_output=True, text=True)
    return next((work / "target" / "compiled").rglob("int_benefit_weeks_laddered.sql")).read_text()


def run_ladder(sql: str, persons: list[str], groups: list[list[str]]) -> dict[int, list[int | None]]:
    con = duckdb.connect()
    try:
        con.execute("ATTACH ':memory:' AS w")
        for schema in ("intermediate", "staging", "reference"):
            con.execute(f"CREATE SCHEMA w.{schema}")
        con.execute("CREATE TABLE w.staging.stg_selected_vintages__vintages AS SELECT 'benefits' AS source, "
                    "DATE '2016-01-04' AS coverage_start, DATE '2030-12-29' AS coverage_end")
        con.execute("CREATE TABLE w.reference.benefit_groups (benefit_group VARCHAR, financing VARCHAR)")
        con.executemany("INSERT INTO w.reference.benefit_groups VALUES (?, ?)",
                        [*LADDER_GROUPS.items(), ("pension", "state"), ("education", "state")])
        con.execute(f"CREATE TABLE w.reference.refusion_ladder AS SELECT * FROM read_csv("
                    f"'{DBT_PROJECT / 'seeds' / 'refusion_ladder.csv'}', types={{'financing': 'VARCHAR', 'first_week': 'INTEGER', "
                    f"'last_week': 'INTEGER', 'municipal_share': 'DECIMAL(20,10)', 'valid_from': 'DATE', "
                    f"'valid_to': 'DATE'}})")
        rows = []
        for person_id, (cells, names) in enumerate(zip(persons, groups, strict=True), start=1):
            for w, (cell, name) in enumerate(zip(cells, names, strict=True)):
                if cell != "-":   # '-' no benefit: no row
                    rows.append((person_id, COVERAGE_START + timedelta(weeks=w), None, name))
        con.execute("CREATE TABLE w.intermediate.int_benefit_weeks_keyed (person_id INTEGER, week_start DATE, "
                    "benefit_code BIGINT, benefit_group VARCHAR)")
        if rows:
            con.executemany("INSERT INTO w.intermediate.int_benefit_weeks_keyed VALUES (?, ?, ?, ?)", rows)
        got: dict[int, dict[date, int | None]] = {}
        for person_id, week_start, number in con.execute(
                f"SELECT person_id, week_start, ladder_week FROM ({sql})").fetchall():
            got.setdefault(person_id, {})[week_start] = number
    finally:
        con.close()
    return {p: [got.get(p, {}).get(COVERAGE_START + timedelta(weeks=w)) for w in range(len(cells))]
            for p, cells in enumerate(persons, start=1)}


# A person's weeks: runs of ladder weeks, self-supported weeks without a benefit, and weeks of a
# group financed by the state (self-supported too), long enough to cross 52 and 156.
run = st.tuples(st.sampled_from(["L", "-", "P"]), st.integers(1, 70))
person = st.lists(run, min_size=1, max_size=12)


@SETTINGS
@given(st.lists(person, min_size=1, max_size=4), st.randoms(use_true_random=False))
def test_ladder_numbers_equal_the_spec_read_week_by_week(ladder_sql: str, people, rnd) -> None:
    persons, groups = [], []
    for runs in people:
        cells = "".join(kind * length for kind, length in runs)
        persons.append(cells)
        groups.append([rnd.choice(sorted(LADDER_GROUPS)) if c == "L" else "pension" if c == "P" else None
                       for c in cells])
    got = run_ladder(ladder_sql, persons, groups)
    for p, cells in enumerate(persons, start=1):
        spec = ladder_numbers(cells.replace("-", "S").replace("P", "S"))
        # every self-supported week without a benefit row has no row, so no number
        assert got[p] == spec, cells


def test_the_reference_reading_restarts_exactly_at_52() -> None:
    assert ladder_numbers("L" + "S" * 51 + "L") == [1] + [None] * 51 + [2]
    assert ladder_numbers("L" + "S" * 52 + "L") == [1] + [None] * 52 + [1]
    assert ladder_numbers("S" * 60 + "L" + "S" * 10 + "L")[-1] == 2


def money_expression() -> str:
    """The product's municipal-cost expression, rendered from macros/money.sql."""
    macros = jinja2.Environment().from_string((DBT_PROJECT / "macros" / "money.sql").read_text()).module
    return macros.money("cast($gross as decimal(18, 2)) * cast($share as decimal(20, 10))")


MONEY_CON = duckdb.connect()
cents = st.integers(min_value=-10**9, max_value=10**9).map(lambda n: Decimal(n) / 100)
share = st.one_of(st.sampled_from([Decimal(s) for s in ("0", "0.2", "0.6", "0.7", "0.8", "1")]),
                  st.integers(min_value=0, max_value=10**10).map(lambda n: Decimal(n) / 10**10))


@settings(max_examples=300, deadline=None)
@given(cents, share)
def test_municipal_cost_is_gross_times_share_rounded_half_away_from_zero(gross: Decimal, s: Decimal) -> None:
    [(got,)] = MONEY_CON.execute(f"SELECT {money_expression()}", {"gross": str(gross), "share": str(s)}).fetchall()
    exact = gross * s
    expected = exact.copy_abs().quantize(Decimal("0.01"), rounding=ROUND_HALF_UP).copy_sign(exact)
    assert got == expected


def test_municipal_cost_rounds_ties_away_from_zero() -> None:
    with duckdb.connect() as con:
        for gross, s, expected in (("0.05", "0.3", "0.02"), ("-0.05", "0.3", "-0.02"),
                                   ("2844.46", "0.6", "1706.68"), ("0.01", "0.5", "0.01")):
            [(got,)] = con.execute(f"SELECT {money_expression()}", {"gross": gross, "share": s}).fetchall()
            assert got == Decimal(expected), (gross, s)
