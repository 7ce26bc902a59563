"""A ladder week that no row of the refusion ladder values stops the run before any statement,
naming the financing, the number and the date (finance.md)."""

from __future__ import annotations

import pytest

from contracts.payments import LadderShareMissing, StatementRefused
from tests.payments.world import D, World, pk

C = "brondby"


def weeks(world: World, *rows: tuple) -> None:
    """Participant-weeks with their ladder facts: (person, week, Monday, group, ladder week, share)."""
    for person, week, monday, group, number, share in rows:
        world.con.execute(
            "INSERT INTO marts.fct_participant_weeks (contract_id, person_key, follow_up_week, follow_up_year, "
            "week_start, benefit_group, covered, status, gross_cost_dkk, ladder_week, municipal_share) "
            "VALUES (?, ?, ?, 1, CAST(? AS DATE), ?, TRUE, 'public_support', 2844.46, ?, ?)",
            [C, person, week, monday, group, number, None if share is None else D(share)])


def test_a_ladder_week_no_row_values_stops_the_run_before_any_statement(world: World) -> None:
    world.contract(C, "savings_share", outlay_dkk=D("100.00"), investor_share=D("0.5"))
    world.participant(C, pk(1), baseline_complete=True)
    world.year(C, pk(1), 1, "full", savings="1000.00")
    weeks(world,
          (pk(1), 1, "2015-12-21", "kontanthjaelp", 59, None),   # before the ladder rows' valid_from
          (pk(1), 2, "2015-12-28", "kontanthjaelp", 60, None),
          (pk(1), 3, "2016-01-04", "kontanthjaelp", 61, "0.8"),  # valued: not named
          (pk(1), 4, "2016-01-11", "dagpenge", 1, None))
    with pytest.raises(LadderShareMissing) as refused:
        world.run("2024-03")
    message = str(refused.value)
    assert isinstance(refused.value, StatementRefused)
    assert message.startswith("refused: no row of the refusion ladder (refusion_ladder.csv) gives the municipal "
                              "share of financing refusion, ladder week 59, Thursday 2015-12-24 (1 participant-week); "
                              "financing refusion, ladder week 60, Thursday 2015-12-31 (1 participant-week); "
                              "financing cofinancing, ladder week 1, Thursday 2016-01-14 (1 participant-week).")
    assert "Nothing was issued." in message and "61" not in message
    assert world.dump() == {}   # not even the payments tables were created


def test_many_unvalued_weeks_are_summarised(world: World) -> None:
    world.contract(C, "savings_share", outlay_dkk=D("100.00"), investor_share=D("0.5"))
    world.participant(C, pk(1), baseline_complete=True)
    weeks(world, *((pk(1), w, f"2015-0{1 + w // 5}-0{1 + w % 5}", "kontanthjaelp", w, None) for w in range(1, 9)))
    with pytest.raises(LadderShareMissing, match=r"; and 3 more\. Add or correct its rows") as refused:
        world.run("2024-03")
    assert len(refused.value.weeks) == 8


def test_valued_ladder_weeks_let_the_run_issue(world: World) -> None:
    world.contract(C, "savings_share", outlay_dkk=D("100.00"), investor_share=D("0.5"))
    world.participant(C, pk(1), baseline_complete=True)
    world.year(C, pk(1), 1, "full", savings="1000.00")
    weeks(world, (pk(1), 3, "2016-01-04", "kontanthjaelp", 61, "0.8"), (pk(1), 4, "2016-01-11", "none", None, "0"))
    assert [s.status for s in world.run("2024-03").statements] == ["issued"]
