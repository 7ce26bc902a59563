"""The marts as dbt declares them, for tests that fill them by hand.

`create_marts(con)` creates every mart with an enforced contract, its columns and `data_type`s
read from the models' YAML in `dbt_project/models/marts/` — the declaration dbt enforces — so a
hand-filled test warehouse has exactly the columns and types the engine meets in a real run.
`model_sql(name, refs)` renders a model's SQL with its `ref()`s bound to given relations, for a
fixture that derives one mart from others with the product's own SQL (models using only `ref`).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import duckdb
import jinja2
import yaml

DBT_PROJECT = Path(__file__).resolve().parents[1] / "dbt_project"
MARTS = DBT_PROJECT / "models" / "marts"


@cache
def mart_columns() -> dict[str, tuple[tuple[str, str], ...]]:
    """Mart name → its contract's (column, data_type), in the YAML's order."""
    marts: dict[str, tuple[tuple[str, str], ...]] = {}
    for path in sorted(MARTS.rglob("*.yml")):
        for model in yaml.safe_load(path.read_text(encoding="utf-8")).get("models", []):
            if model.get("config", {}).get("contract", {}).get("enforced"):
                marts[model["name"]] = tuple((c["name"], c["data_type"]) for c in model["columns"])
    return marts


def create_marts(con: duckdb.DuckDBPyConnection) -> None:
    """Create schema `marts` and every contracted mart, empty, as a table."""
    con.execute("CREATE SCHEMA IF NOT EXISTS marts")
    for name, columns in mart_columns().items():
        con.execute(f"CREATE TABLE marts.{name} ({', '.join(f'{c} {t}' for c, t in columns)})")


def model_sql(name: str, refs: dict[str, str]) -> str:
    """The SQL of model `name` with each `ref('x')` replaced by `refs['x']` (a relation or a
    parenthesised subquery); a ref not given is an error."""
    path = next((DBT_PROJECT / "models").rglob(f"{name}.sql"))

    def ref(model: str) -> str:
        return refs[model]

    return jinja2.Environment(undefined=jinja2.StrictUndefined).from_string(
        path.read_text(encoding="utf-8")).render(ref=ref)
