"""The user's reference (`docs/reference/`) stays true to the code: every public table's columns
are listed in `tables.md`, and no document points outside the repository."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import duckdb
import pytest

from tests.marts import mart_columns
from warehouse_schema import ensure_schema

ROOT = Path(__file__).resolve().parents[1]
TABLES_DOC = ROOT / "docs" / "reference" / "tables.md"
PUBLIC_PYTHON_TABLES = ("payments.statements", "payments.statement_lines", "payments.budget_entries",
                        "payments.entitlement_items", "payments.statement_inputs", "payments.budget_forecast",
                        "audit.loads", "audit.quarantine", "audit.warehouse_key")
#: Paths into the specification's folder beside the repository, which a clone does not have
#: (written in two parts, so that this file does not name them itself).
OUTSIDE = ("../" + "shared/", "/work/" + "shared", "shared/" + "spec/", "shared/" + "reference/")


def _documented() -> dict[str, str]:
    """Table name → its row of a table in tables.md (the first cell is the name)."""
    rows = {}
    for line in TABLES_DOC.read_text(encoding="utf-8").splitlines():
        cells = line.split(" | ")
        names = re.findall(r"`(\w+)`", cells[0]) if line.startswith("| `") else []
        for name in names:
            rows[name] = line
    return rows


def _python_tables() -> dict[str, list[str]]:
    with duckdb.connect() as con:
        ensure_schema(con)
        rows = con.execute("SELECT table_schema || '.' || table_name, column_name FROM information_schema.columns "
                           "ORDER BY table_schema, table_name, ordinal_position").fetchall()
    tables: dict[str, list[str]] = {}
    for table, column in rows:
        tables.setdefault(table, []).append(column)
    return {t: c for t, c in tables.items() if t in PUBLIC_PYTHON_TABLES}


@pytest.mark.parametrize("source", ["marts (dbt contracts)", "payments and audit (warehouse_schema)"])
def test_every_column_of_every_public_table_is_in_the_reference(source: str) -> None:
    tables = ({name: [c for c, _ in columns] for name, columns in mart_columns().items()}
              if source.startswith("marts") else
              {name.split(".")[1]: columns for name, columns in _python_tables().items()})
    assert len(tables) >= 6
    documented = _documented()
    missing = {name: [c for c in columns if not re.search(rf"\b{c}\b", documented.get(name, ""))]
               for name, columns in tables.items()}
    assert {name: columns for name, columns in missing.items() if columns} == {}, \
        "add these tables and columns to docs/reference/tables.md"


def test_no_document_points_outside_the_repository() -> None:
    files = subprocess.run(["git", "ls-files", "*.md", "*.yml", "*.py", "*.sql", "Makefile"], cwd=ROOT,
                           capture_output=True, text=True, check=True).stdout.split()
    assert len(files) > 50
    outside = [f"{name}:{n}" for name in files if (ROOT / name).exists()
               for n, line in enumerate((ROOT / name).read_text(encoding="utf-8").splitlines(), start=1)
               if any(pointer in line for pointer in OUTSIDE)]
    assert outside == []
