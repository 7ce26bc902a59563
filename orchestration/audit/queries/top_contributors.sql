-- The participants who move an item's savings most (largest absolute savings over their counted
-- years), at most $limit; ties by person key. Only rows that carry savings.
SELECT person_key,
       count(*) AS participant_years,
       sum(baseline_cost_dkk) AS baseline_dkk,
       sum(actual_cost_dkk) AS actual_dkk,
       sum(savings_dkk) AS savings_dkk
FROM audit.statement_evidence_outcomes
WHERE statement_id = $statement_id AND item_key = $item_key AND savings_dkk IS NOT NULL
GROUP BY person_key
ORDER BY abs(sum(savings_dkk)) DESC, person_key
LIMIT $limit
