-- Audit memo — baseline completeness agrees with the benefit coverage
-- Invariant: for a participant of a contract with a baseline, baseline_complete is true exactly
--            when the benefit vintage covers all 52 pre-period weeks, i.e. its coverage starts
--            on or before the Monday of week -51 and ends on or after the Sunday of week 0.
--            For other contracts and for excluded referrals it is null.
-- Why here:  a pre-period week only needs the benefit vintage, so completeness is a pure
--            interval question; this recomputes it independently of the week rows.
-- Nulls:     a missing benefit vintage counts as no coverage (baseline incomplete).
with coverage as (
    select max(coverage_start) as coverage_start, max(coverage_end) as coverage_end
    from {{ ref('stg_selected_vintages__vintages') }}
    where source = 'benefits'
),

expected as (
    select
        p.contract_id,
        p.person_key,
        case
            when p.excluded_reason is null and c.has_baseline then coalesce(
                cov.coverage_start <= {{ add_days('p.start_week_monday', '-7 * 52') }}
                and cov.coverage_end >= {{ add_days('p.start_week_monday', '-1') }},
                false)
        end as baseline_complete
    from {{ ref('int_participants_classified') }} as p
    inner join {{ ref('stg_contract_terms__contracts') }} as c
        on c.contract_id = p.contract_id
    cross join coverage as cov
)

select d.contract_id, d.person_key, d.baseline_complete, e.baseline_complete as expected
from {{ ref('dim_participants') }} as d
inner join expected as e
    on e.contract_id = d.contract_id and e.person_key = d.person_key
where d.baseline_complete is distinct from e.baseline_complete
