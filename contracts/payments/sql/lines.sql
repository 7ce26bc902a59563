-- A line is `new amount − Σ amounts already posted for the key` when non-zero; lines are numbered
-- from 1 in item_key order by Unicode code point (`encode`: UTF-8 bytes compared bytewise, the
-- same order whatever collation a session sets).
-- The explanation: for a new item what it rests on; for an adjustment what changed in the item
-- (status, basis, price, cap reduction), or why it vanished; then, after '; ', which recorded
-- inputs changed since the contract's previous statement.
CREATE OR REPLACE TEMP TABLE pay_lines AS
WITH keyed AS (
    SELECT coalesce(i.contract_id, p.contract_id) AS contract_id,
           coalesce(i.item_key, p.item_key) AS item_key,
           CASE WHEN i.item_key IS NOT NULL THEN i.person_key ELSE p.person_key END AS person_key,
           CASE WHEN i.item_key IS NOT NULL THEN i.outcome_id ELSE p.outcome_id END AS outcome_id,
           CASE WHEN i.item_key IS NOT NULL THEN i.follow_up_year ELSE p.follow_up_year END AS follow_up_year,
           p.item_key IS NOT NULL AS was_posted,
           i.item_key IS NOT NULL AS in_entitlement,
           CAST(coalesce(p.posted_dkk, 0) AS DECIMAL(18,2)) AS previous_amount_dkk,
           CAST(coalesce(i.amount_dkk, 0) AS DECIMAL(18,2)) AS new_amount_dkk,
           i.price_dkk, i.reduction_dkk, i.evidence_status, i.basis
    FROM pay_items i
    FULL OUTER JOIN pay_posted p ON p.contract_id = i.contract_id AND p.item_key = i.item_key
), delta AS (
    SELECT *, CAST(new_amount_dkk - previous_amount_dkk AS DECIMAL(18,2)) AS amount_dkk
    FROM keyed WHERE new_amount_dkk <> previous_amount_dkk
), explained AS (
    SELECT d.*, c.statement_id, c.change_cause,
           prev.price_dkk AS prev_price, prev.reduction_dkk AS prev_reduction,
           prev.evidence_status AS prev_status, prev.basis AS prev_basis,
           prev.achievement_week AS prev_week,
           dp.person_key IS NOT NULL AS on_referral_list, dp.excluded_reason,
           oc.outcome_id IS NOT NULL AS outcome_in_terms, oc.requires_outcome_id AS outcome_requires,
           y.outcome_status AS current_year_status,
           so.streak_status AS current_streak_status,
           CAST(so.achievement_week AS INTEGER) AS current_streak_week
    FROM delta d
    JOIN pay_contracts c USING (contract_id)
    LEFT JOIN pay_previous_items prev
      ON prev.contract_id = d.contract_id AND prev.item_key = d.item_key
    LEFT JOIN marts.dim_participants dp
      ON dp.contract_id = d.contract_id AND dp.person_key = d.person_key
    LEFT JOIN marts.dim_rate_card_outcomes oc
      ON oc.contract_id = d.contract_id AND oc.outcome_id = d.outcome_id
     AND c.mechanism = 'rate_card' AND d.person_key IS NOT NULL
    LEFT JOIN marts.fct_outcome_years y
      ON y.contract_id = d.contract_id AND y.person_key = d.person_key
     AND y.follow_up_year = d.follow_up_year AND d.follow_up_year > 0
    LEFT JOIN marts.fct_streak_outcomes so
      ON so.contract_id = d.contract_id AND so.person_key = d.person_key
     AND so.outcome_id = d.outcome_id AND d.follow_up_year = 0
)
SELECT contract_id, statement_id,
       CAST(row_number() OVER (PARTITION BY contract_id ORDER BY encode(item_key)) AS INTEGER) AS line_no,
       item_key, person_key, outcome_id, CAST(follow_up_year AS INTEGER) AS follow_up_year,
       CASE WHEN was_posted THEN 'adjustment' ELSE 'outcome' END AS kind,
       previous_amount_dkk, new_amount_dkk, amount_dkk,
       CASE
         WHEN NOT was_posted THEN
           basis || CASE WHEN reduction_dkk > 0
                         THEN ' (price ' || CAST(price_dkk AS VARCHAR) || ', cut by '
                              || CAST(reduction_dkk AS VARCHAR) || ' under a cap)'
                         ELSE '' END
         WHEN NOT in_entitlement THEN
           CASE
             WHEN person_key IS NOT NULL AND NOT on_referral_list THEN 'person no longer on the referral list'
             WHEN person_key IS NOT NULL AND excluded_reason IS NOT NULL
               THEN 'participant now excluded (' || excluded_reason || ')'
             WHEN person_key IS NOT NULL AND NOT outcome_in_terms
               THEN 'outcome ' || outcome_id || ' no longer in the terms'
             WHEN follow_up_year > 0 AND prev_status IS DISTINCT FROM current_year_status
               THEN 'year ' || follow_up_year || ' status ' || coalesce(prev_status, '?') || ' → '
                    || coalesce(current_year_status, 'no longer reported')
             WHEN follow_up_year = 0 AND (current_streak_status IS DISTINCT FROM 'verified'
                                          OR current_streak_week IS DISTINCT FROM prev_week)
               THEN coalesce(prev_basis, 'verified streak') || ' → '
                    || coalesce('streak ' || current_streak_status, 'no longer reported')
                    || coalesce(' in follow-up week ' || current_streak_week, '')
             WHEN person_key IS NOT NULL AND outcome_requires IS NOT NULL
               THEN 'required outcome ' || outcome_requires || ' no longer achieved by follow-up week '
                    || coalesce(CAST(prev_week AS VARCHAR), '?')
             ELSE outcome_id || ' no longer in the entitlement'
           END || ': reversed to 0'
         WHEN prev_basis IS NULL THEN 'verified again: ' || basis
         WHEN follow_up_year > 0 AND prev_status IS DISTINCT FROM evidence_status
           THEN 'year ' || follow_up_year || ' status ' || prev_status || ' → ' || evidence_status
         WHEN prev_basis <> basis THEN prev_basis || ' → ' || basis
         WHEN prev_price <> price_dkk
           THEN 'price ' || CAST(prev_price AS VARCHAR) || ' → ' || CAST(price_dkk AS VARCHAR)
         WHEN prev_reduction <> reduction_dkk
           THEN 'cap reduction ' || CAST(prev_reduction AS VARCHAR) || ' → ' || CAST(reduction_dkk AS VARCHAR)
         ELSE 'entitlement changed from ' || CAST(previous_amount_dkk AS VARCHAR) || ' to '
              || CAST(new_amount_dkk AS VARCHAR)
       END || CASE WHEN was_posted THEN coalesce('; ' || change_cause, '') ELSE '' END AS explanation
FROM explained
