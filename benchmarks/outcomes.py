"""Outcomes benchmark: `dbt build` (and `dbt run`, `dbt test` apart) on the ingested 100k
warehouse, against one hand-written DuckDB statement computing the same outcome-years.

    .venv/bin/python -m benchmarks.outcomes [--original-terms]

Needs benchmarks/out/ingest/product.duckdb (run `benchmarks.ingest` first). Steps, each in its
own process:
1. prepare: a copy of the ingested warehouse, the contract terms tables and the selected vintages
   for the month of the generated vintage. The example terms' cohort windows (2023-01-01 …
   2024-06-30, Brøndby capped at 100) do not cover the synthetic start dates, so unless
   `--original-terms` is given, adjusted copies are written to benchmarks/out/outcomes/terms:
   the window widened to the synthetic start dates and no cohort cap.
2. `dbt parse` alone (fresh target dir: what each monthly run pays, the vars change every month).
3. `dbt build` with a fresh target dir (full parse, seeds, models, tests: what the product runs).
4. `dbt run`, then 5. `dbt test`, on the same warehouse (partial parse reused).
6. Yardstick: `OUTCOME_YEARS_SQL` (benchmarks/_stages.py) on a copy of the prepared warehouse,
   with the DuckDB settings of dbt's profile (2 threads, 3 GB memory limit).
7. Compare the yardstick's rows with marts.fct_outcome_years.
Target: dbt within 1.5× the yardstick, peak RSS under 4 GB.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import sys
from datetime import date
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import (  # noqa: E402
    DBT, OUT, REPO, benchmark_env, busy_processes, copy_duckdb, machine, ratio, run_stage, stage_command,
    write_results,
)

TARGET_RATIO = 1.5
TARGET_PEAK_MB = 4096
EXAMPLE_TERMS = REPO / "contracts" / "examples"


def adjusted_terms(source: Path, target: Path, start_from: date, start_to: date) -> list[str]:
    """Copies of the terms files with the cohort window set to the synthetic start dates and
    without `max_participants`; returns what was changed."""
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    notes = []
    for path in sorted(source.glob("*.yml")):
        text = path.read_text(encoding="utf-8")
        old_from = re.search(r"^(\s+)start_from:\s*(\S+)", text, re.M)
        old_to = re.search(r"^(\s+)start_to:\s*(\S+)", text, re.M)
        cap = re.search(r"^\s+max_participants:\s*(\S+)\s*\n", text, re.M)
        text = re.sub(r"^(\s+)start_from:\s*\S+", rf"\g<1>start_from: {start_from}", text, flags=re.M)
        text = re.sub(r"^(\s+)start_to:\s*\S+", rf"\g<1>start_to: {start_to}", text, flags=re.M)
        text = re.sub(r"^\s+max_participants:\s*\S+\s*\n", "", text, flags=re.M)
        (target / path.name).write_text(
            "# benchmark copy: cohort window widened to the synthetic start dates, no cohort cap\n" + text,
            encoding="utf-8")
        notes.append(f"{path.name}: cohort {old_from and old_from.group(2)} … {old_to and old_to.group(2)} → "
                     f"{start_from} … {start_to}" + (f"; max_participants {cap.group(1)} removed" if cap else ""))
    return notes


def _window_matches(terms: Path, start_from: date, start_to: date) -> list[str]:
    problems = []
    for path in sorted(terms.glob("*.yml")):
        text = path.read_text(encoding="utf-8")
        lo = date.fromisoformat(re.search(r"start_from:\s*(\S+)", text).group(1))
        hi = date.fromisoformat(re.search(r"start_to:\s*(\S+)", text).group(1))
        cap = re.search(r"max_participants:\s*(\d+)", text)
        if lo > start_from or hi < start_to:
            problems.append(f"{path.name}: window {lo} … {hi} does not cover the synthetic starts "
                            f"{start_from} … {start_to}")
        if cap:
            problems.append(f"{path.name}: cohort capped at {cap.group(1)} participants")
    return problems


def run_results(target: Path) -> dict:
    """dbt's own timings from run_results.json: total, by node type, the slowest nodes."""
    data = json.loads((target / "run_results.json").read_text())
    by_type: dict[str, float] = {}
    nodes = []
    for result in data["results"]:
        kind = result["unique_id"].split(".")[0]
        by_type[kind] = by_type.get(kind, 0.0) + result["execution_time"]
        nodes.append((result["execution_time"], result["unique_id"], result["status"]))
    nodes.sort(reverse=True)
    return {"elapsed_time": data.get("elapsed_time"), "node_seconds_by_type": by_type,
            "nodes": len(nodes), "slowest": [{"seconds": round(s, 2), "node": n, "status": st}
                                             for s, n, st in nodes[:12]],
            "statuses": sorted({st for _, _, st in nodes})}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="benchmarks.outcomes", description=__doc__.split("\n")[0])
    parser.add_argument("--original-terms", action="store_true", help="use contracts/examples unchanged")
    parser.add_argument("--no-weeks-yardstick", action="store_true",
                        help="skip the informative yardstick that materialises the participant-weeks")
    args = parser.parse_args(argv)

    source = OUT / "ingest" / "product.duckdb"
    generated_path = OUT / "ingest" / "generate.json"
    if not source.exists() or not generated_path.exists():
        raise SystemExit("no ingested warehouse: run `.venv/bin/python -m benchmarks.ingest` first")
    generated = json.loads(generated_path.read_text())
    vintage = date.fromisoformat(generated["vintage"])
    month = f"{vintage:%Y-%m}"
    start_from, start_to = (date.fromisoformat(d) for d in generated["start_window"])

    folder = OUT / "outcomes"
    logs = folder / "logs"
    folder.mkdir(parents=True, exist_ok=True)
    info = machine()
    print(f"outcomes benchmark — {info['date']}, {info['cores']} cores, load {info['load_at_start']}; "
          f"{generated['participants']} participants × {generated['weeks']} weeks, run month {month}")

    problems = _window_matches(EXAMPLE_TERMS, start_from, start_to)
    terms, notes = EXAMPLE_TERMS, []
    if problems and not args.original_terms:
        terms = folder / "terms"
        notes = adjusted_terms(EXAMPLE_TERMS, terms, start_from, start_to)
        print("example terms do not fit the synthetic cohort:\n  " + "\n  ".join(problems)
              + f"\nusing adjusted copies in {terms}:\n  " + "\n  ".join(notes))

    env = benchmark_env()
    warehouse = folder / "dbt.duckdb"
    yard_warehouse = folder / "yardstick.duckdb"
    copy_duckdb(source, warehouse)
    stages: dict[str, object] = {}
    stages["prepare"] = run_stage(
        "prepare (terms, vintages)", stage_command("outcomes_prepare", warehouse, "--terms", terms, "--landing",
                                                  OUT / "ingest" / "landing", "--month", month,
                                                  "--report", folder / "prepare.json"),
        log=logs / "prepare.log", env=env, report=folder / "prepare.json")
    copy_duckdb(warehouse, yard_warehouse)

    dbt_env = benchmark_env(OUTCOME_LEDGER_WAREHOUSE=str(warehouse.resolve()))
    # As the monthly run calls it: the month comes from raw.current_run (no var), the manifest is
    # parsed once (later commands parse partially), and dbt unit tests are left to the test suite.
    common = ["--project-dir", str(REPO / "dbt_project"), "--profiles-dir", str(REPO / "dbt_project"),
              "--log-path", str(folder / "dbt_logs")]
    target = folder / "target"
    shutil.rmtree(target, ignore_errors=True)
    stages["dbt_parse"] = run_stage("dbt parse (full)", [DBT, "parse", *common, "--target-path", str(target)],
                                    log=logs / "dbt-parse.log", env=dbt_env)
    results = {}
    monthly = ["--exclude-resource-type", "unit_test"]
    for command in ("build", "run", "test"):
        stages[f"dbt_{command}"] = run_stage(f"dbt {command}",
                                             [DBT, command, *common, "--target-path", str(target),
                                              *(monthly if command != "run" else [])],
                                             log=logs / f"dbt-{command}.log", env=dbt_env, check=False)
        results[command] = run_results(target)
    stages["yardstick"] = run_stage(
        "yardstick (one SQL statement)", stage_command("outcomes_yardstick", yard_warehouse, "--month", month,
                                                       "--report", folder / "yardstick.json"),
        log=logs / "yardstick.log", env=env, report=folder / "yardstick.json")
    if not args.no_weeks_yardstick:
        weeks_warehouse = folder / "yardstick_weeks.duckdb"
        copy_duckdb(yard_warehouse, weeks_warehouse)
        stages["yardstick_weeks"] = run_stage(
            "yardstick with weeks (info)", stage_command(
                "outcomes_yardstick", weeks_warehouse, "--month", month, "--with-weeks",
                "--report", folder / "yardstick_weeks.json"),
            log=logs / "yardstick_weeks.log", env=env, report=folder / "yardstick_weeks.json")
    stages["compare"] = run_stage(
        "compare with fct_outcome_years", stage_command("outcomes_compare", warehouse, yard_warehouse,
                                                        "--report", folder / "compare.json"),
        log=logs / "compare.log", env=env, report=folder / "compare.json")

    yard = stages["yardstick"]
    summary = {"month": month, "terms": str(terms), "terms_adjustments": notes,
               "dbt_ok": all(stages[f"dbt_{c}"].returncode == 0 for c in ("build", "run", "test"))}
    for command in ("build", "run", "test"):
        s = stages[f"dbt_{command}"]
        summary[f"dbt_{command}_wall_s"] = s.wall_s
        summary[f"dbt_{command}_cpu_s"] = s.cpu_s
        summary[f"dbt_{command}_peak_rss_mb"] = s.peak_rss_mb
        summary[f"ratio_{command}_wall"] = ratio(s.wall_s, yard.wall_s)
    summary.update(
        dbt_parse_wall_s=stages["dbt_parse"].wall_s, yardstick_wall_s=yard.wall_s, yardstick_cpu_s=yard.cpu_s,
        yardstick_peak_rss_mb=yard.peak_rss_mb, yardstick_query_s=yard.details["query_seconds"],
        ratio_run_plus_test_wall=ratio(stages["dbt_run"].wall_s + stages["dbt_test"].wall_s, yard.wall_s),
        dbt_build_node_seconds=results["build"]["node_seconds_by_type"],
    )
    if "yardstick_weeks" in stages:
        w = stages["yardstick_weeks"]
        summary.update(yardstick_weeks_wall_s=w.wall_s, yardstick_weeks_cpu_s=w.cpu_s,
                       yardstick_weeks_peak_rss_mb=w.peak_rss_mb, yardstick_weeks_steps=w.details["step_seconds"],
                       ratio_run_vs_weeks_yardstick=ratio(stages["dbt_run"].wall_s, w.wall_s))
    summary["meets_ratio"] = summary["ratio_build_wall"] <= TARGET_RATIO
    summary["meets_memory"] = max(summary[f"dbt_{c}_peak_rss_mb"] for c in ("build", "run", "test")) < TARGET_PEAK_MB
    path = write_results("outcomes", {"machine": info, "busy_processes_at_end": busy_processes(),
                                      "generated": generated, "summary": summary, "dbt_results": results,
                                      "stages": stages})

    compare = stages["compare"].details
    print(f"\nparticipants: {compare['dim_participants']}")
    print(f"mart rows: {compare['mart_rows']}")
    print(f"yardstick vs fct_outcome_years: {compare['yardstick_rows']} vs {compare['dbt_rows']} rows, "
          f"only in dbt {compare['only_in_dbt']}, only in yardstick {compare['only_in_yardstick']}, "
          f"differing values {compare['differing_values']} → {'identical' if compare['identical'] else 'DIFFERENT'}")
    for command in ("build", "run", "test"):
        r = results[command]
        print(f"\ndbt {command}: dbt elapsed {r['elapsed_time']:.1f} s; node seconds "
              + ", ".join(f"{k} {v:.1f}" for k, v in r["node_seconds_by_type"].items()))
        for node in r["slowest"][:8]:
            print(f"  {node['seconds']:7.2f} s  {node['node']}")
    print(f"\ndbt parse alone: {stages['dbt_parse'].wall_s:.1f} s")
    for command in ("build", "run", "test"):
        print(f"dbt {command}: wall {summary[f'dbt_{command}_wall_s']:.1f} s, cpu {summary[f'dbt_{command}_cpu_s']:.1f} s, "
              f"peak RSS {summary[f'dbt_{command}_peak_rss_mb']:.0f} MB, {summary[f'ratio_{command}_wall']:.2f}× the yardstick")
    print(f"yardstick: wall {yard.wall_s:.1f} s (statement {summary['yardstick_query_s']:.1f} s), cpu {yard.cpu_s:.1f} s, "
          f"peak RSS {yard.peak_rss_mb:.0f} MB")
    if "yardstick_weeks" in stages:
        w = stages["yardstick_weeks"]
        print(f"yardstick with a participant-weeks table (info): wall {w.wall_s:.1f} s "
              f"({', '.join(f'{k} {v:.1f} s' for k, v in w.details['step_seconds'].items())}), "
              f"cpu {w.cpu_s:.1f} s, peak RSS {w.peak_rss_mb:.0f} MB")
    if not summary["dbt_ok"]:
        print(f"NOTE: a dbt command failed (see {logs}); its timings include the failure")
    print(f"target ≤ {TARGET_RATIO}× (dbt build): {'met' if summary['meets_ratio'] else 'MISSED'}; "
          f"peak < {TARGET_PEAK_MB} MB: {'met' if summary['meets_memory'] else 'MISSED'}")
    print(f"results: {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
