"""The descriptions of the public tables and their columns, as the dbt docs show them.

One source of truth: the dbt project documents every public relation — the marts as models, the
`payments` and `audit` tables as sources (`dbt_project/models/sources/`) — and `dbt parse` renders
those descriptions (doc blocks included) into `target/manifest.json`. The analysts' copy carries
them as `COMMENT ON TABLE / COLUMN` (orchestration/analyst_copy.py).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from orchestration.settings import DBT_PROJECT_DIR

MANIFEST = DBT_PROJECT_DIR / "target" / "manifest.json"


@dataclass(frozen=True)
class RelationDescription:
    schema: str
    name: str
    description: str
    columns: dict[str, str]


def public_descriptions(manifest: Path = MANIFEST) -> dict[tuple[str, str], RelationDescription]:
    """(schema, relation) → its description and column descriptions, for every model, seed,
    snapshot and source of the manifest; empty when there is no manifest yet."""
    if not manifest.exists():
        return {}
    data = json.loads(manifest.read_text(encoding="utf-8"))
    found: dict[tuple[str, str], RelationDescription] = {}
    nodes = [n for n in data.get("nodes", {}).values() if n.get("resource_type") in ("model", "seed", "snapshot")]
    for node in [*nodes, *data.get("sources", {}).values()]:
        name = node.get("identifier") or node.get("alias") or node["name"]
        columns = {c: (v.get("description") or "").strip() for c, v in node.get("columns", {}).items()}
        found[(node["schema"], name)] = RelationDescription(
            schema=node["schema"], name=name, description=(node.get("description") or "").strip(),
            columns={c: d for c, d in columns.items() if d})
    return found
