#!/usr/bin/env bash
# Fuzzes rfm's readers of untrusted input under AFL++ for a fixed time (docs/fuzzing.md).
#   fuzz/run.sh TARGET SECONDS    TARGET: csv, segments, result, detect, state, or all (each in turn for SECONDS)
# Installs afl++ and the SharpFuzz tool when missing, builds the harness, instruments the product's assemblies, runs
# afl-fuzz from the seed corpus in fuzz/corpus/TARGET, and prints the executions run. Findings are kept in
# fuzz/out/TARGET. Exits 1 if any input made a target crash or hang.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ $# -ne 2 ] || ! [[ $2 =~ ^[1-9][0-9]*$ ]]; then
  echo "usage: fuzz/run.sh csv|segments|result|detect|state|all SECONDS" >&2
  exit 2
fi
targets=("$1")
[ "$1" = all ] && targets=(csv segments result detect state)
for target in "${targets[@]}"; do
  if [ ! -d "fuzz/corpus/$target" ]; then
    echo "fuzz/run.sh: no target '$target'; the targets: csv, segments, result, detect, state." >&2
    exit 2
  fi
done

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
if ! command -v afl-fuzz >/dev/null 2>&1; then
  if [ "$(id -u)" -eq 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq afl++ >/dev/null; else sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq afl++ >/dev/null; fi
fi
dotnet tool restore >/dev/null

# A fresh copy each run: instrumenting changes the assemblies in place, and only once.
dotnet build fuzz/Rfm.Fuzz -c Release --nologo -v quiet >/dev/null
build=fuzz/out/build
rm -rf "$build"
mkdir -p fuzz/out
cp -r fuzz/Rfm.Fuzz/bin/Release/net10.0 "$build"
for assembly in Rfm.Core.dll Rfm.Fuzz.Readers.dll Sylvan.Data.Csv.dll MiniExcel.dll; do
  dotnet sharpfuzz "$build/$assembly" >/dev/null
done

# afl-fuzz runs the .NET host, which is not instrumented itself (SharpFuzz reports coverage from inside), on a machine
# whose CPU settings and crash handling it must leave as they are.
export AFL_SKIP_BIN_CHECK=1 AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_NO_UI=1 AFL_NO_AFFINITY=1

status=0
for target in "${targets[@]}"; do
  findings="fuzz/out/$target"
  rm -rf "$findings"
  afl-fuzz -V "$2" -t 10000 -m none -i "fuzz/corpus/$target" -o "$findings" -- "$(command -v dotnet)" "$build/Rfm.Fuzz.dll" "$target" >"fuzz/out/$target.log" 2>&1 || {
    echo "fuzz $target: afl-fuzz failed; see fuzz/out/$target.log" >&2
    tail -n 20 "fuzz/out/$target.log" >&2
    status=1
    continue
  }
  stats="$findings/default/fuzzer_stats"
  execs=$(awk -F': *' '$1 ~ /^execs_done/ {print $2}' "$stats")
  crashes=$(find "$findings/default/crashes" -type f -name 'id:*' | wc -l)
  hangs=$(find "$findings/default/hangs" -type f -name 'id:*' | wc -l)
  echo "fuzz $target: ${execs} executions in $2 s, ${crashes} crashes, ${hangs} hangs"
  if [ "$crashes" -ne 0 ] || [ "$hangs" -ne 0 ]; then
    # Replayed outside afl-fuzz by the assemblies as built: the instrumented ones need afl's shared memory.
    echo "fuzz $target: replay with: dotnet fuzz/Rfm.Fuzz/bin/Release/net10.0/Rfm.Fuzz.dll $target $findings/default/crashes/id:* $findings/default/hangs/id:*" >&2
    status=1
  fi
done
exit "$status"
