{#
  Calendar helpers. DuckDB-only syntax (`isodow`, `strftime` week labels, DATE + INTEGER, `//`,
  `generate_series` in the select list) lives here behind `adapter.dispatch`, so the models stay
  portable: another adapter needs only its own `<adapter>__` variant of these few macros.
  Weeks are identified inside the warehouse by their Monday (a DATE).
#}

{# ISO day of week: Monday = 1 ... Sunday = 7 #}
{% macro iso_day_of_week(date_expr) -%}
    {{ return(adapter.dispatch('iso_day_of_week', 'outcome_ledger')(date_expr)) }}
{%- endmacro %}
{% macro default__iso_day_of_week(date_expr) -%}
    cast(extract(isodow from {{ date_expr }}) as integer)
{%- endmacro %}
{% macro duckdb__iso_day_of_week(date_expr) -%}
    cast(isodow({{ date_expr }}) as integer)
{%- endmacro %}
{% macro spark__iso_day_of_week(date_expr) -%}
    cast(((dayofweek({{ date_expr }}) + 5) % 7) + 1 as integer)
{%- endmacro %}

{# DATE plus a whole number of days (may be negative) -> DATE #}
{% macro add_days(date_expr, days_expr) -%}
    {{ return(adapter.dispatch('add_days', 'outcome_ledger')(date_expr, days_expr)) }}
{%- endmacro %}
{% macro default__add_days(date_expr, days_expr) -%}
    cast(({{ date_expr }}) + (cast(({{ days_expr }}) as integer) * interval '1' day) as date)
{%- endmacro %}
{% macro duckdb__add_days(date_expr, days_expr) -%}
    (({{ date_expr }}) + cast(({{ days_expr }}) as integer))
{%- endmacro %}
{% macro spark__add_days(date_expr, days_expr) -%}
    date_add(({{ date_expr }}), cast(({{ days_expr }}) as integer))
{%- endmacro %}

{# Monday of the ISO week containing the date (a Sunday belongs to the week that ends that day) #}
{% macro iso_week_monday(date_expr) -%}
    {{ outcome_ledger.add_days(date_expr, '1 - ' ~ outcome_ledger.iso_day_of_week(date_expr)) }}
{%- endmacro %}

{# Monday of follow-up week w, week 1 being the ISO week that starts on start_week_monday (the
   week containing start_date): week w starts 7(w-1) days later, so 53-week ISO years need no
   special case. The one definition of a follow-up week's date (outcomes.md, "Participant-weeks"). #}
{% macro follow_up_week_monday(start_week_monday, week_expr) -%}
    {{ outcome_ledger.add_days(start_week_monday, '7 * ((' ~ week_expr ~ ') - 1)') }}
{%- endmacro %}

{# ISO week label `YYYY-Www`, YYYY = ISO week-numbering year (2024-12-30 -> 2025-W01) #}
{% macro iso_week_label(date_expr) -%}
    {{ return(adapter.dispatch('iso_week_label', 'outcome_ledger')(date_expr)) }}
{%- endmacro %}
{% macro default__iso_week_label(date_expr) -%}
    to_char({{ date_expr }}, 'IYYY-"W"IW')
{%- endmacro %}
{% macro duckdb__iso_week_label(date_expr) -%}
    strftime({{ date_expr }}, '%G-W%V')
{%- endmacro %}
{% macro spark__iso_week_label(date_expr) -%}
    {#- the ISO year is the calendar year of the week's Thursday -#}
    concat(cast(year(date_add({{ date_expr }}, 4 - {{ spark__iso_day_of_week(date_expr) }})) as string),
           '-W', lpad(cast(weekofyear({{ date_expr }}) as string), 2, '0'))
{%- endmacro %}

{# First day of the calendar month of a date -> DATE #}
{% macro month_start(date_expr) -%}
    cast(date_trunc('month', {{ date_expr }}) as date)
{%- endmacro %}

{# Month label `YYYY-MM` #}
{% macro month_label(date_expr) -%}
    {{ return(adapter.dispatch('month_label', 'outcome_ledger')(date_expr)) }}
{%- endmacro %}
{% macro default__month_label(date_expr) -%}
    to_char({{ date_expr }}, 'YYYY-MM')
{%- endmacro %}
{% macro duckdb__month_label(date_expr) -%}
    strftime({{ date_expr }}, '%Y-%m')
{%- endmacro %}
{% macro spark__month_label(date_expr) -%}
    date_format({{ date_expr }}, 'yyyy-MM')
{%- endmacro %}

{# Integer division of non-negative integers, truncating -> INTEGER #}
{% macro int_div(numerator, denominator) -%}
    {{ return(adapter.dispatch('int_div', 'outcome_ledger')(numerator, denominator)) }}
{%- endmacro %}
{% macro default__int_div(numerator, denominator) -%}
    cast(floor(({{ numerator }}) / ({{ denominator }})) as integer)
{%- endmacro %}
{% macro duckdb__int_div(numerator, denominator) -%}
    cast((({{ numerator }}) // ({{ denominator }})) as integer)
{%- endmacro %}
{% macro spark__int_div(numerator, denominator) -%}
    cast((({{ numerator }}) div ({{ denominator }})) as integer)
{%- endmacro %}

{# One row per integer lo ... hi (inclusive) for each input row, in a select list #}
{% macro integer_series(lo_expr, hi_expr) -%}
    {{ return(adapter.dispatch('integer_series', 'outcome_ledger')(lo_expr, hi_expr)) }}
{%- endmacro %}
{% macro default__integer_series(lo_expr, hi_expr) -%}
    generate_series(({{ lo_expr }}), ({{ hi_expr }}))
{%- endmacro %}
{% macro duckdb__integer_series(lo_expr, hi_expr) -%}
    unnest(generate_series(({{ lo_expr }}), ({{ hi_expr }})))
{%- endmacro %}
{% macro spark__integer_series(lo_expr, hi_expr) -%}
    explode(sequence(({{ lo_expr }}), ({{ hi_expr }})))
{%- endmacro %}

{# Whole days from start_expr to end_expr (end - start) -> INTEGER #}
{% macro datediff_days(start_expr, end_expr) -%}
    {{ return(adapter.dispatch('datediff_days', 'outcome_ledger')(start_expr, end_expr)) }}
{%- endmacro %}
{% macro default__datediff_days(start_expr, end_expr) -%}
    cast({{ dbt.datediff(start_expr, end_expr, 'day') }} as integer)
{%- endmacro %}
{% macro duckdb__datediff_days(start_expr, end_expr) -%}
    cast((({{ end_expr }}) - ({{ start_expr }})) as integer)
{%- endmacro %}
{% macro spark__datediff_days(start_expr, end_expr) -%}
    datediff(({{ end_expr }}), ({{ start_expr }}))
{%- endmacro %}
