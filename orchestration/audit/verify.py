"""`outcome-ledger verify`: re-derive issued statements without trusting the warehouse's derived
tables (docs/verify.md).

For each statement: (a) the vintages it recorded must still be the same bytes in the landing
folder, and its stored terms and reference copies must hash to what it recorded; (b) its month is
run again in a scratch warehouse (`rederive.py`) from exactly those files and copies, with the
contract's earlier issued statements — the immutable ledger the original run read — copied in, so
lines (changes since the previous statements) and offsets are computed against what was posted;
(c) its entitlement items, lines, totals, budget entries, verified savings and `statement_sha256`
are compared with the issued ones. Statements of one run (same month, vintages and reference
files) are re-derived together in one scratch warehouse.
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import duckdb

from orchestration.audit.compare import ISSUED, differences, stored_hash_differences
from orchestration.audit.recorded import IssuedStatement, StoredCopy, copy_differences, landed_differences
from orchestration.audit.rederive import RecordedFiles, ScratchWarehouse
from orchestration.errors import LedgerError, WarehouseInUse, user_errors
from orchestration.ingest.pseudonym import KeyMismatch, load_key
from orchestration.resources import open_warehouse

SCRATCH_PREFIX = "outcome-ledger-verify-"
LEDGER = "ledger"   # the real warehouse, attached read-only to the scratch warehouse while its rows are copied


class StatementNotVerified(LedgerError):
    """At least one difference between an issued statement and its re-derivation or its inputs."""


@dataclass
class Verification:
    statement: IssuedStatement
    differences: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    rederived: bool = False

    @property
    def verified(self) -> bool:
        return self.rederived and not self.differences


def verify_statements(warehouse: Path, statement_ids: list[str], landing: Path, *,
                      progress: Callable[[str], None] = lambda _: None) -> list[Verification]:
    """Verify each statement; the real warehouse and the landing folder are only read."""
    from contracts.payments.inputs import installed_version

    statements, fingerprint = read_issued(warehouse, statement_ids)
    refuse_other_key(fingerprint)
    installed = installed_version()
    results = {s.statement_id: Verification(s) for s in statements}
    for result in results.values():
        s = result.statement
        if s.row["product_version"] != installed:
            result.notes.append(
                f"issued under product version {s.row['product_version']}; this is version {installed}: the inputs' "
                f"hashes are checked as recorded, the figures are re-derived with this version's rules, so a "
                f"difference below may come from a rule changed between the versions")
        result.differences += landed_differences(s, landing) + copy_differences(s)

    runs: dict[tuple, list[Verification]] = {}
    for result in results.values():
        runs.setdefault(result.statement.run_inputs(), []).append(result)
    for group in runs.values():
        ready = [r for r in group if not r.differences]
        for r in group:
            if r.differences:
                r.notes.append("not re-derived: its recorded inputs are not all there as recorded")
        if ready:
            try:
                _rederive(warehouse, landing, ready, progress)
            except (WarehouseInUse, KeyMismatch):
                raise
            except user_errors() as error:   # the scratch run refused or failed: said per statement
                for r in ready:
                    r.differences.append(f"not re-derived: {error}")
    return [results[s.statement_id] for s in statements]


def read_issued(warehouse: Path, statement_ids: list[str]) -> tuple[list[IssuedStatement], str | None]:
    """The statements as issued (in the order asked) and the warehouse's key fingerprint."""
    if not warehouse.is_file():
        raise LedgerError(f"no warehouse at {warehouse} (--warehouse or OUTCOME_LEDGER_WAREHOUSE)")
    with open_warehouse(warehouse, read_only=True) as con:
        present = {r[0] for r in con.execute(
            "SELECT table_schema || '.' || table_name FROM information_schema.tables "
            "WHERE table_catalog = current_database()").fetchall()}
        if not {"payments.statements", "payments.statement_inputs"} <= present:
            raise LedgerError(f"the warehouse {warehouse} has no issued statements")
        cursor = con.execute("SELECT * FROM payments.statements WHERE list_contains($ids, statement_id)",
                             {"ids": statement_ids})
        names = [d[0] for d in cursor.description]
        rows = {r["statement_id"]: r for r in (dict(zip(names, v, strict=True)) for v in cursor.fetchall())}
        unknown = [sid for sid in statement_ids if sid not in rows]
        if unknown:
            raise LedgerError(f"no statement {', '.join(unknown)} in {warehouse} (a statement is named "
                              f"<contract>:<YYYY-MM>, e.g. brondby-dsi-tuba:2024-12)")
        statements = {sid: IssuedStatement(rows[sid]) for sid in dict.fromkeys(statement_ids)}
        for sid, kind, name, sha, content in con.execute(
                "SELECT statement_id, input_kind, file_name, file_sha256, content FROM payments.statement_inputs "
                "WHERE list_contains($ids, statement_id) ORDER BY ALL", {"ids": statement_ids}).fetchall():
            statements[sid].copies.append(StoredCopy(kind, name, sha, content))
        fingerprint = None
        if "audit.warehouse_key" in present:
            found = con.execute("SELECT key_fingerprint FROM audit.warehouse_key LIMIT 1").fetchall()
            fingerprint = found[0][0] if found else None
    return list(statements.values()), fingerprint


def refuse_other_key(fingerprint: str | None) -> None:
    """The scratch warehouse makes person keys with the key in force: it must be the warehouse's."""
    key = load_key(create=False, new_warehouse=False)
    if fingerprint is None:
        raise KeyMismatch("the warehouse records no pseudonym key (audit.warehouse_key is empty): its statements "
                          "cannot be re-derived")
    if key.fingerprint != fingerprint:
        raise KeyMismatch(
            f"the pseudonym key in force (fingerprint {key.fingerprint}) is not the warehouse's (fingerprint "
            f"{fingerprint}): re-derived person keys could not match the issued ones. Set "
            f"OUTCOME_LEDGER_PSEUDONYM_KEY, or OUTCOME_LEDGER_KEY_FILE to the key file, of the warehouse's key")


def _rederive(warehouse: Path, landing: Path, group: list[Verification],
              progress: Callable[[str], None]) -> None:
    """Re-derive the statements of one run in one scratch warehouse and record the differences."""
    first = group[0].statement
    ids = [r.statement.statement_id for r in group]
    recorded = RecordedFiles(
        month=first.month,
        landed={source: landing / source / name for source, (name, _) in first.landed().items()},
        landed_sha256={source: sha for source, (_, sha) in first.landed().items()},
        terms={r.statement.terms_copy().file_name: r.statement.terms_copy().content for r in group},
        reference={name: copy.content for name, copy in first.reference_copies().items()},
        product_version=first.row["product_version"],
    )
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix=SCRATCH_PREFIX) as folder:
        scratch = ScratchWarehouse(Path(folder))
        scratch.lay_out(recorded)
        with scratch.connect() as con:
            earlier = copy_ledger(con, warehouse, ids, [r.statement.contract_id for r in group], first.month)
        progress(f"{first.month}: re-deriving {', '.join(ids)} in a scratch warehouse "
                 f"({len(earlier)} earlier statement(s) of the contract(s) copied from the ledger)")
        scratch.load(recorded, load_key(create=False, new_warehouse=False))
        progress(f"{first.month}: extracts, terms and vintages loaded; dbt build …")
        scratch.build()
        progress(f"{first.month}: models built; computing the statements …")
        scratch.issue(recorded, issued_at=datetime.now())
        with scratch.connect() as con:
            found = differences(con, ids)
            tampered = stored_hash_differences(con, ISSUED, ids)
            earlier_tampered = stored_hash_differences(con, "payments", earlier)
            counts = dict(con.execute(
                "SELECT statement_id, count(*) FROM payments.entitlement_items WHERE list_contains($ids, statement_id) "
                "GROUP BY ALL", {"ids": ids}).fetchall())
    elapsed = time.monotonic() - started
    for r in group:
        s = r.statement
        r.rederived = True
        if s.statement_id in tampered:
            r.differences.append(f"issued statement: {tampered[s.statement_id]}")
        for sid in sorted(earlier_tampered):
            if sid.rsplit(":", 1)[0] == s.contract_id:
                r.differences.append(f"earlier statement {sid} (the base of this statement's lines): "
                                     f"{earlier_tampered[sid]}")
        r.differences += found[s.statement_id]
        r.notes.append(f"re-derived in a scratch warehouse in {elapsed:.0f} s: {counts.get(s.statement_id, 0)} "
                       f"entitlement item(s), {s.row['line_count']} line(s) issued, amount payable "
                       f"{s.row['amount_payable_dkk']}")


def copy_ledger(con: duckdb.DuckDBPyConnection, warehouse: Path, statement_ids: list[str],
                contract_ids: list[str], month: str) -> list[str]:
    """Copy from the real warehouse (attached read-only, then detached): the statements to verify
    into schema `issued`, and the contracts' statements of earlier months — everything the
    original run found in the ledger — into the scratch ledger (`payments`). Returns the earlier
    statements' ids."""
    from warehouse_schema import ensure_schema

    ensure_schema(con, "payments")
    literal = "'" + str(warehouse).replace("'", "''") + "'"
    try:
        con.execute(f"ATTACH {literal} AS {LEDGER} (READ_ONLY)")
    except duckdb.IOException as error:
        raise WarehouseInUse(f"cannot open the warehouse {warehouse} to read its statements: "
                             f"{str(error).splitlines()[0]}") from None
    try:
        earlier = [r[0] for r in con.execute(
            f"SELECT statement_id FROM {LEDGER}.payments.statements WHERE list_contains($c, contract_id) "
            f"AND month < $m ORDER BY statement_id", {"c": contract_ids, "m": month}).fetchall()]
        tables = [r[0] for r in con.execute(
            "SELECT l.table_name FROM duckdb_columns() l JOIN duckdb_columns() s USING (schema_name, table_name) "
            f"WHERE l.database_name = '{LEDGER}' AND s.database_name = current_database() "
            "AND schema_name = 'payments' AND l.column_name = 'statement_id' AND s.column_name = 'statement_id' "
            "ORDER BY 1").fetchall()]
        con.execute(f"CREATE SCHEMA {ISSUED}")
        for table in tables:
            con.execute(f"CREATE TABLE {ISSUED}.{table} AS SELECT * FROM {LEDGER}.payments.{table} "
                        f"WHERE list_contains($ids, statement_id)", {"ids": statement_ids})
            con.execute(f"INSERT INTO payments.{table} BY NAME SELECT * FROM {LEDGER}.payments.{table} "
                        f"WHERE list_contains($ids, statement_id)", {"ids": earlier})
    finally:
        con.execute(f"DETACH {LEDGER}")
    return earlier


def format_verification(result: Verification) -> str:
    """What the command prints for one statement: notes, then each difference or `verified`."""
    sid = result.statement.statement_id
    lines = [f"{sid}: {note}" for note in result.notes]
    if result.verified:
        lines.append(f"{sid}: verified")
    else:
        lines += [f"{sid}: DIFFERENCE {d}" for d in result.differences]
        if not result.differences:
            lines.append(f"{sid}: not verified (not re-derived)")
    return "\n".join(lines) + "\n"


def run_verify(warehouse: Path, statement_ids: list[str], landing: Path) -> None:
    """The command: print each statement's verification, then `verified`; or raise
    `StatementNotVerified` (exit status 1) after printing every difference."""
    def progress(message: str) -> None:
        print(f"  {message}", flush=True)

    print(f"outcome-ledger verify {' '.join(statement_ids)} — warehouse {warehouse}, landing {landing}", flush=True)
    results = verify_statements(warehouse, statement_ids, landing, progress=progress)
    for result in results:
        print(format_verification(result), end="", flush=True)
    failed = [r for r in results if not r.verified]
    if failed:
        count = sum(len(r.differences) for r in failed)
        raise StatementNotVerified(
            f"not verified: {', '.join(r.statement.statement_id for r in failed)} "
            f"({count} difference(s), listed above)")
    print("verified")
