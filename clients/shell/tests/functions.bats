#!/usr/bin/env bats
# The functions of workbook.bash and the README's one-liners, against the real server.

load test_helper

setup() {
    start_server
    # shellcheck source=../workbook.bash
    source "$SHELL_DIR/workbook.bash"
}

teardown() {
    stop_server
}

@test "workbook.bash is valid bash and clean under shellcheck" {
    bash -n "$SHELL_DIR/workbook.bash"
    require shellcheck "lint"
    shellcheck -s bash "$SHELL_DIR/workbook.bash" "$SHELL_DIR/run-tests.sh" "$SHELL_DIR/tests/test_helper.bash"
}

@test "sourcing under set -euo pipefail defines the functions and the completion" {
    run bash -c 'set -euo pipefail; source "$1"; type -t wb wb_rpc wb_socket wb_methods wb_ps1; complete -p workbook' _ "$SHELL_DIR/workbook.bash"
    [ "$status" -eq 0 ]
    [ "$output" = "$(printf 'function\nfunction\nfunction\nfunction\nfunction\ncomplete -F _workbook workbook')" ]
}

@test "wb server.ping prints {} through the server" {
    run wb server.ping
    [ "$status" -eq 0 ]
    [ "$output" = "{}" ]
}

@test "wb reads params from stdin with -" {
    run --separate-stderr bash -c 'source "$1"; printf "%s" "{\"bogus\":1}" | wb server.ping -' _ "$SHELL_DIR/workbook.bash"
    [ "$status" -eq 1 ]
    [ "$stderr" = '{"code":-32602,"message":"Invalid params: unknown parameter '"'"'bogus'"'"'","data":{"field":"bogus","kind":"invalidParams"}}' ]
}

@test "wb without a method prints usage and exits 64" {
    run --separate-stderr wb
    [ "$status" -eq 64 ]
    [ "$stderr" = "usage: wb METHOD [PARAMS-JSON | -]" ]
}

@test "an unknown method is one JSON line on stderr and exit 1" {
    run --separate-stderr wb no.such.method
    [ "$status" -eq 1 ]
    [ "$output" = "" ]
    [ "$stderr" = '{"code":-32601,"message":"Method not found: no.such.method","data":{"kind":"methodNotFound","method":"no.such.method"}}' ]
}

@test "wb_rpc sends a raw request with socat and prints the reply line" {
    require socat "wb_rpc and the socat recipes"
    run wb_rpc server.ping
    [ "$status" -eq 0 ]
    [ "$output" = '{"jsonrpc":"2.0","id":1,"result":{}}' ]
    run wb_rpc server.ping '{"bogus":1}'
    [ "$output" = '{"jsonrpc":"2.0","id":1,"error":{"code":-32602,"message":"Invalid params: unknown parameter '"'"'bogus'"'"'","data":{"field":"bogus","kind":"invalidParams"}}}' ]
}

@test "README recipe: NDJSON with socat, two requests on one connection" {
    require socat "the socat recipes"
    run bash -c 'printf "%s\n" "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"server.ping\"}" "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"server.info\"}" | socat - "UNIX-CONNECT:$WORKBOOK_SOCKET" | jq -c "[.id, .result.framing // .result]"'
    [ "$status" -eq 0 ]
    [ "$output" = "$(printf '[1,{}]\n[2,"ndjson"]')" ]
}

@test "README recipe: Content-Length framing with socat" {
    require socat "the socat recipes"
    body='{"jsonrpc":"2.0","id":7,"method":"server.ping"}'
    run bash -c 'printf "Content-Length: %d\r\n\r\n%s" "${#1}" "$1" | socat - "UNIX-CONNECT:$WORKBOOK_SOCKET"' _ "$body"
    [ "$status" -eq 0 ]
    [ "$output" = "$(printf 'Content-Length: 36\r\n\r\n{"jsonrpc":"2.0","id":7,"result":{}}')" ]
}

@test "wb_socket follows WORKBOOK_SOCKET, then XDG_RUNTIME_DIR, then /tmp/workbook-UID" {
    [ "$(WORKBOOK_SOCKET=/x/s.sock wb_socket)" = /x/s.sock ]
    [ "$(WORKBOOK_SOCKET='' XDG_RUNTIME_DIR=/run/user/7 wb_socket)" = /run/user/7/workbook/workbook.sock ]
    [ "$(WORKBOOK_SOCKET='' XDG_RUNTIME_DIR='' wb_socket)" = "/tmp/workbook-$(id -u)/workbook.sock" ]
}

@test "saving answers through wb gives exact progress and meaningful exit codes" {
    require_method workbooks.list
    require jq "reading results"
    run wb answers.save '{"promptId":"solidarity-means","text":"Showing up, again.","status":"final"}'
    [ "$status" -eq 0 ]
    [ "$(jq -c '[.revision, .answer.status]' <<<"$output")" = '[1,"final"]' ]
    wb answers.save '{"promptId":"who-do-i-stand-with","text":"a draft"}' >/dev/null
    run wb progress.get '{"workbookId":"solidarity"}'
    [ "$(jq -c '[.total, .answered, .drafts, .remaining, .percent, .words]' <<<"$output")" = '[22,1,1,21,4,5]' ]
    run --separate-stderr wb answers.get '{"promptId":"no-such-prompt"}'
    [ "$status" -eq 3 ]
    [ "$(jq -r .data.kind <<<"$stderr")" = promptNotFound ]
    run --separate-stderr wb answers.save '{"promptId":"solidarity-means","text":"stale","expectedRevision":0}'
    [ "$status" -eq 4 ]
    [ "$(jq -c '[.code, .data.kind, .data.currentRevision]' <<<"$stderr")" = '[1004,"revisionConflict",1]' ]
}

@test "README recipe: a batch is one array in, one array out" {
    require socat "the socat recipes"
    run bash -c 'echo "[{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"server.ping\"},{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"nope\"}]" | socat - "UNIX-CONNECT:$WORKBOOK_SOCKET"'
    [ "$status" -eq 0 ]
    [ "$output" = '[{"jsonrpc":"2.0","id":1,"result":{}},{"jsonrpc":"2.0","id":2,"error":{"code":-32601,"message":"Method not found: nope","data":{"kind":"methodNotFound","method":"nope"}}}]' ]
}

@test "README recipe: a socat connection that subscribed receives workbook.changed lines" {
    require socat "the socat recipes"
    require jq "reading notifications"
    require_method workbooks.list
    coproc WATCH { socat - "UNIX-CONNECT:$WORKBOOK_SOCKET"; }
    watch_pid=$WATCH_PID
    printf '%s\n' '{"jsonrpc":"2.0","id":1,"method":"subscribe"}' >&"${WATCH[1]}"
    read -r -t 10 -u "${WATCH[0]}" reply
    [ "$(jq -c '[.id, (.result | keys)]' <<<"$reply")" = '[1,["cursor","subscriptionId"]]' ]
    wb answers.save '{"promptId":"solidarity-means","text":"x"}' >/dev/null
    read -r -t 10 -u "${WATCH[0]}" first
    read -r -t 10 -u "${WATCH[0]}" second
    [ "$(jq -c '[.method, .params.change.type]' <<<"$first")" = '["workbook.changed","pass.started"]' ]
    [ "$(jq -c '.params.change | [.type, .promptId, .revision]' <<<"$second")" = '["answer.saved","solidarity-means",1]' ]
    to_socat=${WATCH[1]}
    exec {to_socat}>&-
    wait "$watch_pid"
}
