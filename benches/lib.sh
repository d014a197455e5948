# shellcheck shell=bash
# Helpers shared by the benchmark scripts; sourced, not run. The caller sets START_DIR and
# ROOT and defines `die`.

section() { printf '\n==> %s\n' "$*"; }
absolute() { [[ "$1" == /* ]] && printf '%s\n' "$1" || printf '%s\n' "$START_DIR/$1"; }

# Sets `portcullis` to $PORTCULLIS_BIN, or to a fresh release build of this checkout.
build_portcullis() {
    section "portcullis (release build)"
    if [[ -n "${PORTCULLIS_BIN:-}" ]]; then
        portcullis="$(absolute "$PORTCULLIS_BIN")"
    else
        cargo build --release --quiet
        portcullis="${CARGO_TARGET_DIR:-$ROOT/target}/release/portcullis"
        [[ "$portcullis" == /* ]] || portcullis="$ROOT/$portcullis"
    fi
    [[ -x "$portcullis" ]] || die "portcullis binary not found at $portcullis"
}

# --- Measurements (the caller sets `work` and RUNS) ------------------------------------------
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
