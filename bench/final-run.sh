#!/bin/sh
# The sizes behind the figures in the README, reduced from the issue's defaults to fit a shared
# 2-core machine in the time available (`npm run bench` uses the full sizes). PGlite gets smaller
# latency and connect loads: the embedded database serialises every query on the server's thread.
# Usage: sh bench/final-run.sh [postgres|pglite] [first benchmark to run]
set -u
cd "$(dirname "$0")/.."
B="node -r ts-node/register/transpile-only bench"
E=${1:-postgres}
FROM=${2:-memory}
if [ "$E" = pglite ]; then RATE=1000; MEM=2000; else RATE=5000; MEM=3000; fi
go=0
for N in memory connect heartbeat latency meter-values rest-roundtrip validation; do
  [ "$N" = "$FROM" ] && go=1
  [ $go = 1 ] || continue
  case $N in
    memory) $B/memory.bench.ts --engine "$E" --chargers $MEM ;;
    connect) $B/connect.bench.ts --engine "$E" --chargers 1000 --runs 3 ;;
    heartbeat) $B/heartbeat.bench.ts --engine "$E" --chargers 1000 --seconds 5 --runs 3 ;;
    latency) $B/latency.bench.ts --engine "$E" --chargers 1000 --rate $RATE --seconds 3 --runs 3 ;;
    meter-values) $B/meter-values.bench.ts --engine "$E" --chargers 200 --seconds 20 --raw-seconds 5 --runs 3 ;;
    rest-roundtrip) $B/rest-roundtrip.bench.ts --engine "$E" --callers 200 --rounds 3 --runs 3 ;;
    validation) $B/validation.bench.ts --engine "$E" --chargers 1000 --seconds 5 --runs 3 ;;
  esac
done
