-- total = lines_total + offset_brought_forward; payable = max(total, 0); carried = min(total, 0).
CREATE OR REPLACE TEMP TABLE pay_statement_totals AS
WITH ent AS (
    SELECT contract_id, sum(amount_dkk) AS entitlement FROM pay_items GROUP BY contract_id
), lines AS (
    SELECT contract_id, sum(amount_dkk) AS lines_total, count(*) AS line_count
    FROM pay_lines GROUP BY contract_id
), prev AS (
    SELECT c.contract_id, s.offset_carried_forward_dkk
    FROM pay_contracts c JOIN payments.statements s ON s.statement_id = c.previous_statement_id
), base AS (
    SELECT c.contract_id, c.statement_id, c.is_new,
           CAST(coalesce(ent.entitlement, 0) AS DECIMAL(18,2)) AS entitlement_to_date_dkk,
           CAST(coalesce(lines.lines_total, 0) AS DECIMAL(18,2)) AS lines_total_dkk,
           CAST(coalesce(prev.offset_carried_forward_dkk, 0) AS DECIMAL(18,2)) AS offset_brought_forward_dkk,
           CAST(coalesce(lines.line_count, 0) AS INTEGER) AS line_count
    FROM pay_contracts c
    LEFT JOIN ent USING (contract_id)
    LEFT JOIN lines USING (contract_id)
    LEFT JOIN prev USING (contract_id)
)
SELECT *,
       CAST(lines_total_dkk + offset_brought_forward_dkk AS DECIMAL(18,2)) AS total_dkk,
       CAST(greatest(lines_total_dkk + offset_brought_forward_dkk, 0) AS DECIMAL(18,2)) AS amount_payable_dkk,
       CAST(least(lines_total_dkk + offset_brought_forward_dkk, 0) AS DECIMAL(18,2)) AS offset_carried_forward_dkk
FROM base
