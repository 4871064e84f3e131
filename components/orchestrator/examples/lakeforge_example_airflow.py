"""lakeforge's example Airflow DAG: one task that records its run in an Iceberg table.

Unscheduled: trigger it from the UI or through the REST API (`npm run smoke` does).
"""

from airflow.sdk import dag, get_current_context, task
from lakeforge_trino import record_run


@dag(dag_id="lakeforge_example", schedule=None, catchup=False, tags=["lakeforge"])
def lakeforge_example():
    @task
    def record():
        run_id = get_current_context()["run_id"]
        rows = record_run("airflow", run_id)
        print(f"recorded run {run_id}; the table now has {rows} rows")

    record()


lakeforge_example()
