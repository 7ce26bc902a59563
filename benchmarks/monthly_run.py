"""Monthly-run benchmark at scale: one whole `outcome-ledger run --month …` through the command
line, end to end, against the DuckDB floor on the same files.

    .venv/bin/python -m benchmarks.monthly_run [--participants 100000] [--weeks 300]
        [--data DIR] [--reuse-landing] [--memory-cap-gb 14] [--duckdb-memory-limit 3GB] [--no-floor]

1. Generates the synthetic landing folder (one vintage: the last day of the last month that has
   ended, so the run may issue; the simulated weeks end with that month) under `--data`.
2. Writes the three example contracts with their cohort windows widened to the synthetic start
   dates and no cohort cap (`benchmarks.outcomes.adjusted_terms`).
3. `outcome-ledger run --month M --landing … --contracts … --warehouse …` on a fresh warehouse
   (OUTCOME_LEDGER_PSEUDONYM_KEY set, DAGSTER_HOME unset): wall, CPU, peak RSS of the largest
   process, peak RSS of the whole process tree (CLI + dbt), and an RSS timeline. The tree is
   killed if it passes `--memory-cap-gb` (the machine is shared). Then where the time went: the
   CLI's progress lines, each Dagster step from the warehouse's own instance, dbt's slowest nodes.
4. The DuckDB floor: a plain `read_csv` + `UNPIVOT` load of the same files (`yardstick_ingest`)
   plus one hand-written statement computing the outcome-years (`OUTCOME_YEARS_SQL`) on a copy of
   the run's raw tables, both under dbt's DuckDB settings (threads, memory limit); its rows are compared with the run's
   `marts.fct_outcome_years`. Ratio: the run's wall time over the floor's.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import sys
from datetime import date, timedelta
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import (  # noqa: E402
    BENCHMARK_KEY, OUT, PYTHON, benchmark_env, busy_processes, copy_duckdb, generated_landing, machine,
    ratio, run_stage, stage_command, write_results,
)
from benchmarks.outcomes import EXAMPLE_TERMS, adjusted_terms, run_results  # noqa: E402
from benchmarks.small_run import manifest_state  # noqa: E402
from orchestration.clock import month_end, previous_month, today  # noqa: E402

CLI = str(Path(PYTHON).parent / "outcome-ledger")
PROGRESS = re.compile(r"^\s*\[\s*(\d+) s\] (.*)$")


def run_month_and_first_week(weeks: int) -> tuple[str, date, date]:
    """The last month that has ended (Copenhagen), its last day (the vintage), and the Monday of
    the first simulated week such that the last simulated week is the last one ended by then."""
    month = previous_month(today())
    vintage = month_end(month)
    last_monday = vintage - timedelta(days=(vintage.weekday() + 1) % 7 + 6)
    return month, vintage, last_monday - timedelta(weeks=weeks - 1)


def progress_lines(log: Path) -> list[tuple[int, str]]:
    """The CLI's progress lines (`[  12 s] …`) with their seconds since the job started."""
    text = log.read_text(encoding="utf-8", errors="replace") if log.exists() else ""
    return [(int(m.group(1)), m.group(2)) for m in map(PROGRESS.match, text.splitlines()) if m]


def folder_sizes(folder: Path) -> dict[str, float]:
    """MB of each file directly in the run folder (warehouse, analysts' copy, …)."""
    return {p.name: round(p.stat().st_size / 1e6, 1) for p in sorted(folder.iterdir()) if p.is_file()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="benchmarks.monthly_run", description=__doc__.split("\n")[0])
    parser.add_argument("--participants", type=int, default=100_000)
    parser.add_argument("--weeks", type=int, default=300)
    parser.add_argument("--data", type=Path, help="where landing, terms and warehouses go "
                                                  "(default benchmarks/out/monthly_run_<participants>x<weeks>)")
    parser.add_argument("--reuse-landing", action="store_true", help="keep an existing generated landing folder")
    parser.add_argument("--memory-cap-gb", type=float, default=14.0,
                        help="kill a stage's process tree when its summed RSS passes this (default 14)")
    parser.add_argument("--duckdb-memory-limit", help="OUTCOME_LEDGER_DUCKDB_MEMORY_LIMIT for dbt and the floor "
                                                      "(default: the product's, 3GB)")
    parser.add_argument("--no-floor", action="store_true", help="skip the DuckDB floor")
    args = parser.parse_args(argv)

    bench = f"monthly_run_{args.participants}x{args.weeks}"
    data = (args.data or OUT / bench).resolve()
    landing, logs, run_folder, floor = data / "landing", data / "logs", data / "run", data / "floor"
    month, vintage, first_week = run_month_and_first_week(args.weeks)
    cap_mb = args.memory_cap_gb * 1024
    info = machine()
    print(f"monthly-run benchmark — {info['date']}, {info['cores']} cores, load {info['load_at_start']}; "
          f"{args.participants} participants × {args.weeks} weeks from {first_week}, vintage {vintage}, "
          f"run month {month}; memory cap {args.memory_cap_gb} GB")
    extra = {"OUTCOME_LEDGER_DUCKDB_MEMORY_LIMIT": args.duckdb_memory_limit} if args.duckdb_memory_limit else {}
    env = benchmark_env(OUTCOME_LEDGER_PSEUDONYM_KEY=BENCHMARK_KEY, **extra)
    stages: dict[str, object] = {}

    generated, stage = generated_landing(
        data, landing, logs, env, reuse=args.reuse_landing, memory_cap_mb=cap_mb,
        args=("--participants", args.participants, "--weeks", args.weeks, "--first-week", first_week,
              "--vintage", vintage))
    if stage is not None:
        stages["generate"] = stage
    start_from, start_to = (date.fromisoformat(d) for d in generated["start_window"])
    terms_notes = adjusted_terms(EXAMPLE_TERMS, data / "terms", start_from, start_to)

    if manifest_state() != "fresh":   # what the product's first run after a project change does
        run_stage("manifest warm-up (dbt parse)", [PYTHON, "-c", "from orchestration.dbt.project import "
                                                   "ensure_manifest; ensure_manifest()"],
                  log=logs / "manifest-warm-up.log", env=env, check=False)
    shutil.rmtree(run_folder, ignore_errors=True)
    warehouse = run_folder / "outcome_ledger.duckdb"
    cli = run_stage("outcome-ledger run", [CLI, "run", "--month", month, "--landing", landing, "--contracts",
                                           data / "terms", "--warehouse", warehouse],
                    log=logs / "cli.log", env=env, check=False, memory_cap_mb=cap_mb)
    stages["cli"] = cli
    steps = run_stage("Dagster step timings", stage_command("run_steps", warehouse, "--report", data / "steps.json"),
                      log=logs / "steps.log", env=env, report=data / "steps.json", check=False)
    dbt_target = run_folder / "dbt" / "target"
    dbt = run_results(dbt_target) if (dbt_target / "run_results.json").exists() else {}
    progress = progress_lines(logs / "cli.log")
    ok = cli.returncode == 0 and cli.killed_at_cap is None

    if not args.no_floor:
        floor.mkdir(parents=True, exist_ok=True)
        stages["floor_ingest"] = run_stage(
            "floor: read_csv + UNPIVOT", stage_command("yardstick_ingest", landing, floor / "ingest.duckdb", "--profile-settings",
                                                       "--report", data / "floor_ingest.json"),
            log=logs / "floor_ingest.log", env=env, report=data / "floor_ingest.json", check=False,
            memory_cap_mb=cap_mb)
        if ok:   # the statement reads the product's raw tables: only after a whole run
            copy_duckdb(warehouse, floor / "outcome_years.duckdb")
            stages["floor_outcome_years"] = run_stage(
                "floor: outcome-years statement", stage_command(
                    "outcomes_yardstick", floor / "outcome_years.duckdb", "--month", month,
                    "--report", data / "floor_outcome_years.json"),
                log=logs / "floor_outcome_years.log", env=env, report=data / "floor_outcome_years.json",
                check=False, memory_cap_mb=cap_mb)
            stages["compare"] = run_stage(
                "compare with fct_outcome_years", stage_command(
                    "outcomes_compare", warehouse, floor / "outcome_years.duckdb", "--report", data / "compare.json"),
                log=logs / "compare.log", env=env, report=data / "compare.json", check=False)

    summary = {"month": month, "vintage": vintage, "first_week": first_week, "ok": ok,
               "cli_wall_s": cli.wall_s, "cli_cpu_s": cli.cpu_s, "cli_peak_rss_mb": cli.peak_rss_mb,
               "cli_tree_peak_mb": cli.tree_peak_mb, "killed_at_cap_s": cli.killed_at_cap,
               "memory_cap_mb": cap_mb, "duckdb_memory_limit": args.duckdb_memory_limit or "product default",
               "load_before": cli.load_before, "load_after": cli.load_after,
               "sizes_mb": folder_sizes(run_folder) if run_folder.exists() else {}}
    floor_stages = [stages[k] for k in ("floor_ingest", "floor_outcome_years") if k in stages]
    if len(floor_stages) == 2 and all(s.returncode == 0 and s.killed_at_cap is None for s in floor_stages):
        summary.update(floor_wall_s=sum(s.wall_s for s in floor_stages), floor_cpu_s=sum(s.cpu_s for s in floor_stages),
                       floor_peak_rss_mb=max(s.peak_rss_mb for s in floor_stages))
        summary.update(ratio_wall=ratio(cli.wall_s, summary["floor_wall_s"]),
                       ratio_cpu=ratio(cli.cpu_s, summary["floor_cpu_s"]))
    path = write_results(bench, {
        "machine": info, "busy_processes_at_end": busy_processes(), "args": vars(args), "generated": generated,
        "terms_adjustments": terms_notes, "summary": summary, "progress": progress, "steps": steps.details,
        "dbt_results": dbt, "stages": stages})

    print(f"\nprogress lines of the run (seconds since the job started):")
    for seconds, line in progress:
        print(f"  [{seconds:5d} s] {line}")
    print("\nDagster steps (seconds):")
    for row in steps.details.get("steps", []):
        print(f"  {row['start_s'] if row['start_s'] is not None else '?':>7} +{row['seconds'] or 0:8.1f}  "
              f"{row['outcome']:<10} {row['step']}")
    if dbt:
        print(f"dbt: elapsed {dbt['elapsed_time']:.1f} s; node seconds "
              + ", ".join(f"{k} {v:.1f}" for k, v in dbt["node_seconds_by_type"].items()))
        for node in dbt["slowest"][:8]:
            print(f"  {node['seconds']:7.2f} s  {node['node']}")
    print(f"\nrun folder: {summary['sizes_mb']}")
    print(f"processes at the tree's peak: {cli.processes_at_peak[:4]}")
    if cli.killed_at_cap is not None:
        before = [line for seconds, line in progress if seconds <= cli.killed_at_cap]
        print(f"KILLED at the {args.memory_cap_gb} GB cap after {cli.killed_at_cap:.0f} s; last progress line: "
              f"{before[-1] if before else '(none)'}")
    if "compare" in stages:
        c = stages["compare"].details
        print(f"floor vs fct_outcome_years: {c.get('yardstick_rows')} vs {c.get('dbt_rows')} rows → "
              f"{'identical' if c.get('identical') else 'DIFFERENT: ' + json.dumps(c.get('differing_values'))}")
    print(f"\nrun: wall {cli.wall_s:.1f} s, cpu {cli.cpu_s:.1f} s, peak RSS {cli.peak_rss_mb:.0f} MB, tree peak "
          f"{cli.tree_peak_mb:.0f} MB, exit {cli.returncode}; load {cli.load_before[0]:.1f}→{cli.load_after[0]:.1f}")
    if "floor_wall_s" in summary:
        print(f"floor: wall {summary['floor_wall_s']:.1f} s, cpu {summary['floor_cpu_s']:.1f} s, peak RSS "
              f"{summary['floor_peak_rss_mb']:.0f} MB → run/floor {summary['ratio_wall']:.2f}× wall, "
              f"{summary['ratio_cpu']:.2f}× cpu")
    print(f"results: {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
