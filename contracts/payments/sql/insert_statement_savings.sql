INSERT INTO payments.statement_savings BY NAME
SELECT s.statement_id, s.benefit_group, s.account, s.verified_savings_dkk, s.change_dkk,
       s.verified_gross_savings_dkk, s.gross_change_dkk,
       s.verified_municipal_savings_dkk, s.municipal_change_dkk
FROM pay_verified_savings s JOIN pay_contracts c ON c.contract_id = s.contract_id
WHERE c.is_new
ORDER BY s.statement_id, encode(s.benefit_group)
