#!/usr/bin/env bash
# End-to-end comparison of `rfm analyze` with the DuckDB baseline (`duckdb-rfm`, one SQL statement doing the same
# job) on a generated Online Retail II CSV file: wall time and peak memory of each, checked against the targets,
# and whether the two outputs agree.
#
# Two shapes of data (SHAPE):
#   invoices  invoices of 1..30 lines over a 100K-customer pool (default 10M rows), like the UCI file;
#   orders    single-line orders over a 1M-customer pool (default 2M rows: one to three orders for most of
#             about 865K customers), like a web shop with many customers and few orders each.
#
# `rfm` is measured as users get it: packed (`dotnet pack`, ReadyToRun for this machine's runtime identifier) and
# installed with `dotnet tool install --tool-path DIR --add-source PACKDIR`, then run as DIR/rfm.
#
# Usage, from anywhere in the repository:
#   benchmarks/compare.sh                 # invoice shape, 10M rows, 5 alternating rounds of each
#   SHAPE=orders benchmarks/compare.sh    # the high-cardinality shape, 2M rows over 1M customers
#   ROUNDS=9 benchmarks/compare.sh
#   ROWS=1000000 benchmarks/compare.sh    # a smaller file (generated once, like the default one)
#   ROWS=1000 ROUNDS=9 benchmarks/compare.sh --rfm-only   # start-up: a 1,000-row file end to end
#   ROWS=100000000 CSV=/path/to/retail-100m.csv benchmarks/compare.sh --rfm-only   # the memory check on a huge file
#
# Environment: SHAPE (invoices or orders, default invoices), ROWS (rows to generate, default 10000000 for
# invoices and 2000000 for orders), CUSTOMERS (the pool, default 100000 for invoices and 1000000 for orders), CSV
# (the file, default benchmarks/data/retail-10m.csv for the invoice shape, retail-1m.csv for ROWS=1000000,
# orders-2m.csv for the order shape and so on; generated when missing, never regenerated), ROUNDS (default 5).
# The targets (issue 19): on the 10M-row invoice file DuckDB at least 4 times slower and rfm at most 150 MiB; on
# the order shape DuckDB at least 2 times slower and rfm's peak below DuckDB's; a 1,000-row file in at most 0.1 s;
# rfm <= 200 MiB at any size of the invoice shape.
# Needs GNU time at /usr/bin/time. Exits non-zero only when a command fails; a missed target prints FAIL.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
rounds=${ROUNDS:-5}
shape=${SHAPE:-invoices}
case $shape in
    invoices) rows=${ROWS:-10000000}; customers=${CUSTOMERS:-100000}; max_lines=30; prefix=retail ;;
    orders) rows=${ROWS:-2000000}; customers=${CUSTOMERS:-1000000}; max_lines=1; prefix=orders ;;
    *) echo "compare.sh: SHAPE must be invoices or orders, not '$shape'" >&2; exit 2 ;;
esac
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
csv=${CSV:-$repo/benchmarks/data/$prefix-$size.csv}

if [[ ! -x /usr/bin/time ]]; then
    echo "compare.sh: /usr/bin/time (GNU time) is needed; on Debian: apt-get install time" >&2
    exit 1
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Quietly; shows the log only when the command fails.
quietly() {
    if ! "$@" > "$work/build.log" 2>&1; then
        cat "$work/build.log" >&2
        exit 1
    fi
}

echo "building benchmarks/Rfm.Benchmarks (Release)"
quietly dotnet build "$repo/benchmarks/Rfm.Benchmarks" -c Release -nologo -v q
bench_dll=$repo/benchmarks/Rfm.Benchmarks/bin/Release/net10.0/Rfm.Benchmarks.dll

# The tool as a user installs it: the top-level package and the one for this machine's runtime identifier (packing
# only that one of the project's runtimes saves minutes; its contents are the same), from a local source.
rid=$(dotnet --info | awk '$1 == "RID:" { print $2; exit }')
echo "packing src/Rfm.Cli (Release, $rid) and installing it with dotnet tool install"
quietly dotnet pack "$repo/src/Rfm.Cli" -c Release -nologo -v q -o "$work/packages" -p:RuntimeIdentifiers="$rid"
quietly dotnet tool install Rfm.Cli --tool-path "$work/tool" --add-source "$work/packages" --ignore-failed-sources
rfm=$work/tool/rfm

# Written under a temporary name first, so that an interrupted run never leaves a partial file behind.
if [[ ! -f $csv ]]; then
    echo "generating $csv ($rows rows)"
    mkdir -p "$(dirname "$csv")"
    dotnet "$bench_dll" generate-csv "$csv.partial" --rows "$rows" --customers "$customers" --max-lines "$max_lines"
    mv "$csv.partial" "$csv"
fi
echo "input: $csv ($(du -h "$csv" | cut -f1)), shape $shape, $rounds rounds"

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

run_rfm() { run rfm "$rfm" analyze "$csv" --out "$work/rfm.csv" --quiet; }
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
# Each target is for its shape and size; the 200 MiB ceiling holds at any size of the invoice shape.
if (( rows <= 1000 )); then
    check "rfm median wall time $rfm_time s <= 0.1 s (start-up)" "$rfm_time <= 0.1"
fi
if [[ $shape == invoices ]]; then
    if (( rows == 10000000 )); then
        $rfm_only || check "duckdb/rfm ratio $ratio >= 4" "$ratio >= 4"
        check "rfm median peak $rfm_mib MiB <= 150 MiB" "$rfm_mib <= 150"
    fi
    check "rfm median peak $rfm_mib MiB <= 200 MiB" "$rfm_mib <= 200"
elif ! $rfm_only; then
    check "duckdb/rfm ratio $ratio >= 2" "$ratio >= 2"
    check "rfm median peak $rfm_mib MiB < duckdb's $duckdb_mib MiB" "$rfm_mib < $duckdb_mib"
fi

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
