#!/usr/bin/env bash
# Differential check of the Lua conformance scripts: runs each tests/lua/*.lua (or the
# scripts given as arguments) under both tarn and lua5.4 and compares stdout, exit status
# and, for failing runs, the error message (the "tarn:"/"lua5.4:" prefix and the stack
# traceback removed, the "file:line:" position kept).
#
# Usage: tests/compare-lua.sh [script.lua ...]
#   TARN=path   tarn binary to use (default: built with `cargo build --release -p tarn-cli`)
#   LUA=path    reference interpreter (default: lua5.4)
#   FUEL=n      tarn instruction budget per script (default: 100000000)
#
# Prints each difference and a summary line "N scripts, M differ"; exits 1 when any
# differ, 0 when all agree or when lua5.4 is missing (after saying so).
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"

lua=${LUA:-lua5.4}
if ! command -v "$lua" >/dev/null 2>&1; then
    echo "lua5.4 not found: comparison skipped"
    exit 0
fi

if [[ -n ${TARN:-} ]]; then
    tarn=$TARN
else
    cargo build --quiet --release -p tarn-cli
    tarn=${CARGO_TARGET_DIR:-$root/target}/release/tarn
fi
if [[ ! -x $tarn ]]; then
    echo "tarn binary not found at $tarn" >&2
    exit 2
fi
fuel=${FUEL:-100000000}

# Runs a command with a wall-clock limit when coreutils' timeout is available.
limited() {
    if command -v timeout >/dev/null 2>&1; then
        timeout 60 "$@"
    else
        "$@"
    fi
}

# The error message of a failed run: stderr up to the traceback, without the program prefix.
error_message() {
    sed -e '/^stack traceback:/,$d' -e '1s/^[^ :]*: //' "$1"
}

if [[ $# -gt 0 ]]; then
    scripts=("$@")
else
    scripts=(tests/lua/*.lua)
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

total=0
differ=0
for script in "${scripts[@]}"; do
    total=$((total + 1))
    lua_status=0
    limited "$lua" "$script" >"$work/lua.out" 2>"$work/lua.err" </dev/null || lua_status=$?
    tarn_status=0
    limited "$tarn" run --fuel "$fuel" "$script" >"$work/tarn.out" 2>"$work/tarn.err" </dev/null || tarn_status=$?

    report=""
    if ! cmp -s "$work/lua.out" "$work/tarn.out"; then
        report+="  stdout differs (--- lua5.4, +++ tarn):"$'\n'
        report+=$({ diff -u --label lua5.4 --label tarn "$work/lua.out" "$work/tarn.out" || true; } | sed 's/^/    /')
        report+=$'\n'
    fi
    if [[ $lua_status -ne $tarn_status ]]; then
        report+="  exit status: lua5.4 $lua_status, tarn $tarn_status"$'\n'
    fi
    if [[ $lua_status -ne 0 || $tarn_status -ne 0 ]]; then
        lua_error=$(error_message "$work/lua.err")
        tarn_error=$(error_message "$work/tarn.err")
        if [[ $lua_error != "$tarn_error" ]]; then
            report+="  error differs:"$'\n'
            report+="    lua5.4: ${lua_error//$'\n'/$'\n'            }"$'\n'
            report+="    tarn:   ${tarn_error//$'\n'/$'\n'            }"$'\n'
        fi
    fi
    if [[ -n $report ]]; then
        differ=$((differ + 1))
        printf 'DIFFER %s\n%s\n' "$script" "$report"
    fi
done

echo "$total scripts, $differ differ"
[[ $differ -eq 0 ]]
