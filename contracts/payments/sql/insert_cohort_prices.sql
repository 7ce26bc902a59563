INSERT INTO pay_cohort_prices VALUES (?, ?, ?)
