"""Resources: the warehouse (one DuckDB file, one writer at a time) and the product's folders."""

from __future__ import annotations

from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path
from typing import Iterator

import dagster as dg
import duckdb

from orchestration.settings import REFERENCE_DIR, Settings


class Warehouse(dg.ConfigurableResource):
    """The DuckDB warehouse file. Connections are opened briefly, per step, never at import:
    DuckDB admits one writing process per file."""

    path: str

    @contextmanager
    def connect(self) -> Iterator[duckdb.DuckDBPyConnection]:
        Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        with duckdb.connect(self.path) as con:
            yield con


class LedgerFolders(dg.ConfigurableResource):
    """The landing folder, the contract-terms folder and the ingest threshold."""

    landing: str
    contracts: str
    quarantine_threshold: str = "0.05"

    @property
    def landing_path(self) -> Path:
        return Path(self.landing)

    @property
    def contracts_path(self) -> Path:
        return Path(self.contracts)

    @property
    def reference_path(self) -> Path:
        return REFERENCE_DIR

    @property
    def threshold(self) -> Decimal:
        return Decimal(self.quarantine_threshold)


def resources_from(settings: Settings) -> dict[str, dg.ConfigurableResource]:
    return {
        "warehouse": Warehouse(path=str(settings.warehouse)),
        "folders": LedgerFolders(landing=str(settings.landing), contracts=str(settings.contracts),
                                 quarantine_threshold=str(settings.quarantine_threshold)),
    }
