-- Every source line one entitlement item rests on (source, file, SHA-256, line number, person):
-- the benefit rows of its participant-weeks (item_weeks.sql), the type-00 income lines of the
-- months of those weeks, and the referral line of each of its participants — the rows of the view
-- audit.trace that carry a source, read from the evidence tables and the statement's loads
-- (as the views statement_evidence_income / _referrals do), filtered on the statement first.
-- Used as a sub-query by source_files.sql; re-point it with item_weeks.sql.
WITH weeks AS MATERIALIZED (
    SELECT person_key, month, file_name, file_sha256, line_number FROM ({item_weeks}) item_weeks
),
months AS (SELECT DISTINCT person_key, month FROM weeks WHERE month IS NOT NULL),
persons AS (
    SELECT DISTINCT person_key FROM audit.statement_evidence_outcomes
    WHERE statement_id = $statement_id AND item_key = $item_key
)
SELECT 'benefits' AS source, file_name, file_sha256, line_number, person_key FROM weeks
UNION ALL
SELECT 'income', run.income_file, i.income_sha256, i.line_number, i.person_key
FROM months m
JOIN audit.statement_evidence_runs run ON run.statement_id = $statement_id
JOIN audit.source_income_lines i
  ON i.load_id = run.income_load_id AND i.person_key = m.person_key AND i.month = m.month
UNION ALL
SELECT 'referrals', run.referrals_file, x.referrals_sha256, x.line_number, x.person_key
FROM persons p
JOIN audit.statement_evidence_runs run ON run.statement_id = $statement_id
JOIN audit.source_referral_lines x
  ON x.load_id = run.referrals_load_id AND x.contract_id = run.contract_id AND x.person_key = p.person_key
