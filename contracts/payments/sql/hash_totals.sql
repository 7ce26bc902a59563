-- The totals line of every statement of the run, for the statement hash.
SELECT statement_id, total_dkk, offset_brought_forward_dkk, amount_payable_dkk, offset_carried_forward_dkk
FROM pay_statement_totals ORDER BY statement_id
