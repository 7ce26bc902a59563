SELECT statement_id, kind, benefit_group, amount_dkk, reason FROM pay_budget_unbooked
ORDER BY statement_id, kind, benefit_group NULLS FIRST
