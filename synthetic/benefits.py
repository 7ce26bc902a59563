"""The benefit register: one code per person and ISO week, and the corrections between vintages.

`final_codes` is the register as it finally stands (0 = no benefit that week). Every delivered
vintage differs from it in a few recent weeks of a few participants — a week delivered as
benefit that was really self-supporting, or the reverse — and any later vintage delivers the
final value there: that is the correction a later run must pick up. What a vintage delivers
depends on its own coverage end only, so generating more vintages never changes a file.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl

from synthetic.population import CORRECTION_WINDOW, Population, correction_slots

NOISE_SHARE = 0.015  # weeks toggled at random outside the participants' follow-up
#: Codes whose group is self-supporting by default (none, education, leave in the reference).
SELF_SUPPORTING = np.array([0, 121, 651, 652, 661, 881], dtype=np.int16)


def final_codes(population: Population, rng: np.random.Generator) -> np.ndarray:
    """Codes of every person (rows) and simulated week (columns), int16, column-major."""
    pop = population
    weeks = np.arange(pop.config.weeks, dtype=np.int64)[None, :]
    codes = np.where(weeks < pop.entry_week[:, None], pop.prior_code[:, None],
                     pop.baseline_code[:, None])
    codes = np.where(weeks >= pop.exit_week[:, None], pop.post_code[:, None], codes)
    codes = np.where(weeks >= pop.return_week[:, None], pop.baseline_code[:, None], codes)
    codes = np.asfortranarray(codes.astype(np.int16, copy=False))

    # noise: single weeks of work or benefit, before the start and among non-participants only,
    # so a participant's follow-up follows their trajectory exactly
    n, w = codes.shape
    count = rng.binomial(n * w, NOISE_SHARE)
    row, col = rng.integers(0, n, count), rng.integers(0, w, count)
    keep = (row >= pop.n_participants) | (col < pop.start_week[row])
    row, col = row[keep], col[keep]
    codes[row, col] = np.where(codes[row, col] != 0, 0, pop.baseline_code[row])
    return codes


@dataclass(frozen=True)
class Correction:
    """Cells of one delivered vintage that differ from the final register."""

    rows: np.ndarray
    cols: np.ndarray
    delivered: np.ndarray  # int16, 0 = empty


def vintage_correction(population: Population, codes: np.ndarray, end: int, seed: int
                       ) -> Correction | None:
    """The cells that the vintage with coverage end `end` delivers differently from the final
    register; they depend on `end` alone (not on which other vintages exist).

    The participants of slot `end mod slots` (those started by `end`) each get one run of one
    to three weeks within the last 13 weeks of the vintage: half of them, where they have such
    a week, a self-supporting week (no benefit, education, leave) delivered as their baseline
    benefit, the others a benefit week delivered empty. A later vintage delivers the final
    value: no cell is corrected in two vintages.
    """
    pop = population
    slots = correction_slots(pop.config.benefit_correction_share)
    if slots == 0:
        return None
    p = pop.n_participants
    chosen = np.flatnonzero(
        (pop.correction_slot[:p] == end % slots)
        & pop.persons["in_benefit_register"].to_numpy()[:p]
        & (pop.start_week[:p] <= end)
    )
    if chosen.size == 0:
        return None
    rng = np.random.default_rng([seed, 0xC0DE, end])
    window = np.arange(CORRECTION_WINDOW + 1)[None, :] + (end - CORRECTION_WINDOW)
    allowed = (window >= 0) & (window >= pop.start_week[chosen][:, None])
    cols = np.clip(window, 0, None)
    wants_self_supporting = rng.random(chosen.size) < 0.5
    self_supporting = np.isin(codes[chosen[:, None], cols], SELF_SUPPORTING)
    matches = allowed & (self_supporting == wants_self_supporting[:, None])
    score = rng.random(allowed.shape) + np.where(matches, 2.0, 0.0) + np.where(allowed, 1.0, -9)
    week = cols[0, np.argmax(score, axis=1)]
    length = rng.integers(1, 4, chosen.size)
    rows = np.repeat(chosen, length)
    cols = np.repeat(week, length) + _ramp(length)
    inside = cols <= end
    rows, cols = rows[inside], cols[inside]
    delivered = np.where(np.isin(codes[rows, cols], SELF_SUPPORTING), pop.baseline_code[rows],
                         0).astype(np.int16)
    return Correction(rows=rows, cols=cols, delivered=delivered)


def _ramp(length: np.ndarray) -> np.ndarray:
    """0, 1, …, length−1 for every entry of `length`, concatenated."""
    starts = np.repeat(np.cumsum(length) - length, length)
    return np.arange(int(length.sum()), dtype=np.int64) - starts


def delivered_codes(codes: np.ndarray, end: int, correction: Correction | None) -> np.ndarray:
    """The columns `0 … end` as the vintage with that coverage end delivers them."""
    view = codes[:, : end + 1]
    if correction is None:
        return view
    delivered = np.array(view, order="F")
    delivered[correction.rows, correction.cols] = correction.delivered
    return delivered


def correction_truth(population: Population, codes: np.ndarray,
                     corrections: dict[int, Correction | None], week_monday) -> pl.DataFrame:
    """One row per corrected cell: the week, what was delivered and what the final value is."""
    frames = []
    cpr = population.persons["cpr"]
    for end, c in sorted(corrections.items()):
        if c is None:
            continue
        frames.append(pl.DataFrame({
            "coverage_end": [week_monday(end)] * len(c.rows),
            "cpr": cpr.gather(c.rows),
            "week_start": [week_monday(int(col)) for col in c.cols],
            "delivered_code": pl.Series(c.delivered).replace(0, None),
            "final_code": pl.Series(codes[c.rows, c.cols]).replace(0, None),
        }))
    schema = {"coverage_end": pl.Date, "cpr": pl.String, "week_start": pl.Date,
              "delivered_code": pl.Int16, "final_code": pl.Int16}
    if not frames:
        return pl.DataFrame(schema=schema)
    return pl.concat(frames).cast(schema)
