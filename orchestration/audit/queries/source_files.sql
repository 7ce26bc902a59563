-- Every source file behind one statement line, with the number of its lines used and of the
-- evidence rows that cite them (a benefit line can cite several weeks), from the view audit.trace.
SELECT source, file_name, file_sha256,
       count(DISTINCT line_number) AS lines_used,
       count(*) AS evidence_rows,
       count(DISTINCT person_key) AS participants
FROM audit.trace
WHERE statement_id = $statement_id AND line_no = $line_no AND source IS NOT NULL
GROUP BY source, file_name, file_sha256
ORDER BY CASE source WHEN 'benefits' THEN 1 WHEN 'income' THEN 2 ELSE 3 END, file_name
