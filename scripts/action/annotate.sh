#!/usr/bin/env bash
# Step 5 of the GitHub Action (action.yml): posts the run on the pull request with
# `portcullis annotate github` (a check run with annotations, one summary comment).
#
# Never fails the job: the reports were written already, and a pull request that cannot be
# annotated (no permission, API down) should not turn a clean run red.
#
#   REPORT_JSON, REPORT_MARKDOWN   the run step's report paths
#   GITHUB_TOKEN                   the action's `token` input
#   PR_HEAD_REPO                   owner/name the pull request comes from (empty on other events)
set -euo pipefail

report=${REPORT_JSON:-}
if [[ -z "$report" || ! -f "$report" ]]; then
    echo "::warning title=Portcullis::no JSON report to annotate the pull request with (the check did not write one; see its log)"
    exit 0
fi

args=(annotate github --report "$report")
[[ -z "${REPORT_MARKDOWN:-}" ]] || args+=(--markdown "$REPORT_MARKDOWN")

# Pull requests from forks, and Dependabot's, get a read-only token whatever the workflow's
# permissions say: the API calls would only fail, so annotate with workflow commands instead.
fork=false
if [[ "${GITHUB_EVENT_NAME:-}" == pull_request ]]; then
    if [[ -n "${PR_HEAD_REPO:-}" && "$PR_HEAD_REPO" != "${GITHUB_REPOSITORY:-}" ]] ||
        [[ "${GITHUB_ACTOR:-}" == "dependabot[bot]" ]]; then
        fork=true
    fi
fi
if [[ "$fork" == true || -z "${GITHUB_TOKEN:-}" ]]; then
    args+=(--workflow-commands)
fi

# The run step already put the Markdown summary in the job summary: not twice.
status=0
env -u GITHUB_STEP_SUMMARY portcullis "${args[@]}" || status=$?
if [[ "$status" -ne 0 ]]; then
    echo "::warning title=Portcullis::annotating the pull request failed (portcullis exited with $status, see above); the reports in the job's outputs are complete"
fi
