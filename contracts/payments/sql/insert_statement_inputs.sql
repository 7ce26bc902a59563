INSERT INTO payments.statement_inputs VALUES (?, ?, ?, ?, ?)
