"""What parsing and validating one file yields, before anything is written."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import polars as pl

from data_checks.values import is_valid_cpr, normalised_cpr
from orchestration.ingest.reading import TextExtract

#: Quarantine records as they leave a source module: the normalised CPR (valid ones only) is
#: turned into a person key by the loader and never stored.
QUARANTINE_SCHEMA = {"line_number": pl.Int64, "column_name": pl.String, "reason": pl.String,
                     "cpr10": pl.String}


@dataclass
class PreparedLoad:
    rows_read: int
    #: raw table name → rows to insert; a `cpr10` column is pseudonymised on insert.
    tables: dict[str, pl.DataFrame]
    quarantine: pl.DataFrame
    coverage_start: date | None = None
    coverage_end: date | None = None
    #: raw table → the raw table of the same load whose row on the same line holds the person key
    #: (the benefit week cells take it from their person row instead of carrying the CPR).
    person_key_by_line: dict[str, str] = field(default_factory=dict)

    @property
    def rows_quarantined(self) -> int:
        lines = self.quarantine.filter(pl.col("line_number").is_not_null())
        return lines.get_column("line_number").n_unique()

    @property
    def rows_loaded(self) -> int:
        return self.rows_read - self.rows_quarantined


def line_quarantine(records: pl.DataFrame, frame: pl.DataFrame, extract: TextExtract,
                    cpr_column: str) -> pl.DataFrame:
    """Finish the records of one frame: name the column of an incomplete line, keep only that
    record for it, and attach the normalised CPR where the line's CPR is valid."""
    header = extract.header
    columns = pl.DataFrame({"position": range(len(header)), "named": header},
                           schema={"position": pl.Int64, "named": pl.String})
    broken = records.filter(pl.col("reason").is_in(["wrong_field_count", "blank_line"]))
    first_missing = (
        frame.select("line_number", "field_count")
        .join(broken.select("line_number").unique(), on="line_number")
        .with_columns(
            pl.when(pl.col("field_count") < len(header))
            .then(pl.col("field_count").clip(0, len(header) - 1))
            .otherwise(len(header) - 1)
            .alias("position")
        )
        .join(columns, on="position", how="left")
        .select("line_number", "named")
    )
    whole_lines = (
        broken.join(first_missing, on="line_number", how="left")
        .select("line_number", pl.col("named").alias("column_name"), "reason")
        .unique(subset=["line_number"], keep="first")
    )
    values = records.filter(~pl.col("line_number").is_in(whole_lines.get_column("line_number").implode()))
    cprs = frame.select(
        "line_number",
        pl.when(is_valid_cpr(pl.col(cpr_column))).then(normalised_cpr(pl.col(cpr_column))).alias("cpr10"),
    )
    return (
        pl.concat([values.select("line_number", "column_name", "reason"), whole_lines])
        .join(cprs, on="line_number", how="left")
        .select(pl.col(name).cast(dtype) for name, dtype in QUARANTINE_SCHEMA.items())
        .sort("line_number", "column_name")
    )


def valid_lines(frame: pl.DataFrame, quarantine: pl.DataFrame) -> pl.DataFrame:
    bad = quarantine.get_column("line_number").drop_nulls().unique().implode()
    return frame.filter(~pl.col("line_number").is_in(bad))
