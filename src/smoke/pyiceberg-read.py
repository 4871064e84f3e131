"""The smoke test's pyiceberg step: read a table straight from the catalog and the object store,
with no query engine, as a Python client of the platform would (clientEnv variables only).

Usage: python3 pyiceberg-read.py <namespace> <table>
Prints the rows, as JSON, on stdout. Needs: pip install 'pyiceberg[sql-postgres,pyarrow]==0.12.0'
"""

import json
import os
import sys

try:
    from pyiceberg.catalog import load_catalog
    from pyiceberg.io import load_file_io
except ImportError:
    sys.exit("pyiceberg is not installed: pip install 'pyiceberg[sql-postgres,pyarrow]==0.12.0'")

env = os.environ
s3 = {
    "s3.endpoint": env["S3_ENDPOINT"],
    "s3.access-key-id": env["AWS_ACCESS_KEY_ID"],
    "s3.secret-access-key": env["AWS_SECRET_ACCESS_KEY"],
    "s3.region": env["AWS_REGION"],
    "s3.force-virtual-addressing": "false",
}
if env["ICEBERG_CATALOG_TYPE"] == "jdbc":
    host_db = env["ICEBERG_JDBC_URL"].removeprefix("jdbc:postgresql://")
    uri = f"postgresql+psycopg2://{env['ICEBERG_JDBC_USER']}:{env['ICEBERG_JDBC_PASSWORD']}@{host_db}"
    # The client login may change entries, not create the catalog's tables: they exist already.
    props = {"type": "sql", "uri": uri, "warehouse": env["ICEBERG_WAREHOUSE"], "init_catalog_tables": "false"}
else:
    props = {"type": "rest", "uri": env["ICEBERG_REST_URI"], "warehouse": env["ICEBERG_WAREHOUSE"]}
    # Lakekeeper without an OpenID provider authenticates nobody: no credential to send.
    if env.get("ICEBERG_REST_CREDENTIAL"):
        props["credential"] = env["ICEBERG_REST_CREDENTIAL"]
        props["scope"] = env["ICEBERG_REST_SCOPE"]
        props["oauth2-server-uri"] = env["ICEBERG_REST_OAUTH2_SERVER_URI"]
catalog = load_catalog(env["ICEBERG_CATALOG"], **props, **s3)
table = catalog.load_table((sys.argv[1], sys.argv[2]))
# A REST catalog's table config may name the store's in-network endpoint (Lakekeeper tells every
# client the one it uses itself): this client reaches the store as clientEnv says, with its own key.
table.io = load_file_io({**table.io.properties, **s3}, table.metadata.location)
rows = table.scan().to_arrow().sort_by("id").to_pylist()
print(json.dumps(rows))
