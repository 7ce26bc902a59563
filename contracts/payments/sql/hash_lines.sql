-- The lines of every statement of the run in line_no order, for the statement hash.
SELECT statement_id, item_key, kind, previous_amount_dkk, new_amount_dkk, amount_dkk
FROM pay_lines ORDER BY statement_id, line_no
