"""What every extract schema shares: the base model, the quarantine reasons, check helpers.

The schemas validate an extract *as text* (trimmed, empty → null) before anything is converted,
so a CSV file and a Parquet file (turned into the same text form) meet the same rules, and what
is validated is exactly what is then converted and loaded. Each check is named after the
quarantine reason its failures produce (`audit.quarantine.reason`). Checks never fail on a null
unless they are the `missing_value` check, so one bad value gives one record.
"""

from __future__ import annotations

import pandera.polars as pa
import polars as pl
from pandera.api.polars.types import PolarsData

#: Quarantine reasons (the `reason` column of `audit.quarantine`) and what they mean.
REASONS: dict[str, str] = {
    "missing_value": "a required value is empty",
    "invalid_cpr": "not a CPR number (DDMMYYSSSS, DDMMYY-SSSS or nine digits) with a real day-month",
    "duplicate": "the key occurs more than once in the file; every row of it is quarantined",
    "invalid_date": "not a real date written YYYY-MM-DD",
    "after_as_of": "date after the file's as-of date",
    "before_referral": "start_date before referral_date",
    "invalid_number": "not a number of the form -1234,56 (decimal comma, at most two decimals)",
    "invalid_code": "benefit code is not an integer",
    "invalid_se_nr": "SE number is not eight digits",
    "invalid_income_type": "income type is not two digits",
    "invalid_correction": "correction is neither empty nor R",
    "period_end_before_start": "period_end before period_start",
    "after_coverage_end": "period_end after the income coverage end (last day of the file's month)",
    "negative_without_correction": "negative amount or hours on a line that is not a correction (R)",
    "wrong_field_count": "the line has another number of fields than the header (e.g. truncated)",
    "blank_line": "an empty line between the header and the end of the file",
    "negative_employment_hours": "employment hours of the person-month sum to less than zero",
}


class ExtractSchema(pa.DataFrameModel):
    """Columns every extract frame carries besides its own text columns."""

    line_number: int = pa.Field(ge=2)
    #: Number of `;`-separated fields on the physical line (the header's count when complete).
    field_count: int
    #: The header's field count, the same on every row of a file.
    header_field_count: int

    @pa.check("field_count", name="wrong_field_count", ignore_na=False)
    def wrong_field_count(cls, data: PolarsData) -> pl.LazyFrame:
        return data.lazyframe.select(
            (pl.col("field_count") == pl.col("header_field_count")) | (pl.col("field_count") == 0)
        )

    @pa.check("field_count", name="blank_line", ignore_na=False)
    def blank_line(cls, data: PolarsData) -> pl.LazyFrame:
        return data.lazyframe.select(pl.col("field_count") != 0)

    class Config:
        strict = True
        coerce = False


def present_or_valid(data: PolarsData, valid: pl.Expr) -> pl.LazyFrame:
    """Null values pass (the `missing_value` check reports them); others must be `valid`."""
    return data.lazyframe.select(pl.col(data.key).is_null() | valid.fill_null(False))


def not_null(data: PolarsData) -> pl.LazyFrame:
    return data.lazyframe.select(pl.col(data.key).is_not_null())
