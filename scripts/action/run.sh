#!/usr/bin/env bash
# Step 3 of the GitHub Action (action.yml): runs `portcullis check` with the action's inputs,
# writes every report into the reports directory, the step outputs and the job summary.
#
# Findings never fail this step: the exit code is an output, and finish.sh fails the job only
# after the SARIF upload and the annotations had their chance to run.
#
#   INPUT_PATH INPUT_IMAGE INPUT_RUNTIME INPUT_SEVERITY_THRESHOLD INPUT_FAIL_ON INPUT_CONFIG
#   INPUT_BASELINE INPUT_NEW_ONLY_SINCE INPUT_REPORTS_DIR INPUT_ARGS   the action's inputs
#   PR_BASE_SHA     the pull request's base commit (empty on other events)
#   DB_CACHE_HIT    `true` when actions/cache restored this week's vulnerability database
#
# Outputs: exit-code, sarif, json, junit, markdown (paths, empty when not written), findings,
# errors, vulnerabilities (counts, read from the JSON report with jq), db-present (whether the
# database holds anything worth caching).
set -euo pipefail

# shellcheck source-path=SCRIPTDIR source=common.sh
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"

: "${GITHUB_OUTPUT:?this script runs as a step of the portcullis action}"

path=${INPUT_PATH:-.}
reports_dir=${INPUT_REPORTS_DIR:-portcullis-reports}
sarif="$reports_dir/portcullis.sarif"
json="$reports_dir/portcullis.json"
junit="$reports_dir/portcullis-junit.xml"
markdown="$reports_dir/portcullis-summary.md"
mkdir -p "$reports_dir"

args=(check "$path"
    -f "sarif=$sarif" -f "json=$json" -f "junit=$junit" -f "markdown=$markdown" -f text)

# Image references are separated by spaces or newlines; `set -f`: a `*` is not a glob here.
set -f
for image in ${INPUT_IMAGE:-}; do
    args+=(--image "$image")
done
set +f
if is_true runtime "${INPUT_RUNTIME:-false}"; then
    args+=(--runtime)
fi
[[ -z "${INPUT_SEVERITY_THRESHOLD:-}" ]] || args+=(--failure-threshold "$INPUT_SEVERITY_THRESHOLD")
[[ -z "${INPUT_FAIL_ON:-}" ]] || args+=(--fail-on "$INPUT_FAIL_ON")
[[ -z "${INPUT_CONFIG:-}" ]] || args+=(--config "$INPUT_CONFIG")
[[ -z "${INPUT_BASELINE:-}" ]] || args+=(--baseline "$INPUT_BASELINE")

# `auto` (the default) means the pull request's base commit, and nothing on other events.
since=${INPUT_NEW_ONLY_SINCE-auto}
automatic=false
case "$since" in
    auto) since=${PR_BASE_SHA:-} automatic=true ;;
    none) since='' ;;
esac
if [[ -n "$since" ]]; then
    has_commit() { git -C "$path" rev-parse --quiet --verify "$since^{commit}" >/dev/null 2>&1; }
    # actions/checkout fetches a single commit unless told otherwise: fetch the base as well.
    if ! has_commit; then
        git -C "$path" fetch --quiet --no-tags --depth=1 origin "$since" >/dev/null 2>&1 || true
    fi
    if has_commit || [[ "$automatic" == false ]]; then
        # A ref the user named is passed on even when missing here: portcullis says what is wrong.
        args+=(--new-only-since "$since")
    else
        echo "::warning title=Portcullis::the pull request's base commit $since is not in the checkout and could not be fetched, so findings on every line are reported. Check out with \`fetch-depth: 0\`, or set \`new-only-since: none\` to report every line without this warning"
    fi
fi

# Extra arguments are split like a shell splits words (quotes group, backslashes escape) but
# never evaluated: xargs does the splitting, with nothing run but printf.
offline=false
if [[ -n "${INPUT_ARGS:-}" && -n "${INPUT_ARGS//[[:space:]]/}" ]]; then
    split=$(mktemp)
    printf '%s' "$INPUT_ARGS" | xargs printf '%s\0' >"$split" ||
        fail "input \`args\` could not be split into arguments (an unmatched quote?): $INPUT_ARGS"
    while IFS= read -r -d '' arg; do
        args+=("$arg")
        [[ "$arg" != --offline ]] || offline=true
    done <"$split"
    rm -f "$split"
fi

# A database restored from an older week's cache is refreshed once (conditional requests:
# unchanged ecosystems cost one round trip). Scans only download ecosystems the database lacks.
db_dir=${PORTCULLIS_DB_DIR:-}
db_has_data() { [[ -n "$db_dir" ]] && compgen -G "$db_dir/*.sqlite" >/dev/null; }
if [[ "${DB_CACHE_HIT:-}" != true && "$offline" == false ]] && db_has_data; then
    echo "::group::Refreshing the vulnerability database restored from an earlier week"
    portcullis db update ||
        echo "::warning title=Portcullis::the vulnerability database could not be refreshed (see the log above); images are checked against the data restored from the cache"
    echo "::endgroup::"
fi

printf 'Running:'
printf ' %q' portcullis "${args[@]}"
printf '\n'
set +e
portcullis "${args[@]}"
code=$?
set -e

db_present=false
if db_has_data; then
    db_present=true
fi

if_written() {
    [[ -f "$1" ]] && printf '%s' "$1"
    return 0
}
{
    echo "exit-code=$code"
    echo "sarif=$(if_written "$sarif")"
    echo "json=$(if_written "$json")"
    echo "junit=$(if_written "$junit")"
    echo "markdown=$(if_written "$markdown")"
    echo "db-present=$db_present"
} >>"$GITHUB_OUTPUT"

# jq rather than python3: it is on every GitHub-hosted image (Linux, macOS and Windows) under
# one name, and reading three numbers needs no interpreter. `tr`: a native Windows jq writes CRLF.
if [[ -f "$json" ]]; then
    if command -v jq >/dev/null 2>&1; then
        jq -r '"findings=\(.summary.total // 0)",
               "errors=\(.summary.by_severity.error // 0)",
               "vulnerabilities=\([.images[]?.vulnerabilities[]?] | length)"' "$json" |
            tr -d '\r' >>"$GITHUB_OUTPUT" ||
            echo "::warning title=Portcullis::could not read the counts from $json; the findings, errors and vulnerabilities outputs are empty"
    else
        echo "::warning title=Portcullis::jq is not installed on this runner, so the findings, errors and vulnerabilities outputs are empty; the reports are complete"
    fi
fi

if [[ -n "${GITHUB_STEP_SUMMARY:-}" && -f "$markdown" ]]; then
    cat "$markdown" >>"$GITHUB_STEP_SUMMARY"
fi
