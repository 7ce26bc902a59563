"""cohort_target: verified when the cohort is closed and the year is complete for every participant;
share = successes / participants exactly; nothing | pro_rata below target."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from contracts.payments.entitlement import cohort_target_amount
from tests.payments.world import D, World, pk

C = "impact60-aalborg"


def impact60(world: World, successes: int = 39, participants: int = 84, **params) -> None:
    world.contract(
        C,
        "cohort_target",
        target_year=1,
        target_share=D("0.5"),
        target_amount_dkk=D("1500000.00"),
        **({"below_target": "nothing"} | params),
    )
    world.statuses(C, "target_statuses", ("full", "partial"))
    # participants 1 … n: the first successes//2 full, the rest of the successes partial, others none;
    # excluded referrals (all full) count nowhere: they would lift the share above the target
    world.con.execute(
        """
        INSERT INTO marts.dim_participants (contract_id, person_key, referral_date, start_date, start_week,
                                            excluded_reason, baseline_complete)
        SELECT $c, lpad(lower(to_hex(n)), 32, '0'), DATE '2020-03-04', DATE '2020-03-04', NULL,
               CASE WHEN n >= 1000 THEN 'outside_cohort_window' END, NULL
        FROM (SELECT * FROM range(1, $participants + 1) UNION ALL SELECT * FROM range(1000, 1020)) t(n)
        """,
        {"c": C, "participants": participants},
    )
    world.con.execute(
        """
        INSERT INTO marts.fct_outcome_years (contract_id, person_key, follow_up_year, weeks_not_covered,
                                            outcome_status, is_complete)
        SELECT contract_id, person_key, 1, 0,
               CASE WHEN excluded_reason IS NOT NULL OR n <= $successes // 2 THEN 'full'
                    WHEN n <= $successes THEN 'partial' ELSE 'none' END, TRUE
        FROM (SELECT *, CAST(('0x' || person_key) AS BIGINT) AS n FROM marts.dim_participants WHERE contract_id = $c)
        """,
        {"c": C, "successes": successes},
    )


def test_impact60_39_of_84_is_not_met_and_pays_nothing(world: World) -> None:
    impact60(world)
    world.run("2024-03")
    sid = f"{C}:2024-03"
    assert world.items(sid) == {"target_payment": (D("0.00"), D("0.00"), D("0.00"))}
    assert world.lines(sid) == []
    assert world.statement(sid)["amount_payable_dkk"] == D("0.00")
    [(basis,)] = world.rows("SELECT basis FROM payments.entitlement_items")
    assert basis == "39 of 84 participants succeeded in year 1; target share 0.5 not met"
    assert world.rows(
        "SELECT count(*), count(*) FILTER (WHERE counted) FROM payments.item_evidence WHERE role = 'cohort_year'"
    ) == [(84, 39)]


def test_impact60_pro_rata(world: World) -> None:
    impact60(world, below_target="pro_rata")
    world.run("2024-03")
    expected = D("1392857.14")  # round(1500000 × (39/84) / 0.5, 2) = 58,500,000 / 42 = 1,392,857.142857…
    assert world.items(f"{C}:2024-03")["target_payment"][2] == expected
    assert world.lines(f"{C}:2024-03") == [(1, "target_payment", "outcome", D("0.00"), expected, expected)]


def test_target_met_exactly_pays_the_amount(world: World) -> None:
    impact60(world, successes=42)
    world.run("2024-03")
    assert world.items(f"{C}:2024-03")["target_payment"][2] == D("1500000.00")


@pytest.mark.parametrize(
    "change",
    ["cohort_open", "one_year_pending", "no_participants"],
)
def test_not_verified_means_no_item(world: World, change: str) -> None:
    if change == "no_participants":
        impact60(world, participants=0)
    else:
        impact60(world)
    if change == "cohort_open":  # the referral as-of date is not after cohort.start_to
        world.vintages("2024-03", referrals="referrals_2021-06-30.csv", referrals_as_of=date(2021, 6, 30))
    if change == "one_year_pending":
        world.year(C, pk(84), 1, "pending")
    world.run("2024-03")
    assert world.items(f"{C}:2024-03") == {}
    assert world.statement(f"{C}:2024-03")["line_count"] == 0


def test_item_disappears_when_no_longer_verified_and_is_reversed(world: World) -> None:
    impact60(world, successes=42)
    world.run("2024-03")
    world.year(C, pk(1), 1, "pending")  # a corrected register makes a week uncovered again
    world.vintages("2024-04", benefits="dream_2024W15.csv")
    world.run("2024-04")
    [line] = world.rows(
        "SELECT item_key, kind, previous_amount_dkk, new_amount_dkk, amount_dkk, explanation "
        "FROM payments.statement_lines WHERE statement_id = ?", [f"{C}:2024-04"]
    )
    assert line[:5] == ("target_payment", "adjustment", D("1500000.00"), D("0.00"), D("-1500000.00"))
    assert line[5].startswith("target_payment no longer in the entitlement: reversed to 0; changed since")
    st = world.statement(f"{C}:2024-04")
    assert (st["amount_payable_dkk"], st["offset_carried_forward_dkk"]) == (D("0.00"), D("-1500000.00"))


@pytest.mark.parametrize(
    ("successes", "participants", "share", "amount", "below", "expected"),
    [
        (39, 84, "0.5", "1500000.00", "nothing", "0.00"),
        (39, 84, "0.5", "1500000.00", "pro_rata", "1392857.14"),
        (1, 3, "0.5", "0.01", "pro_rata", "0.01"),  # 0.00666… → 0.01
        (1, 8, "0.5", "0.02", "pro_rata", "0.01"),  # exactly 0.005 → 0.01 (half away from zero)
        (1, 3, "0.3333333333", "100.00", "nothing", "100.00"),  # 1/3 ≥ 0.3333333333
        (2, 3, "1", "90.00", "pro_rata", "60.00"),
    ],
)
def test_cohort_target_amount_is_exact(successes, participants, share, amount, below, expected) -> None:
    got = cohort_target_amount(
        successes=successes, participants=participants, target_share=Decimal(share), amount=Decimal(amount),
        below_target=below,
    )
    assert got == Decimal(expected) and str(got) == expected
