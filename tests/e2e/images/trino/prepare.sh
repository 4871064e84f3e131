# Sourced by build.sh with CTX (the build context) and DOWNLOAD (the verified tarball): unpacks the
# server and keeps only the plugins lakeforge's catalogs use (the tarball holds about 60). Plugins
# share jars as hard links, so the whole tree is unpacked and the others removed.
KEEP_PLUGINS="iceberg hive delta-lake"
mkdir -p "$CTX/trino-server"
tar -xzf "$DOWNLOAD" -C "$CTX/trino-server" --strip-components=1
for dir in "$CTX/trino-server/plugin"/*; do
	case " $KEEP_PLUGINS " in *" $(basename "$dir") "*) ;; *) rm -rf "$dir" ;; esac
done
