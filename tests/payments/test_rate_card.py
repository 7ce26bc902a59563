"""rate_card: an item per participant and verified outcome (per complete year for year_status),
`requires`, and the two caps in their spec order."""

from __future__ import annotations

from datetime import date, timedelta

from tests.payments.world import D, World, pk

C = "uk-outcomes-fund"
START = date(2020, 3, 4)  # a Wednesday: follow-up week 1 starts Monday 2020-03-02
MONDAY_1 = date(2020, 3, 2)


def rate_card(world: World, **caps) -> None:
    world.contract(C, "rate_card", **caps)
    world.outcome(C, 1, "job_entry_13w", "streak", "20000.00", weeks=13, within=78)
    world.outcome(C, 2, "sustained_26w", "streak", "15000.00", weeks=26, within=104, requires="job_entry_13w")
    world.outcome(C, 3, "self_supporting_year", "year_status", "30000.00", statuses=("full",), years=(1, 2, 3))


def key(n: int, outcome: str, year: int = 0) -> str:
    return f"{pk(n)}|{outcome}|{year}"


def test_verified_streaks_and_complete_listed_years_are_paid(world: World) -> None:
    rate_card(world)
    world.participant(C, pk(1), START)
    world.weeks(C, pk(1), START)
    world.streak(C, pk(1), "job_entry_13w", 17)
    world.year(C, pk(1), 1, "full")
    world.year(C, pk(1), 2, "partial")  # not a listed status
    world.year(C, pk(1), 3, "pending")  # not complete
    world.run("2024-03")
    sid = f"{C}:2024-03"
    assert world.items(sid) == {
        key(1, "job_entry_13w"): (D("20000.00"), D("0.00"), D("20000.00")),
        key(1, "self_supporting_year", 1): (D("30000.00"), D("0.00"), D("30000.00")),
    }
    assert world.rows(
        "SELECT item_key, outcome_id, follow_up_year, achievement_week, achievement_date "
        "FROM payments.entitlement_items ORDER BY item_key"
    ) == [
        (key(1, "job_entry_13w"), "job_entry_13w", 0, 17, MONDAY_1 + timedelta(weeks=16)),
        (key(1, "self_supporting_year", 1), "self_supporting_year", 1, 52, MONDAY_1 + timedelta(weeks=51)),
    ]
    assert world.rows(
        "SELECT line_no, person_key, outcome_id, follow_up_year, kind FROM payments.statement_lines ORDER BY 1"
    ) == [
        (1, pk(1), "job_entry_13w", 0, "outcome"),
        (2, pk(1), "self_supporting_year", 1, "outcome"),
    ]


def test_year_item_date_without_week_rows_is_the_monday_of_week_52k(world: World) -> None:
    rate_card(world)
    world.participant(C, pk(1), date(2020, 3, 8))  # a Sunday: week 1 is the ISO week ending that day
    world.year(C, pk(1), 2, "full")
    world.run("2024-03")
    assert world.rows("SELECT achievement_week, achievement_date FROM payments.entitlement_items") == [
        (104, MONDAY_1 + timedelta(weeks=103))
    ]


def test_streak_not_paid_unless_verified(world: World) -> None:
    rate_card(world)
    for n, status in ((1, "open"), (2, "failed"), (3, "verified")):
        world.participant(C, pk(n), START)
    world.streak(C, pk(1), "job_entry_13w", 20, status="open")  # achieved, weeks not all covered yet
    world.streak(C, pk(2), "job_entry_13w", None, status="failed")
    world.streak(C, pk(3), "job_entry_13w", 20, status="verified")
    world.run("2024-03")
    assert set(world.items(f"{C}:2024-03")) == {key(3, "job_entry_13w")}


def test_excluded_referrals_are_never_paid(world: World) -> None:
    rate_card(world)
    world.participant(C, pk(1), START, excluded_reason="missing_in_benefit_register")
    world.streak(C, pk(1), "job_entry_13w", 20)
    world.year(C, pk(1), 1, "full")
    world.run("2024-03")
    assert world.items(f"{C}:2024-03") == {}


def test_requires_same_or_earlier_week(world: World) -> None:
    rate_card(world)
    for n in range(1, 5):
        world.participant(C, pk(n), START)
    world.streak(C, pk(1), "job_entry_13w", 20)  # earlier: paid
    world.streak(C, pk(1), "sustained_26w", 40)
    world.streak(C, pk(2), "job_entry_13w", 40)  # same week: paid
    world.streak(C, pk(2), "sustained_26w", 40)
    world.streak(C, pk(3), "job_entry_13w", 41)  # later: not paid
    world.streak(C, pk(3), "sustained_26w", 40)
    world.streak(C, pk(4), "job_entry_13w", 20, status="open")  # not verified: not paid
    world.streak(C, pk(4), "sustained_26w", 40)
    world.run("2024-03")
    assert sorted(world.items(f"{C}:2024-03")) == sorted(
        [key(1, "job_entry_13w"), key(1, "sustained_26w"), key(2, "job_entry_13w"), key(2, "sustained_26w"),
         key(3, "job_entry_13w")]
    )
    assert world.rows(
        "SELECT item_key, outcome_id, achievement_week FROM payments.item_evidence WHERE role = 'requirement' "
        "ORDER BY 1"
    ) == [
        (key(1, "sustained_26w"), "job_entry_13w", 20),
        (key(2, "sustained_26w"), "job_entry_13w", 40),
    ]


def test_requires_a_year_outcome_compares_week_52k(world: World) -> None:
    world.contract(C, "rate_card")
    world.outcome(C, 1, "year_ok", "year_status", "1000.00", statuses=("full", "partial"), years=(1, 2))
    world.outcome(C, 2, "long_streak", "streak", "500.00", weeks=60, requires="year_ok")
    world.outcome(C, 3, "year_after_streak", "year_status", "700.00", statuses=("full", "partial"),
                  years=(1, 2), requires="long_streak")
    world.participant(C, pk(1), START)
    world.year(C, pk(1), 1, "partial")
    world.year(C, pk(1), 2, "full")
    world.streak(C, pk(1), "long_streak", 60)  # year_ok achieved in week 52 ≤ 60: paid
    world.run("2024-03")
    assert sorted(world.items(f"{C}:2024-03")) == sorted([
        key(1, "year_ok", 1), key(1, "year_ok", 2), key(1, "long_streak"),
        key(1, "year_after_streak", 2),  # week 104 ≥ 60; year 1 (week 52) precedes the streak
    ])


def test_cap_per_participant_in_week_position_year_order(world: World) -> None:
    rate_card(world, cap_per_participant_dkk=D("60000.00"))
    world.participant(C, pk(1), START)
    world.streak(C, pk(1), "job_entry_13w", 13)
    world.streak(C, pk(1), "sustained_26w", 26)
    for k in (1, 2, 3):
        world.year(C, pk(1), k, "full")
    world.run("2024-03")
    sid = f"{C}:2024-03"
    assert world.items(sid) == {
        key(1, "job_entry_13w"): (D("20000.00"), D("0.00"), D("20000.00")),
        key(1, "sustained_26w"): (D("15000.00"), D("0.00"), D("15000.00")),
        key(1, "self_supporting_year", 1): (D("30000.00"), D("5000.00"), D("25000.00")),
        key(1, "self_supporting_year", 2): (D("30000.00"), D("30000.00"), D("0.00")),
        key(1, "self_supporting_year", 3): (D("30000.00"), D("30000.00"), D("0.00")),
    }
    # a cut-to-zero item has no line (nothing to post) but stays an item with its reduction
    assert [line[1] for line in world.lines(sid)] == [
        key(1, "job_entry_13w"), key(1, "self_supporting_year", 1), key(1, "sustained_26w"),
    ]
    assert world.statement(sid)["entitlement_to_date_dkk"] == D("60000.00")


def test_cap_per_participant_ties_in_week_go_by_position(world: World) -> None:
    world.contract(C, "rate_card", cap_per_participant_dkk=D("25000.00"))
    world.outcome(C, 1, "year_one", "year_status", "30000.00", statuses=("full",), years=(1,))
    world.outcome(C, 2, "streak_52", "streak", "20000.00", weeks=52)
    world.participant(C, pk(1), START)
    world.year(C, pk(1), 1, "full")
    world.streak(C, pk(1), "streak_52", 52)  # same achievement week 52 as year 1
    world.run("2024-03")
    assert world.items(f"{C}:2024-03") == {
        key(1, "year_one", 1): (D("30000.00"), D("5000.00"), D("25000.00")),
        key(1, "streak_52"): (D("20000.00"), D("20000.00"), D("0.00")),
    }


def test_cap_total_in_date_person_key_position_year_order(world: World) -> None:
    rate_card(world, cap_total_dkk=D("50000.00"))
    early = date(2020, 2, 5)
    world.participant(C, pk(9), early)  # starts a month earlier: its week 13 comes first
    world.participant(C, pk(1), START)
    world.participant(C, pk(2), START)
    world.streak(C, pk(9), "job_entry_13w", 13, start=early)
    world.streak(C, pk(2), "job_entry_13w", 13)
    world.streak(C, pk(1), "job_entry_13w", 13)  # same date as pk(2): person_key order
    world.year(C, pk(1), 1, "full")
    world.run("2024-03")
    assert world.items(f"{C}:2024-03") == {
        key(9, "job_entry_13w"): (D("20000.00"), D("0.00"), D("20000.00")),
        key(1, "job_entry_13w"): (D("20000.00"), D("0.00"), D("20000.00")),
        key(2, "job_entry_13w"): (D("20000.00"), D("10000.00"), D("10000.00")),
        key(1, "self_supporting_year", 1): (D("30000.00"), D("30000.00"), D("0.00")),
    }


def test_cap_total_applies_to_amounts_after_the_participant_cap(world: World) -> None:
    rate_card(world, cap_per_participant_dkk=D("25000.00"), cap_total_dkk=D("40000.00"))
    for n in (1, 2):
        world.participant(C, pk(n), START)
        world.streak(C, pk(n), "job_entry_13w", 13)
        world.streak(C, pk(n), "sustained_26w", 26)
    world.run("2024-03")
    # per participant: 20000 + 5000 (cut 10000); total 40000 in date order:
    # week 13: pk1 20000, pk2 20000 (cap reached) → week 26: pk1 0, pk2 0
    assert world.items(f"{C}:2024-03") == {
        key(1, "job_entry_13w"): (D("20000.00"), D("0.00"), D("20000.00")),
        key(2, "job_entry_13w"): (D("20000.00"), D("0.00"), D("20000.00")),
        key(1, "sustained_26w"): (D("15000.00"), D("15000.00"), D("0.00")),
        key(2, "sustained_26w"): (D("15000.00"), D("15000.00"), D("0.00")),
    }


def test_cut_items_show_reduction_on_the_outcome_line(world: World) -> None:
    rate_card(world, cap_total_dkk=D("25000.00"))
    world.participant(C, pk(1), START)
    world.streak(C, pk(1), "job_entry_13w", 13)
    world.streak(C, pk(1), "sustained_26w", 26)
    world.run("2024-03")
    [(explanation,)] = world.rows(
        "SELECT explanation FROM payments.statement_lines WHERE item_key = ?", [key(1, "sustained_26w")]
    )
    assert explanation == "achieved in follow-up week 26 (price 15000.00, cut by 10000.00 under a cap)"
