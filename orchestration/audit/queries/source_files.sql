-- Every source file behind one entitlement item, with the number of its lines used, of the
-- evidence rows citing them (a benefit line can cite several weeks) and of the participants they
-- cover, from item_source_lines.sql (inlined below).
SELECT source, file_name, file_sha256,
       count(DISTINCT line_number) AS lines_used,
       count(*) AS evidence_rows,
       count(DISTINCT person_key) AS participants
FROM ({item_source_lines}) source_lines
GROUP BY source, file_name, file_sha256
ORDER BY CASE source WHEN 'benefits' THEN 1 WHEN 'income' THEN 2 ELSE 3 END, file_name
