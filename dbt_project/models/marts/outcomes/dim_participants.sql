-- The persons whose benefit coverage starts with a ladder week (their numbers may be too low).
with left_censored as (
    select distinct person_id
    from {{ ref('int_benefit_weeks_laddered') }}
    where is_coverage_start_ladder_week
)

select
    cast(p.contract_id as varchar) as contract_id,
    cast(p.person_key as varchar) as person_key,
    cast(p.referral_date as date) as referral_date,
    cast(p.start_date as date) as start_date,
    cast(
        case when p.start_week_monday is not null then {{ iso_week_label('p.start_week_monday') }} end
        as varchar
    ) as start_week,
    cast(p.excluded_reason as varchar) as excluded_reason,
    cast(b.baseline_complete as boolean) as baseline_complete,
    cast(p.cohort_position as integer) as cohort_position,
    cast(p.benefit_register_issue as varchar) as benefit_register_issue,
    cast(b.pre_period_weeks_covered as integer) as pre_period_weeks_covered,
    cast(p.referral_file_sha256 as varchar) as referral_file_sha256,
    cast(p.referral_line as integer) as referral_line,
    cast(case when p.excluded_reason is null then lc.person_id is not null end as boolean) as ladder_left_censored
from {{ ref('int_participants_classified') }} as p
left join {{ ref('int_participant_baselines_assessed') }} as b
    on b.participant_id = p.participant_id
left join left_censored as lc
    on lc.person_id = p.person_id
