"""savings_share: S over complete participant-years with a complete baseline; outlay first, then the
gain share; a cap cuts the gain first; savings and refusion budget entries per benefit group's
account."""

from __future__ import annotations

from tests.payments.world import D, World, pk

C = "brondby-dsi-tuba"
BRONDBY = dict(outlay_dkk=D("3200000.00"), investor_share=D("0.5"))


def brondby(world: World, *, cap: str | None = None, **params) -> None:
    world.contract(C, "savings_share", cap_dkk=None if cap is None else D(cap), **(BRONDBY | params))
    # S = 5,500,000.00 from two participants' complete years
    for n in (1, 2):
        world.participant(C, pk(n), baseline_complete=True)
    world.year(C, pk(1), 1, "full", savings="2000000.00")
    world.year(C, pk(1), 2, "partial", savings="1500000.00")
    world.year(C, pk(2), 1, "none", savings="2000000.00")


def test_brondby_outlay_then_half_the_gain(world: World) -> None:
    brondby(world)
    result = world.run("2024-03")
    sid = f"{C}:2024-03"
    assert world.items(sid) == {
        "gain_share": (D("1150000.00"), D("0.00"), D("1150000.00")),
        "outlay_repayment": (D("3200000.00"), D("0.00"), D("3200000.00")),
    }
    assert world.lines(sid) == [
        (1, "gain_share", "outcome", D("0.00"), D("1150000.00"), D("1150000.00")),
        (2, "outlay_repayment", "outcome", D("0.00"), D("3200000.00"), D("3200000.00")),
    ]
    st = world.statement(sid)
    assert st["amount_payable_dkk"] == D("4350000.00")
    assert st["entitlement_to_date_dkk"] == D("4350000.00")
    assert result.issued[0].amount_payable_dkk == D("4350000.00")
    # contract-level items: null person_key and follow_up_year, outcome_id = item name
    assert world.rows(
        "SELECT DISTINCT person_key, follow_up_year, outcome_id = item_key FROM payments.statement_lines"
    ) == [(None, None, True)]


def test_only_complete_years_with_complete_baseline_of_participants_count(world: World) -> None:
    world.contract(C, "savings_share", **BRONDBY)
    world.participant(C, pk(1), baseline_complete=True)
    world.participant(C, pk(2), baseline_complete=False)  # incomplete baseline: listed, never counted
    world.participant(C, pk(3), baseline_complete=True, excluded_reason="over_cohort_cap")
    world.year(C, pk(1), 1, "full", savings="4000000.00")
    world.year(C, pk(1), 2, "pending")  # not complete
    world.year(C, pk(2), 1, "full", baseline=None)
    world.year(C, pk(3), 1, "full", savings="9000000.00")  # excluded referral
    world.run("2024-03")
    assert world.items(f"{C}:2024-03") == {
        "outlay_repayment": (D("3200000.00"), D("0.00"), D("3200000.00")),
        "gain_share": (D("400000.00"), D("0.00"), D("400000.00")),
    }


def test_count_savings_when_restricts_the_years(world: World) -> None:
    brondby(world)
    world.statuses(C, "count_savings_when", ("full", "partial"))
    world.run("2024-03")
    # pk(2)'s 'none' year drops out: S = 3,500,000.00
    assert world.items(f"{C}:2024-03")["gain_share"][2] == D("150000.00")
    assert world.rows("SELECT count(*) FROM payments.item_evidence WHERE item_key = 'gain_share'") == [(2,)]


def test_savings_below_outlay_and_negative(world: World) -> None:
    world.contract(C, "savings_share", **BRONDBY)
    world.participant(C, pk(1), baseline_complete=True)
    world.year(C, pk(1), 1, "none", savings="1000000.00")
    world.run("2024-03")
    assert world.items(f"{C}:2024-03") == {
        "outlay_repayment": (D("1000000.00"), D("0.00"), D("1000000.00")),
        "gain_share": (D("0.00"), D("0.00"), D("0.00")),
    }
    world.year(C, pk(1), 1, "none", savings="-250000.00", baseline="10.00")
    world.vintages("2024-04", benefits="dream_2024W14.csv")
    world.run("2024-04")
    assert world.items(f"{C}:2024-04") == {
        "outlay_repayment": (D("0.00"), D("0.00"), D("0.00")),
        "gain_share": (D("0.00"), D("0.00"), D("0.00")),
    }
    assert world.lines(f"{C}:2024-04") == [
        (1, "outlay_repayment", "adjustment", D("1000000.00"), D("0.00"), D("-1000000.00")),
    ]


def test_gain_share_rounds_half_away_from_zero(world: World) -> None:
    world.contract(C, "savings_share", outlay_dkk=D("0.00"), investor_share=D("0.5"))
    world.participant(C, pk(1), baseline_complete=True)
    world.year(C, pk(1), 1, "full", savings="0.05")
    world.run("2024-03")
    assert world.items(f"{C}:2024-03")["gain_share"][2] == D("0.03")


def test_cap_cuts_the_gain_first(world: World) -> None:
    brondby(world, cap="4000000.00")
    world.run("2024-03")
    assert world.items(f"{C}:2024-03") == {
        "outlay_repayment": (D("3200000.00"), D("0.00"), D("3200000.00")),
        "gain_share": (D("1150000.00"), D("350000.00"), D("800000.00")),
    }


def test_cap_below_the_outlay_cuts_the_gain_to_zero_then_the_outlay(world: World) -> None:
    brondby(world, cap="3000000.00")
    world.run("2024-03")
    assert world.items(f"{C}:2024-03") == {
        "outlay_repayment": (D("3200000.00"), D("200000.00"), D("3000000.00")),
        "gain_share": (D("1150000.00"), D("1150000.00"), D("0.00")),
    }
    assert world.statement(f"{C}:2024-03")["amount_payable_dkk"] == D("3000000.00")


def test_zero_cap_pays_nothing(world: World) -> None:
    brondby(world, cap="0.00")
    world.run("2024-03")
    assert world.statement(f"{C}:2024-03")["entitlement_to_date_dkk"] == D("0.00")
    assert world.lines(f"{C}:2024-03") == []


def _group_savings(world: World) -> None:
    # gross as the (gross-basis) savings; municipal: what the municipality bears itself
    world.group_savings(C, pk(1), 1, "kontanthjaelp", "1500000.00", municipal="1200000.00")   # refusion
    world.group_savings(C, pk(1), 1, "foertidspension", "500000.00", municipal="100000.00")  # no account
    world.group_savings(C, pk(1), 2, "kontanthjaelp", "1500000.00", municipal="1200000.00")
    world.group_savings(C, pk(2), 1, "dagpenge", "2000000.00", municipal="600000.00")        # cofinancing
    world.group_savings(C, pk(2), 1, "none", "0.00")


def _net_change_per_account(world: World, sid: str) -> dict[str, tuple]:
    """Per account: Σ savings + refusion entries, and −ΔN of its groups (statement_savings)."""
    booked = dict(world.rows(
        "SELECT account, sum(amount_dkk) FROM payments.budget_entries WHERE statement_id = ? "
        "AND kind IN ('savings', 'refusion') GROUP BY account", [sid]))
    net = dict(world.rows(
        "SELECT account, -sum(municipal_change_dkk) FROM payments.statement_savings WHERE statement_id = ? "
        "AND account IS NOT NULL GROUP BY account HAVING sum(municipal_change_dkk) <> 0", [sid]))
    return booked, net


def _check_entry_rules(world: World, sid: str) -> None:
    booked, net = _net_change_per_account(world, sid)
    assert booked == net    # savings + refusion = −ΔN on every account
    assert world.rows("SELECT count(*) FROM payments.budget_entries WHERE amount_dkk = 0") == [(0,)]
    assert world.rows("SELECT count(*) FROM payments.budget_entries e JOIN marts.dim_benefit_groups g "
                      "USING (benefit_group) WHERE e.kind = 'refusion' AND g.financing <> 'refusion'") == [(0,)]


def test_budget_entries_payment_savings_and_refusion_per_account(world: World) -> None:
    brondby(world)
    _group_savings(world)
    result = world.run("2024-03")
    sid = f"{C}:2024-03"
    assert sorted(world.rows("SELECT * FROM payments.budget_entries")) == [
        (sid, 2024, "5.57.73", "refusion", D("600000.00"), "kontanthjaelp"),   # ΔG − ΔN
        (sid, 2024, "5.57.73", "savings", D("-3000000.00"), "kontanthjaelp"),  # −ΔG
        (sid, 2024, "5.57.78", "savings", D("-600000.00"), "dagpenge"),        # −ΔN, no refusion entry
        (sid, 2024, "5.68.90", "payment", D("4350000.00"), None),              # the gross basis's payment
    ]
    _check_entry_rules(world, sid)
    unbooked = result.issued[0].unbooked
    assert [(u.kind, u.benefit_group, u.amount_dkk) for u in unbooked] == [
        ("savings", "foertidspension", D("-100000.00"))
    ]
    assert "not booked: savings (foertidspension) -100000.00" in result.describe()
    assert world.rows("SELECT benefit_group, verified_savings_dkk, verified_gross_savings_dkk, "
                      "verified_municipal_savings_dkk FROM payments.statement_savings ORDER BY 1") == [
        ("dagpenge", D("2000000.00"), D("2000000.00"), D("600000.00")),
        ("foertidspension", D("500000.00"), D("500000.00"), D("100000.00")),
        ("kontanthjaelp", D("3000000.00"), D("3000000.00"), D("2400000.00")),
    ]


def test_savings_entries_book_the_change_since_the_previous_statement(world: World) -> None:
    brondby(world)
    _group_savings(world)
    world.run("2024-03")
    # a year of pk(2) completes, a correction lowers pk(1)'s year 2
    world.year(C, pk(2), 2, "full", savings="100000.00")
    world.group_savings(C, pk(2), 2, "dagpenge", "100000.00", municipal="30000.00")
    world.year(C, pk(1), 2, "partial", savings="1400000.00")
    world.con.execute(
        "UPDATE marts.fct_outcome_year_savings SET savings_dkk = 1400000.00, gross_savings_dkk = 1400000.00, "
        "municipal_savings_dkk = 1120000.00 WHERE person_key = ? AND follow_up_year = 2", [pk(1)]
    )
    world.vintages("2025-01", benefits="dream_2025W02.csv")
    world.run("2025-01")
    sid = f"{C}:2025-01"
    assert sorted(world.rows("SELECT * FROM payments.budget_entries WHERE statement_id = ?", [sid])) == [
        (sid, 2025, "5.57.73", "refusion", D("-20000.00"), "kontanthjaelp"),
        (sid, 2025, "5.57.73", "savings", D("100000.00"), "kontanthjaelp"),
        (sid, 2025, "5.57.78", "savings", D("-30000.00"), "dagpenge"),
    ]  # S unchanged → gain unchanged → no payment entry
    _check_entry_rules(world, sid)
    assert world.statement(sid)["amount_payable_dkk"] == D("0.00")


def test_equal_gross_and_municipal_change_books_no_refusion(world: World) -> None:
    brondby(world)
    world.group_savings(C, pk(1), 1, "kontanthjaelp", "2000000.00")   # municipal = gross: ΔG − ΔN = 0
    world.run("2024-03")
    assert world.rows("SELECT kind, amount_dkk FROM payments.budget_entries WHERE account = '5.57.73'") == [
        ("savings", D("-2000000.00"))]


def test_no_payment_account_lists_the_payment_instead(world: World) -> None:
    brondby(world, payment_account=None)
    result = world.run("2024-03")
    assert world.rows("SELECT count(*) FROM payments.budget_entries WHERE kind = 'payment'") == [(0,)]
    assert [(u.kind, u.amount_dkk) for u in result.issued[0].unbooked] == [("payment", D("4350000.00"))]
    assert world.rows("SELECT kind, amount_dkk FROM payments.budget_unbooked") == [("payment", D("4350000.00"))]


def test_savings_items_have_no_achievement_week(world: World) -> None:
    brondby(world)
    world.run("2024-03")
    assert world.rows(
        "SELECT DISTINCT achievement_week, achievement_date FROM payments.entitlement_items"
    ) == [(None, None)]
