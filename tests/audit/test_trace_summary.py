"""`trace STATEMENT_ID LINE_NO`: the summary of a contract-level line reconciles with the item's
basis and the line's amount; `--person` lists exactly that person's source lines; csv and json
parse."""

from __future__ import annotations

import csv
import io
import json
import re
from decimal import ROUND_HALF_UP, Decimal

import pytest

from orchestration.audit import TraceError, print_trace
from orchestration.audit.trace import load_summary
from tests.audit.ledger import P1, P2, Ledger
from tests.audit.savings import BEN, OUTLAY, REF, SB, savings_contract
from tests.audit.test_evidence import issue, line_no

SID = f"{SB}:2024-03"


def test_summary_of_a_savings_line_reconciles_with_its_basis_and_amount(ledger: Ledger) -> None:
    people = savings_contract(ledger, 4)
    issue(ledger, "2024-03")
    s_total = sum((p.savings() for p in people), Decimal("0.00"))
    for key, expected_amount in (("outlay_repayment", min(s_total, OUTLAY)),
                                 ("gain_share", ((s_total - OUTLAY) / 2).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))):
        n = line_no(ledger, SID, key)
        summary = load_summary(ledger.con, SID, n)
        assert summary.contract_level and summary.has_baseline
        assert summary.totals["participants"] == 4 and summary.totals["participant_years"] == 4
        # per follow-up year: the sums are S of the item's basis
        [year] = summary.per_year
        assert year["follow_up_year"] == 1 and year["participant_years"] == 4
        basis = re.match(r"S = (-?[0-9.]+) over ([0-9]+) participant-years", summary.item["basis"])
        assert year["savings_dkk"] == Decimal(basis.group(1)) == s_total and int(basis.group(2)) == 4
        # per benefit group: computed from the weeks, equal to the groups worked out by hand
        groups = {g["benefit_group"]: (g["baseline_dkk"], g["actual_dkk"], g["savings_dkk"]) for g in summary.per_group}
        expected = {g: tuple(sum((p.groups()[g][i] for p in people), Decimal("0.00")) for i in range(3))
                    for g in ("dagpenge", "kontanthjaelp")}
        assert groups == expected
        assert sum(s for _, _, s in groups.values()) == s_total
        assert sum(b for b, _, _ in groups.values()) == year["baseline_dkk"]
        # the item and the line: amount from S, and new − previous
        assert summary.item["amount_dkk"] == summary.line["new_amount_dkk"] == expected_amount
        assert summary.line["amount_dkk"] == expected_amount   # the first statement: previous 0
        assert summary.checks and all(c.ok for c in summary.checks), [c for c in summary.checks if not c.ok]
        assert {c.label for c in summary.checks} >= {"savings: sum over the follow-up years = S of the item's basis",
                                                     "savings: sum over the follow-up years = sum over the benefit groups"}
        # the largest contributor first; the source files with the lines used
        assert summary.top[0]["person_key"] == max(people, key=lambda p: abs(p.savings())).person
        files = {(f["source"], f["file_name"]): f["lines_used"] for f in summary.files}
        assert files == {("benefits", BEN): 4, ("referrals", REF): 4}


def test_summary_text_fits_a_screen_and_names_the_drill_down(ledger: Ledger, warehouse_path) -> None:
    savings_contract(ledger, 12)
    issue(ledger, "2024-03")
    ledger.con.close()
    text = print_trace(warehouse_path, SID, 1)
    assert len(text.splitlines()) < 70
    assert "Counted: 12 participants, 12 participant-years" in text
    assert "Per follow-up year:" in text and "Per benefit group" in text and "Largest contributors (5 of 12" in text
    assert "DIFF" not in text and text.count("  ok  ") >= 6
    for sha in (re.escape(f) for f in (BEN, REF)):
        assert re.search(sha + r"\s+[0-9a-f]{64}\s+12\s+12", text), sha
    assert f"outcome-ledger trace {SID} 1 --person " in text and f"outcome-ledger trace {SID} 1 --full" in text
    full = print_trace(warehouse_path, SID, 1, full=True)
    assert len(full.splitlines()) > 12 * 104   # every participant-week of the pre-period and the year


def test_person_lists_exactly_that_persons_source_lines(ledger: Ledger, warehouse_path) -> None:
    people = savings_contract(ledger, 3)
    issue(ledger, "2024-03")
    one, other = people[1], people[2]
    view = {(r[0], r[1]) for r in ledger.rows(
        "SELECT file_name, line_number FROM audit.trace WHERE statement_id = ? AND line_no = 1 "
        "AND person_key = ? AND source IS NOT NULL", [SID, one.person])}
    assert view == {(BEN, one.benefit_line), (REF, one.referral_line)}
    ledger.con.close()

    text = print_trace(warehouse_path, SID, 1, person=one.person)
    assert set(re.findall(r"([A-Za-z_0-9-]+\.csv):([0-9]+)", text)) == {(f, str(n)) for f, n in view}
    assert f"{BEN}:{one.benefit_line}" in text and f"{BEN}:{other.benefit_line}" not in text
    assert other.person not in text and one.person in text
    files = dict(re.findall(r"(referrals|benefits)\s+\S+\s+SHA-256 [0-9a-f]{64}\n\s+lines ([0-9, -]+)", text))
    assert files == {"benefits": str(one.benefit_line), "referrals": str(one.referral_line)}

    rows = list(csv.DictReader(io.StringIO(print_trace(warehouse_path, SID, 1, person=one.person, fmt="csv"))))
    assert {r["person_key"] for r in rows} == {one.person}
    assert {(r["file_name"], int(r["line_number"])) for r in rows if r["source"]} == view
    assert len([r for r in rows if r["evidence_kind"] == "participant_week"]) == 104

    doc = json.loads(print_trace(warehouse_path, SID, 1, person=one.person, fmt="json"))
    assert doc["person_key"] == one.person and len(doc["rows"]) == len(rows)

    with pytest.raises(TraceError, match="not in the evidence"):
        print_trace(warehouse_path, SID, 1, person=P1)
    with pytest.raises(TraceError, match="too short"):
        print_trace(warehouse_path, SID, 1, person="00")
    with pytest.raises(TraceError, match="several participants"):
        print_trace(warehouse_path, SID, 1, person=one.person[:30])


def test_summary_as_csv_and_json(ledger: Ledger, warehouse_path) -> None:
    people = savings_contract(ledger, 3)
    issue(ledger, "2024-03")
    ledger.con.close()
    s_total = sum((p.savings() for p in people), Decimal("0.00"))
    doc = json.loads(print_trace(warehouse_path, SID, 1, fmt="json"))
    assert doc["line"]["line_no"] == 1 and doc["contract_level"] is True
    assert Decimal(doc["totals"]["savings_dkk"]) == s_total
    assert sum(Decimal(g["savings_dkk"]) for g in doc["per_group"]) == s_total
    assert all(c["ok"] for c in doc["checks"]) and doc["drill_down"]
    assert {f["source"] for f in doc["source_files"]} == {"benefits", "referrals"}

    records = list(csv.DictReader(io.StringIO(print_trace(warehouse_path, SID, 1, fmt="csv"))))
    assert set(records[0]) == {"section", "key", "measure", "value"}
    per_group = sum(Decimal(r["value"]) for r in records if r["section"] == "per_group" and r["measure"] == "savings_dkk")
    assert per_group == s_total
    assert {r["value"] for r in records if r["section"] == "checks"} == {"True"}

    full = list(csv.DictReader(io.StringIO(print_trace(warehouse_path, SID, 1, full=True, fmt="csv"))))
    assert len(full) == 3 * (1 + 104 + 1)   # per participant: the outcome row, 104 weeks, the referral line
    with pytest.raises(TraceError, match="exclude each other"):
        print_trace(warehouse_path, SID, 1, full=True, person=people[0].person)


def test_cohort_target_summary_counts_successes(ledger: Ledger, warehouse_path) -> None:
    from datetime import date

    ct = "ct"
    ledger.contract(ct, "cohort_target", terms="id: ct\npayment: {mechanism: cohort_target}\n", follow_up_years=1,
                    target_year=1, target_share=Decimal("0.5"), target_amount_dkk=Decimal("1000.00"),
                    below_target="nothing")
    ledger.statuses(ct, "target_statuses", ("full", "partial"))
    ledger.load("2024-03", "referrals", 11, REF, date(2024, 3, 31))
    ledger.load("2024-03", "benefits", 12, BEN, date(2024, 3, 31))
    for line, (person, status) in enumerate(((P1, "full"), (P2, "none")), start=3):
        ledger.referral(11, REF, line, ct, person)
        ledger.participant(ct, person)
        ledger.full_weeks(ct, person, BEN, line + 10)
        ledger.year(ct, person, 1, status)
    ledger.referral_vintage(REF)
    issue(ledger, "2024-03")
    ledger.con.close()
    text = print_trace(warehouse_path, f"{ct}:2024-03", 1)
    assert "Counted: 2 participants, 2 participant-years (1 successes)" in text
    assert "successes counted = those of the item's basis: 1" in text and "DIFF" not in text
    assert "each participant counts once" in text


def test_the_summarys_item_queries_yield_the_rows_of_the_view(ledger: Ledger) -> None:
    """queries/item_weeks.sql and item_source_lines.sql read the evidence tables directly (filtered
    on the statement first): for every line of every statement they give exactly the rows of
    audit.trace — streak, year, savings and requirement items, income lines included."""
    from orchestration.audit.line_summary import query
    from tests.audit.ledger import START, month_one, month_two

    month_one(ledger)
    ledger.outcome("rc", 3, "job_entry_8w", "streak", "700.00", weeks=8, requires="job_entry_4w")
    ledger.streak("rc", P1, "job_entry_8w", 9, start=START)
    issue(ledger, "2024-03")
    month_two(ledger)
    issue(ledger, "2024-04")
    lines = ledger.rows("SELECT statement_id, line_no, item_key FROM payments.statement_lines ORDER BY ALL")
    assert len(lines) >= 6 and any("job_entry_8w" in key for _, _, key in lines)
    kinds = set()
    for sid, n, key in lines:
        params = {"statement_id": sid, "item_key": key}
        weeks = sorted(ledger.con.execute(
            f"SELECT person_key, follow_up_week, file_name, line_number FROM ({query('item_weeks')})", params).fetchall())
        assert weeks == ledger.rows(
            "SELECT person_key, follow_up_week, file_name, line_number FROM audit.trace WHERE statement_id = ? "
            "AND line_no = ? AND evidence_kind = 'participant_week' ORDER BY ALL", [sid, n]), (sid, key)
        sources = sorted(ledger.con.execute(f"SELECT * FROM ({query('item_source_lines')})", params).fetchall())
        assert sources == ledger.rows(
            "SELECT source, file_name, file_sha256, line_number, person_key FROM audit.trace WHERE statement_id = ? "
            "AND line_no = ? AND source IS NOT NULL ORDER BY ALL", [sid, n]), (sid, key)
        kinds |= {s[0] for s in sources}
    assert kinds == {"benefits", "income", "referrals"}
