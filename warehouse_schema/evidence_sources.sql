-- The source lines the evidence refers to, as views over the immutable raw rows of the loads the
-- recorded statements used (docs/trace.md). Rows of a load are never changed or deleted, so a
-- statement's income and referral lines are kept by reference (its load ids in
-- audit.statement_evidence_runs), not copied per statement. In the analysts' copy these two are
-- tables, appended per load (orchestration/analyst_copy.py).

-- The type-00 income lines (the only type summed into employment hours), allocated per month.
CREATE OR REPLACE VIEW audit.source_income_lines AS
SELECT lm.load_id, lm.person_key, strftime(lm.month, '%Y-%m') AS month, lm.income_type,
       lm.file_sha256 AS income_sha256, CAST(lm.line_number AS INTEGER) AS line_number,
       lm.hours AS allocated_hours,
       CAST(il.period_start AS DATE) AS period_start, CAST(il.period_end AS DATE) AS period_end,
       il.hours AS line_hours
FROM raw.income_line_months lm
LEFT JOIN raw.income_lines il ON il.load_id = lm.load_id AND il.line_number = lm.line_number
WHERE lm.income_type = '00'
  AND lm.load_id IN (SELECT income_load_id FROM audit.statement_evidence_runs);

-- The referral lines.
CREATE OR REPLACE VIEW audit.source_referral_lines AS
SELECT r.load_id, r.contract_id, r.person_key, CAST(r.referral_date AS DATE) AS referral_date,
       CAST(r.start_date AS DATE) AS start_date, r.file_sha256 AS referrals_sha256,
       CAST(r.line_number AS INTEGER) AS line_number
FROM raw.referrals r
WHERE r.load_id IN (SELECT referrals_load_id FROM audit.statement_evidence_runs);
