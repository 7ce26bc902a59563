-- Audit memo — every figure is in the contract's valuation basis
-- Invariant: per participant, follow-up year, benefit group and status, the summed cost_dkk of
--            the weeks is the summed gross_cost_dkk under basis gross and the summed
--            municipal_cost_dkk under municipal_net; and every savings figure of a
--            participant-year and group is savings_dkk = gross_savings_dkk (gross) or
--            municipal_savings_dkk (municipal_net).
-- Why here:  the basis is applied once, to the week's cost (int_participant_weeks_classified);
--            baselines, actual costs and savings are sums of week costs, computed for the three
--            columns side by side. This checks the chosen column is the right one all the way up.
--            Read at the summed grain (small), not over every participant-week.
-- Nulls:     compared with IS DISTINCT FROM (a week not covered has no cost in any column).
with summed as (
    select s.participant_id, c.valuation_basis, s.cost_dkk, s.gross_cost_dkk, s.municipal_cost_dkk
    from {{ ref('int_participant_weeks_summed') }} as s
    inner join {{ ref('int_participants_classified') }} as p
        on p.participant_id = s.participant_id
    inner join {{ ref('stg_contract_terms__contracts') }} as c
        on c.contract_id = p.contract_id
)

select 'weeks' as grain, participant_id, valuation_basis, cost_dkk as chosen_dkk,
       gross_cost_dkk, municipal_cost_dkk
from summed
where cost_dkk is distinct from
    case when valuation_basis = 'municipal_net' then municipal_cost_dkk else gross_cost_dkk end
union all
select 'savings', null, c.valuation_basis, g.savings_dkk, g.gross_savings_dkk, g.municipal_savings_dkk
from {{ ref('fct_outcome_year_savings') }} as g
inner join {{ ref('dim_contracts') }} as c
    on c.contract_id = g.contract_id
where g.savings_dkk is distinct from
    case when c.valuation_basis = 'municipal_net' then g.municipal_savings_dkk else g.gross_savings_dkk end
