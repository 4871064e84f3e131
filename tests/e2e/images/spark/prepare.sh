# Sourced by build.sh with HERE, CTX, CACHE and DOWNLOAD (the pyspark source distribution): lays out
# SPARK_HOME from its deps/ and resolves the Maven packages lakeforge's Spark config names
# (SPARK_PACKAGES, less SPARK_PACKAGE_EXCLUDES, read from components/queryEngine/spark.ts) with the
# host's Maven into a local repository for the image, as Spark's own resolver will walk it.
command -v mvn > /dev/null || die "mvn is needed to build spark (its Maven artifacts)"
unpacked="$CTX/pyspark-sdist"
mkdir -p "$unpacked" "$CTX/spark"
tar -xzf "$DOWNLOAD" -C "$unpacked" --strip-components=1
for dir in jars bin sbin; do mv "$unpacked/deps/$dir" "$CTX/spark/$dir"; done
mkdir -p "$CTX/spark/python"
mv "$unpacked/pyspark" "$CTX/spark/python/pyspark"
rm -rf "$unpacked"

# The quoted `group:artifact[:version]` strings of one exported array in spark.ts.
spark_list() {
	sed -n "/^export const $1 = \[/,/^\]/p" "$HERE/../../../components/queryEngine/spark.ts" | grep -oE '"[^"]+"' | tr -d '"'
}
packages="$(spark_list SPARK_PACKAGES)"
excludes="$(spark_list SPARK_PACKAGE_EXCLUDES)"
[ -n "$packages" ] && [ -n "$excludes" ] || die "no SPARK_PACKAGES or SPARK_PACKAGE_EXCLUDES in components/queryEngine/spark.ts"
exclusions="$(for e in $excludes; do printf '<exclusion><groupId>%s</groupId><artifactId>%s</artifactId></exclusion>' "${e%%:*}" "${e#*:}"; done)"
pom="$CACHE/spark-packages/pom.xml"
mkdir -p "$(dirname "$pom")"
{
	echo '<project xmlns="http://maven.apache.org/POM/4.0.0"><modelVersion>4.0.0</modelVersion>'
	echo '<groupId>lakeforge.e2e</groupId><artifactId>spark-packages</artifactId><version>0</version><dependencies>'
	for p in $packages; do
		IFS=: read -r g a v <<< "$p"
		echo "<dependency><groupId>$g</groupId><artifactId>$a</artifactId><version>$v</version><exclusions>$exclusions</exclusions></dependency>"
	done
	echo '</dependencies></project>'
} > "$pom"
# A repository of its own, so it holds only what this resolution (and Maven's plugin) read.
repo="$CACHE/m2-spark"
mvn -q -B -f "$pom" dependency:list -DoutputFile="$CACHE/spark-packages/list.txt" -Dmaven.repo.local="$repo" \
	> "$CACHE/logs/mvn-spark.log" 2>&1 || { tail -20 "$CACHE/logs/mvn-spark.log" >&2; die "mvn could not resolve Spark's packages"; }
# Every POM (Spark's resolver reads parents and imported BOMs as Maven did), and the resolved jars.
mkdir -p "$CTX/m2"
(cd "$repo" && find . -name '*.pom' -exec cp --parents {} "$CTX/m2/" \;)
grep -oE '^ +[^: ]+:[^: ]+:jar:[^: ]+' "$CACHE/spark-packages/list.txt" | tr -d ' ' | while IFS=: read -r g a _ v; do
	(cd "$repo" && cp --parents "${g//.//}/$a/$v/$a-$v.jar" "$CTX/m2/") || die "no jar for $g:$a:$v"
done
