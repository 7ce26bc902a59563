CREATE OR REPLACE TEMP TABLE pay_hashes (statement_id VARCHAR, statement_sha256 VARCHAR)
