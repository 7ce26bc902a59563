"""The outcome marts, built by a real `dbt build` on a DuckDB file with hand-made raw tables.

One module-scoped dbt run builds a small cohort whose every figure is known by construction
(see `cohort()`); the tests read the marts and compare them row by row. A second dbt run, on a
copy of the project with a replaced reference file, shows that a new rate changes the cost.

Dates at a glance (run month 2025-06):
- benefit vintage covers 2021-01-04 (Mon, 2021-W01) ... 2025-06-01 (Sun, 2025-W22);
- income vintage covers 2022-06-01 ... 2025-04-30.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
import sys
import time
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import duckdb
import pytest

from tests.outcomes.raw_tables import BENEFITS_SHA, RawWarehouse, monday

pytestmark = pytest.mark.integration

REPO = Path(__file__).resolve().parents[2]
DBT_PROJECT = REPO / "dbt_project"
DBT = str(Path(sys.executable).parent / "dbt")
RUN_MONTH = "2025-06"

D = dt.date
KH, SYG, FLEKS, UNKNOWN = 701, 890, 771, 123   # kontanthjaelp, sygedagpenge, fleksjob, no such code


def key(name: str) -> str:
    """A readable 32-hex person key; order of keys = order of the names' hex encodings."""
    return name.encode().hex().ljust(32, "0")[:32]


P = {name: key(name) for name in (
    "incompl", "edge", "missing", "full", "below", "invalid", "pending", "tie", "cap",
    "notstart", "early", "late", "hhours", "hgap", "hnone", "hlate", "thuend", "thuok", "cens")}
assert P["pending"] < P["tie"]   # the tie on start_date is broken by person_key


def span(first_week: dt.date, weeks: range, code: int) -> dict[dt.date, int]:
    """`code` in follow-up weeks `weeks` counted from the week of `first_week` (week 1)."""
    start = monday(first_week)
    return {start + dt.timedelta(weeks=w - 1): code for w in weeks}


def cohort() -> RawWarehouse:
    raw = RawWarehouse(run_month=RUN_MONTH, benefit_coverage=(D(2021, 1, 4), D(2025, 6, 1)),
                       income_coverage=(D(2022, 6, 1), D(2025, 4, 30)),
                       referrals_vintage=D(2025, 6, 15))

    # --- savings contract: baseline factors 1.0 and 0.5, contract rate for kontanthjaelp -------
    raw.add_contract("sav", start_from=D(2022, 1, 1), start_to=D(2024, 12, 31),
                     max_participants=7, years=2, partial=("fleksjob",),
                     rates={"kontanthjaelp": "3000.01"}, factors=("1.0", "0.5"))
    # Cohort order (start_date, person_key): incompl, edge, missing, full, below, invalid,
    # pending, tie | cap  -> the cap of 7 falls after `pending`.
    raw.refer("sav", P["incompl"], D(2022, 1, 2))     # a Sunday: week 1 = 2021-W52
    raw.benefit_row(P["incompl"])                      # no benefit at all
    raw.refer("sav", P["edge"], D(2022, 1, 3))        # pre-period starts on coverage start
    raw.benefit_row(P["edge"])
    raw.refer("sav", P["missing"], D(2022, 1, 4))     # no benefit row: takes a cap slot
    raw.refer("sav", P["full"], D(2022, 3, 7))
    raw.benefit_row(P["full"], {**span(D(2022, 3, 7), range(-2, 1), KH),
                                **span(D(2022, 3, 7), range(27, 105), KH)})
    raw.refer("sav", P["below"], D(2022, 3, 9))
    raw.benefit_row(P["below"], {**span(D(2022, 3, 9), range(-51, 1), SYG),
                                 **span(D(2022, 3, 9), range(26, 53), FLEKS)})
    raw.refer("sav", P["invalid"], D(2023, 2, 6))
    raw.benefit_row(P["invalid"], {D(2021, 5, 5): UNKNOWN})
    raw.refer("sav", P["pending"], D(2024, 10, 7))
    raw.benefit_row(P["pending"])
    raw.refer("sav", P["tie"], D(2024, 10, 7))
    raw.benefit_row(P["tie"])
    raw.refer("sav", P["cap"], D(2024, 11, 4))
    raw.benefit_row(P["cap"])
    raw.refer("sav", P["notstart"], None, referral_date=D(2024, 1, 1))
    raw.refer("sav", P["early"], D(2021, 12, 31))
    raw.benefit_row(P["early"])
    raw.refer("sav", P["late"], D(2025, 1, 1))
    raw.benefit_row(P["late"])
    raw.refer("unknown-contract", P["edge"], D(2022, 1, 3))

    # --- rate-card contract using employment hours (40.08 per month), one year ----------------
    raw.add_contract("hrs", mechanism="rate_card", start_from=D(2023, 1, 1),
                     start_to=D(2024, 12, 31), years=1, hours_per_month="40.08")
    raw.add_streak("hrs", 1, "s13", 13, 52, ("self_supporting", "partial"))
    raw.add_streak("hrs", 2, "ss4", 4, None)
    raw.add_year_outcome("hrs", 3, "yr", ("partial", "full"), (1,), requires="s13")
    raw.refer("hrs", P["hhours"], D(2023, 1, 2))
    raw.benefit_row(P["hhours"], span(D(2023, 1, 2), range(-51, 53), KH))
    raw.hours(P["hhours"], D(2023, 1, 1), "20.04")
    raw.hours(P["hhours"], D(2023, 1, 1), "20.04")       # two lines: 40.08 exactly
    for month in (2, 3, 4):
        raw.hours(P["hhours"], D(2023, month, 1), "40.08")
    raw.hours(P["hhours"], D(2023, 5, 1), "40.07")        # just below the threshold
    raw.hours(P["hhours"], D(2023, 6, 1), "100.00", income_type="01")   # not employment
    raw.refer("hrs", P["hgap"], D(2023, 1, 2))
    raw.benefit_row(P["hgap"])
    raw.uncovered(P["hgap"], D(2023, 2, 1))               # weeks 5-8 (Thursdays in February)
    raw.refer("hrs", P["hnone"], D(2023, 3, 6))
    raw.benefit_row(P["hnone"], span(D(2023, 3, 6), range(-51, 53), KH))
    raw.refer("hrs", P["hlate"], D(2024, 9, 2))           # income coverage ends in week 34
    raw.benefit_row(P["hlate"])

    # --- municipal-net valuation: `full` again, and a person whose coverage starts on benefit --
    raw.add_contract("net", start_from=D(2022, 1, 1), start_to=D(2022, 12, 31), years=2,
                     factors=("1.0", "1.0"), basis="municipal_net", outlay="0.00", investor_share="0.5")
    raw.refer("net", P["full"], D(2022, 3, 7))
    raw.refer("net", P["cens"], D(2022, 1, 3))            # week -51 is the coverage's first week
    raw.benefit_row(P["cens"], span(D(2022, 1, 3), range(-51, -39), KH))

    # --- code validity by the week's Thursday (the second run ends codes 702 / 703) ------------
    raw.add_contract("cds", mechanism="cohort_target", start_from=D(2022, 1, 1),
                     start_to=D(2022, 12, 31), years=1)
    raw.refer("cds", P["thuend"], D(2022, 5, 2))
    raw.benefit_row(P["thuend"], {D(2022, 6, 6): 702})     # week 6, Thursday 2022-06-09
    raw.refer("cds", P["thuok"], D(2022, 5, 2))
    raw.benefit_row(P["thuok"], {D(2022, 6, 6): 703})
    return raw


def run_dbt(project_dir: Path, warehouse: Path, work: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "OUTCOME_LEDGER_WAREHOUSE": str(warehouse),
           "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}
    command = [DBT, *args, "--vars", json.dumps({"run_month": RUN_MONTH}),
               "--project-dir", str(project_dir), "--profiles-dir", str(project_dir),
               "--target-path", str(work / "target"), "--log-path", str(work / "logs")]
    result = subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        pytest.fail(f"dbt {' '.join(args)} failed:\n{result.stdout[-8000:]}\n{result.stderr[-2000:]}")
    return result


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict:
    work = tmp_path_factory.mktemp("outcome_marts")
    warehouse = (work / "warehouse.duckdb").resolve()
    cohort().write(warehouse)
    started = time.monotonic()
    result = run_dbt(DBT_PROJECT, warehouse, work, "build")
    return {"warehouse": warehouse, "work": work, "seconds": time.monotonic() - started,
            "log": result.stdout}


def query(warehouse: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.sql(sql).fetchall()


def rows_by_key(warehouse: Path, sql: str) -> dict:
    return {row[0]: row[1:] for row in query(warehouse, sql)}


def m(value: str) -> Decimal:
    return Decimal(value)


# ----------------------------------------------------------------------------------------------

def test_build_is_green_and_runs_all_tests(built: dict) -> None:
    log = built["log"]
    assert "Completed successfully" in log
    assert "ERROR=0" in log and "WARN=0" in log


def test_participants_exclusions_and_cap_order(built: dict) -> None:
    got = rows_by_key(built["warehouse"], """
        select person_key, excluded_reason, start_week, baseline_complete, cohort_position,
               benefit_register_issue
        from marts.dim_participants where contract_id = 'sav'""")
    expected = {
        P["incompl"]: (None, "2021-W52", False, 1, None),
        P["edge"]: (None, "2022-W01", True, 2, None),
        P["missing"]: ("missing_in_benefit_register", "2022-W01", None, 3, "absent"),
        P["full"]: (None, "2022-W10", True, 4, None),
        P["below"]: (None, "2022-W10", True, 5, None),
        P["invalid"]: ("missing_in_benefit_register", "2023-W06", None, 6, "invalid_code"),
        P["pending"]: (None, "2024-W41", True, 7, None),
        P["tie"]: ("over_cohort_cap", "2024-W41", None, 8, None),
        P["cap"]: ("over_cohort_cap", "2024-W45", None, 9, None),
        P["notstart"]: ("not_started", None, None, None, "absent"),
        P["early"]: ("outside_cohort_window", "2021-W52", None, None, None),
        P["late"]: ("outside_cohort_window", "2025-W01", None, None, None),
    }
    assert got == expected
    # contracts without a baseline: null; referrals naming a contract without terms: not listed
    assert query(built["warehouse"], """
        select count(*), count(baseline_complete) from marts.dim_participants
        where contract_id = 'hrs'""") == [(4, 0)]
    assert query(built["warehouse"], """
        select count(*) from marts.dim_participants where contract_id = 'unknown-contract'""") == [(0,)]


def test_every_participant_has_all_weeks_and_excluded_none(built: dict) -> None:
    got = rows_by_key(built["warehouse"], """
        select contract_id || ':' || person_key, count(*), min(follow_up_week), max(follow_up_week)
        from marts.fct_participant_weeks group by 1""")
    expected = {f"sav:{P[n]}": (156, -51, 104)
                for n in ("incompl", "edge", "full", "below", "pending")}
    expected |= {f"hrs:{P[n]}": (104, -51, 52) for n in ("hhours", "hgap", "hnone", "hlate")}
    expected |= {f"cds:{P[n]}": (104, -51, 52) for n in ("thuend", "thuok")}
    expected |= {f"net:{P[n]}": (156, -51, 104) for n in ("full", "cens")}
    assert got == expected


def test_outcome_years_row_by_row(built: dict) -> None:
    got = rows_by_key(built["warehouse"], """
        select contract_id || ':' || person_key || ':' || follow_up_year,
               weeks_self_supporting, weeks_partial, weeks_public_support, weeks_not_covered,
               outcome_status, actual_cost_dkk, baseline_cost_dkk, savings_dkk
        from marts.fct_outcome_years where contract_id <> 'net'""")
    kh_sav, kh_ref, syg, fleks = m("3000.01"), m("2844.46"), m("4695.00"), m("2307.69")
    full_pre = 3 * kh_sav                                   # 9000.03 in the pre-period
    below_pre = 52 * syg                                    # 244140.00
    zero = m("0.00")
    expected = {
        # exactly at full_weeks (26 self-supporting weeks) -> full; year 2 all public support
        f"sav:{P['full']}:1": (26, 0, 26, 0, "full", 26 * kh_sav, full_pre,
                               full_pre - 26 * kh_sav),
        # year 2 factor 0.5: 9000.03 x 0.5 = 4500.015 -> 4500.02 (half away from zero)
        f"sav:{P['full']}:2": (0, 0, 52, 0, "none", 52 * kh_sav, m("4500.02"),
                               m("4500.02") - 52 * kh_sav),
        # one week below full_weeks -> partial (25 + 27 fleksjob weeks >= 13)
        f"sav:{P['below']}:1": (25, 27, 0, 0, "partial", 27 * fleks, below_pre,
                                below_pre - 27 * fleks),
        f"sav:{P['below']}:2": (52, 0, 0, 0, "full", zero, below_pre / 2, below_pre / 2),
        # crosses the benefit coverage end in week 35 -> pending, amounts null
        f"sav:{P['pending']}:1": (34, 0, 0, 18, "pending", None, None, None),
        f"sav:{P['pending']}:2": (0, 0, 0, 52, "pending", None, None, None),
        # incomplete baseline: actual cost shown, baseline and savings null
        f"sav:{P['incompl']}:1": (52, 0, 0, 0, "full", zero, None, None),
        f"sav:{P['incompl']}:2": (52, 0, 0, 0, "full", zero, None, None),
        f"sav:{P['edge']}:1": (52, 0, 0, 0, "full", zero, zero, zero),
        f"sav:{P['edge']}:2": (52, 0, 0, 0, "full", zero, zero, zero),
        # partial weeks from employment hours only (17 months-weeks at >= 40.08 hours)
        f"hrs:{P['hhours']}:1": (0, 17, 35, 0, "partial", 52 * kh_ref, None, None),
        # a not-covered person-month (February) -> 4 weeks not covered -> pending
        f"hrs:{P['hgap']}:1": (48, 0, 0, 4, "pending", None, None, None),
        f"hrs:{P['hnone']}:1": (0, 0, 52, 0, "none", 52 * kh_ref, None, None),
        # income coverage ends before the benefit coverage: weeks 35+ not covered
        f"hrs:{P['hlate']}:1": (34, 0, 0, 18, "pending", None, None, None),
        # one kontanthjaelp week at the reference rate, no baseline
        f"cds:{P['thuend']}:1": (51, 0, 1, 0, "full", kh_ref, None, None),
        f"cds:{P['thuok']}:1": (51, 0, 1, 0, "full", kh_ref, None, None),
    }
    assert got == expected


def test_savings_per_group(built: dict) -> None:
    got = rows_by_key(built["warehouse"], f"""
        select follow_up_year || ':' || benefit_group, actual_cost_dkk, baseline_cost_dkk,
               savings_dkk
        from marts.fct_outcome_year_savings
        where contract_id = 'sav' and person_key = '{P['below']}'""")
    fleks, pre = 27 * m("2307.69"), 52 * m("4695.00")
    zero = m("0.00")
    assert got == {
        "1:none": (zero, zero, zero),
        "1:fleksjob": (fleks, zero, -fleks),
        "1:sygedagpenge": (zero, pre, pre),
        "2:none": (zero, zero, zero),
        "2:sygedagpenge": (zero, pre / 2, pre / 2),
    }
    # without a baseline (rate-card contract) savings are null but actual costs are shown
    assert query(built["warehouse"], f"""
        select benefit_group, actual_cost_dkk, baseline_cost_dkk, savings_dkk
        from marts.fct_outcome_year_savings where person_key = '{P['hnone']}'""") == [
        ("kontanthjaelp", 52 * m("2844.46"), None, None)]


def test_participant_weeks_evidence_coverage_and_trace(built: dict) -> None:
    w = built["warehouse"]
    cols = ("iso_week, week_start, month, benefit_code, benefit_group, employment_hours, covered, "
            "status, cost_dkk, source_file_sha256, source_line")

    def week(contract: str, person: str, follow_up_week: int) -> tuple:
        return query(w, f"""select {cols} from marts.fct_participant_weeks
            where contract_id = '{contract}' and person_key = '{P[person]}'
              and follow_up_week = {follow_up_week}""")[0]

    # Sunday start: week 1 is the week ending that Sunday; pre-period reaches 2020-W53, before
    # the benefit coverage: not covered, no code, no group, no cost.
    assert week("sav", "incompl", 1)[:3] == ("2021-W52", D(2021, 12, 27), "2021-12")
    assert week("sav", "incompl", -51) == ("2020-W53", D(2020, 12, 28), "2020-12", None, None,
                                          None, False, "not_covered", None, BENEFITS_SHA, 2)
    assert week("sav", "incompl", -50)[0] == "2021-W01"
    # a code week valued at the contract's rate; no income lines and month before the income
    # coverage -> hours null (the contract does not use hours: still covered)
    assert week("sav", "full", 0) == ("2022-W09", D(2022, 2, 28), "2022-03", KH, "kontanthjaelp",
                                      None, True, "public_support", m("3000.01"), BENEFITS_SHA, 4)
    # inside the income coverage without lines: 0 hours
    assert week("sav", "full", 14)[2] == "2022-06" and week("sav", "full", 14)[5] == m("0.00")
    # month of the week's Thursday: Mon 2023-01-30, Thu 2023-02-02 -> February
    assert week("hrs", "hgap", 5)[1:3] == (D(2023, 1, 30), "2023-02")
    assert week("hrs", "hgap", 5)[5:9] == (None, False, "not_covered", None)
    assert week("hrs", "hgap", 9)[5:8] == (m("0.00"), True, "self_supporting")
    # threshold: exactly 40.08 (two lines of 20.04) is partial, 40.07 is not; type 01 ignored
    assert week("hrs", "hhours", 1)[5:8] == (m("40.08"), True, "partial")
    assert week("hrs", "hhours", 17)[2:8] == ("2023-04", KH, "kontanthjaelp", m("40.08"), True,
                                              "partial")
    assert week("hrs", "hhours", 18)[2:8] == ("2023-05", KH, "kontanthjaelp", m("40.07"), True,
                                              "public_support")
    assert week("hrs", "hhours", 23)[5] == m("0.00")
    # pre-period of an hours contract: covered by the benefit vintage alone, hours null before
    # the income coverage
    assert week("hrs", "hhours", -51)[5:8] == (None, True, "public_support")
    # benefit coverage end: week 34 covered, week 35 beyond the vintage -> nulls
    assert week("sav", "pending", 34)[:9] == ("2025-W22", D(2025, 5, 26), "2025-05", None, "none",
                                             None, True, "self_supporting", m("0.00"))
    assert week("sav", "pending", 35)[3:9] == (None, None, None, False, "not_covered", None)
    # hours contract: week 34 is April (income covered), week 35 is May (beyond income coverage)
    assert week("hrs", "hlate", 34)[2:8] == ("2025-04", None, "none", m("0.00"), True,
                                             "self_supporting")
    assert week("hrs", "hlate", 35)[2:8] == ("2025-05", None, "none", None, False, "not_covered")


def test_streak_outcomes(built: dict) -> None:
    got = rows_by_key(built["warehouse"], """
        select person_key || ':' || outcome_id, achievement_week, achievement_date, streak_status
        from marts.fct_streak_outcomes""")
    assert got == {
        f"{P['hhours']}:s13": (13, D(2023, 3, 27), "verified"),   # partial weeks 1-17
        f"{P['hhours']}:ss4": (None, None, "failed"),             # all 52 weeks covered
        f"{P['hgap']}:ss4": (4, D(2023, 1, 23), "verified"),      # gap starts in week 5
        f"{P['hgap']}:s13": (21, D(2023, 5, 22), "open"),         # weeks 5-8 could change it
        f"{P['hnone']}:s13": (None, None, "failed"),
        f"{P['hnone']}:ss4": (None, None, "failed"),
        f"{P['hlate']}:s13": (13, D(2024, 11, 25), "verified"),
        f"{P['hlate']}:ss4": (4, D(2024, 9, 23), "verified"),
    }


def test_rate_card_achievements_streaks_and_years(built: dict) -> None:
    """Streaks as evaluated; year 1 of `yr` verified in week 52 when complete with a listed
    status (its date the Monday of week 52), failed with another, open while pending; `yr`
    requires s13, met by a verified s13 in an earlier week."""
    got = rows_by_key(built["warehouse"], """
        select person_key || ':' || outcome_id || ':' || follow_up_year, achievement_week,
               achievement_date, achievement_status, outcome_status, requirement_met,
               required_follow_up_year, required_achievement_week, required_outcome_status
        from marts.fct_rate_card_achievements""")
    assert got == {
        f"{P['hhours']}:s13:0": (13, D(2023, 3, 27), "verified", "verified", None, None, None, None),
        f"{P['hhours']}:ss4:0": (None, None, "failed", "failed", None, None, None, None),
        f"{P['hhours']}:yr:1": (52, D(2023, 12, 25), "verified", "partial", True, 0, 13, "verified"),
        f"{P['hgap']}:ss4:0": (4, D(2023, 1, 23), "verified", "verified", None, None, None, None),
        f"{P['hgap']}:s13:0": (21, D(2023, 5, 22), "open", "open", None, None, None, None),
        f"{P['hgap']}:yr:1": (None, None, "open", "pending", False, None, None, None),
        f"{P['hnone']}:s13:0": (None, None, "failed", "failed", None, None, None, None),
        f"{P['hnone']}:ss4:0": (None, None, "failed", "failed", None, None, None, None),
        f"{P['hnone']}:yr:1": (None, None, "failed", "none", False, None, None, None),
        f"{P['hlate']}:s13:0": (13, D(2024, 11, 25), "verified", "verified", None, None, None, None),
        f"{P['hlate']}:ss4:0": (4, D(2024, 9, 23), "verified", "verified", None, None, None, None),
        f"{P['hlate']}:yr:1": (None, None, "open", "pending", False, None, None, None),
    }


def test_outcome_years_completeness_achievement_date_and_payment_count(built: dict) -> None:
    """is_complete = not pending; the year's achievement date is the Monday of week 52k; a
    savings contract without count_savings_when counts every complete year; rate-card years
    are not judged here (null)."""
    got = rows_by_key(built["warehouse"], """
        select contract_id || ':' || person_key || ':' || follow_up_year, outcome_status,
               is_complete, achievement_date, counts_for_payment
        from marts.fct_outcome_years where contract_id in ('sav', 'hrs')""")
    assert got[f"sav:{P['full']}:1"] == ("full", True, D(2023, 2, 27), True)
    assert got[f"sav:{P['full']}:2"] == ("none", True, D(2024, 2, 26), True)
    assert got[f"sav:{P['pending']}:1"] == ("pending", False, D(2025, 9, 29), False)
    assert got[f"hrs:{P['hhours']}:1"] == ("partial", True, D(2023, 12, 25), None)
    assert all(complete == (status != "pending") for status, complete, _, _ in got.values())


def test_payment_terms_marts(built: dict) -> None:
    assert query(built["warehouse"], """
        select contract_id, payment_account, outlay_dkk, target_year from marts.dim_payment_terms
        order by contract_id""") == [("cds", "5.68.90", None, None), ("hrs", "5.68.90", None, None),
                                     ("net", "5.68.90", m("0.00"), None), ("sav", "5.68.90", None, None)]
    assert query(built["warehouse"], """
        select outcome_id, outcome_position, outcome_kind, streak_weeks, within_weeks,
               requires_outcome_id, price_dkk
        from marts.dim_rate_card_outcomes order by outcome_position""") == [
        ("s13", 1, "streak", 13, 52, None, m("1000.00")),
        ("ss4", 2, "streak", 4, None, None, m("1000.00")),
        ("yr", 3, "year_status", None, None, "s13", m("1000.00"))]
    assert query(built["warehouse"], """
        select run_month, source, file_sha256 from marts.dim_selected_vintages order by source""") == [
        (RUN_MONTH, "benefits", BENEFITS_SHA), (RUN_MONTH, "income", "c" * 64),
        (RUN_MONTH, "referrals", "a" * 64)]


def municipal(gross: Decimal, share: str) -> Decimal:
    """round(gross x share, 2), half away from zero."""
    return (gross * Decimal(share)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def test_ladder_weeks_and_municipal_cost(built: dict) -> None:
    """`full` has kontanthjaelp (refusion) in weeks -2 ... 0 and 27 ... 104: ladder numbers 1-3,
    then - 26 self-supported weeks are not 52 - 4 ... 81 in one period. Its municipal cost is
    round(gross x share, 2) by the reference steps (0.20 / 0.60 / 0.70 / 0.80); under the `net`
    contract (municipal_net) cost_dkk is that, under `sav` (gross) the gross rate, as before."""
    w = built["warehouse"]

    def week(contract: str, n: int) -> tuple:
        return query(w, f"""select ladder_week, municipal_share, gross_cost_dkk, municipal_cost_dkk, cost_dkk
            from marts.fct_participant_weeks
            where contract_id = '{contract}' and person_key = '{P['full']}' and follow_up_week = {n}""")[0]

    kh, kh_sav = m("2844.46"), m("3000.01")
    assert week("net", -2) == (1, m("0.2"), kh, municipal(kh, "0.2"), municipal(kh, "0.2"))
    assert week("net", 1)[:4] == (None, m("0"), m("0.00"), m("0.00"))
    assert week("net", 27) == (4, m("0.2"), kh, m("568.89"), m("568.89"))
    assert week("net", 28) == (5, m("0.6"), kh, m("1706.68"), m("1706.68"))
    assert week("net", 104)[:2] == (81, m("0.8"))
    assert week("sav", 28) == (5, m("0.6"), kh_sav, municipal(kh_sav, "0.6"), kh_sav)
    # week 35 of `pending` lies beyond the benefit coverage: nothing
    assert query(w, f"""select ladder_week, municipal_share, gross_cost_dkk, municipal_cost_dkk
        from marts.fct_participant_weeks where person_key = '{P['pending']}' and follow_up_week = 35""") == [
        (None, None, None, None)]

    # the year: gross and municipal savings side by side, savings_dkk in the contract's basis
    year1_municipal = (municipal(kh, "0.2") + 22 * municipal(kh, "0.6") + 3 * municipal(kh, "0.7"))
    baseline_municipal = 3 * municipal(kh, "0.2")
    got = rows_by_key(w, f"""select contract_id || ':' || follow_up_year, actual_cost_dkk, savings_dkk,
            gross_savings_dkk, municipal_savings_dkk
        from marts.fct_outcome_years where person_key = '{P['full']}'""")
    assert got["net:1"] == (year1_municipal, baseline_municipal - year1_municipal,
                            3 * kh - 26 * kh, baseline_municipal - year1_municipal)
    assert got["sav:1"][:3] == (26 * kh_sav, 3 * kh_sav - 26 * kh_sav, 3 * kh_sav - 26 * kh_sav)
    # municipal savings are computed under the gross basis too (for the budget), at its own rate
    assert got["sav:1"][3] == 3 * municipal(kh_sav, "0.2") - (
        municipal(kh_sav, "0.2") + 22 * municipal(kh_sav, "0.6") + 3 * municipal(kh_sav, "0.7"))


def test_a_municipal_net_contract_is_paid_on_its_municipal_savings(built: dict, tmp_path: Path) -> None:
    """The payment engine, run on the built marts, takes S of the `net` contract (basis
    municipal_net) from its municipal savings - not the gross ones."""
    from contracts.payments import RunInputs, issue_statements

    warehouse = tmp_path / "paid.duckdb"
    shutil.copyfile(built["warehouse"], warehouse)
    with duckdb.connect(str(warehouse)) as con:
        con.execute("DELETE FROM marts.dim_contracts WHERE contract_id <> 'net'")   # pay `net` alone
        inputs = RunInputs.from_warehouse(con, month=RUN_MONTH, reference_dir=DBT_PROJECT / "seeds",
                                          product_version="test")
        issue_statements(con, month=RUN_MONTH, inputs=inputs, issued_at=dt.datetime(2025, 7, 1))
        [(basis,)] = con.execute("SELECT basis FROM payments.entitlement_items WHERE item_key = 'gain_share'").fetchall()
        [(municipal, gross, years)] = con.execute("""
            SELECT sum(y.municipal_savings_dkk), sum(y.gross_savings_dkk), count(*)
            FROM marts.fct_outcome_years y JOIN marts.dim_participants p USING (contract_id, person_key)
            WHERE y.contract_id = 'net' AND p.baseline_complete AND y.counts_for_payment""").fetchall()
    assert years == 4 and municipal != gross
    assert basis == f"S = {municipal} over 4 participant-years"


def test_ladder_left_censoring(built: dict) -> None:
    """A participant whose person is on a ladder benefit in the benefit coverage's first week
    (2021-W01) is left-censored; others are not; excluded referrals show nothing."""
    got = rows_by_key(built["warehouse"], """
        select contract_id || ':' || person_key, ladder_left_censored from marts.dim_participants
        where contract_id in ('net', 'sav')""")
    assert got[f"net:{P['cens']}"] == (True,)
    assert got[f"net:{P['full']}"] == (False,)
    assert got[f"sav:{P['tie']}"] == (None,)
    assert sum(1 for (v,) in got.values() if v) == 1


def test_contracts_dimension(built: dict) -> None:
    assert query(built["warehouse"], """
        select contract_id, name, mechanism, terms_sha256, uses_employment_hours, has_baseline
        from marts.dim_contracts order by contract_id""") == [
        ("cds", "Contract cds", "cohort_target", "c" * 64, False, False),
        ("hrs", "Contract hrs", "rate_card", "h" * 64, True, False),
        ("net", "Contract net", "savings_share", "n" * 64, False, True),
        ("sav", "Contract sav", "savings_share", "s" * 64, False, True),
    ]


def test_public_columns_have_their_contract_types(built: dict) -> None:
    types = dict(query(built["warehouse"], """
        select table_name || '.' || column_name, data_type from information_schema.columns
        where table_schema = 'marts'"""))
    assert types["fct_participant_weeks.cost_dkk"] == "DECIMAL(18,2)"
    assert types["fct_participant_weeks.employment_hours"] == "DECIMAL(18,2)"
    assert types["fct_outcome_years.savings_dkk"] == "DECIMAL(18,2)"
    assert types["fct_outcome_year_savings.baseline_cost_dkk"] == "DECIMAL(18,2)"
    assert types["fct_participant_weeks.benefit_code"] == "BIGINT"
    assert types["dim_participants.baseline_complete"] == "BOOLEAN"
    schemas = {row[0] for row in query(built["warehouse"],
                                        "select distinct table_schema from information_schema.tables")}
    assert {"raw", "reference", "staging", "intermediate", "marts"} <= schemas


def test_replaced_reference_files_change_the_results(built: dict, tmp_path: Path) -> None:
    """A user replaces reference files; the next build uses them.

    benefit_rates.csv: sygedagpenge 2024 becomes 5000.00 -> the pre-period weeks, baseline and
    savings of the participant with sygedagpenge change; a contract's own rate does not.
    benefit_codes.csv: code 702 now ends on Wednesday 2022-06-08, code 703 on Thursday
    2022-06-09. Both participants hold their code in the week of Thursday 2022-06-09: 702 fails
    (the person is excluded as missing_in_benefit_register), 703 is still valid (inclusive end).
    """
    project = tmp_path / "dbt_project"
    shutil.copytree(DBT_PROJECT, project, ignore=shutil.ignore_patterns("target", "logs"))
    replace_line(project / "seeds" / "benefit_rates.csv",
                 "sygedagpenge,2024,4695.00,", "sygedagpenge,2024,5000.00,")
    replace_line(project / "seeds" / "benefit_codes.csv",
                 "702,Kontanthjælp,kontanthjaelp,1991-01-01,", "702,Kontanthjælp,kontanthjaelp,1991-01-01,2022-06-08")
    replace_line(project / "seeds" / "benefit_codes.csv",
                 "703,Kontanthjælp,kontanthjaelp,1991-01-01,", "703,Kontanthjælp,kontanthjaelp,1991-01-01,2022-06-09")
    warehouse = (tmp_path / "warehouse.duckdb").resolve()
    shutil.copyfile(built["warehouse"], warehouse)
    run_dbt(project, warehouse, tmp_path, "build", "--exclude-resource-type", "unit_test",
            "--exclude-resource-type", "test")

    pre = 52 * m("5000.00")
    fleks = 27 * m("2307.69")
    assert query(warehouse, f"""
        select cost_dkk from marts.fct_participant_weeks
        where person_key = '{P['below']}' and follow_up_week = -10""") == [(m("5000.00"),)]
    assert query(warehouse, f"""
        select follow_up_year, baseline_cost_dkk, savings_dkk from marts.fct_outcome_years
        where person_key = '{P['below']}' order by 1""") == [
        (1, pre, pre - fleks), (2, pre / 2, pre / 2)]
    # the contract's own rate for kontanthjaelp is untouched by the reference file
    assert query(warehouse, f"""
        select actual_cost_dkk from marts.fct_outcome_years
        where contract_id = 'sav' and person_key = '{P['full']}' and follow_up_year = 1""") == [
        (26 * m("3000.01"),)]
    # code validity is judged on the week's Thursday, end date inclusive
    assert rows_by_key(warehouse, """
        select person_key, excluded_reason, benefit_register_issue
        from marts.dim_participants where contract_id = 'cds'""") == {
        P["thuend"]: ("missing_in_benefit_register", "invalid_code"),
        P["thuok"]: (None, None)}
    assert query(warehouse, f"""
        select count(*) from marts.fct_participant_weeks where person_key = '{P['thuend']}'""") == [(0,)]
    assert query(warehouse, f"""
        select outcome_status from marts.fct_outcome_years where person_key = '{P['thuok']}'""") == [
        ("full",)]


def replace_line(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} not found once in {path.name}"
    path.write_text(text.replace(old, new), encoding="utf-8")
