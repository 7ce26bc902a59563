-- The participant-weeks one entitlement item rests on, with their benefit-register row, read from
-- the evidence tables filtered on the statement before any join. Which weeks an outcome row rests
-- on (docs/trace.md, the bridge): a streak row, follow-up weeks 1 … its achievement week; a year
-- row of year k, the weeks of year k; a savings_year row also the pre-period weeks (≤ 0). The
-- item's outcome rows are folded into one span per participant (as orchestration/audit/evidence.py
-- does when it records the bridge), so the weeks are found by joining the statement's weeks with
-- one small row per participant instead of the bridge's rows.
-- The view audit.trace yields the same rows (its participant_week kind; the tests check it).
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
)
SELECT w.person_key, w.follow_up_week, w.follow_up_year, w.month, w.benefit_group, w.cost_dkk,
       w.benefits_file AS file_name, w.benefits_sha256 AS file_sha256, w.benefits_line AS line_number
FROM audit.statement_evidence_weeks w
JOIN spans s ON s.person_key = w.person_key
WHERE w.statement_id = $statement_id
  AND (w.follow_up_week BETWEEN 1 AND s.streak_to
       OR (w.follow_up_week > 0 AND list_contains(s.years, w.follow_up_year))
       OR (s.pre_period AND w.follow_up_week <= 0))
