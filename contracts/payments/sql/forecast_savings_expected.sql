-- savings_share: the expected savings per contract, verification month and year k - in the
-- contract's basis, as S will count them (`s_expected`) - and the budget entries they will make:
-- observed: per benefit group, round(n × Σ group savings / count, 2) gross (ΔG) and municipal
--   (ΔN) → savings −ΔG and refusion ΔG − ΔN (refusion-financed), savings −ΔN (co-financed);
-- business case: savings −n × savings per participant on savings_group's account, no split.
CREATE OR REPLACE TEMP TABLE fc_savings_expected AS
SELECT p.contract_id, p.verify_month, p.follow_up_year, r.basis,
       CAST(CASE r.basis WHEN 'observed' THEN fc_part(r.s_sum, p.n, r.n_complete)
                         WHEN 'business_case' THEN p.n * r.case_savings
                         ELSE 0 END AS DECIMAL(18,2)) AS s_expected
FROM fc_savings_pending p JOIN fc_savings_rates r USING (contract_id, follow_up_year);

CREATE OR REPLACE TEMP TABLE fc_savings_entries AS
WITH group_sums AS (
    SELECT v.contract_id, v.follow_up_year, g.benefit_group,
           sum(coalesce(g.gross_savings_dkk, 0)) AS gross, sum(coalesce(g.municipal_savings_dkk, 0)) AS municipal
    FROM pay_savings_years v
    JOIN marts.fct_outcome_year_savings g
      ON g.contract_id = v.contract_id AND g.person_key = v.person_key AND g.follow_up_year = v.follow_up_year
    WHERE g.savings_dkk IS NOT NULL
    GROUP BY ALL
), observed AS (
    SELECT p.contract_id, p.verify_month, bg.account, bg.financing,
           fc_part(gs.gross, p.n, r.n_complete) AS d_gross,
           fc_part(gs.municipal, p.n, r.n_complete) AS d_municipal
    FROM fc_savings_pending p
    JOIN fc_savings_rates r USING (contract_id, follow_up_year)
    JOIN group_sums gs USING (contract_id, follow_up_year)
    JOIN marts.dim_benefit_groups bg ON bg.benefit_group = gs.benefit_group
    WHERE r.basis = 'observed' AND bg.account IS NOT NULL
)
SELECT contract_id, verify_month, account, 'savings' AS kind,
       CAST(CASE financing WHEN 'refusion' THEN -d_gross ELSE -d_municipal END AS DECIMAL(18,2)) AS amount_dkk,
       'observed' AS basis
FROM observed WHERE financing IN ('refusion', 'cofinancing')
UNION ALL
SELECT contract_id, verify_month, account, 'refusion', CAST(d_gross - d_municipal AS DECIMAL(18,2)), 'observed'
FROM observed WHERE financing = 'refusion'
UNION ALL
SELECT e.contract_id, e.verify_month, c.savings_account, 'savings', CAST(-e.s_expected AS DECIMAL(18,2)),
       'business_case'
FROM fc_savings_expected e JOIN fc_contracts c USING (contract_id)
WHERE e.basis = 'business_case' AND c.savings_account IS NOT NULL;

-- The entitlement S would give, month by month: S now plus the expected savings verified up to
-- that month, run through the contract's mechanism (outlay first, then the share, then the cap).
CREATE OR REPLACE TEMP TABLE fc_savings_steps AS
WITH monthly AS (
    SELECT contract_id, verify_month, sum(s_expected) AS s_month,
           max(CASE basis WHEN 'business_case' THEN 2 WHEN 'observed' THEN 1 ELSE 0 END) AS rank
    FROM fc_savings_expected GROUP BY ALL
), path AS (
    SELECT m.contract_id, m.verify_month,
           t.s_total + sum(m.s_month) OVER w AS s_cum,
           max(m.rank) OVER w AS rank
    FROM monthly m JOIN pay_savings_totals t USING (contract_id)
    WINDOW w AS (PARTITION BY m.contract_id ORDER BY m.verify_month)
), priced AS (
    SELECT p.*, c.cap_dkk,
           least(greatest(p.s_cum, 0), coalesce(c.outlay_dkk, 0))
           + round(c.investor_share * greatest(p.s_cum - coalesce(c.outlay_dkk, 0), 0), 2) AS uncapped
    FROM path p JOIN fc_contracts c USING (contract_id)
)
SELECT contract_id, verify_month,
       CAST(CASE WHEN cap_dkk IS NULL THEN uncapped ELSE least(uncapped, cap_dkk) END AS DECIMAL(18,2)) AS entitlement_dkk,
       rank
FROM priced
