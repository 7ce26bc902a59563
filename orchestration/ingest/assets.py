"""Dagster assets of the ingest room: one per register extract, the terms, the selected vintages."""


import dagster as dg

from contracts.terms import load_terms_folder, write_terms_tables
from orchestration.ingest.loader import SourceLoadSummary, ingest_source
from orchestration.ingest.pseudonym import load_key
from orchestration.ingest.vintages import select_vintages
from orchestration.partitions import monthly_partitions
from orchestration.resources import LedgerFolders, Warehouse

WAREHOUSE_POOL = "warehouse"


def _ingest(context: dg.AssetExecutionContext, source: str, warehouse: Warehouse,
            folders: LedgerFolders) -> dg.MaterializeResult:
    key = load_key()
    with warehouse.connect() as con:
        summary = ingest_source(con, source, folders.landing_path, key, folders.threshold)
    _log(context, summary)
    return dg.MaterializeResult(metadata=_metadata(summary))


def _log(context: dg.AssetExecutionContext, summary: SourceLoadSummary) -> None:
    for outcome in summary.outcomes:
        if outcome.status == "rejected":
            context.log.warning(f"{summary.source}: rejected {outcome.message}")
        elif outcome.status == "loaded":
            context.log.info(
                f"{summary.source}: loaded {outcome.file_name}: {outcome.rows_loaded} of {outcome.rows_read} "
                f"lines, {outcome.rows_quarantined} quarantined")


def _metadata(summary: SourceLoadSummary) -> dict[str, dg.MetadataValue]:
    return {
        "files_loaded": dg.MetadataValue.int(summary.count("loaded")),
        "files_skipped": dg.MetadataValue.int(summary.count("skipped")),
        "files_rejected": dg.MetadataValue.int(summary.count("rejected")),
        "rows_loaded": dg.MetadataValue.int(summary.rows_loaded),
        "rows_quarantined": dg.MetadataValue.int(summary.rows_quarantined),
        "files": dg.MetadataValue.md(
            "| file | status | lines | loaded | quarantined | message |\n|---|---|---|---|---|---|\n"
            + "\n".join(
                f"| {o.file_name} | {o.status} | {o.rows_read or ''} | {o.rows_loaded or ''} | "
                f"{o.rows_quarantined or ''} | {o.message.replace('|', '/')} |"
                for o in summary.outcomes
            )
        ),
    }


@dg.asset(partitions_def=monthly_partitions, pool=WAREHOUSE_POOL, group_name="ingest",
          description="Referral lists of the landing folder, loaded into raw.referrals.")
def referrals_extract(context: dg.AssetExecutionContext, warehouse: Warehouse,
                      folders: LedgerFolders) -> dg.MaterializeResult:
    return _ingest(context, "referrals", warehouse, folders)


@dg.asset(partitions_def=monthly_partitions, pool=WAREHOUSE_POOL, group_name="ingest",
          description="Benefit-register (DREAM) extracts, loaded into raw.benefit_persons and raw.benefit_weeks.")
def benefit_register_extract(context: dg.AssetExecutionContext, warehouse: Warehouse,
                             folders: LedgerFolders) -> dg.MaterializeResult:
    return _ingest(context, "benefits", warehouse, folders)


@dg.asset(partitions_def=monthly_partitions, pool=WAREHOUSE_POOL, group_name="ingest",
          description="Income-register (eIndkomst) extracts, loaded into raw.income_lines, allocated to months.")
def income_register_extract(context: dg.AssetExecutionContext, warehouse: Warehouse,
                            folders: LedgerFolders) -> dg.MaterializeResult:
    return _ingest(context, "income", warehouse, folders)


@dg.asset(partitions_def=monthly_partitions, pool=WAREHOUSE_POOL, group_name="ingest",
          description="Validated contract terms of the terms folder, as raw.contract* tables.")
def contract_terms(context: dg.AssetExecutionContext, warehouse: Warehouse,
                   folders: LedgerFolders) -> dg.MaterializeResult:
    contracts = load_terms_folder(folders.contracts_path, folders.reference_path)
    with warehouse.connect() as con:
        write_terms_tables(con, contracts)
    context.log.info(f"{len(contracts)} contract(s): {', '.join(c.id for c in contracts)}")
    return dg.MaterializeResult(metadata={
        "contracts": dg.MetadataValue.int(len(contracts)),
        "terms": dg.MetadataValue.md("\n".join(f"- `{c.id}` ({c.payment.mechanism}) sha256 {c.terms_sha256[:12]}…"
                                               for c in contracts)),
    })


@dg.asset(partitions_def=monthly_partitions, pool=WAREHOUSE_POOL, group_name="ingest",
          deps=[referrals_extract, benefit_register_extract, income_register_extract, contract_terms],
          description="Per source, the loaded file the month's run reads (latest as-of ≤ month end).")
def selected_vintages(context: dg.AssetExecutionContext, warehouse: Warehouse,
                      folders: LedgerFolders) -> dg.MaterializeResult:
    contracts = load_terms_folder(folders.contracts_path, folders.reference_path)
    needed = ("referrals", "benefits") + (("income",) if any(c.uses_employment_hours for c in contracts) else ())
    with warehouse.connect() as con:
        chosen = select_vintages(con, context.partition_key, folders.landing_path, needed)
    for v in chosen.values():
        context.log.info(f"{v.source}: {v.file_name} (as of {v.vintage})")
    return dg.MaterializeResult(metadata={
        f"{v.source}_vintage": dg.MetadataValue.text(f"{v.file_name} sha256 {v.file_sha256}") for v in chosen.values()
    })


ingest_assets = [referrals_extract, benefit_register_extract, income_register_extract, contract_terms,
                 selected_vintages]
