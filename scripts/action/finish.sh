#!/usr/bin/env bash
# Last step of the GitHub Action (action.yml): fails the job when `portcullis check` did,
# after the reports were uploaded and the pull request annotated.
#
#   EXIT_CODE   the run step's `exit-code` output
#   REPORT_JSON where the findings are (for the message)
set -euo pipefail

where=${REPORT_JSON:-the job log}
case "${EXIT_CODE:-}" in
    0) ;;
    1)
        echo "::error title=Portcullis::findings at or above the failure threshold (see the job summary and $where). Fix them, raise \`severity-threshold\` or \`fail-on\`, or record the existing ones in a \`baseline\` to fail on new findings only"
        exit 1
        ;;
    2)
        echo "::error title=Portcullis::the check was incomplete: some input could not be analysed (the errors are in the log above and in $where). The reports written cover the rest"
        exit 1
        ;;
    *)
        echo "::error title=Portcullis::portcullis did not finish (exit code '${EXIT_CODE:-}'); see the log of the run step"
        exit 1
        ;;
esac
