-- The savings-side budget amounts of each statement, per benefit group (finance.md, "Budget
-- entries"), from the change in verified gross (ΔG) and municipal (ΔN) savings:
--   financing refusion:    savings = −ΔG, refusion = ΔG − ΔN (the reimbursement no longer received)
--   financing cofinancing: savings = −ΔN
--   other financing:       nothing (the municipality neither pays nor co-finances the benefit).
-- So savings + refusion = −ΔN on every account. Zero amounts are dropped; a group unknown to the
-- reference data (no financing) is listed with its change in the contract's basis, reported as unbooked.
CREATE OR REPLACE TEMP TABLE pay_savings_amounts AS
WITH amounts AS (
    SELECT statement_id, benefit_group, account, known_group, 'savings' AS kind,
           CASE WHEN NOT known_group THEN -change_dkk
                WHEN financing = 'refusion' THEN -gross_change_dkk
                WHEN financing = 'cofinancing' THEN -municipal_change_dkk END AS amount_dkk
    FROM pay_verified_savings
    UNION ALL
    SELECT statement_id, benefit_group, account, known_group, 'refusion',
           gross_change_dkk - municipal_change_dkk
    FROM pay_verified_savings
    WHERE known_group AND financing = 'refusion'
)
SELECT statement_id, benefit_group, account, known_group, kind, CAST(amount_dkk AS DECIMAL(18,2)) AS amount_dkk
FROM amounts
WHERE amount_dkk IS NOT NULL AND amount_dkk <> 0
