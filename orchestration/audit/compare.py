"""Issued against re-derived: one sentence per difference, found with set-based SQL.

Both sides sit in the scratch warehouse: the issued rows copied into schema `issued` (from the
real warehouse's `payments` tables), the re-derived rows in its own `payments` tables.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from contracts.payments.statements import statement_sha256

ISSUED = "issued"


@dataclass(frozen=True)
class Compared:
    table: str
    keys: tuple[str, ...]          # besides statement_id; compared with IS NOT DISTINCT FROM
    columns: tuple[str, ...]       # compared values


#: What is compared, per statement. issued_at, git_commit and product_version are not figures.
COMPARED = (
    Compared("statements", (), (
        "entitlement_to_date_dkk", "lines_total_dkk", "offset_brought_forward_dkk", "total_dkk",
        "amount_payable_dkk", "offset_carried_forward_dkk", "line_count", "statement_sha256",
        "terms_sha256", "referrals_file", "referrals_sha256", "benefits_file", "benefits_sha256",
        "income_file", "income_sha256", "reference_files")),
    Compared("statement_lines", ("item_key",), (
        "line_no", "person_key", "outcome_id", "follow_up_year", "kind", "previous_amount_dkk",
        "new_amount_dkk", "amount_dkk", "explanation")),
    Compared("entitlement_items", ("item_key",), (
        "person_key", "outcome_id", "follow_up_year", "achievement_week", "achievement_date", "price_dkk",
        "reduction_dkk", "amount_dkk", "evidence_status", "basis")),
    Compared("budget_entries", ("budget_year", "account", "kind", "benefit_group"), ("amount_dkk",)),
    Compared("statement_savings", ("benefit_group",), ("account", "verified_savings_dkk", "change_dkk",
        "verified_gross_savings_dkk", "gross_change_dkk", "verified_municipal_savings_dkk", "municipal_change_dkk")),
)


def _diff_sql(c: Compared) -> str:
    on = " AND ".join(["i.statement_id = r.statement_id", *(f"i.{k} IS NOT DISTINCT FROM r.{k}" for k in c.keys)])
    changed = ", ".join(
        f"CASE WHEN i.{col} IS DISTINCT FROM r.{col} THEN {{'column': '{col}', "
        f"'issued': CAST(i.{col} AS VARCHAR), 'rederived': CAST(r.{col} AS VARCHAR)}} END" for col in c.columns)
    keys = "".join(f", coalesce(CAST(i.{k} AS VARCHAR), CAST(r.{k} AS VARCHAR)) AS {k}" for k in c.keys)
    extra = ""
    if c.table == "statement_lines":
        extra += ", i.line_no AS issued_line, r.line_no AS rederived_line"
    if c.table in ("statement_lines", "entitlement_items"):
        extra += ", i.amount_dkk AS issued_amount, r.amount_dkk AS rederived_amount"
    return f"""
        SELECT * FROM (
            SELECT coalesce(i.statement_id, r.statement_id) AS statement_id{keys}{extra},
                   r.statement_id IS NULL AS issued_only, i.statement_id IS NULL AS rederived_only,
                   list_filter([{changed}], lambda x: x IS NOT NULL) AS changed
            FROM (SELECT * FROM {ISSUED}.{c.table} WHERE list_contains($ids, statement_id)) i
            FULL JOIN (SELECT * FROM payments.{c.table} WHERE list_contains($ids, statement_id)) r ON {on})
        WHERE issued_only OR rederived_only OR len(changed) > 0
        ORDER BY ALL"""


def differences(con: duckdb.DuckDBPyConnection, statement_ids: list[str]) -> dict[str, list[str]]:
    """statement_id → its differences, issued against re-derived (empty lists when none)."""
    out: dict[str, list[str]] = {sid: [] for sid in statement_ids}
    for c in COMPARED:
        cursor = con.execute(_diff_sql(c), {"ids": statement_ids})
        names = [d[0] for d in cursor.description]
        for values in cursor.fetchall():
            row = dict(zip(names, values, strict=True))
            out[row["statement_id"]] += _sentences(c, row)
    return out


def _v(value) -> str:
    return "none" if value is None else str(value)


def _sentences(c: Compared, row: dict) -> list[str]:
    if c.table == "statements":
        what = "statement"
        if row["rederived_only"] or row["issued_only"]:
            return ["statement: the scratch run issued no statement" if row["issued_only"]
                    else "statement: re-derived but not issued"]
        return [f"{'statement_sha256' if d['column'] == 'statement_sha256' else 'total ' + d['column']}: "
                f"issued {_v(d['issued'])}, re-derived {_v(d['rederived'])}" for d in row["changed"]]
    if c.table == "statement_lines":
        key = row["item_key"]
        if row["issued_only"]:
            return [f"line {row['issued_line']} (item {key}): on the issued statement ({row['issued_amount']}), "
                    f"not re-derived"]
        if row["rederived_only"]:
            return [f"item {key}: re-derived as line {row['rederived_line']} ({row['rederived_amount']}), "
                    f"not on the issued statement"]
        what = f"line {row['issued_line']} (item {key})"
    elif c.table == "entitlement_items":
        key = row["item_key"]
        if row["issued_only"]:
            return [f"item {key}: an issued entitlement item ({row['issued_amount']}), not re-derived"]
        if row["rederived_only"]:
            return [f"item {key}: re-derived ({row['rederived_amount']}), not an issued entitlement item"]
        what = f"item {key}"
    else:
        label = "budget entry" if c.table == "budget_entries" else "verified savings"
        what = f"{label} " + " ".join(f"{k} {_v(row[k])}" for k in c.keys)
        if row["issued_only"] or row["rederived_only"]:
            return [f"{what}: {'issued, not re-derived' if row['issued_only'] else 're-derived, not issued'}"]
    return [f"{what}: {d['column']} issued {_v(d['issued'])}, re-derived {_v(d['rederived'])}" for d in row["changed"]]


def stored_hash_differences(con: duckdb.DuckDBPyConnection, schema: str, statement_ids: list[str]) -> dict[str, str]:
    """statement_id → a sentence, for each statement whose stored lines and totals no longer hash
    to its recorded statement_sha256 (the hash of `contracts.payments.statements`)."""
    lines: dict[str, list] = {sid: [] for sid in statement_ids}
    for sid, key, kind, prev, new, amount in con.execute(
            f"SELECT statement_id, item_key, kind, previous_amount_dkk, new_amount_dkk, amount_dkk "
            f"FROM {schema}.statement_lines WHERE list_contains($ids, statement_id) ORDER BY statement_id, line_no",
            {"ids": statement_ids}).fetchall():
        lines[sid].append((key, kind, prev, new, amount))
    out = {}
    for sid, total, obf, payable, ocf, recorded in con.execute(
            f"SELECT statement_id, total_dkk, offset_brought_forward_dkk, amount_payable_dkk, "
            f"offset_carried_forward_dkk, statement_sha256 FROM {schema}.statements "
            f"WHERE list_contains($ids, statement_id) ORDER BY statement_id", {"ids": statement_ids}).fetchall():
        stored = statement_sha256(lines[sid], total=total, offset_brought_forward=obf, amount_payable=payable,
                                  offset_carried_forward=ocf)
        if stored != recorded:
            out[sid] = f"its stored lines and totals hash to {stored}, not to its statement_sha256 {recorded}"
    return out
