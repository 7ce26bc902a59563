"""Referral lists: parse, validate, and the rows to load."""

from __future__ import annotations

import polars as pl

from data_checks import ReferralSchema, quarantine_records
from data_checks.referrals import REQUIRED_COLUMNS
from data_checks.values import normalised_cpr, parsed_date
from orchestration.ingest.landing import LandedFile
from orchestration.ingest.prepared import PreparedLoad, line_quarantine, valid_lines
from orchestration.ingest.reading import read_extract

def prepare(file: LandedFile, raw: bytes) -> PreparedLoad:
    extract = read_extract(file, raw, REQUIRED_COLUMNS)
    frame = extract.lines.select(
        "line_number", "field_count", "header_field_count",
        *extract.text_columns(REQUIRED_COLUMNS),
        pl.lit(file.vintage, dtype=pl.Date).alias("as_of"),
    )
    quarantine = line_quarantine(quarantine_records(ReferralSchema, frame), frame, extract, "cpr")
    rows = valid_lines(frame, quarantine).select(
        "line_number",
        "contract_id",
        normalised_cpr(pl.col("cpr")).alias("cpr10"),
        parsed_date(pl.col("referral_date")).alias("referral_date"),
        parsed_date(pl.col("start_date")).alias("start_date"),
    )
    return PreparedLoad(extract.rows_read, {"raw.referrals": rows}, quarantine)
