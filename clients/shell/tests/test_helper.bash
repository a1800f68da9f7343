# Shared setup for the bats tests: the real binary, a server of its own on a fresh database.
bats_require_minimum_version 1.5.0

SHELL_DIR=$(cd "$BATS_TEST_DIRNAME/.." && pwd)
REPO_DIR=$(cd "$SHELL_DIR/../.." && pwd)
export WORKBOOK_BIN=${WORKBOOK_BIN:-$REPO_DIR/.build/debug/workbook}
READY_SECONDS=30

# Skips locally, fails in CI (CI=true), when something the test needs is missing.
require() {
    local what=$1 reason=$2
    if ! command -v "$what" >/dev/null 2>&1; then
        if [[ ${CI:-} == true ]]; then
            printf 'missing %s: %s (CI=true: required)\n' "$what" "$reason" >&3
            return 1
        fi
        skip "$what is not installed ($reason)"
    fi
}

require_binary() {
    if [[ ! -x $WORKBOOK_BIN ]]; then
        if [[ ${CI:-} == true ]]; then
            printf 'no workbook binary at %s\n' "$WORKBOOK_BIN" >&3
            return 1
        fi
        skip "no workbook binary at $WORKBOOK_BIN (build it or set WORKBOOK_BIN)"
    fi
}

# Skips locally (fails in CI) until the server serves METHOD.
require_method() {
    local method=$1 params=${2:-}
    local status=0
    "$WORKBOOK_BIN" call "$method" ${params:+"$params"} --database "$BATS_TEST_TMPDIR/probe.sqlite" >/dev/null 2>&1 || status=$?
    if ((status != 0)); then
        if [[ ${CI:-} == true ]]; then
            printf '%s is not served (exit %s)\n' "$method" "$status" >&3
            return 1
        fi
        skip "the server does not serve $method yet"
    fi
}

# Starts `workbook serve --socket` on a fresh database and waits, with a deadline, for its
# "listening on" line on stderr (read from a FIFO: no polling). Sets SERVER_PID, WORKBOOK_SOCKET.
start_server() {
    require_binary
    export WORKBOOK_SOCKET=$BATS_TEST_TMPDIR/run/workbook.sock
    export WORKBOOK_DATABASE=$BATS_TEST_TMPDIR/workbook.sqlite
    SERVER_LOG=$BATS_TEST_TMPDIR/server.log
    local ready=$BATS_TEST_TMPDIR/ready line
    mkfifo "$ready"
    exec {READY_FD}<>"$ready"
    # 3>&- before the process substitution: neither the server nor its stderr reader may hold
    # bats' output descriptor, or a test that fails before stop_server leaves bats waiting.
    "$WORKBOOK_BIN" serve --socket "$WORKBOOK_SOCKET" --database "$WORKBOOK_DATABASE" \
        3>&- 2> >(while IFS= read -r line; do
            printf '%s\n' "$line" >>"$SERVER_LOG"
            [[ $line == *"listening on"* ]] && printf 'ready\n' >&"$READY_FD"
        done; printf 'exited\n' >&"$READY_FD") &
    SERVER_PID=$!
    if ! read -r -t "$READY_SECONDS" -u "$READY_FD" line || [[ $line != ready ]]; then
        printf 'server did not start (%s):\n%s\n' "${line:-timeout}" "$(cat "$SERVER_LOG" 2>/dev/null)" >&3
        return 1
    fi
}

# Stops the server with SIGTERM and checks that it exits 0.
stop_server() {
    [[ -n ${SERVER_PID:-} ]] || return 0
    kill -TERM "$SERVER_PID" 2>/dev/null || true
    local status=0
    wait "$SERVER_PID" || status=$?
    SERVER_PID=
    exec {READY_FD}>&- 2>/dev/null || true
    ((status == 0)) || { printf 'server exited %s\n' "$status" >&3; return 1; }
}
