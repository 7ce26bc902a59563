-- The outcome rows of one item per follow-up year: participant-years, counted, year statuses,
-- and the sums of baseline, actual cost and savings as the statement used them.
SELECT follow_up_year,
       count(*) AS participant_years,
       count(*) FILTER (WHERE counted) AS counted,
       count(*) FILTER (WHERE outcome_status = 'full') AS status_full,
       count(*) FILTER (WHERE outcome_status = 'partial') AS status_partial,
       count(*) FILTER (WHERE outcome_status = 'none') AS status_none,
       sum(baseline_cost_dkk) AS baseline_dkk,
       sum(actual_cost_dkk) AS actual_dkk,
       sum(savings_dkk) AS savings_dkk
FROM audit.statement_evidence_outcomes
WHERE statement_id = $statement_id AND item_key = $item_key AND follow_up_year > 0 AND role <> 'requirement'
GROUP BY follow_up_year
ORDER BY follow_up_year
