{#
  Follow-up year k of each participant (weeks 52(k-1)+1 ... 52k): its week counts by status and
  its outcome status (outcomes.md, "Follow-up years"):
    is_complete  no week of the year is not covered - the one definition of a complete year
    pending      not complete (not yet verifiable - never paid, never failed)
    full         weeks_self_supporting >= full_weeks
    partial      weeks_self_supporting + weeks_partial >= partial_weeks
    none         otherwise
  achievement_date: the Monday of week 52k, the achievement date of the year's outcome
  (contracts.md, rate card).
  counts_for_payment: the year is complete and its status is one the contract's payment counts -
  savings_share: a status of count_savings_when (every status when not given); cohort_target:
  the target year with a status of the target statuses; null for rate-card contracts (their
  year outcomes are judged in int_rate_card_achievements_evaluated).
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
),

judged as (
    select
        y.participant_id,
        p.contract_id,
        p.person_key,
        p.start_week_monday,
        c.mechanism,
        c.target_year,
        y.follow_up_year,
        y.weeks_self_supporting,
        y.weeks_partial,
        y.weeks_public_support,
        y.weeks_not_covered,
        y.weeks_not_covered = 0 as is_complete,
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
),

-- The year statuses each contract's payment counts (the purpose its mechanism reads).
counting_statuses as (
    select distinct s.contract_id, s.outcome_status
    from {{ ref('stg_contract_terms__year_statuses') }} as s
    inner join {{ ref('stg_contract_terms__contracts') }} as c
        on c.contract_id = s.contract_id
    where (c.mechanism = 'savings_share' and s.purpose = 'count_savings_when')
        or (c.mechanism = 'cohort_target' and s.purpose = 'target_statuses')
),

listing_contracts as (
    select distinct contract_id from counting_statuses
)

select
    j.participant_id,
    j.contract_id,
    j.person_key,
    j.follow_up_year,
    cast(j.weeks_self_supporting as integer) as weeks_self_supporting,
    cast(j.weeks_partial as integer) as weeks_partial,
    cast(j.weeks_public_support as integer) as weeks_public_support,
    cast(j.weeks_not_covered as integer) as weeks_not_covered,
    j.outcome_status,
    j.is_complete,
    {{ follow_up_week_monday('j.start_week_monday', '52 * j.follow_up_year') }} as achievement_date,
    case
        when j.mechanism = 'savings_share'
            then j.is_complete and (l.contract_id is null or cs.contract_id is not null)
        when j.mechanism = 'cohort_target'
            then j.is_complete and j.follow_up_year = j.target_year and cs.contract_id is not null
    end as counts_for_payment
from judged as j
left join listing_contracts as l
    on l.contract_id = j.contract_id
left join counting_statuses as cs
    on cs.contract_id = j.contract_id and cs.outcome_status = j.outcome_status
