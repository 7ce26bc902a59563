"""Income-register extracts: parse, validate, the rows to load, and the months they cover.

Allocation of hours to months and the negative-month rule run in DuckDB after the lines are
inserted (`ALLOCATE_SQL`), set-based and in exact integer arithmetic.
"""

from __future__ import annotations

from datetime import date

import polars as pl

from data_checks import IncomeSchema, quarantine_records
from data_checks.income import REQUIRED_COLUMNS
from data_checks.values import normalised_cpr, parsed_date, parsed_number
from orchestration.ingest.landing import LandedFile
from orchestration.ingest.prepared import PreparedLoad, line_quarantine, valid_lines
from orchestration.ingest.reading import read_extract


def prepare(file: LandedFile, raw: bytes) -> PreparedLoad:
    assert file.vintage is not None
    extract = read_extract(file, raw, REQUIRED_COLUMNS)
    frame = extract.lines.select(
        "line_number", "field_count", "header_field_count",
        *extract.text_columns(REQUIRED_COLUMNS),
        pl.lit(file.vintage, dtype=pl.Date).alias("coverage_end"),
    )
    quarantine = line_quarantine(quarantine_records(IncomeSchema, frame), frame, extract, "cpr")
    rows = valid_lines(frame, quarantine).select(
        "line_number",
        normalised_cpr(pl.col("cpr")).alias("cpr10"),
        "se_nr",
        parsed_date(pl.col("period_start")).alias("period_start"),
        parsed_date(pl.col("period_end")).alias("period_end"),
        "income_type",
        parsed_number(pl.col("a_income")).alias("a_income"),
        parsed_number(pl.col("hours")).alias("hours"),
        "correction",
    )
    coverage_start = None
    if rows.height:
        earliest: date = rows.get_column("period_start").min()  # type: ignore[assignment]
        coverage_start = earliest.replace(day=1)
    uncovered = _uncovered_by_quarantine(frame, quarantine, coverage_start, file.vintage)
    return PreparedLoad(
        extract.rows_read,
        {"raw.income_lines": rows, "raw.income_uncovered_months": uncovered},
        quarantine,
        coverage_start=coverage_start,
        coverage_end=file.vintage,
    )


def _uncovered_by_quarantine(frame: pl.DataFrame, quarantine: pl.DataFrame,
                             coverage_start: date | None, coverage_end: date) -> pl.DataFrame:
    """Months (within the income coverage) of quarantined lines whose CPR is valid and whose
    period is readable: that person's months are *not covered* (extracts.md)."""
    bad = (
        quarantine.filter(pl.col("cpr10").is_not_null())
        .select("line_number", "cpr10").unique()
        .join(frame.select("line_number", "period_start", "period_end"), on="line_number")
        .select(
            "cpr10",
            parsed_date(pl.col("period_start")).alias("start"),
            parsed_date(pl.col("period_end")).alias("end"),
        )
        .filter(pl.col("start").is_not_null() & pl.col("end").is_not_null()
                & (pl.col("start") <= pl.col("end")))
    )
    empty = pl.DataFrame(schema={"cpr10": pl.String, "month": pl.Date, "reason": pl.String})
    if coverage_start is None or bad.height == 0:
        return empty
    months = (
        bad.select(
            "cpr10",
            pl.date_ranges(pl.col("start").dt.month_start(), pl.col("end").dt.month_start(),
                           interval="1mo").alias("month"),
        )
        .explode("month")
        .filter(pl.col("month").is_between(coverage_start, coverage_end))
        .unique()
        .with_columns(pl.lit("quarantined_income_line").alias("reason"))
    )
    return months.select(empty.columns) if months.height else empty


#: Allocate every loaded line of load `$load_id` to the months of its period, pro rata by days
#: (both ends inclusive): round(hours × days in month ÷ days, 2) half away from zero, computed on
#: whole øre-hundredths so no binary float is involved.
ALLOCATE_SQL = """
INSERT INTO raw.income_line_months
WITH line_months AS (
    SELECT load_id, file_sha256, line_number, person_key, income_type, period_start, period_end,
           CAST(hours * 100 AS BIGINT) AS hundredths,
           CAST(unnest(generate_series(date_trunc('month', period_start),
                                       date_trunc('month', period_end),
                                       INTERVAL 1 MONTH)) AS DATE) AS month
    FROM raw.income_lines WHERE load_id = $load_id
), shares AS (
    SELECT *,
           hundredths * (least(period_end, last_day(month)) - greatest(period_start, month) + 1) AS numerator,
           period_end - period_start + 1 AS days
    FROM line_months
)
SELECT load_id, file_sha256, line_number, person_key, income_type, month,
       CAST(CAST(sign(numerator) * ((abs(numerator) * 2 + days) // (2 * days)) AS DECIMAL(18, 0))
            * CAST(0.01 AS DECIMAL(3, 2)) AS DECIMAL(18, 2)) AS hours
FROM shares
"""

#: Person-months whose employment hours (type 00) sum below zero: a data error, not covered.
NEGATIVE_MONTHS_SQL = """
SELECT person_key, month
FROM raw.income_line_months
WHERE load_id = $load_id AND income_type = '00'
GROUP BY person_key, month
HAVING sum(hours) < 0
"""
