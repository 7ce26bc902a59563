"""Run an extract schema and turn every failure into a quarantine record.

`lazy=True` collects every failing value; the failing *values* are never kept (they may be CPR
numbers) — only the line, the column and the check's name, which is the reason.
"""

from __future__ import annotations

import pandera.polars as pa
import polars as pl
from pandera.errors import SchemaError, SchemaErrors

QUARANTINE_COLUMNS = {"index": pl.UInt32, "line_number": pl.Int64, "column_name": pl.String, "reason": pl.String}


class SchemaMismatch(Exception):
    """The frame does not have the schema's columns or types (a whole-file problem)."""


def quarantine_records(schema: type[pa.DataFrameModel], frame: pl.DataFrame) -> pl.DataFrame:
    """Validate `frame`; return one row per invalid value: index (row of `frame`), line_number,
    column_name, reason."""
    try:
        schema.validate(frame, lazy=True)
    except SchemaErrors as errors:
        cases = errors.failure_cases
    except SchemaError as error:  # pragma: no cover - lazy=True reports through SchemaErrors
        raise SchemaMismatch(str(error.reason_code)) from None
    else:
        return pl.DataFrame(schema=QUARANTINE_COLUMNS)
    structural = cases.filter(pl.col("index").is_null())
    if structural.height:
        checks = ", ".join(sorted(set(structural["check"].to_list())))
        raise SchemaMismatch(f"{schema.__name__}: {checks}")
    lines = frame.select(pl.col("line_number")).with_row_index("index")
    return (
        cases.select(
            pl.col("index").cast(pl.UInt32),
            pl.col("column").alias("column_name"),
            pl.col("check").alias("reason"),
        )
        .join(lines, on="index", how="left")
        .select("index", pl.col("line_number").cast(pl.Int64), "column_name", "reason")
        .unique()
        .sort("index", "column_name", "reason")
    )
