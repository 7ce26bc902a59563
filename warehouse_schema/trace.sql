-- The evidence views and the view audit.trace. audit.trace: one row per statement line × evidence
-- row, from what was kept with each statement (payments.* and the audit evidence tables,
-- docs/trace.md), never the current marts. A line whose item is not in its statement's
-- entitlement (a reversal to 0) or has no evidence rows gets one row with evidence_kind NULL.

-- The evidence of each statement as views over what was kept (docs/trace.md): the outcome rows
-- (audit.statement_evidence_outcomes), the participant-weeks (audit.evidence_weeks, one version
-- per content, and audit.statement_evidence_persons) and the source lines by reference
-- (audit.source_income_lines, audit.source_referral_lines: rows of the statement's loads).

-- Per statement × item × person: which weeks the item's outcome rows rest on. A streak row
-- (follow-up year 0): follow-up weeks 1 … its achievement week; a year row of year k: the 52 weeks
-- of year k; a savings_year row also the pre-period weeks −51 … 0.
CREATE OR REPLACE VIEW audit.statement_evidence_spans AS
SELECT o.statement_id, r.contract_id, r.month AS statement_month, o.item_key, o.person_key,
       max(o.achievement_week) FILTER (WHERE o.follow_up_year = 0) AS streak_to,
       list(DISTINCT o.follow_up_year) FILTER (WHERE o.follow_up_year > 0) AS years,
       bool_or(o.role = 'savings_year') AS pre_period
FROM audit.statement_evidence_outcomes o
JOIN audit.statement_evidence_runs r ON r.statement_id = o.statement_id
GROUP BY o.statement_id, r.contract_id, r.month, o.item_key, o.person_key;

-- Per statement × item × person × week: the week as the statement used it (the latest version
-- written by a statement of the contract up to the statement's month) and its benefit row.
CREATE OR REPLACE VIEW audit.statement_evidence_item_week_rows AS
SELECT s.statement_id, s.item_key, s.person_key, v.follow_up_week, v.follow_up_year, v.iso_week,
       v.week_start, v.month, v.benefit_code, v.benefit_group, v.employment_hours, v.covered,
       v.status, v.cost_dkk, p.benefits_file, p.benefits_sha256, p.benefits_line
FROM audit.statement_evidence_spans s
JOIN audit.evidence_weeks v
  ON v.contract_id = s.contract_id AND v.person_key = s.person_key AND v.from_month <= s.statement_month
 AND (v.follow_up_week BETWEEN 1 AND s.streak_to
      OR (v.follow_up_week > 0 AND list_contains(s.years, v.follow_up_year))
      OR (s.pre_period AND v.follow_up_week <= 0))
LEFT JOIN audit.statement_evidence_persons p
  ON p.statement_id = s.statement_id AND p.person_key = s.person_key
QUALIFY row_number() OVER (PARTITION BY s.statement_id, s.item_key, s.person_key, v.follow_up_week
                           ORDER BY v.from_month DESC) = 1;

-- Participant-weeks used by the statement, once per person and week, with their benefit row.
CREATE OR REPLACE VIEW audit.statement_evidence_weeks AS
SELECT DISTINCT statement_id, person_key, follow_up_week, follow_up_year, iso_week, week_start, month,
       benefit_code, benefit_group, employment_hours, covered, status, cost_dkk,
       benefits_file, benefits_sha256, benefits_line
FROM audit.statement_evidence_item_week_rows;

-- Which weeks belong to which item (the bridge item -> participant-weeks).
CREATE OR REPLACE VIEW audit.statement_evidence_item_weeks AS
SELECT statement_id, item_key, person_key, follow_up_week
FROM audit.statement_evidence_item_week_rows;

-- The income lines (type 00) of the statement's income vintage behind the employment hours of
-- each person-month of its weeks (only for statements that recorded an income vintage).
CREATE OR REPLACE VIEW audit.statement_evidence_income AS
SELECT m.statement_id, m.person_key, m.month, i.income_type, r.income_file, i.income_sha256,
       i.line_number, i.allocated_hours, i.period_start, i.period_end, i.line_hours
FROM (SELECT DISTINCT statement_id, person_key, month FROM audit.statement_evidence_item_week_rows
      WHERE month IS NOT NULL) m
JOIN audit.statement_evidence_runs r ON r.statement_id = m.statement_id
JOIN audit.source_income_lines i
  ON i.load_id = r.income_load_id AND i.person_key = m.person_key AND i.month = m.month;

-- The referral line of every person the statement's evidence names.
CREATE OR REPLACE VIEW audit.statement_evidence_referrals AS
SELECT p.statement_id, r.contract_id, p.person_key, x.referral_date, x.start_date, r.referrals_file,
       x.referrals_sha256, x.line_number
FROM (SELECT DISTINCT statement_id, person_key FROM audit.statement_evidence_outcomes) p
JOIN audit.statement_evidence_runs r ON r.statement_id = p.statement_id
JOIN audit.source_referral_lines x
  ON x.load_id = r.referrals_load_id AND x.contract_id = r.contract_id AND x.person_key = p.person_key;

CREATE OR REPLACE VIEW audit.trace AS
WITH evidence AS (
    -- outcome rows: the streak or outcome-year rows the item rests on
    SELECT o.statement_id, o.item_key,
           CASE WHEN o.follow_up_year = 0 THEN 'streak_outcome' ELSE 'outcome_year' END AS evidence_kind,
           1 AS kind_order, o.role, o.person_key, o.outcome_id, o.follow_up_year,
           o.achievement_week, o.achievement_date, o.outcome_status, o.counted, o.savings_dkk,
           o.weeks_self_supporting, o.weeks_partial, o.weeks_public_support, o.weeks_not_covered,
           o.actual_cost_dkk, o.baseline_cost_dkk,
           CAST(NULL AS INTEGER) AS follow_up_week, CAST(NULL AS VARCHAR) AS iso_week,
           CAST(NULL AS DATE) AS week_start, CAST(NULL AS VARCHAR) AS evidence_month,
           CAST(NULL AS BIGINT) AS benefit_code, CAST(NULL AS VARCHAR) AS benefit_group,
           CAST(NULL AS DECIMAL(18,2)) AS employment_hours, CAST(NULL AS BOOLEAN) AS covered,
           CAST(NULL AS VARCHAR) AS status, CAST(NULL AS DECIMAL(18,2)) AS cost_dkk,
           CAST(NULL AS VARCHAR) AS income_type, CAST(NULL AS DECIMAL(18,2)) AS allocated_hours,
           CAST(NULL AS DATE) AS referral_date, CAST(NULL AS DATE) AS start_date,
           CAST(NULL AS VARCHAR) AS source, CAST(NULL AS VARCHAR) AS file_name,
           CAST(NULL AS VARCHAR) AS file_sha256, CAST(NULL AS INTEGER) AS line_number
    FROM audit.statement_evidence_outcomes o
    UNION ALL BY NAME
    -- participant-weeks and their benefit-register row
    SELECT w.statement_id, w.item_key, 'participant_week' AS evidence_kind, 2 AS kind_order,
           w.person_key, w.follow_up_year, w.follow_up_week, w.iso_week, w.week_start,
           w.month AS evidence_month, w.benefit_code, w.benefit_group, w.employment_hours,
           w.covered, w.status, w.cost_dkk,
           'benefits' AS source, w.benefits_file AS file_name, w.benefits_sha256 AS file_sha256,
           w.benefits_line AS line_number
    FROM audit.statement_evidence_item_week_rows w
    UNION ALL BY NAME
    -- the income lines behind the employment hours of the months of those weeks
    SELECT m.statement_id, m.item_key, 'income_line' AS evidence_kind, 3 AS kind_order,
           m.person_key, i.month AS evidence_month, i.income_type, i.allocated_hours,
           'income' AS source, r.income_file AS file_name, i.income_sha256 AS file_sha256,
           i.line_number
    FROM (SELECT DISTINCT statement_id, item_key, person_key, month
          FROM audit.statement_evidence_item_week_rows WHERE month IS NOT NULL) m
    JOIN audit.statement_evidence_runs r ON r.statement_id = m.statement_id
    JOIN audit.source_income_lines i
      ON i.load_id = r.income_load_id AND i.person_key = m.person_key AND i.month = m.month
    UNION ALL BY NAME
    -- the referral line of each person behind the item
    SELECT p.statement_id, p.item_key, 'referral_line' AS evidence_kind, 4 AS kind_order,
           p.person_key, r.referral_date, r.start_date,
           'referrals' AS source, r.referrals_file AS file_name, r.referrals_sha256 AS file_sha256,
           r.line_number
    FROM (SELECT DISTINCT statement_id, item_key, person_key FROM audit.statement_evidence_outcomes) p
    JOIN audit.statement_evidence_referrals r
      ON r.statement_id = p.statement_id AND r.person_key = p.person_key
)
SELECT l.statement_id, s.contract_id, s.month AS statement_month, l.line_no, l.item_key,
       coalesce(e.person_key, l.person_key) AS person_key,
       coalesce(e.outcome_id, l.outcome_id) AS outcome_id,
       coalesce(e.follow_up_year, l.follow_up_year) AS follow_up_year,
       e.evidence_kind, e.role AS evidence_role,
       e.follow_up_week, e.iso_week, e.week_start, e.evidence_month,
       e.status, e.cost_dkk, e.benefit_code, e.benefit_group, e.employment_hours, e.covered,
       e.achievement_week, e.achievement_date, e.outcome_status, e.counted, e.savings_dkk,
       e.weeks_self_supporting, e.weeks_partial, e.weeks_public_support, e.weeks_not_covered,
       e.actual_cost_dkk, e.baseline_cost_dkk,
       e.income_type, e.allocated_hours, e.referral_date, e.start_date,
       e.source, e.file_name, e.file_sha256, e.line_number,
       l.kind AS line_kind, l.previous_amount_dkk, l.new_amount_dkk, l.amount_dkk, l.explanation,
       i.price_dkk AS item_price_dkk, i.reduction_dkk AS item_reduction_dkk,
       i.amount_dkk AS item_amount_dkk, i.evidence_status AS item_evidence_status, i.basis AS item_basis,
       i.item_key IS NOT NULL AS item_in_entitlement,
       e.kind_order AS evidence_order
FROM payments.statement_lines l
JOIN payments.statements s ON s.statement_id = l.statement_id
LEFT JOIN payments.entitlement_items i ON i.statement_id = l.statement_id AND i.item_key = l.item_key
LEFT JOIN evidence e ON e.statement_id = l.statement_id AND e.item_key = l.item_key;
