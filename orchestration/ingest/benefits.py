"""Benefit-register extracts (DREAM layout): header rules, person rows and week cells.

The wide file becomes two frames: one row per person (`raw.benefit_persons`) and one row per
non-empty week cell (`raw.benefit_weeks`, week identified by its Monday).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

import polars as pl

from data_checks import BenefitSchema, BenefitWeekCodeSchema, quarantine_records
from data_checks.benefits import REQUIRED_COLUMNS
from data_checks.values import normalised_cpr, parsed_integer
from orchestration.ingest.landing import LandedFile
from orchestration.ingest.prepared import QUARANTINE_SCHEMA, PreparedLoad, line_quarantine, valid_lines
from orchestration.ingest.reading import FileRejected, clean_field, read_extract

WEEK_COLUMN = re.compile(r"^y_(\d{2})(\d{2})$")


@dataclass(frozen=True)
class WeekColumn:
    position: int  # 0-based index in the header
    name: str
    monday: date


def iso_year(two_digits: int) -> int:
    """Two-digit ISO week-numbering year: below 90 is 20YY, 90 and above 19YY."""
    return 2000 + two_digits if two_digits < 90 else 1900 + two_digits


def week_columns(file: LandedFile, header: list[str]) -> list[WeekColumn]:
    """The header's week columns, checked: real ISO weeks, consecutive, ending at the name's week."""
    weeks: list[WeekColumn] = []
    for position, name in enumerate(header):
        match = WEEK_COLUMN.match(name)
        if not match:
            continue
        year, week = iso_year(int(match.group(1))), int(match.group(2))
        try:
            monday = date.fromisocalendar(year, week, 1)
        except ValueError:
            raise FileRejected(
                f"{file.name}: line 1, column {position + 1} {name!r}: ISO year {year} has no week {week}"
            ) from None
        if weeks and monday != weeks[-1].monday + timedelta(days=7):
            raise FileRejected(
                f"{file.name}: line 1, column {position + 1} {name!r}: week columns must be consecutive "
                f"and in week order, but {name} follows {weeks[-1].name}"
            )
        weeks.append(WeekColumn(position, name, monday))
    if not weeks:
        raise FileRejected(f"{file.name}: line 1: no week columns (y_YYWW)")
    assert file.vintage is not None
    expected = file.vintage - timedelta(days=6)
    if weeks[-1].monday != expected:
        named = expected.isocalendar()
        raise FileRejected(
            f"{file.name}: line 1, column {weeks[-1].position + 1} {weeks[-1].name!r}: the last week "
            f"column must be the week in the file name ({named.year}W{named.week:02d})"
        )
    return weeks


def prepare(file: LandedFile, raw: bytes) -> PreparedLoad:
    extract = read_extract(file, raw, REQUIRED_COLUMNS, WEEK_COLUMN)
    weeks = week_columns(file, extract.header)
    persons = extract.lines.select(
        "line_number", "field_count", "header_field_count", *extract.text_columns(REQUIRED_COLUMNS)
    )
    person_records = quarantine_records(BenefitSchema, persons)

    week_table = pl.DataFrame(
        {"week_pos": range(len(weeks)), "week_column": [w.name for w in weeks],
         "week_start": [w.monday for w in weeks]},
        schema={"week_pos": pl.Int64, "week_column": pl.String, "week_start": pl.Date},
    )
    cells = (
        extract.lines.select(
            "line_number",
            pl.col("fields").list.gather([w.position for w in weeks], null_on_oob=True).alias("code"),
            pl.int_ranges(0, len(weeks), dtype=pl.Int64).alias("week_pos"),
        )
        .explode("code", "week_pos")
        .with_columns(clean_field(pl.col("code")).alias("code"))
        .filter(pl.col("code").is_not_null())
        .join(week_table, on="week_pos", how="left")
        .select("line_number", "week_column", "week_start", "code")
    )
    code_records = quarantine_records(BenefitWeekCodeSchema, cells.select("line_number", "week_column", "code"))
    if code_records.height:
        code_records = (
            code_records.join(cells.with_row_index("index").select(pl.col("index").cast(pl.UInt32), "week_column"),
                              on="index", how="left")
            .select("index", "line_number", pl.col("week_column").alias("column_name"), "reason")
        )
    quarantine = line_quarantine(pl.concat([person_records, code_records]), persons, extract, "pnr")
    good_persons = valid_lines(persons, quarantine).select(
        "line_number", normalised_cpr(pl.col("pnr")).alias("cpr10")
    )
    # The week cells carry no CPR: their person key is the one of their line's person row.
    good_cells = valid_lines(cells, quarantine).select(
        "line_number", "week_start", parsed_integer(pl.col("code")).alias("benefit_code"))
    return PreparedLoad(
        extract.rows_read,
        {"raw.benefit_persons": good_persons, "raw.benefit_weeks": good_cells},
        quarantine.select(list(QUARANTINE_SCHEMA)),
        coverage_start=weeks[0].monday,
        coverage_end=file.vintage,
        person_key_by_line={"raw.benefit_weeks": "raw.benefit_persons"},
    )
