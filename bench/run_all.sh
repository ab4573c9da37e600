#!/usr/bin/env bash
# Reproduce docs/benchmarks.md: fill four databases (SQLite and PostgreSQL, 10k and 1M work orders),
# print the list query's plan for each, measure each, and print the results table.
#   bench/run_all.sh                 # everything (about 25 minutes on 2 cores)
#   SIZES=10k bench/run_all.sh       # only the 10k datasets
#   GENERATE=0 bench/run_all.sh      # measure the databases an earlier run left in $OUT
# Needs wrk (apt-get install -y wrk) and a PostgreSQL server at $PG (the user may create databases).
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
OUT=${OUT:-/tmp/bench}
PG=${PG:-postgresql://postgres@127.0.0.1:5432}
SIZES=${SIZES:-10k 1m}
ENGINES=${ENGINES:-sqlite pg}
GENERATE=${GENERATE:-1}
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)

for size in $SIZES; do
  [ "$GENERATE" = 1 ] || break
  case $size in
    10k) args=(--work-orders 10000 --locations 200 --assets 2000) ;;
    1m) args=(--work-orders 1000000 --locations 2000 --assets 20000) ;;
    *) echo "unknown size $size" >&2; exit 2 ;;
  esac
  for engine in $ENGINES; do
    if [ "$engine" = sqlite ]; then
      rm -f "$OUT/sqlite-$size.sqlite3" "$OUT/sqlite-$size.sqlite3-wal" "$OUT/sqlite-$size.sqlite3-shm"
      url="sqlite:///$OUT/sqlite-$size.sqlite3"
    else
      psql "$PG/postgres" -qc "DROP DATABASE IF EXISTS premises_bench_$size" -c "CREATE DATABASE premises_bench_$size"
      url="$PG/premises_bench_$size"
    fi
    echo "== generating $engine-$size" >&2
    "$PY" bench/generate.py --database-url "$url" "${args[@]}" > "$OUT/$engine-$size.json"
  done
done

for size in $SIZES; do
  for engine in $ENGINES; do
    run="$engine-$size"
    echo "== $run: query plan -> $OUT/$run.explain.txt" >&2
    "$PY" bench/explain.py --credentials "$OUT/$run.json" > "$OUT/$run.explain.txt"
    echo "== $run: load" >&2
    "$PY" bench/load.py --credentials "$OUT/$run.json" --label "$run" --json-out "$OUT/results.jsonl" \
      --profile list --profile-dir "$OUT/profiles" > /dev/null
  done
done
"$PY" bench/report.py "$OUT/results.jsonl"
