"""Monthly statements: deltas, adjustments and reversals, offsets, line order, the hash, immutability,
reruns and refusals, reproducibility, one transaction per run."""

from __future__ import annotations

import hashlib
import json
from dataclasses import replace
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

import contracts.payments.run as run_module
from contracts.payments import RunInputs, StatementNotReproducible, StatementRefused, statement_text
from tests.payments.world import D, World, pk, sha

C = "uk-outcomes-fund"
START = date(2020, 3, 4)


def rate_card(world: World, contract_id: str = C, *, year_price: str = "30000.00") -> None:
    world.contract(contract_id, "rate_card", terms=f"id: {contract_id}\nyear_price: {year_price}\n")
    world.outcome(contract_id, 1, "job_entry_13w", "streak", "20000.00", weeks=13)
    world.outcome(contract_id, 2, "small_win", "streak", "5000.00", weeks=4)
    world.outcome(contract_id, 3, "year_full", "year_status", year_price, statuses=("full",), years=(1, 2))
    world.outcome(contract_id, 4, "year_partial", "year_status", "10000.00", statuses=("partial",), years=(1, 2))


def key(n: int, outcome: str, year: int = 0) -> str:
    return f"{pk(n)}|{outcome}|{year}"


def paid_and_carried(world: World, contract_id: str = C) -> tuple[Decimal, Decimal]:
    [(paid, carried)] = world.rows(
        "SELECT sum(amount_payable_dkk), arg_max(offset_carried_forward_dkk, month) FROM payments.statements "
        "WHERE contract_id = ?", [contract_id]
    )
    return paid, carried


# --- line order and the hash ---------------------------------------------------------------------


def test_known_statement_hash_computed_by_hand(world: World) -> None:
    rate_card(world)
    world.participant(C, pk(1), START)
    world.streak(C, pk(1), "job_entry_13w", 17)
    world.run("2024-03")
    # a correction: pk(1)'s streak is no longer verified; pk(2) achieves a small win
    world.participant(C, pk(2), START)
    world.streak(C, pk(1), "job_entry_13w", 17, status="open")
    world.streak(C, pk(2), "small_win", 4)
    world.vintages("2024-04", benefits="dream_2024W15.csv")
    result = world.run("2024-04")
    text = (
        "00000000000000000000000000000001|job_entry_13w|0;adjustment;20000.00;0.00;-20000.00\n"
        "00000000000000000000000000000002|small_win|0;outcome;0.00;5000.00;5000.00\n"
        "-15000.00;0.00;0.00;-15000.00\n"
    )
    expected = hashlib.sha256(text.encode("utf-8")).hexdigest()
    st = world.statement(f"{C}:2024-04")
    assert st["statement_sha256"] == expected
    assert result.issued[0].statement_sha256 == expected
    first = (
        "00000000000000000000000000000001|job_entry_13w|0;outcome;0.00;20000.00;20000.00\n"
        "20000.00;0.00;20000.00;0.00\n"
    )
    assert world.statement(f"{C}:2024-03")["statement_sha256"] == hashlib.sha256(first.encode()).hexdigest()


def test_statement_text_format() -> None:
    text = statement_text(
        [("a|b|0", "adjustment", D("1234567.80"), D("0.00"), D("-1234567.80"))],
        total=D("-0.00"),
        offset_brought_forward=D("-5.00"),
        amount_payable=D("0"),
        offset_carried_forward=D("-0.00"),
    )
    assert text == "a|b|0;adjustment;1234567.80;0.00;-1234567.80\n0.00;-5.00;0.00;0.00\n"
    assert statement_text([], total=D(0), offset_brought_forward=D(0), amount_payable=D(0),
                          offset_carried_forward=D(0)) == "0.00;0.00;0.00;0.00\n"


def test_lines_are_numbered_in_code_point_order_of_item_key(world: World) -> None:
    world.contract(C, "rate_card")
    for pos, outcome in enumerate(("jobentry", "job_entry", "job-entry", "job10", "job9", "job")):
        world.outcome(C, pos, outcome, "streak", "1.00", weeks=1)
    world.participant(C, pk(1), START)
    world.participant(C, pk(10), START)
    for outcome in ("jobentry", "job_entry", "job-entry", "job10", "job9", "job"):
        world.streak(C, pk(1), outcome, 5)
    world.streak(C, pk(10), "job", 5)
    world.con.execute("SET default_collation = 'nocase'")  # a session collation must not matter
    world.run("2024-03")
    keys = [line[1] for line in world.lines(f"{C}:2024-03")]
    assert keys == sorted(keys)  # Python str order = Unicode code points
    # '-' 0x2D < '1' < '9' < '_' 0x5F < 'e' < '|' 0x7C
    assert keys[:6] == [key(1, o) for o in ("job-entry", "job10", "job9", "job_entry", "jobentry", "job")]
    assert [line[0] for line in world.lines(f"{C}:2024-03")] == list(range(1, 8))


# --- deltas, adjustments, explanations -----------------------------------------------------------


def test_second_run_with_changed_inputs_adjusts_each_item_by_its_change(world: World) -> None:
    rate_card(world)
    for n in (1, 2, 3):
        world.participant(C, pk(n), START)
    world.year(C, pk(1), 1, "partial")
    world.year(C, pk(2), 1, "full")
    world.streak(C, pk(3), "job_entry_13w", 20)
    world.run("2024-03")
    before = world.items(f"{C}:2024-03")

    # register correction (pk1 partial → full) and new terms (year price 30000 → 32000)
    world.clear_outcomes()
    rate_card(world, year_price="32000.00")
    world.year(C, pk(1), 1, "full")
    world.vintages("2024-04", benefits="dream_2024W15.csv")
    world.run("2024-04")
    after = world.items(f"{C}:2024-04")

    lines = {line[1]: line for line in world.lines(f"{C}:2024-04")}
    for k in set(before) | set(after):
        change = after.get(k, (0, 0, D("0.00")))[2] - before.get(k, (0, 0, D("0.00")))[2]
        if change:
            assert lines[k][5] == change
        else:
            assert k not in lines
    assert set(lines) == {key(1, "year_partial", 1), key(1, "year_full", 1), key(2, "year_full", 1)}
    # both statements together post exactly the new entitlement, per item and in total
    posted = dict(world.rows(
        "SELECT item_key, sum(amount_dkk) FROM payments.statement_lines GROUP BY item_key HAVING sum(amount_dkk) <> 0"))
    assert posted == {k: v[2] for k, v in after.items() if v[2]}
    explanations = dict(world.rows(
        "SELECT item_key, explanation FROM payments.statement_lines WHERE statement_id = ?", [f"{C}:2024-04"]))
    cause = (f"changed since {C}:2024-03: terms changed, benefit vintage dream_2024W10.csv → dream_2024W15.csv")
    assert explanations[key(1, "year_partial", 1)] == f"year 1 status partial → full: reversed to 0; {cause}"
    assert explanations[key(1, "year_full", 1)] == "year 1 status full"  # a new item: what it rests on
    assert explanations[key(2, "year_full", 1)] == f"price 30000.00 → 32000.00; {cause}"
    kinds = dict(world.rows(
        "SELECT item_key, kind FROM payments.statement_lines WHERE statement_id = ?", [f"{C}:2024-04"]))
    assert kinds == {key(1, "year_partial", 1): "adjustment", key(1, "year_full", 1): "outcome",
                     key(2, "year_full", 1): "adjustment"}
    assert world.statement(f"{C}:2024-04")["terms_sha256"] != world.statement(f"{C}:2024-03")["terms_sha256"]


def test_vanished_items_are_reversed_with_a_reason(world: World) -> None:
    rate_card(world)
    for n in (1, 2, 3):
        world.participant(C, pk(n), START)
        world.streak(C, pk(n), "job_entry_13w", 20)
    world.run("2024-03")
    world.con.execute("UPDATE marts.dim_participants SET excluded_reason = 'missing_in_benefit_register' "
                      "WHERE person_key = ?", [pk(1)])
    world.con.execute("DELETE FROM marts.dim_participants WHERE person_key = ?", [pk(2)])
    world.streak(C, pk(3), "job_entry_13w", 24)  # a corrected week moves the achievement
    world.vintages("2024-04", referrals="referrals_2024-04-01.csv", referrals_as_of=date(2024, 4, 1))
    world.run("2024-04")
    lines = world.rows(
        "SELECT item_key, kind, amount_dkk, explanation FROM payments.statement_lines "
        "WHERE statement_id = ? ORDER BY line_no", [f"{C}:2024-04"])
    cause = f"changed since {C}:2024-03: referral vintage referrals_2021-08-31.csv → referrals_2024-04-01.csv"
    assert lines == [
        (key(1, "job_entry_13w"), "adjustment", D("-20000.00"),
         f"participant now excluded (missing_in_benefit_register): reversed to 0; {cause}"),
        (key(2, "job_entry_13w"), "adjustment", D("-20000.00"),
         f"person no longer on the referral list: reversed to 0; {cause}"),
    ]  # pk(3)'s item keeps its amount: no line, only its basis changed
    assert world.items(f"{C}:2024-04") == {key(3, "job_entry_13w"): (D("20000.00"), D("0.00"), D("20000.00"))}


def test_reappearing_item_is_an_adjustment_from_zero(world: World) -> None:
    rate_card(world)
    world.participant(C, pk(1), START)
    world.streak(C, pk(1), "job_entry_13w", 20)
    world.run("2024-01")
    world.streak(C, pk(1), "job_entry_13w", 20, status="open")
    world.vintages("2024-02", benefits="dream_2024W06.csv")
    world.run("2024-02")
    world.streak(C, pk(1), "job_entry_13w", 20)
    world.vintages("2024-03", benefits="dream_2024W10.csv")
    world.run("2024-03")
    [line] = world.rows("SELECT kind, previous_amount_dkk, new_amount_dkk, amount_dkk, explanation "
                        "FROM payments.statement_lines WHERE statement_id = ?", [f"{C}:2024-03"])
    assert line[:4] == ("adjustment", D("0.00"), D("20000.00"), D("20000.00"))
    assert line[4].startswith("verified again: achieved in follow-up week 20; changed since")
    st = world.statement(f"{C}:2024-03")
    assert (st["offset_brought_forward_dkk"], st["amount_payable_dkk"]) == (D("-20000.00"), D("0.00"))


# --- offsets ---------------------------------------------------------------------------------------


def test_offset_carried_and_brought_forward(world: World) -> None:
    rate_card(world)
    world.participant(C, pk(1), START)
    world.participant(C, pk(2), START)
    world.streak(C, pk(1), "job_entry_13w", 17)
    world.run("2024-03")

    world.streak(C, pk(1), "job_entry_13w", 17, status="open")
    world.streak(C, pk(2), "small_win", 4)
    world.vintages("2024-04", benefits="dream_2024W15.csv")
    world.run("2024-04")
    st = world.statement(f"{C}:2024-04")
    assert (st["lines_total_dkk"], st["offset_brought_forward_dkk"], st["amount_payable_dkk"],
            st["offset_carried_forward_dkk"], st["entitlement_to_date_dkk"]) == (
        D("-15000.00"), D("0.00"), D("0.00"), D("-15000.00"), D("5000.00"))
    assert world.rows("SELECT count(*) FROM payments.budget_entries WHERE statement_id = ?",
                      [f"{C}:2024-04"]) == [(0,)]

    world.year(C, pk(2), 1, "full")
    world.vintages("2024-06", benefits="dream_2024W23.csv")  # months may be skipped
    world.run("2024-06")
    st = world.statement(f"{C}:2024-06")
    assert (st["lines_total_dkk"], st["offset_brought_forward_dkk"], st["total_dkk"], st["amount_payable_dkk"],
            st["offset_carried_forward_dkk"], st["entitlement_to_date_dkk"]) == (
        D("30000.00"), D("-15000.00"), D("15000.00"), D("15000.00"), D("0.00"), D("35000.00"))
    paid, carried = paid_and_carried(world)
    assert paid + carried == st["entitlement_to_date_dkk"]
    assert world.rows("SELECT account, kind, amount_dkk FROM payments.budget_entries WHERE statement_id = ?",
                      [f"{C}:2024-06"]) == [("5.68.90", "payment", D("15000.00"))]


def test_statement_without_lines_is_issued_with_zero_totals(world: World) -> None:
    rate_card(world)
    result = world.run("2024-03")
    st = world.statement(f"{C}:2024-03")
    assert (st["line_count"], st["lines_total_dkk"], st["amount_payable_dkk"], st["entitlement_to_date_dkk"]) == (
        0, D("0.00"), D("0.00"), D("0.00"))
    assert st["statement_sha256"] == hashlib.sha256(b"0.00;0.00;0.00;0.00\n").hexdigest()
    assert result.issued[0].line_count == 0


# --- recorded inputs -------------------------------------------------------------------------------


def test_inputs_are_recorded_with_copies(world: World) -> None:
    rate_card(world)
    world.contract("hours-contract", "rate_card", employment_hours_per_month=D("40.08"))
    world.vintages("2024-03", income="eindkomst_2024-02.csv")
    inputs = world.inputs("2024-03")
    inputs = RunInputs.of(replace(ci, git_commit="abc123") for ci in inputs.contracts.values())
    world.run("2024-03", inputs=inputs)
    st = world.statement(f"{C}:2024-03")
    referrals = "referrals_2021-08-31.csv"
    assert (st["referrals_file"], st["referrals_sha256"]) == (referrals, sha(referrals))
    assert (st["benefits_file"], st["benefits_sha256"]) == ("dream_2024W10.csv", sha("dream_2024W10.csv"))
    # Recorded on every statement; compared on a rerun only where the contract uses hours.
    assert (st["income_file"], st["income_sha256"]) == ("eindkomst_2024-02.csv", sha("eindkomst_2024-02.csv"))
    hours = world.statement("hours-contract:2024-03")
    assert (hours["income_file"], hours["income_sha256"]) == ("eindkomst_2024-02.csv", sha("eindkomst_2024-02.csv"))
    refs = json.loads(st["reference_files"])
    assert refs == {
        "benefit_groups.csv": hashlib.sha256(b"benefit_group,label\nnone,Ingen ydelse\n").hexdigest(),
        "benefit_rates.csv": hashlib.sha256(b"benefit_group,price_year,weekly_rate_dkk\n").hexdigest(),
    }
    assert (st["product_version"], st["git_commit"]) == ("0.1.0", "abc123")
    copies = world.rows("SELECT input_kind, file_name, file_sha256, content FROM payments.statement_inputs "
                        "WHERE statement_id = ? ORDER BY 1, 2", [f"{C}:2024-03"])
    terms_text = f"id: {C}\nyear_price: 30000.00\n"
    assert copies[0] == ("reference", "benefit_groups.csv", refs["benefit_groups.csv"],
                         "benefit_group,label\nnone,Ingen ydelse\n")
    assert copies[2] == ("terms", f"{C}.yml", sha(terms_text), terms_text)
    assert st["terms_sha256"] == sha(terms_text)
    assert st["issued_at"] == datetime(2024, 5, 1, 6, 0)  # stored as naive UTC


def test_run_inputs_from_warehouse_and_reference_dir(world: World, tmp_path: Path) -> None:
    from contracts.payments import read_reference_dir

    (tmp_path / "ref").mkdir()
    (tmp_path / "ref" / "b.csv").write_bytes(b"x;y\r\n1;2\r\n")
    (tmp_path / "ref" / "a.csv").write_bytes("gruppe\nkontanthjælp\n".encode())
    refs = read_reference_dir(tmp_path / "ref")
    assert [(r.file_name, r.sha256) for r in refs] == [
        ("a.csv", hashlib.sha256("gruppe\nkontanthjælp\n".encode()).hexdigest()),
        ("b.csv", hashlib.sha256(b"x;y\r\n1;2\r\n").hexdigest()),
    ]
    assert refs[1].text == "x;y\r\n1;2\r\n"  # the copy keeps the bytes' text exactly
    rate_card(world)
    world.contract("hours", "rate_card", employment_hours_per_month=D("40.08"))
    world.vintages("2024-03")
    with pytest.raises(ValueError, match="hours uses employment hours but no income vintage"):
        RunInputs.from_warehouse(world.con, month="2024-03", reference_dir=tmp_path / "ref")
    with pytest.raises(ValueError, match="the marts were built for 2024-03, not 2024-02"):
        RunInputs.from_warehouse(world.con, month="2024-02", reference_dir=tmp_path / "ref")
    world.retire("hours")
    inputs = RunInputs.from_warehouse(world.con, month="2024-03", reference_dir=tmp_path / "ref",
                                      product_version="9.9")
    ci = inputs.contracts[C]
    assert (ci.referrals.as_of, ci.benefits.file_name, ci.income, ci.product_version) == (
        date(2021, 8, 31), "dream_2024W10.csv", None, "9.9")


def test_inputs_must_match_raw_contracts(world: World) -> None:
    rate_card(world)
    inputs = world.inputs("2024-03")
    world.contract("other", "rate_card")
    with pytest.raises(ValueError, match="no inputs for other"):
        world.run("2024-03", inputs=inputs)


# --- immutability, reruns and refusals ---------------------------------------------------------------


def _two_contracts(world: World) -> None:
    rate_card(world, "alpha")
    rate_card(world, "beta")
    for cid in ("alpha", "beta"):
        world.participant(cid, pk(1), START)
        world.streak(cid, pk(1), "job_entry_13w", 17)


def test_rerun_with_identical_inputs_is_unchanged_and_writes_nothing(world: World) -> None:
    _two_contracts(world)
    first = world.run("2024-03")
    dump = world.dump()
    again = world.run("2024-03", issued_at=datetime(2024, 6, 1, tzinfo=UTC))
    assert [s.status for s in again.statements] == ["unchanged", "unchanged"]
    assert world.dump() == dump
    assert [s.statement_sha256 for s in again.statements] == [s.statement_sha256 for s in first.statements]
    assert [s.amount_payable_dkk for s in again.statements] == [D("20000.00"), D("20000.00")]


def test_rerun_with_git_commit_only_changed_is_unchanged(world: World) -> None:
    _two_contracts(world)
    world.run("2024-03")
    inputs = world.inputs("2024-03")
    inputs = RunInputs.of(replace(ci, git_commit="f00") for ci in inputs.contracts.values())
    assert [s.status for s in world.run("2024-03", inputs=inputs).statements] == ["unchanged", "unchanged"]


def test_rerun_with_another_income_vintage_is_unchanged_for_a_contract_without_hours(world: World) -> None:
    rate_card(world)
    world.vintages("2024-03", income="eindkomst_2024-02.csv")
    world.run("2024-03")
    dump = world.dump()
    world.vintages("2024-03", income="eindkomst_2024-03.csv")
    assert [s.status for s in world.run("2024-03").statements] == ["unchanged"]
    assert world.dump() == dump
    assert world.statement(f"{C}:2024-03")["income_file"] == "eindkomst_2024-02.csv"


@pytest.mark.parametrize("change", ["benefits", "terms", "reference", "version"])
def test_rerun_with_changed_inputs_is_refused_and_changes_nothing(world: World, change: str) -> None:
    _two_contracts(world)
    world.run("2024-03")
    rate_card(world, "gamma")  # would be new in the rerun: not issued either
    dump = world.dump()
    refs = None
    version = "0.1.0"
    if change == "benefits":
        world.vintages("2024-03", benefits="dream_2024W11.csv")
    elif change == "terms":
        world.contract("beta", "rate_card", terms="id: beta\nchanged: yes\n")
    elif change == "reference":
        from contracts.payments import ReferenceFile
        from tests.payments.world import REFERENCE_FILES

        refs = (REFERENCE_FILES[0], ReferenceFile.from_bytes("benefit_rates.csv", b"new rates\n"))
    else:
        version = "0.2.0"
    inputs = world.inputs("2024-03", version=version, **({"refs": refs} if refs else {}))
    with pytest.raises(StatementRefused, match="corrections go into the next month's statement") as info:
        world.run("2024-03", inputs=inputs)
    assert world.dump() == dump
    assert "beta" in info.value.contracts


def test_rerun_with_same_inputs_but_different_result_is_refused(world: World) -> None:
    _two_contracts(world)
    world.run("2024-03")
    dump = world.dump()
    world.streak("beta", pk(1), "job_entry_13w", 17, status="open")  # marts changed, recorded inputs not
    with pytest.raises(StatementNotReproducible, match="recompute to a different statement hash") as info:
        world.run("2024-03")
    assert info.value.contracts == ("beta",)
    assert world.dump() == dump


def test_changed_rerun_message_names_what_differs(world: World) -> None:
    _two_contracts(world)
    world.run("2024-03")
    world.vintages("2024-03", benefits="dream_2024W11.csv")
    with pytest.raises(StatementRefused) as info:
        world.run("2024-03")
    assert "alpha: benefit vintage dream_2024W10.csv → dream_2024W11.csv" in str(info.value)
    assert info.value.contracts == ("alpha", "beta")


def test_out_of_order_month_is_refused(world: World) -> None:
    _two_contracts(world)
    world.run("2024-04")
    rate_card(world, "gamma")
    dump = world.dump()
    with pytest.raises(StatementRefused, match="months after 2024-03 are already issued"):
        world.run("2024-03")
    assert world.dump() == dump


def test_rerun_issues_contracts_without_a_statement_for_the_month(world: World) -> None:
    rate_card(world, "alpha")
    world.run("2024-03")
    rate_card(world, "beta")
    world.participant("beta", pk(1), START)
    world.streak("beta", pk(1), "small_win", 4)
    result = world.run("2024-03")
    assert [(s.contract_id, s.status) for s in result.statements] == [("alpha", "unchanged"), ("beta", "issued")]
    assert world.statement("beta:2024-03")["amount_payable_dkk"] == D("5000.00")


def test_contract_whose_terms_file_is_removed_gets_no_statement(world: World) -> None:
    _two_contracts(world)
    world.run("2024-03")
    world.retire("beta")
    world.vintages("2024-04")
    result = world.run("2024-04")
    assert [s.statement_id for s in result.statements] == ["alpha:2024-04"]
    assert result.contracts_without_terms == ("beta",)
    assert world.rows("SELECT statement_id FROM payments.statements ORDER BY 1") == [
        ("alpha:2024-03",), ("alpha:2024-04",), ("beta:2024-03",)]


def test_earlier_statements_are_never_changed(world: World) -> None:
    _two_contracts(world)
    world.run("2024-03")
    march = world.dump()
    world.streak("alpha", pk(1), "job_entry_13w", 17, status="open")
    world.vintages("2024-04", benefits="dream_2024W15.csv")
    world.run("2024-04")
    after = world.dump()
    for table, rows in march.items():
        assert set(rows) <= set(after[table]), table


def test_one_transaction_per_run(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    _two_contracts(world)
    world.run("2024-03")
    dump = world.dump()

    def boom(con, month):
        con.execute("INSERT INTO payments.budget_entries VALUES ('x', 2024, 'a', 'payment', 1.00, NULL)")
        raise RuntimeError("disk full")

    monkeypatch.setattr(run_module, "compute_budget", boom)
    world.vintages("2024-04", benefits="dream_2024W15.csv")
    with pytest.raises(RuntimeError, match="disk full"):
        world.run("2024-04")
    assert world.dump() == dump
    assert world.rows("SELECT count(*) FROM duckdb_tables() WHERE temporary") == [(0,)]


def test_month_must_be_yyyy_mm(world: World) -> None:
    rate_card(world)
    with pytest.raises(ValueError, match="YYYY-MM"):
        world.run("2024-13", inputs=world.inputs("2024-03"))


# --- reproducibility ---------------------------------------------------------------------------------


def _build(world: World) -> None:
    rate_card(world)
    world.contract("brondby", "savings_share", outlay_dkk=D("100.00"), investor_share=D("0.5"))
    for n in range(1, 6):
        world.participant(C, pk(n), START)
        world.streak(C, pk(n), "job_entry_13w", 13 + n)
        world.year(C, pk(n), 1, "full" if n % 2 else "partial")
        world.participant("brondby", pk(n), START, baseline_complete=True)
        world.year("brondby", pk(n), 1, "full", savings=f"{n * 101}.25")
        world.group_savings("brondby", pk(n), 1, "kontanthjaelp", f"{n * 101}.25")


def test_same_inputs_in_a_fresh_warehouse_reproduce_byte_identical_rows(tmp_path: Path) -> None:
    dumps = []
    for name, issued in (("a", datetime(2024, 4, 1, tzinfo=UTC)), ("b", datetime(2025, 1, 1, tzinfo=UTC))):
        con = duckdb.connect(str(tmp_path / f"{name}.duckdb"))
        world = World(con)
        _build(world)
        world.run("2024-03", issued_at=issued)
        world.year(C, pk(1), 1, "pending")
        world.vintages("2024-04", benefits="dream_2024W15.csv")
        world.run("2024-04", issued_at=issued)
        dump = world.dump()
        dump["statements"] = [
            tuple(v for v, col in zip(row, _columns(con), strict=True) if col != "issued_at")
            for row in dump["statements"]
        ]
        dumps.append(dump)
        con.close()
    assert dumps[0] == dumps[1]
    assert len(dumps[0]["statements"]) == 4


def _columns(con: duckdb.DuckDBPyConnection) -> list[str]:
    return [r[0] for r in con.execute(
        "SELECT column_name FROM duckdb_columns() WHERE schema_name = 'payments' AND table_name = 'statements' "
        "ORDER BY column_index").fetchall()]
