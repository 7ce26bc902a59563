INSERT INTO payments.statements BY NAME
SELECT t.statement_id, t.contract_id, $month AS month, $issued_at AS issued_at,
       t.entitlement_to_date_dkk, t.lines_total_dkk, t.offset_brought_forward_dkk,
       t.amount_payable_dkk, t.offset_carried_forward_dkk,
       i.terms_sha256, i.referrals_file, i.referrals_sha256, i.benefits_file, i.benefits_sha256,
       i.income_file, i.income_sha256, i.reference_files, i.product_version,
       h.statement_sha256, t.total_dkk, i.git_commit, t.line_count
FROM pay_statement_totals t
JOIN pay_inputs i ON i.contract_id = t.contract_id
JOIN pay_hashes h ON h.statement_id = t.statement_id
WHERE t.is_new
ORDER BY t.statement_id
