-- Schema audit: what ingest records about every landed file, and the evidence kept with every
-- issued statement (docs/trace.md). Rows are only ever inserted.
CREATE SCHEMA IF NOT EXISTS audit;

-- The key the warehouse's person keys were made with (its fingerprint; one row).
CREATE TABLE IF NOT EXISTS audit.warehouse_key (key_fingerprint VARCHAR NOT NULL, created_at TIMESTAMP NOT NULL);

-- One row per landed file seen, and one per rejected value.
CREATE TABLE IF NOT EXISTS audit.loads (
    load_id INTEGER PRIMARY KEY, source VARCHAR NOT NULL, file_name VARCHAR NOT NULL,
    file_sha256 VARCHAR NOT NULL,
    vintage DATE,                    -- the as-of date from the file name
    rows_read INTEGER, rows_loaded INTEGER, rows_quarantined INTEGER,
    status VARCHAR NOT NULL,         -- loaded | skipped | rejected
    message VARCHAR, loaded_at TIMESTAMP NOT NULL,
    file_format VARCHAR,             -- csv | parquet
    coverage_start DATE, coverage_end DATE,  -- inclusive dates the file covers (null for referrals)
    quarantine_threshold DECIMAL(9, 6));
CREATE TABLE IF NOT EXISTS audit.quarantine (
    load_id INTEGER NOT NULL, file_name VARCHAR NOT NULL, line_number INTEGER, column_name VARCHAR,
    reason VARCHAR NOT NULL,
    person_key VARCHAR);             -- null when the CPR was invalid

-- One row per statement whose evidence was recorded: the marker "done", and which loads the
-- evidence was copied from.
CREATE TABLE IF NOT EXISTS audit.statement_evidence_runs (
    statement_id       VARCHAR   NOT NULL PRIMARY KEY,
    contract_id        VARCHAR   NOT NULL,
    month              VARCHAR   NOT NULL,
    recorded_at        TIMESTAMP NOT NULL,   -- UTC
    referrals_load_id  INTEGER,
    referrals_file     VARCHAR,
    referrals_sha256   VARCHAR,
    benefits_load_id   INTEGER,
    benefits_file      VARCHAR,
    benefits_sha256    VARCHAR,
    income_load_id     INTEGER,              -- null: the contract uses no income
    income_file        VARCHAR,
    income_sha256      VARCHAR,
    outcome_rows       INTEGER   NOT NULL,
    week_rows          INTEGER   NOT NULL,
    income_rows        INTEGER   NOT NULL,
    referral_rows      INTEGER   NOT NULL
);

-- The outcome rows each entitlement item rests on (payments.item_evidence), with the
-- outcome-year figures and the streak row as the marts had them when the statement was issued.
CREATE TABLE IF NOT EXISTS audit.statement_evidence_outcomes (
    statement_id           VARCHAR NOT NULL,
    item_key               VARCHAR NOT NULL,
    role                   VARCHAR NOT NULL,  -- streak | outcome_year | requirement | savings_year | cohort_year
    person_key             VARCHAR NOT NULL,
    outcome_id             VARCHAR,           -- rate card: the outcome (the required one for requirement)
    follow_up_year         INTEGER NOT NULL,  -- 0 for a streak
    achievement_week       INTEGER,           -- streak: follow-up week where it completes; year k: 52k
    outcome_status         VARCHAR,           -- year status, or streak status
    counted                BOOLEAN NOT NULL,  -- cohort_year: success; otherwise true
    savings_dkk            DECIMAL(18,2),     -- savings_year: the savings counted in S
    weeks_self_supporting  INTEGER,           -- year rows: fct_outcome_years as used
    weeks_partial          INTEGER,
    weeks_public_support   INTEGER,
    weeks_not_covered      INTEGER,
    actual_cost_dkk        DECIMAL(18,2),
    baseline_cost_dkk      DECIMAL(18,2),
    achievement_date       DATE               -- streak rows: Monday of the achievement week
);

-- The benefit-register row behind each person's participant-weeks, per statement (one row per
-- statement and person whose weeks the evidence uses; the weeks themselves are in
-- audit.evidence_weeks, stored once per content).
CREATE TABLE IF NOT EXISTS audit.statement_evidence_persons (
    statement_id     VARCHAR NOT NULL,
    person_key       VARCHAR NOT NULL,
    benefits_file    VARCHAR,
    benefits_sha256  VARCHAR,
    benefits_line    INTEGER,
    PRIMARY KEY (statement_id, person_key)
);

-- Participant-weeks as statements used them, stored once per content: a row is a version of the
-- week (contract × person × follow-up week) that holds for the contract's statements from
-- `from_month` on, until a newer version. A statement's weeks are, for every week its outcome
-- rows rest on, the latest version with from_month <= its month (the views in trace.sql). A new
-- version is written only when a statement uses a week whose content differs from the latest one.
CREATE TABLE IF NOT EXISTS audit.evidence_weeks (
    contract_id       VARCHAR NOT NULL,
    person_key        VARCHAR NOT NULL,
    follow_up_week    INTEGER NOT NULL,
    from_month        VARCHAR NOT NULL,      -- YYYY-MM: the month of the statement that wrote it
    follow_up_year    INTEGER NOT NULL,
    iso_week          VARCHAR,
    week_start        DATE,
    month             VARCHAR,               -- YYYY-MM of the week's Thursday
    benefit_code      BIGINT,
    benefit_group     VARCHAR,
    employment_hours  DECIMAL(18,2),
    covered           BOOLEAN,
    status            VARCHAR,
    cost_dkk          DECIMAL(18,2)
);

-- The run's cohort when the statement was issued, as the command line printed it beside the
-- statement (orchestration/summary.py: participants, years verified, years pending), for the
-- report's chart of years verified over the contract's statements. Written with the evidence.
CREATE TABLE IF NOT EXISTS audit.statement_cohort (
    statement_id    VARCHAR NOT NULL PRIMARY KEY,
    participants    INTEGER NOT NULL,   -- dim_participants without an excluded_reason
    years_verified  INTEGER NOT NULL,   -- fct_outcome_years rows that are complete
    years_pending   INTEGER NOT NULL    -- fct_outcome_years rows still pending
);
