-- Exact money arithmetic for the forecast: round(amount × num / den, 2), half away from zero, in
-- whole cents (HUGEINT) - DuckDB divides decimals in DOUBLE, which money never is.
CREATE OR REPLACE TEMP MACRO fc_part(amount, num, den) AS (
    CAST(sign(CAST(amount * 100 AS HUGEINT) * num)
         * ((abs(CAST(amount * 100 AS HUGEINT) * num) * 2 + den) // (2 * den)) AS DECIMAL(38,0)) * 0.01
);
