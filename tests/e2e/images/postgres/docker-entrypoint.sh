#!/usr/bin/env bash
# Entrypoint of the lakeforge e2e postgres stand-in. It implements the documented behaviour of
# the official postgres image's entrypoint (https://hub.docker.com/_/postgres, "Environment
# Variables", "Initialization scripts", "Arbitrary --user Notes"):
#
#   POSTGRES_PASSWORD / POSTGRES_PASSWORD_FILE   superuser password (required on first start
#                                                 unless POSTGRES_HOST_AUTH_METHOD=trust)
#   POSTGRES_USER (default postgres)             superuser role made by initdb
#   POSTGRES_DB (default $POSTGRES_USER)         database created on first start
#   POSTGRES_INITDB_ARGS, POSTGRES_INITDB_WALDIR extra initdb arguments / WAL directory
#   POSTGRES_HOST_AUTH_METHOD                    method of the `host all all all` pg_hba line
#                                                 (default: password_encryption, scram-sha-256)
#   PGDATA                                       initialised when it holds no PG_VERSION
#   /docker-entrypoint-initdb.d/*                *.sh, *.sql, *.sql.gz|xz|zst run once on init
#
# Every *_FILE variant of the settings above is read from that file. During initialisation the
# server listens on the unix socket only, so a TCP health check fails until the real server runs.
# Started as root it fixes ownership and re-executes itself as postgres; started as any other
# user it skips that.
set -Eeo pipefail

# read_setting NAME [DEFAULT]: NAME from the environment, or from the file named by NAME_FILE.
read_setting() {
	local name="$1" default="${2:-}" file_name="${1}_FILE" value
	if [ -n "${!name:-}" ] && [ -n "${!file_name:-}" ]; then
		echo "error: $name and $file_name are both set; set only one" >&2
		exit 1
	fi
	value="$default"
	if [ -n "${!name:-}" ]; then
		value="${!name}"
	elif [ -n "${!file_name:-}" ]; then
		value="$(< "${!file_name}")"
	fi
	export "$name=$value"
	unset "$file_name"
}

# Options after which postgres prints something and exits: no setup for those.
asks_for_info() {
	local arg
	for arg in "$@"; do
		case "$arg" in
			'-?' | --help | --describe-config | -V | --version) return 0 ;;
		esac
	done
	return 1
}

load_settings() {
	read_setting POSTGRES_PASSWORD
	read_setting POSTGRES_USER postgres
	read_setting POSTGRES_DB "$POSTGRES_USER"
	read_setting POSTGRES_INITDB_ARGS
	: "${POSTGRES_HOST_AUTH_METHOD:=}"
	PGDATA_INITIALISED=""
	if [ -s "$PGDATA/PG_VERSION" ]; then
		PGDATA_INITIALISED=yes
	fi
}

prepare_directories() {
	local uid
	uid="$(id -u)"
	mkdir -p "$PGDATA"
	# postgres insists on 0700 (or 0750); a mount may not let us change it, which it reports later.
	chmod 0700 "$PGDATA" || true
	mkdir -p /var/run/postgresql || true
	chmod 3775 /var/run/postgresql || true
	if [ -n "${POSTGRES_INITDB_WALDIR:-}" ]; then
		mkdir -p "$POSTGRES_INITDB_WALDIR"
		if [ "$uid" = 0 ]; then
			find "$POSTGRES_INITDB_WALDIR" ! -user postgres -exec chown postgres {} +
		fi
		chmod 0700 "$POSTGRES_INITDB_WALDIR"
	fi
	if [ "$uid" = 0 ]; then
		find "$PGDATA" ! -user postgres -exec chown postgres {} +
		find /var/run/postgresql ! -user postgres -exec chown postgres {} +
	fi
}

check_first_start_settings() {
	if [ -z "$POSTGRES_PASSWORD" ] && [ "$POSTGRES_HOST_AUTH_METHOD" != trust ]; then
		cat >&2 <<-'EOF'
			Error: the database is not initialised and no superuser password is given.
			       Set POSTGRES_PASSWORD (or POSTGRES_PASSWORD_FILE) to a non-empty value,
			       or POSTGRES_HOST_AUTH_METHOD=trust to allow logins without a password
			       (not recommended).
		EOF
		exit 1
	fi
	if [ "$POSTGRES_HOST_AUTH_METHOD" = trust ]; then
		echo "WARNING: POSTGRES_HOST_AUTH_METHOD=trust lets anyone who reaches the port log in without a password." >&2
	fi
}

run_initdb() {
	local uid gid lib
	uid="$(id -u)"
	gid="$(id -g)"
	# initdb wants the current uid in the passwd database; fake one with nss_wrapper if it is not.
	if ! getent passwd "$uid" > /dev/null 2>&1; then
		for lib in /usr/lib/*/libnss_wrapper.so /usr/lib/libnss_wrapper.so; do
			if [ -s "$lib" ]; then
				NSS_WRAPPER_PASSWD="$(mktemp)"
				NSS_WRAPPER_GROUP="$(mktemp)"
				export LD_PRELOAD="$lib" NSS_WRAPPER_PASSWD NSS_WRAPPER_GROUP
				echo "postgres:x:$uid:$gid:PostgreSQL:$PGDATA:/bin/false" > "$NSS_WRAPPER_PASSWD"
				echo "postgres:x:$gid:" > "$NSS_WRAPPER_GROUP"
				break
			fi
		done
	fi
	if [ -n "${POSTGRES_INITDB_WALDIR:-}" ]; then
		set -- --waldir "$POSTGRES_INITDB_WALDIR" "$@"
	fi
	# POSTGRES_INITDB_ARGS is a shell-quoted string, hence eval. The trailing newline keeps
	# --pwfile from rejecting an empty password (trust mode).
	eval 'initdb --username="$POSTGRES_USER" --pwfile=<(printf "%s\n" "$POSTGRES_PASSWORD") '"$POSTGRES_INITDB_ARGS"' "$@"'
	if [[ "${LD_PRELOAD:-}" == */libnss_wrapper.so ]]; then
		rm -f "$NSS_WRAPPER_PASSWD" "$NSS_WRAPPER_GROUP"
		unset LD_PRELOAD NSS_WRAPPER_PASSWD NSS_WRAPPER_GROUP
	fi
}

# Allow password logins from every host, with the method the server hashes passwords with.
append_host_rule() {
	[ "${1:-}" = postgres ] && shift
	local method
	method="$(postgres -C password_encryption "$@")"
	: "${POSTGRES_HOST_AUTH_METHOD:=$method}"
	{
		echo
		[ "$POSTGRES_HOST_AUTH_METHOD" = trust ] && echo '# warning: trust is enabled for all connections'
		echo "host all all all $POSTGRES_HOST_AUTH_METHOD"
	} >> "$PGDATA/pg_hba.conf"
}

# A server on the unix socket only, for the setup steps.
start_setup_server() {
	[ "${1:-}" = postgres ] && shift
	set -- "$@" -c listen_addresses='' -p "${PGPORT:-5432}"
	PGUSER="${PGUSER:-$POSTGRES_USER}" pg_ctl -D "$PGDATA" -o "$(printf '%q ' "$@")" -w start
}

stop_setup_server() {
	PGUSER="${PGUSER:-postgres}" pg_ctl -D "$PGDATA" -m fast -w stop
}

# run_sql [psql args]: as the superuser on the socket, in POSTGRES_DB unless --dbname is given.
run_sql() {
	local cmd=(psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --no-password --no-psqlrc)
	[ -n "$POSTGRES_DB" ] && cmd+=(--dbname "$POSTGRES_DB")
	PGHOST= PGHOSTADDR= "${cmd[@]}" "$@"
}

create_database() {
	local exists
	exists="$(POSTGRES_DB= run_sql --dbname postgres --set db="$POSTGRES_DB" --tuples-only <<-'EOSQL'
		SELECT 1 FROM pg_database WHERE datname = :'db';
	EOSQL
	)"
	if [ -z "$exists" ]; then
		POSTGRES_DB= run_sql --dbname postgres --set db="$POSTGRES_DB" <<-'EOSQL'
			CREATE DATABASE :"db";
		EOSQL
	fi
}

run_init_scripts() {
	# Kept for scripts written for the real image, which may use "${psql[@]}".
	psql=(run_sql)
	local f
	for f in "$@"; do
		case "$f" in
			*.sh)
				if [ -x "$f" ]; then
					echo "$0: running $f"
					"$f"
				else
					echo "$0: sourcing $f"
					# shellcheck disable=SC1090
					. "$f"
				fi
				;;
			*.sql) echo "$0: running $f"; run_sql -f "$f" ;;
			*.sql.gz) echo "$0: running $f"; gunzip -c "$f" | run_sql ;;
			*.sql.xz) echo "$0: running $f"; xzcat "$f" | run_sql ;;
			*.sql.zst) echo "$0: running $f"; zstd -dc "$f" | run_sql ;;
			*) echo "$0: ignoring $f" ;;
		esac
	done
}

main() {
	# `docker run image -c foo=bar` means postgres with those options.
	if [ "${1:0:1}" = - ]; then
		set -- postgres "$@"
	fi
	if [ "$1" = postgres ] && ! asks_for_info "$@"; then
		load_settings
		prepare_directories
		if [ "$(id -u)" = 0 ]; then
			exec gosu postgres "${BASH_SOURCE[0]}" "$@"
		fi
		if [ -z "$PGDATA_INITIALISED" ]; then
			check_first_start_settings
			# Fail now, not half-way, if the init scripts cannot be read.
			ls /docker-entrypoint-initdb.d/ > /dev/null
			run_initdb
			append_host_rule "$@"
			export PGPASSWORD="${PGPASSWORD:-$POSTGRES_PASSWORD}"
			start_setup_server "$@"
			create_database
			run_init_scripts /docker-entrypoint-initdb.d/*
			stop_setup_server
			unset PGPASSWORD
			printf '\nPostgreSQL init process complete; ready for start up.\n\n'
		else
			printf '\nPostgreSQL Database directory appears to contain a database; Skipping initialization\n\n'
		fi
	fi
	exec "$@"
}

main "$@"
