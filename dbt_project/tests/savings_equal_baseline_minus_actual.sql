-- Audit memo — savings = baseline − actual
-- Invariant: savings_dkk = baseline_cost_dkk − actual_cost_dkk, exactly, on every row of
--            fct_outcome_years and fct_outcome_year_savings.
-- Why here:  savings drive the savings-share payment and the savings budget entries; they
--            must be the exact difference of the two published amounts, never a value computed
--            along another path.
-- Nulls:     savings is null exactly when baseline is null (pending year, incomplete baseline,
--            no baseline); baseline is never set while actual is null (a pending year has
--            neither). Any other null pattern fails.
with all_rows as (
    select 'years' as source, contract_id, person_key, follow_up_year, cast(null as varchar) as benefit_group,
           actual_cost_dkk, baseline_cost_dkk, savings_dkk
    from {{ ref('fct_outcome_years') }}
    union all
    select 'year_groups' as source, contract_id, person_key, follow_up_year, benefit_group,
           actual_cost_dkk, baseline_cost_dkk, savings_dkk
    from {{ ref('fct_outcome_year_savings') }}
)

select *
from all_rows
where (savings_dkk is null) <> (baseline_cost_dkk is null)
   or (baseline_cost_dkk is not null and actual_cost_dkk is null)
   or savings_dkk <> baseline_cost_dkk - actual_cost_dkk
