-- The statements already issued for the run's month.
SELECT * FROM payments.statements WHERE month = $month
