-- The outcome rows one entitlement item rests on, in totals: participants, participant-years
-- (follow-up year > 0), the rows counted (cohort_year: successes; requirement rows are the
-- achievement of another outcome and are not counted twice), and the year figures as used.
-- Reads only the per-statement outcome rows (audit.statement_evidence_outcomes).
SELECT count(DISTINCT person_key) AS participants,
       count(DISTINCT (person_key, follow_up_year)) FILTER (WHERE follow_up_year > 0) AS participant_years,
       count(*) FILTER (WHERE counted AND role <> 'requirement') AS counted,
       sum(baseline_cost_dkk) AS baseline_dkk,
       sum(actual_cost_dkk) AS actual_dkk,
       sum(savings_dkk) AS savings_dkk
FROM audit.statement_evidence_outcomes
WHERE statement_id = $statement_id AND item_key = $item_key
