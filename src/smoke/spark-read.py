"""The smoke test's Spark step: through Spark Connect (SPARK_REMOTE), read a table back and add a row.

Usage: python3 spark-read.py <catalog.namespace.table>
Prints the rows read, as JSON, on stdout. Needs the Spark Connect client: pip install pyspark-client
(the same minor version as the server).
"""

import json
import os
import sys

try:
    from pyspark.sql import SparkSession
except ImportError:
    sys.exit("the Spark Connect client is not installed: pip install 'pyspark-client==4.1.2'")

table = sys.argv[1]
spark = SparkSession.builder.remote(os.environ["SPARK_REMOTE"]).getOrCreate()
try:
    rows = [row.asDict() for row in spark.sql(f"SELECT id, layer FROM {table} ORDER BY id").collect()]
    spark.sql(f"INSERT INTO {table} VALUES (4, 'spark')")
finally:
    spark.stop()
print(json.dumps(rows))
