#!/usr/bin/env bash
# Benchmark: the web application under 50 concurrent users (wrk), on the demo
# province of PEOPLE people (default 40,000) in SQLite: the dashboard, and a
# registry search by name without diacritics. Each run lasts SECONDS seconds
# (default 30) after a warm-up. Prints requests/s and p50/p90/p95/p99 latency.
#   scripts/bench-web.sh [PEOPLE] [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/.."
people=${1:-40000}
secs=${2:-30}
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }

cargo build --release -q -p nangluc
bin=$PWD/target/release/nangluc
work=$(mktemp -d)
port=18080
"$bin" --db "$work/bench.db" demo --people "$people" > /dev/null 2>&1
"$bin" --db "$work/bench.db" serve --addr "127.0.0.1:$port" > "$work/serve.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$port/login" > /dev/null && break; sleep 0.2; done

# Sign in as the Sở Nội vụ's administrator (demo password), keep the cookie.
jar=$work/cookies
csrf=$(curl -fs -c "$jar" "http://127.0.0.1:$port/login" | grep -o 'name="csrf" value="[0-9a-f]*"' | head -1 | sed 's/.*value="//; s/"//')
curl -fs -b "$jar" -c "$jar" -o /dev/null -H "Origin: http://127.0.0.1:$port" \
    --data "username=admin&password=demo-admin&csrf=$csrf&next=/" "http://127.0.0.1:$port/login"
session=$(awk '$6 == "nangluc_session" {print $7}' "$jar")
[ -n "$session" ] || { echo "không đăng nhập được"; cat "$work/serve.log"; exit 1; }

run() {
    local name=$1 path=$2
    # Warm-up: the first dashboard request evaluates the plan and fills the cache.
    curl -fs -o /dev/null -H "Cookie: nangluc_session=$session" "http://127.0.0.1:$port$path"
    wrk -t2 -c50 -d5s -H "Cookie: nangluc_session=$session" "http://127.0.0.1:$port$path" > /dev/null
    echo "== $name ($path), 50 connections, ${secs}s"
    wrk -t2 -c50 -d"${secs}s" -s scripts/wrk-latency.lua -H "Cookie: nangluc_session=$session" \
        "http://127.0.0.1:$port$path" | grep -E 'Requests/sec|^requests|^p[0-9]|^max'
}
run dashboard /dashboard
run "registry search" "/people?q=nguyen+van"
run "person page" "/people/1"
