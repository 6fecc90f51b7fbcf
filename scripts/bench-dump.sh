#!/usr/bin/env bash
# Writes the full JSON results of every plan in plans/ from several points of
# view, through the CLI, so that two versions of the engine can be compared
# byte for byte (`diff -r DIR1 DIR2`). The engine's quick example writes the
# same files (`cargo run --release -p nangluc-engine --example quick -- DB 1
# --dump DIR --unit UNIT`) without building the CLI.
#
#   scripts/bench-dump.sh NANGLUC_BINARY DB OUTDIR UNIT_CODE
set -euo pipefail
BIN=$1; DB=$2; OUT=$3; UNIT=$4
cd "$(dirname "$0")/.."
mkdir -p "$OUT"
for f in plans/*.toml; do
  id=$(basename "$f" .toml)
  "$BIN" --db "$DB" evaluate "$f" --format json -o "$OUT/$id-now.json"
  "$BIN" --db "$DB" evaluate "$f" --format json --as-of 30/06/2024 -o "$OUT/$id-2024.json"
  "$BIN" --db "$DB" evaluate "$f" --format json --as-of 31/12/2027 -o "$OUT/$id-2027.json"
  "$BIN" --db "$DB" evaluate "$f" --format json --unit "$UNIT" -o "$OUT/$id-unit.json"
  "$BIN" --db "$DB" evaluate "$f" --format json --unit "$UNIT" --as-of 31/12/2025 -o "$OUT/$id-unit-2025.json"
done
