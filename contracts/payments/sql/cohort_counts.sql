-- Per cohort_target contract: participants, complete target years, successes (read by Python,
-- which decides verification and the exact-fraction amount).
SELECT c.contract_id, c.referrals_as_of, c.cohort_start_to, c.target_year, c.target_share,
       c.target_amount_dkk, c.below_target,
       count(y.person_key) AS participants,
       count(*) FILTER (WHERE y.complete) AS complete,
       count(*) FILTER (WHERE y.success) AS successes
FROM pay_contracts c LEFT JOIN pay_cohort_years y USING (contract_id)
WHERE c.mechanism = 'cohort_target'
GROUP BY ALL
ORDER BY c.contract_id
