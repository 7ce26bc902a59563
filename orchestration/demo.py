"""`outcome-ledger demo`: synthetic extracts and the example contracts, run over several months.

The demo folder gets a landing folder with four monthly vintages (the later ones correct earlier
register weeks and income lines), a copy of the example contract terms and its own warehouse,
then runs the months in order, so the statements show outcome lines and adjustment lines.
Everything in it is synthetic; it is rebuilt from scratch at every call.
"""

from __future__ import annotations

import os
import shutil
from datetime import date
from pathlib import Path

from orchestration.ingest.pseudonym import KEY_ENV, KEY_FILE_ENV
from orchestration.settings import CONTRACTS_ENV, LANDING_ENV, REPOSITORY_ROOT, WAREHOUSE_ENV, Settings

DEMO_MONTHS = ("2024-09", "2024-10", "2024-11", "2024-12")
EXAMPLE_TERMS = REPOSITORY_ROOT / "contracts" / "terms"


def _month_end(month: str) -> date:
    from orchestration.ingest.vintages import month_end
    return month_end(month)


def prepare_demo(folder: Path) -> Settings:
    """Write the demo's landing folder and terms; point the settings at them."""
    from orchestration.synthetic import SyntheticConfig, generate_extracts

    folder = folder.resolve()
    for part in ("landing", "contracts", "warehouse"):
        shutil.rmtree(folder / part, ignore_errors=True)
    (folder / "contracts").mkdir(parents=True)
    for terms in sorted(EXAMPLE_TERMS.glob("*.yml")):
        shutil.copy2(terms, folder / "contracts" / terms.name)
    manifest = generate_extracts(folder / "landing", SyntheticConfig(),
                                 vintages=[_month_end(m) for m in DEMO_MONTHS])
    os.environ[LANDING_ENV] = str(folder / "landing")
    os.environ[CONTRACTS_ENV] = str(folder / "contracts")
    os.environ[WAREHOUSE_ENV] = str(folder / "warehouse" / "outcome_ledger.duckdb")
    if not os.environ.get(KEY_ENV):
        os.environ.setdefault(KEY_FILE_ENV, str(folder / "pseudonym.key"))
    settings = Settings.from_environment()
    settings.export()
    print(f"Demo folder {folder}: {len(manifest.referral_files)} referral, {len(manifest.benefit_files)} benefit "
          f"and {len(manifest.income_files)} income extracts (synthetic), "
          f"{len(list((folder / 'contracts').glob('*.yml')))} contracts.")
    return settings


def run_demo(folder: Path, *, verbose: bool = False) -> None:
    from orchestration.cli import run_month

    settings = prepare_demo(folder)
    for month in DEMO_MONTHS:
        run_month(month, settings, verbose=verbose)
    print(f"\nWarehouse: {settings.warehouse}\nQuery it with: duckdb -readonly {settings.warehouse}")
