-- cohort_target: one row per participant of a cohort_target contract - its target year's
-- status, completeness and success (counts_for_payment: complete with a target status). A
-- participant without a row for the target year is not complete.
CREATE OR REPLACE TEMP TABLE pay_cohort_years AS
SELECT c.contract_id, p.person_key, c.target_year AS follow_up_year, y.outcome_status,
       coalesce(y.is_complete, FALSE) AS complete,
       coalesce(y.counts_for_payment, FALSE) AS success
FROM pay_contracts c
JOIN pay_participants p USING (contract_id)
LEFT JOIN marts.fct_outcome_years y
  ON y.contract_id = p.contract_id AND y.person_key = p.person_key
 AND y.follow_up_year = c.target_year
WHERE c.mechanism = 'cohort_target'
