-- Audit memo — the per-group amounts add up to the year
-- Invariant: for every participant-year, the sums over benefit groups of actual_cost_dkk,
--            baseline_cost_dkk and savings_dkk in fct_outcome_year_savings equal the amounts of
--            fct_outcome_years exactly (baseline = sum of per-group rounded amounts).
-- Why here:  budget entries are booked per group from fct_outcome_year_savings while the
--            payment uses fct_outcome_years; both must tell the same total.
-- Nulls:     a null year amount must have only null group amounts and vice versa
--            (compared with IS NOT DISTINCT FROM); a year without group rows counts as null.
with group_sums as (
    select contract_id, person_key, follow_up_year,
           sum(actual_cost_dkk) as actual_cost_dkk,
           sum(baseline_cost_dkk) as baseline_cost_dkk,
           sum(savings_dkk) as savings_dkk,
           count(actual_cost_dkk) as n_actual, count(*) as n_rows,
           count(baseline_cost_dkk) as n_baseline
    from {{ ref('fct_outcome_year_savings') }}
    group by contract_id, person_key, follow_up_year
)

select y.contract_id, y.person_key, y.follow_up_year
from {{ ref('fct_outcome_years') }} as y
left join group_sums as g
    on g.contract_id = y.contract_id and g.person_key = y.person_key
    and g.follow_up_year = y.follow_up_year
where y.actual_cost_dkk is distinct from g.actual_cost_dkk
   or y.baseline_cost_dkk is distinct from g.baseline_cost_dkk
   or y.savings_dkk is distinct from g.savings_dkk
   or coalesce(g.n_actual not in (0, g.n_rows), false)
   or coalesce(g.n_baseline not in (0, g.n_rows), false)
