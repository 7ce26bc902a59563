-- One item's participant-weeks per benefit group (outcomes.md, "Baseline and savings"):
--   pre_cost[p,g]        = sum of cost over p's pre-period weeks (follow-up week <= 0) of group g
--   baseline_cost[p,k,g] = round(pre_cost[p,g] x factors[k], 2), for each participant-year (p, k)
--                          the item counts (its outcome rows with follow_up_year > 0)
--   actual_cost[g]       = sum of cost over the item's weeks of group g in follow-up years >= 1
-- The weeks are the item's participant-weeks (item_weeks.sql, inlined below), the participant-
-- years its outcome rows in audit.statement_evidence_outcomes; $factors is the list of baseline
-- factors of the statement's stored terms (empty: no baseline). Weeks without a benefit group
-- carry no cost.
WITH weeks AS (
    SELECT person_key, follow_up_week, benefit_group, cost_dkk
    FROM ({item_weeks}) item_weeks
    WHERE benefit_group IS NOT NULL
),
years AS (
    SELECT DISTINCT person_key, follow_up_year
    FROM audit.statement_evidence_outcomes
    WHERE statement_id = $statement_id AND item_key = $item_key AND follow_up_year > 0
      AND role <> 'requirement'
),
pre AS (
    SELECT person_key, benefit_group, sum(cost_dkk) AS pre_cost_dkk
    FROM weeks WHERE follow_up_week <= 0
    GROUP BY person_key, benefit_group
),
baseline AS (
    SELECT p.benefit_group,
           sum(CAST(round(p.pre_cost_dkk * CAST($factors[y.follow_up_year] AS DECIMAL(20, 10)), 2)
                    AS DECIMAL(18, 2))) AS baseline_dkk
    FROM pre p JOIN years y ON y.person_key = p.person_key
    WHERE len($factors) >= y.follow_up_year
    GROUP BY p.benefit_group
),
by_group AS (
    SELECT benefit_group,
           count(*) FILTER (WHERE follow_up_week <= 0) AS pre_weeks,
           count(*) FILTER (WHERE follow_up_week > 0) AS year_weeks,
           sum(cost_dkk) FILTER (WHERE follow_up_week <= 0) AS pre_cost_dkk,
           sum(cost_dkk) FILTER (WHERE follow_up_week > 0) AS actual_dkk
    FROM weeks
    GROUP BY benefit_group
)
SELECT g.benefit_group, g.pre_weeks, g.year_weeks,
       coalesce(g.pre_cost_dkk, CAST(0 AS DECIMAL(18, 2))) AS pre_cost_dkk,
       CASE WHEN len($factors) > 0 THEN coalesce(b.baseline_dkk, CAST(0 AS DECIMAL(18, 2))) END AS baseline_dkk,
       coalesce(g.actual_dkk, CAST(0 AS DECIMAL(18, 2))) AS actual_dkk,
       CASE WHEN len($factors) > 0
            THEN coalesce(b.baseline_dkk, 0) - coalesce(g.actual_dkk, 0) END AS savings_dkk
FROM by_group g
LEFT JOIN baseline b ON b.benefit_group = g.benefit_group
ORDER BY g.benefit_group
