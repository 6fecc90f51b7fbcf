#!/usr/bin/env bash
# Benchmark: export a staff list of PEOPLE people (default 100,000) to xlsx, then
# import that workbook (validation included) into a database that has the same
# units but none of those people, so every row is created. Prints wall time and
# peak memory (maximum resident set size) of the export and of the import.
#   scripts/bench-import.sh [PEOPLE]
set -euo pipefail
cd "$(dirname "$0")/.."
people=${1:-100000}
command -v /usr/bin/time >/dev/null || { apt-get update -qq && apt-get install -y -qq time >/dev/null; }

cargo build --release -q -p nangluc
bin=${CARGO_TARGET_DIR:-target}/release/nangluc
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

measure() {
    local name=$1; shift
    /usr/bin/time -v "$@" > "$work/$name.out" 2> "$work/$name.err" || { cat "$work/$name.err"; exit 1; }
    local secs rss cpu
    secs=$(grep -F 'Elapsed (wall clock)' "$work/$name.err" | awk '{print $NF}')
    rss=$(grep -F 'Maximum resident set size' "$work/$name.err" | awk '{print $NF}')
    # CPU time (user + system): what the wall time would be on an idle core.
    cpu=$(grep -E '(User|System) time' "$work/$name.err" | awk '{s += $NF} END {printf "%.2f s", s}')
    printf '%-8s wall %-10s  CPU %-9s  peak RSS %6d MiB\n' "$name" "$secs" "$cpu" $((rss / 1024))
}

"$bin" --db "$work/source.db" demo --people "$people" > /dev/null 2>&1
measure export "$bin" --db "$work/source.db" export staff "$work/staff.xlsx"
rows=$(($(grep -o '[0-9.]* dòng' "$work/export.out" | head -1 | tr -d '. dòng')))
ls -l "$work/staff.xlsx" | awk -v r="$rows" '{printf "         %d rows, %.1f MiB workbook\n", r, $5/1048576}'
# The same units (the geography does not depend on the seed) and one person.
"$bin" --db "$work/target.db" demo --people 1 > /dev/null 2>&1
measure import "$bin" --db "$work/target.db" import "$work/staff.xlsx" --kind staff
grep -E 'Người|thao tác' "$work/import.out" | sed 's/^/         /'
