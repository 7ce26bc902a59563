-- The budget forecast's view of each contract of the run (finance.md, "Budget forecast"):
-- the run month M, the verification lag, the business case, the cohort (observed participants;
-- open while the referral vintage's as-of date is not after cohort.start_to), the participants
-- the business case still expects (`missing`, only while the cohort is open) and the start date
-- assumed for them: the middle of what is left of the cohort window after M (docs/forecast.md).
CREATE OR REPLACE TEMP TABLE fc_contracts AS
WITH base AS (
    SELECT c.contract_id, c.mechanism, c.follow_up_years, c.payment_account,
           c.outlay_dkk, c.investor_share, c.cap_dkk, c.cap_per_participant_dkk, c.cap_total_dkk,
           c.target_year, c.target_share, c.target_amount_dkk, c.below_target,
           k.cohort_start_from, c.cohort_start_to,
           CAST($month || '-01' AS DATE) AS month_start,
           CAST(CAST($month || '-01' AS DATE) + INTERVAL 1 MONTH AS DATE) AS next_month,
           coalesce(f.verification_lag_months, 2) AS lag_months,
           f.participants AS case_participants, f.savings_group, f.success_share,
           bg.account AS savings_account,
           (c.referrals_as_of IS NULL OR c.cohort_start_to IS NULL
            OR NOT c.referrals_as_of > c.cohort_start_to) AS cohort_open,
           (SELECT count(*) FROM pay_participants p WHERE p.contract_id = c.contract_id) AS observed,
           t.entitlement_to_date_dkk AS entitlement_now, t.offset_carried_forward_dkk AS offset_now
    FROM pay_contracts c
    JOIN marts.dim_contracts k USING (contract_id)
    JOIN pay_statement_totals t USING (contract_id)
    LEFT JOIN marts.dim_contract_forecasts f USING (contract_id)
    LEFT JOIN marts.dim_benefit_groups bg ON bg.benefit_group = f.savings_group
), windowed AS (
    SELECT *,
           greatest(coalesce(cohort_start_from, next_month), next_month) AS window_from,
           CASE WHEN cohort_open AND case_participants IS NOT NULL
                THEN CAST(greatest(case_participants - observed, 0) AS INTEGER) ELSE 0 END AS missing
    FROM base
)
SELECT *,
       CASE WHEN cohort_start_to IS NULL OR cohort_start_to <= window_from THEN window_from
            ELSE window_from + CAST((cohort_start_to - window_from) // 2 AS INTEGER) END AS assumed_start
FROM windowed
