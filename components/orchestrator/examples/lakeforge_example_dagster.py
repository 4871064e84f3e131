"""lakeforge's example Dagster code location: one job that records its run in an Iceberg table.

Served by `dagster api grpc -f lakeforge_example_dagster.py`; launch the job `lakeforge_example`
from the UI or through GraphQL (`npm run smoke` does).
"""

import dagster as dg
from lakeforge_trino import record_run


@dg.op
def record(context: dg.OpExecutionContext) -> None:
    rows = record_run("dagster", context.run_id)
    context.log.info(f"recorded run {context.run_id}; the table now has {rows} rows")


@dg.job
def lakeforge_example():
    record()


defs = dg.Definitions(jobs=[lakeforge_example])
