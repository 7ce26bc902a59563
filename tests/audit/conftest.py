"""Fixtures of the audit tests: a DuckDB file under tmp_path with the engine's inputs and raw tables."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from tests.audit.ledger import Ledger


@pytest.fixture
def warehouse_path(tmp_path: Path) -> Path:
    return tmp_path / "warehouse.duckdb"


@pytest.fixture
def ledger(warehouse_path: Path):
    con = duckdb.connect(str(warehouse_path))
    try:
        yield Ledger(con)
    finally:
        con.close()
