#!/bin/sh
# Entrypoint of the lakeforge e2e registry stand-in, with the official image's behaviour:
#   <config file>   -> registry serve <config file>   (the default CMD)
#   sh [args]       -> a shell
#   anything else   -> registry <args>                 (serve, garbage-collect, --version, ...)
set -e

if [ -n "${1:-}" ] && [ -f "$1" ]; then
	exec /bin/registry serve "$@"
fi
if [ "${1:-}" = sh ]; then
	shift
	exec /bin/sh "$@"
fi
exec /bin/registry "$@"
