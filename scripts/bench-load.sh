#!/usr/bin/env bash
# Benchmark: generate the demo province with PEOPLE people (default 2,000,000,
# about 10 training records each) and load it into SQLite and into PostgreSQL.
# Prints wall time and peak memory (maximum resident set size) of each load.
#   scripts/bench-load.sh [PEOPLE] [POSTGRES_URL]
set -euo pipefail
cd "$(dirname "$0")/.."
people=${1:-2000000}
pg=${2:-postgres://postgres@127.0.0.1:5432/nangluc_bench}
command -v /usr/bin/time >/dev/null || { apt-get update -qq && apt-get install -y -qq time >/dev/null; }

cargo build --release -q -p nangluc
bin=target/release/nangluc
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

psql "${pg%/*}/postgres" -qc "DROP DATABASE IF EXISTS ${pg##*/}" -c "CREATE DATABASE ${pg##*/}" >/dev/null

measure() {
    local name=$1; shift
    /usr/bin/time -v "$@" > "$work/$name.out" 2> "$work/$name.err" || { cat "$work/$name.err"; exit 1; }
    local secs rss
    secs=$(grep -F 'Elapsed (wall clock)' "$work/$name.err" | awk '{print $NF}')
    rss=$(grep -F 'Maximum resident set size' "$work/$name.err" | awk '{print $NF}')
    printf '%-12s %10s people  wall %-10s  peak RSS %6d MiB\n' "$name" "$people" "$secs" $((rss / 1024))
}

measure sqlite "$bin" --db "$work/bench.db" demo --people "$people"
ls -l "$work/bench.db" | awk '{printf "             SQLite file %d MiB\n", $5/1048576}'
measure postgresql "$bin" --db "$pg" demo --people "$people"
psql "$pg" -tAc "SELECT 'PostgreSQL database ' || pg_size_pretty(pg_database_size(current_database()))"
