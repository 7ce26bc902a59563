-- cohort_target contracts not yet verified (no target_payment priced by this run): the cohort's
-- complete target years and successes so far, the business case's share, and the month the
-- last participant's target year is expected to be verified (latest start: observed, or the
-- assumed start of participants the business case still expects), never before M + 1.
-- Read by Python, which prices the expected payment exactly as the engine will.
WITH starts AS (
    SELECT c.contract_id,
           greatest(max(d.start_date), CASE WHEN c.missing > 0 THEN c.assumed_start END) AS last_start
    FROM fc_contracts c
    LEFT JOIN pay_participants p USING (contract_id)
    LEFT JOIN marts.dim_participants d USING (contract_id, person_key)
    WHERE c.mechanism = 'cohort_target'
    GROUP BY c.contract_id, c.missing, c.assumed_start
)
SELECT c.contract_id, c.target_share, c.target_amount_dkk, c.below_target, c.success_share,
       count(y.person_key) FILTER (WHERE y.complete) AS complete,
       count(y.person_key) FILTER (WHERE y.success) AS successes,
       greatest(CAST(date_trunc('month', CAST(date_trunc('week', s.last_start) AS DATE)
                                         + CAST(7 * 52 * c.target_year - 1 AS INTEGER))
                     + to_months(c.lag_months) AS DATE), c.next_month) AS verify_month
FROM fc_contracts c
JOIN starts s USING (contract_id)
LEFT JOIN pay_cohort_years y USING (contract_id)
WHERE c.mechanism = 'cohort_target' AND s.last_start IS NOT NULL
  AND c.contract_id NOT IN (SELECT contract_id FROM pay_cohort_prices)
GROUP BY ALL
ORDER BY c.contract_id
