"""The generated landing folder: names, headers, forms, truth, corrections, determinism."""

from __future__ import annotations

import hashlib
import re
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import polars as pl
import pyarrow.parquet as pq
import pytest

from synthetic import (
    SyntheticConfig, generate_extracts, is_valid_cpr, iso_week_label, normalise_cpr,
)
from tests.synthetic.conftest import DEMO
from tests.synthetic.reading import NUMBER, read_csv

SMALL = SyntheticConfig(seed=7, participants=60, weeks=120)


def digests(landing: Path) -> dict[str, str]:
    return {str(p.relative_to(landing)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(landing.rglob("*")) if p.is_file()}


def monday_of(label: str) -> date:
    yy, ww = int(label[2:4]), int(label[4:6])
    return date.fromisocalendar(2000 + yy if yy < 90 else 1900 + yy, ww, 1)


# -- determinism --------------------------------------------------------------------------------

def test_same_config_gives_byte_identical_files(tmp_path):
    vintages = SMALL.demo_vintages(3)
    first = generate_extracts(tmp_path / "a", SMALL, vintages=vintages)
    generate_extracts(tmp_path / "b", SMALL, vintages=vintages)
    assert digests(tmp_path / "a") == digests(tmp_path / "b")
    assert len(first.files) == 9


def test_a_vintage_file_does_not_depend_on_the_other_vintages(tmp_path):
    vintages = SMALL.demo_vintages(3)
    generate_extracts(tmp_path / "all", SMALL, vintages=vintages)
    for v in vintages:  # delivered one month at a time, as the demo may do
        generate_extracts(tmp_path / "one", SMALL, vintages=[v])
    assert digests(tmp_path / "all") == digests(tmp_path / "one")


def test_another_seed_gives_other_files(tmp_path):
    generate_extracts(tmp_path / "a", SMALL)
    generate_extracts(tmp_path / "b", SyntheticConfig(seed=8, participants=60, weeks=120))
    assert set(digests(tmp_path / "a").values()).isdisjoint(digests(tmp_path / "b").values())


def test_parquet_is_deterministic_and_typed(tmp_path):
    generate_extracts(tmp_path / "a", SMALL, formats="parquet")
    manifest = generate_extracts(tmp_path / "b", SMALL, formats="parquet")
    assert digests(tmp_path / "a") == digests(tmp_path / "b")
    referrals, benefits, income = (pq.read_schema(f) for f in manifest.files)
    assert str(referrals.field("cpr").type) == "string"
    assert str(referrals.field("start_date").type) == "date32[day]"
    assert str(benefits.field("pnr").type) == "string"
    assert {str(t) for t in benefits.types[1:]} == {"int32"}
    assert str(income.field("a_income").type) == "decimal128(18, 2)"
    assert str(income.field("hours").type) == "decimal128(18, 2)"
    assert str(income.field("period_end").type) == "date32[day]"
    assert str(income.field("correction").type) == "string"
    assert [f.name for f in manifest.files] == [
        f"referrals_{SMALL.horizon_end}.parquet",
        f"dream_{SMALL.last_week.isocalendar()[0]}W{SMALL.last_week.isocalendar()[1]:02d}.parquet",
        "eindkomst_2024-03.parquet",
    ]


def test_parquet_holds_the_same_values_as_csv(tmp_path):
    csv = generate_extracts(tmp_path / "csv", SMALL)
    parquet = generate_extracts(tmp_path / "pq", SMALL, formats="parquet")
    text = read_csv(csv.income_files[0])
    table = pl.read_parquet(parquet.income_files[0])
    assert table.height == len(text.rows)
    hours = [str(h).replace(".", ",") for h in table["hours"].to_list()]
    assert hours == text.column("hours")
    bene_text = read_csv(csv.benefit_files[0])
    bene = pl.read_parquet(parquet.benefit_files[0])
    assert bene.columns == bene_text.header
    assert [("" if v is None else str(v)) for v in bene.row(3)[1:]] == bene_text.rows[3][1:]


# -- names, headers, line ends, trailers --------------------------------------------------------

def test_vintages_name_the_files(demo):
    assert [v.isoformat() for v in demo.vintages] == [
        "2024-09-30", "2024-10-31", "2024-11-30", "2024-12-31"]
    assert [f.name for f in demo.referral_files] == [
        f"referrals_{v}.csv" for v in demo.vintages]
    assert [f.name for f in demo.benefit_files] == [
        "dream_2024W39.csv", "dream_2024W43.csv", "dream_2024W47.csv", "dream_2024W52.csv"]
    assert [f.name for f in demo.income_files] == [
        "eindkomst_2024-09.csv", "eindkomst_2024-10.csv", "eindkomst_2024-11.csv",
        "eindkomst_2024-12.csv"]
    for path in demo.files:
        assert path.parent.name == {"referrals": "referrals", "dream": "benefits",
                                    "eindkomst": "income"}[path.name.split("_")[0]]
        assert path.parent.parent == demo.landing


def test_benefit_headers_are_consecutive_weeks_ending_with_the_file_week(demo):
    for path in demo.benefit_files:
        extract = read_csv(path)
        assert extract.line_end == "\r\n"
        assert extract.trailer is None
        assert extract.header[0] == "pnr"
        mondays = [monday_of(c) for c in extract.header[1:]]
        assert all(re.fullmatch(r"y_\d{4}", c) for c in extract.header[1:])
        assert mondays[0] == DEMO.first_week
        assert all(b - a == timedelta(weeks=1) for a, b in zip(mondays, mondays[1:], strict=False))
        year, week = re.fullmatch(r"dream_(\d{4})W(\d{2})\.csv", path.name).groups()
        named = date.fromisocalendar(int(year), int(week), 1)
        assert extract.header[-1] == f"y_{iso_week_label(named)}"


def test_benefit_codes_are_integers_from_the_reference_table(demo):
    reference = Path(__file__).parents[2] / "dbt_project" / "seeds" / "benefit_codes.csv"
    known = {line.split(",")[0] for line in reference.read_text().splitlines()[1:]}
    extract = read_csv(demo.benefit_files[-1])
    codes = {v for row in extract.rows for v in row[1:] if v != ""}
    assert all(c.isdigit() for c in codes)
    assert {"701", "111", "890", "771", "651", "881"} <= codes <= known


def test_income_files_have_a_true_trailer_and_valid_numbers(demo):
    for path in demo.income_files:
        extract = read_csv(path)
        assert extract.header == ["cpr", "se_nr", "period_start", "period_end", "income_type",
                                  "a_income", "hours", "correction"]
        assert extract.trailer == len(extract.rows) > 0
        month = re.fullmatch(r"eindkomst_(\d{4})-(\d{2})\.csv", path.name).groups()
        first_of_next = date(int(month[0]) + int(month[1]) // 12, int(month[1]) % 12 + 1, 1)
        for line in extract.records():
            assert re.fullmatch(r"\d{8}", line["se_nr"])
            assert line["income_type"] in {"00", "01"}
            assert line["correction"] in {"", "R"}
            assert NUMBER.fullmatch(line["a_income"]) and NUMBER.fullmatch(line["hours"])
            if line["correction"] == "":
                assert not line["a_income"].startswith("-")
                assert not line["hours"].startswith("-")
            start = date.fromisoformat(line["period_start"])
            end = date.fromisoformat(line["period_end"])
            assert start <= end < first_of_next


def test_referral_files_are_valid_and_grow(demo):
    previous: dict[tuple[str, str], dict] = {}
    for path, as_of in zip(demo.referral_files, demo.vintages, strict=True):
        extract = read_csv(path)
        assert extract.line_end == "\r\n"
        assert extract.header[:4] == ["contract_id", "cpr", "referral_date", "start_date"]
        rows = {(r["contract_id"], normalise_cpr(r["cpr"])): r for r in extract.records()}
        assert len(rows) == len(extract.rows), "(contract_id, cpr) is unique"
        assert {c for c, _ in rows} <= set(DEMO.contract_ids)
        for row in rows.values():
            referral = date.fromisoformat(row["referral_date"])
            assert referral <= as_of
            if row["start_date"]:
                assert referral <= date.fromisoformat(row["start_date"]) <= as_of
        assert set(previous) <= set(rows)
        started_before = {k for k, r in previous.items() if r["start_date"]}
        assert all(rows[k]["start_date"] == previous[k]["start_date"] for k in started_before)
        if previous:
            assert len(rows) > len(previous) or any(
                rows[k]["start_date"] and not previous[k]["start_date"] for k in previous)
        previous = rows
    jobcenters = set(read_csv(demo.referral_files[0]).column("jobcenter"))
    assert "Jobcenter Brøndby" in jobcenters


def test_some_persons_take_part_in_two_contracts(demo):
    counts = demo.participants.group_by("cpr").len()
    assert counts["len"].max() == 2


# -- CPR numbers --------------------------------------------------------------------------------

def test_cprs_are_valid_in_all_forms_and_all_listed(demo):
    seen: set[str] = set()
    forms: set[str] = set()
    for path in demo.files:
        extract = read_csv(path)
        column = "pnr" if "pnr" in extract.header else "cpr"
        values = extract.column(column)
        assert all(is_valid_cpr(v) for v in values)
        forms.update(values)
        seen.update(normalise_cpr(v) for v in values)
    assert seen <= demo.cprs
    assert forms == demo.cpr_forms
    assert any(len(v) == 9 for v in forms), "some nine-digit numbers (leading zero lost)"
    assert any(len(v) == 11 and v[6] == "-" for v in forms), "some DDMMYY-SSSS numbers"
    assert any(len(v) == 10 for v in forms)


def test_pnr_is_unique_and_non_participants_are_present(demo):
    extract = read_csv(demo.benefit_files[-1])
    pnr = [normalise_cpr(v) for v in extract.column("pnr")]
    assert len(set(pnr)) == len(pnr)
    referred = set(demo.participants["cpr"])
    assert len(set(pnr) - referred) == DEMO.non_participant_count
    missing = demo.participants.filter(~pl.col("in_benefit_register"))["cpr"]
    assert set(missing).isdisjoint(pnr)


# -- truth and corrections --------------------------------------------------------------------

def benefit_table(path: Path) -> dict[str, dict[date, str]]:
    extract = read_csv(path)
    weeks = [monday_of(c) for c in extract.header[1:]]
    return {normalise_cpr(row[0]): dict(zip(weeks, row[1:], strict=True)) for row in extract.rows}


def test_a_later_vintage_corrects_weeks_an_earlier_one_delivered(demo):
    corrections = demo.benefit_corrections
    tables = [benefit_table(p) for p in demo.benefit_files]
    ends = [max(next(iter(t.values()))) for t in tables]
    corrected = 0
    for i, end in enumerate(ends[:-1]):
        cells = corrections.filter(pl.col("coverage_end") == end)
        assert cells.height > 0
        for cpr, week, delivered, final in cells.select(
                "cpr", "week_start", "delivered_code", "final_code").iter_rows():
            show = lambda code: "" if code is None else str(code)  # noqa: E731
            assert tables[i][cpr][week] == show(delivered)
            assert tables[i + 1][cpr][week] == show(final)
            assert delivered != final
            corrected += 1
    kinds = set(corrections.select(pl.col("delivered_code").is_null()).to_series())
    assert kinds == {True, False}, "benefit → none and self-supporting → benefit both occur"
    assert corrected > 5


def test_trajectories_show_in_the_registers(demo):
    table = benefit_table(demo.benefit_files[-1])
    last = max(next(iter(table.values())))
    corrected = {(c, w) for c, w in demo.benefit_corrections.filter(
        pl.col("coverage_end") == last).select("cpr", "week_start").iter_rows()}
    hours = monthly_hours(demo.income_files[-1])
    truth = demo.participants.filter(pl.col("in_benefit_register")).unique("cpr", keep="first")
    checked = set()
    for row in truth.iter_rows(named=True):
        cpr, exit_week = row["cpr"], row["exit_week"]
        weeks = table[cpr]
        kind = row["trajectory"]
        if exit_week is None or exit_week > last - timedelta(weeks=8):
            continue
        after = [weeks[w] for w in weeks
                 if w >= exit_week and (row["return_week"] is None or w < row["return_week"])
                 and (cpr, w) not in corrected]
        expected = {"work": {""}, "relapse": {""}, "fleksjob": {"771"}, "leave": {"881"},
                    "education": {"651", "652", "661"}}.get(kind)
        if expected is not None:
            assert after and set(after) <= expected, (kind, set(after))
            checked.add(kind)
        if kind == "work":
            month = date(exit_week.year, exit_week.month, 1)
            later = [h for (c, m), h in hours.items() if c == cpr and m > month]
            assert later and all(h >= Decimal(120) for h in later[1:])
        if kind == "partial_work":
            code = str(row["baseline_code"])
            assert {weeks[w] for w in weeks if w >= exit_week and (cpr, w) not in corrected} \
                == {code}
            month = date(exit_week.year, exit_week.month, 1)
            later = [h for (c, m), h in hours.items() if c == cpr and m > month]
            assert later and all(Decimal(25) <= h <= Decimal(85) for h in later)
            checked.add(kind)
    assert checked == {"work", "relapse", "fleksjob", "leave", "education", "partial_work"}


def monthly_hours(path: Path) -> dict[tuple[str, date], Decimal]:
    """Reported wage hours (type 00, corrections left out) per person and month of period_end,
    for whole pay periods (from the 1st or the 16th)."""
    sums: dict[tuple[str, date], Decimal] = {}
    for line in read_csv(path).records():
        start = date.fromisoformat(line["period_start"])
        if line["income_type"] != "00" or start.day not in (1, 16) or line["correction"]:
            continue
        key = (normalise_cpr(line["cpr"]), date.fromisoformat(line["period_end"]).replace(day=1))
        sums[key] = sums.get(key, Decimal(0)) + Decimal(line["hours"].replace(",", "."))
    return sums


def test_income_has_corrections_crossing_periods_and_other_types(demo):
    lines = read_csv(demo.income_files[-1]).records()
    r_lines = [line for line in lines if line["correction"] == "R"]
    assert any(line["hours"].startswith("-") for line in r_lines)
    assert any(line["a_income"].startswith("-") for line in r_lines)
    crossing = [line for line in lines
                if line["period_start"][:7] != line["period_end"][:7]]
    assert crossing, "some lines span two months"
    assert {line["income_type"] for line in lines} == {"00", "01"}
    full_time = [Decimal(line["hours"].replace(",", ".")) for line in lines
                 if line["income_type"] == "00" and line["correction"] == ""
                 and line["period_start"].endswith("-01")]
    assert any(Decimal(130) <= h <= Decimal(165) for h in full_time)
    assert any(Decimal(30) <= h <= Decimal(80) for h in full_time)
    truth = demo.income_corrections
    assert truth.height > 0 and set(truth["kind"]) == {"reversal", "partial"}
    assert truth["net_hours"].min() >= 0


def test_later_income_files_add_corrections_of_earlier_months(demo):
    first, last = (read_csv(p).records() for p in (demo.income_files[0], demo.income_files[-1]))
    first_month = demo.income_files[0].stem.split("_")[1]
    late = [line for line in last if line["correction"] == "R"
            and line["period_end"][:7] <= first_month and line not in first]
    assert late, "a later file corrects months an earlier file already covered"


def test_truth_columns_and_pre_period(demo):
    truth = demo.participants
    assert truth.columns == [
        "contract_id", "cpr", "referral_date", "start_date", "trajectory", "start_week",
        "exit_week", "return_week", "baseline_code", "in_benefit_register",
        "pre_period_covered"]
    started = truth.filter(pl.col("start_date").is_not_null())
    assert started["pre_period_covered"].mean() > 0.9
    assert not started["pre_period_covered"].all(), "a few starts with an incomplete baseline"
    assert (started["start_week"].dt.weekday() == 1).all()
    assert set(truth["trajectory"]) >= {"work", "partial_work", "relapse", "education",
                                        "fleksjob", "leave", "on_benefit", "not_started"}
    first_start, last_start = demo.start_window
    assert first_start < DEMO.cohort_window[0] <= last_start <= demo.vintages[-1]


# -- options and errors -----------------------------------------------------------------------

def test_windows_1252_referrals(tmp_path):
    config = SyntheticConfig(seed=3, participants=30, weeks=80, referrals_cp1252=True)
    manifest = generate_extracts(tmp_path, config)
    raw = manifest.referral_files[0].read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    assert "Jobcenter Brøndby".encode("cp1252") in raw or "Jobcenter Aalborg".encode() in raw
    assert read_csv(manifest.referral_files[0], "cp1252").header[-1] == "jobcenter"


def test_vintage_outside_the_horizon_is_refused(tmp_path):
    with pytest.raises(ValueError, match="outside the simulated weeks"):
        generate_extracts(tmp_path, SMALL, vintages=[SMALL.horizon_end + timedelta(days=7)])
    with pytest.raises(ValueError, match="formats"):
        generate_extracts(tmp_path, SMALL, formats="xlsx")
    with pytest.raises(ValueError, match="Monday"):
        SyntheticConfig(first_week=date(2022, 1, 4))


def test_benchmark_shape_scales(tmp_path):
    """A tenth of the benchmark's persons over its 300 weeks (the full size is timed by hand)."""
    config = SyntheticConfig(participants=10_000, weeks=300)
    manifest = generate_extracts(tmp_path, config)
    benefit = manifest.benefit_files[0]
    with open(benefit, "rb") as handle:
        header = handle.readline()
    assert header.count(b";") == 300
    size = benefit.stat().st_size
    assert 8_000_000 < size < 12_000_000  # ≈ a tenth of the ~95 MB benchmark file
    with open(manifest.income_files[0], "rb") as handle:
        lines = sum(1 for _ in handle)
    assert 120_000 < lines < 250_000  # ≈ a tenth of the ~2M benchmark lines


def test_manifest_lookup_and_summary(demo):
    row = demo.participants.row(0, named=True)
    assert demo.participant(row["cpr"], row["contract_id"]) == row
    with pytest.raises(KeyError):
        demo.participant("0000000000")
    assert "2024-12-31" in demo.summary()
