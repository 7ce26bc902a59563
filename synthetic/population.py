"""Who is in the registers and what happens to them: the ground truth behind every extract.

All arrays are vectorised over persons. Weeks are indices from `config.first_week`; `NEVER` marks
an event outside any horizon. Rows `0 … P−1` are the referred persons, `P … N−1` the persons
who are only in the registers.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import numpy as np
import polars as pl

from synthetic.config import SyntheticConfig
from synthetic.cpr import draw_styles, synthetic_cprs
from synthetic.weeks import to_day64

CORRECTION_WINDOW = 12  # a vintage's corrected weeks lie within its last 13 weeks


def correction_slots(share: float) -> int:
    """How many slots the participants are spread over: a benefit vintage corrects one slot.

    At least 13, so two vintages whose slots coincide lie ≥ 13 weeks apart and their corrected
    windows (the last 13 weeks of each) never overlap.
    """
    return max(CORRECTION_WINDOW + 1, round(1 / share)) if share > 0 else 0

NEVER = 1_000_000

#: Trajectories after the start week, with their shares among started participants.
TRAJECTORIES = ("on_benefit", "work", "partial_work", "relapse", "education", "fleksjob", "leave")
TRAJECTORY_SHARES = (0.28, 0.25, 0.12, 0.12, 0.10, 0.08, 0.05)
NOT_STARTED = "not_started"
ON_BENEFIT, WORK, PARTIAL, RELAPSE, EDUCATION, FLEKSJOB, LEAVE = range(7)

#: The benefit a participant is on before the start (code, share).
BASELINE_CODES = ((701, 0.30), (705, 0.08), (111, 0.20), (890, 0.12), (741, 0.08),
                  (810, 0.12), (750, 0.05), (781, 0.05))
#: What came before the benefit spell: nothing (work), dagpenge, sygedagpenge.
PRIOR_CODES = ((0, 0.7), (111, 0.2), (890, 0.1))

#: Non-participants: self-supporting throughout, on benefit, pension, and the two switches.
OTHERS = ("self_supporting", "on_benefit", "pension", "benefit_to_work", "work_to_benefit")
OTHER_SHARES = (0.25, 0.35, 0.10, 0.20, 0.10)
SELF_SUPPORTING, ON_BENEFIT_ONLY, PENSION, BENEFIT_TO_WORK, WORK_TO_BENEFIT = range(5)

SIDE_JOBS = 0.2  # share of full-time spells with a small second job alongside
START_WEEKDAY_SHARES = (0.52, 0.12, 0.12, 0.12, 0.10, 0.01, 0.01)  # Monday … Sunday


@dataclass(frozen=True, eq=False)
class Population:
    config: SyntheticConfig
    #: One row per person: cpr (ten digits), day, written form per source, in_benefit_register.
    persons: pl.DataFrame
    n_participants: int
    #: Per person (length N), week indices; `NEVER` when it does not happen.
    start_week: np.ndarray      # participants: week of the first start (or of the referral)
    entry_week: np.ndarray      # first week of the benefit spell before the start
    exit_week: np.ndarray       # first week of the new state (work, education, …)
    return_week: np.ndarray     # first week back on the baseline benefit (relapse, leave)
    prior_code: np.ndarray
    baseline_code: np.ndarray
    post_code: np.ndarray       # code from exit_week (0 = no benefit)
    trajectory: np.ndarray      # label index: TRAJECTORIES, then len(TRAJECTORIES)=not started
    correction_slot: np.ndarray  # which benefit vintages correct the person (benefits.py)
    #: One row per referral: person, contract_id, referral_date, start_date (null = not started).
    referrals: pl.DataFrame
    #: Employment spells for the income register: person, first_day, last_day (inclusive),
    #: monthly hours in cents drawn from low … high each period unless fixed (salaried),
    #: crossing (pay periods 16th–15th), employer number and hourly wage (DKK).
    jobs: pl.DataFrame


def _pick(rng: np.random.Generator, table, n: int) -> np.ndarray:
    values, shares = zip(*table, strict=True)
    return rng.choice(np.array(values), size=n, p=np.array(shares) / sum(shares))


def simulate(config: SyntheticConfig, rng: np.random.Generator) -> Population:
    n_p, n_q = config.participants, config.non_participant_count
    n = n_p + n_q
    w = config.weeks
    persons = synthetic_cprs(rng, n)
    day = persons["day"].to_numpy()
    in_register = np.ones(n, dtype=bool)

    # -- participants: start, trajectory ----------------------------------------------------
    started = rng.random(n_p) >= config.not_started_share
    early = started & (rng.random(n_p) < config.early_start_share)
    cohort_from, cohort_to = config.cohort_window
    first = to_day64(config.first_week)
    lo, hi = to_day64(cohort_from), to_day64(cohort_to)
    week_from = (lo - first).astype(int) // 7
    week_to = (hi - first).astype(int) // 7
    start_week = rng.integers(week_from, week_to + 1, n_p)
    early_from = max(week_from - 26, 0)
    start_week[early] = rng.integers(early_from, max(week_from, early_from + 1), early.sum())
    weekday = rng.choice(7, size=n_p, p=START_WEEKDAY_SHARES)
    start_day = first + (start_week * 7 + weekday).astype("timedelta64[D]")
    start_day = np.where(early, start_day, np.clip(start_day, lo, hi))
    start_week = (start_day - first).astype(int) // 7
    referral_day = start_day - rng.integers(0, 57, n_p).astype("timedelta64[D]")

    trajectory = rng.choice(len(TRAJECTORIES), size=n_p, p=TRAJECTORY_SHARES)
    trajectory[~started] = len(TRAJECTORIES)
    missing = started & (rng.random(n_p) < config.missing_in_benefit_share)
    in_register[:n_p] = ~missing

    baseline = _pick(rng, BASELINE_CODES, n).astype(np.int16)
    prior = _pick(rng, PRIOR_CODES, n).astype(np.int16)
    prior[baseline == 111] = 0
    entry = np.empty(n, dtype=np.int64)
    entry[:n_p] = start_week - rng.integers(20, 200, n_p)

    lag = rng.integers(1, 41, n_p)
    exit_week = np.full(n, NEVER, dtype=np.int64)
    return_week = np.full(n, NEVER, dtype=np.int64)
    post_code = np.zeros(n, dtype=np.int16)
    moves = np.isin(trajectory, (WORK, RELAPSE, EDUCATION, FLEKSJOB, LEAVE))
    # partial work: a job from exit_week while the benefit continues (post code = baseline)
    changes = moves | (trajectory == PARTIAL)
    exit_week[:n_p][changes] = (start_week + lag)[changes]
    relapse, leave = trajectory == RELAPSE, trajectory == LEAVE
    return_week[:n_p][relapse] = (start_week + lag + rng.integers(8, 61, n_p))[relapse]
    return_week[:n_p][leave] = (start_week + lag + rng.integers(18, 47, n_p))[leave]
    post = post_code[:n_p]
    post[trajectory == EDUCATION] = rng.choice(np.array([651, 652, 661], dtype=np.int16),
                                               (trajectory == EDUCATION).sum(), p=(0.7, 0.2, 0.1))
    post[trajectory == FLEKSJOB] = 771
    post[leave] = 881
    post[~moves] = baseline[:n_p][~moves]

    # -- non-participants -------------------------------------------------------------------
    kind = rng.choice(len(OTHERS), size=n_q, p=OTHER_SHARES)
    switch = rng.integers(0, w, n_q)
    q = slice(n_p, n)
    entry[q] = np.where(kind == SELF_SUPPORTING, NEVER,
                        np.where(kind == WORK_TO_BENEFIT, switch, -NEVER))
    exit_week[q] = np.where(kind == BENEFIT_TO_WORK, switch, NEVER)
    prior[q] = 0
    baseline[q][kind == PENSION] = 998
    post_code[q] = 0

    # -- referrals ----------------------------------------------------------------------------
    n_contracts = len(config.contract_ids)
    contract = rng.integers(0, n_contracts, n_p)
    second = started & (rng.random(n_p) < config.two_contract_share) & (n_contracts > 1)
    second_contract = (contract + rng.integers(1, max(n_contracts, 2), n_p)) % n_contracts
    second_referral = start_day + rng.integers(7, 120, n_p).astype("timedelta64[D]")
    second_start = second_referral + rng.integers(0, 29, n_p).astype("timedelta64[D]")
    ids = pl.Series(config.contract_ids)
    person = np.arange(n_p)
    first_rows = pl.DataFrame({
        "person": person, "contract_id": ids.gather(contract),
        "referral_date": referral_day.astype("datetime64[D]"),
        "start_date": np.where(started, start_day, np.datetime64("NaT")).astype("datetime64[D]"),
    })
    second_rows = pl.DataFrame({
        "person": person[second], "contract_id": ids.gather(second_contract[second]),
        "referral_date": second_referral[second], "start_date": second_start[second],
    })
    referrals = pl.concat([first_rows, second_rows]).with_columns(
        pl.col("referral_date").cast(pl.Date), pl.col("start_date").cast(pl.Date)
    )

    full_trajectory = np.concatenate([trajectory, np.full(n_q, -1)])
    start_full = np.concatenate([start_week, np.full(n_q, NEVER)])
    jobs = _jobs(config, rng, n_p, trajectory, start_week, exit_week, return_week, kind, switch,
                 started)

    styles = {
        f"style_{source}": draw_styles(rng, day, config.hyphen_share, config.nine_digit_share)
        for source in ("referrals", "benefits", "income")
    }
    slots = max(correction_slots(config.benefit_correction_share), 1)
    correction_slot = rng.integers(0, slots, n)
    persons = persons.with_columns(
        **{k: pl.Series(v) for k, v in styles.items()},
        in_benefit_register=pl.Series(in_register),
    )
    return Population(
        config=config, persons=persons, n_participants=n_p, start_week=start_full,
        entry_week=entry, exit_week=exit_week, return_week=return_week, prior_code=prior,
        baseline_code=baseline, post_code=post_code, trajectory=full_trajectory,
        correction_slot=correction_slot, referrals=referrals, jobs=jobs,
    )


def _jobs(config, rng, n_p, trajectory, start_week, exit_week, return_week, kind, switch,
          started) -> pl.DataFrame:
    """Employment spells (inclusive day ranges) with their monthly hours."""
    first = to_day64(config.first_week)
    open_end = to_day64(config.horizon_end + timedelta(days=400))
    spells = []

    def monday(week):
        return first + (np.asarray(week) * 7).astype("timedelta64[D]")

    def add(person, begin, end, low, high, fixed):
        count = len(person)
        spells.append(pl.DataFrame({
            "person": person.astype(np.int64), "first_day": begin, "last_day": end,
            "low": np.broadcast_to(low, count).astype(np.int64),
            "high": np.broadcast_to(high, count).astype(np.int64),
            "fixed": np.broadcast_to(fixed, count),
        }))

    p = np.arange(n_p)
    salaried = rng.random(n_p) < 0.4
    # from the exit week: full time (some salaried at 160.33 h), fleksjob and partial hours
    for label, low, high in ((WORK, 12000, 16500), (RELAPSE, 12000, 16500),
                             (FLEKSJOB, 5000, 9000), (PARTIAL, 3000, 8000)):
        sel = trajectory == label
        end = monday(return_week[:n_p][sel]) - np.timedelta64(1, "D")
        end = np.where(trajectory[sel] == RELAPSE, end, open_end)
        add(p[sel], monday(exit_week[:n_p][sel]), end, low, high,
            salaried[sel] & (label in (WORK, RELAPSE)))
    # short, small jobs during the pre-period (benefit continues)
    odd = started & (rng.random(n_p) < 0.10)
    begin = monday(start_week - rng.integers(8, 61, n_p))
    add(p[odd], begin[odd], (begin + rng.integers(20, 90, n_p).astype("timedelta64[D]"))[odd],
        1000, 6000, False)
    # non-participants in work
    q = np.arange(n_p, n_p + len(kind))
    horizon_start = np.full(len(kind), first)
    open_ends = np.full(len(kind), open_end)
    before_switch = monday(switch) - np.timedelta64(1, "D")
    for k, begin, end in ((SELF_SUPPORTING, horizon_start, open_ends),
                          (BENEFIT_TO_WORK, monday(switch), open_ends),
                          (WORK_TO_BENEFIT, horizon_start, before_switch)):
        sel = (kind == k) & (end > begin)
        add(q[sel], begin[sel], end[sel], 12000, 16500, rng.random(sel.sum()) < 0.5)

    jobs = pl.concat(spells)
    # a second, small job next to a full-time one: two employers report the same months
    side = jobs.filter((pl.col("low") >= 12000) & pl.Series(rng.random(jobs.height) < SIDE_JOBS))
    jobs = pl.concat([jobs, side.with_columns(low=pl.lit(500, pl.Int64),
                                              high=pl.lit(4000, pl.Int64), fixed=pl.lit(False))])
    jobs = jobs.with_columns(
        pl.col("first_day").cast(pl.Date).clip(config.first_week),
        pl.col("last_day").cast(pl.Date),
    ).filter(pl.col("last_day") >= pl.col("first_day"))
    count = jobs.height
    return jobs.with_columns(
        crossing=pl.Series(rng.random(count) < config.crossing_period_share),
        employer=pl.Series(rng.integers(100_000, 1_000_000, count)),
        wage=pl.Series(rng.integers(150, 261, count)),
    )
