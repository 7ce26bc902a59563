-- Σ amounts already posted per item key in the contract's statements of earlier months.
CREATE OR REPLACE TEMP TABLE pay_posted AS
SELECT s.contract_id, l.item_key,
       CAST(sum(l.amount_dkk) AS DECIMAL(18,2)) AS posted_dkk,
       min(l.person_key) AS person_key, min(l.outcome_id) AS outcome_id,
       min(l.follow_up_year) AS follow_up_year
FROM payments.statement_lines l
JOIN payments.statements s USING (statement_id)
JOIN pay_contracts c ON c.contract_id = s.contract_id
WHERE s.month < $month
GROUP BY s.contract_id, l.item_key
