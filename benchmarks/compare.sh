#!/usr/bin/env bash
# End-to-end comparison of `rfm analyze` with the DuckDB baseline (`duckdb-rfm`, one SQL statement doing the same
# job) on a generated Online Retail II CSV file: wall time and peak memory of each, checked against the targets,
# and whether the two outputs agree.
#
# Usage, from anywhere in the repository:
#   benchmarks/compare.sh                 # 10M rows, 5 alternating rounds of each
#   ROUNDS=9 benchmarks/compare.sh
#   ROWS=1000000 benchmarks/compare.sh    # a smaller file (generated once, like the default one)
#   ROWS=100000000 CSV=/path/to/retail-100m.csv benchmarks/compare.sh --rfm-only   # the memory check on a huge file
#
# Environment: ROWS (rows to generate, default 10000000), CSV (the file, default benchmarks/data/retail-10m.csv,
# retail-1m.csv for ROWS=1000000 and so on; generated with ROWS rows when missing, never regenerated), ROUNDS
# (default 5).
# The targets: rfm <= 1.0 s and DuckDB at least 2.7 times slower on the default 10M-row file, rfm <= 200 MiB at
# any size.
# Needs GNU time at /usr/bin/time. Exits non-zero only when a command fails; a missed target prints FAIL.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
rounds=${ROUNDS:-5}
rows=${ROWS:-10000000}
rfm_only=false

for arg in "$@"; do
    case $arg in
        --rfm-only) rfm_only=true ;;
        -h|--help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "${BASH_SOURCE[0]}"; exit 0 ;;
        *) echo "compare.sh: unknown argument '$arg' (only --rfm-only)" >&2; exit 2 ;;
    esac
done

# A short name for the default file: 10000000 -> 10m, 250000 -> 250k.
if (( rows % 1000000 == 0 )); then
    size="$((rows / 1000000))m"
elif (( rows % 1000 == 0 )); then
    size="$((rows / 1000))k"
else
    size=$rows
fi
csv=${CSV:-$repo/benchmarks/data/retail-$size.csv}

if [[ ! -x /usr/bin/time ]]; then
    echo "compare.sh: /usr/bin/time (GNU time) is needed; on Debian: apt-get install time" >&2
    exit 1
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Build both once, quietly; show the log only when a build fails.
for project in src/Rfm.Cli benchmarks/Rfm.Benchmarks; do
    echo "building $project (Release)"
    if ! dotnet build "$repo/$project" -c Release -nologo -v q > "$work/build.log" 2>&1; then
        cat "$work/build.log" >&2
        exit 1
    fi
done

rfm_dll=$repo/src/Rfm.Cli/bin/Release/net10.0/rfm.dll
bench_dll=$repo/benchmarks/Rfm.Benchmarks/bin/Release/net10.0/Rfm.Benchmarks.dll

# Written under a temporary name first, so that an interrupted run never leaves a partial file behind.
if [[ ! -f $csv ]]; then
    echo "generating $csv ($rows rows)"
    mkdir -p "$(dirname "$csv")"
    dotnet "$bench_dll" generate-csv "$csv.partial" --rows "$rows"
    mv "$csv.partial" "$csv"
fi
echo "input: $csv ($(du -h "$csv" | cut -f1)), $rounds rounds"

# Runs one tool once: appends "seconds peak-KiB" to $work/<name>.times.
run() {
    local name=$1
    shift
    if ! /usr/bin/time -f '%e %M' -o "$work/time" "$@" > "$work/$name.stdout" 2> "$work/$name.stderr"; then
        echo "compare.sh: $name failed:" >&2
        cat "$work/$name.stderr" >&2
        exit 1
    fi
    cat "$work/time" >> "$work/$name.times"
    printf '  %-6s %6.2f s %8.1f MiB\n' "$name" "$(cut -d' ' -f1 "$work/time")" "$(awk '{ print $2 / 1024 }' "$work/time")"
}

run_rfm() { run rfm dotnet "$rfm_dll" analyze "$csv" --out "$work/rfm.csv" --quiet; }
run_duckdb() { run duckdb dotnet "$bench_dll" duckdb-rfm "$csv" "$work/duckdb.csv"; }

# Alternate, and swap who goes first each round, so that neither always runs on a warmer machine.
for ((round = 1; round <= rounds; round++)); do
    echo "round $round"
    if $rfm_only; then
        run_rfm
    elif ((round % 2 == 1)); then
        run_rfm
        run_duckdb
    else
        run_duckdb
        run_rfm
    fi
done

# The median of one column of a file of numbers.
median() {
    sort -n -k"$2","$2" "$1" | awk -v column="$2" '{ v[NR] = $column } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

rfm_time=$(median "$work/rfm.times" 1)
rfm_mib=$(median "$work/rfm.times" 2 | awk '{ printf "%.1f", $1 / 1024 }')

echo
printf '%-8s %14s %16s\n' tool 'median wall s' 'median peak MiB'
printf '%-8s %14.2f %16.1f\n' rfm "$rfm_time" "$rfm_mib"
if ! $rfm_only; then
    duckdb_time=$(median "$work/duckdb.times" 1)
    duckdb_mib=$(median "$work/duckdb.times" 2 | awk '{ printf "%.1f", $1 / 1024 }')
    ratio=$(awk -v d="$duckdb_time" -v r="$rfm_time" 'BEGIN { printf "%.2f", (r > 0 ? d / r : 0) }')
    printf '%-8s %14.2f %16.1f\n' duckdb "$duckdb_time" "$duckdb_mib"
    echo "ratio duckdb/rfm (wall time): $ratio"
fi

# PASS when the awk condition holds.
check() {
    if awk "BEGIN { exit !($2) }"; then
        echo "PASS  $1"
    else
        echo "FAIL  $1"
    fi
}

echo
# The time target is for 10 million rows; the memory ceiling holds at any size.
if (( rows == 10000000 )); then
    check "rfm median wall time $rfm_time s <= 1.0 s" "$rfm_time <= 1.0"
fi
if ! $rfm_only; then
    check "duckdb/rfm ratio $ratio >= 2.7" "$ratio >= 2.7"
fi
check "rfm median peak $rfm_mib MiB <= 200 MiB" "$rfm_mib <= 200"

if ! $rfm_only; then
    # customer_id,recency,frequency,monetary from both outputs (of the last round), monetary without trailing
    # zeros so that 12.50 and 12.5 agree.
    metrics() {
        cut -d, -f1-4 "$1" | awk -F, 'NR > 1 && $4 ~ /\./ { sub(/0+$/, "", $4); sub(/\.$/, "", $4) } { print $1 "," $2 "," $3 "," $4 }'
    }
    metrics "$work/rfm.csv" > "$work/rfm.metrics"
    metrics "$work/duckdb.csv" > "$work/duckdb.metrics"
    echo
    if cmp -s "$work/rfm.metrics" "$work/duckdb.metrics"; then
        echo "outputs agree: customer_id, recency, frequency, monetary identical for $(($(wc -l < "$work/rfm.metrics") - 1)) customers"
        if cmp -s "$work/rfm.csv" "$work/duckdb.csv"; then
            echo "  (the files are byte-identical, scores and segments included)"
        else
            echo "  (scores or segments differ in $(diff "$work/rfm.csv" "$work/duckdb.csv" | grep -c '^<' || true) rows)"
        fi
    else
        echo "outputs DIFFER on customer_id, recency, frequency, monetary; first differences (< rfm, > duckdb):"
        diff "$work/rfm.metrics" "$work/duckdb.metrics" | head -10 || true
    fi
fi
