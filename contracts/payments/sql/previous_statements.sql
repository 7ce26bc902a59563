-- Each contract's latest statement before the run's month (months may be skipped).
SELECT * FROM payments.statements WHERE month < $month
QUALIFY row_number() OVER (PARTITION BY contract_id ORDER BY month DESC) = 1
