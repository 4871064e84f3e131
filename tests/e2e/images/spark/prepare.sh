# Sourced by build.sh with CTX and DOWNLOAD (the pyspark source distribution): lays out SPARK_HOME
# from its deps/ and resolves the Maven artifacts of SPARK_PACKAGES (the ones lakeforge's Spark
# config names) with the host's Maven into a local repository for the image.
SPARK_PACKAGES="org.apache.iceberg:iceberg-spark-runtime-4.1_2.13:1.12.0 org.apache.iceberg:iceberg-aws-bundle:1.12.0 org.postgresql:postgresql:42.7.14"
command -v mvn > /dev/null || die "mvn is needed to build spark (its Maven artifacts)"
unpacked="$CTX/pyspark-sdist"
mkdir -p "$unpacked" "$CTX/spark"
tar -xzf "$DOWNLOAD" -C "$unpacked" --strip-components=1
for dir in jars bin sbin; do mv "$unpacked/deps/$dir" "$CTX/spark/$dir"; done
mkdir -p "$CTX/spark/python"
mv "$unpacked/pyspark" "$CTX/spark/python/pyspark"
rm -rf "$unpacked"
for artifact in $SPARK_PACKAGES; do
	mvn -q -B dependency:get -Dartifact="$artifact" -Dmaven.repo.local="$CACHE/m2" -Dtransitive=true > "$CACHE/logs/mvn-spark.log" 2>&1 \
		|| { tail -20 "$CACHE/logs/mvn-spark.log" >&2; die "mvn dependency:get $artifact failed"; }
done
# Only the artifacts' own groups (and their dependencies'), not Maven's plugins.
mkdir -p "$CTX/m2"
for group in org/apache/iceberg org/postgresql org/checkerframework; do
	[ -d "$CACHE/m2/$group" ] && mkdir -p "$CTX/m2/$(dirname "$group")" && cp -R "$CACHE/m2/$group" "$CTX/m2/$group"
done
find "$CTX/m2" -name '_remote.repositories' -delete
