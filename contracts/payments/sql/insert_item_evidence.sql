INSERT INTO payments.item_evidence BY NAME
SELECT c.statement_id, v.item_key, v.role, v.person_key, v.outcome_id, v.follow_up_year,
       v.achievement_week, v.outcome_status, v.savings_dkk, v.counted
FROM pay_item_evidence v JOIN pay_contracts c ON c.contract_id = v.contract_id
WHERE c.is_new
ORDER BY c.statement_id, encode(v.item_key), v.role, encode(v.person_key), v.follow_up_year
