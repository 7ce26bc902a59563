"""The built warehouse the end-to-end tests share: synthetic extracts of two months landed, and
June issued by the command line — built once per session. A test module that runs more months
works on its own copy of the warehouse file (`copy_issued_june`), never on the shared one."""

from __future__ import annotations

import contextlib
import io
import shutil
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest

from orchestration.cli import main
from orchestration.settings import RunState
from synthetic import SyntheticConfig, SyntheticManifest, generate_extracts

TERMS = Path(__file__).parents[2] / "contracts" / "examples"
KEY = "end-to-end-test-key"
JUNE, JULY = "2024-06", "2024-07"


@dataclass(frozen=True)
class IssuedJune:
    landing: Path                # referrals, benefits and income as of June and of July
    manifest: SyntheticManifest  # what the generator wrote (its CPR numbers, to look for leaks)
    warehouse: Path              # June issued; read it, or copy it before running anything on it
    output: str                  # what `outcome-ledger run --month 2024-06` printed
    run_log: Path                # the run's log beside the warehouse (dbt's output)


def run_args(month: str, landing: Path, warehouse: Path, *extra: str, terms: Path = TERMS) -> list[str]:
    return ["run", "--month", month, "--landing", str(landing), "--contracts", str(terms),
            "--warehouse", str(warehouse), *extra]


@pytest.fixture(scope="session")
def issued_june(tmp_path_factory: pytest.TempPathFactory) -> IssuedJune:
    root = tmp_path_factory.mktemp("issued_june")
    landing, warehouse = root / "landing", root / "warehouse" / "ledger.duckdb"
    manifest = generate_extracts(landing, SyntheticConfig(participants=60, seed=7),
                                 vintages=[date(2024, 6, 30), date(2024, 7, 31)])
    printed = io.StringIO()
    with pytest.MonkeyPatch.context() as env, contextlib.redirect_stdout(printed):
        env.setenv("OUTCOME_LEDGER_PSEUDONYM_KEY", KEY)
        env.delenv("DAGSTER_HOME", raising=False)
        env.delenv("OUTCOME_LEDGER_TODAY", raising=False)
        status = main(run_args(JUNE, landing, warehouse))
    assert status == 0, printed.getvalue()
    return IssuedJune(landing, manifest, warehouse, printed.getvalue(), RunState(warehouse).logs / f"run-{JUNE}.log")


def copy_issued_june(issued: IssuedJune, folder: Path) -> Path:
    """A copy of the June warehouse file in `folder` (its Dagster instance and dbt folder are made
    afresh beside it by the first run)."""
    folder.mkdir(parents=True, exist_ok=True)
    return Path(shutil.copy2(issued.warehouse, folder / issued.warehouse.name))
