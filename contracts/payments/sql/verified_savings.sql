-- Per savings_share statement and benefit group: the verified savings (Σ savings[p, k, g] over
-- exactly the participant-years of S) in the contract's basis, gross and municipal, and their
-- change since the contract's previous statement (whose figures are read back from
-- payments.statement_savings). Gross and municipal are computed whatever the basis (finance.md).
CREATE OR REPLACE TEMP TABLE pay_verified_savings AS
WITH cur AS (
    SELECT v.contract_id, g.benefit_group, sum(g.savings_dkk) AS verified,
           sum(coalesce(g.gross_savings_dkk, 0)) AS gross, sum(coalesce(g.municipal_savings_dkk, 0)) AS municipal
    FROM pay_savings_years v
    JOIN marts.fct_outcome_year_savings g
      ON g.contract_id = v.contract_id AND g.person_key = v.person_key
     AND g.follow_up_year = v.follow_up_year
    WHERE g.savings_dkk IS NOT NULL
    GROUP BY v.contract_id, g.benefit_group
), prev AS (
    SELECT c.contract_id, ss.benefit_group, ss.verified_savings_dkk AS verified,
           coalesce(ss.verified_gross_savings_dkk, 0) AS gross,
           coalesce(ss.verified_municipal_savings_dkk, 0) AS municipal
    FROM pay_contracts c
    JOIN payments.statement_savings ss ON ss.statement_id = c.previous_statement_id
    WHERE c.mechanism = 'savings_share'
), merged AS (
    SELECT coalesce(cur.contract_id, prev.contract_id) AS contract_id,
           coalesce(cur.benefit_group, prev.benefit_group) AS benefit_group,
           coalesce(cur.verified, 0) AS verified,
           coalesce(cur.verified, 0) - coalesce(prev.verified, 0) AS change,
           coalesce(cur.gross, 0) AS gross,
           coalesce(cur.gross, 0) - coalesce(prev.gross, 0) AS gross_change,
           coalesce(cur.municipal, 0) AS municipal,
           coalesce(cur.municipal, 0) - coalesce(prev.municipal, 0) AS municipal_change
    FROM cur FULL OUTER JOIN prev
      ON prev.contract_id = cur.contract_id AND prev.benefit_group = cur.benefit_group
)
SELECT m.contract_id, c.statement_id, m.benefit_group,
       bg.account, bg.financing,
       bg.benefit_group IS NOT NULL AS known_group,
       CAST(m.verified AS DECIMAL(18,2)) AS verified_savings_dkk,
       CAST(m.change AS DECIMAL(18,2)) AS change_dkk,
       CAST(m.gross AS DECIMAL(18,2)) AS verified_gross_savings_dkk,
       CAST(m.gross_change AS DECIMAL(18,2)) AS gross_change_dkk,
       CAST(m.municipal AS DECIMAL(18,2)) AS verified_municipal_savings_dkk,
       CAST(m.municipal_change AS DECIMAL(18,2)) AS municipal_change_dkk
FROM merged m
JOIN pay_contracts c USING (contract_id)
LEFT JOIN marts.dim_benefit_groups bg ON bg.benefit_group = m.benefit_group
WHERE m.verified <> 0 OR m.change <> 0 OR m.gross <> 0 OR m.gross_change <> 0
   OR m.municipal <> 0 OR m.municipal_change <> 0
