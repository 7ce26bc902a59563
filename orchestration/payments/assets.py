"""The monthly run's payment step: issue the month's statements, or preview them.

Issuing writes statements, lines, budget entries, the budget forecast, recorded inputs and the
trace's evidence in one transaction (spec: warehouse.md, "Running a month"): a run killed at any moment leaves all of it
or none of it. A preview computes the same in a transaction it rolls back (`preview.py`), shows
the figures in the run's metadata and materialises nothing, so the analysts' copy is not
republished either.
"""

import subprocess
from datetime import datetime, timezone

import dagster as dg

from contracts.payments import RunInputs, issue_statements
from orchestration.audit import record_evidence
from orchestration.faults import fault_point
from orchestration.payments.preview import issued_statement_ids, keep_preview, read_month
from orchestration.policy import RUN_POLICY
from orchestration.resources import LedgerFolders, RunMode, Warehouse
from orchestration.settings import REPOSITORY_ROOT
from orchestration.steps import refusals_as_failures, report
from orchestration.summary import forecast_report, markdown_table, statement_rows

#: The marts the payment engine reads (contracts.payments.tables.INPUT_TABLES) and the evidence
#: copies (fct_participant_weeks).
MART_INPUTS = ("dim_contracts", "dim_payment_terms", "dim_rate_card_outcomes", "dim_selected_vintages",
               "dim_benefit_groups", "dim_participants", "fct_participant_weeks", "fct_outcome_years",
               "fct_outcome_year_savings", "fct_rate_card_achievements", "fct_streak_outcomes",
               "dim_contract_forecasts", "dim_contract_forecast_savings", "dim_rate_card_outcome_years")
STATEMENTS = dg.AssetKey(["payments", "statements"])
SHOWN_LINES = 50   # lines listed in the run's metadata (all are in the tables)


def git_commit() -> str | None:
    """The checkout's commit when the product runs from a git checkout, else None."""
    try:
        result = subprocess.run(["git", "-C", str(REPOSITORY_ROOT), "rev-parse", "HEAD"],
                                capture_output=True, text=True, check=False, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return None
    return result.stdout.strip() or None if result.returncode == 0 else None


@dg.asset(key=STATEMENTS, group_name="payments", **RUN_POLICY, output_required=False,
          deps=[dg.AssetKey(["marts", name]) for name in MART_INPUTS],
          description="One immutable statement per contract and month: lines (deltas against everything "
                      "posted before), totals, offsets, recorded inputs and budget entries. Materialised "
                      "only by an issuing run; a preview records its figures as an observation.")
def payment_statements(context: dg.AssetExecutionContext, warehouse: Warehouse, folders: LedgerFolders,
                       run_mode: RunMode):
    month = context.partition_key
    now = datetime.now(timezone.utc)
    with refusals_as_failures(), warehouse.connect() as con:
        inputs = RunInputs.from_warehouse(con, month=month, reference_dir=folders.reference_path,
                                          git_commit=git_commit())
        issued_before = issued_statement_ids(con, month)
        con.begin()
        pending = True   # the transaction of the issue (or of the preview) is open
        try:
            result = issue_statements(con, month=month, inputs=inputs, issued_at=now)
            report(context, f"statements computed: {len(result.statements)} statement(s) for {month}")
            if run_mode.issue:
                evidence = record_evidence(con, month)
                fault_point("inside:statements")
                con.commit()
            else:
                previewed = read_month(con, month)
                con.rollback()
            pending = False
        finally:
            if pending:
                con.rollback()
        if not run_mode.issue:
            keep_preview(con, month, previewed, previewed_at=now.replace(tzinfo=None), today=folders.settings().today)
        summary = statement_rows(con, month, schema="payments" if run_mode.issue else "preview")
        forecast = forecast_report(con, month, schema="payments" if run_mode.issue else "preview", markdown=True)
    table = markdown_table(*summary)
    if not run_mode.issue:
        report(context, f"preview: {len(result.statements)} statement(s) would be issued or are unchanged; "
                        "nothing was issued")
        lines = previewed["statement_lines"]
        yield dg.AssetObservation(asset_key=STATEMENTS, partition=month, metadata={
            "mode": dg.MetadataValue.text("preview: nothing issued"),
            "statements": dg.MetadataValue.md(table),
            "lines": dg.MetadataValue.int(lines.num_rows),
            "lines_shown": dg.MetadataValue.md(_lines_markdown(lines)),
            "budget_entries": dg.MetadataValue.md(_budget_markdown(previewed["budget_entries"])),
            "already_issued": dg.MetadataValue.int(len(issued_before)),
            "budget_forecast": dg.MetadataValue.md(forecast or "no forecast"),
        })
        fault_point("after:statements")
        return
    context.log.info(result.describe())
    context.log.info(evidence.describe())
    report(context, f"issued: {len(result.issued)} new statement(s), {len(result.unchanged)} unchanged")
    fault_point("after:statements")
    yield dg.MaterializeResult(metadata={
        "mode": dg.MetadataValue.text("issue"),
        "statements_issued": dg.MetadataValue.int(len(result.issued)),
        "statements_unchanged": dg.MetadataValue.int(len(result.unchanged)),
        "evidence_recorded": dg.MetadataValue.int(len(evidence.recorded)),
        "amount_payable_dkk": dg.MetadataValue.text(
            str(sum((s.amount_payable_dkk for s in result.statements), start=0))),
        "statements": dg.MetadataValue.md(table),
        "budget_forecast": dg.MetadataValue.md(forecast or "no forecast"),
    })


def _lines_markdown(lines) -> str:
    rows = lines.select(["statement_id", "line_no", "kind", "outcome_id", "follow_up_year", "amount_dkk",
                         "explanation"]).slice(0, SHOWN_LINES).to_pylist()
    more = f"\n\n… and {lines.num_rows - SHOWN_LINES} more" if lines.num_rows > SHOWN_LINES else ""
    return markdown_table(["statement", "line", "kind", "outcome", "year", "amount", "explanation"],
                          [tuple(r.values()) for r in rows]) + more


def _budget_markdown(entries) -> str:
    rows = entries.select(["statement_id", "budget_year", "account", "kind", "amount_dkk"]).to_pylist()
    return markdown_table(["statement", "budget year", "account", "kind", "amount"], [tuple(r.values()) for r in rows])
