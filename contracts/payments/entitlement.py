"""The entitlement to date: items per mechanism (`contracts.md`, "Mechanisms and entitlement to date").

Set-based SQL (`sql/*.sql`) over the marts for every contract of the run at once. The marts say
what was achieved (outcome years with `is_complete` and `counts_for_payment`, rate-card
achievements with their week, date, verification and requirement); this module says what is owed.
Input: the temp table `pay_contracts` (one row per contract of the run, with its payment terms).
Output:
- `pay_items`: one row per item, zero amounts included;
- `pay_item_evidence`: the outcome rows each item rests on (for the trace).
Only participants count (`marts.dim_participants.excluded_reason IS NULL`), only complete years
(`pending` is never paid), only verified achievements.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import duckdb

from contracts.payments.caps import apply_rate_card_caps, apply_savings_cap
from contracts.payments.money import round_half_away
from contracts.payments.queries import sql


def cohort_target_amount(
    *, successes: int, participants: int, target_share: Decimal, amount: Decimal, below_target: str
) -> Decimal:
    """`amount` if share ≥ target_share, else 0 or round(amount × share / target_share, 2).

    `share = successes / participants` is kept as an exact fraction; the comparison and the
    pro-rata product are exact, rounded once, half away from zero.
    """
    share = Fraction(successes, participants)
    target = Fraction(target_share)
    if share >= target:
        return Decimal(amount).quantize(Decimal("0.01"))
    if below_target == "pro_rata":
        return round_half_away(Fraction(amount) * share / target)
    return Decimal("0.00")


def _plain(d: Decimal) -> str:
    """A share as written in terms: 0.5, not 0.5000000000."""
    return format(Decimal(d).normalize(), "f")


def _cohort_items(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(sql("cohort_prices_table"))
    rows = []
    for (
        contract_id,
        as_of,
        start_to,
        target_year,
        target_share,
        amount,
        below_target,
        participants,
        complete,
        successes,
    ) in con.execute(sql("cohort_counts")).fetchall():
        # Verified: the referral vintage's as-of date is after cohort.start_to (the cohort is
        # closed), at least one participant, and the target year complete for every participant.
        if as_of is None or start_to is None or not as_of > start_to:
            continue
        if participants < 1 or complete != participants:
            continue
        price = cohort_target_amount(
            successes=successes,
            participants=participants,
            target_share=target_share,
            amount=amount,
            below_target=below_target or "nothing",
        )
        met = Fraction(successes, participants) >= Fraction(target_share)
        basis = (
            f"{successes} of {participants} participants succeeded in year {target_year}; "
            f"target share {_plain(target_share)} {'met' if met else 'not met'}"
        )
        rows.append((contract_id, price, basis))
    if rows:
        con.executemany(sql("insert_cohort_prices"), rows)
    con.execute(sql("cohort_items"))


def compute_entitlement(con: duckdb.DuckDBPyConnection) -> None:
    """Fill `pay_items` and `pay_item_evidence` for every contract of `pay_contracts`."""
    con.execute(sql("participants"))

    con.execute(sql("savings_years"))
    con.execute(sql("savings_totals"))
    apply_savings_cap(con)

    con.execute(sql("rate_achieved"))
    con.execute(sql("rate_items"))
    apply_rate_card_caps(con)

    con.execute(sql("cohort_years"))
    _cohort_items(con)

    con.execute(sql("items"))
    con.execute(sql("item_evidence"))
