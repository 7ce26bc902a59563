"""A small hand-made warehouse for the audit tests: the payment engine's input tables and the raw
tables the evidence is copied from (via `tests.payments.world.World`), filled by hand."""

from __future__ import annotations

from datetime import date

import duckdb

from tests.payments.world import D, World, pk, sha

RC = "rc"          # rate card using employment hours (income recorded)
SV = "sv"          # savings share (no income)
START = date(2023, 1, 2)   # a Monday: follow-up week 1 starts here
P1, P2, P3 = pk(1), pk(2), pk(3)


class Ledger(World):
    """World + raw referrals/income/loads, full participant-weeks, vintages with their own loads."""

    def __init__(self, con: duckdb.DuckDBPyConnection):
        super().__init__(con)   # the marts from their dbt contracts, raw and audit tables from the product's DDL

    def participant(self, contract_id: str, person: str, start: date = START, *,
                    excluded_reason: str | None = None, baseline_complete: bool | None = None) -> None:
        self.con.execute(
            "INSERT INTO marts.dim_participants (contract_id, person_key, referral_date, start_date, "
            "excluded_reason, baseline_complete) VALUES (?, ?, ?, ?, ?, ?)",
            [contract_id, person, start, start, excluded_reason, baseline_complete])

    def referral_vintage(self, file_name: str) -> None:
        """dim_participants as built from this referral file."""
        self.con.execute("UPDATE marts.dim_participants SET referral_file_sha256 = ?", [sha(file_name)])

    def load(self, month: str, source: str, load_id: int, file_name: str, as_of: date) -> None:
        self.con.execute(
            "INSERT INTO audit.loads (load_id, source, file_name, file_sha256, vintage, status, loaded_at) "
            "VALUES (?, ?, ?, ?, ?, 'loaded', TIMESTAMP '2024-01-01 06:00:00')",
            [load_id, source, file_name, sha(file_name), as_of])
        self.con.execute("DELETE FROM raw.selected_vintages WHERE run_month = ? AND source = ?", [month, source])
        self.con.execute("INSERT INTO raw.selected_vintages VALUES (?, ?, ?, ?, ?, ?, NULL, NULL)",
                         [month, source, load_id, file_name, sha(file_name), as_of])

    def referral(self, load_id: int, file_name: str, line: int, contract_id: str, person: str) -> None:
        self.con.execute("INSERT INTO raw.referrals VALUES (?, ?, ?, ?, ?, ?, ?)",
                         [load_id, sha(file_name), line, contract_id, person, date(2022, 12, 1), START])

    def income(self, load_id: int, file_name: str, line: int, person: str, income_type: str,
               months: dict[str, str]) -> None:
        self.con.execute(
            "INSERT INTO raw.income_lines VALUES (?, ?, ?, ?, '12345678', ?, ?, ?, 0, ?, NULL)",
            [load_id, sha(file_name), line, person, date.fromisoformat(min(months) + "-01"),
             date.fromisoformat(max(months) + "-28"), income_type, sum(D(h) for h in months.values())])
        for m, h in months.items():
            self.con.execute("INSERT INTO raw.income_line_months VALUES (?, ?, ?, ?, ?, ?, ?)",
                             [load_id, sha(file_name), line, person, income_type,
                              date.fromisoformat(m + "-01"), D(h)])

    def full_weeks(self, contract_id: str, person: str, benefits_file: str, line: int, *, years: int = 1,
                   status: str = "self_supporting") -> None:
        """Weeks −51 … 52·years of a participant, every column, all pointing to one benefit row."""
        self.con.execute("DELETE FROM marts.fct_participant_weeks WHERE contract_id = ? AND person_key = ?",
                         [contract_id, person])
        self.con.execute(
            """INSERT INTO marts.fct_participant_weeks BY NAME
               SELECT ? AS contract_id, ? AS person_key, CAST(w AS INTEGER) AS follow_up_week,
                      CAST(CASE WHEN w <= 0 THEN 0 ELSE (w - 1) // 52 + 1 END AS INTEGER) AS follow_up_year,
                      strftime(ws, '%G-W%V') AS iso_week, ws AS week_start,
                      strftime(ws + 3, '%Y-%m') AS month, 100 AS benefit_code, 'dagpenge' AS benefit_group,
                      CAST(10 AS DECIMAL(18,2)) AS employment_hours, TRUE AS covered, ? AS status,
                      CAST(1000 AS DECIMAL(18,2)) AS cost_dkk, ? AS source_file_sha256, ? AS source_line
               FROM (SELECT w, CAST(? AS DATE) + CAST(7 * (w - 1) AS INTEGER) AS ws
                     FROM range(-51, 52 * ? + 1) t(w))""",
            [contract_id, person, status, sha(benefits_file), line, START, years])


def month_one(w: Ledger) -> None:
    """Terms, marts and loads for 2024-03."""
    w.contract(RC, "rate_card", terms="id: rc\n", follow_up_years=1, employment_hours_per_month=D("100"))
    w.outcome(RC, 1, "job_entry_4w", "streak", "1000.00", weeks=4)
    w.outcome(RC, 2, "year_full", "year_status", "5000.00", statuses=("full",), years=(1,))
    w.contract(SV, "savings_share", terms="id: sv\n", follow_up_years=1, outlay_dkk=D("100"),
               investor_share=D("0.5"))

    w.load("2024-03", "referrals", 11, "referrals_2024-03-31.csv", date(2024, 3, 31))
    w.load("2024-03", "benefits", 12, "dream_2024W13.csv", date(2024, 3, 31))
    w.load("2024-03", "income", 13, "eindkomst_2024-03.csv", date(2024, 3, 31))
    w.referral(11, "referrals_2024-03-31.csv", 3, RC, P1)
    w.referral(11, "referrals_2024-03-31.csv", 4, RC, P2)
    w.referral(11, "referrals_2024-03-31.csv", 5, SV, P3)
    w.referral(11, "referrals_2024-03-31.csv", 6, SV, P1)   # P1 is also referred to SV: not in RC's trace
    # P1's income: line 7 (type 00) over Jan-Feb 2023, line 8 (type 01: not employment), line 9
    # (type 00, June 2022: a pre-period month the rate card does not use).
    w.income(13, "eindkomst_2024-03.csv", 7, P1, "00", {"2023-01": "120.00", "2023-02": "110.50"})
    w.income(13, "eindkomst_2024-03.csv", 8, P1, "01", {"2023-01": "5.00"})
    w.income(13, "eindkomst_2024-03.csv", 9, P1, "00", {"2022-06": "80.00"})
    w.income(13, "eindkomst_2024-03.csv", 10, P2, "00", {"2023-03": "40.00"})

    for contract_id, person in ((RC, P1), (RC, P2), (SV, P3)):
        w.participant(contract_id, person, START, baseline_complete=True if contract_id == SV else None)
    w.referral_vintage("referrals_2024-03-31.csv")
    w.full_weeks(RC, P1, "dream_2024W13.csv", 5)
    w.full_weeks(RC, P2, "dream_2024W13.csv", 6)
    w.full_weeks(SV, P3, "dream_2024W13.csv", 7)
    w.streak(RC, P1, "job_entry_4w", 6, start=START)
    w.streak(RC, P2, "job_entry_4w", None, status="open", start=START)
    w.year(RC, P1, 1, "full")
    w.year(RC, P2, 1, "none")
    w.year(SV, P3, 1, "full", savings="500.00", baseline="600.00")


def month_two(w: Ledger) -> None:
    """New vintages for 2024-04: every file changes, P1's benefit row moves, P2 achieves the streak."""
    w.load("2024-04", "referrals", 21, "referrals_2024-04-30.csv", date(2024, 4, 30))
    w.load("2024-04", "benefits", 22, "dream_2024W17.csv", date(2024, 4, 28))
    w.load("2024-04", "income", 23, "eindkomst_2024-04.csv", date(2024, 4, 30))
    w.referral(21, "referrals_2024-04-30.csv", 13, RC, P1)
    w.referral(21, "referrals_2024-04-30.csv", 14, RC, P2)
    w.referral(21, "referrals_2024-04-30.csv", 15, SV, P3)
    w.income(23, "eindkomst_2024-04.csv", 17, P1, "00", {"2023-01": "121.00", "2023-02": "110.50"})
    w.income(23, "eindkomst_2024-04.csv", 18, P2, "00", {"2023-01": "99.00"})
    w.referral_vintage("referrals_2024-04-30.csv")
    w.full_weeks(RC, P1, "dream_2024W17.csv", 25)
    w.full_weeks(RC, P2, "dream_2024W17.csv", 26)
    w.full_weeks(SV, P3, "dream_2024W17.csv", 27)
    w.streak(RC, P2, "job_entry_4w", 5, start=START)
    w.year(SV, P3, 1, "full", savings="700.00", baseline="800.00")
