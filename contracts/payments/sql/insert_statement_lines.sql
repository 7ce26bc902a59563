INSERT INTO payments.statement_lines BY NAME
SELECT l.statement_id, l.line_no, l.item_key, l.person_key, l.outcome_id, l.follow_up_year,
       l.kind, l.previous_amount_dkk, l.new_amount_dkk, l.amount_dkk, l.explanation
FROM pay_lines l JOIN pay_contracts c ON c.contract_id = l.contract_id
WHERE c.is_new
ORDER BY l.statement_id, l.line_no
