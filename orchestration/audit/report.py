"""The auditor's report of one statement: one self-contained HTML document (`outcome-ledger report`).

Contract and parties, the recorded inputs with their hashes, the lines with their explanations,
totals reconciled to the statement, budget entries, a chart of verified outcomes over the
contract's statements, and a drill-down trace per line. Person keys only, never a CPR. Reads the
statement's own rows (`payments.*`, `audit.trace`), never the current marts (except the contract's
names when the statement's stored terms cannot be read).
"""

from __future__ import annotations

import json
from decimal import Decimal
from html import escape
from pathlib import Path

import duckdb
import yaml

from orchestration.audit.trace import TraceError, _has_trace, _rows, format_trace, open_read_only

CSS = """
body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:2rem auto;max-width:75rem;
     padding:0 1rem;color:#1d2329;line-height:1.4}
h1{font-size:1.5rem;margin-bottom:.2rem} h2{font-size:1.15rem;margin-top:2rem;border-bottom:1px solid #ccd}
table{border-collapse:collapse;margin:.5rem 0;font-size:.9rem} th,td{border:1px solid #ccd;padding:.25rem .5rem;
     text-align:left;vertical-align:top} th{background:#f0f2f5} td.num{text-align:right;font-variant-numeric:tabular-nums}
code,.hash{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:.8rem;word-break:break-all}
details{margin:.4rem 0;border:1px solid #dde;border-radius:4px;padding:.3rem .6rem}
summary{cursor:pointer} pre{font-size:.75rem;overflow-x:auto;background:#f7f8fa;padding:.5rem}
.ok{color:#17692f;font-weight:600} .bad{color:#b00020;font-weight:600} .muted{color:#667}
"""


def _e(value) -> str:
    return "" if value is None else escape(str(value))


def _money(value) -> str:
    if value is None:
        return ""
    return f"{Decimal(value):,.2f}".replace(",", " ")


def _table(headers: list[str], rows: list[list[str]], num: set[int] = frozenset()) -> str:
    head = "".join(f"<th>{escape(h)}</th>" for h in headers)
    body = "".join(
        "<tr>" + "".join(f'<td class="num">{c}</td>' if i in num else f"<td>{c}</td>" for i, c in enumerate(r))
        + "</tr>" for r in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _parties(con: duckdb.DuckDBPyConnection, st: dict) -> tuple[dict, str]:
    """Name, parties and mechanism: from the terms stored with the statement, else
    marts.dim_contracts, else raw.contracts (both of the latest run)."""
    stored = _rows(con, "SELECT content FROM payments.statement_inputs WHERE statement_id = ? AND input_kind = 'terms'",
                   [st["statement_id"]])
    if stored:
        try:
            terms = yaml.safe_load(stored[0]["content"])
            parties = terms.get("parties")
            if isinstance(parties, dict):
                return ({"name": terms.get("name"), "payer": parties.get("payer"),
                         "investor": parties.get("investor"), "provider": parties.get("provider"),
                         "mechanism": (terms.get("payment") or {}).get("mechanism")},
                        "the terms file stored with the statement")
        except (yaml.YAMLError, AttributeError):
            pass
    for schema, table in (("marts", "dim_contracts"), ("raw", "contracts")):
        if _exists(con, schema, table):
            rows = _rows(con, f"SELECT name, payer, investor, provider, mechanism FROM {schema}.{table} "
                              "WHERE contract_id = ?", [st["contract_id"]])
            if rows:
                return rows[0], f"{schema}.{table} (the latest run)"
    return {}, "nowhere: the contract is no longer known"


def _exists(con: duckdb.DuckDBPyConnection, schema: str, name: str) -> bool:
    return bool(con.execute(
        "SELECT count(*) FROM (SELECT schema_name, table_name AS n FROM duckdb_tables() "
        "UNION ALL SELECT schema_name, view_name FROM duckdb_views()) WHERE schema_name = ? AND n = ?",
        [schema, name]).fetchall()[0][0])


def _chart(points: list[dict], current: str) -> str:
    """Inline SVG: verified outcomes per statement of the contract (bars), entitlement to date (labels)."""
    if not points:
        return "<p class='muted'>no statements</p>"
    width, height, left, bottom, top = 720, 260, 50, 50, 30
    n = len(points)
    peak = max(max(p["verified"] for p in points), 1)
    slot = (width - left - 10) / n
    bar = max(min(slot * 0.6, 60), 4)
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" role="img" '
             f'aria-label="Verified outcomes per statement month" style="font:11px sans-serif">',
             f'<line x1="{left}" y1="{height - bottom}" x2="{width - 5}" y2="{height - bottom}" stroke="#667"/>',
             f'<line x1="{left}" y1="{top}" x2="{left}" y2="{height - bottom}" stroke="#667"/>',
             f'<text x="{left - 6}" y="{top + 4}" text-anchor="end">{peak}</text>',
             f'<text x="{left - 6}" y="{height - bottom + 4}" text-anchor="end">0</text>']
    for i, p in enumerate(points):
        h = (height - bottom - top) * p["verified"] / peak
        x = left + slot * i + (slot - bar) / 2
        y = height - bottom - h
        color = "#2b6cb0" if p["month"] == current else "#90b4de"
        parts.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar:.1f}" height="{h:.1f}" fill="{color}">'
                     f'<title>{escape(p["month"])}: {p["verified"]} verified outcomes, entitlement to date '
                     f'{_money(p["entitlement"])} DKK</title></rect>')
        cx = x + bar / 2
        parts.append(f'<text x="{cx:.1f}" y="{y - 4:.1f}" text-anchor="middle">{p["verified"]}</text>')
        parts.append(f'<text x="{cx:.1f}" y="{height - bottom + 14}" text-anchor="middle">{escape(p["month"])}</text>')
        parts.append(f'<text x="{cx:.1f}" y="{height - bottom + 28}" text-anchor="middle" fill="#667">'
                     f'{_money(p["entitlement"])}</text>')
    parts.append(f'<text x="{left}" y="{height - 6}" fill="#667">bars: verified outcomes in the entitlement to date; '
                 f'grey figures: entitlement to date (DKK)</text>')
    parts.append("</svg>")
    return "".join(parts)


# Verified outcomes per statement of a contract: the outcome rows the entitlement rests on that
# count (streaks, years, savings years, successful cohort years; requirements are not counted twice).
VERIFIED_SQL = """
SELECT s.month, s.entitlement_to_date_dkk AS entitlement,
       (SELECT count(DISTINCT (e.person_key, coalesce(e.outcome_id, ''), e.follow_up_year))
        FROM payments.item_evidence e
        WHERE e.statement_id = s.statement_id AND e.role <> 'requirement' AND e.counted) AS verified
FROM payments.statements s
WHERE s.contract_id = ? AND s.month <= ?
ORDER BY s.month
"""


def build_report(con: duckdb.DuckDBPyConnection, statement_id: str) -> str:
    """The report from an open connection (see `render_report`)."""
    statements = _rows(con, "SELECT * FROM payments.statements WHERE statement_id = ?", [statement_id])
    if not statements:
        raise TraceError(f"no statement {statement_id!r} (statement ids are CONTRACT:YYYY-MM, "
                         f"e.g. brondby-dsi-tuba:2024-12; see payments.statements)")
    st = statements[0]
    contract, parties_source = _parties(con, st)
    lines = _rows(con, "SELECT * FROM payments.statement_lines WHERE statement_id = ? ORDER BY line_no", [statement_id])
    inputs = _rows(con, "SELECT input_kind, file_name, file_sha256 FROM payments.statement_inputs "
                        "WHERE statement_id = ? ORDER BY input_kind DESC, file_name", [statement_id])
    budget = _rows(con, "SELECT * FROM payments.budget_entries WHERE statement_id = ? ORDER BY kind, account",
                   [statement_id])
    unbooked = _rows(con, "SELECT * FROM payments.budget_unbooked WHERE statement_id = ? ORDER BY kind, benefit_group",
                     [statement_id])
    [(posted,)] = con.execute(
        "SELECT coalesce(sum(l.amount_dkk), 0) FROM payments.statement_lines l JOIN payments.statements s "
        "USING (statement_id) WHERE s.contract_id = ? AND s.month <= ?", [st["contract_id"], st["month"]]).fetchall()
    [(paid,)] = con.execute(
        "SELECT coalesce(sum(amount_payable_dkk), 0) FROM payments.statements WHERE contract_id = ? AND month <= ?",
        [st["contract_id"], st["month"]]).fetchall()
    points = _rows(con, VERIFIED_SQL, [st["contract_id"], st["month"]])
    has_trace = _has_trace(con)
    evidence = _rows(con, "SELECT * FROM audit.statement_evidence_runs WHERE statement_id = ?",
                     [statement_id]) if has_trace else []

    out: list[str] = []
    add = out.append
    add(f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>Statement {_e(statement_id)}</title>"
        f"<style>{CSS}</style></head><body>")
    add(f"<h1>Statement {_e(statement_id)}</h1>")
    add(f"<p>{_e(contract.get('name'))} — month <b>{_e(st['month'])}</b>, issued {_e(st['issued_at'])} UTC. "
        f"Amount payable <b>{_money(st['amount_payable_dkk'])} DKK</b>.</p>")

    add("<h2>Contract and parties</h2>")
    add(_table(["contract", "name", "payer", "investor", "provider", "mechanism"],
               [[_e(st["contract_id"]), _e(contract.get("name")), _e(contract.get("payer")),
                 _e(contract.get("investor")), _e(contract.get("provider")), _e(contract.get("mechanism"))]]))
    add(f"<p class='muted'>From {escape(parties_source)}.</p>")

    add("<h2>Recorded inputs</h2>")
    rows = [["terms", _e(next((i["file_name"] for i in inputs if i["input_kind"] == "terms"), "")),
             f"<span class='hash'>{_e(st['terms_sha256'])}</span>"],
            ["referrals vintage", _e(st["referrals_file"]), f"<span class='hash'>{_e(st['referrals_sha256'])}</span>"],
            ["benefits vintage", _e(st["benefits_file"]), f"<span class='hash'>{_e(st['benefits_sha256'])}</span>"]]
    if st["income_file"]:
        rows.append(["income vintage", _e(st["income_file"]), f"<span class='hash'>{_e(st['income_sha256'])}</span>"])
    for name, sha in sorted(json.loads(st["reference_files"] or "{}").items()):
        rows.append(["reference file", _e(name), f"<span class='hash'>{_e(sha)}</span>"])
    add(_table(["input", "file", "SHA-256"], rows))
    add(f"<p>Product version <code>{_e(st['product_version'])}</code>"
        + (f", git commit <code>{_e(st['git_commit'])}</code>" if st.get("git_commit") else "")
        + f". Statement SHA-256 <span class='hash'>{_e(st['statement_sha256'])}</span>.</p>")
    if inputs:
        add(f"<p class='muted'>Copies of {len(inputs)} input file(s) (terms and reference files) are stored with the "
            f"statement in <code>payments.statement_inputs</code>.</p>")

    add("<h2>Lines</h2>")
    if lines:
        add(_table(["line", "item", "kind", "previous", "new", "amount", "explanation"],
                   [[str(r["line_no"]), f"<code>{_e(r['item_key'])}</code>", _e(r["kind"]),
                     _money(r["previous_amount_dkk"]), _money(r["new_amount_dkk"]), _money(r["amount_dkk"]),
                     _e(r["explanation"])] for r in lines], num={0, 3, 4, 5}))
    else:
        add("<p>No lines: nothing changed since the contract's previous statement.</p>")

    add("<h2>Totals</h2>")
    lines_sum = sum((r["amount_dkk"] for r in lines), Decimal("0.00"))
    checks = [
        ("sum of the lines = lines total", lines_sum, st["lines_total_dkk"]),
        ("lines total + offset brought forward = total",
         st["lines_total_dkk"] + st["offset_brought_forward_dkk"], st["total_dkk"]),
        ("amount payable + offset carried forward = total",
         st["amount_payable_dkk"] + st["offset_carried_forward_dkk"], st["total_dkk"]),
        ("all lines posted to date = entitlement to date", posted, st["entitlement_to_date_dkk"]),
        ("all amounts paid to date + offset carried = entitlement to date",
         paid + st["offset_carried_forward_dkk"], st["entitlement_to_date_dkk"]),
    ]
    add(_table(["figure", "DKK"], [
        ["lines total", _money(st["lines_total_dkk"])],
        ["offset brought forward", _money(st["offset_brought_forward_dkk"])],
        ["total", _money(st["total_dkk"])],
        ["<b>amount payable</b>", f"<b>{_money(st['amount_payable_dkk'])}</b>"],
        ["offset carried forward", _money(st["offset_carried_forward_dkk"])],
        ["entitlement to date", _money(st["entitlement_to_date_dkk"])],
    ], num={1}))
    add(_table(["reconciliation", "computed", "statement", ""], [
        [escape(label), _money(a), _money(b), "<span class='ok'>✓</span>" if a == b else "<span class='bad'>✗</span>"]
        for label, a, b in checks], num={1, 2}))

    add("<h2>Budget entries</h2>")
    if budget:
        add(_table(["budget year", "account", "kind", "benefit group", "DKK"],
                   [[_e(b["budget_year"]), _e(b["account"]), _e(b["kind"]), _e(b.get("benefit_group")),
                     _money(b["amount_dkk"])] for b in budget], num={4}))
    else:
        add("<p>No budget entries.</p>")
    if unbooked:
        add("<p>Amounts without a budget entry:</p>")
        add(_table(["kind", "benefit group", "DKK", "reason"],
                   [[_e(u["kind"]), _e(u["benefit_group"]), _money(u["amount_dkk"]), _e(u["reason"])]
                    for u in unbooked], num={2}))

    add("<h2>Verified outcomes over time</h2>")
    add(_chart(points, st["month"]))

    add("<h2>Trace per line</h2>")
    if not evidence:
        add("<p class='muted'>No evidence was recorded for this statement (issued before evidence was kept).</p>")
    if has_trace:
        for r in lines:
            text = format_trace(con, statement_id, r["line_no"])
            add(f"<details><summary>Line {r['line_no']}: <code>{_e(r['item_key'])}</code> — "
                f"{_money(r['amount_dkk'])} DKK</summary><pre>{escape(text)}</pre></details>")
    add("<p class='muted'>Persons are identified by pseudonymous person keys only.</p>")
    add("</body></html>")
    return "\n".join(out) + "\n"


def render_report(warehouse_path: str | Path, statement_id: str) -> str:
    """One self-contained HTML document for a statement. Opens the warehouse read-only; raises
    `TraceError` for an unknown statement or a missing warehouse."""
    with open_read_only(warehouse_path) as con:
        return build_report(con, statement_id)
