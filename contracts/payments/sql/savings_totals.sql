-- outlay_repayment = min(max(S, 0), outlay); gain_share = round(share × max(S − outlay, 0), 2).
-- DECIMAL × DECIMAL is exact in DuckDB and ROUND on DECIMAL is half away from zero.
CREATE OR REPLACE TEMP TABLE pay_savings_totals AS
WITH s AS (
    SELECT c.contract_id, c.outlay_dkk, c.investor_share, c.cap_dkk,
           CAST(coalesce(sum(v.savings_dkk), 0) AS DECIMAL(18,2)) AS s_total,
           count(v.person_key) AS n_years
    FROM pay_contracts c LEFT JOIN pay_savings_years v USING (contract_id)
    WHERE c.mechanism = 'savings_share'
    GROUP BY c.contract_id, c.outlay_dkk, c.investor_share, c.cap_dkk
)
SELECT contract_id, cap_dkk, s_total, n_years,
       CAST(least(greatest(s_total, 0), coalesce(outlay_dkk, 0)) AS DECIMAL(18,2)) AS outlay_price,
       CAST(round(investor_share * greatest(s_total - coalesce(outlay_dkk, 0), 0), 2)
            AS DECIMAL(18,2)) AS gain_price,
       'S = ' || CAST(s_total AS VARCHAR) || ' over ' || n_years || ' participant-years' AS basis
FROM s
