# shellcheck shell=bash
# Helpers the action's step scripts source. Written for bash 3.2 too (macOS's /bin/bash on
# self-hosted runners): no ${x,,}, no mapfile, no empty-array expansion under `set -u`.

# Stops the step with an error annotation that says what went wrong and what to do.
fail() {
    echo "::error title=Portcullis::$*"
    exit 1
}

# Whether boolean input $1 (named for the error message) is true; inputs are strings.
is_true() {
    case "$2" in
        true | True | TRUE) return 0 ;;
        false | False | FALSE | '') return 1 ;;
        *) fail "input \`$1\` must be true or false, not '$2'" ;;
    esac
}
