"""The budget forecast (finance.md, "Budget forecast"): the spec's four rules on small worlds —
all verified → nothing expected; a business case without participants runs through the
mechanism (Brøndby: savings −5,500,000.00, payments 4,350,000.00); caps hold; observed figures
replace the business case month by month; identical inputs give an identical forecast."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from tests.payments.test_savings_share import BRONDBY, C, brondby
from tests.payments.world import D, World, pk

OPEN = date(2025, 12, 31)   # cohort.start_to after the referral vintage's as-of date: cohort open
CASE = ("18333.33", "18333.33", "18333.34")


def _sums(world: World, month: str, contract: str = C) -> dict[tuple[str, str], tuple[Decimal, Decimal]]:
    """(kind, basis) → (Σ actual, Σ expected) of a forecast."""
    return {(k, b): (a, e) for k, b, a, e in world.rows(
        "SELECT kind, basis, sum(actual_dkk), sum(expected_dkk) FROM payments.budget_forecast "
        "WHERE forecast_month = ? AND contract_id = ? GROUP BY ALL", [month, contract])}


def test_brondby_business_case_without_participants(world: World) -> None:
    world.contract(C, "savings_share", cohort_start_to=OPEN, **BRONDBY)
    world.business_case(C, 100, savings=CASE, group="kontanthjaelp")
    world.run("2024-03")
    # 100 participants assumed to start mid-way through the rest of the cohort window (2025-02-14):
    # year k verified in April 2026, 2027, 2028 (its last week's month + 2)
    none, case = D("0.00"), "business_case"
    assert world.forecast("2024-03", C) == [
        (2024, "5.57.73", "savings", none, none, none, "none"),
        (2024, "5.68.90", "payment", none, none, none, "none"),
        (2025, "5.57.73", "savings", none, none, none, "none"),
        (2025, "5.68.90", "payment", none, none, none, "none"),
        (2026, "5.57.73", "savings", none, D("-1833333.00"), D("-1833333.00"), case),
        (2026, "5.68.90", "payment", none, D("1833333.00"), D("1833333.00"), case),    # outlay first
        (2027, "5.57.73", "savings", none, D("-1833333.00"), D("-1833333.00"), case),
        (2027, "5.68.90", "payment", none, D("1600000.00"), D("1600000.00"), case),    # rest of outlay + half
        (2028, "5.57.73", "savings", none, D("-1833334.00"), D("-1833334.00"), case),
        (2028, "5.68.90", "payment", none, D("916667.00"), D("916667.00"), case),
    ]
    assert _sums(world, "2024-03")[("savings", case)][1] == D("-5500000.00")
    assert _sums(world, "2024-03")[("payment", case)][1] == D("4350000.00")


def test_a_binding_cap_is_never_exceeded(world: World) -> None:
    world.contract(C, "savings_share", cohort_start_to=OPEN, cap_dkk=D("4000000.00"), **BRONDBY)
    world.business_case(C, 100, savings=CASE, group="kontanthjaelp")
    world.run("2024-03")
    paid = [total for _, _, kind, _, _, total, _ in world.forecast("2024-03", C) if kind == "payment"]
    running = [sum(paid[:i + 1]) for i in range(len(paid))]
    assert max(running) == running[-1] == D("4000000.00")


def test_a_rate_card_business_case_stops_at_the_total_cap(world: World) -> None:
    rc = "uk-outcomes-fund"
    world.contract(rc, "rate_card", cohort_start_to=OPEN, cap_total_dkk=D("100000.00"))
    world.outcome(rc, 1, "job_entry_13w", "streak", "20000.00", weeks=13, within=78)
    world.outcome(rc, 2, "self_supporting_year", "year_status", "30000.00", statuses=("full",), years=(1, 2))
    world.business_case(rc, 10, success_share="0.5")   # uncapped: 10 × (10,000 + 2 × 15,000) = 400,000
    world.run("2024-03")
    assert _sums(world, "2024-03", rc) == {("payment", "business_case"): (D("0.00"), D("100000.00")),
                                           ("payment", "none"): (D("0.00"), D("0.00"))}


def test_a_cohort_target_business_case_expects_the_target_payment(world: World) -> None:
    ct = "impact60-aalborg"
    world.contract(ct, "cohort_target", cohort_start_to=OPEN, target_year=1, target_share=D("0.5"),
                   target_amount_dkk=D("1500000.00"), below_target="pro_rata")
    world.business_case(ct, 84, success_share="0.4")   # below target: pro rata 1,500,000 × 0.4 / 0.5
    world.run("2024-03")
    assert _sums(world, "2024-03", ct)[("payment", "business_case")] == (D("0.00"), D("1200000.00"))


def test_all_verified_expects_nothing_and_equals_what_was_booked(world: World) -> None:
    brondby(world)                                    # cohort closed (as-of 2021-08-31 > start_to)
    world.year(C, pk(1), 3, "full", savings="0.00")
    world.year(C, pk(2), 2, "none", savings="0.00")
    world.year(C, pk(2), 3, "none", savings="0.00")
    world.group_savings(C, pk(1), 1, "kontanthjaelp", "2000000.00", municipal="1600000.00")
    world.business_case(C, 100, savings=CASE, group="kontanthjaelp")  # replaced: the cohort is complete
    world.run("2024-03")
    forecast = world.forecast("2024-03", C)
    assert {(e, b) for _, _, _, _, e, _, b in forecast} == {(D("0.00"), "none")}
    booked = world.rows("SELECT budget_year, account, kind, sum(amount_dkk) FROM payments.budget_entries "
                        "GROUP BY ALL ORDER BY ALL")
    assert [(y, a, k, t) for y, a, k, _, _, t, _ in forecast] == booked
    assert booked == [(2024, "5.57.73", "refusion", D("400000.00")),
                      (2024, "5.57.73", "savings", D("-2000000.00")),
                      (2024, "5.68.90", "payment", D("4350000.00"))]


def test_observed_figures_replace_the_business_case_month_by_month(world: World) -> None:
    world.contract(C, "savings_share", cohort_start_to=OPEN, **BRONDBY)
    world.business_case(C, 2, savings=("1000000.00", "1000000.00", "1000000.00"), group="kontanthjaelp")
    world.run("2024-03")
    assert _sums(world, "2024-03")[("savings", "business_case")][1] == D("-6000000.00")

    # both participants started in January 2023; year 1 complete: 500,000 each (municipal 400,000)
    for n in (1, 2):
        world.participant(C, pk(n), date(2023, 1, 4), baseline_complete=True)
        world.year(C, pk(n), 1, "full", savings="500000.00")
        world.group_savings(C, pk(n), 1, "kontanthjaelp", "500000.00", municipal="400000.00")
    world.vintages("2024-04", benefits="dream_2024W14.csv")
    world.run("2024-04")
    # year 1 is booked; years 2 and 3 still rest on the business case (no year-2 figure yet)
    assert _sums(world, "2024-04") == {
        ("savings", "business_case"): (D("0.00"), D("-4000000.00")),
        ("savings", "none"): (D("-1000000.00"), D("0.00")),
        ("refusion", "none"): (D("200000.00"), D("0.00")),
        ("payment", "business_case"): (D("0.00"), D("3100000.00")),   # S 1m → 5m: 4.1m = 3.2m + 0.9m in all
        ("payment", "none"): (D("1000000.00"), D("0.00")),
    }
    assert _sums(world, "2024-03")[("savings", "business_case")][1] == D("-6000000.00")  # kept as it was

    # participant 1's year 2 completes (300,000; municipal 240,000): participant 2's year 2 is now
    # expected at the cohort's observed year-2 figure, with its refusion split; year 3 still the case
    world.year(C, pk(1), 2, "full", savings="300000.00")
    world.group_savings(C, pk(1), 2, "kontanthjaelp", "300000.00", municipal="240000.00")
    world.vintages("2024-05", benefits="dream_2024W19.csv")
    world.run("2024-05")
    sums = _sums(world, "2024-05")
    assert sums[("savings", "observed")] == (D("0.00"), D("-300000.00"))
    assert sums[("refusion", "observed")] == (D("0.00"), D("60000.00"))
    assert sums[("savings", "business_case")] == (D("0.00"), D("-2000000.00"))


def test_identical_inputs_give_an_identical_forecast(world: World) -> None:
    world.contract(C, "savings_share", cohort_start_to=OPEN, **BRONDBY)
    world.business_case(C, 3, savings=("1000000.00", "700000.00", "333333.33"), group="kontanthjaelp")
    world.participant(C, pk(1), date(2023, 1, 4), baseline_complete=True)
    world.year(C, pk(1), 1, "full", savings="1234567.89")
    world.group_savings(C, pk(1), 1, "kontanthjaelp", "1234567.89", municipal="987654.31")
    inputs = world.inputs("2024-03")
    world.con.begin()
    world.run("2024-03", inputs=inputs)
    first = world.rows("SELECT * FROM payments.budget_forecast ORDER BY ALL")
    world.con.rollback()
    world.run("2024-03", inputs=inputs)
    assert world.rows("SELECT * FROM payments.budget_forecast ORDER BY ALL") == first
    world.run("2024-03", inputs=inputs)   # the issued month again: unchanged, nothing added
    assert world.rows("SELECT * FROM payments.budget_forecast ORDER BY ALL") == first
    assert {b for *_, b in first} == {"observed", "business_case", "none"}
