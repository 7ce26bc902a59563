-- Statements for a month after the run's month (any contract): the run is refused.
SELECT statement_id, contract_id FROM payments.statements WHERE month > $month ORDER BY statement_id
