"""The auditor's commands at scale: `trace`, `report` and `verify` of the savings-share statement
of the warehouse `benchmarks.monthly_run` built (100,000 participants by default).

    .venv/bin/python -m benchmarks.audit_at_scale [--data DIR] [--statement ID] [--line N] [--full]

Needs a finished `benchmarks.monthly_run` (its `run/outcome_ledger.duckdb` and `landing/` under
`--data`). Each command runs as the auditor runs it, through the command line, in its own child
process: wall, CPU and peak RSS, and the size of what it writes (the trace's printed lines and
bytes, the report's file). A command the CLI does not have yet (`verify`, `trace --full`) is
skipped and said so. The statement defaults to the savings-share contract's statement of the
run's month, line 1 (its gain-share line, which rests on every participant-year).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import (  # noqa: E402
    BENCHMARK_KEY, OUT, PYTHON, benchmark_env, busy_processes, machine, run_stage, write_results,
)

CLI = str(Path(PYTHON).parent / "outcome-ledger")
SAVINGS_CONTRACT = "brondby-dsi-tuba"


def has_option(command: list[str], option: str) -> bool:
    """Whether `outcome-ledger <command> --help` lists `option`."""
    shown = subprocess.run([CLI, *command, "--help"], capture_output=True, text=True)
    return shown.returncode == 0 and option in shown.stdout


def output_facts(path: Path) -> dict:
    data = path.read_bytes() if path.exists() else b""
    return {"bytes": len(data), "lines": data.count(b"\n")}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="benchmarks.audit_at_scale", description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=OUT / "monthly_run_100000x300",
                        help="the folder of a finished benchmarks.monthly_run (default: its 100k run)")
    parser.add_argument("--statement", help=f"statement id (default: {SAVINGS_CONTRACT}:<the run's month>)")
    parser.add_argument("--line", type=int, default=1)
    parser.add_argument("--full", action="store_true", help="also time `trace --full` (the complete listing)")
    args = parser.parse_args(argv)

    warehouse = args.data / "run" / "outcome_ledger.duckdb"
    if not warehouse.exists():
        raise SystemExit(f"no warehouse at {warehouse}: run benchmarks.monthly_run first")
    month = next(p.name[len("run-"):-len(".log")] for p in sorted((warehouse.parent / "logs").glob("run-*.log")))
    statement = args.statement or f"{SAVINGS_CONTRACT}:{month}"
    folder, logs = args.data / "audit", args.data / "audit" / "logs"
    folder.mkdir(parents=True, exist_ok=True)
    env = benchmark_env(OUTCOME_LEDGER_PSEUDONYM_KEY=BENCHMARK_KEY)
    info = machine()
    print(f"audit commands at scale — {info['date']}, load {info['load_at_start']}; {statement} line {args.line}")

    where = ["--warehouse", str(warehouse)]
    commands = {"trace": (["trace", statement, str(args.line), *where], None)}
    if args.full:
        commands["trace --full"] = (["trace", statement, str(args.line), "--full", *where], ["trace"], "--full")
    commands["report"] = (["report", statement, "--out", str(folder / "report.html"), *where], None)
    commands["verify"] = (["verify", statement, "--landing", str(args.data / "landing"), *where], [], "verify")
    stages, facts = {}, {}
    for name, (command, *needs) in commands.items():
        if needs[0] is not None and not has_option(needs[0], needs[1]):
            print(f"{name}: skipped (this outcome-ledger has no {needs[1]})")
            continue
        log = logs / f"{name.replace(' ', '')}.out"
        stages[name] = run_stage(name, [CLI, *command], log=log, env=env, check=False)
        facts[name] = output_facts(folder / "report.html" if name == "report" else log)
        print(f"  output: {facts[name]['lines']} lines, {facts[name]['bytes'] / 1e6:.2f} MB; exit "
              f"{stages[name].returncode}")
    path = write_results("audit_at_scale", {"machine": info, "busy_processes_at_end": busy_processes(),
                                            "statement": statement, "line": args.line, "outputs": facts,
                                            "stages": stages})
    print(f"results: {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
