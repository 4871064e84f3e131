#!/bin/bash
# The image's entrypoint for anything but Spark-on-Kubernetes driver/executor pods: run the command
# under tini, so signals reach it and zombies are reaped.
set -euo pipefail
exec /usr/bin/tini -s -- "$@"
