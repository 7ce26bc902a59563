INSERT INTO payments.budget_forecast BY NAME
SELECT f.forecast_month, f.contract_id, f.budget_year, f.account, f.kind, f.actual_dkk,
       f.expected_dkk, f.total_dkk, f.basis
FROM pay_budget_forecast f JOIN pay_contracts c USING (contract_id)
WHERE c.is_new
ORDER BY f.contract_id, f.budget_year, encode(f.account), f.kind
