"""Evidence kept per statement: the rows behind every entitlement item, recorded when it is issued.

`record_evidence(con, month)` records, for every statement of `month` that has no evidence yet
(no row in `audit.statement_evidence_runs`), what its entitlement items rest on (`docs/trace.md`;
tables in `warehouse_schema/audit.sql`, views in `trace.sql`):
- the outcome rows, per statement (`audit.statement_evidence_outcomes`);
- per statement and person, the benefit-register row of the person's weeks
  (`audit.statement_evidence_persons`);
- the participant-weeks, stored once per content (`audit.evidence_weeks`): a week is written only
  when the statement uses it and its content differs from the latest version the contract's
  statements wrote before — so a month writes what changed, not every week again;
- the income and referral lines by reference: the statement's load ids (the raw rows of a load are
  immutable), read through `audit.source_income_lines` / `audit.source_referral_lines`.
It reads the marts of the run that just issued the statement, so it must run right after
`issue_statements` for the same month, before the marts are rebuilt for another month. Nothing
is ever updated or deleted, and versions are written in month order per contract: the trace of an
old statement does not change when newer vintages, terms or reference files arrive.

All writing is set-based SQL (INSERT … SELECT) over every pending statement at once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

import duckdb

from contracts.payments.run import open_transaction
from orchestration.errors import LedgerError
from orchestration.summary import COHORT_CTES
from warehouse_schema import ensure_schema


class EvidenceLayoutRefused(LedgerError):
    """The warehouse keeps its evidence in the layout of an earlier version (per-statement copies)."""


#: Names that were tables in the earlier layout and are views now.
FORMER_TABLES = ("statement_evidence_weeks", "statement_evidence_item_weeks", "statement_evidence_income",
                 "statement_evidence_referrals")


def refuse_former_layout(con: duckdb.DuckDBPyConnection) -> None:
    """Raise `EvidenceLayoutRefused` when the evidence views' names are tables of the earlier
    layout (the per-statement copies): they are not migrated (docs/trace.md)."""
    former = [name for (name,) in con.execute(
        "SELECT table_name FROM duckdb_tables() WHERE database_name = current_database() AND schema_name = 'audit' "
        "AND list_contains($names, table_name) ORDER BY 1", {"names": list(FORMER_TABLES)}).fetchall()]
    if former:
        raise EvidenceLayoutRefused(
            "refused: this warehouse keeps the trace evidence as per-statement copies (audit."
            f"{former[0]} is a table), the layout of an earlier version; this version stores it once "
            "per content and refers to the raw rows. Issue into a new warehouse (rerun the months from "
            "the landed files) and keep this one for reading its traces. Nothing was issued.")

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
         WHEN EXISTS (SELECT 1 FROM audit.statement_evidence_runs x
                      WHERE x.contract_id = s.contract_id AND x.month > s.month)
           THEN 'evidence of a later statement of the contract is recorded'
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
# The outcome rows are folded into one "span" per statement × person (the last streak week, the
# follow-up years, whether the pre-period is used): a week belongs to the union of the rows'
# weeks exactly when it lies in the span, so no DISTINCT over millions of rows is needed. The
# view audit.statement_evidence_spans does the same per item for the trace.
SPANS_SQL = """
CREATE OR REPLACE TEMP TABLE audit_person_spans AS
SELECT o.statement_id, p.contract_id, p.month, o.person_key,
       max(o.achievement_week) FILTER (WHERE o.follow_up_year = 0) AS streak_to,
       list(DISTINCT o.follow_up_year) FILTER (WHERE o.follow_up_year > 0) AS years,
       bool_or(o.role = 'savings_year') AS pre_period
FROM audit.statement_evidence_outcomes o
JOIN audit_pending p ON p.statement_id = o.statement_id
GROUP BY o.statement_id, p.contract_id, p.month, o.person_key
"""

# A week w lies in a span s (the union of the conditions above over the span's outcome rows).
IN_SPAN = """(w.follow_up_week BETWEEN 1 AND s.streak_to
        OR (w.follow_up_week > 0 AND list_contains(s.years, w.follow_up_year))
        OR (s.pre_period AND w.follow_up_week <= 0))"""

# The weeks the pending statements use, as the marts have them now (read once).
USED_WEEKS_SQL = f"""
CREATE OR REPLACE TEMP TABLE audit_used_weeks AS
SELECT s.statement_id, s.contract_id, s.month AS from_month, s.person_key, w.follow_up_week,
       CAST(w.follow_up_year AS INTEGER) AS follow_up_year, w.iso_week,
       CAST(w.week_start AS DATE) AS week_start, w.month, w.benefit_code, w.benefit_group,
       w.employment_hours, w.covered, w.status, w.cost_dkk,
       w.source_file_sha256, CAST(w.source_line AS INTEGER) AS source_line
FROM audit_person_spans s
JOIN marts.fct_participant_weeks w ON w.contract_id = s.contract_id AND w.person_key = s.person_key
WHERE {IN_SPAN}
"""

# Per statement and person: the benefit-register row of the weeks (one per participant in the marts).
PERSONS_SQL = """
INSERT INTO audit.statement_evidence_persons BY NAME
WITH loaded AS (
    SELECT file_sha256, min(file_name) AS file_name
    FROM audit.loads WHERE source = 'benefits' AND status = 'loaded'
    GROUP BY file_sha256
),
persons AS (
    SELECT statement_id, person_key, min(source_file_sha256) AS benefits_sha256,
           min(source_line) AS benefits_line
    FROM audit_used_weeks GROUP BY statement_id, person_key
)
SELECT x.statement_id, x.person_key,
       CASE WHEN x.benefits_sha256 = p.benefits_sha256 THEN p.benefits_file ELSE l.file_name END
           AS benefits_file,
       x.benefits_sha256, x.benefits_line
FROM persons x
JOIN audit_pending p ON p.statement_id = x.statement_id
LEFT JOIN loaded l ON l.file_sha256 = x.benefits_sha256
"""

WEEK_CONTENT = ("follow_up_year", "iso_week", "week_start", "month", "benefit_code", "benefit_group",
                "employment_hours", "covered", "status", "cost_dkk")

# A new version of each used week whose content differs from the latest version the contract's
# statements wrote up to this month (or that has none).
WEEKS_SQL = f"""
INSERT INTO audit.evidence_weeks BY NAME
WITH latest AS (
    SELECT v.*
    FROM audit.evidence_weeks v
    WHERE v.contract_id IN (SELECT contract_id FROM audit_pending)
      AND (v.contract_id, v.person_key) IN (SELECT contract_id, person_key FROM audit_person_spans)
    QUALIFY row_number() OVER (PARTITION BY v.contract_id, v.person_key, v.follow_up_week
                               ORDER BY v.from_month DESC) = 1
)
SELECT u.contract_id, u.person_key, u.follow_up_week, u.from_month, {", ".join("u." + c for c in WEEK_CONTENT)}
FROM audit_used_weeks u
LEFT JOIN latest l
  ON l.contract_id = u.contract_id AND l.person_key = u.person_key AND l.follow_up_week = u.follow_up_week
WHERE l.contract_id IS NULL
   OR {" OR ".join(f"u.{c} IS DISTINCT FROM l.{c}" for c in WEEK_CONTENT)}
"""

# The marker row, with the evidence's row counts: weeks used, and the income and referral lines
# of the statement's loads that the views list for it (counted here from the raw rows they read).
RUNS_SQL = """
INSERT INTO audit.statement_evidence_runs BY NAME
WITH used_months AS (
    SELECT DISTINCT statement_id, person_key, month FROM audit_used_weeks WHERE month IS NOT NULL
),
income AS (
    SELECT m.statement_id, count(*) AS n
    FROM used_months m
    JOIN audit_pending p ON p.statement_id = m.statement_id
    JOIN raw.income_line_months lm
      ON lm.load_id = p.income_load_id AND lm.person_key = m.person_key
     AND strftime(lm.month, '%Y-%m') = m.month AND lm.income_type = '00'
    GROUP BY m.statement_id
),
referrals AS (
    SELECT x.statement_id, count(*) AS n
    FROM (SELECT DISTINCT statement_id, person_key FROM audit.statement_evidence_outcomes
          WHERE statement_id IN (SELECT statement_id FROM audit_pending)) x
    JOIN audit_pending p ON p.statement_id = x.statement_id
    JOIN raw.referrals r
      ON r.load_id = p.referrals_load_id AND r.contract_id = p.contract_id AND r.person_key = x.person_key
    GROUP BY x.statement_id
)
SELECT p.statement_id, p.contract_id, p.month, $recorded_at AS recorded_at,
       p.referrals_load_id, p.referrals_file, p.referrals_sha256,
       p.benefits_load_id, p.benefits_file, p.benefits_sha256,
       p.income_load_id, p.income_file, p.income_sha256,
       CAST((SELECT count(*) FROM audit.statement_evidence_outcomes x WHERE x.statement_id = p.statement_id) AS INTEGER) AS outcome_rows,
       CAST((SELECT count(*) FROM audit_used_weeks x WHERE x.statement_id = p.statement_id) AS INTEGER) AS week_rows,
       CAST(coalesce(i.n, 0) AS INTEGER) AS income_rows,
       CAST(coalesce(r.n, 0) AS INTEGER) AS referral_rows
FROM audit_pending p
LEFT JOIN income i ON i.statement_id = p.statement_id
LEFT JOIN referrals r ON r.statement_id = p.statement_id
ORDER BY p.statement_id
"""


# The figures `run` prints beside each statement (orchestration/summary.py, `COHORT_CTES`, one definition):
# participants and outcome-years verified/pending in the run's marts, kept for the report's chart.
COHORT_SQL = f"""
INSERT INTO audit.statement_cohort
WITH {COHORT_CTES}
SELECT p.statement_id, CAST(coalesce(x.participants, 0) AS INTEGER), CAST(coalesce(y.verified, 0) AS INTEGER),
       CAST(coalesce(y.pending, 0) AS INTEGER)
FROM audit_pending p
LEFT JOIN participants x ON x.contract_id = p.contract_id
LEFT JOIN years y ON y.contract_id = p.contract_id
ORDER BY p.statement_id
"""


TEMP_TABLES = ("audit_pending", "audit_person_spans", "audit_used_weeks")


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
    open. Also creates (or replaces) the evidence views and `audit.trace`. Raises
    `EvidenceLayoutRefused` (nothing written) for a warehouse of the earlier per-statement layout.
    """
    when = recorded_at or datetime.now(UTC)
    if when.tzinfo is not None:
        when = when.astimezone(UTC).replace(tzinfo=None)
    refuse_former_layout(con)
    own = _begin(con)
    try:
        ensure_schema(con, "trace")   # the evidence tables and the views (audit.trace) over them
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
            con.execute(SPANS_SQL)
            con.execute(USED_WEEKS_SQL)
            con.execute(PERSONS_SQL)
            con.execute(WEEKS_SQL)
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
