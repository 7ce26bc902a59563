"""The monthly partition of the run: one partition per statement month (`YYYY-MM`)."""

import dagster as dg

monthly_partitions = dg.MonthlyPartitionsDefinition(start_date="2020-01", fmt="%Y-%m", end_offset=1)
