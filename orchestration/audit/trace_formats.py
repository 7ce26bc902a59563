"""`trace --format csv|json`: the trace for tools.

- The summary of a contract-level line: json, one object (statement, line, item, totals, per
  follow-up year, per benefit group, largest contributors, source files, checks, drill-down);
  csv, one row per figure: `section,key,measure,value` (e.g. `per_year,1,savings_dkk,1234.50`).
- Evidence rows (`--full`, `--person`, and a person-level line, whose summary is its chain): the
  rows of the view `audit.trace` with every column, streamed from DuckDB in batches (csv: a header
  and one line per row; json: `{"statement_id", "line_no", "person_key", "rows": [...]}`).
Amounts are written as exact decimal strings (`"1234.50"`), dates and times in ISO 8601.
"""

from __future__ import annotations

import csv
import json
from dataclasses import asdict
from datetime import date, datetime
from decimal import Decimal
from typing import TextIO

import duckdb

from orchestration.audit.line_summary import LineSummary

BATCH = 10_000


def plain(value):
    """A JSON/CSV-safe value: decimals as exact strings, dates in ISO 8601."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return value


def _clean(row: dict) -> dict:
    return {k: plain(v) for k, v in row.items()}


def summary_document(summary: LineSummary, drill_down: list[tuple[str, str]]) -> dict:
    st, line = summary.statement, summary.line
    return {
        "statement": _clean({k: st[k] for k in ("statement_id", "contract_id", "month", "issued_at",
                                                "statement_sha256", "terms_sha256", "product_version")}),
        "line": _clean({k: line[k] for k in ("line_no", "item_key", "kind", "previous_amount_dkk",
                                             "new_amount_dkk", "amount_dkk", "explanation")}),
        "item": _clean(summary.item) if summary.item else None,
        "contract_level": summary.contract_level,
        "mechanism": summary.mechanism,
        "totals": _clean(summary.totals),
        "per_year": [_clean(r) for r in summary.per_year],
        "per_group": [_clean(r) for r in summary.per_group],
        "largest_contributors": [_clean(r) for r in summary.top],
        "source_files": [_clean(r) for r in summary.files],
        "checks": [{**_clean(asdict(c)), "ok": c.ok} for c in summary.checks],
        "drill_down": [{"command": c, "shows": what} for c, what in drill_down],
    }


def summary_records(summary: LineSummary) -> list[tuple]:
    """The summary as (section, key, measure, value) rows."""
    out: list[tuple] = []
    for name, value in summary.totals.items():
        out.append(("totals", "", name, plain(value)))
    for section, rows, key in (("per_year", summary.per_year, "follow_up_year"),
                               ("per_group", summary.per_group, "benefit_group"),
                               ("largest_contributors", summary.top, "person_key")):
        for row in rows:
            out.extend((section, row[key], name, plain(value)) for name, value in row.items() if name != key)
    for f in summary.files:
        out.extend(("source_files", f"{f['source']}:{f['file_name']}", name, plain(f[name]))
                   for name in ("file_sha256", "lines_used", "evidence_rows", "participants"))
    for c in summary.checks:
        out.append(("checks", c.label, "ok", c.ok))
    return out


def write_summary(out: TextIO, summary: LineSummary, drill_down: list[tuple[str, str]], *, fmt: str) -> None:
    if fmt == "json":
        json.dump(summary_document(summary, drill_down), out, indent=2, ensure_ascii=False)
        out.write("\n")
        return
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(("section", "key", "measure", "value"))
    writer.writerows(summary_records(summary))


def write_rows(out: TextIO, con: duckdb.DuckDBPyConnection, sql: str, params: list, *, fmt: str,
               header: dict) -> None:
    """The rows of `sql` (a query on audit.trace), streamed in batches."""
    cur = con.execute(sql, params)
    names = [d[0] for d in cur.description]
    if fmt == "csv":
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(names)
        while batch := cur.fetchmany(BATCH):
            writer.writerows([plain(v) for v in r] for r in batch)
        return
    out.write(json.dumps(header, ensure_ascii=False)[:-1] + ', "rows": [')
    first = True
    while batch := cur.fetchmany(BATCH):
        for r in batch:
            out.write(("\n" if first else ",\n")
                      + json.dumps(dict(zip(names, map(plain, r), strict=True)), ensure_ascii=False))
            first = False
    out.write("\n]}\n")
