"""The warehouse's own tables — those Python writes (dbt declares the rest) — in one place.

One SQL file per schema, `<schema>.sql`, and one for the view `audit.trace` (`trace.sql`), which
reads the payments and audit tables. Every statement is idempotent (`CREATE … IF NOT EXISTS`, the
view `CREATE OR REPLACE`): `ensure_schema(con, "raw", "audit")` creates what is missing and never
alters a table.
- `raw`: what ingest loads (every row keeps its file's SHA-256 and line) and the run's selection;
- `audit`: loads, quarantine, the warehouse's key, the evidence kept per statement;
- `payments`: the statements and what each records (append-only);
- `evidence_sources`: views over the raw rows of the loads statements used (the income and
  referral lines the evidence refers to; tables in the analysts' copy);
- `trace`: the evidence views and the view `audit.trace` (needs `audit`, `payments` and
  `evidence_sources`, created with them).
The contract terms' `raw.contract*` tables are written, and re-created, by the terms loader.
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files

import duckdb

#: The parts, in the order they are created; each needs only parts before it.
SCHEMAS = ("raw", "audit", "payments", "evidence_sources", "trace")
_NEEDS = {"trace": ("audit", "payments", "evidence_sources"), "evidence_sources": ("raw", "audit")}


@cache
def schema_sql(schema: str) -> str:
    """The text of `<schema>.sql`."""
    if schema not in SCHEMAS:
        raise ValueError(f"unknown schema {schema!r}; the warehouse's own are {', '.join(SCHEMAS)}")
    return files(__package__).joinpath(f"{schema}.sql").read_text(encoding="utf-8")


def ensure_schema(con: duckdb.DuckDBPyConnection, *schemas: str) -> None:
    """Create the tables and views of these schemas (all when none is named) that are missing,
    and those of the schemas they need. Runs inside the caller's transaction, if one is open."""
    wanted = set(schemas or SCHEMAS)
    todo = list(schemas)
    while todo:
        needed = _NEEDS.get(todo.pop(), ())
        todo.extend(n for n in needed if n not in wanted)
        wanted.update(needed)
    for schema in SCHEMAS:
        if schema in wanted:
            con.execute(schema_sql(schema))


#: The parts re-created, empty, whenever they are written: `terms.sql`, the contract terms'
#: `raw.contract*` tables, dropped and re-created at every load of the terms (by
#: `contracts/terms/tables.py`) so that they hold exactly the last load's contracts.
#: `ensure_schema` never runs them.
REPLACED = ("terms",)


def replace_schema(con: duckdb.DuckDBPyConnection, schema: str) -> None:
    """Drop and re-create, empty, the tables of a part of `REPLACED`. Runs inside the caller's
    transaction, if one is open."""
    if schema not in REPLACED:
        raise ValueError(f"{schema!r} is not re-created: use ensure_schema")
    con.execute(files(__package__).joinpath(f"{schema}.sql").read_text(encoding="utf-8"))
