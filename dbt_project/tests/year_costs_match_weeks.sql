-- Audit memo — a complete year's actual cost is the sum of its weeks' costs
-- Invariant: for every complete (not pending) follow-up year, actual_cost_dkk equals the exact
--            sum of cost_dkk over the year's 52 participant-weeks.
-- Why here:  the years are computed from a summary table (int_participant_weeks_summed), not
--            from the weeks directly; this recomputes the figure along the direct path.
-- Nulls:     a complete year has 52 covered weeks with a cost each, so neither side may be
--            null (compared with IS DISTINCT FROM).
with week_costs as (
    select w.participant_id, w.follow_up_year, sum(w.cost_dkk) as cost_dkk
    from {{ ref('int_participant_weeks_classified') }} as w
    where w.follow_up_week >= 1
    group by w.participant_id, w.follow_up_year
)

select y.contract_id, y.person_key, y.follow_up_year, y.actual_cost_dkk, wc.cost_dkk
from {{ ref('fct_outcome_years') }} as y
inner join {{ ref('int_participants_classified') }} as p
    on p.contract_id = y.contract_id and p.person_key = y.person_key
left join week_costs as wc
    on wc.participant_id = p.participant_id and wc.follow_up_year = y.follow_up_year
where y.outcome_status <> 'pending'
  and y.actual_cost_dkk is distinct from wc.cost_dkk
