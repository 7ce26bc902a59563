INSERT INTO pay_hashes VALUES (?, ?)
