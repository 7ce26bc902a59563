"""Where things are: landing folder, terms folder, warehouse file, reference data.

Each setting comes from its environment variable (spec: warehouse.md, "Commands") or a default
relative to the working directory; paths are made absolute once, here, so that the Dagster
resource and dbt's profile (which reads `OUTCOME_LEDGER_WAREHOUSE`) see the same file.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

REPOSITORY_ROOT = Path(__file__).resolve().parent.parent
DBT_PROJECT_DIR = REPOSITORY_ROOT / "dbt_project"
#: Reference data lives once, as dbt seeds; replace a file there to change it.
REFERENCE_DIR = DBT_PROJECT_DIR / "seeds"
REFERENCE_FILES = ("benefit_codes.csv", "benefit_groups.csv", "benefit_rates.csv")

LANDING_ENV = "OUTCOME_LEDGER_LANDING"
CONTRACTS_ENV = "OUTCOME_LEDGER_CONTRACTS"
WAREHOUSE_ENV = "OUTCOME_LEDGER_WAREHOUSE"
THRESHOLD_ENV = "OUTCOME_LEDGER_QUARANTINE_THRESHOLD"


@dataclass(frozen=True)
class Settings:
    landing: Path
    contracts: Path
    warehouse: Path
    quarantine_threshold: Decimal

    @classmethod
    def from_environment(cls) -> "Settings":
        raw_threshold = os.environ.get(THRESHOLD_ENV, "0.05")
        try:
            threshold = Decimal(raw_threshold)
        except InvalidOperation:
            raise ValueError(f"{THRESHOLD_ENV}={raw_threshold!r} is not a decimal fraction (e.g. 0.05)") from None
        if not Decimal(0) <= threshold <= Decimal(1):
            raise ValueError(f"{THRESHOLD_ENV} must lie between 0 and 1, got {raw_threshold}")
        return cls(
            landing=Path(os.environ.get(LANDING_ENV, "landing")).resolve(),
            contracts=Path(os.environ.get(CONTRACTS_ENV, "contracts/terms")).resolve(),
            warehouse=Path(os.environ.get(WAREHOUSE_ENV, "warehouse/outcome_ledger.duckdb")).resolve(),
            quarantine_threshold=threshold,
        )

    def export(self) -> None:
        """Put the absolute paths back into the environment (dbt reads the warehouse from there)."""
        os.environ[LANDING_ENV] = str(self.landing)
        os.environ[CONTRACTS_ENV] = str(self.contracts)
        os.environ[WAREHOUSE_ENV] = str(self.warehouse)
        os.environ[THRESHOLD_ENV] = str(self.quarantine_threshold)
        self.warehouse.parent.mkdir(parents=True, exist_ok=True)
