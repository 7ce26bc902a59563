-- Every table and view of the warehouse, as schema.name.
SELECT schema_name || '.' || table_name FROM duckdb_tables() WHERE database_name = current_database()
UNION ALL
SELECT schema_name || '.' || view_name FROM duckdb_views() WHERE database_name = current_database()
