-- The view audit.trace: one row per statement line × evidence row, from what was kept with each
-- statement (payments.* and the audit.statement_evidence_* copies, docs/trace.md), never the
-- current marts. A line whose item is not in its statement's entitlement (a reversal to 0) or
-- has no evidence rows gets one row with evidence_kind NULL.
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
    SELECT b.statement_id, b.item_key, 'participant_week' AS evidence_kind, 2 AS kind_order,
           b.person_key, w.follow_up_year, w.follow_up_week, w.iso_week, w.week_start,
           w.month AS evidence_month, w.benefit_code, w.benefit_group, w.employment_hours,
           w.covered, w.status, w.cost_dkk,
           'benefits' AS source, w.benefits_file AS file_name, w.benefits_sha256 AS file_sha256,
           w.benefits_line AS line_number
    FROM audit.statement_evidence_item_weeks b
    JOIN audit.statement_evidence_weeks w
      ON w.statement_id = b.statement_id AND w.person_key = b.person_key
     AND w.follow_up_week = b.follow_up_week
    UNION ALL BY NAME
    -- the income lines behind the employment hours of the months of those weeks
    SELECT m.statement_id, m.item_key, 'income_line' AS evidence_kind, 3 AS kind_order,
           m.person_key, i.month AS evidence_month, i.income_type, i.allocated_hours,
           'income' AS source, i.income_file AS file_name, i.income_sha256 AS file_sha256,
           i.line_number
    FROM (SELECT DISTINCT b.statement_id, b.item_key, b.person_key, w.month
          FROM audit.statement_evidence_item_weeks b
          JOIN audit.statement_evidence_weeks w
            ON w.statement_id = b.statement_id AND w.person_key = b.person_key
           AND w.follow_up_week = b.follow_up_week) m
    JOIN audit.statement_evidence_income i
      ON i.statement_id = m.statement_id AND i.person_key = m.person_key AND i.month = m.month
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
