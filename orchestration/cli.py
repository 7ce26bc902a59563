"""`outcome-ledger`: the command line, a thin shell over the Dagster job and the audit tools.

This module imports only the standard library and the settings, so `--help`, `--version` and
every refusal that needs no warehouse answer at once; Dagster and dbt are imported when a run
actually starts.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import warnings
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from orchestration.clock import MONTH_PATTERN, TODAY_ENV
from orchestration.errors import LedgerError
from orchestration.settings import CONTRACTS_ENV, LANDING_ENV, THRESHOLD_ENV, WAREHOUSE_ENV, Settings

DESCRIPTION = ("Verifies the outcomes of social-investment contracts from register extracts and "
               "issues each month's statements, every payment traceable to its source rows.")
EXAMPLE_STATEMENT = "brondby-dsi-tuba:2024-12"


def _month(value: str) -> str:
    if not MONTH_PATTERN.fullmatch(value):
        raise argparse.ArgumentTypeError(f"{value!r} is not a month written YYYY-MM")
    return value


def _version() -> str:
    try:
        return version("outcome-ledger")
    except PackageNotFoundError:
        return "unknown (not installed)"


def parser() -> argparse.ArgumentParser:
    main = argparse.ArgumentParser(prog="outcome-ledger", description=DESCRIPTION)
    main.add_argument("--version", action="version", version=f"outcome-ledger {_version()}")
    commands = main.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def warehouse_option(command: argparse.ArgumentParser) -> None:
        command.add_argument("--warehouse", type=Path, metavar="FILE",
                             help=f"the DuckDB warehouse file (or {WAREHOUSE_ENV}; default "
                                  f"warehouse/outcome_ledger.duckdb)")

    run = commands.add_parser(
        "run", help="load new extracts, build the models and issue (or --preview) a month's statements",
        description="Loads every new extract of the landing folder, builds participant-weeks and "
                    "outcome-years, and issues the month's statements — only for a month that has "
                    "ended (Europe/Copenhagen). With --preview it issues nothing and prints what "
                    "would be issued, for any month.",
        epilog=f"Today is the date in Copenhagen unless {TODAY_ENV}=YYYY-MM-DD says otherwise. "
               f"{THRESHOLD_ENV} (e.g. 0.05 or 5%) sets the share of quarantined lines that rejects a file.")
    run.add_argument("--month", required=True, type=_month, metavar="YYYY-MM", help="the statement month")
    run.add_argument("--preview", action="store_true",
                     help="issue nothing: print the statements, lines and budget entries the month would get")
    run.add_argument("--landing", type=Path, metavar="DIR",
                     help=f"the landing folder with referrals/, benefits/, income/ (or {LANDING_ENV}; default landing/)")
    run.add_argument("--contracts", type=Path, metavar="DIR",
                     help=f"the folder of contract terms *.yml (or {CONTRACTS_ENV}; default contracts/terms/)")
    warehouse_option(run)
    run.add_argument("--verbose", action="store_true", help="show Dagster's and dbt's log instead of progress lines")

    trace = commands.add_parser("trace", help="print the trace of one statement line back to the source files",
                                description="Prints a summary of what one statement line rests on (for a "
                                            "contract-level item: participants, participant-years, sums per "
                                            "follow-up year and benefit group, largest contributors, source files), "
                                            "then how to drill down to every source line.")
    trace.add_argument("statement_id", help=f"the statement, e.g. {EXAMPLE_STATEMENT}")
    trace.add_argument("line_no", type=int, help="the line number on the statement")
    detail = trace.add_mutually_exclusive_group()
    detail.add_argument("--person", metavar="KEY", help="one participant's whole chain (a person key, or its first "
                                                        "8+ characters)")
    detail.add_argument("--full", action="store_true", help="every evidence row of the line")
    trace.add_argument("--format", choices=("text", "csv", "json"), default="text", help="text (default), or csv "
                                                                                        "or json for tools")
    warehouse_option(trace)

    report = commands.add_parser("report", help="write the auditor's HTML report of a statement")
    report.add_argument("statement_id", help=f"the statement, e.g. {EXAMPLE_STATEMENT}")
    report.add_argument("--out", type=Path, metavar="FILE",
                        help="the HTML file (default: reports/<contract>_<month>.html beside the warehouse)")
    warehouse_option(report)

    budget = commands.add_parser(
        "budget", help="print the budget forecast: budget years across, accounts and kinds down",
        description="Prints each contract's latest budget forecast (or that of --month): per budget "
                    "year, account and kind, the amounts booked by issued statements (actual) and "
                    "those still expected, and what the expected amounts rest on. Reads only.")
    budget.add_argument("--contract", metavar="ID", help="only this contract")
    budget.add_argument("--month", type=_month, metavar="YYYY-MM", help="the forecast of this run month")
    warehouse_option(budget)

    verify = commands.add_parser(
        "verify", help="re-derive issued statements from their recorded inputs and compare",
        description="Checks that the landed files a statement recorded still have their SHA-256 and that its "
                    "stored terms and reference copies are intact, re-derives the statement in a scratch "
                    "warehouse from exactly those files (with the contract's earlier statements), and compares "
                    "items, lines, totals and statement_sha256. Prints 'verified' or each difference "
                    "(exit status 1). The real warehouse and the landing folder are only read.",
        epilog="The pseudonym key in force (OUTCOME_LEDGER_PSEUDONYM_KEY, or the file OUTCOME_LEDGER_KEY_FILE "
               "names) must be the warehouse's. See docs/verify.md.")
    verify.add_argument("statement_ids", nargs="+", metavar="STATEMENT_ID",
                        help=f"the statement(s), e.g. {EXAMPLE_STATEMENT}")
    verify.add_argument("--landing", type=Path, metavar="DIR",
                        help=f"the landing folder holding the recorded files (or {LANDING_ENV}; default landing/)")
    warehouse_option(verify)

    export = commands.add_parser(
        "export", help="write the public tables of the latest completed run as Parquet files",
        description="Writes every public table (marts, payments, audit, reference) of the latest completed "
                    "run as one Parquet file per table, read from the analysts' copy: it never waits for "
                    "a run that is writing.")
    export.add_argument("--out", type=Path, metavar="DIR", help="the folder (default: export/ beside the warehouse)")
    warehouse_option(export)

    demo = commands.add_parser("demo", help="write synthetic extracts and example contracts, and run four months",
                               description="Builds a demo folder from scratch: synthetic extracts delivered "
                                           "month by month, the example contracts, and the statements of "
                                           "2024-09 to 2024-12.")
    demo.add_argument("--dir", type=Path, default=Path("demo"), metavar="DIR", help="the demo folder (default demo/)")
    demo.add_argument("--verbose", action="store_true", help="show Dagster's and dbt's log instead of progress lines")
    return main


def settings_from(args: argparse.Namespace) -> Settings:
    """The settings in force: the command's options over the environment (nothing is written)."""
    return Settings.from_environment(landing=getattr(args, "landing", None),
                                     contracts=getattr(args, "contracts", None),
                                     warehouse=getattr(args, "warehouse", None))


def run(args: argparse.Namespace) -> None:
    from orchestration.faults import check_fault_setting
    from orchestration.guard import refuse_before_reading

    settings = settings_from(args)
    mode = "preview" if args.preview else "issue"
    print(f"outcome-ledger run {args.month} ({mode}) — warehouse {settings.warehouse}", flush=True)
    check_fault_setting()
    refuse_before_reading(settings, args.month, issue=not args.preview)
    from orchestration.run import run_month   # imports DuckDB; Dagster and dbt only when the job starts

    run_month(settings, args.month, issue=not args.preview, verbose=args.verbose)


def audit(args: argparse.Namespace) -> None:
    """`trace` and `report`: read the warehouse (or the analysts' copy) without writing."""
    from orchestration.audit import TraceError, render_report, write_trace

    warehouse = settings_from(args).warehouse
    try:
        if args.command == "trace":
            write_trace(sys.stdout, warehouse, args.statement_id, args.line_no, person=args.person,
                        full=args.full, fmt=args.format)
        else:
            html = render_report(warehouse, args.statement_id)
            out = args.out or warehouse.parent / "reports" / (args.statement_id.replace(":", "_") + ".html")
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_text(html, encoding="utf-8")
            print(f"wrote {out}")
    except TraceError as error:
        raise LedgerError(str(error)) from None
    except BrokenPipeError:   # `trace … | head`: the reader has had enough
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 (stdout for the interpreter's exit flush)


def export(args: argparse.Namespace) -> None:
    """`export`: Parquet files of the public tables, from the analysts' copy."""
    from orchestration.export import export_public_tables

    tables = export_public_tables(settings_from(args).warehouse, args.out)
    for table in tables:
        print(f"{table.rows:>12,}  {table.path}")
    print(f"exported {len(tables)} tables")


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
            run(args)
        elif args.command in ("trace", "report"):
            audit(args)
        elif args.command == "budget":
            from orchestration.budget import print_budget
            print_budget(settings_from(args).warehouse, contract=args.contract, month=args.month)
        elif args.command == "verify":
            from orchestration.audit.verify import run_verify
            settings = settings_from(args)
            run_verify(settings.warehouse, args.statement_ids, settings.landing)
        elif args.command == "export":
            export(args)
        elif args.command == "demo":
            from orchestration.demo import run_demo
            run_demo(args.dir, verbose=args.verbose)
    except Exception as error:
        if not isinstance(error, LedgerError):
            from orchestration.errors import user_errors
            if not isinstance(error, user_errors()):
                raise
        print(f"outcome-ledger: {error}", file=sys.stderr)
        return 1
    finally:
        product_log.removeHandler(handler)
    return 0


if __name__ == "__main__":
    sys.exit(main())
