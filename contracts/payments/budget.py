"""Budget entries, the payer's view (`contracts.md`, "Budget entries").

Input temp tables: `pay_contracts`, `pay_statement_totals`, `pay_savings_years` (the
participant-years that make up S). Output temp tables:
- `pay_verified_savings`: per savings_share statement and benefit group, the verified savings
  (Σ savings[p, k, g] over exactly the participant-years of S) and the change since the contract's
  previous statement (whose figures are read back from `payments.statement_savings`);
- `pay_budget_entries`: `payment` (amount payable on terms.budget.payment_account) and `savings`
  (−change, on the group's account), never for a zero amount;
- `pay_budget_unbooked`: the non-zero amounts that get no entry, with the reason (for the report).
"""

from __future__ import annotations

import duckdb

VERIFIED_SAVINGS_SQL = """
CREATE OR REPLACE TEMP TABLE pay_verified_savings AS
WITH cur AS (
    SELECT v.contract_id, g.benefit_group, sum(g.savings_dkk) AS verified
    FROM pay_savings_years v
    JOIN marts.fct_outcome_year_savings g
      ON g.contract_id = v.contract_id AND g.person_key = v.person_key
     AND g.follow_up_year = v.follow_up_year
    WHERE g.savings_dkk IS NOT NULL
    GROUP BY v.contract_id, g.benefit_group
), prev AS (
    SELECT c.contract_id, ss.benefit_group, ss.verified_savings_dkk AS verified
    FROM pay_contracts c
    JOIN payments.statement_savings ss ON ss.statement_id = c.previous_statement_id
    WHERE c.mechanism = 'savings_share'
), merged AS (
    SELECT coalesce(cur.contract_id, prev.contract_id) AS contract_id,
           coalesce(cur.benefit_group, prev.benefit_group) AS benefit_group,
           coalesce(cur.verified, 0) AS verified,
           coalesce(cur.verified, 0) - coalesce(prev.verified, 0) AS change
    FROM cur FULL OUTER JOIN prev
      ON prev.contract_id = cur.contract_id AND prev.benefit_group = cur.benefit_group
)
SELECT m.contract_id, c.statement_id, m.benefit_group,
       nullif(trim(bg.account), '') AS account,
       bg.benefit_group IS NOT NULL AS known_group,
       CAST(m.verified AS DECIMAL(18,2)) AS verified_savings_dkk,
       CAST(m.change AS DECIMAL(18,2)) AS change_dkk
FROM merged m
JOIN pay_contracts c USING (contract_id)
LEFT JOIN reference.benefit_groups bg ON bg.benefit_group = m.benefit_group
WHERE m.verified <> 0 OR m.change <> 0
"""

BUDGET_ENTRIES_SQL = """
CREATE OR REPLACE TEMP TABLE pay_budget_entries AS
SELECT t.statement_id, CAST($budget_year AS INTEGER) AS budget_year, c.payment_account AS account,
       'payment' AS kind, t.amount_payable_dkk AS amount_dkk, CAST(NULL AS VARCHAR) AS benefit_group
FROM pay_statement_totals t JOIN pay_contracts c USING (contract_id)
WHERE t.amount_payable_dkk <> 0 AND c.payment_account IS NOT NULL
UNION ALL
SELECT statement_id, CAST($budget_year AS INTEGER), account, 'savings',
       CAST(-change_dkk AS DECIMAL(18,2)), benefit_group
FROM pay_verified_savings
WHERE change_dkk <> 0 AND account IS NOT NULL
"""

BUDGET_UNBOOKED_SQL = """
CREATE OR REPLACE TEMP TABLE pay_budget_unbooked AS
SELECT t.statement_id, 'payment' AS kind, CAST(NULL AS VARCHAR) AS benefit_group,
       t.amount_payable_dkk AS amount_dkk,
       'terms.budget.payment_account is not set' AS reason
FROM pay_statement_totals t JOIN pay_contracts c USING (contract_id)
WHERE t.amount_payable_dkk <> 0 AND c.payment_account IS NULL
UNION ALL
SELECT statement_id, 'savings', benefit_group, CAST(-change_dkk AS DECIMAL(18,2)),
       CASE WHEN known_group THEN 'benefit group has no account in benefit_groups.csv'
            ELSE 'benefit group not in benefit_groups.csv' END
FROM pay_verified_savings
WHERE change_dkk <> 0 AND account IS NULL
"""


def compute_budget(con: duckdb.DuckDBPyConnection, month: str) -> None:
    budget_year = int(month[:4])
    con.execute(VERIFIED_SAVINGS_SQL)
    con.execute(BUDGET_ENTRIES_SQL, {"budget_year": budget_year})
    con.execute(BUDGET_UNBOOKED_SQL)
