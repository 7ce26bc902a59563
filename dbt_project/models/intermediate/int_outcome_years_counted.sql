{#
  Follow-up year k of each participant (weeks 52(k-1)+1 ... 52k): its week counts by status and
  its outcome status (outcomes.md, "Follow-up years"), first that applies:
    pending  weeks_not_covered > 0 (not yet verifiable)
    full     weeks_self_supporting >= full_weeks
    partial  weeks_self_supporting + weeks_partial >= partial_weeks
    none     otherwise
#}
with counted as (
    select
        participant_id,
        follow_up_year,
        sum(case when status = 'self_supporting' then weeks else 0 end) as weeks_self_supporting,
        sum(case when status = 'partial' then weeks else 0 end) as weeks_partial,
        sum(case when status = 'public_support' then weeks else 0 end) as weeks_public_support,
        sum(case when status = 'not_covered' then weeks else 0 end) as weeks_not_covered
    from {{ ref('int_participant_weeks_summed') }}
    where follow_up_year >= 1
    group by participant_id, follow_up_year
)

select
    y.participant_id,
    p.contract_id,
    p.person_key,
    y.follow_up_year,
    cast(y.weeks_self_supporting as integer) as weeks_self_supporting,
    cast(y.weeks_partial as integer) as weeks_partial,
    cast(y.weeks_public_support as integer) as weeks_public_support,
    cast(y.weeks_not_covered as integer) as weeks_not_covered,
    case
        when y.weeks_not_covered > 0 then 'pending'
        when y.weeks_self_supporting >= c.full_weeks then 'full'
        when y.weeks_self_supporting + y.weeks_partial >= c.partial_weeks then 'partial'
        else 'none'
    end as outcome_status
from counted as y
inner join {{ ref('int_participants_classified') }} as p
    on p.participant_id = y.participant_id
inner join {{ ref('stg_contract_terms__contracts') }} as c
    on c.contract_id = p.contract_id
