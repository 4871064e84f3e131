#!/usr/bin/env bash
# Starts the Spark Connect server (org.apache.spark.sql.connect.service.SparkConnectServer) with
# spark-submit; arguments are spark-submit options. With SPARK_NO_DAEMONIZE set it stays in the
# foreground, as containers need; otherwise it is started through spark-daemon.sh.
set -euo pipefail
class=org.apache.spark.sql.connect.service.SparkConnectServer
if [ -n "${SPARK_NO_DAEMONIZE:-}" ]; then
	exec "${SPARK_HOME}/bin/spark-submit" --class "$class" --name "Spark Connect server" "$@" spark-internal
fi
exec "${SPARK_HOME}/sbin/spark-daemon.sh" submit "$class" 1 --name "Spark Connect server" "$@" spark-internal
