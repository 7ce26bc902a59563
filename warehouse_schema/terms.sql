-- The contract terms: written by the terms loader (contracts/terms/tables.py), which drops and
-- re-creates these tables at every load (in one transaction), so they always hold exactly the
-- contracts of the last load. Not run by ensure_schema: replace_schema(con, "terms").
-- Money DECIMAL(18,2); shares, factors and hours DECIMAL(20,10); decimals are written exactly.
CREATE SCHEMA IF NOT EXISTS raw;

-- One row per contract: its parties, cohort, outcome rules, valuation, and the payment
-- parameters of its mechanism (null for the others).
CREATE OR REPLACE TABLE raw.contracts (
    contract_id                VARCHAR,
    name                       VARCHAR,
    payer                      VARCHAR,
    investor                   VARCHAR,
    provider                   VARCHAR,
    mechanism                  VARCHAR,
    terms_file                 VARCHAR,
    terms_sha256               VARCHAR,
    terms_yaml                 VARCHAR,
    cohort_start_from          DATE,
    cohort_start_to            DATE,
    max_participants           INTEGER,
    follow_up_years            INTEGER,
    employment_hours_per_month DECIMAL(20,10),
    full_weeks                 INTEGER,
    partial_weeks              INTEGER,
    price_year                 INTEGER,
    payment_account            VARCHAR,
    has_baseline               BOOLEAN,
    outlay_dkk                 DECIMAL(18,2),
    investor_share             DECIMAL(20,10),
    cap_dkk                    DECIMAL(18,2),
    cap_per_participant_dkk    DECIMAL(18,2),
    cap_total_dkk              DECIMAL(18,2),
    target_year                INTEGER,
    target_share               DECIMAL(20,10),
    target_amount_dkk          DECIMAL(18,2),
    below_target               VARCHAR,
    valuation_basis            VARCHAR,
    verification_lag_months    INTEGER);

-- The resolved week-status groups (defaults applied): week_status self_supporting | partial.
CREATE OR REPLACE TABLE raw.contract_status_groups (
    contract_id   VARCHAR,
    week_status   VARCHAR,
    benefit_group VARCHAR);

-- The contract's own weekly rates per benefit group (valuation.weekly_rates).
CREATE OR REPLACE TABLE raw.contract_weekly_rates (
    contract_id     VARCHAR,
    benefit_group   VARCHAR,
    weekly_rate_dkk DECIMAL(18,2));

-- savings_share: the baseline factor of each follow-up year.
CREATE OR REPLACE TABLE raw.contract_baseline_factors (
    contract_id    VARCHAR,
    follow_up_year INTEGER,
    factor         DECIMAL(20,10));

-- Year statuses by purpose: count_savings_when | target_statuses.
CREATE OR REPLACE TABLE raw.contract_year_statuses (
    contract_id    VARCHAR,
    purpose        VARCHAR,
    outcome_status VARCHAR);

-- rate_card: the outcomes in their order (weeks and within_weeks for a streak).
CREATE OR REPLACE TABLE raw.contract_rate_card_outcomes (
    contract_id  VARCHAR,
    position     INTEGER,
    outcome_id   VARCHAR,
    kind         VARCHAR,
    weeks        INTEGER,
    within_weeks INTEGER,
    requires     VARCHAR,
    price_dkk    DECIMAL(18,2));

-- rate_card: each outcome's statuses (week statuses of a streak, year statuses of a year_status).
CREATE OR REPLACE TABLE raw.contract_outcome_statuses (
    contract_id VARCHAR,
    outcome_id  VARCHAR,
    status      VARCHAR);

-- rate_card: the follow-up years of a year_status outcome.
CREATE OR REPLACE TABLE raw.contract_outcome_years (
    contract_id    VARCHAR,
    outcome_id     VARCHAR,
    follow_up_year INTEGER);

-- The business case of the budget forecast (a contract with forecast.participants).
CREATE OR REPLACE TABLE raw.contract_forecast (
    contract_id   VARCHAR,
    participants  INTEGER,
    savings_group VARCHAR,
    success_share DECIMAL(20,10));

-- forecast.savings_per_participant_year, one row per follow-up year.
CREATE OR REPLACE TABLE raw.contract_forecast_savings (
    contract_id                 VARCHAR,
    follow_up_year              INTEGER,
    savings_per_participant_dkk DECIMAL(18,2));
