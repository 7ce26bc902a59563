-- The forecast of the run month per contract (finance.md, "Budget forecast"): for every budget
-- year from the contract's first statement to the last year anything is booked or expected, per
-- account and kind that has anything booked or expected: actual (Σ budget entries of the issued
-- statements up to M, this run's included), expected, total, and what the expected part rests on
-- (business_case when any of it does, else observed; none when nothing is expected).
CREATE OR REPLACE TEMP TABLE pay_budget_forecast AS
WITH actual AS (
    SELECT s.contract_id, b.budget_year, b.account, b.kind, sum(b.amount_dkk) AS amount_dkk
    FROM payments.budget_entries b
    JOIN payments.statements s USING (statement_id)
    JOIN fc_contracts c USING (contract_id)
    WHERE s.month <= $month
    GROUP BY ALL
), expected AS (
    SELECT contract_id, CAST(year(verify_month) AS INTEGER) AS budget_year, account, kind,
           sum(amount_dkk) AS amount_dkk, max(rank) AS rank
    FROM fc_entries GROUP BY ALL
), span AS (
    SELECT c.contract_id,
           (SELECT min(CAST(left(s.month, 4) AS INTEGER)) FROM payments.statements s
            WHERE s.contract_id = c.contract_id AND s.month <= $month) AS first_year,
           greatest(CAST(left($month, 4) AS INTEGER),
                    (SELECT max(budget_year) FROM expected e WHERE e.contract_id = c.contract_id),
                    (SELECT max(budget_year) FROM actual a WHERE a.contract_id = c.contract_id)) AS last_year
    FROM fc_contracts c
), lines AS (
    SELECT contract_id, account, kind FROM actual
    UNION SELECT contract_id, account, kind FROM expected
), cells AS (
    SELECT l.contract_id, CAST(y.y AS INTEGER) AS budget_year, l.account, l.kind
    FROM lines l JOIN span s USING (contract_id), range(s.first_year, s.last_year + 1) y(y)
)
SELECT $month AS forecast_month, x.contract_id, x.budget_year, x.account, x.kind,
       CAST(coalesce(a.amount_dkk, 0) AS DECIMAL(18,2)) AS actual_dkk,
       CAST(coalesce(e.amount_dkk, 0) AS DECIMAL(18,2)) AS expected_dkk,
       CAST(coalesce(a.amount_dkk, 0) + coalesce(e.amount_dkk, 0) AS DECIMAL(18,2)) AS total_dkk,
       CASE WHEN e.amount_dkk IS NULL OR e.amount_dkk = 0 THEN 'none'
            WHEN e.rank = 2 THEN 'business_case' ELSE 'observed' END AS basis
FROM cells x
LEFT JOIN actual a USING (contract_id, budget_year, account, kind)
LEFT JOIN expected e USING (contract_id, budget_year, account, kind)
