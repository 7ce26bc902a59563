"""Fixtures of the payment-engine tests: a DuckDB file under tmp_path holding the input tables."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from tests.payments.world import World


@pytest.fixture
def world(tmp_path: Path):
    con = duckdb.connect(str(tmp_path / "warehouse.duckdb"))
    try:
        yield World(con)
    finally:
        con.close()
