{#
  One row per contract x benefit group: the weekly rate that values the group's weeks
  (the contract's own rate where its terms list the group, else the reference rate for the
  contract's price year) and the group's week status under the contract's resolved lists.
  A group in both lists is self-supporting (status precedence: rule 2 before rule 3).
#}
with contracts as (
    select contract_id, price_year
    from {{ ref('stg_contract_terms__contracts') }}
),

status_groups as (
    select
        contract_id,
        benefit_group,
        max(case when week_status = 'self_supporting' then 1 else 0 end) as in_self_supporting,
        max(case when week_status = 'partial' then 1 else 0 end) as in_partial
    from {{ ref('stg_contract_terms__status_groups') }}
    group by contract_id, benefit_group
)

select
    c.contract_id,
    g.benefit_group,
    coalesce(o.weekly_rate_dkk, r.weekly_rate_dkk) as weekly_rate_dkk,
    case
        when o.weekly_rate_dkk is not null then 'contract'
        when r.weekly_rate_dkk is not null then 'reference'
    end as rate_source,
    coalesce(s.in_self_supporting, 0) = 1 as is_self_supporting,
    coalesce(s.in_partial, 0) = 1 as is_partial
from contracts as c
cross join {{ ref('benefit_groups') }} as g
left join {{ ref('stg_contract_terms__weekly_rates') }} as o
    on o.contract_id = c.contract_id and o.benefit_group = g.benefit_group
left join {{ ref('benefit_rates') }} as r
    on r.benefit_group = g.benefit_group and r.price_year = c.price_year
left join status_groups as s
    on s.contract_id = c.contract_id and s.benefit_group = g.benefit_group
