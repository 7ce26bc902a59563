"""No import cycle among the product's packages: neither between modules nor between their
sub-packages (`orchestration.ingest`, `contracts.terms`, …; a module directly in a top-level
package counts on its own). Imports inside functions count too."""

from __future__ import annotations

import ast
from graphlib import CycleError, TopologicalSorter
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("orchestration", "contracts", "data_checks", "warehouse_schema", "synthetic")


def _modules() -> dict[str, Path]:
    modules = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            parts = path.relative_to(ROOT).with_suffix("").parts
            modules[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return modules


def _imports(modules: dict[str, Path]) -> dict[str, set[str]]:
    """Module → the product's modules it imports (a package's `__init__` included)."""
    def resolve(name: str) -> str | None:
        while name and name not in modules:
            name = name.rpartition(".")[0]
        return name or None

    graph: dict[str, set[str]] = {}
    for module, path in modules.items():
        names = []
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names += [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names += [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
        targets = {t for t in map(resolve, names) if t}
        # importing a.b.c runs a/__init__ and a/b/__init__ first
        targets |= {p for t in targets for p in (".".join(t.split(".")[:i]) for i in range(1, t.count(".") + 1))
                    if p in modules and not module.startswith(p)}
        graph[module] = targets - {module}
    return graph


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    try:
        tuple(TopologicalSorter(graph).static_order())
    except CycleError as error:
        return error.args[1]
    return None


@pytest.mark.parametrize("level", ["module", "sub-package"])
def test_no_import_cycle(level: str) -> None:
    graph = _imports(_modules())
    assert len(graph) > 50
    if level == "sub-package":
        def group(module: str) -> str:
            return ".".join(module.split(".")[:2])
        grouped: dict[str, set[str]] = {}
        for module, targets in graph.items():
            grouped.setdefault(group(module), set()).update(
                group(t) for t in targets if "." in t and "." in module and group(t) != group(module))
        graph = grouped
    assert _cycle(graph) is None
