-- The covered participant-weeks on a ladder week that no row of the refusion ladder values
-- (finance.md: such a week stops the run before any statement), by financing, number and date.
SELECT g.financing, w.ladder_week, CAST(w.week_start AS DATE) + 3 AS thursday,
       count(*) AS participant_weeks
FROM marts.fct_participant_weeks w
JOIN marts.dim_benefit_groups g USING (benefit_group)
WHERE w.ladder_week IS NOT NULL AND w.municipal_share IS NULL
GROUP BY ALL
ORDER BY thursday, g.financing, w.ladder_week
