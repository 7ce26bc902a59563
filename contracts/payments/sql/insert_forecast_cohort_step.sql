INSERT INTO fc_cohort_steps
SELECT $contract_id, $verify_month, CAST(c.entitlement_now + $amount AS DECIMAL(18,2)), $rank
FROM fc_contracts c WHERE c.contract_id = $contract_id
