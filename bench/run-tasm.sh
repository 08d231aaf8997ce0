#!/usr/bin/env bash
# Times the hand-written bytecode benchmarks (bench/tasm/*.tasm) against the same
# programs in Lua (bench/tasm/*.lua) on lua5.4 and luajit -joff, in one run, with
# hyperfine (several runs each, medians). Writes bench/RESULTS-tasm.md.
#
#   bench/run-tasm.sh [runs]
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-10}

need() { command -v "$1" >/dev/null 2>&1; }
if ! need hyperfine || ! need lua5.4 || ! need luajit; then
  echo "installing hyperfine, lua5.4, luajit (Debian packages)" >&2
  apt-get install -y -qq hyperfine lua5.4 luajit >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq hyperfine lua5.4 luajit >/dev/null; }
fi

cargo build --release -q -p tarn-cli
tarn=target/release/tarn
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

for prog in bench/tasm/*.tasm; do
  name=$(basename "$prog" .tasm)
  lua=bench/tasm/$name.lua
  # The outputs must agree before timing means anything.
  t=$("$tarn" run "$prog"); l=$(lua5.4 "$lua"); j=$(luajit -joff "$lua")
  if [ "$t" != "$l" ]; then echo "$name: tarn printed '$t' but lua5.4 printed '$l'" >&2; exit 1; fi
  [ "$l" = "$j" ] || echo "$name: note: luajit printed '$j'" >&2
  hyperfine -N --warmup 1 --runs "$runs" --export-json "$out/$name.json" \
    -n tarn "$tarn run $prog" -n lua5.4 "lua5.4 $lua" -n luajit-joff "luajit -joff $lua" >/dev/null
done

python3 - "$out" "$runs" <<'PY' | tee bench/RESULTS-tasm.md
import json, sys, glob, os, platform, subprocess, datetime, math
out, runs = sys.argv[1], sys.argv[2]
cpu = next((l.split(':', 1)[1].strip() for l in open('/proc/cpuinfo') if l.startswith('model name')), platform.machine())
print('# Hand-written bytecode benchmarks\n')
print(f'Machine: {cpu}, {os.cpu_count()} cores. Date: {datetime.date.today()}. '
      f'Median of {runs} runs each (hyperfine), interleaved per program.\n')
print('| program | tarn (s) | lua5.4 (s) | luajit -joff (s) | tarn/lua5.4 | tarn/luajit |')
print('|---|---|---|---|---|---|')
ratios = []
for path in sorted(glob.glob(f'{out}/*.json')):
    res = {r['command']: r['median'] for r in json.load(open(path))['results']}
    t, l, j = res['tarn'], res['lua5.4'], res['luajit-joff']
    ratios.append(t / l)
    print(f"| {os.path.basename(path)[:-5]} | {t:.3f} | {l:.3f} | {j:.3f} | {t/l:.2f} | {t/j:.2f} |")
print(f'\nGeometric mean tarn/lua5.4: {math.exp(sum(map(math.log, ratios))/len(ratios)):.2f}')
PY
