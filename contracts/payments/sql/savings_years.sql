-- savings_share: S = Σ savings[p, k] over the participant-years that count for the payment
-- (complete, and with a status of count_savings_when when it is given: counts_for_payment) of
-- participants with a complete baseline. These participant-years are kept: they are also the
-- base of the verified savings per benefit group (budget entries).
CREATE OR REPLACE TEMP TABLE pay_savings_years AS
SELECT y.contract_id, y.person_key, y.follow_up_year, y.outcome_status, y.savings_dkk
FROM marts.fct_outcome_years y
JOIN pay_participants p USING (contract_id, person_key)
JOIN pay_contracts c USING (contract_id)
WHERE c.mechanism = 'savings_share'
  AND p.baseline_complete IS TRUE
  AND y.counts_for_payment
  AND y.baseline_cost_dkk IS NOT NULL
  AND y.savings_dkk IS NOT NULL
  AND y.follow_up_year BETWEEN 1 AND c.follow_up_years
