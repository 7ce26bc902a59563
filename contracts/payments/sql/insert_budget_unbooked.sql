INSERT INTO payments.budget_unbooked BY NAME
SELECT b.statement_id, b.kind, b.benefit_group, b.amount_dkk, b.reason
FROM pay_budget_unbooked b JOIN pay_contracts c ON c.statement_id = b.statement_id
WHERE c.is_new
ORDER BY b.statement_id, b.kind, encode(coalesce(b.benefit_group, ''))
