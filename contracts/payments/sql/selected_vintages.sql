-- The selected vintages the marts were built from, with the month they were built for.
SELECT run_month, source, file_name, file_sha256, vintage FROM marts.dim_selected_vintages ORDER BY source
