-- savings_share: the participant-years still expected, counted per contract, year k and the
-- month expected to verify them: the month of the year's last day plus the verification lag,
-- never before the month after M. Observed participants (a baseline not known to be incomplete)
-- with year k not yet complete, and the participants the business case still expects (from the
-- assumed start date).
CREATE OR REPLACE TEMP TABLE fc_savings_pending AS
WITH slots AS (
    SELECT c.contract_id, r.follow_up_year, p.person_key,
           CAST(date_trunc('week', d.start_date) AS DATE) AS first_monday, 1 AS n
    FROM fc_contracts c
    JOIN fc_savings_rates r USING (contract_id)
    JOIN pay_participants p USING (contract_id)
    JOIN marts.dim_participants d USING (contract_id, person_key)
    LEFT JOIN marts.fct_outcome_years y
      ON y.contract_id = p.contract_id AND y.person_key = p.person_key
     AND y.follow_up_year = r.follow_up_year
    WHERE p.baseline_complete IS NOT FALSE AND NOT coalesce(y.is_complete, FALSE)
    UNION ALL
    SELECT c.contract_id, r.follow_up_year, NULL,
           CAST(date_trunc('week', c.assumed_start) AS DATE), c.missing
    FROM fc_contracts c JOIN fc_savings_rates r USING (contract_id)
    WHERE c.missing > 0
), placed AS (
    SELECT s.contract_id, s.follow_up_year, s.n,
           greatest(CAST(date_trunc('month', s.first_monday + CAST(7 * 52 * s.follow_up_year - 1 AS INTEGER))
                         + to_months(c.lag_months) AS DATE), c.next_month) AS verify_month
    FROM slots s JOIN fc_contracts c USING (contract_id)
)
SELECT contract_id, follow_up_year, verify_month, CAST(sum(n) AS INTEGER) AS n
FROM placed GROUP BY ALL
