# shellcheck shell=bash
# Helpers shared by the benchmark scripts; sourced, not run. The caller sets START_DIR, ROOT
# and BENCH_NAME (what error messages start with).

die() {
    printf '%s: error: %s\n' "$BENCH_NAME" "$*" >&2
    exit 1
}
section() { printf '\n==> %s\n' "$*"; }
# The checks every benchmark makes of its environment.
require_runs() { [[ "$RUNS" =~ ^[1-9][0-9]*$ ]] || die "BENCH_RUNS must be a positive number"; }
require_gnu_time() {
    [[ -x /usr/bin/time ]] || die "GNU time is needed at /usr/bin/time (apt-get install time)"
}

# The work directory, `$work`: removed on exit unless BENCH_KEEP=1, after the server of
# `serve_directory` is stopped and the script's own `before_exit` (stopping a daemon,
# unmounting) has run, when it defines one.
make_work() { # NAME
    work="$(mktemp -d "${TMPDIR:-/tmp}/$1.XXXXXX")"
    trap remove_work EXIT
}
remove_work() {
    if [[ -n "${http_pid:-}" ]]; then
        kill "$http_pid" 2>/dev/null || true
        wait "$http_pid" 2>/dev/null || true
    fi
    if declare -F before_exit >/dev/null; then before_exit; fi
    if [[ "${BENCH_KEEP:-}" == 1 ]]; then echo "kept $work"; else rm -rf "$work"; fi
}
absolute() { [[ "$1" == /* ]] && printf '%s\n' "$1" || printf '%s\n' "$START_DIR/$1"; }

# Sets `portcullis` to $PORTCULLIS_BIN, or to a fresh build of this checkout made the way it
# is released (scripts/build-release.sh), so the figures are those of the shipped binary.
build_portcullis() {
    section "portcullis (release build)"
    if [[ -n "${PORTCULLIS_BIN:-}" ]]; then
        portcullis="$(absolute "$PORTCULLIS_BIN")"
    else
        portcullis="$("$ROOT/scripts/build-release.sh")" || die "scripts/build-release.sh failed"
    fi
    [[ -x "$portcullis" ]] || die "portcullis binary not found at $portcullis"
}

# --- Measurements (the caller sets `work` and RUNS) ------------------------------------------
# shellcheck disable=SC2154 # `work` is the caller's
# Runs one measurement; appends "wall_s peak_rss_kb" to $work/<key>.times (wall from
# EPOCHREALTIME, RSS from GNU time). Exit codes other than 0 fail the benchmark.
measure() { # KEY COMMAND...
    local key="$1"
    shift
    local rc=0 start end
    start=$EPOCHREALTIME
    /usr/bin/time -f '%e %M' -o "$work/$key.time" "$@" >"$work/$key.stdout" 2>"$work/$key.stderr" || rc=$?
    end=$EPOCHREALTIME
    if [[ "$rc" -ne 0 ]]; then
        tail -n 20 "$work/$key.stderr" >&2
        die "$key failed (exit $rc): $*"
    fi
    printf '%s %s\n' "$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.4f", b - a }')" \
        "$(tail -n 1 "$work/$key.time" | awk '{ print $2 }')" >>"$work/$key.times"
}
# Warm-up run, then RUNS timed runs.
repeat() { # KEY COMMAND...
    local key="$1" r
    shift
    measure "warmup" "$@"
    cp "$work/warmup.stdout" "$work/$key.first.stdout"
    cp "$work/warmup.stderr" "$work/$key.first.stderr"
    for ((r = 1; r <= RUNS; r++)); do
        measure "$key" "$@"
    done
}
median() {
    sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
wall() { awk '{ print $1 }' "$work/$1.times" | median; }
rss() { awk '{ print $2 }' "$work/$1.times" | median; }
ms() { awk -v s="$1" 'BEGIN { printf "%.0f", s * 1000 }'; }
mb() { awk -v k="$1" 'BEGIN { printf "%.0f", k / 1024 }'; }

# --- OSV data (the caller sets GENERATOR, SHARED, SCALE, work; defines die) -----------------
# Sets `exports` to generated OSV exports (one all.zip per ecosystem, shaped like the OSV
# bucket's) cached in DIR/exports, generating them when missing or stale (BENCH_REBUILD=1).
osv_exports() { # DIR
    section "OSV exports (cached in $1/exports)"
    exports="$1/exports"
    local stamp
    stamp="$(sha256sum "$GENERATOR" | cut -c1-16) scale=$SCALE"
    if [[ "${BENCH_REBUILD:-}" == 1 || ! -f "$exports/plan.json" || "$(cat "$exports/.stamp" 2>/dev/null)" != "$stamp" ]]; then
        echo "generating (python3 $GENERATOR, $(nproc) processes)"
        rm -rf "$exports" "$exports.tmp"
        mkdir -p "$exports.tmp"
        python3 "$GENERATOR" exports --shared "$SHARED" --out "$exports.tmp" --scale "$SCALE" |
            tee "$exports.tmp/generate.log"
        printf '%s\n' "$stamp" >"$exports.tmp/.stamp"
        mv "$exports.tmp" "$exports"
    else
        echo "cached (BENCH_REBUILD=1 to regenerate); as generated:"
        cat "$exports/generate.log"
    fi
}

# Serves DIR with `python3 -m http.server` on a free loopback port; sets base_url and
# http_pid (remove_work stops it).
serve_directory() { # DIR
    local port i
    port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
    python3 -m http.server --bind 127.0.0.1 --directory "$1" "$port" >"$work/http.log" 2>&1 &
    http_pid=$!
    base_url="http://127.0.0.1:$port"
    for ((i = 0; i < 50; i++)); do
        python3 -c 'import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=1)' \
            "$base_url/" 2>/dev/null && break
        kill -0 "$http_pid" 2>/dev/null || die "the HTTP server stopped: $(tail -n 3 "$work/http.log")"
        sleep 0.2
    done
    echo "python3 -m http.server at $base_url, serving $1"
}
