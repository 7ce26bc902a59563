"""The budget forecast (`finance.md`, "Budget forecast"; the method: `docs/forecast.md`).

Run by `issue_statements` after the month's statements and budget entries are inserted, inside
the same transaction: per contract of the run, for every budget year from its first statement to
the last year anything is booked or expected, per account and kind (`payment`, `savings`,
`refusion`), what the issued statements booked (`actual`) and what is still expected
(`expected`), and what the expected part rests on (`observed`, `business_case`, `none`).

Set-based SQL (`sql/forecast_*.sql`) over the run's working tables (`pay_contracts`,
`pay_participants`, `pay_savings_years`, `pay_savings_totals`, `pay_rate_card_items`,
`pay_cohort_years`, `pay_cohort_prices`, `pay_statement_totals`) and the marts. Per mechanism,
the participant-years or achievements still to come are valued (observed rates first, the
business case where the cohort has no figures yet), placed in the month expected to verify them,
and run through the contract's own mechanism month by month, so caps hold. Only the cohort
target's price is computed in Python, one row per contract, with the engine's own exact rule.
Output: the temp table `pay_budget_forecast`; `insert_budget_forecast.sql` writes the rows of the
newly issued statements' contracts to `payments.budget_forecast`.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import duckdb

from contracts.payments.entitlement import cohort_target_amount
from contracts.payments.queries import sql

#: What an expected amount rests on, weakest evidence ranked highest (a cell says the highest).
RANKS = {"observed": 1, "business_case": 2}
BASES = ("observed", "business_case", "none")


def compute_forecast(con: duckdb.DuckDBPyConnection, month: str) -> None:
    """Fill `pay_budget_forecast` for every contract of `pay_contracts` (after the inserts)."""
    params = {"month": month}
    con.execute(sql("forecast_macros"))
    con.execute(sql("forecast_contracts"), params)
    con.execute(sql("forecast_savings_rates"))
    con.execute(sql("forecast_savings_pending"))
    con.execute(sql("forecast_savings_expected"))
    con.execute(sql("forecast_rate_card"))
    _cohort_steps(con)
    con.execute(sql("forecast_entries"))
    con.execute(sql("forecast_rows"), params)


def expected_cohort_price(*, complete: int, successes: int, success_share: Decimal | None,
                          target_share: Decimal, amount: Decimal, below_target: str) -> tuple[Decimal, str] | None:
    """The target payment a cohort_target contract is expected to earn, and what that rests on:
    the share of successes among the complete target years so far (observed), else the business
    case's success_share; None when neither is known."""
    if complete > 0:
        share, basis = Fraction(successes, complete), "observed"
    elif success_share is not None:
        share, basis = Fraction(success_share), "business_case"
    else:
        return None
    # cohort_target_amount takes the share as successes / participants: an exact fraction either way
    price = cohort_target_amount(successes=share.numerator, participants=share.denominator,
                                 target_share=target_share, amount=amount, below_target=below_target)
    return price, basis


def _cohort_steps(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(sql("forecast_cohort_steps_table"))
    for (contract_id, target_share, amount, below_target, success_share, complete, successes,
         verify_month) in con.execute(sql("forecast_cohort_counts")).fetchall():
        expected = expected_cohort_price(complete=complete, successes=successes, success_share=success_share,
                                         target_share=target_share, amount=amount,
                                         below_target=below_target or "nothing")
        if expected is None:
            continue
        price, basis = expected
        con.execute(sql("insert_forecast_cohort_step"), {
            "contract_id": contract_id, "verify_month": verify_month, "amount": price, "rank": RANKS[basis]})
