CREATE OR REPLACE TEMP TABLE fc_cohort_steps (
    contract_id VARCHAR, verify_month DATE, entitlement_dkk DECIMAL(18,2), rank INTEGER
)
