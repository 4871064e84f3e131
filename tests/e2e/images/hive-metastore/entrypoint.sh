#!/bin/bash
# Entrypoint of the hive-metastore stand-in: the behaviour of apache/hive's
# standalone-metastore/packaging/src/docker/entrypoint.sh, with bin/schematool and
# bin/start-metastore running java directly instead of through Hadoop's scripts.
#   DB_DRIVER             schematool -dbType (default derby)
#   IS_RESUME=true        skip `schematool -initOrUpgradeSchema`
#   VERBOSE=true          schematool --verbose (and set -x)
#   SERVICE_OPTS          JVM options (e.g. -Djavax.jdo.option.*; prefer a mounted metastore-site.xml)
#   HIVE_CUSTOM_CONF_DIR  every file in it is symlinked into $HIVE_HOME/conf
#   METASTORE_PORT        Thrift port (default 9083)
#   /tmp/ext-jars         jars mounted here join the classpath
[[ "${VERBOSE:-}" = "true" ]] && set -x

: "${DB_DRIVER:=derby}"
SKIP_SCHEMA_INIT="${IS_RESUME:-false}"
[[ "${VERBOSE:-}" = "true" ]] && VERBOSE_MODE="--verbose" || VERBOSE_MODE=""

initialize_hive() {
	# shellcheck disable=SC2086 # VERBOSE_MODE is empty or one word
	if "$HIVE_HOME/bin/schematool" -dbType "$DB_DRIVER" -initOrUpgradeSchema $VERBOSE_MODE; then
		echo "Initialized Hive Metastore Server schema successfully.."
	else
		echo "Hive Metastore Server schema initialization failed!"
		exit 1
	fi
}

export HIVE_CONF_DIR="$HIVE_HOME/conf"
if [ -d "${HIVE_CUSTOM_CONF_DIR:-}" ]; then
	find "${HIVE_CUSTOM_CONF_DIR}" -type f -exec ln -sfn {} "${HIVE_CONF_DIR}"/ \;
	export HADOOP_CONF_DIR="$HIVE_CONF_DIR"
fi

export HADOOP_CLIENT_OPTS="${HADOOP_CLIENT_OPTS:-} -Xmx1G ${SERVICE_OPTS:-}"
# bin/metastore-java adds SERVICE_OPTS itself when run on its own; here it is in HADOOP_CLIENT_OPTS.
unset SERVICE_OPTS

if [[ "${SKIP_SCHEMA_INIT}" == "false" ]]; then
	initialize_hive
fi

export METASTORE_PORT="${METASTORE_PORT:-9083}"
echo "Starting Hive Metastore on port $METASTORE_PORT..."
exec "$HIVE_HOME/bin/start-metastore"
