SELECT DISTINCT contract_id FROM payments.statements ORDER BY contract_id
