"""A plain reader of extract files, independent of the generator, for checking what it wrote."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

NUMBER = re.compile(r"-?\d+(,\d{1,2})?")
TRAILER = re.compile(r"#records;(\d+)")


@dataclass
class CsvFile:
    header: list[str]
    rows: list[list[str]]
    line_end: str
    trailer: int | None

    def column(self, name: str) -> list[str]:
        i = self.header.index(name)
        return [row[i] for row in self.rows]

    def records(self) -> list[dict[str, str]]:
        return [dict(zip(self.header, row, strict=True)) for row in self.rows]


def read_csv(path: Path, encoding: str = "utf-8") -> CsvFile:
    text = Path(path).read_bytes().decode(encoding)
    line_end = "\r\n" if "\r\n" in text else "\n"
    assert text.endswith(line_end), "the last line ends with a line end"
    lines = text[: -len(line_end)].split(line_end)
    assert all("\r" not in line and "\n" not in line for line in lines), "mixed line ends"
    trailer = None
    match = TRAILER.fullmatch(lines[-1])
    if match:
        trailer = int(match.group(1))
        lines = lines[:-1]
    header = lines[0].split(";")
    rows = [line.split(";") for line in lines[1:]]
    assert all(len(row) == len(header) for row in rows), "every line has the header's fields"
    return CsvFile(header=header, rows=rows, line_end=line_end, trailer=trailer)
