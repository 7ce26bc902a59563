"""Writing extract files exactly as the registers deliver them (CSV or typed Parquet).

Two paths: typed polars frames from the generator (fast, vectorised), and the small public
helpers (`write_benefit_file`, `write_income_file`, `write_referrals_file`) for hand-made test
cases, which write every value given as text verbatim — so a test can also write an invalid
value on purpose. The format follows the file name: `.csv` or `.parquet`.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal
from pathlib import Path

import numpy as np
import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq

from synthetic.weeks import week_columns

REFERRAL_COLUMNS = ("contract_id", "cpr", "referral_date", "start_date")
INCOME_COLUMNS = ("cpr", "se_nr", "period_start", "period_end", "income_type", "a_income",
                  "hours", "correction")
MONEY = pl.Decimal(18, 2)

Trailer = bool | int | None  # None/False: no trailer; True: the data-line count; int: this N


# -- generator path: typed frames ------------------------------------------------------------


def write_frame(path: Path, frame: pl.DataFrame, *, line_end: str = "\n",
                encoding: str = "utf-8", trailer: Trailer = None) -> Path:
    """Write a typed frame as `;`-CSV (decimal comma, empty = null) or Parquet, by suffix."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.suffix == ".parquet":
        _write_parquet(path, frame)
        return path
    options = dict(separator=";", line_terminator=line_end, null_value="", decimal_comma=True,
                   date_format="%Y-%m-%d", quote_style="necessary")
    if encoding.lower().replace("_", "-") in ("utf-8", "utf8"):
        frame.write_csv(path, **options)
    else:
        buffer = io.BytesIO()
        frame.write_csv(buffer, **options)
        path.write_bytes(buffer.getvalue().decode("utf-8").encode(encoding))
    _append_trailer(path, frame.height, trailer, line_end, encoding)
    return path


def _write_parquet(path: Path, frame: pl.DataFrame) -> None:
    """Parquet with plain Arrow types: `string` (not large/view strings), date32, decimal128."""
    table = frame.to_arrow()
    schema = pa.schema([
        pa.field(f.name, pa.string()) if pa.types.is_large_string(f.type)
        or pa.types.is_string_view(f.type) else f
        for f in table.schema
    ])
    pq.write_table(table.cast(schema), path, compression="zstd")


def benefit_frame(pnr: pl.Series, codes: np.ndarray, first_week: date,
                  dtype: pl.DataType = pl.Int16) -> pl.DataFrame:
    """`pnr` plus one integer column per week (0 in `codes` → null)."""
    names = week_columns(first_week, codes.shape[1])
    columns = [pnr.alias("pnr")]
    columns += [pl.Series(name, codes[:, j], dtype=dtype) for j, name in enumerate(names)]
    return pl.DataFrame(columns).with_columns(pl.col(names).replace(0, None))


def cents_to_money(column: str) -> pl.Expr:
    """Integer cents → DECIMAL(18,2), exactly."""
    return (pl.col(column).cast(pl.Decimal(38, 2)) / 100).cast(MONEY).alias(column)


def _append_trailer(path: Path, count: int, trailer: Trailer, line_end: str, encoding: str):
    if trailer is None or trailer is False:
        return
    n = count if trailer is True else int(trailer)
    if encoding.lower().replace("_", "-") in ("utf-8-sig", "utf8-sig"):
        encoding = "utf-8"  # the BOM starts the file, not the trailer
    with open(path, "ab") as handle:
        handle.write(f"#records;{n}{line_end}".encode(encoding))


# -- hand-made path: values as given ---------------------------------------------------------


def _text(value) -> str:
    """A value as the registers write it: dates ISO, numbers with a decimal comma."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        raise TypeError("booleans have no extract form")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, int | np.integer):
        return str(int(value))
    if isinstance(value, float):
        value = Decimal(repr(value))
    if isinstance(value, Decimal):
        return format(value, "f").replace(".", ",")
    raise TypeError(f"no extract form for {value!r}")


def _write_text(path: Path, header: Sequence[str], rows: Sequence[Sequence], *, line_end: str,
                encoding: str, trailer: Trailer) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = [";".join(header)] + [";".join(_text(v) for v in row) for row in rows]
    body = "".join(line + line_end for line in lines)
    path.write_bytes(body.encode(encoding))
    _append_trailer(path, len(rows), trailer, line_end, encoding)
    return path


def _columns(rows: Sequence[Mapping], required: Sequence[str]) -> list[str]:
    """Required columns first, then extra keys in the order they first appear."""
    names = list(required)
    for row in rows:
        names += [key for key in row if key not in names]
    return names


def write_benefit_file(path: Path, rows: Mapping[str, Sequence[int | str | None]],
                       first_week: date, line_end: str = "\r\n", encoding: str = "utf-8",
                       trailer: Trailer = None) -> Path:
    """A DREAM file: `rows` maps a CPR (as written) to its codes from the week of `first_week`.

    Name the file after its last week (`dream_<YYYY>W<WW>.csv`) unless testing a mismatch.
    """
    lengths = {len(codes) for codes in rows.values()}
    if len(lengths) > 1:
        raise ValueError(f"rows have different numbers of weeks: {sorted(lengths)}")
    weeks = lengths.pop() if lengths else 0
    header = ["pnr", *week_columns(first_week, weeks)]
    if Path(path).suffix == ".parquet":
        frame = pl.DataFrame(
            [pl.Series("pnr", list(rows), dtype=pl.String)]
            + [pl.Series(name, [codes[j] for codes in rows.values()], dtype=pl.Int32)
               for j, name in enumerate(header[1:])]
        )
        return write_frame(path, frame)
    return _write_text(path, header, [[cpr, *codes] for cpr, codes in rows.items()],
                       line_end=line_end, encoding=encoding, trailer=trailer)


def write_income_file(path: Path, lines: Sequence[Mapping], line_end: str = "\n",
                      encoding: str = "utf-8", trailer: Trailer = True) -> Path:
    """An eIndkomst file; each line a mapping of the spec's columns (missing keys are empty).

    Dates may be `date` or text, amounts `Decimal`, `int`, `float` or text (`"137,50"`).
    """
    header = _columns(lines, INCOME_COLUMNS)
    if Path(path).suffix == ".parquet":
        return write_frame(path, _typed(lines, header, dates=("period_start", "period_end"),
                                        money=("a_income", "hours")))
    return _write_text(path, header, [[line.get(c) for c in header] for line in lines],
                       line_end=line_end, encoding=encoding, trailer=trailer)


def write_referrals_file(path: Path, rows: Sequence[Mapping], line_end: str = "\r\n",
                         encoding: str = "utf-8", trailer: Trailer = None) -> Path:
    """A referral list; each row a mapping of contract_id, cpr, referral_date, start_date."""
    header = _columns(rows, REFERRAL_COLUMNS)
    if Path(path).suffix == ".parquet":
        return write_frame(path, _typed(rows, header, dates=("referral_date", "start_date")))
    return _write_text(path, header, [[row.get(c) for c in header] for row in rows],
                       line_end=line_end, encoding=encoding, trailer=trailer)


def _typed(rows: Sequence[Mapping], header: Sequence[str], *, dates: Sequence[str] = (),
           money: Sequence[str] = ()) -> pl.DataFrame:
    """Hand-made rows as the spec's typed Parquet columns."""
    def convert(name, value):
        if value is None or value == "":
            return None
        if name in dates:
            return value if isinstance(value, date) else date.fromisoformat(value)
        if name in money:
            if isinstance(value, str):
                value = value.replace(",", ".")
            elif isinstance(value, float):
                value = repr(value)
            return Decimal(value)
        return value

    series = []
    for name in header:
        values = [convert(name, row.get(name)) for row in rows]
        dtype = pl.Date if name in dates else MONEY if name in money else pl.String
        series.append(pl.Series(name, values, dtype=dtype))
    return pl.DataFrame(series)
