#!/usr/bin/env bash
# Runs the Go benchmarks and writes their numbers, with the machine they ran on,
# to docs/BENCHMARKS.md. Timing is measured here, never asserted in tests.
set -euo pipefail
cd "$(dirname "$0")/.."
out=$(mktemp)
# The load benchmark's blocks (tools/bench-load.sh, between <!-- load:... --> markers) are kept.
load=$(mktemp)
if [ -f docs/BENCHMARKS.md ]; then
  awk '/^<!-- load:/{keep=1} keep{print} /^<!-- \/load:/{keep=0; print ""}' docs/BENCHMARKS.md > "$load"
fi
go test -run '^$' -bench . -benchtime "${BENCHTIME:-2s}" -count 1 ./server/... | tee "$out"
{
  echo "# Benchmarks"
  echo
  echo "Written by \`make bench\` (tools/bench.sh) on $(date -u +%Y-%m-%d)."
  echo "Machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(go version | cut -d' ' -f3), $(uname -m)."
  echo "PostgreSQL and SQLite are local; websockets are real, on loopback."
  echo
  echo "What is measured:"
  echo
  echo "- \`BenchmarkCommands\`: one meeting on the real server, a coordinator, a shared screen and"
  echo "  phones connected over websockets. Each command (\`worry.edit\` of a revealed worry, so it"
  echo "  fans out to everyone) is validated, stored in one transaction with its event, its command"
  echo "  id and its audit record, published, and acknowledged; \`cmds/s\` is what one meeting"
  echo "  sustains. \`sequential\`: one phone waits for each ack; \`parallel\`: four phones at once"
  echo "  (commands of one meeting are serialised, so this shows queueing, not more throughput)."
  echo "- \`BenchmarkDecideRanking\`, \`BenchmarkRanking\`, \`BenchmarkViewFor\`: the pure domain in a"
  echo "  busy meeting (5 parties, 15 people, 30 worries, everyone ranked): one ranking change with"
  echo "  its new aggregate, the aggregate alone, and one phone's snapshot."
  echo "- Soak (\`make soak\`, not timed here): see [BENCHMARKS-soak.md](BENCHMARKS-soak.md), which"
  echo "  \`make bench\` leaves alone."
  echo
  echo '```'
  grep -E '^(Benchmark|goos|goarch|pkg|cpu)' "$out"
  echo '```'
  if [ -s "$load" ]; then
    echo
    echo "## Load: many meetings over websockets (\`make bench-load\`)"
    echo
    echo "What each scenario does and how it is measured: tools/loadgen/README.md."
    echo
    cat "$load"
  fi
  # The phone on a poor link needs a browser: tools/bench-poor-link.sh measures it
  # into its own file, included here as it was last written.
  if [ -f docs/BENCHMARKS-poor-link.md ]; then
    echo
    cat docs/BENCHMARKS-poor-link.md
  fi
  # The phone's bytes per page session, as the bundle-size test measures them, are
  # written by hand with each change to the phone's build; included as they are.
  if [ -f docs/BENCHMARKS-phone-bytes.md ]; then
    echo
    cat docs/BENCHMARKS-phone-bytes.md
  fi
} > docs/BENCHMARKS.md
rm -f "$load"
echo "wrote docs/BENCHMARKS.md"
