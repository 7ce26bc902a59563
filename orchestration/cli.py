"""`outcome-ledger`: the command line, a thin shell over the Dagster job.

    outcome-ledger run --month YYYY-MM [--landing DIR] [--contracts DIR] [--warehouse FILE]
    outcome-ledger trace STATEMENT_ID LINE_NO
    outcome-ledger report STATEMENT_ID [--out FILE]
    outcome-ledger demo [--dir DIR]

Every refusal prints one clear message and exits with status 1.
"""

from __future__ import annotations

import argparse
import logging
import os
import re
import sys
import warnings
from datetime import datetime, timezone
from pathlib import Path

from orchestration.settings import CONTRACTS_ENV, LANDING_ENV, WAREHOUSE_ENV, Settings


class CommandError(Exception):
    """A refusal the user can act on; printed without a traceback."""


def _month(value: str) -> str:
    if not re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", value):
        raise argparse.ArgumentTypeError(f"{value!r} is not a month written YYYY-MM")
    return value


def parser() -> argparse.ArgumentParser:
    main = argparse.ArgumentParser(prog="outcome-ledger", description=__doc__.split("\n")[0])
    commands = main.add_subparsers(dest="command", required=True)
    run = commands.add_parser("run", help="load new extracts, build the models, issue the month's statements")
    run.add_argument("--month", required=True, type=_month, help="the statement month, YYYY-MM")
    run.add_argument("--landing", type=Path, help=f"landing folder (env {LANDING_ENV}, default landing/)")
    run.add_argument("--contracts", type=Path, help=f"contract-terms folder (env {CONTRACTS_ENV}, default contracts/terms/)")
    run.add_argument("--warehouse", type=Path, help=f"DuckDB file (env {WAREHOUSE_ENV}, default warehouse/outcome_ledger.duckdb)")
    run.add_argument("--verbose", action="store_true", help="show Dagster's step log")
    trace = commands.add_parser("trace", help="print the trace of one statement line")
    trace.add_argument("statement_id", help="e.g. brondby-dsi-tuba:2024-12")
    trace.add_argument("line_no", type=int)
    trace.add_argument("--warehouse", type=Path, help=f"DuckDB file (env {WAREHOUSE_ENV})")
    report = commands.add_parser("report", help="write the auditor's HTML report of a statement")
    report.add_argument("statement_id", help="e.g. brondby-dsi-tuba:2024-12")
    report.add_argument("--out", type=Path,
                        help="HTML file (default: reports/<contract>_<month>.html beside the warehouse)")
    report.add_argument("--warehouse", type=Path, help=f"DuckDB file (env {WAREHOUSE_ENV})")
    demo = commands.add_parser("demo", help="write synthetic extracts and contracts to a folder and run several months")
    demo.add_argument("--dir", type=Path, default=Path("demo"), help="demo folder (default demo/)")
    demo.add_argument("--verbose", action="store_true", help="show Dagster's step log")
    return main


def apply_options(args: argparse.Namespace) -> Settings:
    for option, env in (("landing", LANDING_ENV), ("contracts", CONTRACTS_ENV), ("warehouse", WAREHOUSE_ENV)):
        value = getattr(args, option, None)
        if value is not None:
            os.environ[env] = str(value)
    settings = Settings.from_environment()
    settings.export()
    return settings


def run_month(month: str, settings: Settings, *, verbose: bool = False) -> None:
    """Run the `monthly_run` job for `month` in this process and print its summary."""
    from orchestration.run import execute_monthly_run  # imports Dagster and dbt: keep --help fast
    from orchestration.summary import print_load_summary, print_run_summary

    started = datetime.now(timezone.utc).replace(tzinfo=None)
    try:
        execute_monthly_run(month, verbose=verbose)
    except CommandError:
        print_load_summary(settings, since=started)   # what was loaded or rejected before the refusal
        raise
    print_run_summary(settings, month, since=started)


def audit(args: argparse.Namespace) -> None:
    """`trace` and `report`: read the warehouse (or the analysts' copy) without writing."""
    from orchestration.audit import TraceError, print_trace, render_report

    warehouse = apply_options(args).warehouse
    try:
        if args.command == "trace":
            print(print_trace(warehouse, args.statement_id, args.line_no), end="")
        else:
            html = render_report(warehouse, args.statement_id)
            out = args.out or warehouse.parent / "reports" / (args.statement_id.replace(":", "_") + ".html")
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_text(html, encoding="utf-8")
            print(f"wrote {out}")
    except TraceError as error:
        raise CommandError(str(error)) from None


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    warnings.filterwarnings("ignore", message=r".*(is currently in beta|is currently in preview|sqlglotrs).*")
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(levelname)s: %(message)s"))
    product_log = logging.getLogger("orchestration")
    product_log.addHandler(handler)
    product_log.setLevel(logging.WARNING)
    try:
        if args.command == "run":
            run_month(args.month, apply_options(args), verbose=args.verbose)
        elif args.command in ("trace", "report"):
            audit(args)
        elif args.command == "demo":
            from orchestration.demo import run_demo
            run_demo(args.dir, verbose=args.verbose)
    except CommandError as error:
        print(f"outcome-ledger: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
