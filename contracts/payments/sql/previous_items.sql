-- The items of each contract's previous statement (what an adjustment's explanation compares).
CREATE OR REPLACE TEMP TABLE pay_previous_items AS
SELECT c.contract_id, e.item_key, e.price_dkk, e.reduction_dkk, e.amount_dkk, e.evidence_status,
       e.achievement_week, e.basis
FROM pay_contracts c JOIN payments.entitlement_items e ON e.statement_id = c.previous_statement_id
