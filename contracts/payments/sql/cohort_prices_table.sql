-- The verified target payments, one row per contract (filled by entitlement.py).
CREATE OR REPLACE TEMP TABLE pay_cohort_prices (contract_id VARCHAR, price_dkk DECIMAL(18,2), basis VARCHAR)
