# Sourced by build.sh with CTX and CACHE: fetches the pinned wheels (requirements.txt) from PyPI
# with the host's pip, once, into the cache, and hands them to the build.
wheels="$CACHE/wheels/mlflow"
mkdir -p "$wheels" "$CTX/wheels"
pip download --quiet --no-deps --only-binary=:all: --python-version 3.11 \
	--platform manylinux2014_x86_64 --platform manylinux_2_17_x86_64 --platform manylinux_2_28_x86_64 --platform any \
	-r "$HERE/mlflow/requirements.txt" -d "$wheels" > "$CACHE/logs/pip-mlflow.log" 2>&1 \
	|| { tail -20 "$CACHE/logs/pip-mlflow.log" >&2; die "pip download of mlflow's wheels failed"; }
cp "$wheels"/*.whl "$CTX/wheels/"
