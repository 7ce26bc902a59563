SELECT * FROM pay_statement_totals ORDER BY contract_id
