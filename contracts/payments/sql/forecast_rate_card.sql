-- rate_card: the achievements still expected and what they will add to the entitlement.
-- Slots: a streak outcome once (window end: within_weeks, else the whole follow-up), a
-- year_status outcome once per listed year k (window end: week 52k). A participant-slot is
-- pending while its achievement is open (or not yet evaluated); the participants the business
-- case still expects have every slot pending from the assumed start. A pending slot is expected
-- at price × rate in the month its window ends plus the verification lag (never before M + 1):
-- rate observed = successes / decided participant-slots of the cohort (success: verified with
-- its requirement met; decided: verified or failed), else the business case's success_share,
-- else nothing ('none'). Then the caps, as the engine applies them: per participant (after what
-- the participant is already paid), then in total (after the entitlement to date).
CREATE OR REPLACE TEMP TABLE fc_rate_expected AS
WITH slots AS (
    SELECT o.contract_id, o.outcome_id, o.outcome_position AS position, o.price_dkk,
           0 AS follow_up_year, coalesce(o.within_weeks, c.follow_up_years * 52) AS end_week
    FROM marts.dim_rate_card_outcomes o JOIN fc_contracts c USING (contract_id)
    WHERE c.mechanism = 'rate_card' AND o.outcome_kind = 'streak'
    UNION ALL
    SELECT o.contract_id, o.outcome_id, o.outcome_position, o.price_dkk, y.follow_up_year, 52 * y.follow_up_year
    FROM marts.dim_rate_card_outcomes o
    JOIN marts.dim_rate_card_outcome_years y USING (contract_id, outcome_id)
    JOIN fc_contracts c USING (contract_id)
    WHERE c.mechanism = 'rate_card' AND o.outcome_kind = 'year_status'
), achievements AS (
    SELECT a.contract_id, a.person_key, a.outcome_id, a.follow_up_year, a.achievement_status,
           a.achievement_status = 'verified' AND coalesce(a.requirement_met, TRUE) AS success
    FROM marts.fct_rate_card_achievements a JOIN pay_participants p USING (contract_id, person_key)
), rates AS (
    SELECT s.*, c.success_share,
           count(*) FILTER (WHERE a.success) AS successes,
           count(*) FILTER (WHERE a.achievement_status IN ('verified', 'failed')) AS decided
    FROM slots s JOIN fc_contracts c USING (contract_id)
    LEFT JOIN achievements a USING (contract_id, outcome_id, follow_up_year)
    GROUP BY ALL
), pending AS (
    SELECT r.*, p.person_key, CAST(date_trunc('week', d.start_date) AS DATE) AS first_monday, 1 AS n
    FROM rates r
    JOIN pay_participants p USING (contract_id)
    JOIN marts.dim_participants d USING (contract_id, person_key)
    LEFT JOIN achievements a USING (contract_id, person_key, outcome_id, follow_up_year)
    WHERE a.achievement_status IS NULL OR a.achievement_status = 'open'
    UNION ALL
    SELECT r.*, NULL, CAST(date_trunc('week', c.assumed_start) AS DATE), c.missing
    FROM rates r JOIN fc_contracts c USING (contract_id)
    WHERE c.missing > 0
), valued AS (
    SELECT p.contract_id, p.person_key, p.outcome_id, p.position, p.follow_up_year, p.n,
           greatest(CAST(date_trunc('month', p.first_monday + CAST(7 * p.end_week - 1 AS INTEGER))
                         + to_months(c.lag_months) AS DATE), c.next_month) AS verify_month,
           CASE WHEN p.decided > 0 THEN 'observed'
                WHEN p.success_share IS NOT NULL THEN 'business_case' END AS basis,
           CAST(CASE WHEN p.decided > 0 THEN fc_part(p.price_dkk, p.successes, p.decided)
                     ELSE round(p.price_dkk * p.success_share, 2) END AS DECIMAL(18,2)) AS price_dkk,
           c.cap_per_participant_dkk AS cap_pp, c.cap_total_dkk AS cap_total,
           c.entitlement_now,
           coalesce((SELECT sum(i.amount_dkk) FROM pay_rate_card_items i
                     WHERE i.contract_id = p.contract_id AND i.person_key = p.person_key), 0) AS paid_pp
    FROM pending p JOIN fc_contracts c USING (contract_id)
    WHERE p.decided > 0 OR p.success_share IS NOT NULL
), per_participant AS (
    SELECT *,
           coalesce(sum(price_dkk) OVER (
               PARTITION BY contract_id, person_key
               ORDER BY verify_month, position, follow_up_year
               ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS before_pp
    FROM valued
), after_pp AS (
    SELECT *,
           n * CASE WHEN cap_pp IS NULL THEN price_dkk
                    ELSE least(price_dkk, greatest(cap_pp - paid_pp - before_pp, 0)) END AS amount_pp
    FROM per_participant
), total AS (
    SELECT *,
           coalesce(sum(amount_pp) OVER (
               PARTITION BY contract_id
               ORDER BY verify_month, encode(coalesce(person_key, '~')), position, follow_up_year
               ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS before_total
    FROM after_pp
)
SELECT contract_id, verify_month, basis,
       CAST(CASE WHEN cap_total IS NULL THEN amount_pp
                 ELSE least(amount_pp, greatest(cap_total - entitlement_now - before_total, 0)) END
            AS DECIMAL(18,2)) AS amount_dkk
FROM total;

CREATE OR REPLACE TEMP TABLE fc_rate_steps AS
WITH monthly AS (
    SELECT contract_id, verify_month, sum(amount_dkk) AS amount,
           max(CASE basis WHEN 'business_case' THEN 2 ELSE 1 END) AS rank
    FROM fc_rate_expected GROUP BY ALL
)
SELECT m.contract_id, m.verify_month,
       CAST(c.entitlement_now + sum(m.amount) OVER w AS DECIMAL(18,2)) AS entitlement_dkk,
       max(m.rank) OVER w AS rank
FROM monthly m JOIN fc_contracts c USING (contract_id)
WINDOW w AS (PARTITION BY m.contract_id ORDER BY m.verify_month)
