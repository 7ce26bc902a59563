-- Only participants count (excluded referrals are kept in dim_participants with their reason).
CREATE OR REPLACE TEMP TABLE pay_participants AS
SELECT p.contract_id, p.person_key, p.baseline_complete
FROM marts.dim_participants p JOIN pay_contracts c USING (contract_id)
WHERE p.excluded_reason IS NULL
