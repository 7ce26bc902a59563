"""The Dagster asset that publishes the analysts' copy after each successful run
(`orchestration/analyst_copy.py` writes it)."""

from pathlib import Path

import dagster as dg

from orchestration.analyst_copy import PUBLIC_SCHEMAS, analyst_copy_path, publish_analyst_copy
from orchestration.faults import fault_point
from orchestration.policy import RUN_POLICY
from orchestration.resources import Warehouse
from orchestration.steps import report

__all__ = ["PUBLIC_SCHEMAS", "analyst_copy", "analyst_copy_path", "publish_analyst_copy"]


@dg.asset(key=["analyst_copy"], **RUN_POLICY, group_name="payments", deps=[dg.AssetKey(["payments", "statements"])],
          description="Read-only copy of the public tables for analysts, published after each successful run.")
def analyst_copy(context: dg.AssetExecutionContext, warehouse: Warehouse) -> dg.MaterializeResult:
    with warehouse.connect() as con:
        published = publish_analyst_copy(con, Path(warehouse.path))
    report(context, published.describe())
    fault_point("after:publish")
    return dg.MaterializeResult(metadata={"path": dg.MetadataValue.path(str(published.path)),
                                          "tables": dg.MetadataValue.int(published.tables),
                                          "incremental": dg.MetadataValue.bool(published.incremental),
                                          "rows_written": dg.MetadataValue.int(sum(published.rows_written.values()))})
