#!/usr/bin/env bash
# Builds portcullis the way it is released, and prints the binary's path.
#
#   scripts/build-release.sh [--profile PROFILE] [TARGET]
#
# TARGET defaults to the host's target triple, PROFILE to release (scripts/check-release-link.sh
# links a dev build the same way, to test the link without a release build).
#
# What is special happens at the final link, on Linux, and is about start-up: pre-commit hooks
# and editors run `portcullis lint FILE` once per file, where starting costs more than linting.
# - Static and at a fixed address (no PIE): nothing for the dynamic loader to load, and none of
#   the 32,000 relocations a position-independent binary of this size applies at every start.
#   The price is address-space randomisation of the binary itself; the heap, the stack and
#   mapped files are still randomised.
# - Functions in the order a lint run needs them: the binary is linked once, run under
#   valgrind's callgrind on a sample of tests/corpus, and linked again with the functions those
#   runs executed placed together (lld's --symbol-ordering-file). A short run then faults in
#   a few hundred kilobytes of code instead of pages scattered over 13 MB. Without valgrind,
#   or for another TARGET, this step is skipped with a note.
# Together they take one `portcullis lint FILE` from about 305 page faults to 95, and to less
# than half the time (`perf stat` on a corpus file; benches/lint.sh times the whole corpus).
#
# The libraries are the same release build `cargo build --release` makes, and cargo keeps each
# link of the binary, so switching between the two is free.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

note() { printf 'build-release: %s\n' "$*" >&2; }

profile=release
if [[ "${1:-}" == --profile ]]; then
    profile="${2:?--profile needs a name}"
    shift 2
fi
host="$(rustc -vV | sed -n 's/^host: //p')"
target="${1:-$host}"

link_flags=()
case "$target" in
    *-linux-gnu*) link_flags=(-C target-feature=+crt-static -C relocation-model=static) ;;
    # musl links statically already.
    *-linux-musl*) link_flags=(-C relocation-model=static) ;;
esac

# Without --target for the host, so build scripts and proc-macros (which must stay dynamic)
# are not given the flags, and target/release is shared with `cargo build --release`.
target_args=()
out_dir="${CARGO_TARGET_DIR:-target}"
[[ "$out_dir" == /* ]] || out_dir="$ROOT/$out_dir"
if [[ "$target" != "$host" ]]; then
    target_args=(--target "$target")
    out_dir="$out_dir/$target"
fi
profile_dir="$profile"
[[ "$profile" == dev ]] && profile_dir=debug
binary="$out_dir/$profile_dir/portcullis"

link() { # EXTRA-RUSTC-FLAG...
    cargo rustc --profile "$profile" --locked --quiet --bin portcullis "${target_args[@]}" -- \
        "${link_flags[@]}" "$@"
    [[ -x "$binary" ]] || {
        note "no binary at $binary after the build"
        exit 1
    }
}

# Writes the symbols of the functions `lint` runs on every SAMPLE_STEP-th file of tests/corpus
# to a file named after its content (cargo relinks when the flags change, not when a file
# does), and prints that file's path. The runs alternate between a .portcullis.toml and a
# .hadolint.yaml, so that reading either is in the order too.
startup_order() { # SAMPLE_STEP
    local step="$1" runs files=() i configs
    runs="$(mktemp -d "${TMPDIR:-/tmp}/portcullis-order.XXXXXX")"
    printf '[rules]\ndisable = ["DL3059"]\n' >"$runs/portcullis.toml"
    printf 'ignored:\n  - DL3059\n' >"$runs/hadolint.yaml"
    configs=("$runs/portcullis.toml" "$runs/hadolint.yaml")
    mapfile -t files < <(find tests/corpus -name '*.Dockerfile' | sort)
    for ((i = 0; i < ${#files[@]}; i += step)); do
        printf '%s\0%s\0' "${configs[$((i / step % 2))]}" "${files[$i]}"
    done |
        xargs -0 -n 2 -P "$(nproc)" valgrind --tool=callgrind --demangle=no \
            --callgrind-out-file="$runs/%p.out" "$binary" lint --shellcheck off --color never \
            -t none -f json=/dev/null -c >/dev/null 2>&1 || true
    # callgrind names a function once per file as `fn=(ID) NAME` (or cfn= for a callee), with
    # 'N appended for its recursion levels; addresses without a symbol are left out.
    local outputs=("$runs"/*.out)
    if [[ ! -f "${outputs[0]}" ]]; then
        note "callgrind wrote no profile (try: valgrind --tool=callgrind $binary --version)"
        rm -rf "$runs"
        exit 1
    fi
    sed -n -E "s/^c?fn=\([0-9]+\) ([_A-Za-z][^']*)('[0-9]+)?$/\1/p" "${outputs[@]}" |
        sort -u >"$runs/order"
    local count
    count="$(wc -l <"$runs/order")"
    if [[ "$count" -lt 200 ]]; then
        note "callgrind saw only $count functions (see a run: valgrind --tool=callgrind $binary lint FILE)"
        rm -rf "$runs"
        exit 1
    fi
    local order
    order="$out_dir/$profile_dir/startup-order-$(sha256sum "$runs/order" | cut -c1-16).txt"
    # One order beside the binary: the one it is linked with.
    rm -f "$out_dir/$profile_dir"/startup-order-*.txt
    mv "$runs/order" "$order"
    rm -rf "$runs"
    printf '%s\n' "$order"
}

link
if [[ "$target" == "$host" && "$target" == *-linux-* ]]; then
    if command -v valgrind >/dev/null 2>&1; then
        # Under valgrind a release build lints a file in 0.4 s: all of them, as each file
        # brings the code of its own rules. A dev build takes 2 s: a sample is enough to check.
        step=1
        [[ "$profile" == release ]] || step=16
        order="$(startup_order "$step")"
        link -C "link-arg=-Wl,--symbol-ordering-file=$order" \
            -C link-arg=-Wl,--no-warn-symbol-ordering
    else
        note "valgrind not found: functions are not ordered for start-up (apt-get install valgrind)"
    fi
fi
printf '%s\n' "$binary"
