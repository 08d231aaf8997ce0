#!/usr/bin/env bash
# Runs one fuzz target for a while, gently: lowest priority, one process, bounded memory
# and per-input time. The corpus starts from the repository's own inputs (the Lua
# conformance scripts, the examples, their compiled modules) and grows in
# fuzz/corpus/<target>, which is not checked in; crashes land in fuzz/artifacts/<target>.
# The log, with libFuzzer's final statistics, goes to fuzz/logs/<target>-<time>.log.
#
# Usage: fuzz/run.sh <target> <seconds> [extra libFuzzer flags]
# Targets: decode_verify decode_run compile assemble run_source
set -euo pipefail
cd "$(dirname "$0")"
target=$1
seconds=$2
shift 2

corpus=corpus/$target
mkdir -p "$corpus" logs "artifacts/$target"
# Generated inputs too: valid modules (which reach the interpreter through mutations
# that keep them valid) and generated programs.
seeds() {
    cargo run --quiet --release --manifest-path ../Cargo.toml -p tarn-gen --example seeds -- "$@"
}
if [[ -z $(ls -A "$corpus") ]]; then
    case $target in
        compile | run_source)
            cp ../tests/lua/*.lua ../tests/adversarial/*.lua "$corpus"/
            seeds "$corpus" lua 100
            ;;
        assemble)
            cp ../examples/*.tasm "$corpus"/
            cp ../bench/tasm/*.tasm "$corpus"/ 2>/dev/null || true
            seeds "$corpus" tasm 100
            ;;
        decode_verify | decode_run)
            cargo build --quiet --release --manifest-path ../Cargo.toml -p tarn-cli
            tarn=../target/release/tarn
            for f in ../examples/*.tasm; do
                "$tarn" asm "$f" -o "$corpus/$(basename "$f" .tasm).tbc"
            done
            for f in ../tests/lua/*.lua; do
                "$tarn" compile "$f" -o "$corpus/$(basename "$f" .lua).tbc" 2>/dev/null || true
            done
            seeds "$corpus" tbc 200
            ;;
        *)
            echo "unknown target $target" >&2
            exit 2
            ;;
    esac
fi

# Text targets get a dictionary of the language's tokens (generated, not checked in).
dict=()
case $target in
    compile | run_source) seeds logs dict-lua 0 && dict=(-dict=logs/dict-lua.dict) ;;
    assemble) seeds logs dict-tasm 0 && dict=(-dict=logs/dict-tasm.dict) ;;
esac

# Built once, then the fuzzer binary is run directly: `cargo fuzz run` rebuilds with other
# settings to reproduce a finding, which costs minutes on a shared machine.
nice -n 19 cargo +nightly fuzz build "$target" >/dev/null 2>&1
binary=target/x86_64-unknown-linux-gnu/release/$target

# The per-input timeout is wall-clock time: at the lowest priority on a busy machine an
# input that takes 0.5 s can take twenty times as long, so it is generous. A real hang
# (an input that never ends) still trips it; replay a timeout with
# `cargo run --release -p tarn-gen --example replay -- <target> FILE` to tell which.
log=logs/$target-$(date +%Y%m%d-%H%M%S).log
echo "fuzzing $target for ${seconds}s, log in fuzz/$log"
status=0
nice -n 19 "$binary" -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=60 -max_len=65536 \
    -print_final_stats=1 -artifact_prefix="artifacts/$target/" "${dict[@]}" "$@" "$corpus" >"$log" 2>&1 || status=$?
grep -E '^(#[0-9]+ +DONE|stat::number_of_executed_units|stat::average_exec_per_sec)' "$log" || tail -3 "$log"
if [[ $status -ne 0 ]]; then
    echo "$target stopped with status $status: see fuzz/$log"
fi
exit $status
