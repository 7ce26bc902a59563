"""The benefit register (`benefits/dream_<YYYY>W<WW>.csv`): one row per person, one column per week.

The wide file is validated as two frames: the person rows (`BenefitSchema`) and the week cells
in long form (`BenefitWeekCodeSchema`, one row per non-empty cell), so 100,000 persons × 300
weeks stay columnar. Header rules (consecutive weeks, last week = file name) are whole-file rules
checked before this (see `orchestration.ingest.benefits`).
"""

from __future__ import annotations

import pandera.polars as pa
import polars as pl
from pandera.api.polars.types import PolarsData

from data_checks.base import ExtractSchema, not_null, present_or_valid
from data_checks.values import is_integer, is_valid_cpr, normalised_cpr

REQUIRED_COLUMNS = ("pnr",)
WEEK_COLUMN_PATTERN = r"^y_[0-9]{4}$"


class BenefitSchema(ExtractSchema):
    """One person row; `pnr` unique within the file."""

    pnr: str = pa.Field(nullable=True)

    @pa.check("pnr", name="missing_value", ignore_na=False)
    def _required(cls, data: PolarsData) -> pl.LazyFrame:
        return not_null(data)

    @pa.check("pnr", name="invalid_cpr", ignore_na=False)
    def _cpr(cls, data: PolarsData) -> pl.LazyFrame:
        return present_or_valid(data, is_valid_cpr(pl.col("pnr")))

    @pa.check("pnr", name="duplicate", ignore_na=False)
    def _unique(cls, data: PolarsData) -> pl.LazyFrame:
        key = pl.when(is_valid_cpr(pl.col("pnr"))).then(normalised_cpr(pl.col("pnr")))
        return data.lazyframe.select(key.is_null() | ~key.is_duplicated())


class BenefitWeekCodeSchema(pa.DataFrameModel):
    """One non-empty week cell: the code must be an integer (its meaning is checked per run)."""

    line_number: int = pa.Field(ge=2)
    week_column: str = pa.Field(str_matches=WEEK_COLUMN_PATTERN)
    code: str = pa.Field(nullable=False)

    @pa.check("code", name="invalid_code", ignore_na=False)
    def _integer(cls, data: PolarsData) -> pl.LazyFrame:
        return data.lazyframe.select(is_integer(pl.col("code")))

    class Config:
        strict = True
        coerce = False
