"""Ingest benchmark: the product's `ingest_landing` against a plain DuckDB load of the same files.

    .venv/bin/python -m benchmarks.ingest [--participants 100000] [--weeks 300] [--repeat 1]
                                          [--reuse-landing] [--profile] [--no-typed]

1. Generates the synthetic landing folder (one vintage) under benchmarks/out/ingest/landing.
2. Product: `ingest_source` of referrals, benefits, income (what `ingest_landing` does) into a
   fresh DuckDB file (benchmarks/out/ingest/product.duckdb — the outcomes benchmark reads it).
3. Yardstick: DuckDB `read_csv` (all VARCHAR, `;`) + UNPIVOT of the week columns + income.
4. Typed yardstick (information, not the target): the product's raw tables, typed, with HMAC
   person keys and the income allocation, without validation — what ingest must do at least.
Each in its own process; target: product within 4× the yardstick, peak RSS under 4 GB.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import (  # noqa: E402
    OUT, benchmark_env, busy_processes, generated_landing, machine, ratio, run_stage, stage_command,
    write_results,
)

TARGET_RATIO = 4.0
TARGET_PEAK_MB = 4096


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="benchmarks.ingest", description=__doc__.split("\n")[0])
    parser.add_argument("--participants", type=int, default=100_000)
    parser.add_argument("--weeks", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=1, help="measure product and yardstick N times (best kept)")
    parser.add_argument("--reuse-landing", action="store_true", help="keep an existing generated landing folder")
    parser.add_argument("--profile", action="store_true", help="one more product run under cProfile")
    parser.add_argument("--no-typed", action="store_true", help="skip the typed yardstick")
    args = parser.parse_args(argv)

    folder = OUT / "ingest"
    landing = folder / "landing"
    logs = folder / "logs"
    env = benchmark_env()
    info = machine()
    print(f"ingest benchmark — {info['date']}, {info['cores']} cores, load {info['load_at_start']}")

    stages: dict[str, list] = {"generate": [], "product": [], "yardstick": [], "yardstick_typed": [], "profile": []}
    generated, generate = generated_landing(folder, landing, logs, env, reuse=args.reuse_landing,
                                            args=("--participants", args.participants, "--weeks", args.weeks))
    if generate is not None:
        stages["generate"].append(generate)
    for name, facts in generated["files"].items():
        print(f"  {name}: {facts['mb']} MB, {facts['physical_lines']} lines, {facts['columns']} columns")

    for i in range(args.repeat):
        stages["product"].append(run_stage(
            "product ingest", stage_command("product_ingest", landing, folder / "product.duckdb",
                                            "--report", folder / f"product-{i}.json"),
            log=logs / f"product-{i}.log", env=env, report=folder / f"product-{i}.json"))
        stages["yardstick"].append(run_stage(
            "yardstick (read_csv+UNPIVOT)", stage_command("yardstick_ingest", landing, folder / "yardstick.duckdb",
                                                          "--report", folder / f"yardstick-{i}.json"),
            log=logs / f"yardstick-{i}.log", env=env, report=folder / f"yardstick-{i}.json"))
    if not args.no_typed:
        stages["yardstick_typed"].append(run_stage(
            "typed yardstick (info)", stage_command("yardstick_ingest_typed", landing,
                                                    folder / "yardstick_typed.duckdb",
                                                    "--report", folder / "yardstick_typed.json"),
            log=logs / "yardstick_typed.log", env=env, report=folder / "yardstick_typed.json"))
    if args.profile:
        stages["profile"].append(run_stage(
            "product ingest (cProfile)", stage_command(
                "product_ingest", landing, folder / "product_profiled.duckdb", "--no-breakdown",
                "--profile", folder / "product.prof", "--report", folder / "product-profiled.json"),
            log=logs / "product-profiled.log", env=env, report=folder / "product-profiled.json"))

    product = min(stages["product"], key=lambda s: s.wall_s)
    yardstick = min(stages["yardstick"], key=lambda s: s.wall_s)
    summary = {
        "product_wall_s": product.wall_s, "product_cpu_s": product.cpu_s,
        "product_peak_rss_mb": max(s.peak_rss_mb for s in stages["product"]),
        "yardstick_wall_s": yardstick.wall_s, "yardstick_cpu_s": yardstick.cpu_s,
        "yardstick_peak_rss_mb": max(s.peak_rss_mb for s in stages["yardstick"]),
        "ratio_wall": ratio(product.wall_s, yardstick.wall_s),
        "ratio_cpu": ratio(product.cpu_s, yardstick.cpu_s),
        # inside the process, without interpreter start and imports
        "product_ingest_s": sum(product.details["source_seconds"].values()),
        "product_import_s": product.details["import_seconds"],
        "yardstick_work_s": sum(yardstick.details["step_seconds"].values()),
    }
    summary["ratio_work"] = ratio(summary["product_ingest_s"], summary["yardstick_work_s"])
    if stages["yardstick_typed"]:
        typed = stages["yardstick_typed"][0]
        summary.update(typed_wall_s=typed.wall_s, typed_cpu_s=typed.cpu_s, typed_peak_rss_mb=typed.peak_rss_mb,
                       ratio_wall_vs_typed=ratio(product.wall_s, typed.wall_s))
    summary["meets_ratio"] = summary["ratio_wall"] <= TARGET_RATIO
    summary["meets_memory"] = summary["product_peak_rss_mb"] < TARGET_PEAK_MB
    path = write_results("ingest", {"machine": info, "busy_processes_at_end": busy_processes(),
                                    "args": vars(args), "generated": generated, "summary": summary,
                                    "stages": stages})

    print("\nproduct inner timings (best run):")
    details = product.details
    print(f"  imports {details['import_seconds']:.1f} s; per source: "
          + ", ".join(f"{k} {v:.1f} s" for k, v in details["source_seconds"].items()))
    print("  peak RSS so far after each source: "
          + ", ".join(f"{k} {v:.0f} MB" for k, v in details["peak_rss_mb_after_source"].items()))
    for label, value in sorted(details["breakdown"].items(), key=lambda kv: -kv[1]["seconds"]):
        print(f"  {value['seconds']:8.2f} s  ×{value['calls']:<3} peak so far {value.get('peak_rss_mb_so_far', 0):5.0f} MB  {label}")
    print(f"  rows: {details['row_counts']}")
    print(f"\nproduct: wall {product.wall_s:.1f} s, cpu {product.cpu_s:.1f} s, peak RSS "
          f"{summary['product_peak_rss_mb']:.0f} MB")
    print(f"yardstick: wall {yardstick.wall_s:.1f} s, cpu {yardstick.cpu_s:.1f} s, peak RSS "
          f"{summary['yardstick_peak_rss_mb']:.0f} MB")
    print(f"inside the process: product ingest {summary['product_ingest_s']:.1f} s (+ imports "
          f"{summary['product_import_s']:.1f} s), yardstick statements {summary['yardstick_work_s']:.1f} s "
          f"→ {summary['ratio_work']:.2f}×")
    print(f"ratio product/yardstick: wall {summary['ratio_wall']:.2f}×, cpu {summary['ratio_cpu']:.2f}× "
          f"(target ≤ {TARGET_RATIO}×: {'met' if summary['meets_ratio'] else 'MISSED'}); "
          f"peak < {TARGET_PEAK_MB} MB: {'met' if summary['meets_memory'] else 'MISSED'}")
    print(f"results: {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
