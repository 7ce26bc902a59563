{#
  The run's month, `YYYY-MM`, as a SQL expression.
  The monthly run does not pass it: the selection step writes it to `raw.current_run`, so every
  run parses the same project and dbt's partial parsing applies. `--vars '{run_month: "YYYY-MM"}'`
  still overrides it (for a build of an earlier month, or tests on hand-made raw tables); a var
  not of the form YYYY-MM fails with a clear message instead of silently selecting no vintage.
#}
{% macro run_month() -%}
    {%- set month = var('run_month', none) -%}
    {%- if month is none -%}
        (select run_month from {{ source('selected_vintages', 'current_run') }})
    {%- else -%}
        {%- set month = month | string | trim -%}
        {%- if execute and not modules.re.match('^[0-9]{4}-(0[1-9]|1[0-2])$', month) -%}
            {{ exceptions.raise_compiler_error(
                "outcome_ledger's run_month var must be a month written YYYY-MM, e.g. "
                ~ "--vars '{run_month: \"2024-06\"}' (got: " ~ month ~ ")") }}
        {%- endif -%}
        '{{ month }}'
    {%- endif -%}
{%- endmacro %}
