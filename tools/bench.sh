#!/usr/bin/env bash
# Runs the Go benchmarks and writes their numbers, with the machine they ran on,
# to docs/BENCHMARKS.md. Timing is measured here, never asserted in tests.
set -euo pipefail
cd "$(dirname "$0")/.."
out=$(mktemp)
go test -run '^$' -bench . -benchtime "${BENCHTIME:-2s}" -count 1 ./server/... | tee "$out"
{
  echo "# Benchmarks"
  echo
  echo "Written by \`make bench\` (tools/bench.sh) on $(date -u +%Y-%m-%d)."
  echo "Machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(go version | cut -d' ' -f3), $(uname -m)."
  echo "PostgreSQL and SQLite are local; websockets are real, on loopback."
  echo
  echo '```'
  grep -E '^(Benchmark|goos|goarch|pkg|cpu)' "$out"
  echo '```'
} > docs/BENCHMARKS.md
echo "wrote docs/BENCHMARKS.md"
