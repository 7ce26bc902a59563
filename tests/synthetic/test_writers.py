"""Hand-made extract files for tests of one rule: exact bytes, verbatim values, typed Parquet."""

from datetime import date
from decimal import Decimal

import pyarrow.parquet as pq
import pytest

from synthetic import (
    write_benefit_file, write_income_file, write_referrals_file,
)


def test_benefit_file_bytes(tmp_path):
    path = write_benefit_file(
        tmp_path / "benefits" / "dream_2025W01.csv",
        {"0101375000": [701, None, 701], "101375001": [None, None, "7x1"]},
        first_week=date(2024, 12, 16),
    )
    assert path.read_bytes() == (
        b"pnr;y_2451;y_2452;y_2501\r\n"
        b"0101375000;701;;701\r\n"
        b"101375001;;;7x1\r\n"
    )


def test_benefit_file_with_trailer_lf_and_a_wrong_count(tmp_path):
    path = write_benefit_file(tmp_path / "dream_2024W02.csv", {"0101375000": [111, 111]},
                              first_week=date(2024, 1, 1), line_end="\n", trailer=5)
    assert path.read_text().splitlines() == ["pnr;y_2401;y_2402", "0101375000;111;111",
                                             "#records;5"]


def test_a_bom_only_starts_the_file(tmp_path):
    path = write_benefit_file(tmp_path / "dream_2024W01.csv", {"0101375000": [111]},
                              first_week=date(2024, 1, 1), encoding="utf-8-sig", trailer=True)
    assert path.read_bytes() == (
        b"\xef\xbb\xbfpnr;y_2401\r\n0101375000;111\r\n#records;1\r\n")


def test_benefit_rows_must_have_the_same_weeks(tmp_path):
    with pytest.raises(ValueError, match="numbers of weeks"):
        write_benefit_file(tmp_path / "x.csv", {"a": [1], "b": [1, 2]}, date(2024, 1, 1))


def test_income_file_formats_values_and_counts_lines(tmp_path):
    path = write_income_file(tmp_path / "eindkomst_2024-03.csv", [
        {"cpr": "010137-5000", "se_nr": "00123456", "period_start": date(2024, 3, 1),
         "period_end": date(2024, 3, 31), "income_type": "00", "a_income": Decimal("24000.5"),
         "hours": 40.08},
        {"cpr": "101375000", "se_nr": "00123456", "period_start": "2024-02-16",
         "period_end": "2024-03-15", "income_type": "00", "a_income": -1000, "hours": "-8,00",
         "correction": "R"},
        {"cpr": "0101375000", "se_nr": "1", "period_start": "2024-03-01",
         "period_end": "2024-03-31", "income_type": "00", "a_income": "1.234,56",
         "hours": "37.5", "note": "kept as an extra column"},
    ])
    assert path.read_text(encoding="utf-8").split("\n") == [
        "cpr;se_nr;period_start;period_end;income_type;a_income;hours;correction;note",
        "010137-5000;00123456;2024-03-01;2024-03-31;00;24000,5;40,08;;",
        "101375000;00123456;2024-02-16;2024-03-15;00;-1000;-8,00;R;",
        "0101375000;1;2024-03-01;2024-03-31;00;1.234,56;37.5;;kept as an extra column",
        "#records;3",
        "",
    ]


def test_referrals_file_in_windows_1252(tmp_path):
    path = write_referrals_file(tmp_path / "referrals_2024-03-31.csv", [
        {"contract_id": "brondby-dsi-tuba", "cpr": "0101375000",
         "referral_date": date(2024, 1, 5), "start_date": None, "jobcenter": "Brøndby"},
    ], encoding="cp1252", line_end="\n")
    assert path.read_bytes() == (
        b"contract_id;cpr;referral_date;start_date;jobcenter\n"
        b"brondby-dsi-tuba;0101375000;2024-01-05;;Br\xf8ndby\n"
    )


def test_hand_made_parquet_is_typed(tmp_path):
    income = write_income_file(tmp_path / "eindkomst_2024-03.parquet", [
        {"cpr": "0101375000", "se_nr": "00123456", "period_start": "2024-03-01",
         "period_end": date(2024, 3, 31), "income_type": "00", "a_income": "24000,50",
         "hours": 160.33, "correction": None},
    ])
    schema = pq.read_schema(income)
    assert [str(t) for t in schema.types] == [
        "string", "string", "date32[day]", "date32[day]", "string", "decimal128(18, 2)",
        "decimal128(18, 2)", "string"]
    assert pq.read_table(income).column("hours").to_pylist() == [Decimal("160.33")]
    referrals = write_referrals_file(tmp_path / "referrals_2024-03-31.parquet", [
        {"contract_id": "c1", "cpr": "0101375000", "referral_date": "2024-01-05",
         "start_date": None}])
    assert [str(t) for t in pq.read_schema(referrals).types] == [
        "string", "string", "date32[day]", "date32[day]"]
    benefits = write_benefit_file(tmp_path / "dream_2024W02.parquet",
                                  {"0101375000": [111, None]}, date(2024, 1, 1))
    table = pq.read_table(benefits)
    assert table.column_names == ["pnr", "y_2401", "y_2402"]
    assert table.to_pylist() == [{"pnr": "0101375000", "y_2401": 111, "y_2402": None}]
