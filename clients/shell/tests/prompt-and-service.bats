#!/usr/bin/env bats
# The prompt segment (PS1 and tmux examples) and the systemd user unit.

load test_helper

setup() {
    require_binary
    # shellcheck source=../workbook.bash
    source "$SHELL_DIR/workbook.bash"
    REAL_BIN=$WORKBOOK_BIN
}

teardown() {
    # A test that failed half-way must not leave its server behind: it would keep bats waiting.
    if [[ -n ${UNIT_PID:-} ]]; then
        kill -TERM "$UNIT_PID" 2>/dev/null || true
        wait "$UNIT_PID" 2>/dev/null || true
    fi
    stop_server
}

# A stand-in binary that prints LINE for `progress --format prompt` after SECONDS.
fake_binary() {
    local line=$1 seconds=${2:-0}
    cat >"$BATS_TEST_TMPDIR/fake-workbook" <<EOF
#!/usr/bin/env bash
[ "\$*" = "progress --format prompt" ] || exit 64
sleep $seconds
printf '%s\n' "$line"
EOF
    chmod +x "$BATS_TEST_TMPDIR/fake-workbook"
    printf '%s\n' "$BATS_TEST_TMPDIR/fake-workbook"
}

@test "wb_ps1 prints a leading space and the segment" {
    WORKBOOK_BIN=$(fake_binary "solidarity 7/22")
    run wb_ps1
    [ "$status" -eq 0 ]
    [ "$output" = " solidarity 7/22" ]
}

@test "wb_ps1 prints nothing and succeeds when the command fails or is missing" {
    WORKBOOK_BIN=false run wb_ps1
    [ "$status" -eq 0 ]
    [ "$output" = "" ]
    WORKBOOK_BIN=/nonexistent/workbook run wb_ps1
    [ "$status" -eq 0 ]
    [ "$output" = "" ]
}

@test "wb_ps1 gives up after WORKBOOK_PROMPT_TIMEOUT instead of stalling the prompt" {
    WORKBOOK_BIN=$(fake_binary "late 1/2" 5)
    start=$SECONDS
    WORKBOOK_PROMPT_TIMEOUT=0.2 run wb_ps1
    [ "$status" -eq 0 ]
    [ "$output" = "" ]
    [ $((SECONDS - start)) -lt 3 ]
}

@test "the bashrc example expands PS1 to end in the segment" {
    WORKBOOK_BIN=$(fake_binary "solidarity 7/22")
    sed "s|^source .*|source '$SHELL_DIR/workbook.bash'|" "$SHELL_DIR/examples/bashrc" >"$BATS_TEST_TMPDIR/bashrc"
    run bash -c 'source "$1"; cd /tmp; printf "%s" "${PS1@P}"' _ "$BATS_TEST_TMPDIR/bashrc"
    [ "$status" -eq 0 ]
    [ "$output" = "/tmp solidarity 7/22$(if [ "$(id -u)" = 0 ]; then echo '#'; else echo '$'; fi) " ]
}

@test "the tmux example parses and its #() command prints the segment" {
    require tmux "the status-line example"
    WORKBOOK_BIN=$(fake_binary "solidarity 7/22")
    run tmux -L "wb-test-$$" -f "$SHELL_DIR/examples/tmux.conf" start-server \; show-options -gv status-right \; kill-server
    [ "$status" -eq 0 ]
    [ "$output" = '#(workbook progress --format prompt 2>/dev/null) | %H:%M ' ]
    command=$(sed -nE "s/.*#\((.*)\).*/\1/p" <<<"$output")
    mkdir -p "$BATS_TEST_TMPDIR/bin"
    ln -s "$WORKBOOK_BIN" "$BATS_TEST_TMPDIR/bin/workbook"
    run env PATH="$BATS_TEST_TMPDIR/bin:$PATH" sh -c "$command"
    [ "$output" = "solidarity 7/22" ]
}

@test "the prompt segment from the real server counts a final answer" {
    start_server
    require_method progress.get
    "$REAL_BIN" progress --help >/dev/null 2>&1 || {
        [ "${CI:-}" = true ] && { echo "workbook progress is missing" >&3; return 1; }
        skip "workbook progress is not there yet"
    }
    wb answers.save '{"promptId":"solidarity-means","text":"Showing up.","status":"final"}' >/dev/null
    run wb_ps1
    [ "$status" -eq 0 ]
    [ "$output" = " solidarity 1/22" ]
}

@test "systemd-analyze verifies the user unit" {
    require systemd-analyze "unit verification"
    home=$BATS_TEST_TMPDIR/home
    mkdir -p "$home/.local/bin" "$BATS_TEST_TMPDIR/runtime"
    chmod 700 "$BATS_TEST_TMPDIR/runtime"
    ln -s "$REAL_BIN" "$home/.local/bin/workbook"
    HOME=$home XDG_RUNTIME_DIR=$BATS_TEST_TMPDIR/runtime run systemd-analyze --user verify "$SHELL_DIR/workbook.service"
    [ "$status" -eq 0 ]
    [ "$output" = "" ]
}

@test "the unit's ExecStart serves the default socket, status finds it, SIGTERM exits 0" {
    home=$BATS_TEST_TMPDIR/home
    runtime=$BATS_TEST_TMPDIR/runtime
    mkdir -p "$home/.local/bin" "$runtime"
    chmod 700 "$runtime"
    ln -s "$REAL_BIN" "$home/.local/bin/workbook"
    exec_start=$(sed -n 's/^ExecStart=//p' "$SHELL_DIR/workbook.service")
    exec_start=${exec_start//%h/$home}
    exec_start=${exec_start//%t/$runtime}
    read -r -a argv <<<"$exec_start"
    unset WORKBOOK_SOCKET
    export XDG_RUNTIME_DIR=$runtime XDG_DATA_HOME=$BATS_TEST_TMPDIR/data HOME=$home
    mkfifo "$BATS_TEST_TMPDIR/ready"
    exec {fd}<>"$BATS_TEST_TMPDIR/ready"
    # 3>&- first: neither the server nor the stderr reader holds bats' output descriptor.
    "${argv[@]}" 3>&- 2> >(while IFS= read -r line; do [[ $line == *"listening on"* ]] && echo "$line" >&"$fd"; done) &
    UNIT_PID=$!
    read -r -t 30 -u "$fd" line
    [ "$line" != "" ]
    [[ $line == *"listening on $runtime/workbook/workbook.sock" ]]
    run "$REAL_BIN" status
    [ "$status" -eq 0 ]
    [[ $output == "server on $runtime/workbook/workbook.sock (version "*"), database $BATS_TEST_TMPDIR/data/workbook/workbook.sqlite, 1 open connections (this one included)" ]]
    [ "$(wb_socket)" = "$runtime/workbook/workbook.sock" ]
    kill -TERM "$UNIT_PID"
    code=0
    wait "$UNIT_PID" || code=$?
    UNIT_PID=
    [ "$code" -eq 0 ]
    [ -f "$BATS_TEST_TMPDIR/data/workbook/workbook.sqlite" ]
}
