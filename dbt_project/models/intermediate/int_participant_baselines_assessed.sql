{#
  Each participant's pre-period: how many of its 52 weeks are covered and whether the baseline is
  complete (all 52 covered). baseline_complete is null for contracts without a baseline.
#}
with pre_period as (
    select
        participant_id,
        sum(case when status <> 'not_covered' then weeks else 0 end) as pre_period_weeks_covered
    from {{ ref('int_participant_weeks_summed') }}
    where follow_up_year = 0
    group by participant_id
)

select
    p.participant_id,
    p.contract_id,
    p.person_key,
    cast(coalesce(w.pre_period_weeks_covered, 0) as integer) as pre_period_weeks_covered,
    case
        when c.has_baseline then coalesce(w.pre_period_weeks_covered, 0) = 52
    end as baseline_complete
from {{ ref('int_participants_classified') }} as p
inner join {{ ref('stg_contract_terms__contracts') }} as c
    on c.contract_id = p.contract_id
left join pre_period as w
    on w.participant_id = p.participant_id
where p.excluded_reason is null
