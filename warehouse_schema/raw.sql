-- Schema raw: what ingest loads (docs/architecture.md). Every row of an extract keeps the load,
-- its file's SHA-256 and its line in the file; nothing here is public.
CREATE SCHEMA IF NOT EXISTS raw;

-- One row per loaded referral line.
CREATE TABLE IF NOT EXISTS raw.referrals (
    load_id INTEGER NOT NULL, file_sha256 VARCHAR NOT NULL, line_number INTEGER NOT NULL,
    contract_id VARCHAR NOT NULL, person_key VARCHAR NOT NULL, referral_date DATE NOT NULL, start_date DATE);

-- One row per loaded person row of a benefit file, and one per non-empty week cell.
CREATE TABLE IF NOT EXISTS raw.benefit_persons (
    load_id INTEGER NOT NULL, file_sha256 VARCHAR NOT NULL, line_number INTEGER NOT NULL,
    person_key VARCHAR NOT NULL);
CREATE TABLE IF NOT EXISTS raw.benefit_weeks (
    load_id INTEGER NOT NULL, file_sha256 VARCHAR NOT NULL, line_number INTEGER NOT NULL,
    person_key VARCHAR NOT NULL,
    week_start DATE NOT NULL,        -- Monday of the ISO week of the column
    benefit_code BIGINT NOT NULL);

-- One row per loaded income line; its hours allocated to the months of its period; and the
-- person-months that are not covered (a quarantined line with a readable period, or negative
-- type-00 hours).
CREATE TABLE IF NOT EXISTS raw.income_lines (
    load_id INTEGER NOT NULL, file_sha256 VARCHAR NOT NULL, line_number INTEGER NOT NULL,
    person_key VARCHAR NOT NULL, se_nr VARCHAR NOT NULL, period_start DATE NOT NULL,
    period_end DATE NOT NULL, income_type VARCHAR NOT NULL, a_income DECIMAL(18, 2) NOT NULL,
    hours DECIMAL(18, 2) NOT NULL, correction VARCHAR);
CREATE TABLE IF NOT EXISTS raw.income_line_months (
    load_id INTEGER NOT NULL, file_sha256 VARCHAR NOT NULL, line_number INTEGER NOT NULL,
    person_key VARCHAR NOT NULL, income_type VARCHAR NOT NULL,
    month DATE NOT NULL,             -- first day of the month
    hours DECIMAL(18, 2) NOT NULL);  -- round(hours × days in month ÷ days, 2), half away from 0
CREATE TABLE IF NOT EXISTS raw.income_uncovered_months (
    load_id INTEGER NOT NULL, person_key VARCHAR NOT NULL, month DATE NOT NULL, reason VARCHAR NOT NULL);

-- The run's selection: per run month and source, the selected vintage; and the current month.
CREATE TABLE IF NOT EXISTS raw.selected_vintages (
    run_month VARCHAR NOT NULL, source VARCHAR NOT NULL, load_id INTEGER NOT NULL,
    file_name VARCHAR NOT NULL, file_sha256 VARCHAR NOT NULL, vintage DATE NOT NULL,
    coverage_start DATE, coverage_end DATE);
CREATE TABLE IF NOT EXISTS raw.current_run (run_month VARCHAR NOT NULL);
