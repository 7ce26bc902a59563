"""Many-months benchmark: consecutive monthly runs of one warehouse through the real command line,
and what each month costs as the months accumulate.

    .venv/bin/python -m benchmarks.months [--participants 10000] [--months 36] [--first-month 2023-07]
    .venv/bin/python -m benchmarks.months --table [results.json]     # the table of docs/benchmarks.md
    .venv/bin/python -m benchmarks.months --evidence [analyst copy]  # evidence written per month

1. Generates every vintage once (SyntheticConfig: `participants`, benefit register from
   2022-01-03, cohort starting 2023-01-02 … 2023-06-30, one vintage per month-end of the run
   months) under benchmarks/out/months/all, and adjusted copies of the example terms (cohort
   window set to the synthetic starts, no cohort cap, as the outcomes benchmark does).
2. For each month in turn: links that month's three files (referrals, benefit and income
   register as of the month-end) into the run's landing folder — files land month by month, as
   in production — and runs `outcome-ledger run --month M` on the same warehouse (fresh at the
   first month), measured in its own process (wall, CPU, peak RSS).
3. After each month: the size of the warehouse file (+ WAL) and of the analysts' copy, and row
   counts of what accumulates (raw benefit weeks, statements, evidence tables).
Target: month N's run time (and warehouse growth) within 1.25× of month 1's.
"""

from __future__ import annotations

import argparse
import calendar
import json
import os
import re
import sys
from datetime import date, timedelta
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import (  # noqa: E402
    BENCHMARK_KEY, OUT, PYTHON, REPO, benchmark_env, busy_processes, fresh_duckdb, machine, run_stage,
    write_results,
)

TARGET_RATIO = 1.25
CLI = str(Path(PYTHON).parent / "outcome-ledger")
FIRST_WEEK = date(2022, 1, 3)
COHORT = (date(2023, 1, 2), date(2023, 6, 30))

USED = "weeks used by the month's statements"
#: What accumulates: row counts read after each month (the warehouse, read-only).
COUNTS = {
    "raw.benefit_weeks": "SELECT count(*) FROM raw.benefit_weeks",
    "payments.statements": "SELECT count(*) FROM payments.statements",
    "payments.item_evidence": "SELECT count(*) FROM payments.item_evidence",
    "audit.statement_evidence_outcomes": "SELECT count(*) FROM audit.statement_evidence_outcomes",
    "audit.statement_evidence_persons": "SELECT count(*) FROM audit.statement_evidence_persons",
    "audit.evidence_weeks": "SELECT count(*) FROM audit.evidence_weeks",
    "weeks used by the month's statements": "SELECT sum(week_rows) FROM audit.statement_evidence_runs "
                                            "WHERE month = $m",
}


def month_list(first: str, count: int) -> list[str]:
    year, month = (int(p) for p in first.split("-"))
    out = []
    for _ in range(count):
        out.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


def month_end_of(month: str) -> date:
    year, m = (int(p) for p in month.split("-"))
    return date(year, m, calendar.monthrange(year, m)[1])


def generate(folder: Path, participants: int, months: list[str], *, reuse: bool) -> dict[str, list[str]]:
    """Write every vintage under folder/all once; return, per run month, its three file paths
    (relative to folder/all)."""
    from synthetic import SyntheticConfig, generate_extracts
    from synthetic.weeks import benefit_file_name, coverage_month, coverage_week, income_file_name, \
        referral_file_name

    vintages = [month_end_of(m) for m in months]
    last = vintages[-1]
    weeks = (last + timedelta(days=7) - FIRST_WEEK).days // 7 + 1
    config = SyntheticConfig(participants=participants, weeks=weeks, first_week=FIRST_WEEK,
                             cohort_start=COHORT[0], cohort_end=COHORT[1])
    files = {m: [f"referrals/{referral_file_name(d)}", f"benefits/{benefit_file_name(coverage_week(d))}",
                 f"income/{income_file_name(coverage_month(d))}"] for m, d in zip(months, vintages, strict=True)}
    everything = folder / "all"
    if not (reuse and all((everything / f).exists() for fs in files.values() for f in fs)):
        generate_extracts(everything, config, vintages=vintages)
    missing = [f for fs in files.values() for f in fs if not (everything / f).exists()]
    if missing:
        raise SystemExit(f"generated files not found: {missing[:5]}")
    return files


def sizes(warehouse: Path) -> dict[str, float]:
    def mb(path: Path) -> float:
        return path.stat().st_size / 2**20 if path.exists() else 0.0
    copy = warehouse.with_name(warehouse.stem + ".analyst.duckdb")
    return {"warehouse_mb": mb(warehouse) + mb(Path(str(warehouse) + ".wal")), "analyst_copy_mb": mb(copy)}


def counts(warehouse: Path, month: str) -> dict[str, int]:
    import duckdb
    out = {}
    with duckdb.connect(str(warehouse), read_only=True) as con:
        for label, query in COUNTS.items():
            try:
                out[label] = int(con.execute(query, {"m": month} if "$m" in query else None).fetchall()[0][0] or 0)
            except duckdb.Error:
                out[label] = 0
    return out


def published_rows(log: Path) -> str | None:
    text = log.read_text(encoding="utf-8", errors="replace") if log.exists() else ""
    lines = [line for line in text.splitlines() if "published:" in line]
    return lines[-1].strip() if lines else None


PROGRESS = re.compile(r"^\s+\[\s*(\d+) s\] (.*)$")
#: The run's steps, by the progress line that ends each (seconds from the process start).
STEP_ENDS = (("start", "allowed"), ("ingest", "vintages:"), ("dbt", "models built"),
             ("issue + evidence", "issued:"), ("publish", "published:"))


def step_seconds(log: Path) -> dict[str, int]:
    """Seconds per step of one run, from its progress lines (whole seconds, as printed)."""
    if not log.exists():
        return {}
    marks = [(int(m.group(1)), m.group(2)) for line in log.read_text(encoding="utf-8", errors="replace").splitlines()
             if (m := PROGRESS.match(line))]
    out, previous = {}, 0
    for step, text in STEP_ENDS:
        at = next((s for s, line in marks if line.startswith(text) or text in line), None)
        if at is not None:
            out[step], previous = at - previous, at
    return out


def markdown(rows: list[dict], logs: Path | None = None) -> str:
    """The per-month table of docs/benchmarks.md from a results file's rows (and the runs' logs)."""
    first = rows[0]
    lines = ["| month | run | wall s | CPU s | wall / month 1 | CPU / month 1 | load | start / ingest / dbt / "
             "issue+evidence / publish s | warehouse MB (growth) | analysts' copy MB | evidence weeks stored (new) "
             "| weeks the statements use | rows published |",
             "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"]
    previous = 0
    for row in rows:
        stored = row["audit.evidence_weeks"]
        published = row.get("published") or ""
        written = published.rsplit("; ", 1)[-1].split(" rows")[0] if "rows written" in published else "?"
        month_log = logs / f"run-{row['month']}.log" if logs else None
        steps = " / ".join(str(v) for v in step_seconds(month_log).values()) if month_log else ""
        lines.append(
            f"| {row['index']} | {row['month']} | {row['wall_s']:.0f} | {row['cpu_s']:.0f} | "
            f"{row['wall_s'] / first['wall_s']:.2f} | {row['cpu_s'] / first['cpu_s']:.2f} | "
            f"{row['load_before']:.0f}–{row['load_after']:.0f} | "
            f"{steps} | "
            f"{row['warehouse_mb']:.0f} "
            f"(+{row['warehouse_growth_mb']:.1f}) | {row['analyst_copy_mb']:.0f} | {stored:,} (+{stored - previous:,}) | "
            f"{row[USED]:,} | {written} |")
        previous = stored
    return "\n".join(lines)


#: Per statement month: what the evidence design of docs/trace.md writes, against what the former
#: design (a copy of every week, bridge row, income and referral line per statement) copied.
EVIDENCE_SQL = """
WITH bridge AS (SELECT statement_id, count(*) AS n FROM audit.statement_evidence_item_weeks GROUP BY 1)
SELECT r.month, sum(r.outcome_rows), sum(r.week_rows), sum(coalesce(b.n, 0)), sum(r.income_rows),
       sum(r.referral_rows),
       (SELECT count(*) FROM audit.evidence_weeks v WHERE v.from_month = r.month),
       (SELECT count(*) FROM audit.statement_evidence_persons p WHERE p.statement_id IN
           (SELECT statement_id FROM audit.statement_evidence_runs x WHERE x.month = r.month))
FROM audit.statement_evidence_runs r LEFT JOIN bridge b ON b.statement_id = r.statement_id
GROUP BY r.month ORDER BY r.month
"""


def evidence_markdown(copy: Path) -> str:
    """The evidence table of docs/benchmarks.md §6, read from an analysts' copy."""
    import duckdb
    with duckdb.connect(str(copy), read_only=True) as con:
        rows = con.execute(EVIDENCE_SQL).fetchall()
    lines = ["| month | outcome rows (both designs) | former design copied: weeks + bridge + income + referral "
             "lines | this design writes: new week versions + person rows |", "| --- | --- | --- | --- |"]
    for month, outcomes, weeks, bridge, income, referrals, versions, persons in rows:
        lines.append(f"| {month} | {outcomes:,} | {weeks + bridge + income + referrals:,} ({weeks:,} + {bridge:,} + "
                     f"{income:,} + {referrals:,}) | {versions + persons:,} ({versions:,} + {persons:,}) |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    if argv is None and len(sys.argv) > 1 and sys.argv[1] == "--evidence":
        copy = Path(sys.argv[2]) if len(sys.argv) > 2 else (
            OUT / "months" / "warehouse" / "outcome_ledger.analyst.duckdb")
        print(evidence_markdown(copy))
        return 0
    if argv is None and len(sys.argv) > 1 and sys.argv[1] == "--table":
        results = Path(sys.argv[2]) if len(sys.argv) > 2 else OUT / "months" / "results.json"
        print(markdown(json.loads(results.read_text())["months"], results.parent / "logs"))
        return 0
    parser = argparse.ArgumentParser(prog="benchmarks.months", description=__doc__.split("\n")[0])
    parser.add_argument("--participants", type=int, default=10_000)
    parser.add_argument("--months", type=int, default=36)
    parser.add_argument("--first-month", default="2023-07")
    parser.add_argument("--reuse-landing", action="store_true", help="reuse generated files when present")
    parser.add_argument("--out", default=str(OUT / "months"))
    args = parser.parse_args(argv)

    from benchmarks.outcomes import EXAMPLE_TERMS, adjusted_terms

    folder = Path(args.out)
    logs, landing = folder / "logs", folder / "landing"
    info = machine()
    print(f"months benchmark — {info['date']}, {info['cores']} cores, load {info['load_at_start']}", flush=True)
    months = month_list(args.first_month, args.months)
    files = generate(folder, args.participants, months, reuse=args.reuse_landing)
    terms_notes = adjusted_terms(EXAMPLE_TERMS, folder / "terms", *COHORT)
    warehouse = folder / "warehouse" / "outcome_ledger.duckdb"
    fresh_duckdb(warehouse)
    fresh_duckdb(warehouse.with_name(warehouse.stem + ".analyst.duckdb"))
    for sub in ("referrals", "benefits", "income"):
        target = landing / sub
        target.mkdir(parents=True, exist_ok=True)
        for old in target.iterdir():
            old.unlink()
    env = benchmark_env(OUTCOME_LEDGER_PSEUDONYM_KEY=BENCHMARK_KEY)
    # a steady-state monthly run does not parse the dbt project: parse it first if needed
    run_stage("manifest warm-up (dbt parse if stale)", [PYTHON, "-c", "from orchestration.dbt.project import "
                                                        "ensure_manifest; ensure_manifest()"],
              log=logs / "manifest-warm-up.log", env=env, check=False)

    rows = []
    for index, month in enumerate(months, start=1):
        for name in files[month]:
            link = landing / name
            if not link.exists():
                os.link(folder / "all" / name, link)
        log = logs / f"run-{month}.log"
        stage = run_stage(f"month {index:2d} {month}", [
            CLI, "run", "--month", month, "--landing", str(landing), "--contracts", str(folder / "terms"),
            "--warehouse", str(warehouse)], log=log, env=env, check=False)
        row = {"index": index, "month": month, "returncode": stage.returncode, "wall_s": stage.wall_s,
               "cpu_s": stage.cpu_s, "peak_rss_mb": stage.peak_rss_mb, "tree_peak_mb": stage.tree_peak_mb,
               "load_before": stage.load_before[0], "load_after": stage.load_after[0],
               **sizes(warehouse), **counts(warehouse, month), "published": published_rows(log)}
        row["warehouse_growth_mb"] = row["warehouse_mb"] - (rows[-1]["warehouse_mb"] if rows else 0.0)
        row["copy_growth_mb"] = row["analyst_copy_mb"] - (rows[-1]["analyst_copy_mb"] if rows else 0.0)
        rows.append(row)
        print(f"    warehouse {row['warehouse_mb']:.1f} MB (+{row['warehouse_growth_mb']:.1f}), copy "
              f"{row['analyst_copy_mb']:.1f} MB; evidence weeks {row['audit.evidence_weeks']:,} "
              f"(used this month {row['weeks used by the month' + chr(39) + 's statements']:,}); "
              f"{row['published']}", flush=True)
        (folder / "results.json").write_text(json.dumps(   # after every month: a partial result
            {"machine": info, "args": vars(args), "terms_adjustments": terms_notes, "months": rows,
             "partial": True}, indent=2, default=str))
        if stage.returncode:
            print(f"month {month} failed: see {log}")
            break

    first, last = rows[0], rows[-1]
    summary = {
        "months_run": len(rows),
        "wall_ratio_last_to_first": last["wall_s"] / first["wall_s"],
        "cpu_ratio_last_to_first": last["cpu_s"] / first["cpu_s"],
        "meets_target": last["returncode"] == 0 and len(rows) == len(months)
                        and last["wall_s"] <= TARGET_RATIO * first["wall_s"],
    }
    final = {"machine": info, "busy_processes_at_end": busy_processes(), "args": vars(args),
             "terms_adjustments": terms_notes, "months": rows, "summary": summary, "partial": False}
    if folder == OUT / "months":
        path = write_results("months", final)     # results.json and a timestamped copy
    else:                                          # --out elsewhere: the results stay there
        path = folder / "results.json"
        path.write_text(json.dumps(final, indent=2, default=str))
    print(f"\nmonth {len(rows)} / month 1: wall {summary['wall_ratio_last_to_first']:.2f}×, cpu "
          f"{summary['cpu_ratio_last_to_first']:.2f}×; target ≤ {TARGET_RATIO}×: "
          f"{'met' if summary['meets_target'] else 'MISSED'}")
    print(f"results: {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
