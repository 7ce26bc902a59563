"""The final asset of the monthly run: the month's statements, lines and budget entries."""

import subprocess
from datetime import datetime, timezone

import dagster as dg

from contracts.payments import RunInputs, issue_statements
from orchestration.audit import record_evidence
from orchestration.ingest.assets import ONE_MONTH_PER_RUN, WAREHOUSE_POOL
from orchestration.partitions import monthly_partitions
from orchestration.resources import LedgerFolders, Warehouse
from orchestration.settings import REPOSITORY_ROOT

#: The marts the payment engine reads (contracts.payments.tables.INPUT_TABLES) and the evidence
#: copies (fct_participant_weeks).
MART_INPUTS = ("dim_contracts", "dim_payment_terms", "dim_rate_card_outcomes", "dim_selected_vintages",
               "dim_benefit_groups", "dim_participants", "fct_participant_weeks", "fct_outcome_years",
               "fct_outcome_year_savings", "fct_rate_card_achievements", "fct_streak_outcomes")


def git_commit() -> str | None:
    """The checkout's commit when the product runs from a git checkout, else None."""
    try:
        result = subprocess.run(["git", "-C", str(REPOSITORY_ROOT), "rev-parse", "HEAD"],
                                capture_output=True, text=True, check=False, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return None
    return result.stdout.strip() or None if result.returncode == 0 else None


@dg.asset(key=["payments", "statements"], partitions_def=monthly_partitions, pool=WAREHOUSE_POOL,
          backfill_policy=ONE_MONTH_PER_RUN, group_name="payments",
          deps=[dg.AssetKey(["marts", name]) for name in MART_INPUTS],
          description="One immutable statement per contract and month: lines (deltas against everything "
                      "posted before), totals, offsets, recorded inputs and budget entries.")
def payment_statements(context: dg.AssetExecutionContext, warehouse: Warehouse,
                       folders: LedgerFolders) -> dg.MaterializeResult:
    month = context.partition_key
    with warehouse.connect() as con:
        inputs = RunInputs.from_warehouse(con, month=month, reference_dir=folders.reference_path,
                                          git_commit=git_commit())
        result = issue_statements(con, month=month, inputs=inputs, issued_at=datetime.now(timezone.utc))
        evidence = record_evidence(con, month)
    context.log.info(result.describe())
    context.log.info(evidence.describe())
    return dg.MaterializeResult(metadata={
        "statements_issued": dg.MetadataValue.int(len(result.issued)),
        "statements_unchanged": dg.MetadataValue.int(len(result.unchanged)),
        "evidence_recorded": dg.MetadataValue.int(len(evidence.recorded)),
        "amount_payable_dkk": dg.MetadataValue.text(
            str(sum((s.amount_payable_dkk for s in result.statements), start=0))),
        "statements": dg.MetadataValue.md(
            "| statement | status | lines | entitlement to date | payable | offset carried |\n"
            "|---|---|---|---|---|---|\n" + "\n".join(
                f"| {s.statement_id} | {s.status} | {s.line_count} | {s.entitlement_to_date_dkk} | "
                f"{s.amount_payable_dkk} | {s.offset_carried_forward_dkk} |" for s in result.statements)),
    })
