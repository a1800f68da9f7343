# workbook.bash: shell functions, a prompt segment and bash completion for `workbook`.
#
# Source it from ~/.bashrc:
#     source /path/to/clients/shell/workbook.bash
#
# Functions (all honour WORKBOOK_SOCKET; WORKBOOK_BIN names the binary, default `workbook`):
#   wb METHOD [PARAMS-JSON | -]   call a method (`workbook call`), compact JSON on stdout
#   wb_rpc METHOD [PARAMS-JSON]   the same over the socket with socat, the raw JSON-RPC reply line
#   wb_socket                     print the socket path the server uses by default
#   wb_methods                    list the method names (from the OpenRPC document)
#   wb_ps1                        the prompt segment: " solidarity 7/22", or nothing when unavailable
#
# Completion: subcommands and their options (read from `workbook --help`, so new subcommands
# appear on their own), method names after `workbook call`, files after --socket/--database.
#
# Nothing here calls `set -e` or changes shell options: it is meant to be sourced.

# The binary to run.
__wb_bin() {
    printf '%s\n' "${WORKBOOK_BIN:-workbook}"
}

# Calls a method through `workbook call` (server when one answers, else the database directly).
wb() {
    if (($# < 1)); then
        printf 'usage: wb METHOD [PARAMS-JSON | -]\n' >&2
        return 64
    fi
    "$(__wb_bin)" call "$@"
}

# The default socket path: $WORKBOOK_SOCKET, $XDG_RUNTIME_DIR/workbook/workbook.sock, /tmp/workbook-UID/.
wb_socket() {
    if [[ -n ${WORKBOOK_SOCKET:-} ]]; then
        printf '%s\n' "$WORKBOOK_SOCKET"
    elif [[ -n ${XDG_RUNTIME_DIR:-} ]]; then
        printf '%s\n' "$XDG_RUNTIME_DIR/workbook/workbook.sock"
    else
        printf '/tmp/workbook-%s/workbook.sock\n' "$(id -u)"
    fi
}

# Sends one JSON-RPC request over the socket with socat and prints the reply line as received.
# PARAMS-JSON must be one line of JSON (an object); method names need no escaping.
wb_rpc() {
    if (($# < 1 || $# > 2)); then
        printf 'usage: wb_rpc METHOD [PARAMS-JSON]\n' >&2
        return 64
    fi
    if ! command -v socat >/dev/null 2>&1; then
        printf 'wb_rpc: socat is not installed\n' >&2
        return 69
    fi
    local request
    request=$(printf '{"jsonrpc":"2.0","id":1,"method":"%s"%s}' "$1" "${2:+,\"params\":$2}")
    printf '%s\n' "$request" | socat -t 5 - "UNIX-CONNECT:$(wb_socket)"
}

# Method names, one a line, from the OpenRPC document compiled into the binary.
wb_methods() {
    local bin document sub
    bin=$(__wb_bin)
    for sub in openrpc open-rpc; do
        document=$("$bin" "$sub" 2>/dev/null) && break
    done
    [[ -n ${document:-} ]] || return 1
    if command -v jq >/dev/null 2>&1; then
        jq -r '.methods[].name' <<<"$document"
    else
        python3 -c 'import json,sys; print("\n".join(m["name"] for m in json.load(sys.stdin)["methods"]))' <<<"$document"
    fi
}

# The prompt segment: a leading space and `workbook progress --format prompt` (e.g. " solidarity 7/22").
# Prints nothing and succeeds when the command fails, is missing or takes longer than
# WORKBOOK_PROMPT_TIMEOUT seconds (default 0.5), so a prompt never breaks or stalls.
wb_ps1() {
    local segment
    segment=$(timeout "${WORKBOOK_PROMPT_TIMEOUT:-0.5}" "$(__wb_bin)" progress --format prompt 2>/dev/null) || return 0
    segment=${segment%%$'\n'*}
    [[ -n $segment ]] && printf ' %s' "$segment"
    return 0
}

# --- completion ---------------------------------------------------------------------------------

declare -gA __wb_help_cache=()
declare -g __wb_methods_cache=""

# `workbook [PATH...] --help`, cached per subcommand path.
__wb_help() {
    local key="workbook $*"
    if [[ -z ${__wb_help_cache[$key]+set} ]]; then
        __wb_help_cache[$key]=$("$(__wb_bin)" "$@" --help 2>/dev/null)
    fi
    printf '%s\n' "${__wb_help_cache[$key]}"
}

# Subcommand names listed under SUBCOMMANDS: in a help text (on stdin).
__wb_subcommands_from_help() {
    local line in_section=0
    while IFS= read -r line; do
        if [[ $line == SUBCOMMANDS:* ]]; then
            in_section=1
        elif ((in_section)) && [[ $line =~ ^\ \ ([a-z][a-z0-9-]*)([[:space:]]|$) ]]; then
            printf '%s\n' "${BASH_REMATCH[1]}"
        elif ((in_section)) && [[ $line =~ ^[A-Z] ]]; then
            in_section=0
        fi
    done
}

# Long options named in a help text (on stdin).
__wb_options_from_help() {
    grep -oE '(^|[[:space:],])--[a-z][a-z0-9-]*' | sed -E 's/^[[:space:],]*//' | sort -u
}

_workbook() {
    local cur prev
    cur=${COMP_WORDS[COMP_CWORD]}
    prev=${COMP_WORDS[COMP_CWORD - 1]}
    COMPREPLY=()

    case $prev in
        --socket | --database | --packs | -o | --output)
            compopt -o filenames 2>/dev/null
            mapfile -t COMPREPLY < <(compgen -f -- "$cur")
            return 0
            ;;
        --format)
            mapfile -t COMPREPLY < <(compgen -W "prompt text json markdown" -- "$cur")
            return 0
            ;;
        --log-level)
            mapfile -t COMPREPLY < <(compgen -W "trace debug info notice warning error critical" -- "$cur")
            return 0
            ;;
    esac

    # The subcommand path so far (words that are subcommands of the path before them) and how many
    # positional words follow it.
    local -a path=()
    local word subs positionals=0 i
    for ((i = 1; i < COMP_CWORD; i++)); do
        word=${COMP_WORDS[i]}
        if [[ $word == -* ]]; then
            continue
        fi
        subs=$(__wb_help "${path[@]}" | __wb_subcommands_from_help)
        if ((positionals == 0)) && grep -qxF -- "$word" <<<"$subs"; then
            path+=("$word")
        elif [[ ${COMP_WORDS[i - 1]} != --* ]] || [[ ${COMP_WORDS[i - 1]} == --*=* ]]; then
            positionals=$((positionals + 1))
        fi
    done

    if [[ $cur == -* ]]; then
        mapfile -t COMPREPLY < <(compgen -W "$(__wb_help "${path[@]}" | __wb_options_from_help)" -- "$cur")
        return 0
    fi
    if [[ ${path[0]:-} == call && ${#path[@]} -eq 1 && $positionals -eq 0 ]]; then
        [[ -n $__wb_methods_cache ]] || __wb_methods_cache=$(wb_methods)
        mapfile -t COMPREPLY < <(compgen -W "$__wb_methods_cache" -- "$cur")
        return 0
    fi
    if ((positionals == 0)); then
        mapfile -t COMPREPLY < <(compgen -W "$(__wb_help "${path[@]}" | __wb_subcommands_from_help)" -- "$cur")
    fi
    return 0
}

complete -F _workbook workbook
