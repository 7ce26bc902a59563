-- The contracts of the run: those with a terms file now (dim_contracts is rebuilt every run).
SELECT contract_id, terms_sha256 FROM marts.dim_contracts ORDER BY contract_id
