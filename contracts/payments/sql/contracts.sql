-- The contracts of the run with their payment terms (marts.dim_contracts, marts.dim_payment_terms).
CREATE OR REPLACE TEMP TABLE pay_contracts AS
SELECT k.contract_id, i.statement_id, i.is_new, i.previous_statement_id, i.change_cause,
       i.referrals_as_of, k.mechanism, k.cohort_start_to, k.follow_up_years,
       t.payment_account, t.outlay_dkk, t.investor_share, t.cap_dkk,
       t.cap_per_participant_dkk, t.cap_total_dkk,
       t.target_year, t.target_share, t.target_amount_dkk, t.below_target
FROM marts.dim_contracts k
JOIN marts.dim_payment_terms t USING (contract_id)
JOIN pay_inputs i USING (contract_id)
