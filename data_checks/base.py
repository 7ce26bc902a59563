"""What every extract schema shares: the base model and check helpers.

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
