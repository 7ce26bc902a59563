"""The auditor's HTML report of a statement."""

from __future__ import annotations

import re
import xml.dom.minidom

import pytest

from orchestration.audit import TraceError
from orchestration.audit.report import render_report
from tests.audit.ledger import P1, P2, RC, SV, Ledger, month_one, month_two
from tests.audit.test_evidence import issue


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
    assert html.count("<details>") == len(lines) == 1
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
