"""Stage bodies: each runs in its own child process (`python -m benchmarks._stages <stage> …`),
so that the parent measures its wall time, CPU time and peak RSS alone. A stage writes what it
knows about itself (row counts, inner timings) as JSON to `--report`.
"""

from __future__ import annotations

import argparse
import cProfile
import functools
import io
import json
import pstats
import resource
import shutil
import sys
import time
from collections import defaultdict
from contextlib import contextmanager, redirect_stdout
from datetime import date
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from benchmarks.common import BENCHMARK_KEY, fresh_duckdb  # noqa: E402

SEEDS = REPO / "dbt_project" / "seeds"


def _write(report: Path, payload: dict) -> None:
    report.parent.mkdir(parents=True, exist_ok=True)
    report.write_text(json.dumps(payload, indent=2, default=str))


def _count_lines(path: Path) -> int:
    with path.open("rb") as handle:
        return sum(block.count(b"\n") for block in iter(lambda: handle.read(1 << 24), b""))


def _file_facts(landing: Path) -> dict:
    facts = {}
    for path in sorted(landing.rglob("*.csv")):
        lines = _count_lines(path)
        with path.open("rb") as handle:
            header = handle.readline().decode("utf-8", "replace")
        facts[str(path.relative_to(landing))] = {
            "bytes": path.stat().st_size, "mb": round(path.stat().st_size / 1e6, 1),
            "physical_lines": lines, "columns": header.count(";") + 1,
        }
    return facts


# --- synthetic extracts -----------------------------------------------------------------------

def generate(args: argparse.Namespace) -> None:
    from synthetic import SyntheticConfig, generate_extracts

    started = time.perf_counter()
    config = SyntheticConfig(participants=args.participants, weeks=args.weeks,
                             **({"first_week": date.fromisoformat(args.first_week)} if args.first_week else {}))
    vintage = date.fromisoformat(args.vintage) if args.vintage else config.horizon_end
    shutil.rmtree(args.landing, ignore_errors=True)
    manifest = generate_extracts(args.landing, config, vintages=[vintage])
    elapsed = time.perf_counter() - started
    started_dates = manifest.participants["start_date"].drop_nulls()
    _write(args.report, {
        "seconds": elapsed, "participants": args.participants, "weeks": args.weeks,
        "non_participants": config.non_participant_count, "vintage": vintage,
        "first_week": config.first_week, "horizon_end": config.horizon_end,
        "cohort_window": config.cohort_window, "start_window": manifest.start_window,
        "referral_rows": manifest.participants.height, "started": len(started_dates),
        "files": _file_facts(args.landing),
    })


# --- ingest: the product ------------------------------------------------------------------------

class _Timers:
    def __init__(self) -> None:
        self.seconds: dict[str, float] = defaultdict(float)
        self.calls: dict[str, int] = defaultdict(int)
        self.peak_after: dict[str, float] = {}  # process peak RSS when the call returned
        self.source = "-"

    def wrap(self, label, function):
        @functools.wraps(function)
        def timed(*args, **kwargs):
            name = label(*args, **kwargs) if callable(label) else label
            key = f"{self.source}: {name}"
            started = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                self.seconds[key] += time.perf_counter() - started
                self.calls[key] += 1
                self.peak_after[key] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        return timed

    def report(self) -> dict:
        return {k: {"seconds": round(v, 3), "calls": self.calls[k],
                    "peak_rss_mb_so_far": round(self.peak_after[k])} for k, v in self.seconds.items()}


def _instrument(timers: _Timers) -> None:
    """Wrap the ingest's own functions with timers (no change to their code; the wrappers are
    installed in this process only). Timings of nested functions overlap: `read_text_extract`
    includes `decode`; `prepare` includes everything up to the insert."""
    from orchestration.ingest import benefits, income, landing, loader, reading, referrals

    landing.LandedFile.sha256 = timers.wrap("sha256 of the file", landing.LandedFile.sha256)
    reading.decode = timers.wrap("  decode bytes → str", reading.decode)
    reading.read_text_extract = timers.wrap(" read_text_extract (decode, split lines and fields)",
                                            reading.read_text_extract)
    for module in (benefits, income, referrals):
        module.quarantine_records = timers.wrap(lambda schema, frame: f" pandera validate {schema.__name__}",
                                                module.quarantine_records)
        module.line_quarantine = timers.wrap(" line_quarantine", module.line_quarantine)
        module.valid_lines = timers.wrap(" valid_lines", module.valid_lines)
    for source, prepare in list(loader.PREPARERS.items()):
        loader.PREPARERS[source] = timers.wrap("prepare (parse + validate, polars/pandera)", prepare)
    loader._insert_rows = timers.wrap(lambda con, table, *a, **k: f"insert {table} (incl. HMAC person_key)",
                                      loader._insert_rows)
    loader._insert_quarantine = timers.wrap("insert audit.quarantine", loader._insert_quarantine)
    loader._allocate_income = timers.wrap("allocate income to months (SQL)", loader._allocate_income)


def product_ingest(args: argparse.Namespace) -> None:
    started = time.perf_counter()
    import duckdb

    from orchestration.ingest.loader import ingest_source
    from orchestration.ingest.pseudonym import PseudonymKey
    imported = time.perf_counter() - started

    timers = _Timers()
    if not args.no_breakdown:
        _instrument(timers)
    fresh_duckdb(args.warehouse)
    key = PseudonymKey(BENCHMARK_KEY.encode())
    profiler = cProfile.Profile() if args.profile else None
    sources, outcomes, peak_after = {}, {}, {}
    with duckdb.connect(str(args.warehouse)) as con:
        for source in ("referrals", "benefits", "income"):
            timers.source = source
            t = time.perf_counter()
            if profiler:
                profiler.enable()
            summary = ingest_source(con, source, args.landing, key)
            if profiler:
                profiler.disable()
            sources[source] = time.perf_counter() - t
            peak_after[source] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            outcomes[source] = [
                {"file": o.file_name, "status": o.status, "rows_read": o.rows_read,
                 "rows_loaded": o.rows_loaded, "rows_quarantined": o.rows_quarantined,
                 "message": o.message[:300]} for o in summary.outcomes]
        counts = {t: con.execute(f"SELECT count(*) FROM {t}").fetchall()[0][0] for t in (
            "raw.referrals", "raw.benefit_persons", "raw.benefit_weeks", "raw.income_lines",
            "raw.income_line_months", "raw.income_uncovered_months", "audit.quarantine")}
    payload = {"import_seconds": imported, "source_seconds": sources, "outcomes": outcomes,
               "peak_rss_mb_after_source": peak_after,
               "row_counts": counts, "warehouse_mb": round(args.warehouse.stat().st_size / 1e6, 1),
               "breakdown": timers.report()}
    if profiler:
        profiler.dump_stats(str(args.profile))
        text = io.StringIO()
        stats = pstats.Stats(profiler, stream=text)
        stats.sort_stats("cumulative").print_stats(40)
        stats.sort_stats("tottime").print_stats(25)
        Path(str(args.profile) + ".txt").write_text(text.getvalue())
        payload["profile"] = str(args.profile)
    _write(args.report, payload)


# --- ingest: the yardsticks ---------------------------------------------------------------------

def yardstick_ingest(args: argparse.Namespace) -> None:
    """Plain DuckDB: read_csv (all VARCHAR, `;`) of the three files, UNPIVOT of the week columns
    into long form, income and referrals as they are — into a fresh DuckDB file (under dbt's
    DuckDB settings with `--profile-settings`, else DuckDB's defaults)."""
    import duckdb

    fresh_duckdb(args.warehouse)
    steps: dict[str, float] = {}
    referrals = _one(args.landing / "referrals")
    benefits = _one(args.landing / "benefits")
    income = _one(args.landing / "income")
    config = duckdb_settings(args.warehouse) if args.profile_settings else {}
    with duckdb.connect(str(args.warehouse), config=config) as con:
        with _step(steps, "referrals read_csv"):
            con.execute(f"CREATE TABLE referrals AS SELECT * FROM read_csv('{referrals}', delim=';', "
                        "header=true, all_varchar=true)")
        with _step(steps, "benefits read_csv (wide)"):
            con.execute(f"CREATE TEMP TABLE benefit_wide AS SELECT * FROM read_csv('{benefits}', "
                        "delim=';', header=true, all_varchar=true)")
        with _step(steps, "benefits persons"):
            con.execute("CREATE TABLE benefit_persons AS SELECT pnr FROM benefit_wide")
        with _step(steps, "benefits UNPIVOT → long"):
            con.execute("CREATE TABLE benefit_weeks AS UNPIVOT benefit_wide ON COLUMNS(* EXCLUDE (pnr)) "
                        "INTO NAME week_column VALUE code")
        with _step(steps, "income read_csv"):
            # the `#records;N` trailer is a short line: pad it and drop it
            con.execute(f"CREATE TABLE income_lines AS SELECT * FROM read_csv('{income}', delim=';', "
                        "header=true, all_varchar=true, null_padding=true) WHERE NOT starts_with(cpr, '#')")
        counts = {t: con.execute(f"SELECT count(*) FROM {t}").fetchall()[0][0]
                  for t in ("referrals", "benefit_persons", "benefit_weeks", "income_lines")}
    _write(args.report, {"step_seconds": steps, "row_counts": counts,
                         "warehouse_mb": round(args.warehouse.stat().st_size / 1e6, 1)})


def yardstick_ingest_typed(args: argparse.Namespace) -> None:
    """What the product must do at least, in plain DuckDB SQL and without any validation or
    quarantine: the product's own raw tables (`ensure_schema`), typed columns, line
    numbers, HMAC person keys (the product's SQL expression, once per person), week Mondays from
    the header, and the product's own income allocation SQL."""
    import duckdb

    from orchestration.ingest import income
    from orchestration.ingest.benefits import iso_year
    from orchestration.ingest.pseudonym import PseudonymKey, person_key_sql
    from warehouse_schema import ensure_schema

    fresh_duckdb(args.warehouse)
    steps: dict[str, float] = {}
    key = PseudonymKey(BENCHMARK_KEY.encode()).sql_parameters()
    referrals = _one(args.landing / "referrals")
    benefits = _one(args.landing / "benefits")
    incomes = _one(args.landing / "income")
    cpr10 = "lpad(replace(trim({c}), '-', ''), 10, '0')"
    number = "CAST(replace(trim({c}), ',', '.') AS DECIMAL(18, 2))"
    with duckdb.connect(str(args.warehouse)) as con:
        ensure_schema(con, "raw", "audit")
        with _step(steps, "referrals"):
            con.execute(
                f"INSERT INTO raw.referrals SELECT 1, 'sha', row_number() OVER () + 1, trim(contract_id), "
                f"{person_key_sql(cpr10.format(c='cpr'))}, CAST(referral_date AS DATE), "
                f"CAST(nullif(trim(start_date), '') AS DATE) "
                f"FROM read_csv('{referrals}', delim=';', header=true, all_varchar=true)", key)
        with _step(steps, "benefits read_csv (wide) + person_key"):
            con.execute(
                f"CREATE TEMP TABLE benefit_wide AS SELECT row_number() OVER () + 1 AS line_number, "
                f"{person_key_sql(cpr10.format(c='pnr'))} AS person_key, * EXCLUDE (pnr) "
                f"FROM read_csv('{benefits}', delim=';', header=true, all_varchar=true)", key)
        with _step(steps, "benefits persons"):
            con.execute("INSERT INTO raw.benefit_persons SELECT 2, 'sha', line_number, person_key FROM benefit_wide")
        header = benefits.open("r", encoding="utf-8").readline().strip().split(";")
        weeks = [(name, date.fromisocalendar(iso_year(int(name[2:4])), int(name[4:6]), 1))
                 for name in header if name.startswith("y_")]
        con.execute("CREATE TEMP TABLE week_columns (week_column VARCHAR, week_start DATE)")
        con.executemany("INSERT INTO week_columns VALUES (?, ?)", weeks)
        with _step(steps, "benefits UNPIVOT → typed long"):
            con.execute(
                "INSERT INTO raw.benefit_weeks SELECT 2, 'sha', u.line_number, u.person_key, w.week_start, "
                "CAST(trim(u.code) AS BIGINT) FROM (UNPIVOT benefit_wide ON COLUMNS(* EXCLUDE (line_number, "
                "person_key)) INTO NAME week_column VALUE code) u JOIN week_columns w USING (week_column) "
                "WHERE trim(u.code) <> ''")
        with _step(steps, "income read + typed + person_key"):
            con.execute(
                f"INSERT INTO raw.income_lines SELECT 3, 'sha', line_number, "
                f"{person_key_sql(cpr10.format(c='cpr'))}, trim(se_nr), CAST(period_start AS DATE), "
                f"CAST(period_end AS DATE), trim(income_type), {number.format(c='a_income')}, "
                f"{number.format(c='hours')}, nullif(trim(correction), '') FROM ("
                f"SELECT row_number() OVER () + 1 AS line_number, * FROM read_csv('{incomes}', delim=';', "
                f"header=true, all_varchar=true, null_padding=true)) WHERE NOT starts_with(cpr, '#')", key)
        with _step(steps, "income allocation (product SQL)"):
            con.execute(income.ALLOCATE_SQL, {"load_id": 3})
        counts = {t: con.execute(f"SELECT count(*) FROM {t}").fetchall()[0][0] for t in (
            "raw.referrals", "raw.benefit_persons", "raw.benefit_weeks", "raw.income_lines",
            "raw.income_line_months")}
    _write(args.report, {"step_seconds": steps, "row_counts": counts,
                         "warehouse_mb": round(args.warehouse.stat().st_size / 1e6, 1)})


def _one(folder: Path) -> Path:
    files = sorted(folder.glob("*.csv"))
    if len(files) != 1:
        raise SystemExit(f"expected one CSV file in {folder}, found {len(files)}")
    return files[0]


@contextmanager
def _step(steps: dict[str, float], name: str):
    started = time.perf_counter()
    yield
    steps[name] = round(time.perf_counter() - started, 3)


# --- outcomes -----------------------------------------------------------------------------------

def outcomes_prepare(args: argparse.Namespace) -> None:
    """The run's inputs besides the extracts: contract terms tables and the selected vintages."""
    import duckdb

    from contracts.terms import load_terms_folder, write_terms_tables
    from warehouse_schema import ensure_schema
    from orchestration.ingest.vintages import select_vintages

    contracts = load_terms_folder(args.terms, SEEDS)
    needed = ("referrals", "benefits") + (("income",) if any(c.uses_employment_hours for c in contracts) else ())
    with duckdb.connect(str(args.warehouse)) as con:
        ensure_schema(con, "raw", "audit")   # tables added since the warehouse was ingested (raw.current_run)
        write_terms_tables(con, contracts)
        chosen = select_vintages(con, args.month, args.landing, needed)
        windows = con.execute(
            "SELECT contract_id, cohort_start_from, cohort_start_to, max_participants, follow_up_years, "
            "employment_hours_per_month FROM raw.contracts ORDER BY contract_id").fetchall()
    _write(args.report, {"contracts": [list(map(str, w)) for w in windows],
                         "selected": {s: v.file_name for s, v in chosen.items()}})


def _participant_weeks_ctes(first_week: int) -> str:
    """The CTEs down to `classified`: one row per participant × follow-up week from `first_week`
    (1: follow-up only; -51: with the pre-period) with its evidence, coverage, status and cost,
    straight from the raw tables and the seed files, following outcomes.md."""
    return f"""
WITH sel AS (
    SELECT source, load_id, coverage_start, coverage_end FROM raw.selected_vintages WHERE run_month = $month
),
cov AS (
    SELECT max(coverage_start) FILTER (WHERE source = 'benefits') AS b_from,
           max(coverage_end)   FILTER (WHERE source = 'benefits') AS b_to,
           max(coverage_start) FILTER (WHERE source = 'income')   AS i_from,
           max(coverage_end)   FILTER (WHERE source = 'income')   AS i_to
    FROM sel
),
codes AS (
    SELECT * FROM read_csv($codes, header = true, columns = {{
        'benefit_code': 'BIGINT', 'label': 'VARCHAR', 'benefit_group': 'VARCHAR',
        'valid_from': 'DATE', 'valid_to': 'DATE'}})
),
rates AS (
    SELECT * FROM read_csv($rates, header = true, columns = {{
        'benefit_group': 'VARCHAR', 'price_year': 'INTEGER', 'weekly_rate_dkk': 'DECIMAL(18,2)',
        'basis': 'VARCHAR'}})
),
groups AS (
    SELECT benefit_group FROM read_csv($groups, header = true, all_varchar = true)
),
registered AS (
    SELECT p.person_key, p.file_sha256, p.line_number
    FROM raw.benefit_persons AS p
    WHERE p.load_id = (SELECT load_id FROM sel WHERE source = 'benefits')
      AND p.person_key NOT IN (
          SELECT w.person_key
          FROM raw.benefit_weeks AS w
          LEFT JOIN codes AS c ON c.benefit_code = w.benefit_code
          WHERE w.load_id = (SELECT load_id FROM sel WHERE source = 'benefits')
            AND (c.benefit_code IS NULL OR w.week_start + 3 < c.valid_from
                 OR (c.valid_to IS NOT NULL AND w.week_start + 3 > c.valid_to)))
),
in_window AS (
    SELECT r.contract_id, r.person_key, r.start_date, c.max_participants, c.follow_up_years,
           c.full_weeks, c.partial_weeks, c.employment_hours_per_month,
           row_number() OVER (PARTITION BY r.contract_id ORDER BY r.start_date, r.person_key) AS position
    FROM raw.referrals AS r
    JOIN raw.contracts AS c ON c.contract_id = r.contract_id
    WHERE r.load_id = (SELECT load_id FROM sel WHERE source = 'referrals')
      AND r.start_date BETWEEN c.cohort_start_from AND c.cohort_start_to
),
participants AS (
    SELECT i.*, g.file_sha256 AS benefit_file_sha256, g.line_number AS benefit_line,
           i.start_date - CAST(isodow(i.start_date) - 1 AS INTEGER) AS week1_monday
    FROM in_window AS i
    JOIN registered AS g ON g.person_key = i.person_key
    WHERE i.max_participants IS NULL OR i.position <= i.max_participants
),
weeks AS (
    SELECT contract_id, person_key, full_weeks, partial_weeks, employment_hours_per_month,
           benefit_file_sha256, benefit_line, follow_up_week,
           CASE WHEN follow_up_week <= 0 THEN 0 ELSE ((follow_up_week - 1) // 52) + 1 END AS follow_up_year,
           week1_monday + CAST(7 * (follow_up_week - 1) AS INTEGER) AS week_start
    FROM (SELECT *, unnest(generate_series({first_week}, 52 * follow_up_years)) AS follow_up_week
          FROM participants)
),
employment AS (
    SELECT person_key, month, sum(hours) AS hours
    FROM raw.income_line_months
    WHERE load_id = (SELECT load_id FROM sel WHERE source = 'income') AND income_type = '00'
    GROUP BY person_key, month
),
uncovered AS (
    SELECT DISTINCT person_key, month FROM raw.income_uncovered_months
    WHERE load_id = (SELECT load_id FROM sel WHERE source = 'income')
),
contract_groups AS (
    SELECT c.contract_id, g.benefit_group,
           coalesce(o.weekly_rate_dkk, r.weekly_rate_dkk) AS rate,
           coalesce(s.self_supporting, false) AS self_supporting,
           coalesce(s.partial, false) AS partial
    FROM raw.contracts AS c
    CROSS JOIN groups AS g
    LEFT JOIN raw.contract_weekly_rates AS o
        ON o.contract_id = c.contract_id AND o.benefit_group = g.benefit_group
    LEFT JOIN rates AS r ON r.benefit_group = g.benefit_group AND r.price_year = c.price_year
    LEFT JOIN (SELECT contract_id, benefit_group,
                      bool_or(week_status = 'self_supporting') AS self_supporting,
                      bool_or(week_status = 'partial') AS partial
               FROM raw.contract_status_groups GROUP BY contract_id, benefit_group) AS s
        ON s.contract_id = c.contract_id AND s.benefit_group = g.benefit_group
),
evidence AS (
    SELECT w.*, m.month,
           w.week_start BETWEEN cov.b_from AND cov.b_to AS in_benefit,
           CASE WHEN w.week_start BETWEEN cov.b_from AND cov.b_to THEN bw.benefit_code END AS benefit_code,
           CASE WHEN w.week_start BETWEEN cov.b_from AND cov.b_to
                THEN coalesce(b.benefit_group, 'none') END AS benefit_group,
           CASE WHEN m.month BETWEEN cov.i_from AND cov.i_to AND u.person_key IS NULL
                     AND coalesce(e.hours, 0) >= 0
                THEN coalesce(e.hours, 0) END AS hours
    FROM weeks AS w
    CROSS JOIN cov
    CROSS JOIN LATERAL (SELECT CAST(date_trunc('month', w.week_start + 3) AS DATE) AS month) AS m
    LEFT JOIN raw.benefit_weeks AS bw
        ON bw.load_id = (SELECT load_id FROM sel WHERE source = 'benefits')
        AND bw.person_key = w.person_key AND bw.week_start = w.week_start
    LEFT JOIN codes AS b ON b.benefit_code = bw.benefit_code
    LEFT JOIN employment AS e ON e.person_key = w.person_key AND e.month = m.month
    LEFT JOIN uncovered AS u ON u.person_key = w.person_key AND u.month = m.month
),
covered AS (
    SELECT *, in_benefit AND (follow_up_week <= 0 OR employment_hours_per_month IS NULL
                              OR hours IS NOT NULL) AS covered
    FROM evidence
),
classified AS (
    SELECT v.*,
           CASE
               WHEN NOT v.covered THEN 'not_covered'
               WHEN g.self_supporting THEN 'self_supporting'
               WHEN g.partial THEN 'partial'
               WHEN v.employment_hours_per_month IS NOT NULL AND v.hours >= v.employment_hours_per_month
                   THEN 'partial'
               ELSE 'public_support'
           END AS status,
           CASE WHEN v.covered THEN g.rate END AS cost_dkk
    FROM covered AS v
    LEFT JOIN contract_groups AS g
        ON g.contract_id = v.contract_id AND g.benefit_group = v.benefit_group
)"""


def _outcome_years_select(weeks: str) -> str:
    """Outcome-years (outcomes.md, "Follow-up years") from a participant-weeks relation that has
    contract_id, person_key, follow_up_week, follow_up_year, status, cost_dkk."""
    return f"""
SELECT w.contract_id, w.person_key, CAST(w.follow_up_year AS INTEGER) AS follow_up_year,
       CAST(count(*) FILTER (WHERE w.status = 'self_supporting') AS INTEGER) AS weeks_self_supporting,
       CAST(count(*) FILTER (WHERE w.status = 'partial') AS INTEGER) AS weeks_partial,
       CAST(count(*) FILTER (WHERE w.status = 'public_support') AS INTEGER) AS weeks_public_support,
       CAST(count(*) FILTER (WHERE w.status = 'not_covered') AS INTEGER) AS weeks_not_covered,
       CASE WHEN count(*) FILTER (WHERE w.status = 'not_covered') > 0 THEN 'pending'
            WHEN count(*) FILTER (WHERE w.status = 'self_supporting') >= any_value(c.full_weeks) THEN 'full'
            WHEN count(*) FILTER (WHERE w.status IN ('self_supporting', 'partial')) >= any_value(c.partial_weeks)
                THEN 'partial'
            ELSE 'none' END AS outcome_status,
       CASE WHEN count(*) FILTER (WHERE w.status = 'not_covered') = 0
            THEN CAST(sum(w.cost_dkk) AS DECIMAL(18, 2)) END AS actual_cost_dkk
FROM {weeks} AS w
JOIN raw.contracts AS c ON c.contract_id = w.contract_id
WHERE w.follow_up_week >= 1
GROUP BY w.contract_id, w.person_key, w.follow_up_year
"""


#: The yardstick of the outcomes benchmark: outcome-years (weeks per status per participant ×
#: follow-up year, outcome status, actual cost) straight from the raw tables, in one statement.
#: It follows outcomes.md as the dbt models do, but leaves out what outcome-years do not need
#: (pre-period weeks, baselines, savings, streaks, the participant-weeks table, tests).
OUTCOME_YEARS_SQL = ("CREATE OR REPLACE TABLE main.yardstick_outcome_years AS"
                     + _participant_weeks_ctes(1) + _outcome_years_select("classified"))

#: The second, informative yardstick: first the participant-weeks with the pre-period and the
#: public columns of marts.fct_participant_weeks (a table the spec requires), then the
#: outcome-years from it — the least work the product's required output costs in plain SQL.
PARTICIPANT_WEEKS_SQL = ("CREATE OR REPLACE TABLE main.yardstick_participant_weeks AS"
                         + _participant_weeks_ctes(-51) + """
SELECT contract_id, person_key, CAST(follow_up_week AS INTEGER) AS follow_up_week,
       CAST(follow_up_year AS INTEGER) AS follow_up_year, strftime(week_start, '%G-W%V') AS iso_week,
       week_start, strftime(month, '%Y-%m') AS month, benefit_code, benefit_group,
       CAST(hours AS DECIMAL(18, 2)) AS employment_hours, covered, status,
       CAST(cost_dkk AS DECIMAL(18, 2)) AS cost_dkk, benefit_file_sha256 AS source_file_sha256,
       CAST(benefit_line AS INTEGER) AS source_line
FROM classified
""")
OUTCOME_YEARS_FROM_WEEKS_SQL = ("CREATE OR REPLACE TABLE main.yardstick_outcome_years AS"
                                + _outcome_years_select("main.yardstick_participant_weeks"))


def duckdb_settings(warehouse: Path) -> dict[str, str]:
    """The DuckDB settings dbt's profile gives the warehouse (dbt_project/profiles.yml, its
    `settings` and `config_options`, env_var defaults resolved), so the yardstick runs under the
    same threads, memory limit and insertion-order setting; its own temp directory."""
    import os
    import re

    import yaml

    output = yaml.safe_load((REPO / "dbt_project" / "profiles.yml").read_text())["outcome_ledger"]["outputs"]["default"]
    options = {**(output.get("settings") or {}), **(output.get("config_options") or {})}
    resolved = {}
    for name, value in options.items():
        if name == "temp_directory":
            continue
        text = str(value)
        match = re.search(r"env_var\(\s*'(\w+)'\s*,\s*'([^']*)'\s*\)", text)
        resolved[name] = os.environ.get(match.group(1), match.group(2)) if match else text
    resolved["temp_directory"] = str(warehouse) + ".tmp"
    return resolved


def outcomes_yardstick(args: argparse.Namespace) -> None:
    import duckdb

    parameters = {"month": args.month, "codes": str(SEEDS / "benefit_codes.csv"),
                  "rates": str(SEEDS / "benefit_rates.csv"), "groups": str(SEEDS / "benefit_groups.csv")}
    steps: dict[str, float] = {}
    with duckdb.connect(str(args.warehouse), config=duckdb_settings(args.warehouse)) as con:
        if args.with_weeks:
            with _step(steps, "participant-weeks table"):
                con.execute(PARTICIPANT_WEEKS_SQL, parameters)
            with _step(steps, "outcome-years from it"):
                con.execute(OUTCOME_YEARS_FROM_WEEKS_SQL)
        else:
            with _step(steps, "outcome-years statement"):
                con.execute(OUTCOME_YEARS_SQL, parameters)
        rows = {t: con.execute(f"SELECT count(*) FROM {t}").fetchall()[0][0]
                for t in ("main.yardstick_outcome_years",) + (
                    ("main.yardstick_participant_weeks",) if args.with_weeks else ())}
    _write(args.report, {"step_seconds": steps, "query_seconds": sum(steps.values()), "rows": rows,
                         "duckdb_settings": duckdb_settings(args.warehouse)})


def outcomes_compare(args: argparse.Namespace) -> None:
    """The yardstick's outcome-years against dbt's marts.fct_outcome_years, column by column."""
    import duckdb

    columns = ("weeks_self_supporting", "weeks_partial", "weeks_public_support", "weeks_not_covered",
               "outcome_status", "actual_cost_dkk")
    with duckdb.connect(str(args.dbt_warehouse), read_only=True) as con:
        con.execute(f"ATTACH '{args.yardstick_warehouse}' AS yard (READ_ONLY)")
        totals = con.execute(
            "SELECT (SELECT count(*) FROM marts.fct_outcome_years), "
            "(SELECT count(*) FROM yard.main.yardstick_outcome_years)").fetchall()[0]
        joined = ("FROM marts.fct_outcome_years d FULL OUTER JOIN yard.main.yardstick_outcome_years y "
                  "USING (contract_id, person_key, follow_up_year)")
        only = con.execute(f"SELECT count(*) FILTER (WHERE y.person_key IS NULL), "
                           f"count(*) FILTER (WHERE d.person_key IS NULL) {joined}").fetchall()[0]
        differing = {c: con.execute(f"SELECT count(*) {joined} WHERE d.{c} IS DISTINCT FROM y.{c} "
                                    f"AND d.person_key IS NOT NULL AND y.person_key IS NOT NULL").fetchall()[0][0]
                     for c in columns}
        statuses = con.execute(
            "SELECT contract_id, outcome_status, count(*) FROM marts.fct_outcome_years "
            "GROUP BY ALL ORDER BY ALL").fetchall()
        sizes = {t: con.execute(f"SELECT count(*) FROM marts.{t}").fetchall()[0][0] for t in (
            "dim_participants", "fct_participant_weeks", "fct_outcome_years", "fct_outcome_year_savings",
            "fct_streak_outcomes")}
        excluded = con.execute("SELECT coalesce(excluded_reason, 'participant'), count(*) "
                               "FROM marts.dim_participants GROUP BY ALL ORDER BY ALL").fetchall()
    _write(args.report, {
        "dbt_rows": totals[0], "yardstick_rows": totals[1], "only_in_dbt": only[0],
        "only_in_yardstick": only[1], "differing_values": differing, "identical":
        totals[0] == totals[1] and only == (0, 0) and not any(differing.values()),
        "outcome_status_counts": statuses, "mart_rows": sizes, "dim_participants": excluded,
    })


# --- the whole small run, instrumented ---------------------------------------------------------

def small_run_instrumented(args: argparse.Namespace) -> None:
    """`outcome-ledger run` as `orchestration.cli` does it, in this process, with the time of
    each piece: CLI import, Dagster/dbt import (Definitions, manifest check), each Dagster step
    (from the run's event log), the summary."""
    marks = {"process_start": time.perf_counter()}
    from orchestration import cli
    marks["cli_imported"] = time.perf_counter()
    cli_args = cli.parser().parse_args(
        ["run", "--month", args.month, "--landing", str(args.landing), "--contracts", str(args.contracts),
         "--warehouse", str(args.warehouse)])
    settings = cli.settings_from(cli_args)
    import dagster as dg
    marks["dagster_imported"] = time.perf_counter()
    from orchestration.definitions import defs
    from orchestration.policy import run_config
    from orchestration.resources import resources_from
    from orchestration.run import step_log_path
    from orchestration.summary import print_run_summary
    marks["definitions_imported"] = time.perf_counter()

    from datetime import datetime, timezone
    since = datetime.now(timezone.utc).replace(tzinfo=None)
    job = defs.resolve_job_def("monthly_run")
    config = {**run_config(issue=True), "loggers": {"console": {"config": {"log_level": "CRITICAL"}}}}
    with dg.DagsterInstance.ephemeral() as instance:
        marks["job_start"] = time.perf_counter()
        with step_log_path(settings.state, args.month).open("w", encoding="utf-8") as log, redirect_stdout(log):
            result = job.execute_in_process(partition_key=args.month, instance=instance, run_config=config,
                                            resources=resources_from(settings, may_create_key=True))
        marks["job_end"] = time.perf_counter()
        steps: dict[str, dict[str, float]] = defaultdict(dict)
        for record in instance.all_logs(result.run_id):
            event = record.dagster_event
            if event is None or record.step_key is None:
                continue
            if event.event_type_value in ("STEP_START", "STEP_SUCCESS", "STEP_FAILURE"):
                steps[record.step_key][event.event_type_value] = record.timestamp
        run_records = instance.get_run_records()
    step_seconds = {k: round(v.get("STEP_SUCCESS", v.get("STEP_FAILURE", 0)) - v["STEP_START"], 3)
                    for k, v in sorted(steps.items(), key=lambda kv: kv[1].get("STEP_START", 0))}
    print_run_summary(settings, args.month, since=since, issue=True)
    marks["summary_done"] = time.perf_counter()
    t0 = marks["process_start"]
    _write(args.report, {
        "success": result.success, "marks": {k: round(v - t0, 3) for k, v in marks.items()},
        "step_seconds": step_seconds, "runs": len(run_records),
    })


def run_steps(args: argparse.Namespace) -> None:
    """The step timings of a warehouse's latest Dagster run, from its own instance's event log:
    each step's start, end and outcome (a step without an end was still running when the
    process died), and the run's status."""
    import dagster as dg

    from orchestration.instance import warehouse_instance
    from orchestration.settings import RunState

    with warehouse_instance(RunState(args.warehouse.resolve())) as instance:
        records = instance.get_run_records(limit=1)
        if not records:
            _write(args.report, {"run": None})
            return
        run = records[0].dagster_run
        steps: dict[str, dict[str, float]] = defaultdict(dict)
        started = None
        for record in instance.all_logs(run.run_id):
            event = record.dagster_event
            if event is None:
                continue
            if event.event_type_value == "RUN_START":
                started = record.timestamp
            if record.step_key and event.event_type_value in ("STEP_START", "STEP_SUCCESS", "STEP_FAILURE"):
                steps[record.step_key][event.event_type_value] = record.timestamp
    origin = started or min((v["STEP_START"] for v in steps.values() if "STEP_START" in v), default=0)
    rows = []
    for key, marks in sorted(steps.items(), key=lambda kv: kv[1].get("STEP_START", 0)):
        end = marks.get("STEP_SUCCESS", marks.get("STEP_FAILURE"))
        rows.append({"step": key, "start_s": round(marks["STEP_START"] - origin, 1) if "STEP_START" in marks else None,
                     "seconds": round(end - marks["STEP_START"], 2) if end and "STEP_START" in marks else None,
                     "outcome": "success" if "STEP_SUCCESS" in marks else "failure" if "STEP_FAILURE" in marks
                     else "unfinished"})
    _write(args.report, {"run": run.run_id, "status": str(run.status.value), "partition": run.tags.get(
        "dagster/partition"), "steps": rows, "dagster": dg.__version__})


# --- ladder -------------------------------------------------------------------------------------

def ladder_input_only(args: argparse.Namespace) -> None:
    """The ladder model's input rows materialised as they are, without the ladder."""
    import duckdb

    with duckdb.connect(str(args.warehouse)) as con:
        started = time.perf_counter()
        con.execute("CREATE OR REPLACE TABLE main.ladder_input AS SELECT * FROM intermediate.int_benefit_weeks_keyed")
        seconds = time.perf_counter() - started
        rows = con.execute("SELECT count(*) FROM main.ladder_input").fetchall()[0][0]
        con.execute("DROP TABLE main.ladder_input")
    _write(args.report, {"seconds": round(seconds, 2), "rows": rows})


def ladder_facts(args: argparse.Namespace) -> None:
    """Sizes of the ladder, and a sample of persons checked against finance.md read week by week."""
    import duckdb

    from tests.outcomes.test_ladder_properties import ladder_numbers

    with duckdb.connect(str(args.warehouse), read_only=True) as con:
        q = lambda sql: con.execute(sql).fetchall()  # noqa: E731
        [(persons, weeks, ladder, censored)] = q(
            "SELECT count(DISTINCT person_id), count(*), count(ladder_week), "
            "count(DISTINCT person_id) FILTER (WHERE is_coverage_start_ladder_week) "
            "FROM intermediate.int_benefit_weeks_laddered")
        periods = dict(q("SELECT periods, count(*) FROM (SELECT person_id, count(*) FILTER (WHERE ladder_week = 1) "
                         "AS periods FROM intermediate.int_benefit_weeks_laddered GROUP BY person_id) "
                         "GROUP BY periods ORDER BY periods"))
        [(coverage_start, coverage_end)] = q("SELECT coverage_start, coverage_end FROM "
                                             "staging.stg_selected_vintages__vintages WHERE source = 'benefits'")
        span = (coverage_end - coverage_start).days // 7 + 1
        sample = q(f"SELECT person_id FROM (SELECT DISTINCT person_id FROM intermediate.int_benefit_weeks_laddered) "
                   f"USING SAMPLE reservoir({args.sample} ROWS) REPEATABLE (11)")
        ids = [r[0] for r in sample]
        rows = q(f"SELECT person_id, (week_start - DATE '{coverage_start}') // 7, ladder_week IS NOT NULL, "
                 f"ladder_week FROM intermediate.int_benefit_weeks_laddered "
                 f"WHERE person_id IN ({', '.join(map(str, ids)) or 'NULL'})")
        # candidates: ladder weeks with >= 52 self-supported weeks among the previous 156
        [(candidates,)] = q(
            "SELECT count(*) FROM (SELECT is_ladder, least(week_index, 156) - coalesce(sum(is_ladder::INT) OVER ("
            "PARTITION BY person_id ORDER BY week_index RANGE BETWEEN 156 PRECEDING AND 1 PRECEDING), 0) AS self_in "
            f"FROM (SELECT person_id, (week_start - DATE '{coverage_start}') // 7 AS week_index, "
            "ladder_week IS NOT NULL AS is_ladder FROM intermediate.int_benefit_weeks_laddered)) "
            "WHERE is_ladder AND self_in >= 52")
    cells: dict[int, list[str]] = {i: ["S"] * span for i in ids}
    got: dict[int, list[int | None]] = {i: [None] * span for i in ids}
    for person_id, index, is_ladder, number in rows:
        if is_ladder:
            cells[person_id][index] = "L"
        got[person_id][index] = number
    differences = [i for i in ids if ladder_numbers("".join(cells[i])) != got[i]]
    _write(args.report, {"persons": persons, "benefit_weeks": weeks, "ladder_weeks": ladder,
                         "candidates": candidates, "left_censored_persons": censored,
                         "periods_per_person": {str(k): v for k, v in periods.items()},
                         "coverage_weeks": span, "sample_persons": len(ids),
                         "sample_identical": not differences, "sample_differences": differences[:10]})


# --- command line ------------------------------------------------------------------------------

def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="benchmarks._stages")
    sub = parser.add_subparsers(dest="stage", required=True)

    p = sub.add_parser("generate")
    p.add_argument("landing", type=Path)
    p.add_argument("--participants", type=int, required=True)
    p.add_argument("--weeks", type=int, required=True)
    p.add_argument("--vintage", help="as-of date YYYY-MM-DD (default: end of the horizon)")
    p.add_argument("--first-week", help="Monday of the first simulated week (default: SyntheticConfig's)")
    p.set_defaults(run=generate)

    p = sub.add_parser("product_ingest")
    p.add_argument("landing", type=Path)
    p.add_argument("warehouse", type=Path)
    p.add_argument("--profile", type=Path, help="write cProfile stats here (and a .txt summary)")
    p.add_argument("--no-breakdown", action="store_true", help="do not wrap ingest functions with timers")
    p.set_defaults(run=product_ingest)

    for name, body in (("yardstick_ingest", yardstick_ingest), ("yardstick_ingest_typed", yardstick_ingest_typed)):
        p = sub.add_parser(name)
        p.add_argument("landing", type=Path)
        p.add_argument("warehouse", type=Path)
        p.set_defaults(run=body)
    sub.choices["yardstick_ingest"].add_argument(
        "--profile-settings", action="store_true",
        help="DuckDB settings of dbt's profile (threads, memory limit) instead of DuckDB's defaults")

    p = sub.add_parser("outcomes_prepare")
    p.add_argument("warehouse", type=Path)
    p.add_argument("--terms", type=Path, required=True)
    p.add_argument("--landing", type=Path, required=True)
    p.add_argument("--month", required=True)
    p.set_defaults(run=outcomes_prepare)

    p = sub.add_parser("outcomes_yardstick")
    p.add_argument("warehouse", type=Path)
    p.add_argument("--month", required=True)
    p.add_argument("--with-weeks", action="store_true", help="materialise the participant-weeks first")
    p.set_defaults(run=outcomes_yardstick)

    p = sub.add_parser("outcomes_compare")
    p.add_argument("dbt_warehouse", type=Path)
    p.add_argument("yardstick_warehouse", type=Path)
    p.set_defaults(run=outcomes_compare)

    p = sub.add_parser("small_run_instrumented")
    p.add_argument("--landing", type=Path, required=True)
    p.add_argument("--contracts", type=Path, required=True)
    p.add_argument("--warehouse", type=Path, required=True)
    p.add_argument("--month", required=True)
    p.set_defaults(run=small_run_instrumented)

    p = sub.add_parser("run_steps")
    p.add_argument("warehouse", type=Path)
    p.set_defaults(run=run_steps)

    p = sub.add_parser("ladder_input_only")
    p.add_argument("warehouse", type=Path)
    p.set_defaults(run=ladder_input_only)

    p = sub.add_parser("ladder_facts")
    p.add_argument("warehouse", type=Path)
    p.add_argument("--sample", type=int, default=300)
    p.set_defaults(run=ladder_facts)

    for p in sub.choices.values():
        p.add_argument("--report", type=Path, required=True)
    args = parser.parse_args(argv)
    args.run(args)


if __name__ == "__main__":
    main()
