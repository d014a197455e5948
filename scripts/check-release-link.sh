#!/usr/bin/env bash
# Checks the way released binaries are linked (scripts/build-release.sh: on Linux, static glibc
# at a fixed address) without a release build: links the dev build that way, then runs it where
# such a binary could differ from the dynamic one the tests used.
#
#   scripts/check-release-link.sh          (scripts/test.sh runs it after the tests)
#
# - The file is a static, fixed-address executable (ELF type EXEC, no program interpreter),
#   with the functions of its start-up order laid out together.
# - It lints tests/corpus to the byte-identical JSON report of the dynamic build.
# - It resolves host names: a static glibc carries its own name service, so a registry on
#   `localhost` must be reached (connection refused on a closed port), not fail to resolve.
#
# It leaves the static binary in target/debug; cargo keeps both links under target/debug/deps,
# and the next `cargo build` or `cargo test` puts the usual one back without relinking.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

fail() {
    printf 'check-release-link: %s\n' "$*" >&2
    exit 1
}

case "$(rustc -vV | sed -n 's/^host: //p')" in
    *-linux-gnu*) ;;
    *)
        echo "release binaries are linked specially only on Linux with glibc: nothing to check"
        exit 0
        ;;
esac

work="$(mktemp -d "${TMPDIR:-/tmp}/portcullis-link.XXXXXX")"
trap 'rm -rf "$work"' EXIT

# The dynamic binary first, as `cargo build` links it.
cargo build --locked --quiet --bin portcullis
cp "${CARGO_TARGET_DIR:-target}/debug/portcullis" "$work/dynamic"
static="$(scripts/build-release.sh --profile dev)"

# ELF header: e_type (offset 16) is 2 for a fixed-address executable, 3 for PIE; a program
# interpreter means the dynamic loader still runs.
elf_type="$(od -An -t u2 -j 16 -N 2 "$static" | tr -d ' ')"
[[ "$elf_type" == 2 ]] || fail "$static is ELF type $elf_type, not a fixed-address executable (2)"
if LC_ALL=C ldd "$static" 2>&1 | grep -q '=>'; then
    fail "$static still loads shared libraries: $(ldd "$static" 2>&1 | tr '\n' ' ')"
fi
echo "$static: static, fixed-address executable"

# The functions of the start-up order sit together, in one run of the code with nothing else
# between them (nm prints addresses zero-padded, so they compare as strings).
orders=("$(dirname "$static")"/startup-order-*.txt)
[[ ${#orders[@]} -eq 1 && -f "${orders[0]}" ]] ||
    fail "expected one startup-order file beside $static (is valgrind installed?): ${orders[*]}"
order="${orders[0]}"
nm --defined-only "$static" | awk -v order="$order" '
    BEGIN { while ((getline name < order) > 0) wanted[name] = 1 }
    $2 ~ /^[tT]$/ { addr[NR] = $1; in_order[NR] = ($3 in wanted) }
    $2 ~ /^[tT]$/ && ($3 in wanted) {
        found++
        if (low == "" || $1 < low) low = $1
        if ($1 > high) high = $1
    }
    END {
        for (i in addr) if (addr[i] >= low && addr[i] <= high && !in_order[i]) strays++
        printf "%d ordered functions between %s and %s, %d others among them\n", found, low, high, strays
        exit !(found >= 200 && strays * 20 <= found)
    }' || fail "the functions of $order are not laid out together in $static"

lint_corpus() { # BINARY REPORT
    local rc=0
    "$1" lint --shellcheck off --color never -t none -f "json=$2" tests/corpus >/dev/null 2>&1 || rc=$?
    # The corpus holds deliberately malformed files: exit 2 (incomplete) is expected.
    [[ "$rc" -le 2 ]] || fail "$1 lint tests/corpus exited with $rc"
}
lint_corpus "$work/dynamic" "$work/dynamic.json"
lint_corpus "$static" "$work/static.json"
cmp -s "$work/dynamic.json" "$work/static.json" ||
    fail "the static binary's lint report of tests/corpus differs from the dynamic binary's"
echo "lint of tests/corpus: reports identical ($(wc -c <"$work/static.json") bytes)"

# Port 1 on the loopback interface is closed: the scan must get as far as connecting.
"$static" scan --color never --no-vulns localhost:1/portcullis-link-check:1 >/dev/null 2>"$work/scan.stderr" || true
grep -q 'Connection refused' "$work/scan.stderr" ||
    fail "the static binary did not reach localhost: $(tail -n 1 "$work/scan.stderr")"
echo "name resolution: localhost resolved, connection refused on port 1 as expected"
