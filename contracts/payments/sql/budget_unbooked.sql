-- The non-zero amounts that get no budget entry (no account), with the reason, for the report.
CREATE OR REPLACE TEMP TABLE pay_budget_unbooked AS
SELECT t.statement_id, 'payment' AS kind, CAST(NULL AS VARCHAR) AS benefit_group,
       t.amount_payable_dkk AS amount_dkk,
       'terms.budget.payment_account is not set' AS reason
FROM pay_statement_totals t JOIN pay_contracts c USING (contract_id)
WHERE t.amount_payable_dkk <> 0 AND c.payment_account IS NULL
UNION ALL
SELECT statement_id, kind, benefit_group, amount_dkk,
       CASE WHEN known_group THEN 'benefit group has no account in benefit_groups.csv'
            ELSE 'benefit group not in benefit_groups.csv' END
FROM pay_savings_amounts
WHERE account IS NULL
