-- The participant-weeks one entitlement item rests on, with their benefit-register row, read from
-- the evidence tables filtered on the statement before any join. Which weeks an outcome row rests
-- on (docs/trace.md, the bridge): a streak row, follow-up weeks 1 … its achievement week; a year
-- row of year k, the weeks of year k; a savings_year row also the pre-period weeks (≤ 0). The
-- item's outcome rows are folded into one span per participant (as orchestration/audit/evidence.py
-- does when it records the bridge), so the weeks are found by joining the statement's weeks with
-- one small row per participant instead of the bridge's rows.
-- The view audit.trace yields the same rows (its participant_week kind; the tests check it).
-- The weeks are read from audit.evidence_weeks directly (the latest version of each week written
-- up to the statement's month, as the view statement_evidence_item_week_rows picks it), so that only
-- the statement's contract and the item's participants are read: through the view, every stored
-- version of every statement was joined first (8 GB at 100k participants).
-- Used as a sub-query by per_group.sql and item_source_lines.sql: re-point this file when the
-- evidence is stored differently.
WITH spans AS (
    SELECT person_key,
           max(achievement_week) FILTER (WHERE follow_up_year = 0) AS streak_to,
           list(DISTINCT follow_up_year) FILTER (WHERE follow_up_year > 0) AS years,
           bool_or(role = 'savings_year') AS pre_period
    FROM audit.statement_evidence_outcomes
    WHERE statement_id = $statement_id AND item_key = $item_key
    GROUP BY person_key
),
statement_run AS (
    SELECT contract_id, month FROM audit.statement_evidence_runs WHERE statement_id = $statement_id
),
weeks AS (
    SELECT v.person_key, v.follow_up_week, v.follow_up_year, v.month, v.benefit_group, v.cost_dkk
    FROM audit.evidence_weeks v
    JOIN statement_run r ON v.contract_id = r.contract_id AND v.from_month <= r.month
    JOIN spans s ON s.person_key = v.person_key
    WHERE v.follow_up_week BETWEEN 1 AND s.streak_to
       OR (v.follow_up_week > 0 AND list_contains(s.years, v.follow_up_year))
       OR (s.pre_period AND v.follow_up_week <= 0)
    QUALIFY row_number() OVER (PARTITION BY v.person_key, v.follow_up_week ORDER BY v.from_month DESC) = 1
)
SELECT w.person_key, w.follow_up_week, w.follow_up_year, w.month, w.benefit_group, w.cost_dkk,
       p.benefits_file AS file_name, p.benefits_sha256 AS file_sha256, p.benefits_line AS line_number
FROM weeks w
LEFT JOIN audit.statement_evidence_persons p
  ON p.statement_id = $statement_id AND p.person_key = w.person_key
