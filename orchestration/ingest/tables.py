"""The tables ingest writes (`audit.*`, `raw.*`); see docs/architecture.md."""

from __future__ import annotations

import duckdb

DDL = """
CREATE SCHEMA IF NOT EXISTS raw;
CREATE SCHEMA IF NOT EXISTS audit;
CREATE TABLE IF NOT EXISTS audit.warehouse_key (key_fingerprint VARCHAR NOT NULL, created_at TIMESTAMP NOT NULL);
CREATE TABLE IF NOT EXISTS audit.loads (
    load_id INTEGER PRIMARY KEY, source VARCHAR NOT NULL, file_name VARCHAR NOT NULL,
    file_sha256 VARCHAR NOT NULL, vintage DATE, rows_read INTEGER, rows_loaded INTEGER,
    rows_quarantined INTEGER, status VARCHAR NOT NULL, message VARCHAR, loaded_at TIMESTAMP NOT NULL,
    file_format VARCHAR, coverage_start DATE, coverage_end DATE, quarantine_threshold DECIMAL(9, 6));
CREATE TABLE IF NOT EXISTS audit.quarantine (
    load_id INTEGER NOT NULL, file_name VARCHAR NOT NULL, line_number INTEGER, column_name VARCHAR,
    reason VARCHAR NOT NULL, person_key VARCHAR);
CREATE TABLE IF NOT EXISTS raw.referrals (
    load_id INTEGER NOT NULL, file_sha256 VARCHAR NOT NULL, line_number INTEGER NOT NULL,
    contract_id VARCHAR NOT NULL, person_key VARCHAR NOT NULL, referral_date DATE NOT NULL, start_date DATE);
CREATE TABLE IF NOT EXISTS raw.benefit_persons (
    load_id INTEGER NOT NULL, file_sha256 VARCHAR NOT NULL, line_number INTEGER NOT NULL,
    person_key VARCHAR NOT NULL);
CREATE TABLE IF NOT EXISTS raw.benefit_weeks (
    load_id INTEGER NOT NULL, file_sha256 VARCHAR NOT NULL, line_number INTEGER NOT NULL,
    person_key VARCHAR NOT NULL, week_start DATE NOT NULL, benefit_code BIGINT NOT NULL);
CREATE TABLE IF NOT EXISTS raw.income_lines (
    load_id INTEGER NOT NULL, file_sha256 VARCHAR NOT NULL, line_number INTEGER NOT NULL,
    person_key VARCHAR NOT NULL, se_nr VARCHAR NOT NULL, period_start DATE NOT NULL,
    period_end DATE NOT NULL, income_type VARCHAR NOT NULL, a_income DECIMAL(18, 2) NOT NULL,
    hours DECIMAL(18, 2) NOT NULL, correction VARCHAR);
CREATE TABLE IF NOT EXISTS raw.income_line_months (
    load_id INTEGER NOT NULL, file_sha256 VARCHAR NOT NULL, line_number INTEGER NOT NULL,
    person_key VARCHAR NOT NULL, income_type VARCHAR NOT NULL, month DATE NOT NULL,
    hours DECIMAL(18, 2) NOT NULL);
CREATE TABLE IF NOT EXISTS raw.income_uncovered_months (
    load_id INTEGER NOT NULL, person_key VARCHAR NOT NULL, month DATE NOT NULL, reason VARCHAR NOT NULL);
CREATE TABLE IF NOT EXISTS raw.selected_vintages (
    run_month VARCHAR NOT NULL, source VARCHAR NOT NULL, load_id INTEGER NOT NULL,
    file_name VARCHAR NOT NULL, file_sha256 VARCHAR NOT NULL, vintage DATE NOT NULL,
    coverage_start DATE, coverage_end DATE);
CREATE TABLE IF NOT EXISTS raw.current_run (run_month VARCHAR NOT NULL);
"""


def create_ingest_tables(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(DDL)
