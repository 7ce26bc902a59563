INSERT INTO payments.budget_entries BY NAME
SELECT b.statement_id, b.budget_year, b.account, b.kind, b.amount_dkk, b.benefit_group
FROM pay_budget_entries b JOIN pay_contracts c ON c.statement_id = b.statement_id
WHERE c.is_new
ORDER BY b.statement_id, b.kind, encode(b.account), encode(coalesce(b.benefit_group, ''))
