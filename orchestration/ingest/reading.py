"""Reading an extract file into text fields: encoding, lines, header, trailer, Parquet.

A file is read whole into a polars frame of physical lines (line 1 = header) split on `;`; every
field trimmed, empty → null. Parquet files are turned into the same text form (dates ISO,
decimals with a decimal comma) after their column types are checked, so one set of schemas
validates both formats.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq

from orchestration.ingest.landing import LandedFile

_BOM = b"\xef\xbb\xbf"
_TRAILER = re.compile(r"^#records;\s*(\d+)\s*$")


class FileRejected(Exception):
    """The whole file is refused; the message says why, naming line and column where there is one."""


@dataclass
class TextExtract:
    """The data lines of one file as text: `line_number`, `field_count`, `header_field_count`,
    and `fields` (the raw `;`-separated fields; `text_columns`/`clean_field` trim them)."""

    header: list[str]
    lines: pl.DataFrame
    encoding: str

    @property
    def rows_read(self) -> int:
        return self.lines.height

    def column_index(self, name: str) -> int:
        return self.header.index(name)

    def text_columns(self, names: tuple[str, ...] | list[str]) -> list[pl.Expr]:
        """Expressions picking the named header columns out of `fields` (trimmed, empty → null)."""
        return [
            clean_field(pl.col("fields").list.get(self.column_index(name), null_on_oob=True)).alias(name)
            for name in names
        ]


def decode(raw: bytes, file_name: str) -> tuple[str, str]:
    """UTF-8 (a BOM allowed), else Windows-1252; anything else is unreadable."""
    if b"\x00" in raw:
        line = raw[: raw.index(b"\x00")].count(b"\n") + 1
        raise FileRejected(f"{file_name}: unreadable: NUL byte on line {line} (not a text extract; UTF-16?)")
    if raw.startswith(_BOM):
        try:
            return raw[len(_BOM):].decode("utf-8"), "utf-8-sig"
        except UnicodeDecodeError as exc:
            line = raw[: exc.start].count(b"\n") + 1
            raise FileRejected(f"{file_name}: unreadable: has a UTF-8 BOM but invalid UTF-8 on line {line}") from None
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("cp1252"), "windows-1252"
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise FileRejected(
            f"{file_name}: unreadable: neither UTF-8 nor Windows-1252 (byte 0x{raw[exc.start]:02x} on line {line})"
        ) from None


def clean_field(field: pl.Expr) -> pl.Expr:
    """A field trimmed of surrounding whitespace; empty after trimming → null."""
    trimmed = field.str.strip_chars()
    return pl.when(trimmed == "").then(None).otherwise(trimmed)


def read_text_extract(file: LandedFile, raw: bytes, required: tuple[str, ...]) -> TextExtract:
    text, encoding = decode(raw, file.name)
    physical = text.split("\n")
    if physical and physical[-1] == "":
        physical.pop()  # the line end of the last line
    physical = [line[:-1] if line.endswith("\r") else line for line in physical]
    if not physical or not physical[0].strip():
        raise FileRejected(f"{file.name}: empty file (no header line)")
    header = [name.strip() for name in physical[0].split(";")]
    check_header(file.name, header, required)
    data = physical[1:]
    if data and data[-1].startswith("#records"):
        trailer = _TRAILER.match(data[-1])
        line_no = len(physical)
        if not trailer:
            raise FileRejected(f"{file.name}: line {line_no}: malformed record-count trailer (expected '#records;N')")
        data = data[:-1]
        if int(trailer.group(1)) != len(data):
            raise FileRejected(
                f"{file.name}: line {line_no}: trailer says {int(trailer.group(1))} records "
                f"but the file has {len(data)} data lines"
            )
    if not data:
        raise FileRejected(f"{file.name}: no data lines")
    lines = pl.DataFrame({"text": data}).with_row_index("line_number", offset=2).select(
        pl.col("line_number").cast(pl.Int64),
        pl.col("text").str.split(";").alias("fields"),  # raw fields; cleaned when picked
        pl.when(pl.col("text").str.strip_chars() == "").then(0)
        .otherwise(pl.col("text").str.count_matches(";", literal=True) + 1)
        .cast(pl.Int64).alias("field_count"),
        pl.lit(len(header), dtype=pl.Int64).alias("header_field_count"),
    )
    return TextExtract(header, lines, encoding)


_COLUMN_NAME = re.compile(r"^[^\W\d][\w .-]*$")   # a letter or _ first: never a number, date or CPR


def check_header(file_name: str, header: list[str], required: tuple[str, ...], *, text_file: bool = True) -> None:
    """Line 1 must name the columns. Its fields are quoted in a message only when they are column
    names: a file delivered without its header has a data line there, CPR number included, and no
    message may repeat it — those columns are named by position. (A Parquet file's column names
    come from its schema, never from a data row.)"""
    values = [position for position, name in enumerate(header, start=1)
              if text_file and not _COLUMN_NAME.match(name)]
    if values:
        raise FileRejected(
            f"{file_name}: line 1 is not a header line: field(s) {_positions(values)} of its {len(header)} "
            f"are not column names (is the header missing?); the first line must name the columns, "
            f"at least {', '.join(required)}")
    seen: set[str] = set()
    for position, name in enumerate(header, start=1):
        if name in seen:
            raise FileRejected(f"{file_name}: line 1, column {position}: column {name!r} appears twice")
        seen.add(name)
    missing = [name for name in required if name not in seen]
    if missing:
        raise FileRejected(
            f"{file_name}: line 1: required column(s) missing: {', '.join(missing)} "
            f"(header has: {', '.join(header[:12])}{' …' if len(header) > 12 else ''})"
        )


def _positions(numbers: list[int]) -> str:
    """[1, 2, 3, 7] -> '1-3, 7'."""
    spans: list[list[int]] = []
    for n in numbers:
        if spans and n == spans[-1][1] + 1:
            spans[-1][1] = n
        else:
            spans.append([n, n])
    return ", ".join(str(a) if a == b else f"{a}-{b}" for a, b in spans)


# --- Parquet -------------------------------------------------------------------------------

def _is_integer(t: pa.DataType) -> bool:
    return pa.types.is_integer(t)


def _is_amount(t: pa.DataType) -> bool:
    return _is_integer(t) or (pa.types.is_decimal(t) and t.scale <= 2)


def _is_text(t: pa.DataType) -> bool:
    return pa.types.is_string(t) or pa.types.is_large_string(t) or pa.types.is_string_view(t)


#: Allowed Parquet types per column (spec: extracts.md, "Parquet").
PARQUET_TYPES = {
    "cpr": _is_text, "pnr": _is_text, "se_nr": _is_text, "income_type": _is_text,
    "correction": _is_text, "contract_id": _is_text,
    "referral_date": pa.types.is_date32, "start_date": pa.types.is_date32,
    "period_start": pa.types.is_date32, "period_end": pa.types.is_date32,
    "a_income": _is_amount, "hours": _is_amount,
}


def _as_text(column: str, series: pl.Series) -> pl.Series:
    if series.dtype == pl.Date:
        return series.dt.to_string("%Y-%m-%d")
    if isinstance(series.dtype, pl.Decimal) or series.dtype.is_integer():
        text = series.cast(pl.String)
        if isinstance(series.dtype, pl.Decimal):
            text = text.str.replace(".", ",", literal=True)
        return text
    return series


def read_parquet_extract(file: LandedFile, raw: bytes, required: tuple[str, ...],
                         week_column: re.Pattern[str] | None = None) -> TextExtract:
    try:
        table = pq.read_table(pa.BufferReader(raw))
    except Exception as exc:  # noqa: BLE001 - any failure to read is "unreadable"
        # pyarrow's message may quote numbers read from the file: name the kind of error only
        raise FileRejected(f"{file.name}: unreadable Parquet file ({type(exc).__name__})") from None
    header = list(table.column_names)
    check_header(file.name, header, required, text_file=False)
    for position, name in enumerate(header, start=1):
        dtype = table.schema.field(name).type
        if name in PARQUET_TYPES:
            ok = PARQUET_TYPES[name](dtype)
        elif week_column is not None and week_column.match(name):
            ok = _is_integer(dtype) and dtype.bit_width <= 64
        else:
            continue  # columns beyond the required ones are ignored
        if not ok:
            raise FileRejected(f"{file.name}: column {position} {name!r}: wrong type {dtype}")
    if table.num_rows == 0:
        raise FileRejected(f"{file.name}: no data lines")
    used = [name for name in header
            if name in required or (week_column is not None and week_column.match(name))]
    try:
        frame = pl.from_arrow(table.select(used))
        assert isinstance(frame, pl.DataFrame)
        texts = [
            _as_text(name, frame.get_column(name)).str.strip_chars().replace("", None).alias(name)
            for name in used
        ]
    except (pl.exceptions.PolarsError, pa.ArrowException) as exc:
        raise FileRejected(f"{file.name}: unreadable Parquet columns ({type(exc).__name__})") from None
    header = used
    lines = pl.DataFrame(texts).select(
        pl.concat_list(pl.all()).alias("fields")
    ).with_row_index("line_number", offset=2).with_columns(
        pl.col("line_number").cast(pl.Int64),
        pl.lit(len(header), dtype=pl.Int64).alias("field_count"),
        pl.lit(len(header), dtype=pl.Int64).alias("header_field_count"),
    )
    return TextExtract(header, lines, "parquet")


def read_extract(file: LandedFile, raw: bytes, required: tuple[str, ...],
                 week_column: re.Pattern[str] | None = None) -> TextExtract:
    if file.file_format == "parquet":
        return read_parquet_extract(file, raw, required, week_column)
    return read_text_extract(file, raw, required)
