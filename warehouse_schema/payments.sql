-- Schema payments: the public tables of warehouse.md plus the engine's own records.
-- Every table is append-only: the engine inserts the rows of newly issued statements and never
-- updates or deletes a row (docs/payments.md, "Immutability"). Columns beyond the spec's minimum
-- are appended after the spec's columns so that `SELECT *` shows the spec's columns first.
CREATE SCHEMA IF NOT EXISTS payments;

-- One statement per contract and month.
CREATE TABLE IF NOT EXISTS payments.statements (
    statement_id               VARCHAR   NOT NULL PRIMARY KEY,  -- <contract_id>:<YYYY-MM>
    contract_id                VARCHAR   NOT NULL,
    month                      VARCHAR   NOT NULL,  -- YYYY-MM
    issued_at                  TIMESTAMP NOT NULL,  -- UTC, outside the hash
    entitlement_to_date_dkk    DECIMAL(18,2) NOT NULL,  -- sum of the current items
    lines_total_dkk            DECIMAL(18,2) NOT NULL,
    offset_brought_forward_dkk DECIMAL(18,2) NOT NULL,  -- <= 0
    amount_payable_dkk         DECIMAL(18,2) NOT NULL,  -- max(total, 0)
    offset_carried_forward_dkk DECIMAL(18,2) NOT NULL,  -- min(total, 0)
    terms_sha256               VARCHAR   NOT NULL,
    referrals_file             VARCHAR   NOT NULL,
    referrals_sha256           VARCHAR   NOT NULL,
    benefits_file              VARCHAR   NOT NULL,
    benefits_sha256            VARCHAR   NOT NULL,
    income_file                VARCHAR,  -- null: contract needs no income
    income_sha256              VARCHAR,
    reference_files            VARCHAR   NOT NULL,  -- JSON object: file name -> SHA-256
    product_version            VARCHAR   NOT NULL,
    statement_sha256           VARCHAR   NOT NULL,
    total_dkk                  DECIMAL(18,2) NOT NULL,  -- lines_total + offset_brought_forward
    git_commit                 VARCHAR,  -- when known; recorded, not compared
    line_count                 INTEGER   NOT NULL,
    UNIQUE (contract_id, month)
);

-- The lines: deltas per item key against everything posted in the contract's earlier statements.
CREATE TABLE IF NOT EXISTS payments.statement_lines (
    statement_id        VARCHAR NOT NULL,
    line_no             INTEGER NOT NULL,  -- from 1, item_key in code-point order
    item_key            VARCHAR NOT NULL,
    person_key          VARCHAR,  -- null for contract-level items
    outcome_id          VARCHAR NOT NULL,  -- item name for contract-level items
    follow_up_year      INTEGER,  -- 0 for streaks; null for contract-level items
    kind                VARCHAR NOT NULL,  -- outcome | adjustment
    previous_amount_dkk DECIMAL(18,2) NOT NULL,
    new_amount_dkk      DECIMAL(18,2) NOT NULL,
    amount_dkk          DECIMAL(18,2) NOT NULL,  -- new - previous, never 0
    explanation         VARCHAR,
    PRIMARY KEY (statement_id, line_no)
);

CREATE TABLE IF NOT EXISTS payments.budget_entries (
    statement_id   VARCHAR NOT NULL,
    budget_year    INTEGER NOT NULL,  -- the year of the statement's month
    account        VARCHAR NOT NULL,
    kind           VARCHAR NOT NULL,  -- payment | savings | refusion
    amount_dkk     DECIMAL(18,2) NOT NULL,  -- never 0
    benefit_group  VARCHAR  -- savings and refusion entries: the group; null for payment
);

-- The entitlement to date as the statement computed it, one row per item (zero amounts too).
CREATE TABLE IF NOT EXISTS payments.entitlement_items (
    statement_id     VARCHAR NOT NULL,
    item_key         VARCHAR NOT NULL,
    person_key       VARCHAR,
    outcome_id       VARCHAR NOT NULL,
    follow_up_year   INTEGER,
    achievement_week INTEGER,  -- rate card: follow-up week w, or 52k for year k
    achievement_date DATE,  -- Monday of that week
    price_dkk        DECIMAL(18,2) NOT NULL,  -- before caps
    reduction_dkk    DECIMAL(18,2) NOT NULL,  -- cut by caps
    amount_dkk       DECIMAL(18,2) NOT NULL,  -- price - reduction
    evidence_status  VARCHAR,  -- year status of a year item; 'verified' for a streak
    basis            VARCHAR NOT NULL,  -- what the item rests on, in words
    PRIMARY KEY (statement_id, item_key)
);

-- The outcome rows each item rests on, as this statement used them (for the trace).
CREATE TABLE IF NOT EXISTS payments.item_evidence (
    statement_id     VARCHAR NOT NULL,
    item_key         VARCHAR NOT NULL,
    role             VARCHAR NOT NULL,  -- outcome_year | streak | requirement | savings_year | cohort_year
    person_key       VARCHAR NOT NULL,
    outcome_id       VARCHAR,  -- rate-card outcome (the required one for 'requirement')
    follow_up_year   INTEGER NOT NULL,  -- 0 for streak rows
    achievement_week INTEGER,
    outcome_status   VARCHAR,  -- year status, or streak_status for streak rows
    savings_dkk      DECIMAL(18,2),  -- savings_year rows
    counted          BOOLEAN NOT NULL  -- cohort_year: success; otherwise true
);

-- Verified savings per benefit group (savings_share only): the base of the next statement's
-- "change since the previous statement" — in the contract's basis, gross and municipal (finance.md).
CREATE TABLE IF NOT EXISTS payments.statement_savings (
    statement_id          VARCHAR NOT NULL,
    benefit_group         VARCHAR NOT NULL,
    account               VARCHAR,
    verified_savings_dkk  DECIMAL(18,2) NOT NULL,  -- in the contract's valuation basis
    change_dkk            DECIMAL(18,2) NOT NULL,
    verified_gross_savings_dkk     DECIMAL(18,2) NOT NULL,
    gross_change_dkk               DECIMAL(18,2) NOT NULL,
    verified_municipal_savings_dkk DECIMAL(18,2) NOT NULL,
    municipal_change_dkk           DECIMAL(18,2) NOT NULL,
    PRIMARY KEY (statement_id, benefit_group)
);

-- Amounts that get no budget entry (no account), for the statement's report.
CREATE TABLE IF NOT EXISTS payments.budget_unbooked (
    statement_id   VARCHAR NOT NULL,
    kind           VARCHAR NOT NULL,  -- payment | savings | refusion
    benefit_group  VARCHAR,
    amount_dkk     DECIMAL(18,2) NOT NULL,  -- the amount an entry would have booked
    reason         VARCHAR NOT NULL
);

-- The budget forecast of every issuing run, per contract (finance.md, "Budget forecast"): per
-- budget year, account and kind, what issued statements booked and what is still expected.
-- One set of rows per run month and contract, written with the month's statements; kept.
CREATE TABLE IF NOT EXISTS payments.budget_forecast (
    forecast_month VARCHAR NOT NULL,  -- YYYY-MM: the run month
    contract_id    VARCHAR NOT NULL,
    budget_year    INTEGER NOT NULL,
    account        VARCHAR NOT NULL,
    kind           VARCHAR NOT NULL,  -- payment | savings | refusion
    actual_dkk     DECIMAL(18,2) NOT NULL,  -- Σ budget entries of issued statements up to forecast_month
    expected_dkk   DECIMAL(18,2) NOT NULL,
    total_dkk      DECIMAL(18,2) NOT NULL,  -- actual + expected
    basis          VARCHAR NOT NULL,  -- observed | business_case | none: what expected rests on
    PRIMARY KEY (forecast_month, contract_id, budget_year, account, kind)
);

-- The copies kept with each statement: its terms file and every reference file.
CREATE TABLE IF NOT EXISTS payments.statement_inputs (
    statement_id  VARCHAR NOT NULL,
    input_kind    VARCHAR NOT NULL,  -- terms | reference
    file_name     VARCHAR NOT NULL,
    file_sha256   VARCHAR NOT NULL,
    content       VARCHAR NOT NULL,
    PRIMARY KEY (statement_id, input_kind, file_name)
);
