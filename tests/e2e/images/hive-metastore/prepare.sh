# Sourced by build.sh with CTX (the build context) and CACHE: resolves, with the host's Maven into
# $CACHE/m2, the artifacts pom.xml names (the metastore's binary distribution, which Maven Central
# carries as org.apache.hive:hive-standalone-metastore-server:4.0.0:tar.gz:bin, Hadoop 3.3.6 with
# hadoop-aws and its AWS SDK bundle, the PostgreSQL driver) and lays out HIVE_HOME and HADOOP_HOME.
command -v mvn > /dev/null || die "mvn is needed to build hive-metastore (its Maven artifacts)"
mkdir -p "$CACHE/logs"
deps="$CTX/maven-deps"
mvn -B -q -f "$CTX/pom.xml" dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory="$deps" \
	-Dmaven.repo.local="$CACHE/m2" > "$CACHE/logs/mvn-hive-metastore.log" 2>&1 \
	|| { tail -20 "$CACHE/logs/mvn-hive-metastore.log" >&2; die "mvn dependency:copy-dependencies for hive-metastore failed"; }
rm -f "$CTX/pom.xml"
# HIVE_HOME: the distribution minus bin/ (its scripts run everything through Hadoop's `hadoop jar`;
# bin/ here replaces them) and minus its PostgreSQL driver (42.5.1; 42.7.14 is added instead).
mkdir -p "$CTX/hive"
tar -xzf "$deps"/hive-standalone-metastore-server-*-bin.tar.gz -C "$CTX/hive" --strip-components=1
rm -f "$deps"/hive-standalone-metastore-server-*-bin.tar.gz
rm -rf "$CTX/hive/bin" "$CTX/hive/lib"/postgresql-*.jar
mv "$deps"/postgresql-*.jar "$CTX/hive/lib/"
# HADOOP_HOME: Hadoop's jars, behind the metastore's on the classpath (as the real image's
# HADOOP_USER_CLASSPATH_FIRST=true has it). A jar whose artifact the metastore already ships is
# left out, and so are jetty, zookeeper and netty (the real image deletes them from Hadoop's lib)
# and the log4j 1 / reload4j bindings (the metastore logs through log4j2).
mkdir -p "$CTX/hadoop/share/hadoop/common/lib"
artifact() { basename "$1" .jar | sed -E 's/-[0-9][^-]*(-[A-Za-z0-9.]+)*$//'; }
declare -A hive_has=()
for jar in "$CTX/hive/lib"/*.jar; do hive_has[$(artifact "$jar")]=1; done
for jar in "$deps"/*.jar; do
	a="$(artifact "$jar")"
	case "$a" in
		jetty-* | zookeeper* | netty-* | log4j | reload4j | slf4j-reload4j | slf4j-log4j12 | listenablefuture) continue ;;
	esac
	[ -n "${hive_has[$a]:-}" ] && continue
	mv "$jar" "$CTX/hadoop/share/hadoop/common/lib/"
done
rm -rf "$deps"
unset -f artifact
unset hive_has deps jar a
