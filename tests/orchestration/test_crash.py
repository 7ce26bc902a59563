"""Crash-safe reruns: the run is killed with SIGKILL at a named point (OUTCOME_LEDGER_FAULT,
`orchestration/faults.py`) — every step boundary and a moment inside every writing step — and
the rerun must start at once and issue exactly what an uninterrupted run issued: statements,
lines, budget entries, recorded inputs, evidence, loads and quarantine, all but timestamps.

Each kill point costs two real runs (the killed one and the rerun), so the suite runs the two
points where a kill is most likely to do harm — while dbt (a subprocess) writes the warehouse, and
inside the issue's transaction; `make test-crash` (OUTCOME_LEDGER_CRASH_POINTS=all) runs all 17.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import duckdb
import pytest

from orchestration.faults import FAULT_ENV, POINTS
from synthetic import SyntheticConfig, generate_extracts

pytestmark = pytest.mark.integration

TERMS = Path(__file__).parents[2] / "contracts" / "examples"
SAMPLE = ("inside:dbt", "inside:statements")
CHOSEN = POINTS if os.environ.get("OUTCOME_LEDGER_CRASH_POINTS") == "all" else SAMPLE
COMPARED = {   # table -> columns left out (timestamps)
    "payments.statements": ("issued_at",),
    "payments.statement_lines": (),
    "payments.budget_entries": (),
    "payments.budget_forecast": (),
    "payments.statement_inputs": (),
    "audit.loads": ("loaded_at",),
    "audit.quarantine": (),
    "audit.statement_evidence_runs": ("recorded_at",),
    "audit.statement_evidence_weeks": (),
    "audit.statement_evidence_income": (),
}


@dataclass
class Run:
    returncode: int
    first_step_after: float | None    # seconds from the start of the process to its first progress line
    output: str


def _run(warehouse: Path, landing: Path, month: str, fault: str | None = None) -> Run:
    env = {**os.environ, "OUTCOME_LEDGER_PSEUDONYM_KEY": "crash-test-key", "OUTCOME_LEDGER_TODAY": "2024-08-10"}
    env.pop(FAULT_ENV, None)
    if fault:
        env[FAULT_ENV] = fault
    started = time.monotonic()
    process = subprocess.Popen(
        [sys.executable, "-m", "orchestration.cli", "run", "--month", month, "--landing", str(landing),
         "--contracts", str(TERMS), "--warehouse", str(warehouse)],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)
    first, lines = None, []
    assert process.stdout is not None
    for line in process.stdout:
        if first is None and line.startswith("  ["):
            first = time.monotonic() - started
        lines.append(line)
    return Run(process.wait(), first, "".join(lines))


def _state(warehouse: Path) -> dict[str, list[tuple]]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return {table: con.execute(
            f"SELECT * {'EXCLUDE (' + ', '.join(left_out) + ')' if left_out else ''} FROM {table} ORDER BY ALL"
        ).fetchall() for table, left_out in COMPARED.items()}


@dataclass
class World:
    landing: Path
    base: Path              # folder of a warehouse with June issued, July's files landed
    reference: dict         # the state after an uninterrupted run of July
    reference_start: float  # seconds to the first progress line of that run


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> World:
    root = tmp_path_factory.mktemp("crash")
    landing = root / "landing"
    generate_extracts(landing, SyntheticConfig(participants=20, seed=5), vintages=[date(2024, 6, 30)])
    june = _run(root / "base" / "w.duckdb", landing, "2024-06")
    assert june.returncode == 0, june.output
    generate_extracts(landing, SyntheticConfig(participants=20, seed=5), vintages=[date(2024, 7, 31)])
    shutil.copytree(root / "base", root / "reference")
    july = _run(root / "reference" / "w.duckdb", landing, "2024-07")
    assert july.returncode == 0 and july.first_step_after is not None, july.output
    reference = _state(root / "reference" / "w.duckdb")
    assert reference["payments.statements"] and reference["audit.statement_evidence_runs"]
    return World(landing, root / "base", reference, july.first_step_after)


def test_the_kill_points_cover_every_step_boundary_and_every_writing_step() -> None:
    steps = ("guard", "referrals", "benefits", "income", "terms", "vintages", "dbt", "statements", "publish")
    assert {f"after:{s}" for s in steps} | {"before:guard"} <= set(POINTS)
    assert {f"inside:{s}" for s in ("referrals", "benefits", "income", "dbt", "statements", "publish")} <= set(POINTS)
    assert len(POINTS) == 17


@pytest.mark.parametrize("point", CHOSEN)
def test_a_run_killed_at_the_point_is_rerun_at_once_and_issues_what_an_uninterrupted_run_issued(
        point: str, world: World, tmp_path: Path) -> None:
    folder = tmp_path / "w"
    shutil.copytree(world.base, folder)
    killed = _run(folder / "w.duckdb", world.landing, "2024-07", fault=point)
    assert killed.returncode == -signal.SIGKILL, killed.output

    with duckdb.connect(str(folder / "w.duckdb"), read_only=True) as con:   # the warehouse always opens
        con.execute("SELECT count(*) FROM audit.loads").fetchall()

    rerun = _run(folder / "w.duckdb", world.landing, "2024-07")
    assert rerun.returncode == 0, rerun.output
    assert "waiting:" not in rerun.output                                     # no claim of the dead run
    # Starts at once: as soon as the slower of the uninterrupted run and the killed one (measured
    # just before, under the same load of a shared machine: the start is mostly Dagster's import),
    # give or take 30 s. A dead run's claim held the rerun 75 s to forever.
    baseline = max(world.reference_start, killed.first_step_after or 0.0)
    assert rerun.first_step_after is not None and rerun.first_step_after < baseline + 30, (
        rerun.first_step_after, baseline)
    assert _state(folder / "w.duckdb") == world.reference
