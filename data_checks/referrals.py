"""The municipality's referral list (`referrals/referrals_<YYYY-MM-DD>.csv`)."""

from __future__ import annotations

import pandera.polars as pa
import polars as pl
from pandera.api.polars.types import PolarsData

from data_checks.base import ExtractSchema, not_null, present_or_valid
from data_checks.values import is_valid_cpr, normalised_cpr, parsed_date

REQUIRED_COLUMNS = ("contract_id", "cpr", "referral_date", "start_date")


class ReferralSchema(ExtractSchema):
    """One referred citizen per contract; `(contract_id, cpr)` unique within the file."""

    contract_id: str = pa.Field(nullable=True)
    cpr: str = pa.Field(nullable=True)
    referral_date: str = pa.Field(nullable=True)
    start_date: str = pa.Field(nullable=True)
    #: The file's as-of date (from its name): no date may lie after it.
    as_of: pl.Date

    @pa.check("contract_id", "cpr", "referral_date", name="missing_value", ignore_na=False)
    def _required(cls, data: PolarsData) -> pl.LazyFrame:
        return not_null(data)

    @pa.check("cpr", name="invalid_cpr", ignore_na=False)
    def _cpr(cls, data: PolarsData) -> pl.LazyFrame:
        return present_or_valid(data, is_valid_cpr(pl.col("cpr")))

    @pa.check("cpr", name="duplicate", ignore_na=False)
    def _unique_per_contract(cls, data: PolarsData) -> pl.LazyFrame:
        key = pl.when(is_valid_cpr(pl.col("cpr"))).then(normalised_cpr(pl.col("cpr")))
        duplicated = pl.struct(pl.col("contract_id"), key).is_duplicated()
        return data.lazyframe.select(key.is_null() | pl.col("contract_id").is_null() | ~duplicated)

    @pa.check("referral_date", "start_date", name="invalid_date", ignore_na=False)
    def _date(cls, data: PolarsData) -> pl.LazyFrame:
        return present_or_valid(data, parsed_date(pl.col(data.key)).is_not_null())

    @pa.check("referral_date", "start_date", name="after_as_of", ignore_na=False)
    def _not_after_as_of(cls, data: PolarsData) -> pl.LazyFrame:
        return data.lazyframe.select((parsed_date(pl.col(data.key)) <= pl.col("as_of")).fill_null(True))

    @pa.check("start_date", name="before_referral", ignore_na=False)
    def _start_after_referral(cls, data: PolarsData) -> pl.LazyFrame:
        start, referral = parsed_date(pl.col("start_date")), parsed_date(pl.col("referral_date"))
        return data.lazyframe.select((start >= referral).fill_null(True))
