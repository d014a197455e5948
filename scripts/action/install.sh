#!/usr/bin/env bash
# Step 1 of the GitHub Action (action.yml): puts `portcullis` on the job's PATH.
#
# Downloads the release binary for this runner from GitHub releases and checks its SHA-256
# against the release's SHA256SUMS before anything runs it, or builds the action's own source
# with cargo when INPUT_BUILD_FROM_SOURCE is true. Inputs arrive as environment variables
# (never interpolated into the script: that would let an input inject shell code).
#
#   INPUT_VERSION            release to install (`0.3.1` or `v0.3.1`); empty: the version in
#                            the action's Cargo.toml, i.e. the release the action was pinned to
#   INPUT_BUILD_FROM_SOURCE  true: `cargo install --locked --path $GITHUB_ACTION_PATH`
#   PORTCULLIS_RELEASE_BASE_URL  where releases are downloaded from (a mirror, or a file://
#                            directory in tests); default GitHub's release downloads
#
# Outputs: version, bin-dir, db-dir, db-cache-key, db-cache-restore-key.
set -euo pipefail

# shellcheck source-path=SCRIPTDIR source=common.sh
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"

: "${GITHUB_ACTION_PATH:?this script runs as a step of the portcullis action}"
: "${GITHUB_OUTPUT:?}" "${GITHUB_PATH:?}" "${RUNNER_TEMP:?}" "${RUNNER_OS:?}" "${RUNNER_ARCH:?}"

# Sets `target`: the target triple of the release asset for this runner. Not a `$(…)`
# function: `fail` in a subshell would lose its message.
select_target() {
    case "$RUNNER_OS/$RUNNER_ARCH" in
        Linux/X64) target=x86_64-unknown-linux-musl ;;
        Linux/ARM64) target=aarch64-unknown-linux-musl ;;
        macOS/X64) target=x86_64-apple-darwin ;;
        macOS/ARM64) target=aarch64-apple-darwin ;;
        Windows/X64) target=x86_64-pc-windows-msvc ;;
        *) fail "no portcullis release is built for $RUNNER_OS/$RUNNER_ARCH; set \`build-from-source: true\` to build it here (needs a Rust toolchain)" ;;
    esac
}

sha256_of() {
    if command -v sha256sum >/dev/null 2>&1; then
        sha256sum "$1" | cut -d' ' -f1
    else
        # macOS runners ship shasum, not sha256sum.
        shasum -a 256 "$1" | cut -d' ' -f1
    fi
}

download() {
    local url=$1 dest=$2
    curl --fail --silent --show-error --location --retry 3 --output "$dest" "$url" ||
        fail "could not download $url. If the release exists, retry the job; otherwise set \`version\` to a published release or \`build-from-source: true\`"
}

# Every true/false input is checked before anything else: the steps they switch only compare
# against 'true', so `annotate: yes` would otherwise skip a step without a word.
is_true runtime "${INPUT_RUNTIME:-false}" || true
is_true annotate "${INPUT_ANNOTATE:-true}" || true
is_true upload-sarif "${INPUT_UPLOAD_SARIF:-true}" || true
is_true cache "${INPUT_CACHE:-true}" || true

version=${INPUT_VERSION:-}
if [[ -z "$version" ]]; then
    # The action's own version: the package version in the Cargo.toml at the ref it was pinned to.
    version=$(sed -n 's/^version = "\(.*\)"$/\1/p' "$GITHUB_ACTION_PATH/Cargo.toml" | head -n 1)
    [[ -n "$version" ]] || fail "no package version in $GITHUB_ACTION_PATH/Cargo.toml; set the \`version\` input"
fi
version=${version#v}

root="$RUNNER_TEMP/portcullis-$version"
bin_dir="$root/bin"
exe=portcullis
[[ "$RUNNER_OS" == Windows ]] && exe=portcullis.exe

if is_true build-from-source "${INPUT_BUILD_FROM_SOURCE:-false}"; then
    command -v cargo >/dev/null 2>&1 ||
        fail "\`build-from-source: true\` needs cargo on PATH: add a Rust toolchain step before this action"
    echo "Building portcullis $version from $GITHUB_ACTION_PATH"
    cargo install --locked --path "$GITHUB_ACTION_PATH" --root "$root"
else
    select_target
    base=${PORTCULLIS_RELEASE_BASE_URL:-https://github.com/portcullis-security/portcullis/releases/download}
    asset="portcullis-$target.tar.gz"
    url="$base/v$version/$asset"
    sums_url="$base/v$version/SHA256SUMS"
    work=$(mktemp -d "$RUNNER_TEMP/portcullis-download.XXXXXX")
    trap 'rm -rf "$work"' EXIT

    echo "Downloading portcullis $version for $target from $url"
    download "$url" "$work/$asset"
    download "$sums_url" "$work/SHA256SUMS"

    # sha256sum lines: `<hex>  <name>`, or `<hex> *<name>` when written in binary mode.
    expected=$(awk -v name="$asset" '$2 == name || $2 == "*" name { print $1; exit }' "$work/SHA256SUMS")
    [[ -n "$expected" ]] || fail "$sums_url lists no checksum for $asset; not installing an unverified binary"
    actual=$(sha256_of "$work/$asset")
    if [[ "$actual" != "$(echo "$expected" | tr '[:upper:]' '[:lower:]')" ]]; then
        fail "checksum mismatch for $asset: SHA256SUMS says $expected, the download is $actual. The file is corrupt or was tampered with and was not installed; retry the job, and report it if it persists"
    fi
    echo "SHA-256 verified: $actual"

    mkdir -p "$bin_dir"
    # A relative name: GNU tar (Git Bash on Windows) reads `D:\…` as a remote host.
    (cd "$work" && tar -xzf "$asset")
    [[ -f "$work/$exe" ]] || fail "$asset has no $exe at its top level"
    mv "$work/$exe" "$bin_dir/$exe"
    chmod +x "$bin_dir/$exe"
fi

# Fails here, with the reason, if the binary cannot run on this runner (wrong libc, arch).
"$bin_dir/$exe" --version

db_dir="$RUNNER_TEMP/portcullis-db"
mkdir -p "$db_dir"
# Weekly keys: within a week the restored database is used as is; the first run of a new week
# restores last week's and refreshes it (run.sh), then saves it under the new key.
restore_key="portcullis-db-$RUNNER_OS-v$version-"
week=$(date -u +%G-W%V)

echo "$bin_dir" >>"$GITHUB_PATH"
{
    echo "version=$version"
    echo "bin-dir=$bin_dir"
    echo "db-dir=$db_dir"
    echo "db-cache-key=$restore_key$week"
    echo "db-cache-restore-key=$restore_key"
} >>"$GITHUB_OUTPUT"
