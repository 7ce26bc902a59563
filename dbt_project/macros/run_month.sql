{#
  The run's month, `YYYY-MM`, passed as `--vars '{run_month: "YYYY-MM"}'`.
  Parsing works without it (the manifest is built before any run); executing a model that needs
  it fails with a clear message instead of silently selecting no vintage.
#}
{% macro run_month() -%}
    {%- set month = var('run_month', none) -%}
    {%- if month is not none -%}
        {%- set month = month | string | trim -%}
    {%- endif -%}
    {%- if execute and (month is none or not modules.re.match('^[0-9]{4}-(0[1-9]|1[0-2])$', month)) -%}
        {{ exceptions.raise_compiler_error(
            "outcome_ledger needs the run month as a dbt var in the form YYYY-MM, e.g. "
            ~ "--vars '{run_month: \"2024-06\"}' (got: " ~ (month if month is not none else 'nothing') ~ ")") }}
    {%- endif -%}
    {{- return(month) -}}
{%- endmacro %}
