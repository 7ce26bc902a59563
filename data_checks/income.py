"""The income register (`income/eindkomst_<YYYY-MM>.csv`): employers' report lines."""

from __future__ import annotations

import pandera.polars as pa
import polars as pl
from pandera.api.polars.types import PolarsData

from data_checks.base import ExtractSchema, not_null, present_or_valid
from data_checks.values import is_number, is_valid_cpr, parsed_date, parsed_number

REQUIRED_COLUMNS = (
    "cpr", "se_nr", "period_start", "period_end", "income_type", "a_income", "hours", "correction",
)


class IncomeSchema(ExtractSchema):
    """One report line; every line, corrections included, counts by its own period."""

    cpr: str = pa.Field(nullable=True)
    se_nr: str = pa.Field(nullable=True)
    period_start: str = pa.Field(nullable=True)
    period_end: str = pa.Field(nullable=True)
    income_type: str = pa.Field(nullable=True)
    a_income: str = pa.Field(nullable=True)
    hours: str = pa.Field(nullable=True)
    correction: str = pa.Field(nullable=True)
    #: Last day of the month in the file name: the income coverage end.
    coverage_end: pl.Date

    @pa.check(
        "cpr", "se_nr", "period_start", "period_end", "income_type", "a_income", "hours",
        name="missing_value", ignore_na=False,
    )
    def _required(cls, data: PolarsData) -> pl.LazyFrame:
        return not_null(data)

    @pa.check("cpr", name="invalid_cpr", ignore_na=False)
    def _cpr(cls, data: PolarsData) -> pl.LazyFrame:
        return present_or_valid(data, is_valid_cpr(pl.col("cpr")))

    @pa.check("se_nr", name="invalid_se_nr", ignore_na=False)
    def _se_nr(cls, data: PolarsData) -> pl.LazyFrame:
        return present_or_valid(data, pl.col("se_nr").str.contains(r"^[0-9]{8}$"))

    @pa.check("period_start", "period_end", name="invalid_date", ignore_na=False)
    def _date(cls, data: PolarsData) -> pl.LazyFrame:
        return present_or_valid(data, parsed_date(pl.col(data.key)).is_not_null())

    @pa.check("period_end", name="period_end_before_start", ignore_na=False)
    def _period_order(cls, data: PolarsData) -> pl.LazyFrame:
        start, end = parsed_date(pl.col("period_start")), parsed_date(pl.col("period_end"))
        return data.lazyframe.select((start <= end).fill_null(True))

    @pa.check("period_end", name="after_coverage_end", ignore_na=False)
    def _within_coverage(cls, data: PolarsData) -> pl.LazyFrame:
        end = parsed_date(pl.col("period_end"))
        return data.lazyframe.select((end <= pl.col("coverage_end")).fill_null(True))

    @pa.check("income_type", name="invalid_income_type", ignore_na=False)
    def _income_type(cls, data: PolarsData) -> pl.LazyFrame:
        return present_or_valid(data, pl.col("income_type").str.contains(r"^[0-9]{2}$"))

    @pa.check("a_income", "hours", name="invalid_number", ignore_na=False)
    def _number(cls, data: PolarsData) -> pl.LazyFrame:
        return present_or_valid(data, is_number(pl.col(data.key)))

    @pa.check("a_income", "hours", name="negative_without_correction", ignore_na=False)
    def _negative_only_on_correction(cls, data: PolarsData) -> pl.LazyFrame:
        negative = parsed_number(pl.col(data.key)) < 0
        return data.lazyframe.select(~negative.fill_null(False) | (pl.col("correction") == "R").fill_null(False))

    @pa.check("correction", name="invalid_correction", ignore_na=False)
    def _correction(cls, data: PolarsData) -> pl.LazyFrame:
        return present_or_valid(data, pl.col("correction") == "R")
