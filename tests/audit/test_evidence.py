"""Evidence kept per statement and the view `audit.trace`: exactly the source lines behind each
line, and an old statement's trace unchanged after newer vintages are issued."""

from __future__ import annotations

from decimal import Decimal

import duckdb
import pytest

from orchestration.audit import TraceError, format_summary, format_trace, print_trace, record_evidence
from tests.audit.ledger import P1, P2, P3, RC, SV, Ledger, month_one, month_two

REF_03, BEN_03, INC_03 = "referrals_2024-03-31.csv", "dream_2024W13.csv", "eindkomst_2024-03.csv"
REF_04, BEN_04, INC_04 = "referrals_2024-04-30.csv", "dream_2024W17.csv", "eindkomst_2024-04.csv"


def issue(w: Ledger, month: str):
    w.run(month)
    return record_evidence(w.con, month)


def line_no(w: Ledger, statement_id: str, item_key: str) -> int:
    [(n,)] = w.rows("SELECT line_no FROM payments.statement_lines WHERE statement_id = ? AND item_key = ?",
                    [statement_id, item_key])
    return n


def trace(w: Ledger, statement_id: str, n: int, kind: str, *columns: str) -> list[tuple]:
    return w.rows(
        f"SELECT {', '.join(columns)} FROM audit.trace WHERE statement_id = ? AND line_no = ? "
        f"AND evidence_kind = ? ORDER BY ALL", [statement_id, n, kind])


def test_rate_card_streak_line_lists_exactly_its_source_lines(ledger: Ledger) -> None:
    month_one(ledger)
    result = issue(ledger, "2024-03")
    assert result.recorded == (f"{RC}:2024-03", f"{SV}:2024-03") and result.skipped == ()
    sid = f"{RC}:2024-03"
    n = line_no(ledger, sid, f"{P1}|job_entry_4w|0")

    assert trace(ledger, sid, n, "streak_outcome", "evidence_role", "person_key", "outcome_id",
                 "achievement_week", "outcome_status") == [("streak", P1, "job_entry_4w", 6, "verified")]
    weeks = trace(ledger, sid, n, "participant_week", "follow_up_week", "source", "file_name", "line_number")
    assert weeks == [(w, "benefits", BEN_03, 5) for w in range(1, 7)]
    # weeks 1-6 lie in Jan and Feb 2023: the type-00 lines of those months only (not line 8,
    # type 01, nor line 9 of June 2022)
    assert trace(ledger, sid, n, "income_line", "evidence_month", "source", "file_name", "line_number",
                 "allocated_hours") == [("2023-01", "income", INC_03, 7, Decimal("120.00")),
                                        ("2023-02", "income", INC_03, 7, Decimal("110.50"))]
    assert trace(ledger, sid, n, "referral_line", "person_key", "source", "file_name", "line_number") == [
        (P1, "referrals", REF_03, 3)]
    shas = {r[0] for r in ledger.rows("SELECT DISTINCT file_sha256 FROM audit.trace WHERE statement_id = ? "
                                      "AND line_no = ? AND source = 'benefits'", [sid, n])}
    assert shas == {ledger.rows("SELECT benefits_sha256 FROM payments.statements WHERE statement_id = ?", [sid])[0][0]}


def test_year_item_rests_on_the_52_weeks_of_its_year(ledger: Ledger) -> None:
    month_one(ledger)
    issue(ledger, "2024-03")
    sid = f"{RC}:2024-03"
    n = line_no(ledger, sid, f"{P1}|year_full|1")
    assert trace(ledger, sid, n, "outcome_year", "evidence_role", "follow_up_year", "outcome_status") == [
        ("outcome_year", 1, "full")]
    weeks = trace(ledger, sid, n, "participant_week", "follow_up_week", "follow_up_year", "line_number")
    assert weeks == [(w, 1, 5) for w in range(1, 53)]
    assert [r[:2] for r in trace(ledger, sid, n, "income_line", "evidence_month", "line_number")] == [
        ("2023-01", 7), ("2023-02", 7)]


def test_savings_items_rest_on_the_years_and_their_baseline_weeks(ledger: Ledger) -> None:
    month_one(ledger)
    issue(ledger, "2024-03")
    sid = f"{SV}:2024-03"
    for key in ("gain_share", "outlay_repayment"):
        n = line_no(ledger, sid, key)
        assert trace(ledger, sid, n, "outcome_year", "evidence_role", "person_key", "follow_up_year",
                     "savings_dkk", "baseline_cost_dkk", "actual_cost_dkk") == [
            ("savings_year", P3, 1, Decimal("500.00"), Decimal("600.00"), Decimal("100.00"))]
        weeks = trace(ledger, sid, n, "participant_week", "follow_up_week", "file_name", "line_number")
        assert weeks == [(w, BEN_03, 7) for w in range(-51, 53)]
        assert trace(ledger, sid, n, "income_line", "line_number") == []   # no income for this contract
        assert trace(ledger, sid, n, "referral_line", "person_key", "file_name", "line_number") == [
            (P3, REF_03, 5)]


def test_old_trace_unchanged_after_a_newer_vintage_is_issued(ledger: Ledger) -> None:
    month_one(ledger)
    issue(ledger, "2024-03")
    old = "SELECT * FROM audit.trace WHERE statement_month = '2024-03' ORDER BY ALL"
    before = ledger.rows(old)
    texts = {n: format_trace(ledger.con, f"{RC}:2024-03", n) for n in (1, 2)}
    assert len(before) > 100

    month_two(ledger)
    result = issue(ledger, "2024-04")
    assert result.recorded == (f"{RC}:2024-04", f"{SV}:2024-04")

    assert ledger.rows(old) == before
    assert {n: format_trace(ledger.con, f"{RC}:2024-03", n) for n in (1, 2)} == texts
    # the new statement rests on the new files
    sid = f"{RC}:2024-04"
    n = line_no(ledger, sid, f"{P2}|job_entry_4w|0")
    assert trace(ledger, sid, n, "participant_week", "follow_up_week", "file_name", "line_number") == [
        (w, BEN_04, 26) for w in range(1, 6)]
    assert trace(ledger, sid, n, "income_line", "evidence_month", "file_name", "line_number") == [
        ("2023-01", INC_04, 18)]
    assert trace(ledger, sid, n, "referral_line", "file_name", "line_number") == [(REF_04, 14)]
    # an item kept in the new entitlement (no line) has its evidence copied again, from the new files
    assert ledger.rows("SELECT DISTINCT benefits_file, benefits_line FROM audit.statement_evidence_weeks "
                       "WHERE statement_id = ? AND person_key = ?", [sid, P1]) == [(BEN_04, 25)]


def test_evidence_is_recorded_once_and_never_from_other_vintages(ledger: Ledger) -> None:
    month_one(ledger)
    issue(ledger, "2024-03")
    counts = ledger.rows("SELECT statement_id, outcome_rows, week_rows, income_rows, referral_rows "
                         "FROM audit.statement_evidence_runs ORDER BY 1")
    assert counts == [(f"{RC}:2024-03", 2, 52, 2, 1), (f"{SV}:2024-03", 2, 104, 0, 1)]
    assert record_evidence(ledger.con, "2024-03").recorded == ()
    assert ledger.rows("SELECT statement_id, outcome_rows, week_rows, income_rows, referral_rows "
                       "FROM audit.statement_evidence_runs ORDER BY 1") == counts

    month_two(ledger)
    ledger.run("2024-04")
    # the marts now stand for another benefit vintage than the statements recorded: nothing copied
    ledger.load("2024-04", "benefits", 31, "dream_2024W18.csv", ledger.rows("SELECT DATE '2024-05-05'")[0][0])
    result = record_evidence(ledger.con, "2024-04")
    assert result.recorded == ()
    assert result.skipped == ((f"{RC}:2024-04", "selected benefit vintage differs"),
                              (f"{SV}:2024-04", "selected benefit vintage differs"))
    assert "not recorded" in result.describe()


def test_inside_the_callers_transaction(ledger: Ledger) -> None:
    month_one(ledger)
    ledger.run("2024-03")
    ledger.con.begin()
    assert len(record_evidence(ledger.con, "2024-03").recorded) == 2
    ledger.con.rollback()
    assert record_evidence(ledger.con, "2024-03").recorded == (f"{RC}:2024-03", f"{SV}:2024-03")


def test_print_trace_reads_the_file(ledger: Ledger, warehouse_path) -> None:
    month_one(ledger)
    issue(ledger, "2024-03")
    ledger.con.close()
    text = print_trace(warehouse_path, f"{RC}:2024-03", 1)
    assert f"Line 1: {P1}|job_entry_4w|0" in text
    assert "streak verified, achieved in follow-up week 6" in text
    assert f"{BEN_03}:5" in text and f"{INC_03}:7" in text and f"{REF_03}:3" in text
    assert "lines 1-6" not in text and "lines 5" in text and "lines 3" in text
    with pytest.raises(TraceError, match="no line 9"):
        print_trace(warehouse_path, f"{RC}:2024-03", 9)
    with pytest.raises(TraceError, match="no statement"):
        print_trace(warehouse_path, "nope:2024-03", 1)
    # read-only: the file can be opened again for writing afterwards
    duckdb.connect(str(warehouse_path)).close()


def test_marts_of_another_month_are_never_copied(ledger: Ledger) -> None:
    month_one(ledger)
    ledger.run("2024-03")
    month_two(ledger)   # the marts are rebuilt from the 2024-04 vintages before evidence was copied
    result = record_evidence(ledger.con, "2024-03")
    assert result.recorded == ()
    assert result.skipped == ((f"{RC}:2024-03", "the participant-weeks come from another benefit vintage"),
                              (f"{SV}:2024-03", "the participant-weeks come from another benefit vintage"))
    assert ledger.rows("SELECT count(*) FROM audit.statement_evidence_weeks") == [(0,)]


def test_dbt_staging_view_names_the_vintages_the_marts_were_built_from(ledger: Ledger) -> None:
    month_one(ledger)
    ledger.run("2024-03")
    ledger.load("2024-04", "referrals", 21, REF_04, ledger.rows("SELECT DATE '2024-04-30'")[0][0])
    ledger.con.execute("CREATE SCHEMA staging")
    ledger.con.execute("CREATE VIEW staging.stg_selected_vintages__vintages AS SELECT * FROM raw.selected_vintages "
                       "WHERE run_month = '2024-04'")
    result = record_evidence(ledger.con, "2024-03")
    assert result.recorded == () and {why for _, why in result.skipped} == {"selected referral vintage differs"}


def test_cohort_target_rests_on_every_participants_target_year(ledger: Ledger) -> None:
    ct = "ct"
    ledger.contract(ct, "cohort_target", terms="id: ct\n", follow_up_years=1, target_year=1,
                    target_share=Decimal("0.5"), target_amount_dkk=Decimal("1000.00"), below_target="nothing")
    ledger.statuses(ct, "target_statuses", ("full", "partial"))
    ledger.load("2024-03", "referrals", 11, REF_03, ledger.rows("SELECT DATE '2024-03-31'")[0][0])
    ledger.load("2024-03", "benefits", 12, BEN_03, ledger.rows("SELECT DATE '2024-03-31'")[0][0])
    for line, (person, status) in enumerate(((P1, "full"), (P2, "none")), start=3):
        ledger.referral(11, REF_03, line, ct, person)
        ledger.participant(ct, person)
        ledger.full_weeks(ct, person, BEN_03, line + 10)
        ledger.year(ct, person, 1, status)
    ledger.referral_vintage(REF_03)
    assert issue(ledger, "2024-03").recorded == (f"{ct}:2024-03",)
    sid = f"{ct}:2024-03"
    assert ledger.lines(sid)[0][1:] == ("target_payment", "outcome", Decimal("0.00"), Decimal("1000.00"),
                                        Decimal("1000.00"))
    assert trace(ledger, sid, 1, "outcome_year", "evidence_role", "person_key", "outcome_status", "counted") == [
        ("cohort_year", P1, "full", True), ("cohort_year", P2, "none", False)]
    weeks = trace(ledger, sid, 1, "participant_week", "person_key", "follow_up_week", "line_number")
    assert weeks == sorted([(P1, w, 13) for w in range(1, 53)] + [(P2, w, 14) for w in range(1, 53)])
    assert trace(ledger, sid, 1, "referral_line", "person_key", "line_number") == [(P1, 3), (P2, 4)]
    text = format_trace(ledger.con, sid, 1)
    assert "counted as success" in text and "not a success" in text
    assert "Income lines: none" in text


def test_trace_from_a_copy_where_the_view_is_a_table(ledger: Ledger, tmp_path) -> None:
    """The analysts' copy holds audit.trace as a table: the command reads it the same way."""
    month_one(ledger)
    issue(ledger, "2024-03")
    expected = format_summary(ledger.con, f"{RC}:2024-03", 1)
    full = format_trace(ledger.con, f"{RC}:2024-03", 1)
    copy = tmp_path / "copy.duckdb"
    ledger.con.execute(f"ATTACH '{copy}' AS copy")
    ledger.con.execute("CREATE SCHEMA copy.payments; CREATE SCHEMA copy.audit")
    for schema, table in (("payments", "statements"), ("payments", "statement_lines"),
                          ("payments", "entitlement_items"), ("audit", "statement_evidence_runs"), ("audit", "trace")):
        ledger.con.execute(f"CREATE TABLE copy.{schema}.{table} AS SELECT * FROM {schema}.{table}")
    ledger.con.execute("DETACH copy")
    assert print_trace(copy, f"{RC}:2024-03", 1) == expected
    assert print_trace(copy, f"{RC}:2024-03", 1, full=True) == full
    with pytest.raises(TraceError, match="no warehouse"):
        print_trace(tmp_path / "missing.duckdb", f"{RC}:2024-03", 1)
