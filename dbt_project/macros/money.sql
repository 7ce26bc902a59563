{#
  Money: one type, DECIMAL(18,2). `money(expr)` rounds a DECIMAL expression to two decimals,
  half away from zero, and casts it to DECIMAL(18,2). Only ever apply it to DECIMAL expressions:
  ROUND on DECIMAL rounds half away from zero on DuckDB and Spark alike; on DOUBLE it does not
  (2.675 is not exactly representable). Sums of DECIMAL(18,2) values are exact and only need
  `money_type()` for the output cast.
#}
{% macro money_type() -%}
    decimal(18, 2)
{%- endmacro %}

{% macro money(expression) -%}
    cast(round({{ expression }}, 2) as {{ money_type() }})
{%- endmacro %}
