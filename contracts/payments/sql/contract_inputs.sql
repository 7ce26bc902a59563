-- What each contract's statement records about its terms.
SELECT contract_id, terms_file, terms_sha256, terms_yaml, uses_employment_hours
FROM marts.dim_contracts ORDER BY contract_id
