-- `payment` (the amount payable, on terms.budget.payment_account), `savings` and `refusion` (per
-- benefit group, on the group's account: pay_savings_amounts), never for a zero amount.
CREATE OR REPLACE TEMP TABLE pay_budget_entries AS
SELECT t.statement_id, CAST($budget_year AS INTEGER) AS budget_year, c.payment_account AS account,
       'payment' AS kind, t.amount_payable_dkk AS amount_dkk, CAST(NULL AS VARCHAR) AS benefit_group
FROM pay_statement_totals t JOIN pay_contracts c USING (contract_id)
WHERE t.amount_payable_dkk <> 0 AND c.payment_account IS NOT NULL
UNION ALL
SELECT statement_id, CAST($budget_year AS INTEGER), account, kind, amount_dkk, benefit_group
FROM pay_savings_amounts
WHERE account IS NOT NULL
