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
