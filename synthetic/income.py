"""The income register: employers' monthly report lines, corrections and other income types.

Every employment spell becomes one line per pay period — calendar months, or the 16th to the
15th for a share of the spells (lines crossing a month end) — with the hours of the period
prorated where the spell begins or ends inside it. Amounts and hours are exact integer cents.
A share of the wage lines is corrected in a later month by `R` lines: a full reversal plus a
corrected line, or a partial reduction. Each line carries the month it is reported in, so an
income file for month M holds exactly the lines reported in M or earlier.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import polars as pl

from synthetic.population import Population
from synthetic.weeks import add_months, month_end, month_index, month_starts

SALARIED_HOURS = 16033  # 160.33 hours a month, in cents
OTHER_INCOME_SHARE = 0.10  # persons with income type 01 lines


def _ramp(counts: np.ndarray) -> np.ndarray:
    starts = np.repeat(np.cumsum(counts) - counts, counts)
    return np.arange(int(counts.sum()), dtype=np.int64) - starts


def income_lines(population: Population, through: date, rng: np.random.Generator
                 ) -> tuple[pl.DataFrame, pl.DataFrame]:
    """All report lines up to the month `through` (first day), and the corrections' truth.

    Columns: person, se_nr, period_start, period_end, income_type, a_income and hours (integer
    cents), correction (`R` or null), reported (first day of the month reported).
    """
    config = population.config
    base = add_months(config.first_week.replace(day=1), -1)
    last_day = month_end(through)
    jobs = population.jobs.filter(pl.col("first_day") <= last_day).with_columns(
        pl.col("last_day").clip(upper_bound=last_day)
    )
    wages = _periods(jobs, base, rng)
    wages = pl.concat([wages, _other_income(population, base, last_day, rng)])
    corrections, truth = _corrections(wages, base, config.income_correction_share, rng)
    lines = pl.concat([wages, corrections])
    lines = lines.filter(pl.col("reported") <= through)
    truth = truth.filter(pl.col("reported") <= through)
    # file order: month reported, se_nr, person, then as generated (periods in order, corrections
    # last); one integer key, as employer numbers (< 10⁶) are written with eight digits
    key = ((pl.col("reported").dt.year().cast(pl.Int64) * 12 + pl.col("reported").dt.month())
           * 1_000_000 + pl.col("employer")) * 10_000_000 + pl.col("person")
    lines = lines.sort(key, maintain_order=True).with_columns(
        se_nr=pl.col("employer").cast(pl.String).str.zfill(8),
    )
    truth = truth.with_columns(se_nr=pl.col("employer").cast(pl.String).str.zfill(8))
    return lines.drop("employer", "wage"), truth.drop("employer")


def _periods(jobs: pl.DataFrame, base: date, rng: np.random.Generator) -> pl.DataFrame:
    offset = np.where(jobs["crossing"].to_numpy(), 15, 0).astype("timedelta64[D]")
    first = jobs["first_day"].to_numpy().astype("datetime64[D]")
    last = jobs["last_day"].to_numpy().astype("datetime64[D]")
    k_first = month_index(base, first - offset)
    k_last = month_index(base, last - offset)
    counts = k_last - k_first + 1
    job = np.repeat(np.arange(jobs.height), counts)
    k = np.repeat(k_first, counts) + _ramp(counts)
    anchor = month_starts(base, k) + offset[job]
    next_anchor = month_starts(base, k + 1) + offset[job]
    start = np.maximum(anchor, first[job])
    end = np.minimum(next_anchor - np.timedelta64(1, "D"), last[job])
    days = (end - start).astype(np.int64) + 1
    full = (next_anchor - anchor).astype(np.int64)

    low, high = jobs["low"].to_numpy()[job], jobs["high"].to_numpy()[job]
    level = low + (rng.random(job.size) * (high - low + 1)).astype(np.int64)
    level = np.where(jobs["fixed"].to_numpy()[job], SALARIED_HOURS, level)
    hours = (2 * level * days + full) // (2 * full)  # prorated, rounded half up (positive)
    wage = jobs["wage"].to_numpy()[job]
    return pl.DataFrame({
        "person": jobs["person"].to_numpy()[job],
        "employer": jobs["employer"].to_numpy()[job],
        "period_start": start, "period_end": end,
        "a_income": hours * wage, "hours": hours,
        "reported": month_starts(base, month_index(base, end)),
        "wage": wage,
    }).with_columns(income_type=pl.lit("00")).pipe(_typed)


def _other_income(population: Population, base: date, last_day: date,
                  rng: np.random.Generator) -> pl.DataFrame:
    """Income type 01 lines (not employment, however many hours they carry)."""
    n = population.persons.height
    person = np.flatnonzero(rng.random(n) < OTHER_INCOME_SHARE)
    horizon = max(month_index(base, np.array([np.datetime64(last_day, "D")]))[0], 2)
    first = rng.integers(1, horizon + 1, person.size)
    counts = np.minimum(rng.integers(3, 25, person.size), horizon - first + 1)
    owner = np.repeat(person, counts)
    k = np.repeat(first, counts) + _ramp(counts)
    start = month_starts(base, k)
    end = month_starts(base, k + 1) - np.timedelta64(1, "D")
    hours = np.where(rng.random(owner.size) < 0.7, 0, rng.integers(500, 4001, owner.size))
    return pl.DataFrame({
        "person": owner.astype(np.int64),
        "employer": np.repeat(rng.integers(100_000, 1_000_000, person.size), counts),
        "period_start": start, "period_end": end,
        "a_income": rng.integers(500, 8001, owner.size) * 100, "hours": hours,
        "reported": start,
        "wage": np.zeros(owner.size, dtype=np.int64),
    }).with_columns(income_type=pl.lit("01")).pipe(_typed).filter(
        pl.col("period_start") >= population.config.first_week
    )


COLUMNS = ("person", "employer", "period_start", "period_end", "income_type", "a_income",
           "hours", "correction", "reported", "wage")


def _typed(frame: pl.DataFrame) -> pl.DataFrame:
    return frame.with_columns(
        pl.col("period_start", "period_end", "reported").cast(pl.Date),
        pl.col("person", "employer", "a_income", "hours", "wage").cast(pl.Int64),
        correction=pl.lit(None, dtype=pl.String),
    ).select(COLUMNS)


def _corrections(wages: pl.DataFrame, base: date, share: float, rng: np.random.Generator
                 ) -> tuple[pl.DataFrame, pl.DataFrame]:
    """R lines for a share of the wage lines, reported one to three months later."""
    chosen = wages.filter(
        (pl.col("income_type") == "00")
        & pl.Series(rng.random(wages.height) < share)
        & (pl.col("hours") > 1)
    )
    n = chosen.height
    hours, wage = chosen["hours"].to_numpy(), chosen["wage"].to_numpy()
    reported = chosen["reported"].to_numpy().astype("datetime64[D]")
    later = month_starts(base, month_index(base, reported) + rng.integers(1, 4, n))
    reversal = rng.random(n) < 0.5
    # reversal: −original and +corrected line; partial: −part of the hours
    corrected = (hours * (0.5 + 0.7 * rng.random(n))).astype(np.int64)
    part = np.maximum((hours * (0.1 + 0.5 * rng.random(n))).astype(np.int64), 1)
    negative = np.where(reversal, hours, part)
    common = chosen.select("person", "employer", "period_start", "period_end", "income_type",
                           "wage").with_columns(reported=pl.Series(later).cast(pl.Date))
    minus = common.with_columns(a_income=pl.Series(-negative * wage),
                                hours=pl.Series(-negative))
    plus = common.with_columns(a_income=pl.Series(corrected * wage),
                               hours=pl.Series(corrected)).filter(pl.Series(reversal))
    lines = pl.concat([minus, plus]).pipe(_typed).with_columns(correction=pl.lit("R"))
    truth = common.with_columns(
        kind=pl.Series(np.where(reversal, "reversal", "partial")),
        original_hours=pl.Series(hours),
        net_hours=pl.Series(np.where(reversal, corrected, hours - part)),
    ).drop("wage")
    return lines, truth
