INSERT INTO payments.entitlement_items BY NAME
SELECT c.statement_id, e.item_key, e.person_key, e.outcome_id, e.follow_up_year,
       e.achievement_week, e.achievement_date, e.price_dkk, e.reduction_dkk, e.amount_dkk,
       e.evidence_status, e.basis
FROM pay_items e JOIN pay_contracts c ON c.contract_id = e.contract_id
WHERE c.is_new
ORDER BY c.statement_id, encode(e.item_key)
