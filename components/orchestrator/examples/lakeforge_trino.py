"""Runs SQL on Trino through its HTTP client protocol, with the standard library only.

Part of lakeforge's example pipeline: it records each pipeline run as a row of an Iceberg
table through the platform's query engine, so one run proves the orchestrator, Trino, the
catalog and the object store work together. TRINO_URL, TRINO_USER and TRINO_CATALOG come from
the orchestrator's environment, rendered by lakeforge.
"""

import json
import os
import urllib.request

TABLE = "examples.orchestrator_runs"


def trino(sql):
    """Runs one statement and returns its rows, following Trino's nextUri until the end."""
    headers = {
        "X-Trino-User": os.environ.get("TRINO_USER", "lakeforge"),
        "X-Trino-Catalog": os.environ["TRINO_CATALOG"],
    }
    request = urllib.request.Request(
        os.environ["TRINO_URL"].rstrip("/") + "/v1/statement", data=sql.encode(), headers=headers, method="POST"
    )
    rows = []
    while request is not None:
        with urllib.request.urlopen(request, timeout=120) as response:
            body = json.load(response)
        if "error" in body:
            raise RuntimeError(f"Trino: {body['error'].get('message')} (in: {sql})")
        rows.extend(body.get("data", []))
        next_uri = body.get("nextUri")
        request = urllib.request.Request(next_uri, headers=headers) if next_uri else None
    return rows


def quote(value):
    """A SQL string literal."""
    return "'" + str(value).replace("'", "''") + "'"


def record_run(orchestrator, run_id):
    """Creates the example table if needed and inserts one row for this run; returns the table's row count."""
    schema, _ = TABLE.split(".")
    trino(f"CREATE SCHEMA IF NOT EXISTS {schema}")
    trino(
        f"CREATE TABLE IF NOT EXISTS {TABLE} "
        "(run_id varchar, orchestrator varchar, recorded_at timestamp(6) with time zone)"
    )
    trino(f"INSERT INTO {TABLE} VALUES ({quote(run_id)}, {quote(orchestrator)}, current_timestamp)")
    return trino(f"SELECT count(*) FROM {TABLE}")[0][0]
