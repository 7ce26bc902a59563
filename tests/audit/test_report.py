"""The auditor's HTML report of a statement."""

from __future__ import annotations

import re
import xml.dom.minidom
from decimal import Decimal
from html.parser import HTMLParser

import duckdb
import pytest

from orchestration.audit import report
from orchestration.audit.chart import years_verified_chart

from orchestration.audit import TraceError
from orchestration.audit.report import render_report
from tests.audit.ledger import P1, P2, RC, SV, Ledger, month_one, month_two
from tests.audit.savings import BEN, SB, savings_contract
from tests.audit.test_evidence import issue

SID = f"{SB}:2024-03"


def test_report_of_a_statement(ledger: Ledger, warehouse_path) -> None:
    month_one(ledger)
    issue(ledger, "2024-03")
    month_two(ledger)
    issue(ledger, "2024-04")
    st = ledger.statement(f"{RC}:2024-04")
    lines = ledger.lines(f"{RC}:2024-04")
    ledger.con.close()

    html = render_report(warehouse_path, f"{RC}:2024-04")
    assert html.startswith("<!DOCTYPE html>") and html.rstrip().endswith("</html>")
    for value in (st["statement_sha256"], st["terms_sha256"], st["referrals_file"], st["referrals_sha256"],
                  st["benefits_file"], st["benefits_sha256"], st["income_file"], st["income_sha256"],
                  "benefit_groups.csv", "Kommune", "Fond", "Leverandør"):
        assert value in html, value
    assert html.count("<details open>") == len(lines) == 1
    assert f"{P2}|job_entry_4w|0" in html and "dream_2024W17.csv:26" in html
    assert html.count("class='ok'") == 5 and "class='bad'" not in html
    svg = re.search(r"<svg.*?</svg>", html, re.S).group(0)
    xml.dom.minidom.parseString(svg)
    assert svg.count("<rect") == 2      # the contract's statements 2024-03 and 2024-04
    assert "<script" not in html and "http://" not in html.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert not re.search(r"(?<![0-9a-f])\d{6}-?\d{4}(?![0-9a-f])", html)   # nothing shaped like a CPR

    older = render_report(warehouse_path, f"{SV}:2024-03")
    assert "gain_share" in older and "outlay_repayment" in older and P1 not in older
    with pytest.raises(TraceError, match="no statement"):
        render_report(warehouse_path, "nope:2024-03")


def _parse(html: str) -> list[str]:
    """The tags of the document, checking it parses and every opened element is closed."""
    class Tags(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.open: list[str] = []
            self.seen: list[str] = []

        def handle_starttag(self, tag, attrs) -> None:
            self.seen.append(tag)
            if tag not in VOID:
                self.open.append(tag)

        def handle_endtag(self, tag) -> None:
            assert self.open and self.open[-1] == tag, (tag, self.open[-5:])
            self.open.pop()

    parser = Tags()
    parser.feed(html)
    parser.close()
    assert parser.open == []
    return parser.seen


VOID = {"meta", "br", "hr", "img", "input", "link"}


def _svg_and_void_closed(html: str) -> str:
    """The document with the SVG's self-closed elements opened and closed, for the tag check."""
    return re.sub(r"<(line|polyline)([^>]*)/>", r"<\1\2></\1>", html)


def test_savings_report_shows_the_summary_escapes_and_prints(ledger: Ledger, warehouse_path) -> None:
    savings_contract(ledger, 12, name="<script>alert(1)</script> & Co")
    issue(ledger, "2024-03")
    ledger.con.close()
    html = render_report(warehouse_path, SID)
    tags = _parse(_svg_and_void_closed(html))
    assert "svg" in tags and "script" not in tags and "<script" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; Co" in html
    xml.dom.minidom.parseString(re.search(r"<svg.*?</svg>", html, re.S).group(0))
    # the summary per line: participants, years, groups, contributors, files, checks
    assert html.count("<details open>") == 2 and html.count("12</b> participants") == 2
    assert html.count("Largest contributors (10 of 12 participants") == 2
    assert "kontanthjaelp" in html and BEN in html and "class='bad'" not in html
    # issued to the second, no microseconds; amounts do not wrap; pages are numbered in print
    assert re.search(r"issued\s+<span class=\"amount\">\d{4}-\d\d-\d\d \d\d:\d\d:\d\d</span> UTC", html)
    assert not re.search(r"\d\d:\d\d:\d\d\.\d", html)
    assert "white-space:nowrap" in html and "tabular-nums" in html
    assert "counter(page)" in html and "counter(pages)" in html and "@media print" in html
    assert "Prepared by" in html and "Reviewed by" in html and "Date" in html
    forecast = html[html.index('<h2 id="forecast">'):]
    assert "Budget forecast at 2024-03" in forecast and "No forecast recorded" not in forecast
    assert '<th class="num">actual</th><th class="num">expected</th>' in forecast
    assert "Years verified" in html and "verified outcomes" not in html


def test_report_size_does_not_grow_with_the_cohort(ledger: Ledger, warehouse_path, tmp_path) -> None:
    savings_contract(ledger, 12)
    issue(ledger, "2024-03")
    ledger.con.close()
    small = len(render_report(warehouse_path, SID).encode())
    larger_path = tmp_path / "larger.duckdb"
    with duckdb.connect(str(larger_path)) as con:
        larger = Ledger(con)
        savings_contract(larger, 60)
        issue(larger, "2024-03")
    large = len(render_report(larger_path, SID).encode())
    assert abs(large - small) < 0.02 * small, (small, large)


def test_report_lists_a_bounded_number_of_lines_and_chains(ledger: Ledger, warehouse_path, monkeypatch) -> None:
    month_one(ledger)
    issue(ledger, "2024-03")
    count = len(ledger.lines(f"{RC}:2024-03"))
    ledger.con.close()
    assert count >= 2
    full = render_report(warehouse_path, f"{RC}:2024-03")
    assert full.count("<pre>") == count
    monkeypatch.setattr(report, "LINES_LISTED", count - 1)
    monkeypatch.setattr(report, "CHAINS_SHOWN", 1)
    html = render_report(warehouse_path, f"{RC}:2024-03")
    assert html.count("<pre>") == 1 and html.count("<details open>") == count - 1
    assert f"The first {count - 1} of {count} lines" in html
    assert html.count("chain of this person-level line is not included") == count - 2


def test_report_shows_the_contracts_budget_forecast_at_the_statement(ledger: Ledger, warehouse_path) -> None:
    savings_contract(ledger, 2)
    issue(ledger, "2024-03")
    ledger.con.execute("DELETE FROM payments.budget_forecast")   # the issue wrote one: replace it by known rows
    ledger.con.execute(
        "INSERT INTO payments.budget_forecast VALUES "
        "('2024-03', 'sb', 2024, '5.68.90', 'payment', 1234.50, 100000.00, 101234.50, 'business case'), "
        "('2024-03', 'sb', 2025, '5.68.90', 'payment', 0, 250000.00, 250000.00, 'business case'), "
        "('2024-03', 'sb', 2024, '5.57.73', 'savings', -1234.50, -5000.00, -6234.50, 'business case'), "
        "('2024-02', 'sb', 2024, '5.68.90', 'payment', 0, 999999.00, 999999.00, 'an older forecast'), "
        "('2024-03', 'other', 2024, '5.68.90', 'payment', 0, 777777.00, 777777.00, 'another contract')")
    ledger.con.close()
    html = render_report(warehouse_path, SID)
    section = html[html.index('id="forecast"'):html.index('id="chart"')]
    assert re.search(r"<th class=\"num\" colspan=\"2\">2024</th><th class=\"num\" colspan=\"2\">2025</th>", section)
    assert section.count("<td>5.68.90</td><td>payment</td>") == 1 and "5.57.73" in section
    assert "1,234.50" in section and "100,000.00" in section and "250,000.00" in section and "-5,000.00" in section
    assert "999,999.00" not in section and "777,777.00" not in section and "business case" in section


def test_chart_stays_legible_over_36_months() -> None:
    points = [{"month": f"{2022 + i // 12}-{i % 12 + 1:02d}", "years_verified": 10 * i, "participants": 100,
               "entitlement": Decimal(50_000 * i)} for i in range(36)]
    chart = years_verified_chart(points, "2024-12")
    assert len(chart["bars"]) == 36
    xs = sorted(float(label["x"]) for label in chart["labels"])
    assert 6 <= len(xs) <= 13 and min(b - a for a, b in zip(xs, xs[1:])) >= 44   # month labels never touch
    assert [b["value"] for b in chart["bars"] if b["show_value"]] == ["350"]      # only the statement's own
    assert any(label["text"] == "2024-12" and label["current"] for label in chart["labels"])
    few = years_verified_chart(points[:4], "2022-04")
    assert [b["show_value"] for b in few["bars"]] == [True] * 4 and len(few["labels"]) == 4


def test_years_verified_are_kept_as_the_command_line_printed_them(ledger: Ledger) -> None:
    from orchestration.summary import STATEMENT_HEADERS, statement_rows

    month_one(ledger)
    ledger.year(RC, P2, 1, "pending")
    issue(ledger, "2024-03")
    headers, printed = statement_rows(ledger.con, "2024-03", schema="payments")
    columns = [headers.index(h) for h in ("contract", "participants", "years verified", "years pending")]
    assert STATEMENT_HEADERS == headers
    kept = ledger.rows("SELECT split_part(statement_id, ':', 1), participants, years_verified, years_pending "
                       "FROM audit.statement_cohort ORDER BY 1")
    assert kept == [tuple(r[i] for i in columns) for r in printed]
    assert kept == [(RC, 2, 1, 1), (SV, 1, 1, 0)]
