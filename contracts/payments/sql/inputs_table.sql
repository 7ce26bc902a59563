-- The run's inputs, one row per contract of the run (filled from `RunInputs` by run.py).
CREATE OR REPLACE TEMP TABLE pay_inputs (
    contract_id VARCHAR, statement_id VARCHAR, is_new BOOLEAN, previous_statement_id VARCHAR,
    change_cause VARCHAR, referrals_as_of DATE,
    terms_sha256 VARCHAR, referrals_file VARCHAR, referrals_sha256 VARCHAR,
    benefits_file VARCHAR, benefits_sha256 VARCHAR, income_file VARCHAR, income_sha256 VARCHAR,
    reference_files VARCHAR, product_version VARCHAR, git_commit VARCHAR
)
