#!/usr/bin/env bats
# Bash completion for `workbook`: subcommands from --help, options, method names from OpenRPC.

load test_helper

setup() {
    require_binary
    # shellcheck source=../workbook.bash
    source "$SHELL_DIR/workbook.bash"
    workbook() { "$WORKBOOK_BIN" "$@"; }
}

teardown() {
    stop_server
}

# Completes the words of LINE (the cursor at its end) and prints the candidates sorted, one a line.
complete_line() {
    local line=$1
    read -r -a COMP_WORDS <<<"$line"
    [[ $line == *' ' ]] && COMP_WORDS+=("")
    COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
    COMP_LINE=$line
    COMP_POINT=${#line}
    _workbook
    printf '%s\n' "${COMPREPLY[@]}" | sort
}

@test "the first word completes to every subcommand that workbook --help lists" {
    run complete_line "workbook "
    [ "$status" -eq 0 ]
    expected=$("$WORKBOOK_BIN" --help | sed -n '/^SUBCOMMANDS:/,/^[A-Z]/p' | grep -oE '^  [a-z][a-z0-9-]*' | tr -d ' ' | sort)
    [ -n "$expected" ]
    [ "$output" = "$expected" ]
    for sub in serve call status; do
        grep -qx "$sub" <<<"$output"
    done
}

@test "a prefix completes to the matching subcommand" {
    run complete_line "workbook ca"
    [ "$output" = call ]
    run complete_line "workbook se"
    [ "$output" = serve ]
}

@test "options of a subcommand complete after --" {
    run complete_line "workbook serve --"
    grep -qx -- --socket <<<"$output"
    grep -qx -- --database <<<"$output"
    grep -qx -- --stdio <<<"$output"
    run complete_line "workbook call --so"
    [ "$output" = --socket ]
}

@test "files complete after --database" {
    touch "$BATS_TEST_TMPDIR/mine.sqlite"
    run complete_line "workbook call --database $BATS_TEST_TMPDIR/mi"
    [ "$output" = "$BATS_TEST_TMPDIR/mine.sqlite" ]
}

@test "method names complete after call, from the OpenRPC document" {
    methods=$(wb_methods | sort)
    if [ -z "$methods" ] && [ "${CI:-}" != true ]; then
        skip "the OpenRPC document lists no methods yet"
    fi
    [ -n "$methods" ]
    run complete_line "workbook call "
    [ "$output" = "$methods" ]
    grep -qx server.ping <<<"$output"
    run complete_line "workbook call --socket /tmp/x.sock server.p"
    [ "$output" = server.ping ]
}

@test "nothing is offered once the method is given" {
    run complete_line "workbook call server.ping "
    [ "$status" -eq 0 ]
    [ "$output" = "" ]
}

@test "the method names offered after call are exactly those rpc.discover returns from a running server" {
    require jq "reading the rpc.discover reply"
    require socat "asking the server itself, over its socket"
    start_server
    discovered=$(wb_rpc rpc.discover | jq -r '.result.methods[].name' | sort)
    [ -n "$discovered" ]
    grep -qx answers.save <<<"$discovered"
    run complete_line "workbook call "
    [ "$status" -eq 0 ]
    [ "$output" = "$discovered" ]
}
