{#
  One row per ISO week (identified by its Monday) that any participant-week can fall in, with the
  public labels: `YYYY-Www` (ISO week-numbering year) and the `YYYY-MM` month of the week's
  Thursday. Generated once, so labels are never computed per participant-week.
#}
{{ config(materialized='table') }}

with bounds as (
    select
        min({{ add_days('p.start_week_monday', '-7 * 52') }}) as first_monday,  -- week -51
        cast(max(c.follow_up_years) as integer) as max_years,
        max(p.start_week_monday) as last_week_one
    from {{ ref('int_participants_classified') }} as p
    inner join {{ ref('stg_contract_terms__contracts') }} as c
        on c.contract_id = p.contract_id
    where p.start_week_monday is not null
),

span as (
    select
        first_monday,
        {{ int_div(datediff_days('first_monday', 'last_week_one'), '7') }} + 52 * max_years as last_offset
    from bounds
),

offsets as (
    select
        first_monday,
        {{ integer_series('0', 'last_offset') }} as week_offset
    from span
    where first_monday is not null
),

mondays as (
    select {{ add_days('first_monday', '7 * week_offset') }} as week_start
    from offsets
)

select
    week_start,
    cast({{ iso_week_label('week_start') }} as varchar) as iso_week,
    {{ month_start(add_days('week_start', 3)) }} as month_start,
    cast({{ month_label(add_days('week_start', 3)) }} as varchar) as month
from mondays
