#!/usr/bin/env bash
# Builds the stand-in images of the end-to-end tier (see README.md beside this file) from package
# registries only: a Debian bookworm root made with debootstrap, Debian packages, and Go modules.
#
#   tests/e2e/images/build.sh [--force] [base|postgres|registry|vault|seaweedfs ...]
#
# With no name it builds them all; --force rebuilds the named ones (all, with no name) even when
# they are up to date (a forced base is re-imported, not debootstrapped again).
#
# An image is rebuilt only when its inputs changed: each carries the label lakeforge.e2e.inputs,
# a hash of its directory here, the base image it is FROM and the function of this script that
# builds it. The debootstrapped root and the Go binaries are cached (binaries by the hash of their
# wrapper module and the Go version) in the cache dir below.
#
# Environment:
#   LAKEFORGE_E2E_IMAGE_CACHE  cache dir (default ${XDG_CACHE_HOME:-$HOME/.cache}/lakeforge/e2e-images)
#   DEBIAN_MIRROR              Debian mirror (default: the host's apt source, else deb.debian.org)
#   E2E_BUILD_NETWORK          `docker build --network` value (default: default, i.e. the bridge;
#                              use host if the bridge cannot reach the mirror)
#   E2E_IMAGE_PREFIX           image name prefix (default: lakeforge-e2e)
#   E2E_VERBOSE=1              print the docker build output (else it is kept in <cache>/logs)
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
CACHE="${LAKEFORGE_E2E_IMAGE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/lakeforge/e2e-images}"
PREFIX="${E2E_IMAGE_PREFIX:-lakeforge-e2e}"
BUILD_NETWORK="${E2E_BUILD_NETWORK:-default}"
SUITE=bookworm
BASE_TAG="$PREFIX/debian:$SUITE"
LABEL=lakeforge.e2e.inputs
FORCE=0
NAMES=()

# name -> tag; ALL is the build order (cheap and most needed first; seaweedfs is a long Go build).
ALL=(base postgres registry vault seaweedfs trino spark hive-metastore mlflow dagster airflow)
declare -A TAGS=(
    [base]="$BASE_TAG"
    [postgres]="$PREFIX/postgres:16"
    [vault]="$PREFIX/vault:1.15"
    [registry]="$PREFIX/registry:3"
    [seaweedfs]="$PREFIX/seaweedfs:4"
    [trino]="$PREFIX/trino:476"
    [spark]="$PREFIX/spark:4.1.2"
    [mlflow]="$PREFIX/mlflow:3.17.2"
    [hive-metastore]="$PREFIX/hive-metastore:4.0.0"
    [dagster]="$PREFIX/dagster:1.13.27"
    [airflow]="$PREFIX/airflow:3.3.2"
)
# name -> "binary-name:package-path" built from that image's go/ wrapper module.
declare -A GO_BINS=(
    [vault]="vault:."
    [registry]="registry:github.com/distribution/distribution/v3/cmd/registry"
    [seaweedfs]="weed:github.com/seaweedfs/seaweedfs/weed"
)

# name -> URL of a file from Maven Central (checked against its .sha1) or PyPI (checked against the
# URL's #sha256=), cached and handed to <name>/prepare.sh.
MAVEN=https://repo1.maven.org/maven2
# name -> files outside its directory (relative to this one) that its prepare.sh reads: part of its hash.
declare -A READS=(
    [spark]="../../../components/queryEngine/spark.ts"
)
declare -A DOWNLOADS=(
    [trino]="$MAVEN/io/trino/trino-server/476/trino-server-476.tar.gz"
    [spark]="https://files.pythonhosted.org/packages/5e/71/4dd20c69332a2a4bf7ece8a655c9da98e4bd9b6bcea235349c1a00399d57/pyspark-4.1.2.tar.gz#sha256=fa5d6159f700d0990a07f4f62df1b7449401dccee9cd7d5d6df8957530841602"
)

log() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
die() { printf 'build.sh: %s\n' "$*" >&2; exit 1; }

as_root() {
    if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo > /dev/null; then sudo "$@"; else die "needs root: $*"; fi
}

# debootstrap makes the base image's root; a fresh Debian machine lacks it, so it comes from Debian's
# packages (apt-get update only when the first try fails: the lists may be stale or absent).
need_debootstrap() {
    if command -v debootstrap > /dev/null; then return 0; fi
    log "installing debootstrap from Debian (not found)"
    local install=(env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends debootstrap)
    as_root "${install[@]}" > /dev/null 2>&1 || { as_root apt-get update -qq && as_root "${install[@]}" > /dev/null; } \
        || die "debootstrap is missing and apt-get install debootstrap failed"
}

debian_mirror() {
    if [ -n "${DEBIAN_MIRROR:-}" ]; then echo "$DEBIAN_MIRROR"; return; fi
    local uri=""
    if [ -f /etc/apt/sources.list.d/debian.sources ]; then
        uri="$(awk '/^URIs:/ && $2 !~ /security/ { print $2; exit }' /etc/apt/sources.list.d/debian.sources)"
    fi
    if [ -z "$uri" ] && [ -f /etc/apt/sources.list ]; then
        uri="$(awk '$1 == "deb" && $0 !~ /security/ { for (i = 2; i <= NF; i++) if ($i ~ /^https?:/) { print $i; exit } }' /etc/apt/sources.list)"
    fi
    echo "${uri:-http://deb.debian.org/debian}"
}

# Hash of files (paths relative to $HERE) and extra strings, stable across checkouts.
hash_inputs() {
    local extra="$1"; shift
    {
        printf '%s\n' "$extra"
        if [ "$#" -gt 0 ]; then
            (cd "$HERE" && find "$@" -type f ! -name '*.log' -print0 | LC_ALL=C sort -z | xargs -0 -r sha256sum)
        fi
    } | sha256sum | cut -c1-32
}

image_label() { docker image inspect --format "{{ index .Config.Labels \"$LABEL\" }}" "$1" 2> /dev/null || true; }

# up_to_date TAG HASH NAME: the image exists with that input hash, and --force was not given for it.
up_to_date() {
    local tag="$1" want="$2" name="$3"
    if [ "$FORCE" = 1 ] && [[ " ${NAMES[*]} " == *" $name "* ]]; then return 1; fi
    [ "$(image_label "$tag")" = "$want" ]
}

# ---------------------------------------------------------------------------------------------
# base: debootstrap --variant=minbase once, then `docker import`.
# ---------------------------------------------------------------------------------------------
base_customize() {
    local root="$1" mirror="$2" security
    security="${mirror%/debian}/debian-security"
    [ "$security" = "$mirror/debian-security" ] && security="http://deb.debian.org/debian-security"
    rm -f "$root/etc/apt/sources.list"
    cat > "$root/etc/apt/sources.list.d/debian.sources" <<EOF
Types: deb
URIs: $mirror
Suites: $SUITE $SUITE-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: $security
Suites: $SUITE-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
    # Like Debian's own container images: no cached .debs, no recommends, no docs beyond copyright.
    cat > "$root/etc/apt/apt.conf.d/docker-clean" <<'EOF'
DPkg::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
APT::Update::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
Dir::Cache::pkgcache ""; Dir::Cache::srcpkgcache "";
EOF
    cat > "$root/etc/apt/apt.conf.d/docker-no-recommends" <<'EOF'
APT::Install-Recommends "false";
APT::Install-Suggests "false";
EOF
    cat > "$root/etc/dpkg/dpkg.cfg.d/docker-nodoc" <<'EOF'
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/info/*
path-exclude /usr/share/locale/*
path-include /usr/share/locale/locale.alias
EOF
    rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/* "$root"/usr/share/doc/*/changelog* \
        "$root"/usr/share/man/* "$root"/usr/share/info/* "$root"/var/log/*.log "$root"/var/log/apt/* \
        "$root"/tmp/* "$root"/root/.bash_history
    : > "$root/etc/resolv.conf"
    echo localhost > "$root/etc/hostname"
}

build_base() {
    local mirror key root tarball
    mirror="$(debian_mirror)"
    # The input hash covers what decides the root: suite, variant, mirror and this script.
    key="$(hash_inputs "base $SUITE minbase $mirror $(declare -f base_customize build_base)")"
    if up_to_date "$BASE_TAG" "$key" base; then log "$BASE_TAG up to date"; return; fi
    root="$CACHE/rootfs-$SUITE-minbase"
    if [ ! -f "$root/.debootstrap-done" ] || [ "$(cat "$root/.debootstrap-done")" != "$mirror" ]; then
        log "debootstrap --variant=minbase $SUITE from $mirror"
        as_root rm -rf "$root.tmp" "$root"
        mkdir -p "$CACHE"
        as_root debootstrap --variant=minbase "$SUITE" "$root.tmp" "$mirror" > "$CACHE/debootstrap.log" 2>&1 \
            || { tail -20 "$CACHE/debootstrap.log" >&2; die "debootstrap failed (log: $CACHE/debootstrap.log)"; }
        as_root mv "$root.tmp" "$root"
        echo "$mirror" | as_root tee "$root/.debootstrap-done" > /dev/null
    fi
    as_root bash -c "$(declare -f base_customize); SUITE=$SUITE; base_customize '$root' '$mirror'"
    log "docker import $BASE_TAG"
    tarball="$(mktemp "${TMPDIR:-/tmp}/e2e-base.XXXXXX.tar")"
    as_root tar --numeric-owner --xattrs --exclude=./.debootstrap-done -C "$root" -cf "$tarball" .
    docker import \
        --change "LABEL $LABEL=$key" \
        --change "ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" \
        --change 'CMD ["bash"]' \
        "$tarball" "$BASE_TAG" > /dev/null
    as_root rm -f "$tarball"
}

# ---------------------------------------------------------------------------------------------
# Go binaries: `go build` of a wrapper module (tests/e2e/images/<name>/go) copied to a temp dir.
# Prints a cache dir holding the binary and the files go/context-files names: lines of
# "<module path> <file in that module> <name in the build context>", taken from the module
# cache at the version the wrapper pins (e.g. the upstream image's entrypoint script).
# ---------------------------------------------------------------------------------------------
go_binary() {
    local name="$1" bin="${GO_BINS[$1]%%:*}" pkg="${GO_BINS[$1]#*:}" key out work mod file dest dir
    command -v go > /dev/null || die "go is needed to build $name"
    key="$(hash_inputs "$(GOTOOLCHAIN=local go version) $bin $pkg $(declare -f go_binary)" "$name/go")"
    out="$CACHE/bin/$name-$key"
    if [ ! -x "$out/$bin" ]; then
        log "go build $bin ($name/go); this can take a while"
        work="$(mktemp -d "${TMPDIR:-/tmp}/e2e-go-$name.XXXXXX")"
        cp -R "$HERE/$name/go/." "$work/"
        rm -rf "$out.tmp"
        mkdir -p "$out.tmp"
        (
            cd "$work"
            export GOTOOLCHAIN=local CGO_ENABLED=0 GOOS=linux GOARCH="$(go env GOARCH)" GOFLAGS="-mod=readonly -buildvcs=false"
            # A wrapper may need a module's sources patched: go/patch.sh does it (see its comments).
            if [ -f patch.sh ]; then bash ./patch.sh; fi
            # shellcheck disable=SC2046
            nice -n 10 go build -trimpath -ldflags "-s -w $(cat ldflags 2> /dev/null || true)" -o "$out.tmp/$bin" "$pkg"
            if [ -f context-files ]; then
                while read -r mod file dest; do
                    case "$mod" in '' | '#'*) continue ;; esac
                    dir="$(go list -m -f '{{.Dir}}' "$mod")"
                    [ -n "$dir" ] && [ -f "$dir/$file" ] || { echo "no $file in $mod" >&2; exit 1; }
                    cp "$dir/$file" "$out.tmp/$dest"
                    chmod u+w "$out.tmp/$dest"
                done < context-files
            fi
        ) || { rm -rf "$work" "$out.tmp"; die "go build of $name failed"; }
        rm -rf "$out" "$work"
        mv "$out.tmp" "$out"
    fi
    echo "$out"
}

# ---------------------------------------------------------------------------------------------
# Downloads: a registry file (DOWNLOADS) fetched once into the cache, checked against the
# registry's own .sha1. Prints the path of the verified file.
# ---------------------------------------------------------------------------------------------
download() {
    local url="${1%%#*}" pinned="" file want got sum=sha1sum
    [[ "$1" == *'#sha256='* ]] && pinned="${1##*#sha256=}" && sum=sha256sum
    file="$CACHE/downloads/$(basename "$url")"
    if [ ! -f "$file" ]; then
        log "download $url"
        mkdir -p "$CACHE/downloads"
        curl -fsSL --retry 3 -o "$file.part" "$url" || die "download of $url failed"
        want="$pinned"
        [ -n "$want" ] || want="$(curl -fsSL --retry 3 "$url.sha1" | cut -c1-40)" || die "download of $url.sha1 failed"
        got="$($sum "$file.part" | cut -d' ' -f1)"
        [ "$want" = "$got" ] || { rm -f "$file.part"; die "$url: checksum $got, expected $want"; }
        mv "$file.part" "$file"
    fi
    echo "$file"
}

# ---------------------------------------------------------------------------------------------
# Stand-in images: docker build of <name>/ (minus go/) plus its binary, in a temp context.
# ---------------------------------------------------------------------------------------------
# Fetches the wheels <name>/requirements.txt pins (every one, dependencies included) from PyPI with
# the host's pip, once, into the cache, and hands them to the build as wheels/ (the Dockerfile
# installs them with --no-index). Containers here cannot reach PyPI; the host can.
python_wheels() {
    local name="$1" ctx="$2" wheels="$CACHE/wheels/$1"
    mkdir -p "$wheels" "$ctx/wheels" "$CACHE/logs"
    pip download --quiet --no-deps --only-binary=:all: --python-version 3.11 \
        --platform manylinux2014_x86_64 --platform manylinux_2_17_x86_64 --platform manylinux_2_28_x86_64 --platform any \
        -r "$HERE/$name/requirements.txt" -d "$wheels" > "$CACHE/logs/pip-$name.log" 2>&1 \
        || { tail -20 "$CACHE/logs/pip-$name.log" >&2; die "pip download of $name's wheels failed"; }
    cp "$wheels"/*.whl "$ctx/wheels/"
}

build_image() {
    local name="$1" tag="${TAGS[$1]}" base_id key ctx bindir gover blog
    base_id="$(docker image inspect --format '{{.Id}}' "$BASE_TAG" 2> /dev/null)" || die "$BASE_TAG missing; build base first"
    gover=""
    [ -z "${GO_BINS[$name]:-}" ] || gover="$(GOTOOLCHAIN=local go version)"
    key="$(hash_inputs "$name $base_id $BUILD_NETWORK $gover ${DOWNLOADS[$name]:-} $(declare -f build_image go_binary download python_wheels)" "$name" ${READS[$name]:-})"
    if up_to_date "$tag" "$key" "$name"; then log "$tag up to date"; return; fi
    ctx="$(mktemp -d "${TMPDIR:-/tmp}/e2e-ctx-$name.XXXXXX")"
    (cd "$HERE/$name" && find . -mindepth 1 -maxdepth 1 ! -name go ! -name prepare.sh ! -name '*.log' -exec cp -R {} "$ctx/" \;)
    if [ -n "${DOWNLOADS[$name]:-}" ]; then
        # shellcheck disable=SC2034 # read by prepare.sh
        DOWNLOAD="$(download "${DOWNLOADS[$name]}")" || { rm -rf "$ctx"; exit 1; }
    fi
    if [ -f "$HERE/$name/requirements.txt" ]; then
        python_wheels "$name" "$ctx" || { rm -rf "$ctx"; exit 1; }
    fi
    if [ -f "$HERE/$name/prepare.sh" ]; then
        mkdir -p "$CACHE/logs"
        # shellcheck disable=SC1090,SC2034
        CTX="$ctx" && . "$HERE/$name/prepare.sh" || { rm -rf "$ctx"; die "preparing $name failed"; }
    fi
    if [ -n "${GO_BINS[$name]:-}" ]; then
        bindir="$(go_binary "$name")" || { rm -rf "$ctx"; exit 1; }
        cp -R "$bindir/." "$ctx/"
    fi
    log "docker build $tag"
    blog="$CACHE/logs/docker-build-$name.log"
    mkdir -p "$CACHE/logs"
    if ! docker build --network "$BUILD_NETWORK" --pull=false \
        --build-arg "BASE=$BASE_TAG" --label "$LABEL=$key" -t "$tag" "$ctx" > "$blog" 2>&1; then
        tail -40 "$blog" >&2
        rm -rf "$ctx"
        die "docker build of $tag failed (log: $blog)"
    fi
    [ "${E2E_VERBOSE:-0}" = 0 ] || cat "$blog" >&2
    rm -rf "$ctx"
}

main() {
    local n
    for n in "$@"; do
        case "$n" in
            --force) FORCE=1 ;;
            -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
            *) [ -n "${TAGS[$n]:-}" ] || die "unknown image '$n' (one of: ${ALL[*]})"; NAMES+=("$n") ;;
        esac
    done
    [ "${#NAMES[@]}" -gt 0 ] || NAMES=("${ALL[@]}")
    command -v docker > /dev/null || die "docker is needed"
    need_debootstrap
    mkdir -p "$CACHE"
    # The images these tags name now; a rebuild leaves them untagged, and they are removed below.
    local old=() id
    for n in "${ALL[@]}"; do
        id="$(docker image inspect --format '{{.Id}}' "${TAGS[$n]}" 2> /dev/null)" && old+=("$id")
    done
    # The base is always brought up to date first: the others are FROM it.
    build_base
    for n in "${NAMES[@]}"; do
        [ "$n" = base ] || build_image "$n"
    done
    for id in "${old[@]}"; do
        if [ -z "$(docker image inspect --format '{{join .RepoTags ","}}' "$id" 2> /dev/null)" ]; then
            docker image rm "$id" > /dev/null 2>&1 || true
        fi
    done
    for n in "${NAMES[@]}"; do
        docker image ls --format '{{.Repository}}:{{.Tag}}  {{.Size}}' "${TAGS[$n]}"
    done
}

main "$@"
