"""Property tests over random outcome sets (hypothesis), against small reference models written here.

Each example builds an in-memory DuckDB warehouse (faster than a file; the engine's SQL is the same).
Properties: no cap is ever exceeded; the rate-card entitlement matches the spec's cap order and is
monotone in verified outcomes; statement lines always sum to the change in entitlement, per item
and in total; what is paid plus the offset carried equals the entitlement to date.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction

import duckdb
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from contracts.payments.money import round_half_away
from tests.payments.world import World, pk

C = "prop"
MONDAY = date(2020, 3, 2)
OUTCOMES = (  # position, id, kind, requires
    (1, "entry", "streak", None),
    (2, "sustained", "streak", "entry"),
    (3, "year_full", "year_status", None),
)
SETTINGS = settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SAVINGS_SETTINGS = settings(SETTINGS, max_examples=12)

money = st.integers(min_value=0, max_value=4_000_000).map(lambda n: Decimal(n) / 100)
cap = st.one_of(st.none(), money)
# rate-card amounts scaled so that caps bind often: prices ≤ 50,000, caps ≤ 100,000 / 200,000
price = st.integers(min_value=0, max_value=5_000_000).map(lambda n: Decimal(n) / 100)
cap_pp = st.one_of(st.none(), st.integers(0, 10_000_000).map(lambda n: Decimal(n) / 100))
cap_total = st.one_of(st.none(), st.integers(0, 20_000_000).map(lambda n: Decimal(n) / 100))
streak = st.tuples(st.sampled_from(["verified", "open", "none"]), st.integers(1, 78))
year = st.sampled_from(["full", "partial", "none", "pending"])
participant = st.fixed_dictionaries(
    {
        "start": st.integers(0, 3),  # weeks after 2020-03-02
        "entry": streak,
        "sustained": streak,
        "years": st.tuples(year, year),
        "upgrade": st.tuples(st.booleans(), st.booleans(), st.booleans(), st.booleans()),
    }
)
rate_card_case = st.fixed_dictionaries(
    {
        "prices": st.tuples(price, price, price),
        "cap_pp": cap_pp,
        "cap_total": cap_total,
        "people": st.lists(participant, min_size=0, max_size=5),
    }
)


def _upgraded(person: dict) -> dict:
    """More verified outcomes: open streaks verified, pending years complete as full (never fewer)."""
    up = person["upgrade"]
    new = dict(person)
    for i, name in enumerate(("entry", "sustained")):
        status, week = person[name]
        if status == "open" and up[i]:
            new[name] = ("verified", week)
    new["years"] = tuple(
        "full" if status == "pending" and up[2 + k] else status for k, status in enumerate(person["years"])
    )
    return new


def _load(world: World, case: dict, people: list[dict]) -> None:
    con = world.con
    for table in ("dim_participants", "fct_outcome_years", "fct_streak_outcomes"):
        con.execute(f"DELETE FROM marts.{table}")
    for n, person in enumerate(people, start=1):
        start = MONDAY + timedelta(weeks=person["start"], days=2)
        world.participant(C, pk(n), start)
        for name in ("entry", "sustained"):
            status, week = person[name]
            if status != "none":
                world.streak(C, pk(n), name, week, status=status, start=start)
        for k, status in enumerate(person["years"], start=1):
            world.year(C, pk(n), k, status)


def _expected_rate_card(case: dict, people: list[dict]) -> dict[str, Decimal]:
    """The spec's rule, row by row: requires, then caps in their two orders."""
    prices = dict(zip(("entry", "sustained", "year_full"), case["prices"], strict=True))
    items = []  # (person_n, outcome, position, year, week, date)
    achieved = {}
    for n, person in enumerate(people, start=1):
        monday = MONDAY + timedelta(weeks=person["start"])
        got = []
        for pos, name in ((1, "entry"), (2, "sustained")):
            status, week = person[name]
            if status == "verified":
                got.append((n, name, pos, 0, week, monday + timedelta(weeks=week - 1)))
        for k, status in enumerate(person["years"], start=1):
            if status == "full":
                got.append((n, "year_full", 3, k, 52 * k, monday + timedelta(weeks=52 * k - 1)))
        achieved[n] = got
    for n, got in achieved.items():
        for item in got:
            requires = {"sustained": "entry"}.get(item[1])
            if requires is None or any(r[1] == requires and r[4] <= item[4] for r in got):
                items.append(item)
    amounts = {}
    left: dict[int, Decimal] = {}
    for item in sorted(items, key=lambda i: (i[0], i[4], i[2], i[3])):
        price = prices[item[1]]
        if case["cap_pp"] is None:
            amounts[item] = price
        else:
            room = left.setdefault(item[0], case["cap_pp"])
            amounts[item] = min(price, room)
            left[item[0]] = room - amounts[item]
    room_total = case["cap_total"]
    for item in sorted(items, key=lambda i: (i[5], pk(i[0]), i[2], i[3])):
        if room_total is not None:
            amounts[item] = min(amounts[item], room_total)
            room_total -= amounts[item]
    return {f"{pk(i[0])}|{i[1]}|{i[3]}": a for i, a in amounts.items()}


def _setup_rate_card(world: World, case: dict) -> None:
    world.contract(C, "rate_card", cap_per_participant_dkk=case["cap_pp"], cap_total_dkk=case["cap_total"])
    for (pos, oid, kind, requires), price in zip(OUTCOMES, case["prices"], strict=True):
        if kind == "streak":
            world.outcome(C, pos, oid, kind, str(price), weeks=13, requires=requires)
        else:
            world.outcome(C, pos, oid, kind, str(price), requires=requires, statuses=("full",), years=(1, 2))


def _items(world: World, sid: str) -> dict[str, tuple[Decimal, Decimal, Decimal]]:
    return world.items(sid)


def _check_caps(case: dict, items: dict[str, tuple[Decimal, Decimal, Decimal]]) -> None:
    per_person: dict[str, Decimal] = {}
    for k, (price, reduction, amount) in items.items():
        assert 0 <= amount <= price and reduction == price - amount
        per_person[k.split("|")[0]] = per_person.get(k.split("|")[0], Decimal(0)) + amount
    if case["cap_pp"] is not None:
        assert all(v <= case["cap_pp"] for v in per_person.values())
    if case["cap_total"] is not None:
        assert sum(per_person.values(), Decimal(0)) <= case["cap_total"]


@SETTINGS
@given(rate_card_case)
def test_rate_card_caps_monotonicity_and_lines(case: dict) -> None:
    con = duckdb.connect()
    try:
        world = World(con)
        _setup_rate_card(world, case)
        before_people = case["people"]
        after_people = [_upgraded(p) for p in before_people]

        _load(world, case, before_people)
        world.run("2024-03")
        before = _items(world, f"{C}:2024-03")
        _check_caps(case, before)
        assert {k: v[2] for k, v in before.items()} == _expected_rate_card(case, before_people)

        _load(world, case, after_people)
        world.vintages("2024-04", benefits="dream_2024W15.csv")
        world.run("2024-04")
        after = _items(world, f"{C}:2024-04")
        _check_caps(case, after)
        assert {k: v[2] for k, v in after.items()} == _expected_rate_card(case, after_people)

        total_before = sum((v[2] for v in before.values()), Decimal(0))
        total_after = sum((v[2] for v in after.values()), Decimal(0))
        assert total_after >= total_before  # monotone in verified outcomes

        lines = {line[1]: line for line in world.lines(f"{C}:2024-04")}
        for k in set(before) | set(after):
            change = after.get(k, (0, 0, Decimal(0)))[2] - before.get(k, (0, 0, Decimal(0)))[2]
            assert (lines[k][5] if k in lines else Decimal(0)) == change
        st_ = world.statement(f"{C}:2024-04")
        assert st_["lines_total_dkk"] == total_after - total_before
        assert st_["entitlement_to_date_dkk"] == total_after
    finally:
        con.close()


savings_month = st.integers(min_value=-2_000_000_00, max_value=12_000_000_00).map(lambda n: Decimal(n) / 100)


@SAVINGS_SETTINGS
@given(
    outlay=money,
    share=st.integers(1, 10_000).map(lambda n: Decimal(n) / 10_000),
    cap_=cap,
    months=st.lists(savings_month, min_size=1, max_size=3),
)
def test_savings_share_cap_and_offsets_over_months(outlay, share, cap_, months) -> None:
    con = duckdb.connect()
    try:
        world = World(con)
        world.contract(C, "savings_share", outlay_dkk=outlay, investor_share=share, cap_dkk=cap_)
        world.participant(C, pk(1), baseline_complete=True)
        previous = Decimal(0)
        paid = Decimal(0)
        for m, s in enumerate(months, start=1):
            month = f"2024-{m:02d}"
            world.year(C, pk(1), 1, "full", savings=str(s), baseline="1.00")
            world.vintages(month, benefits=f"dream_2024W{m:02d}.csv")
            world.run(month)
            items = world.items(f"{C}:{month}")
            o_price = min(max(s, Decimal(0)), outlay)
            g_price = round_half_away(Fraction(share) * Fraction(max(s - outlay, Decimal(0))))
            excess = Decimal(0) if cap_ is None else max(o_price + g_price - cap_, Decimal(0))
            assert items["gain_share"] == (g_price, min(excess, g_price), g_price - min(excess, g_price))
            o_red = max(excess - g_price, Decimal(0))
            assert items["outlay_repayment"] == (o_price, o_red, o_price - o_red)
            entitlement = items["gain_share"][2] + items["outlay_repayment"][2]
            if cap_ is not None:
                assert entitlement <= cap_
            if items["outlay_repayment"][1] > 0:
                assert items["gain_share"][2] == 0  # the gain is cut first

            st_ = world.statement(f"{C}:{month}")
            assert st_["lines_total_dkk"] == entitlement - previous
            assert st_["entitlement_to_date_dkk"] == entitlement
            assert st_["amount_payable_dkk"] >= 0 >= st_["offset_carried_forward_dkk"]
            assert st_["amount_payable_dkk"] == 0 or st_["offset_carried_forward_dkk"] == 0
            paid += st_["amount_payable_dkk"]
            assert paid + st_["offset_carried_forward_dkk"] == entitlement
            previous = entitlement
    finally:
        con.close()
