"""Dagster assets of the ingest room: the raw tables each extract, the terms and the vintage
selection write. Each step is a multi-asset over the `raw/<table>` keys that dbt's sources name."""

import dagster as dg

from contracts.terms import TABLES as TERMS_TABLES
from contracts.terms import load_terms_folder, write_terms_tables
from orchestration.errors import user_errors
from orchestration.faults import fault_point
from orchestration.ingest.loader import SourceLoadSummary, ingest_source, warehouse_fingerprint
from orchestration.ingest.pseudonym import load_key
from orchestration.ingest.vintages import select_vintages
from orchestration.policy import MONTH_GUARD, RUN_POLICY
from orchestration.resources import LedgerFolders, Warehouse
from orchestration.steps import refusal, refusals_as_failures, report

#: The raw tables each source's ingest writes (besides audit.loads and audit.quarantine).
SOURCE_TABLES = {
    "referrals": ("referrals",),
    "benefits": ("benefit_persons", "benefit_weeks"),
    "income": ("income_lines", "income_line_months", "income_uncovered_months"),
}


def _specs(tables: tuple[str, ...], description: str,
           deps: tuple[dg.AssetKey, ...] = (MONTH_GUARD,), skippable: bool = False) -> list[dg.AssetSpec]:
    """`skippable`: a refusal of the step ends the run without output (`orchestration.steps.refusal`)."""
    return [dg.AssetSpec(["raw", t], description=description, group_name="ingest", deps=deps, skippable=skippable)
            for t in tables]


#: The pandera validation of each extract, as an asset check on the source's first raw table.
VALIDATION_CHECK = "extract_validation"
SAMPLE_SIZE = 10


def _validation_check(source: str) -> list[dg.AssetCheckSpec]:
    return [dg.AssetCheckSpec(VALIDATION_CHECK, asset=dg.AssetKey(["raw", SOURCE_TABLES[source][0]]),
                              description="pandera schema of the extract: no file of this run rejected; "
                                          "quarantined values counted by reason, with a sample")]


def _ingest(context: dg.AssetExecutionContext, source: str, warehouse: Warehouse, folders: LedgerFolders):
    with refusals_as_failures(), warehouse.connect() as con:
        key = load_key(create=folders.may_create_key, new_warehouse=warehouse_fingerprint(con) is None)
        summary = ingest_source(con, source, folders.landing_path, key, folders.threshold)
        check = _check_result(con, source, summary)
    _log(context, summary)
    report(context, _progress_line(summary))
    fault_point(f"after:{source}")
    for table in SOURCE_TABLES[source]:
        yield dg.MaterializeResult(asset_key=["raw", table], metadata=_metadata(summary))
    yield check


def _progress_line(summary: SourceLoadSummary) -> str:
    def files(status: str) -> int:
        return sum(1 for o in summary.outcomes if o.status == status)

    loaded, known, rejected = files("loaded"), files("skipped"), files("rejected")
    text = f"{summary.source}: " + (f"{loaded} file(s) loaded, {summary.rows_loaded} lines" if loaded else "nothing new")
    if summary.rows_quarantined:
        text += f" ({summary.rows_quarantined} quarantined)"
    if known:
        text += f"; {known} file(s) loaded before"
    if rejected:
        text += f"; {rejected} file(s) rejected"
    return text


def _check_result(con, source: str, summary: SourceLoadSummary) -> dg.AssetCheckResult:
    """Failure counts by column and reason, and a sample of quarantine records (never a CPR)."""
    load_ids = [o.load_id for o in summary.outcomes if o.load_id is not None]
    by_reason = con.execute(
        "SELECT column_name, reason, count(*) FROM audit.quarantine WHERE list_contains($ids, load_id) "
        "GROUP BY ALL ORDER BY 3 DESC, 1, 2", {"ids": load_ids}).fetchall()
    sample = con.execute(
        "SELECT file_name, line_number, column_name, reason FROM audit.quarantine "
        "WHERE list_contains($ids, load_id) ORDER BY load_id, line_number NULLS LAST, column_name LIMIT $n",
        {"ids": load_ids, "n": SAMPLE_SIZE}).fetchall()
    rejected = [o for o in summary.outcomes if o.status == "rejected" and o.newly_recorded]
    return dg.AssetCheckResult(
        check_name=VALIDATION_CHECK, asset_key=dg.AssetKey(["raw", SOURCE_TABLES[source][0]]),
        passed=not rejected,
        metadata={
            "files_rejected": dg.MetadataValue.int(len(rejected)),
            "lines_quarantined": dg.MetadataValue.int(summary.rows_quarantined),
            "failures": dg.MetadataValue.md(
                "| column | reason | values |\n|---|---|---|\n"
                + "\n".join(f"| {c} | {r} | {n} |" for c, r, n in by_reason)),
            "sample": dg.MetadataValue.md(
                "| file | line | column | reason |\n|---|---|---|---|\n"
                + "\n".join(f"| {f} | {ln if ln is not None else ''} | {c} | {r} |" for f, ln, c, r in sample)),
            "rejections": dg.MetadataValue.md("\n".join(f"- {o.message}" for o in rejected) or "none"),
        },
    )


def _log(context: dg.AssetExecutionContext, summary: SourceLoadSummary) -> None:
    for outcome in summary.outcomes:
        if outcome.status == "rejected" and outcome.newly_recorded:
            context.log.warning(f"{summary.source}: rejected: {outcome.message}")
        elif outcome.status == "loaded":
            context.log.info(
                f"{summary.source}: loaded {outcome.file_name}: {outcome.rows_loaded} of {outcome.rows_read} "
                f"lines, {outcome.rows_quarantined} quarantined")


def _metadata(summary: SourceLoadSummary) -> dict[str, dg.MetadataValue]:
    return {
        "files_loaded": dg.MetadataValue.int(summary.count("loaded")),
        "files_loaded_before": dg.MetadataValue.int(sum(o.status == "skipped" for o in summary.outcomes)),
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


@dg.multi_asset(name="referrals_extract", **RUN_POLICY, check_specs=_validation_check("referrals"),
                specs=_specs(SOURCE_TABLES["referrals"], "Referral lists of the landing folder."))
def referrals_extract(context: dg.AssetExecutionContext, warehouse: Warehouse, folders: LedgerFolders):
    yield from _ingest(context, "referrals", warehouse, folders)


@dg.multi_asset(name="benefit_register_extract", **RUN_POLICY, check_specs=_validation_check("benefits"),
                specs=_specs(SOURCE_TABLES["benefits"], "Benefit-register (DREAM) extracts: person rows and week codes."))
def benefit_register_extract(context: dg.AssetExecutionContext, warehouse: Warehouse, folders: LedgerFolders):
    yield from _ingest(context, "benefits", warehouse, folders)


@dg.multi_asset(name="income_register_extract", **RUN_POLICY, check_specs=_validation_check("income"),
                specs=_specs(SOURCE_TABLES["income"], "Income-register (eIndkomst) lines, allocated to months."))
def income_register_extract(context: dg.AssetExecutionContext, warehouse: Warehouse, folders: LedgerFolders):
    yield from _ingest(context, "income", warehouse, folders)


TERMS_KEYS = tuple(name.split(".")[-1] for name in TERMS_TABLES)


@dg.multi_asset(name="contract_terms", **RUN_POLICY,
                specs=_specs(TERMS_KEYS, "Validated contract terms of the terms folder.", skippable=True))
def contract_terms(context: dg.AssetExecutionContext, warehouse: Warehouse, folders: LedgerFolders):
    try:
        contracts = load_terms_folder(folders.contracts_path, folders.reference_path)
        with warehouse.connect() as con:
            write_terms_tables(con, contracts)
    except user_errors() as error:
        yield refusal(context, dg.AssetKey(["raw", TERMS_KEYS[0]]), error)
        return
    report(context, f"terms: {len(contracts)} contract(s): {', '.join(c.id for c in contracts)}")
    fault_point("after:terms")
    listing = dg.MetadataValue.md("\n".join(
        f"- `{c.id}` ({c.mechanism}) terms sha256 `{c.terms_sha256[:12]}…`" for c in contracts))
    for table in TERMS_KEYS:
        yield dg.MaterializeResult(asset_key=["raw", table],
                                   metadata={"contracts": dg.MetadataValue.int(len(contracts)), "terms": listing})


_UPSTREAM = tuple(dg.AssetKey(["raw", t]) for tables in SOURCE_TABLES.values() for t in tables) + tuple(
    dg.AssetKey(["raw", t]) for t in TERMS_KEYS)


@dg.multi_asset(name="selected_vintages", **RUN_POLICY,
                specs=_specs(("selected_vintages", "current_run"), "Per source, the loaded file the month's run reads.",
                             deps=_UPSTREAM, skippable=True))
def selected_vintages(context: dg.AssetExecutionContext, warehouse: Warehouse, folders: LedgerFolders):
    try:
        contracts = load_terms_folder(folders.contracts_path, folders.reference_path)
        needed = ("referrals", "benefits") + (("income",) if any(c.uses_employment_hours for c in contracts) else ())
        with warehouse.connect() as con:
            chosen = select_vintages(con, context.partition_key, folders.landing_path, needed)
    except user_errors() as error:
        yield refusal(context, dg.AssetKey(["raw", "selected_vintages"]), error)
        return
    for v in chosen.values():
        context.log.info(f"{v.source}: {v.file_name} (as of {v.vintage})")
    report(context, "vintages: " + ", ".join(f"{v.file_name}" for v in chosen.values()))
    fault_point("after:vintages")
    yield dg.MaterializeResult(asset_key=["raw", "selected_vintages"], metadata={
        f"{v.source}_vintage": dg.MetadataValue.text(f"{v.file_name} sha256 {v.file_sha256}") for v in chosen.values()
    })
    yield dg.MaterializeResult(asset_key=["raw", "current_run"],
                               metadata={"run_month": dg.MetadataValue.text(context.partition_key)})


ingest_assets = [referrals_extract, benefit_register_extract, income_register_extract, contract_terms,
                 selected_vintages]
