"""The entitlement to date: items per mechanism (`contracts.md`, "Mechanisms and entitlement to date").

Set-based SQL over the marts for every contract of the run at once. Input: the temp table
`pay_contracts` (one row per contract of the run, with its terms parameters). Output:
- `pay_items`: one row per item (`ITEM_COLUMNS`), zero amounts included;
- `pay_item_evidence`: the outcome rows each item rests on (for the trace).
Only participants count (`marts.dim_participants.excluded_reason IS NULL`), only complete years
(status `full | partial | none`; `pending` is never paid), only verified streaks.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import duckdb

from contracts.payments.caps import apply_rate_card_caps, apply_savings_cap
from contracts.payments.money import round_half_away

COMPLETE = "('full', 'partial', 'none')"

ITEM_COLUMNS = (
    "contract_id, item_key, person_key, outcome_id, follow_up_year, achievement_week, "
    "achievement_date, price_dkk, reduction_dkk, amount_dkk, evidence_status, basis"
)
EVIDENCE_COLUMNS = (
    "contract_id, item_key, role, person_key, outcome_id, follow_up_year, achievement_week, "
    "outcome_status, savings_dkk, counted"
)

PARTICIPANTS_SQL = """
CREATE OR REPLACE TEMP TABLE pay_participants AS
SELECT p.contract_id, p.person_key, CAST(p.start_date AS DATE) AS start_date, p.baseline_complete
FROM marts.dim_participants p JOIN pay_contracts c USING (contract_id)
WHERE p.excluded_reason IS NULL
"""

# ---------------------------------------------------------------------------------------------
# savings_share
# S = Σ savings[p, k] over the complete participant-years with a complete baseline and, when
# count_savings_when is given, one of its statuses. These participant-years are kept: they are
# also the base of the verified savings per benefit group (budget entries).
SAVINGS_YEARS_SQL = f"""
CREATE OR REPLACE TEMP TABLE pay_savings_years AS
WITH filters AS (
    SELECT contract_id, list(outcome_status) AS statuses
    FROM raw.contract_year_statuses WHERE purpose = 'count_savings_when'
    GROUP BY contract_id
)
SELECT y.contract_id, y.person_key, CAST(y.follow_up_year AS INTEGER) AS follow_up_year,
       y.outcome_status, CAST(y.savings_dkk AS DECIMAL(18,2)) AS savings_dkk
FROM marts.fct_outcome_years y
JOIN pay_participants p USING (contract_id, person_key)
JOIN pay_contracts c USING (contract_id)
LEFT JOIN filters f USING (contract_id)
WHERE c.mechanism = 'savings_share'
  AND p.baseline_complete IS TRUE
  AND y.outcome_status IN {COMPLETE}
  AND y.baseline_cost_dkk IS NOT NULL
  AND y.savings_dkk IS NOT NULL
  AND y.follow_up_year BETWEEN 1 AND c.follow_up_years
  AND (f.statuses IS NULL OR list_contains(f.statuses, y.outcome_status))
"""

# outlay_repayment = min(max(S, 0), outlay); gain_share = round(share × max(S − outlay, 0), 2).
# DECIMAL × DECIMAL is exact in DuckDB and ROUND on DECIMAL is half away from zero.
SAVINGS_TOTALS_SQL = """
CREATE OR REPLACE TEMP TABLE pay_savings_totals AS
WITH s AS (
    SELECT c.contract_id, c.outlay_dkk, c.investor_share, c.cap_dkk,
           CAST(coalesce(sum(v.savings_dkk), 0) AS DECIMAL(18,2)) AS s_total,
           count(v.person_key) AS n_years
    FROM pay_contracts c LEFT JOIN pay_savings_years v USING (contract_id)
    WHERE c.mechanism = 'savings_share'
    GROUP BY c.contract_id, c.outlay_dkk, c.investor_share, c.cap_dkk
)
SELECT contract_id, cap_dkk, s_total, n_years,
       CAST(least(greatest(s_total, 0), coalesce(outlay_dkk, 0)) AS DECIMAL(18,2)) AS outlay_price,
       CAST(round(investor_share * greatest(s_total - coalesce(outlay_dkk, 0), 0), 2)
            AS DECIMAL(18,2)) AS gain_price,
       'S = ' || CAST(s_total AS VARCHAR) || ' over ' || n_years || ' participant-years' AS basis
FROM s
"""

SAVINGS_EVIDENCE_SQL = """
SELECT i.contract_id, i.item_key, 'savings_year' AS role, v.person_key,
       CAST(NULL AS VARCHAR) AS outcome_id, v.follow_up_year, CAST(NULL AS INTEGER) AS achievement_week,
       v.outcome_status, v.savings_dkk, TRUE AS counted
FROM pay_savings_items i JOIN pay_savings_years v USING (contract_id)
"""

# ---------------------------------------------------------------------------------------------
# rate_card
# Every verified achievement of a listed outcome, before `requires` and caps. The achievement week
# of year k is 52k; its date is the Monday of that follow-up week (from fct_participant_weeks, or
# computed from start_date by the same rule when the week row is absent).
RATE_ACHIEVED_SQL = f"""
CREATE OR REPLACE TEMP TABLE pay_rate_achieved AS
WITH outcomes AS (
    SELECT o.contract_id, CAST(o.position AS INTEGER) AS position, o.outcome_id, o.kind, o.requires,
           CAST(o.price_dkk AS DECIMAL(18,2)) AS price_dkk
    FROM raw.contract_rate_card_outcomes o JOIN pay_contracts c USING (contract_id)
    WHERE c.mechanism = 'rate_card'
), streaks AS (
    SELECT o.contract_id, s.person_key, o.outcome_id, o.position, o.requires, o.price_dkk,
           0 AS follow_up_year,
           CAST(s.achievement_week AS INTEGER) AS achievement_week,
           CAST(s.achievement_date AS DATE) AS achievement_date,
           'verified' AS evidence_status,
           'achieved in follow-up week ' || s.achievement_week AS basis,
           'streak' AS role
    FROM outcomes o
    JOIN marts.fct_streak_outcomes s ON s.contract_id = o.contract_id AND s.outcome_id = o.outcome_id
    JOIN pay_participants p ON p.contract_id = s.contract_id AND p.person_key = s.person_key
    WHERE o.kind = 'streak' AND s.streak_status = 'verified' AND s.achievement_week IS NOT NULL
), years AS (
    SELECT o.contract_id, y.person_key, o.outcome_id, o.position, o.requires, o.price_dkk,
           CAST(y.follow_up_year AS INTEGER) AS follow_up_year,
           CAST(52 * y.follow_up_year AS INTEGER) AS achievement_week,
           coalesce(CAST(w.week_start AS DATE),
                    CAST(date_trunc('week', p.start_date) AS DATE)
                        + CAST(7 * (52 * y.follow_up_year - 1) AS INTEGER)) AS achievement_date,
           y.outcome_status AS evidence_status,
           'year ' || y.follow_up_year || ' status ' || y.outcome_status AS basis,
           'outcome_year' AS role
    FROM outcomes o
    JOIN raw.contract_outcome_years oy
      ON oy.contract_id = o.contract_id AND oy.outcome_id = o.outcome_id
    JOIN raw.contract_outcome_statuses st
      ON st.contract_id = o.contract_id AND st.outcome_id = o.outcome_id
    JOIN marts.fct_outcome_years y
      ON y.contract_id = o.contract_id AND y.follow_up_year = oy.follow_up_year
     AND y.outcome_status = st.status
    JOIN pay_participants p ON p.contract_id = y.contract_id AND p.person_key = y.person_key
    LEFT JOIN marts.fct_participant_weeks w
      ON w.contract_id = y.contract_id AND w.person_key = y.person_key
     AND w.follow_up_week = 52 * y.follow_up_year
    WHERE o.kind = 'year_status' AND y.outcome_status IN {COMPLETE}
)
SELECT * FROM streaks UNION ALL BY NAME SELECT * FROM years
"""

# `requires`: the required outcome was achieved (and verified) in the same or an earlier follow-up
# week. "Achieved" is the outcome's own register fact; the required outcome's own `requires` is
# not applied again (docs/payments.md). The earliest qualifying achievement is kept as evidence.
RATE_REQUIREMENTS_SQL = """
CREATE OR REPLACE TEMP TABLE pay_rate_requirements AS
SELECT a.contract_id, a.person_key, a.outcome_id, a.follow_up_year,
       r.outcome_id AS req_outcome_id, r.follow_up_year AS req_year,
       r.achievement_week AS req_week, r.evidence_status AS req_status
FROM pay_rate_achieved a
JOIN pay_rate_achieved r
  ON r.contract_id = a.contract_id AND r.person_key = a.person_key
 AND r.outcome_id = a.requires AND r.achievement_week <= a.achievement_week
QUALIFY row_number() OVER (
    PARTITION BY a.contract_id, a.person_key, a.outcome_id, a.follow_up_year
    ORDER BY r.achievement_week, r.follow_up_year) = 1
"""

RATE_ITEMS_SQL = """
CREATE OR REPLACE TEMP TABLE pay_rate_items AS
SELECT a.contract_id,
       a.person_key || '|' || a.outcome_id || '|' || a.follow_up_year AS item_key,
       a.person_key, a.outcome_id, a.follow_up_year, a.achievement_week, a.achievement_date,
       a.position, a.price_dkk, a.evidence_status, a.basis, a.role
FROM pay_rate_achieved a
LEFT JOIN pay_rate_requirements q
  ON q.contract_id = a.contract_id AND q.person_key = a.person_key
 AND q.outcome_id = a.outcome_id AND q.follow_up_year = a.follow_up_year
WHERE a.requires IS NULL OR q.req_outcome_id IS NOT NULL
"""

RATE_EVIDENCE_SQL = """
SELECT contract_id, item_key, role, person_key, outcome_id, follow_up_year, achievement_week,
       evidence_status AS outcome_status, CAST(NULL AS DECIMAL(18,2)) AS savings_dkk, TRUE AS counted
FROM pay_rate_items
UNION ALL
SELECT i.contract_id, i.item_key, 'requirement', i.person_key, q.req_outcome_id, q.req_year,
       q.req_week, q.req_status, CAST(NULL AS DECIMAL(18,2)), TRUE
FROM pay_rate_items i
JOIN pay_rate_requirements q
  ON q.contract_id = i.contract_id AND q.person_key = i.person_key
 AND q.outcome_id = i.outcome_id AND q.follow_up_year = i.follow_up_year
"""

# ---------------------------------------------------------------------------------------------
# cohort_target
# One row per participant of a cohort_target contract: its target year's status, completeness and
# success. A participant without a row for the target year is not complete.
COHORT_YEARS_SQL = f"""
CREATE OR REPLACE TEMP TABLE pay_cohort_years AS
WITH targets AS (
    SELECT contract_id, list(outcome_status) AS statuses
    FROM raw.contract_year_statuses WHERE purpose = 'target_statuses'
    GROUP BY contract_id
)
SELECT c.contract_id, p.person_key, CAST(c.target_year AS INTEGER) AS follow_up_year, y.outcome_status,
       coalesce(y.outcome_status IN {COMPLETE}, FALSE) AS complete,
       coalesce(y.outcome_status IN {COMPLETE}, FALSE)
           AND coalesce(list_contains(t.statuses, y.outcome_status), FALSE) AS success
FROM pay_contracts c
JOIN pay_participants p USING (contract_id)
LEFT JOIN marts.fct_outcome_years y
  ON y.contract_id = p.contract_id AND y.person_key = p.person_key
 AND y.follow_up_year = c.target_year
LEFT JOIN targets t ON t.contract_id = c.contract_id
WHERE c.mechanism = 'cohort_target'
"""

COHORT_COUNTS_SQL = """
SELECT c.contract_id, c.referrals_as_of, c.cohort_start_to, c.target_year, c.target_share,
       c.target_amount_dkk, c.below_target,
       count(y.person_key) AS participants,
       count(*) FILTER (WHERE y.complete) AS complete,
       count(*) FILTER (WHERE y.success) AS successes
FROM pay_contracts c LEFT JOIN pay_cohort_years y USING (contract_id)
WHERE c.mechanism = 'cohort_target'
GROUP BY ALL
ORDER BY c.contract_id
"""

COHORT_EVIDENCE_SQL = """
SELECT i.contract_id, i.item_key, 'cohort_year' AS role, y.person_key,
       CAST(NULL AS VARCHAR) AS outcome_id, y.follow_up_year, CAST(NULL AS INTEGER) AS achievement_week,
       y.outcome_status, CAST(NULL AS DECIMAL(18,2)) AS savings_dkk, y.success AS counted
FROM pay_cohort_items i JOIN pay_cohort_years y USING (contract_id)
"""


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
    con.execute(
        "CREATE OR REPLACE TEMP TABLE pay_cohort_prices (contract_id VARCHAR, price_dkk DECIMAL(18,2), "
        "basis VARCHAR)"
    )
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
    ) in con.execute(COHORT_COUNTS_SQL).fetchall():
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
        con.executemany("INSERT INTO pay_cohort_prices VALUES (?, ?, ?)", rows)
    con.execute(
        """
        CREATE OR REPLACE TEMP TABLE pay_cohort_items AS
        SELECT contract_id, 'target_payment' AS item_key, CAST(NULL AS VARCHAR) AS person_key,
               'target_payment' AS outcome_id, CAST(NULL AS INTEGER) AS follow_up_year,
               CAST(NULL AS INTEGER) AS achievement_week, CAST(NULL AS DATE) AS achievement_date,
               price_dkk, CAST(0 AS DECIMAL(18,2)) AS reduction_dkk, price_dkk AS amount_dkk,
               CAST(NULL AS VARCHAR) AS evidence_status, basis
        FROM pay_cohort_prices
        """
    )


def compute_entitlement(con: duckdb.DuckDBPyConnection) -> None:
    """Fill `pay_items` and `pay_item_evidence` for every contract of `pay_contracts`."""
    con.execute(PARTICIPANTS_SQL)

    con.execute(SAVINGS_YEARS_SQL)
    con.execute(SAVINGS_TOTALS_SQL)
    apply_savings_cap(con)

    con.execute(RATE_ACHIEVED_SQL)
    con.execute(RATE_REQUIREMENTS_SQL)
    con.execute(RATE_ITEMS_SQL)
    apply_rate_card_caps(con)

    con.execute(COHORT_YEARS_SQL)
    _cohort_items(con)

    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE pay_items AS
        SELECT {ITEM_COLUMNS} FROM pay_savings_items
        UNION ALL SELECT {ITEM_COLUMNS} FROM pay_rate_card_items
        UNION ALL SELECT {ITEM_COLUMNS} FROM pay_cohort_items
        """
    )
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE pay_item_evidence AS
        SELECT {EVIDENCE_COLUMNS} FROM ({SAVINGS_EVIDENCE_SQL})
        UNION ALL SELECT {EVIDENCE_COLUMNS} FROM ({RATE_EVIDENCE_SQL})
        UNION ALL SELECT {EVIDENCE_COLUMNS} FROM ({COHORT_EVIDENCE_SQL})
        """
    )
