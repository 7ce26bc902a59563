"""Bad input, one case per test: the exact outcome (file rejected, or which value is quarantined,
naming file, line and column) and that nothing else was lost or changed."""

from __future__ import annotations

import io
from datetime import date, datetime
from decimal import Decimal

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from tests.ingest.conftest import Ledger, benefit_file, income, referrals

WEEKS = ["2410", "2411", "2412", "2413"]
BENEFITS = "dream_2024W13.csv"
REFERRALS = "referrals_2024-03-31.csv"
INCOME = "eindkomst_2024-03.csv"


def cpr(n: int) -> str:
    """A synthetic CPR number: day n (1–28) of January 1990, serial 4000 + n."""
    return f"{n % 28 + 1:02d}0190{4000 + n:04d}"


def good_benefit_rows(count: int = 20) -> list[str]:
    return [f"{cpr(i)};701;701;;111" for i in range(count)]


def good_referral_rows(count: int = 20) -> list[str]:
    return [f"c1;{cpr(i)};2024-01-10;2024-02-01" for i in range(count)]


def good_income_rows(count: int = 20) -> list[str]:
    return [f"{cpr(i)};12345678;2024-02-01;2024-02-29;00;20000,00;160,33;" for i in range(count)]


def count(ledger: Ledger, table: str) -> int:
    return ledger.scalar(f"SELECT count(*) FROM {table}")


# --- encodings -------------------------------------------------------------------------------

def test_utf8_with_bom_loads_and_keeps_danish_letters(ledger: Ledger) -> None:
    text = "contract_id;cpr;referral_date;start_date;note\n" + "\n".join(
        f"c1;{cpr(i)};2024-01-10;2024-02-01;Brøndby Ærø Å" for i in range(3)) + "\n"
    ledger.write("referrals", REFERRALS, b"\xef\xbb\xbf" + text.encode("utf-8"))
    ledger.ingest()
    assert ledger.load(REFERRALS)[0] == "loaded"
    assert count(ledger, "raw.referrals") == 3


def test_windows_1252_file_is_read_as_windows_1252(ledger: Ledger) -> None:
    text = "contract_id;cpr;referral_date;start_date;bemærkning\n" + "\n".join(
        f"c1;{cpr(i)};2024-01-10;2024-02-01;Ærø" for i in range(3)) + "\n"
    ledger.write("referrals", REFERRALS, text, encoding="cp1252")
    ledger.ingest()
    assert ledger.load(REFERRALS)[:2] == ("loaded", "loaded")
    assert count(ledger, "raw.referrals") == 3


def test_bytes_neither_utf8_nor_windows_1252_reject_the_file(ledger: Ledger) -> None:
    raw = (referrals(*good_referral_rows(3))).encode("utf-8") + b"c1;\x81\x8d;2024-01-10;\n"
    ledger.write("referrals", REFERRALS, raw)
    ledger.ingest()
    status, message, *_ = ledger.load(REFERRALS)
    assert status == "rejected"
    assert message == (f"{REFERRALS}: unreadable: neither UTF-8 nor Windows-1252 (byte 0x81 on line 5)")
    assert count(ledger, "raw.referrals") == 0


def test_utf16_file_is_unreadable(ledger: Ledger) -> None:
    ledger.write("referrals", REFERRALS, referrals(*good_referral_rows(3)), encoding="utf-16")
    ledger.ingest()
    status, message, *_ = ledger.load(REFERRALS)
    assert status == "rejected" and "unreadable: NUL byte on line 1" in message
    assert count(ledger, "raw.referrals") == 0


def test_crlf_line_ends_load_like_lf(ledger: Ledger) -> None:
    ledger.write("benefits", BENEFITS, benefit_file(WEEKS, good_benefit_rows(3)), line_end="\r\n")
    ledger.ingest()
    assert ledger.load(BENEFITS)[0] == "loaded"
    assert ledger.rows("SELECT DISTINCT benefit_code FROM raw.benefit_weeks ORDER BY 1") == [(111,), (701,)]


# --- columns and header ---------------------------------------------------------------------

def test_missing_required_column_rejects_the_file(ledger: Ledger) -> None:
    ledger.write("referrals", REFERRALS, "contract_id;cpr;referral_date\nc1;0101904000;2024-01-10\n")
    ledger.ingest()
    status, message, *_ = ledger.load(REFERRALS)
    assert status == "rejected"
    assert message.startswith(f"{REFERRALS}: line 1: required column(s) missing: start_date")


def test_renamed_column_rejects_the_file(ledger: Ledger) -> None:
    ledger.write("income", INCOME, income(*good_income_rows(3)).replace("hours", "timer", 1))
    ledger.ingest()
    status, message, *_ = ledger.load(INCOME)
    assert status == "rejected" and "required column(s) missing: hours" in message
    assert count(ledger, "raw.income_lines") == 0


def test_extra_columns_are_ignored(ledger: Ledger) -> None:
    text = "extra;contract_id;cpr;referral_date;start_date;more\n" + "\n".join(
        f"x;c1;{cpr(i)};2024-01-10;;y" for i in range(4)) + "\n"
    ledger.write("referrals", REFERRALS, text)
    ledger.ingest()
    assert ledger.load(REFERRALS)[0] == "loaded"
    assert ledger.rows("SELECT count(*), count(start_date) FROM raw.referrals") == [(4, 0)]


def test_duplicate_column_name_rejects_the_file(ledger: Ledger) -> None:
    ledger.write("referrals", REFERRALS, "contract_id;cpr;cpr;referral_date;start_date\n")
    ledger.ingest()
    assert ledger.load(REFERRALS)[1] == f"{REFERRALS}: line 1, column 3: column 'cpr' appears twice"


def test_header_week_contradicting_the_file_name_rejects_the_file(ledger: Ledger) -> None:
    ledger.write("benefits", "dream_2024W14.csv", benefit_file(WEEKS, good_benefit_rows()))
    ledger.ingest()
    status, message, *_ = ledger.load("dream_2024W14.csv")
    assert status == "rejected"
    assert message == ("dream_2024W14.csv: line 1, column 5 'y_2413': the last week column must be the "
                       "week in the file name (2024W14)")
    assert count(ledger, "raw.benefit_persons") == 0


def test_gap_in_week_columns_rejects_the_file(ledger: Ledger) -> None:
    ledger.write("benefits", BENEFITS, benefit_file(["2410", "2411", "2413"], [f"{cpr(1)};1;2;3"]))
    ledger.ingest()
    assert ledger.load(BENEFITS)[1] == (
        f"{BENEFITS}: line 1, column 4 'y_2413': week columns must be consecutive and in week order, "
        "but y_2413 follows y_2411")


def test_week_columns_out_of_order_reject_the_file(ledger: Ledger) -> None:
    ledger.write("benefits", BENEFITS, benefit_file(["2411", "2410", "2412", "2413"], [f"{cpr(1)};1;2;3;4"]))
    ledger.ingest()
    assert "column 3 'y_2410': week columns must be consecutive" in ledger.load(BENEFITS)[1]


def test_week_that_does_not_exist_rejects_the_file(ledger: Ledger) -> None:
    ledger.write("benefits", "dream_2022W02.csv", benefit_file(["2153", "2201", "2202"], [f"{cpr(1)};1;2;3"]))
    ledger.ingest()
    assert ledger.load("dream_2022W02.csv")[1] == (
        "dream_2022W02.csv: line 1, column 2 'y_2153': ISO year 2021 has no week 53")


def test_file_name_naming_no_real_week_is_rejected(ledger: Ledger) -> None:
    ledger.write("benefits", "dream_2021W53.csv", benefit_file(["2152"], [f"{cpr(1)};1"]))
    ledger.ingest()
    status, message, *_ = ledger.load("dream_2021W53.csv")
    assert status == "rejected" and "names no real date/week/month" in message


def test_53_week_iso_year_is_accepted(ledger: Ledger) -> None:
    ledger.write("benefits", "dream_2021W01.csv", benefit_file(["2052", "2053", "2101"], [f"{cpr(1)};701;701;701"]))
    ledger.ingest()
    assert ledger.rows("SELECT week_start FROM raw.benefit_weeks ORDER BY 1") == [
        (date(2020, 12, 21),), (date(2020, 12, 28),), (date(2021, 1, 4),)]


# --- values ----------------------------------------------------------------------------------

def test_malformed_code_quarantines_the_persons_row(ledger: Ledger) -> None:
    rows = good_benefit_rows()
    rows[3] = f"{cpr(3)};701;7O1;;111"
    ledger.write("benefits", BENEFITS, benefit_file(WEEKS, rows))
    ledger.ingest()
    assert ledger.load(BENEFITS)[0] == "loaded"
    assert ledger.quarantine(BENEFITS) == [(5, "y_2411", "invalid_code")]
    assert count(ledger, "raw.benefit_persons") == 19
    assert ledger.scalar("SELECT count(*) FROM raw.benefit_weeks WHERE line_number = 5") == 0
    assert count(ledger, "raw.benefit_weeks") == 19 * 3


def test_cpr_with_impossible_date_is_quarantined(ledger: Ledger) -> None:
    rows = good_referral_rows()
    rows[0] = "c1;3002901234;2024-01-10;"
    ledger.write("referrals", REFERRALS, referrals(*rows))
    ledger.ingest()
    assert ledger.quarantine(REFERRALS) == [(2, "cpr", "invalid_cpr")]
    assert count(ledger, "raw.referrals") == 19


def test_cpr_with_letters_is_quarantined(ledger: Ledger) -> None:
    rows = good_income_rows()
    rows[5] = "01019O4005;12345678;2024-02-01;2024-02-29;00;100;10;"
    ledger.write("income", INCOME, income(*rows))
    ledger.ingest()
    assert ledger.quarantine(INCOME) == [(7, "cpr", "invalid_cpr")]
    assert count(ledger, "raw.income_lines") == 19


def test_nine_digit_and_hyphenated_cpr_are_accepted_and_normalised(ledger: Ledger) -> None:
    rows = good_referral_rows()
    rows[0] = "c1;101904000;2024-01-10;"        # leading zero lost
    rows[1] = "c2;020190-4001;2024-01-10;"      # hyphenated
    ledger.write("referrals", REFERRALS, referrals(*rows))
    ledger.ingest()
    assert ledger.quarantine(REFERRALS) == []
    keys = dict(ledger.rows("SELECT line_number, person_key FROM raw.referrals WHERE line_number IN (2, 3)"))
    assert keys == {2: Ledger.person_key("0101904000"), 3: Ledger.person_key("0201904001")}


def test_modulus_11_is_not_applied(ledger: Ledger) -> None:
    # 0101904001 fails the old modulus-11 check; it is a valid CPR since 2007.
    ledger.write("referrals", REFERRALS, referrals("c1;0101904001;2024-01-10;"))
    ledger.ingest()
    assert ledger.load(REFERRALS)[0] == "loaded"


def test_29_february_is_always_a_valid_cpr_day(ledger: Ledger) -> None:
    ledger.write("referrals", REFERRALS, referrals("c1;2902014000;2024-01-10;"))  # 2001 was no leap year
    ledger.ingest()
    assert ledger.quarantine(REFERRALS) == []


def test_duplicate_pnr_quarantines_every_row_of_it(ledger: Ledger) -> None:
    rows = good_benefit_rows()
    rows[7] = f"{cpr(2)[:6]}-{cpr(2)[6:]};111;111;111;111"   # same person as line 4, written with hyphen
    ledger.write("benefits", BENEFITS, benefit_file(WEEKS, rows[:20] + good_benefit_rows(40)[20:]))
    ledger.ingest()
    assert ledger.quarantine(BENEFITS) == [(4, "pnr", "duplicate"), (9, "pnr", "duplicate")]
    assert count(ledger, "raw.benefit_persons") == 38


def test_duplicate_referral_in_one_contract_is_quarantined_but_other_contracts_are_not(ledger: Ledger) -> None:
    rows = good_referral_rows()
    rows.append(f"c1;{cpr(0)};2024-01-11;")
    rows.append(f"c2;{cpr(1)};2024-01-11;")
    ledger.write("referrals", REFERRALS, referrals(*rows), )
    ledger.ingest(threshold=Decimal("0.1"))
    assert ledger.quarantine(REFERRALS) == [(2, "cpr", "duplicate"), (22, "cpr", "duplicate")]
    assert count(ledger, "raw.referrals") == 20


def test_start_before_referral_is_quarantined(ledger: Ledger) -> None:
    rows = good_referral_rows()
    rows[4] = f"c1;{cpr(4)};2024-01-10;2024-01-09"
    ledger.write("referrals", REFERRALS, referrals(*rows))
    ledger.ingest()
    assert ledger.quarantine(REFERRALS) == [(6, "start_date", "before_referral")]


def test_dates_after_the_as_of_date_are_quarantined(ledger: Ledger) -> None:
    rows = good_referral_rows(40)
    rows[0] = f"c1;{cpr(0)};2024-04-01;"
    rows[1] = f"c1;{cpr(1)};2024-03-01;2024-04-02"
    ledger.write("referrals", REFERRALS, referrals(*rows))
    ledger.ingest()
    assert ledger.quarantine(REFERRALS) == [(2, "referral_date", "after_as_of"), (3, "start_date", "after_as_of")]
    assert count(ledger, "raw.referrals") == 38


def test_invalid_date_is_quarantined_once(ledger: Ledger) -> None:
    rows = good_referral_rows()
    rows[2] = f"c1;{cpr(2)};2024-02-30;"
    ledger.write("referrals", REFERRALS, referrals(*rows))
    ledger.ingest()
    assert ledger.quarantine(REFERRALS) == [(4, "referral_date", "invalid_date")]


def test_missing_required_value_is_quarantined(ledger: Ledger) -> None:
    rows = good_referral_rows()
    rows[0] = f" ;{cpr(0)};2024-01-10;"
    ledger.write("referrals", REFERRALS, referrals(*rows))
    ledger.ingest()
    assert ledger.quarantine(REFERRALS) == [(2, "contract_id", "missing_value")]


def test_number_with_decimal_point_is_quarantined(ledger: Ledger) -> None:
    rows = good_income_rows()
    rows[0] = f"{cpr(0)};12345678;2024-02-01;2024-02-29;00;1000;37.5;"
    ledger.write("income", INCOME, income(*rows))
    ledger.ingest()
    assert ledger.quarantine(INCOME) == [(2, "hours", "invalid_number")]


@pytest.mark.parametrize("value", ["1.234,56", "5,00-", "1,234", "+5"])
def test_numbers_not_of_the_spec_form_are_invalid(ledger: Ledger, value: str) -> None:
    rows = good_income_rows()
    rows[0] = f"{cpr(0)};12345678;2024-02-01;2024-02-29;00;{value};10;"
    ledger.write("income", INCOME, income(*rows))
    ledger.ingest()
    assert ledger.quarantine(INCOME) == [(2, "a_income", "invalid_number")]


def test_negative_hours_without_correction_mark_are_quarantined(ledger: Ledger) -> None:
    rows = good_income_rows()
    rows[1] = f"{cpr(1)};12345678;2024-02-01;2024-02-29;00;-100,00;-10;"
    ledger.write("income", INCOME, income(*rows))
    ledger.ingest(threshold=Decimal("0.1"))
    assert ledger.quarantine(INCOME) == [(3, "a_income", "negative_without_correction"),
                                         (3, "hours", "negative_without_correction")]


def test_negative_employment_hours_in_a_month_make_it_not_covered(ledger: Ledger) -> None:
    rows = good_income_rows()
    rows.append(f"{cpr(0)};12345678;2024-02-01;2024-02-29;00;-30000,00;-200,00;R")
    ledger.write("income", INCOME, income(*rows))
    ledger.ingest()
    assert ledger.load(INCOME)[0] == "loaded"
    assert count(ledger, "raw.income_lines") == 21
    assert ledger.quarantine(INCOME) == [(None, "hours", "negative_employment_hours")]
    assert ledger.rows("SELECT person_key, month, reason FROM raw.income_uncovered_months") == [
        (Ledger.person_key(cpr(0)), date(2024, 2, 1), "negative_employment_hours")]


def test_se_nr_and_income_type_and_correction_values(ledger: Ledger) -> None:
    rows = good_income_rows(60)
    rows[0] = f"{cpr(0)};1234567;2024-02-01;2024-02-29;00;1;1;"
    rows[1] = f"{cpr(1)};12345678;2024-02-01;2024-02-29;0;1;1;"
    rows[2] = f"{cpr(2)};12345678;2024-02-01;2024-02-29;00;1;1;X"
    ledger.write("income", INCOME, income(*rows))
    ledger.ingest()
    assert ledger.quarantine(INCOME) == [(2, "se_nr", "invalid_se_nr"), (3, "income_type", "invalid_income_type"),
                                         (4, "correction", "invalid_correction")]


def test_period_end_after_coverage_end_and_before_start(ledger: Ledger) -> None:
    rows = good_income_rows(60)
    rows[0] = f"{cpr(0)};12345678;2024-03-20;2024-04-02;00;1;1;"
    rows[1] = f"{cpr(1)};12345678;2024-02-20;2024-02-10;00;1;1;"
    ledger.write("income", INCOME, income(*rows))
    ledger.ingest()
    assert ledger.quarantine(INCOME) == [(2, "period_end", "after_coverage_end"),
                                         (3, "period_end", "period_end_before_start")]


def test_quarantined_income_line_with_valid_cpr_makes_its_months_not_covered(ledger: Ledger) -> None:
    rows = good_income_rows()
    rows.append(f"{cpr(3)};1234;2024-01-15;2024-02-10;00;100;10;")   # bad se_nr, readable period
    ledger.write("income", INCOME, income(*rows))
    ledger.ingest()
    assert ledger.rows("SELECT person_key, month FROM raw.income_uncovered_months ORDER BY month") == [
        (Ledger.person_key(cpr(3)), date(2024, 2, 1))]   # January lies before the income coverage start


# --- structure of the file -------------------------------------------------------------------

def test_trailer_count_mismatch_rejects_the_file(ledger: Ledger) -> None:
    ledger.write("income", INCOME, income(*good_income_rows(3)) + "#records;4\n")
    ledger.ingest()
    assert ledger.load(INCOME)[:2] == (
        "rejected", f"{INCOME}: line 5: trailer says 4 records but the file has 3 data lines")
    assert count(ledger, "raw.income_lines") == 0


def test_matching_trailer_is_not_a_data_line(ledger: Ledger) -> None:
    ledger.write("benefits", BENEFITS, benefit_file(WEEKS, good_benefit_rows(3)) + "#records;3\n", line_end="\r\n")
    ledger.ingest()
    assert ledger.load(BENEFITS)[:5] == ("loaded", "loaded", 3, 3, 0)


def test_empty_file_is_rejected(ledger: Ledger) -> None:
    ledger.write("referrals", REFERRALS, b"")
    ledger.ingest()
    assert ledger.load(REFERRALS)[:2] == ("rejected", f"{REFERRALS}: empty file (no header line)")


def test_header_without_data_lines_is_rejected(ledger: Ledger) -> None:
    ledger.write("referrals", REFERRALS, referrals().rstrip("\n") + "\n#records;0\n")
    ledger.ingest()
    assert ledger.load(REFERRALS)[:2] == ("rejected", f"{REFERRALS}: no data lines")


def test_truncated_last_line_is_quarantined_naming_the_first_missing_column(ledger: Ledger) -> None:
    rows = good_benefit_rows() + [f"{cpr(25)};701"]
    ledger.write("benefits", BENEFITS, benefit_file(WEEKS, rows).rstrip("\n"))
    ledger.ingest()
    assert ledger.quarantine(BENEFITS) == [(22, "y_2411", "wrong_field_count")]
    assert count(ledger, "raw.benefit_persons") == 20


def test_blank_line_between_data_lines_is_quarantined(ledger: Ledger) -> None:
    rows = good_referral_rows()
    rows.insert(5, "")
    ledger.write("referrals", REFERRALS, referrals(*rows))
    ledger.ingest()
    assert ledger.quarantine(REFERRALS) == [(7, "contract_id", "blank_line")]
    assert count(ledger, "raw.referrals") == 20


def test_more_than_five_percent_quarantined_rejects_the_file(ledger: Ledger) -> None:
    rows = good_referral_rows()
    rows[0] = "c1;x;2024-01-10;"
    rows[1] = "c1;y;2024-01-10;"
    ledger.write("referrals", REFERRALS, referrals(*rows))
    ledger.ingest()
    status, message, read, loaded, quarantined = ledger.load(REFERRALS)
    assert (status, read, loaded, quarantined) == ("rejected", 20, 0, 2)
    assert message.startswith(f"{REFERRALS}: 2 of 20 data lines quarantined, more than the threshold of 5")
    assert count(ledger, "raw.referrals") == 0
    assert ledger.scalar("SELECT quarantine_threshold FROM audit.loads") == Decimal("0.05")


def test_quarantine_threshold_is_configurable(ledger: Ledger) -> None:
    rows = good_referral_rows()
    rows[0] = "c1;x;2024-01-10;"
    rows[1] = "c1;y;2024-01-10;"
    ledger.write("referrals", REFERRALS, referrals(*rows))
    ledger.ingest(threshold=Decimal("0.10"))
    assert ledger.load(REFERRALS)[0] == "loaded"
    assert count(ledger, "raw.referrals") == 18


# --- identity and immutability ---------------------------------------------------------------

def test_same_file_twice_is_skipped_and_loaded_once(ledger: Ledger) -> None:
    ledger.write("referrals", REFERRALS, referrals(*good_referral_rows()))
    ledger.ingest()
    ledger.ingest()
    again = ledger.ingest()["referrals"]
    assert [o.status for o in again.outcomes] == ["skipped"]                  # reported, not recorded
    assert ledger.rows("SELECT status FROM audit.loads ORDER BY load_id") == [("loaded",)]
    assert count(ledger, "raw.referrals") == 20


def test_same_name_with_new_bytes_is_rejected_and_the_loaded_file_stays(ledger: Ledger) -> None:
    ledger.write("referrals", REFERRALS, referrals(*good_referral_rows()))
    ledger.ingest()
    ledger.write("referrals", REFERRALS, referrals(*good_referral_rows(21)))
    ledger.ingest()
    assert ledger.rows("SELECT status FROM audit.loads ORDER BY load_id") == [("loaded",), ("rejected",)]
    assert "a different file under the name of a loaded file" in ledger.load(REFERRALS)[1]
    assert count(ledger, "raw.referrals") == 20


def test_identical_bytes_under_a_new_name_are_a_new_vintage(ledger: Ledger) -> None:
    content = referrals(*good_referral_rows())
    ledger.write("referrals", "referrals_2024-03-30.csv", content)
    ledger.write("referrals", REFERRALS, content)
    ledger.ingest()
    assert ledger.rows("SELECT file_name, status FROM audit.loads ORDER BY load_id") == [
        ("referrals_2024-03-30.csv", "loaded"), (REFERRALS, "loaded")]


def test_rejected_file_may_be_redelivered_corrected_under_the_same_name(ledger: Ledger) -> None:
    ledger.write("income", INCOME, income(*good_income_rows(3)) + "#records;4\n")
    ledger.ingest()
    ledger.write("income", INCOME, income(*good_income_rows(3)) + "#records;3\n")
    ledger.ingest()
    assert ledger.rows("SELECT status FROM audit.loads ORDER BY load_id") == [("rejected",), ("loaded",)]


def _parquet(columns: dict[str, pa.Array]) -> bytes:
    sink = io.BytesIO()
    pq.write_table(pa.table(columns), sink)
    return sink.getvalue()


def _referrals_parquet(start_type: pa.DataType = pa.date32()) -> bytes:
    start = [date(2024, 2, 1), None]
    return _parquet({
        "contract_id": pa.array(["c1", "c1"]),
        "cpr": pa.array([cpr(0), cpr(1)]),
        "referral_date": pa.array([date(2024, 1, 10)] * 2),
        "start_date": pa.array([datetime(2024, 2, 1), None] if pa.types.is_timestamp(start_type) else start,
                               type=start_type),
    })


def test_parquet_loads_like_the_same_csv(ledger: Ledger) -> None:
    ledger.write("referrals", "referrals_2024-03-30.parquet", _referrals_parquet())
    ledger.write("referrals", REFERRALS, referrals(f"c1;{cpr(0)};2024-01-10;2024-02-01", f"c1;{cpr(1)};2024-01-10;"))
    ledger.ingest()
    by_file = ledger.rows(
        "SELECT load_id, list(person_key || start_date::VARCHAR ORDER BY line_number), "
        "list(line_number ORDER BY line_number) FROM raw.referrals GROUP BY load_id ORDER BY load_id")
    assert len(by_file) == 2 and by_file[0][1:] == by_file[1][1:]


def test_parquet_with_a_wrong_column_type_is_rejected(ledger: Ledger) -> None:
    ledger.write("referrals", "referrals_2024-03-30.parquet", _referrals_parquet(pa.timestamp("us")))
    ledger.ingest()
    assert ledger.load("referrals_2024-03-30.parquet")[:2] == (
        "rejected", "referrals_2024-03-30.parquet: column 4 'start_date': wrong type timestamp[us]")


def test_parquet_amounts_with_scale_above_two_are_rejected(ledger: Ledger) -> None:
    content = _parquet({
        "cpr": pa.array([cpr(0)]), "se_nr": pa.array(["12345678"]),
        "period_start": pa.array([date(2024, 2, 1)]), "period_end": pa.array([date(2024, 2, 29)]),
        "income_type": pa.array(["00"]), "a_income": pa.array([Decimal("1.000")], type=pa.decimal128(10, 3)),
        "hours": pa.array([Decimal("10.00")], type=pa.decimal128(10, 2)), "correction": pa.array([None], type=pa.string()),
    })
    ledger.write("income", "eindkomst_2024-03.parquet", content)
    ledger.ingest()
    assert "column 6 'a_income': wrong type decimal128(10, 3)" in ledger.load("eindkomst_2024-03.parquet")[1]


def test_csv_and_parquet_of_one_vintage_arriving_together_are_both_rejected(ledger: Ledger) -> None:
    ledger.write("referrals", "referrals_2024-03-30.parquet", _referrals_parquet())
    ledger.write("referrals", "referrals_2024-03-30.csv", referrals(*good_referral_rows()))
    ledger.ingest()
    assert ledger.rows("SELECT file_name, status FROM audit.loads ORDER BY file_name") == [
        ("referrals_2024-03-30.csv", "rejected"), ("referrals_2024-03-30.parquet", "rejected")]
    assert count(ledger, "raw.referrals") == 0


def test_second_format_of_a_loaded_vintage_is_rejected(ledger: Ledger) -> None:
    ledger.write("referrals", "referrals_2024-03-30.csv", referrals(*good_referral_rows()))
    ledger.ingest()
    ledger.write("referrals", "referrals_2024-03-30.parquet", _referrals_parquet())
    ledger.ingest()
    status, message, *_ = ledger.load("referrals_2024-03-30.parquet")
    assert status == "rejected" and "already loaded as referrals_2024-03-30.csv" in message
    assert count(ledger, "raw.referrals") == 20


def test_files_that_are_not_extracts_are_not_read(ledger: Ledger) -> None:
    ledger.write("referrals", "README.txt", "notes")
    ledger.write("referrals", "referrals_2024-03-31.csv.bak", "x")
    ledger.ingest()
    assert count(ledger, "audit.loads") == 0


def test_unknown_codes_and_codes_outside_their_validity_are_not_load_errors(ledger: Ledger) -> None:
    """Whether a code exists and is valid in its week is checked at each run against that run's
    reference data (the person is then excluded and reported), never at load."""
    rows = good_benefit_rows()
    rows[0] = f"{cpr(0)};999;701;;111"          # no such code in the reference table
    rows[1] = f"{cpr(1)};0;701;;111"            # zero is an integer too
    ledger.write("benefits", BENEFITS, benefit_file(WEEKS, rows))
    ledger.ingest()
    assert ledger.load(BENEFITS)[:5] == ("loaded", "loaded", 20, 20, 0)
    assert ledger.quarantine(BENEFITS) == []
    assert ledger.rows("SELECT benefit_code FROM raw.benefit_weeks WHERE line_number IN (2, 3) "
                       "AND week_start = DATE '2024-03-04' ORDER BY line_number") == [(999,), (0,)]


def test_validation_check_counts_failures_by_reason_with_a_sample(ledger: Ledger) -> None:
    """The pandera results reach Dagster as an asset check: counts by column and reason, a sample."""
    import duckdb

    from orchestration.ingest.assets import _check_result

    rows = good_referral_rows(40)
    rows[0] = "c1;x;2024-01-10;"
    rows[1] = f"c1;{cpr(1)};2024-02-30;"
    ledger.write("referrals", REFERRALS, referrals(*rows))
    summary = ledger.ingest()["referrals"]
    with duckdb.connect(str(ledger.warehouse), read_only=True) as con:
        check = _check_result(con, "referrals", summary)
    assert check.passed
    assert check.metadata["lines_quarantined"].value == 2
    assert "| cpr | invalid_cpr | 1 |" in check.metadata["failures"].value
    assert f"| {REFERRALS} | 3 | referral_date | invalid_date |" in check.metadata["sample"].value
