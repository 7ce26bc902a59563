-- savings_share: what one participant-year k is expected to add to S, per contract and year k.
-- Observed (once the cohort has complete year-k participant-years with a complete baseline): the
-- mean over those years of what they added to S (a year that does not count adds 0); else the
-- business case's savings per participant in year k; else nothing ('none').
-- Kept as sum and count, so that n expected years are valued round(n × sum / count, 2) at once.
CREATE OR REPLACE TEMP TABLE fc_savings_rates AS
WITH years AS (
    SELECT c.contract_id, CAST(k.k AS INTEGER) AS follow_up_year
    FROM fc_contracts c, range(1, c.follow_up_years + 1) k(k)
    WHERE c.mechanism = 'savings_share'
), complete AS (
    SELECT y.contract_id, y.follow_up_year, count(*) AS n_complete
    FROM marts.fct_outcome_years y
    JOIN pay_participants p USING (contract_id, person_key)
    WHERE p.baseline_complete IS TRUE AND y.is_complete
    GROUP BY ALL
), counted AS (
    SELECT contract_id, follow_up_year, sum(savings_dkk) AS s_sum
    FROM pay_savings_years GROUP BY ALL
)
SELECT y.contract_id, y.follow_up_year,
       coalesce(n.n_complete, 0) AS n_complete,
       CAST(coalesce(s.s_sum, 0) AS DECIMAL(18,2)) AS s_sum,
       b.savings_per_participant_dkk AS case_savings,
       CASE WHEN coalesce(n.n_complete, 0) > 0 THEN 'observed'
            WHEN b.savings_per_participant_dkk IS NOT NULL THEN 'business_case'
            ELSE 'none' END AS basis
FROM years y
LEFT JOIN complete n USING (contract_id, follow_up_year)
LEFT JOIN counted s USING (contract_id, follow_up_year)
LEFT JOIN marts.dim_contract_forecast_savings b USING (contract_id, follow_up_year)
