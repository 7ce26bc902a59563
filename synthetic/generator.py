"""Generate a landing folder of synthetic extracts: referrals, benefit and income registers.

Every file depends only on the configuration and its own as-of date, so generating vintages
one by one, or all at once, writes the same bytes under the same names.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import polars as pl

from synthetic.benefits import (
    correction_truth, delivered_codes, final_codes, vintage_correction,
)
from synthetic.config import PRE_PERIOD_WEEKS, SyntheticConfig
from synthetic.cpr import written_expr
from synthetic.income import income_lines
from synthetic.manifest import SyntheticManifest
from synthetic.population import NOT_STARTED, TRAJECTORIES, simulate
from synthetic.weeks import (
    add_months, benefit_file_name, coverage_month, coverage_week, income_file_name, month_end,
    referral_file_name,
)
from synthetic.writers import benefit_frame, cents_to_money, write_frame

JOBCENTERS = ("Jobcenter Brøndby", "Jobcenter Aalborg", "Jobcenter Høje-Taastrup",
              "Jobcenter Århus", "Jobcenter Næstved")
FORMATS = ("csv", "parquet")


def generate_extracts(landing: Path, config: SyntheticConfig, *,
                      vintages: Sequence[date] | None = None,
                      formats: str = "csv") -> SyntheticManifest:
    """Write the extracts of `config` for each as-of date in `vintages` under `landing`.

    Per vintage D: `referrals/referrals_<D>.csv` (referred on or before D; start dates after D
    empty), `benefits/dream_<YYYY>W<WW>.csv` (first_week … the last ISO week ended by D) and
    `income/eindkomst_<YYYY-MM>.csv` (the last month ended by D: every line reported by then,
    corrections included). Vintages sharing a benefit week or income month share that file.
    Default: one vintage, the last day of the simulated horizon. `formats`: `csv` or `parquet`.
    Existing files of the same name are overwritten.
    """
    if formats not in FORMATS:
        raise ValueError(f"formats must be one of {FORMATS}, not {formats!r}")
    landing = Path(landing)
    as_of = sorted(set(vintages)) if vintages else [config.horizon_end]
    ends, months = _coverage(config, as_of)

    seeds = np.random.SeedSequence(config.seed).spawn(3)
    population = simulate(config, np.random.default_rng(seeds[0]))
    codes = final_codes(population, np.random.default_rng(seeds[1]))
    persons = population.persons.with_row_index("person")

    forms: set[str] = set()
    referral_files = tuple(_write_referrals(landing, config, population, persons, d, formats,
                                            forms) for d in as_of)
    benefit_files, benefit_truth = _write_benefits(landing, config, population, codes, persons,
                                                   sorted(set(ends.values())), formats, forms)
    income_files, income_truth = _write_income(landing, config, population, persons,
                                               sorted(set(months.values())), formats, forms,
                                               np.random.default_rng(seeds[2]))

    truth = _participant_truth(config, population, persons, as_of[-1])
    started = truth["start_date"].drop_nulls()
    return SyntheticManifest(
        landing=landing, config=config, vintages=tuple(as_of),
        referral_files=referral_files, benefit_files=benefit_files, income_files=income_files,
        cprs=frozenset(persons["cpr"].to_list()),
        cpr_forms=frozenset(forms),
        participants=truth, benefit_corrections=benefit_truth,
        income_corrections=income_truth,
        start_window=(started.min(), started.max()) if len(started) else (None, None),
    )


def _coverage(config: SyntheticConfig, as_of: list[date]) -> tuple[dict, dict]:
    """Benefit coverage end (week index) and income month of each vintage, validated."""
    ends, months = {}, {}
    first_month = config.first_week.replace(day=1)
    for d in as_of:
        week = (coverage_week(d) - config.first_week).days // 7
        if not 0 <= week < config.weeks:
            raise ValueError(
                f"vintage {d}: its benefit week {coverage_week(d)} lies outside the simulated "
                f"weeks {config.first_week} … {config.last_week}"
            )
        month = coverage_month(d)
        if month < first_month:
            raise ValueError(f"vintage {d}: no whole month of income ends by then")
        ends[d], months[d] = week, month
    return ends, months


def _write_benefits(landing: Path, config: SyntheticConfig, population, codes: np.ndarray,
                    persons: pl.DataFrame, ends: list[int], fmt: str, forms: set[str]
                    ) -> tuple[tuple[Path, ...], pl.DataFrame]:
    """One DREAM file per coverage end: rows in CPR order, each vintage's own corrections."""
    def monday(week: int) -> date:
        return config.first_week + timedelta(weeks=int(week))

    register = persons.filter(pl.col("in_benefit_register")).sort("cpr")
    order = register["person"].to_numpy()
    pnr = register.select(written_expr("cpr", "style_benefits")).to_series()
    forms.update(pnr.to_list())
    corrections, files = {}, []
    for end in ends:
        corrections[end] = vintage_correction(population, codes, end, config.seed)
        delivered = delivered_codes(codes, end, corrections[end])
        frame = benefit_frame(pnr, delivered[order], config.first_week,
                              pl.Int32 if fmt == "parquet" else pl.Int16)
        path = landing / "benefits" / benefit_file_name(monday(end), fmt)
        files.append(write_frame(path, frame, line_end=config.benefit_line_end))
    return tuple(files), correction_truth(population, codes, corrections, monday)


def _write_income(landing: Path, config: SyntheticConfig, population, persons: pl.DataFrame,
                  months: list[date], fmt: str, forms: set[str], rng: np.random.Generator
                  ) -> tuple[tuple[Path, ...], pl.DataFrame]:
    """One eIndkomst file per month: every line reported by then, with a `#records` trailer.

    Lines are simulated up to a month fixed by the configuration (not by the vintages), so a
    month's file is the same whichever other vintages are generated.
    """
    through = add_months(coverage_month(config.horizon_end + timedelta(days=6)), 1)
    lines, truth = income_lines(population, through, rng)
    lines = lines.join(persons.select("person", "cpr", "style_income"), on="person",
                       how="left", maintain_order="left").select(
        written_expr("cpr", "style_income").alias("cpr"), "se_nr", "period_start", "period_end",
        "income_type", cents_to_money("a_income"), cents_to_money("hours"), "correction",
        "reported",
    )
    files = []
    for month in months:
        frame = lines.filter(
            (pl.col("reported") <= month) & (pl.col("period_end") <= month_end(month))
        ).drop("reported")
        forms.update(frame["cpr"].unique().to_list())
        path = landing / "income" / income_file_name(month, fmt)
        files.append(write_frame(path, frame, line_end=config.income_line_end, trailer=True))
    truth = truth.join(persons.select("person", "cpr"), on="person", maintain_order="left")
    return tuple(files), truth.select(
        "cpr", "se_nr", "period_start", "period_end", "income_type", "kind",
        pl.col("reported").alias("reported_in"), cents_to_money("original_hours"),
        cents_to_money("net_hours"),
    ).filter(pl.col("reported_in") <= months[-1])


def _write_referrals(landing: Path, config: SyntheticConfig, population, persons: pl.DataFrame,
                     as_of: date, fmt: str, forms: set[str]) -> Path:
    rows = population.referrals.filter(pl.col("referral_date") <= as_of).join(
        persons.select("person", "cpr", "style_referrals"), on="person", maintain_order="left"
    )
    jobcenter = {c: JOBCENTERS[i % len(JOBCENTERS)] for i, c in enumerate(config.contract_ids)}
    rows = rows.sort("referral_date", "contract_id", "cpr").select(
        "contract_id",
        written_expr("cpr", "style_referrals").alias("cpr"),
        "referral_date",
        pl.when(pl.col("start_date") <= as_of).then(pl.col("start_date")).alias("start_date"),
        *([pl.col("contract_id").replace_strict(jobcenter).alias("jobcenter")]
          if config.referral_extra_columns else []),
    )
    forms.update(rows["cpr"].to_list())
    path = landing / "referrals" / referral_file_name(as_of, fmt)
    encoding = "cp1252" if config.referrals_cp1252 else "utf-8"
    return write_frame(path, rows, line_end=config.referral_line_end, encoding=encoding)


def _participant_truth(config, population, persons: pl.DataFrame, last: date) -> pl.DataFrame:
    """One row per referral of the last referral file, start_date as written there."""
    p = population.n_participants
    first = config.first_week
    labels = pl.Series(TRAJECTORIES + (NOT_STARTED,))

    person_truth = pl.DataFrame({"person": np.arange(p, dtype=np.uint32)}).with_columns(
        trajectory=labels.gather(population.trajectory[:p]),
        exit_week=_dates(first, population.exit_week[:p], config.weeks),
        return_week=_dates(first, population.return_week[:p], config.weeks),
        baseline_code=pl.Series(population.baseline_code[:p]),
    )
    referrals = population.referrals.filter(pl.col("referral_date") <= last).with_columns(
        pl.col("person").cast(pl.UInt32),
        pl.when(pl.col("start_date") <= last).then(pl.col("start_date")).alias("start_date"),
    )
    return referrals.join(
        person_truth, on="person", maintain_order="left"
    ).join(
        persons.select("person", "cpr", "in_benefit_register"), on="person", maintain_order="left"
    ).with_columns(
        start_week=pl.col("start_date").dt.truncate("1w"),
    ).with_columns(
        pre_period_covered=pl.col("start_week")
        >= pl.lit(first + timedelta(weeks=PRE_PERIOD_WEEKS)),
    ).select(
        "contract_id", "cpr", "referral_date", "start_date", "trajectory", "start_week",
        "exit_week", "return_week", "baseline_code", "in_benefit_register", "pre_period_covered",
    )


def _dates(first: date, weeks: np.ndarray, horizon: int) -> pl.Series:
    """Mondays of week indices; null for events beyond the horizon."""
    dates = np.datetime64(first.isoformat(), "D") + (weeks * 7).astype("timedelta64[D]")
    dates[weeks >= horizon] = np.datetime64("NaT")
    return pl.Series(dates).cast(pl.Date)
