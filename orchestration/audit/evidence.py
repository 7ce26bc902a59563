"""Evidence kept per statement: the rows behind every entitlement item, copied when it is issued.

`record_evidence(con, month)` copies, for every statement of `month` that has no evidence yet
(no row in `audit.statement_evidence_runs`), the outcome rows, participant-weeks, income lines and
referral lines its entitlement items rest on into the `audit.statement_evidence_*` tables
(`docs/trace.md`; declared in `warehouse_schema/audit.sql`). It reads the marts and raw tables of
the run that just issued the statement, so it must run right after `issue_statements` for the same
month, before the marts are rebuilt for another month. The copies are never updated or deleted: the trace of an old statement does not
change when newer vintages, terms or reference files arrive.

All copying is set-based SQL (INSERT … SELECT) over every pending statement at once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

import duckdb

from contracts.payments.run import open_transaction
from warehouse_schema import ensure_schema

# The statements of the month without evidence, with the loads of the run's selected vintages.
# `built` is what dbt built the marts from: the staging view of the selected vintages (compiled
# with the run's month) when present, else raw.selected_vintages of the month. A statement is not
# copied (`mismatch`) when its recorded terms or vintages differ from those, or when the marts
# themselves carry another benefit or referral file than the statement recorded.
PENDING_SQL = """
CREATE OR REPLACE TEMP TABLE audit_pending AS
WITH built AS ({built}),
mart_benefits AS (
    SELECT contract_id, list(DISTINCT source_file_sha256 ORDER BY source_file_sha256) AS shas
    FROM marts.fct_participant_weeks GROUP BY contract_id
),
mart_referrals AS (
    SELECT contract_id, list(DISTINCT referral_file_sha256 ORDER BY referral_file_sha256) AS shas
    FROM marts.dim_participants GROUP BY contract_id
)
SELECT s.statement_id, s.contract_id, s.month,
       s.referrals_file, s.referrals_sha256, s.benefits_file, s.benefits_sha256,
       s.income_file, s.income_sha256,
       rv.load_id AS referrals_load_id, bv.load_id AS benefits_load_id,
       CASE WHEN s.income_sha256 IS NOT NULL THEN iv.load_id END AS income_load_id,
       CASE
         WHEN c.contract_id IS NULL THEN 'contract not in the run''s terms'
         WHEN c.terms_sha256 IS DISTINCT FROM s.terms_sha256 THEN 'terms differ from the statement''s'
         WHEN rv.file_sha256 IS DISTINCT FROM s.referrals_sha256 THEN 'selected referral vintage differs'
         WHEN bv.file_sha256 IS DISTINCT FROM s.benefits_sha256 THEN 'selected benefit vintage differs'
         WHEN s.income_sha256 IS NOT NULL AND iv.file_sha256 IS DISTINCT FROM s.income_sha256
           THEN 'selected income vintage differs'
         WHEN mb.shas IS NOT NULL AND mb.shas <> [s.benefits_sha256]
           THEN 'the participant-weeks come from another benefit vintage'
         WHEN mr.shas IS NOT NULL AND mr.shas <> [s.referrals_sha256]
           THEN 'the participants come from another referral vintage'
       END AS mismatch
FROM payments.statements s
LEFT JOIN marts.dim_contracts c ON c.contract_id = s.contract_id
LEFT JOIN built rv ON rv.source = 'referrals'
LEFT JOIN built bv ON bv.source = 'benefits'
LEFT JOIN built iv ON iv.source = 'income'
LEFT JOIN mart_benefits mb ON mb.contract_id = s.contract_id
LEFT JOIN mart_referrals mr ON mr.contract_id = s.contract_id
WHERE s.month = $month
  AND NOT EXISTS (SELECT 1 FROM audit.statement_evidence_runs r WHERE r.statement_id = s.statement_id)
"""

BUILT_FROM_STAGING = "SELECT source, load_id, file_sha256 FROM staging.stg_selected_vintages__vintages"
BUILT_FROM_RAW = "SELECT source, load_id, file_sha256 FROM raw.selected_vintages WHERE run_month = $month"


def _built_vintages_sql(con: duckdb.DuckDBPyConnection) -> str:
    staged = con.execute(
        "SELECT count(*) FROM duckdb_views() WHERE database_name = current_database() "
        "AND schema_name = 'staging' AND view_name = 'stg_selected_vintages__vintages'").fetchall()[0][0]
    return BUILT_FROM_STAGING if staged else BUILT_FROM_RAW


OUTCOMES_SQL = """
INSERT INTO audit.statement_evidence_outcomes BY NAME
SELECT p.statement_id, e.item_key, e.role, e.person_key, e.outcome_id,
       CAST(e.follow_up_year AS INTEGER) AS follow_up_year,
       CAST(e.achievement_week AS INTEGER) AS achievement_week,
       e.outcome_status, e.counted, e.savings_dkk,
       y.weeks_self_supporting, y.weeks_partial, y.weeks_public_support, y.weeks_not_covered,
       y.actual_cost_dkk, y.baseline_cost_dkk,
       CAST(so.achievement_date AS DATE) AS achievement_date
FROM audit_pending p
JOIN payments.item_evidence e ON e.statement_id = p.statement_id
LEFT JOIN marts.fct_outcome_years y
  ON y.contract_id = p.contract_id AND y.person_key = e.person_key
 AND y.follow_up_year = e.follow_up_year AND e.follow_up_year > 0
LEFT JOIN marts.fct_streak_outcomes so
  ON so.contract_id = p.contract_id AND so.person_key = e.person_key
 AND so.outcome_id = e.outcome_id AND e.follow_up_year = 0
ORDER BY p.statement_id, encode(e.item_key), e.role, encode(e.person_key), e.follow_up_year
"""

# Which participant-weeks an outcome row rests on:
#   streak (follow-up year 0, incl. a required streak): follow-up weeks 1 … achievement week;
#   a year row (outcome_year, requirement on a year, savings_year, cohort_year): the 52 weeks of
#   the year; a savings_year row also the 52 pre-period weeks (−51 … 0) behind the baseline.
#
# Performance (100,000 participants: ~5.5M week rows, ~10M bridge rows): the outcome rows are first
# folded into one "span" per statement × person (`audit_person_spans`) and per statement × item ×
# person (`audit_item_spans`): the last streak week, the follow-up years, whether the pre-period is
# used. A week belongs to the union of the rows' weeks exactly when it lies in the span, so neither
# the weeks nor the bridge need a DISTINCT over millions of rows. The view `marts.fct_participant_weeks`
# is read once, for the weeks; the bridge is then taken from those week rows (a week of an item is a
# week of its statement and person).
SPANS_SQL = """
CREATE OR REPLACE TEMP TABLE {table} AS
SELECT o.statement_id, p.contract_id, {item}o.person_key,
       max(o.achievement_week) FILTER (WHERE o.follow_up_year = 0) AS streak_to,
       list(DISTINCT o.follow_up_year) FILTER (WHERE o.follow_up_year > 0) AS years,
       bool_or(o.role = 'savings_year') AS pre_period
FROM audit.statement_evidence_outcomes o
JOIN audit_pending p ON p.statement_id = o.statement_id
GROUP BY o.statement_id, p.contract_id, {item}o.person_key
"""

# A week w lies in a span s (the union of the conditions above over the span's outcome rows).
IN_SPAN = """(w.follow_up_week BETWEEN 1 AND s.streak_to
        OR (w.follow_up_week > 0 AND list_contains(s.years, w.follow_up_year))
        OR (s.pre_period AND w.follow_up_week <= 0))"""

WEEKS_SQL = f"""
INSERT INTO audit.statement_evidence_weeks BY NAME
WITH loaded AS (
    SELECT file_sha256, min(file_name) AS file_name
    FROM audit.loads WHERE source = 'benefits' AND status = 'loaded'
    GROUP BY file_sha256
)
SELECT s.statement_id, s.person_key, w.follow_up_week,
       CAST(w.follow_up_year AS INTEGER) AS follow_up_year, w.iso_week,
       CAST(w.week_start AS DATE) AS week_start, w.month, w.benefit_code, w.benefit_group,
       w.employment_hours, w.covered, w.status, w.cost_dkk,
       CASE WHEN w.source_file_sha256 = p.benefits_sha256 THEN p.benefits_file ELSE l.file_name END
           AS benefits_file,
       w.source_file_sha256 AS benefits_sha256,
       CAST(w.source_line AS INTEGER) AS benefits_line
FROM audit_person_spans s
JOIN audit_pending p ON p.statement_id = s.statement_id
JOIN marts.fct_participant_weeks w ON w.contract_id = s.contract_id AND w.person_key = s.person_key
LEFT JOIN loaded l ON l.file_sha256 = w.source_file_sha256
WHERE {IN_SPAN}
"""

ITEM_WEEKS_SQL = f"""
INSERT INTO audit.statement_evidence_item_weeks
SELECT s.statement_id, s.item_key, s.person_key, w.follow_up_week
FROM audit_item_spans s
JOIN audit.statement_evidence_weeks w ON w.statement_id = s.statement_id AND w.person_key = s.person_key
WHERE {IN_SPAN}
"""

# The type-00 lines of the selected income vintage allocated to each person-month of the weeks
# (the lines summed into employment_hours). Only for statements that recorded an income vintage.
INCOME_SQL = """
INSERT INTO audit.statement_evidence_income BY NAME
WITH months AS (
    SELECT DISTINCT w.statement_id, w.person_key, w.month
    FROM audit.statement_evidence_weeks w
    JOIN audit_pending p ON p.statement_id = w.statement_id
    WHERE p.income_load_id IS NOT NULL AND w.month IS NOT NULL
)
SELECT m.statement_id, m.person_key, m.month, lm.income_type, p.income_file,
       lm.file_sha256 AS income_sha256, CAST(lm.line_number AS INTEGER) AS line_number,
       lm.hours AS allocated_hours,
       CAST(il.period_start AS DATE) AS period_start, CAST(il.period_end AS DATE) AS period_end,
       il.hours AS line_hours
FROM months m
JOIN audit_pending p ON p.statement_id = m.statement_id
JOIN raw.income_line_months lm
  ON lm.load_id = p.income_load_id AND lm.person_key = m.person_key
 AND strftime(lm.month, '%Y-%m') = m.month AND lm.income_type = '00'
LEFT JOIN raw.income_lines il ON il.load_id = lm.load_id AND il.line_number = lm.line_number
"""

REFERRALS_SQL = """
INSERT INTO audit.statement_evidence_referrals BY NAME
WITH persons AS (
    SELECT DISTINCT o.statement_id, o.person_key
    FROM audit.statement_evidence_outcomes o
    JOIN audit_pending p ON p.statement_id = o.statement_id
)
SELECT p.statement_id, p.contract_id, r.person_key,
       CAST(r.referral_date AS DATE) AS referral_date, CAST(r.start_date AS DATE) AS start_date,
       p.referrals_file, r.file_sha256 AS referrals_sha256, CAST(r.line_number AS INTEGER) AS line_number
FROM persons x
JOIN audit_pending p ON p.statement_id = x.statement_id
JOIN raw.referrals r
  ON r.load_id = p.referrals_load_id AND r.contract_id = p.contract_id AND r.person_key = x.person_key
ORDER BY p.statement_id, r.person_key, r.line_number
"""

RUNS_SQL = """
INSERT INTO audit.statement_evidence_runs BY NAME
SELECT p.statement_id, p.contract_id, p.month, $recorded_at AS recorded_at,
       p.referrals_load_id, p.referrals_file, p.referrals_sha256,
       p.benefits_load_id, p.benefits_file, p.benefits_sha256,
       p.income_load_id, p.income_file, p.income_sha256,
       CAST((SELECT count(*) FROM audit.statement_evidence_outcomes x WHERE x.statement_id = p.statement_id) AS INTEGER) AS outcome_rows,
       CAST((SELECT count(*) FROM audit.statement_evidence_weeks x WHERE x.statement_id = p.statement_id) AS INTEGER) AS week_rows,
       CAST((SELECT count(*) FROM audit.statement_evidence_income x WHERE x.statement_id = p.statement_id) AS INTEGER) AS income_rows,
       CAST((SELECT count(*) FROM audit.statement_evidence_referrals x WHERE x.statement_id = p.statement_id) AS INTEGER) AS referral_rows
FROM audit_pending p
ORDER BY p.statement_id
"""


# The figures `run` prints beside each statement (orchestration/summary.py, `statement_rows`):
# participants and outcome-years verified/pending in the run's marts, kept for the report's chart.
COHORT_SQL = """
INSERT INTO audit.statement_cohort
WITH participants AS (
    SELECT contract_id, count(*) FILTER (WHERE excluded_reason IS NULL) AS participants
    FROM marts.dim_participants GROUP BY contract_id),
years AS (
    SELECT contract_id,
           count(*) FILTER (WHERE is_complete) AS verified,
           count(*) FILTER (WHERE NOT is_complete) AS pending
    FROM marts.fct_outcome_years GROUP BY contract_id)
SELECT p.statement_id, CAST(coalesce(x.participants, 0) AS INTEGER), CAST(coalesce(y.verified, 0) AS INTEGER),
       CAST(coalesce(y.pending, 0) AS INTEGER)
FROM audit_pending p
LEFT JOIN participants x ON x.contract_id = p.contract_id
LEFT JOIN years y ON y.contract_id = p.contract_id
ORDER BY p.statement_id
"""


TEMP_TABLES = ("audit_pending", "audit_person_spans", "audit_item_spans")


@dataclass(frozen=True)
class EvidenceResult:
    """What `record_evidence` did for a month."""

    month: str
    recorded: tuple[str, ...] = ()                      # statements whose evidence was copied now
    skipped: tuple[tuple[str, str], ...] = field(default=())  # (statement_id, reason): not copied

    def describe(self) -> str:
        text = f"evidence for {self.month}: {len(self.recorded)} statement(s) recorded"
        if self.skipped:
            text += "; not recorded (the marts are not those of the statement): " + "; ".join(
                f"{sid} ({why})" for sid, why in self.skipped)
        return text


def _begin(con: duckdb.DuckDBPyConnection) -> bool:
    """Start a transaction unless the caller has one open; True when this call started it."""
    if open_transaction(con):
        return False
    con.begin()
    return True


def record_evidence(
    con: duckdb.DuckDBPyConnection, month: str, *, recorded_at: datetime | None = None
) -> EvidenceResult:
    """Copy the evidence of every statement of `month` that has none yet.

    Call it right after `issue_statements(con, month=month, …)`, with the same connection, while
    the marts and `raw.selected_vintages` are those of that run. A statement whose recorded inputs
    (terms, selected vintages) differ from the run's is skipped and listed in the result, never
    copied from the wrong data. Runs in its own transaction, or inside the caller's when one is
    open. Also creates (or replaces) the view `audit.trace`.
    """
    when = recorded_at or datetime.now(UTC)
    if when.tzinfo is not None:
        when = when.astimezone(UTC).replace(tzinfo=None)
    own = _begin(con)
    try:
        ensure_schema(con, "trace")   # the evidence tables and the view audit.trace over them
        con.execute(PENDING_SQL.format(built=_built_vintages_sql(con)), {"month": month})
        skipped = tuple(
            (sid, why)
            for sid, why in con.execute(
                "SELECT statement_id, mismatch FROM audit_pending WHERE mismatch IS NOT NULL ORDER BY statement_id"
            ).fetchall()
        )
        con.execute("DELETE FROM audit_pending WHERE mismatch IS NOT NULL")
        recorded = tuple(
            r[0] for r in con.execute("SELECT statement_id FROM audit_pending ORDER BY statement_id").fetchall()
        )
        if recorded:
            con.execute(OUTCOMES_SQL)
            con.execute(SPANS_SQL.format(table="audit_person_spans", item=""))
            con.execute(SPANS_SQL.format(table="audit_item_spans", item="o.item_key, "))
            con.execute(WEEKS_SQL)
            con.execute(ITEM_WEEKS_SQL)
            con.execute(INCOME_SQL)
            con.execute(REFERRALS_SQL)
            con.execute(RUNS_SQL, {"recorded_at": when})
            con.execute(COHORT_SQL)
        for temp in TEMP_TABLES:
            con.execute(f"DROP TABLE IF EXISTS temp.{temp}")
        if own:
            con.commit()
    except BaseException:
        if own:
            con.rollback()
        raise
    return EvidenceResult(month=month, recorded=recorded, skipped=skipped)
