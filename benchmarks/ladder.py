"""Ladder benchmark: the ladder week number (refusionstrappen) at 100,000 participants × 300 weeks.

    .venv/bin/python -m benchmarks.ladder

Needs benchmarks/out/outcomes/dbt.duckdb, the warehouse the outcomes benchmark built (run
`benchmarks.ingest`, then `benchmarks.outcomes`). On a copy of it, each step in its own process:
1. `dbt run --select int_benefit_weeks_laddered`: the ladder model alone, as the monthly build
   runs it (its input, the participants' benefit weeks, is a view it reads once);
2. the same input materialised without the ladder (`CREATE TABLE AS SELECT * FROM
   int_benefit_weeks_keyed`), so that the ladder's own cost is the difference;
3. facts and a check: persons, ladder weeks, candidates, periods per person, left-censored
   persons, and the numbers of 300 persons compared with a week-by-week reading of finance.md.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import (  # noqa: E402
    DBT, OUT, REPO, benchmark_env, busy_processes, copy_duckdb, machine, run_stage, stage_command,
    write_results,
)
from benchmarks.outcomes import run_results  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="benchmarks.ladder", description=__doc__.split("\n")[0])
    parser.add_argument("--sample", type=int, default=300, help="persons checked against the spec")
    args = parser.parse_args(argv)

    source = OUT / "outcomes" / "dbt.duckdb"
    if not source.exists():
        raise SystemExit("no built warehouse: run `benchmarks.ingest` and `benchmarks.outcomes` first")
    folder = OUT / "ladder"
    logs = folder / "logs"
    warehouse = folder / "ladder.duckdb"
    copy_duckdb(source, warehouse)
    info = machine()
    print(f"ladder benchmark — {info['date']}, {info['cores']} cores, load {info['load_at_start']}")

    env = benchmark_env()
    dbt_env = benchmark_env(OUTCOME_LEDGER_WAREHOUSE=str(warehouse.resolve()))
    target = folder / "target"
    common = ["--project-dir", str(REPO / "dbt_project"), "--profiles-dir", str(REPO / "dbt_project"),
              "--log-path", str(folder / "dbt_logs"), "--target-path", str(target)]
    stages = {
        "dbt_ladder": run_stage("dbt run: int_benefit_weeks_laddered",
                                [DBT, "run", "--select", "int_benefit_weeks_laddered", *common],
                                log=logs / "dbt-ladder.log", env=dbt_env),
    }
    node = run_results(target)
    stages["input_only"] = run_stage(
        "the same input without the ladder", stage_command("ladder_input_only", warehouse,
                                                           "--report", folder / "input_only.json"),
        log=logs / "input_only.log", env=env, report=folder / "input_only.json")
    stages["facts"] = run_stage(
        "facts and check against the spec", stage_command("ladder_facts", warehouse, "--sample", args.sample,
                                                          "--report", folder / "facts.json"),
        log=logs / "facts.log", env=env, report=folder / "facts.json")

    ladder_s = node["slowest"][0]["seconds"]
    input_s = stages["input_only"].details["seconds"]
    facts = stages["facts"].details
    summary = {"ladder_model_s": ladder_s, "input_only_s": input_s, "ladder_own_s": round(ladder_s - input_s, 2),
               "dbt_run_wall_s": stages["dbt_ladder"].wall_s, "dbt_run_cpu_s": stages["dbt_ladder"].cpu_s,
               "dbt_run_peak_rss_mb": stages["dbt_ladder"].peak_rss_mb, **facts}
    path = write_results("ladder", {"machine": info, "busy_processes_at_end": busy_processes(),
                                    "summary": summary, "dbt_results": node, "stages": stages})
    print(f"\n{facts['persons']:,} persons, {facts['benefit_weeks']:,} benefit weeks, "
          f"{facts['ladder_weeks']:,} ladder weeks, {facts['candidates']:,} candidate weeks; periods per person "
          f"{facts['periods_per_person']}; {facts['left_censored_persons']:,} left-censored persons")
    print(f"int_benefit_weeks_laddered: {ladder_s:.1f} s in dbt ({stages['dbt_ladder'].wall_s:.1f} s wall with dbt "
          f"start-up, {stages['dbt_ladder'].cpu_s:.1f} CPU-s, peak {stages['dbt_ladder'].peak_rss_mb:.0f} MB); "
          f"the same rows without the ladder {input_s:.1f} s → the ladder's own cost ≈ {ladder_s - input_s:.1f} s")
    print(f"check: {facts['sample_persons']} persons' numbers vs the spec read week by week: "
          f"{'identical' if facts['sample_identical'] else 'DIFFERENT: ' + str(facts['sample_differences'])}")
    print(f"results: {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
