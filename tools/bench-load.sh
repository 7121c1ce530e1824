#!/usr/bin/env bash
# Load benchmark of issue 9 (`make bench-load`; not part of `make test`).
#
# Plays many meetings of ten people over real websockets against a spawned
# `tafel serve` (SQLite, then Postgres) and against the bare broadcast baseline
# (tools/loadgen/baseline), with tools/loadgen, and writes the tables, the exact
# commands and the machine into docs/BENCHMARKS.md, between the markers
# "<!-- load:LABEL -->" and "<!-- /load:LABEL -->" (a run with the same LABEL
# replaces its block; other blocks stay; `make bench` keeps all of them).
#
#   make bench-load                                   # LABEL "commit <HEAD>", the server of this tree
#   LABEL="after (commit abc1234)" make bench-load    # the numbers after a change
#   TAFEL_REV=3cc1c04 LABEL="before (commit 3cc1c04)" make bench-load
#                                                     # build the server of another commit
#   SCENARIOS="P" TARGETS="sqlite baseline" STEP=10s make bench-load   # a quick look
#
# Environment (defaults in brackets):
#   SCENARIOS  [P S1 S2]   P: 100 meetings x 10 at 100-1600 commands/s; S1: 200 x 10 at 0.2/s
#                          each; S2: 1000 x 10 at 0.1/s each plus rank bursts, with the idle
#                          memory of 1,000 and 5,000 sockets measured before its load
#   TARGETS    [sqlite postgres baseline]
#   RATES      [100,200,400,800,1600]  the steps of P
#   BASELINE_RATES [100,200,400,800,1600,3200,6400]  the steps of P on the baseline, to find its knee
#   STEP       [15s] each step of P;  SSTEP [20s] the step of S1 and S2;  DRAIN [5s]
#   PG         [postgres://postgres@127.0.0.1:5432]  a fresh database is made per run and dropped
#   OUT        [docs/BENCHMARKS.md]
#   EXTRA      extra flags for every loadgen run (e.g. "-meetings 300")
set -euo pipefail
cd "$(dirname "$0")/.."
SCENARIOS=${SCENARIOS:-P S1 S2}
TARGETS=${TARGETS:-sqlite postgres baseline}
RATES=${RATES:-100,200,400,800,1600}
BASELINE_RATES=${BASELINE_RATES:-100,200,400,800,1600,3200,6400}
STEP=${STEP:-15s}
SSTEP=${SSTEP:-20s}
DRAIN=${DRAIN:-5s}
PG=${PG:-postgres://postgres@127.0.0.1:5432}
OUT=${OUT:-docs/BENCHMARKS.md}
EXTRA=${EXTRA:-}

# 10,000 client sockets in the generator and as many in the server.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
if [ "$(ulimit -n)" -lt 12000 ]; then
  echo "warning: only $(ulimit -n) file descriptors; S2 needs about 11,000 (raise the hard limit)" >&2
fi

mkdir -p bin
if [ -n "${TAFEL_REV:-}" ]; then
  rev=$(git rev-parse --short "$TAFEL_REV")
  src=$(mktemp -d)
  git archive "$rev" | tar -x -C "$src"
  (cd "$src" && go build -o "$OLDPWD/bin/tafel-$rev" ./server/cmd/tafel)
  rm -rf "$src"
  TAFEL=bin/tafel-$rev
else
  rev=$(git rev-parse --short HEAD)
  go build -o bin/tafel ./server/cmd/tafel
  TAFEL=bin/tafel
fi
LABEL=${LABEL:-commit $rev}
go build -o bin/loadgen ./tools/loadgen
go build -o bin/loadgen-baseline ./tools/loadgen/baseline

block=$(mktemp)
dbs=()
cleanup() {
  for db in "${dbs[@]}"; do psql -q "$PG/postgres" -c "DROP DATABASE IF EXISTS $db" >/dev/null 2>&1 || true; done
  rm -f "$block"
}
trap cleanup EXIT

{
  echo "<!-- load:$LABEL -->"
  echo "### $LABEL"
  echo
  echo "Run by \`make bench-load\` (tools/bench-load.sh) on $(date -u '+%Y-%m-%d %H:%M UTC'): server \`$TAFEL\` built from commit $rev."
  echo "Command: \`$(for v in TAFEL_REV LABEL SCENARIOS TARGETS RATES BASELINE_RATES STEP SSTEP DRAIN EXTRA; do [ -n "${!v:-}" ] && printf "%s=\"%s\" " "$v" "${!v}"; done)make bench-load\`."
  echo "Machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB RAM, $(go version | cut -d' ' -f3), $(uname -m);"
  echo "load average when it started: $(cut -d' ' -f1-3 /proc/loadavg) (the machine is shared, so numbers are noisy)."
  echo "Settings: SCENARIOS=\"$SCENARIOS\" TARGETS=\"$TARGETS\" RATES=$RATES BASELINE_RATES=$BASELINE_RATES STEP=$STEP SSTEP=$SSTEP DRAIN=$DRAIN${EXTRA:+ EXTRA=\"$EXTRA\"}."
} > "$block"

for target in $TARGETS; do
  for sc in $SCENARIOS; do
    args=(-scenario "$sc" -drain "$DRAIN" -md "$block")
    case $sc in
      P) args+=(-rates "$([ "$target" = baseline ] && echo "$BASELINE_RATES" || echo "$RATES")" -duration "$STEP") ;;
      *) args+=(-duration "$SSTEP") ;;
    esac
    case $target in
      sqlite) args+=(-bin "$TAFEL" -database-url "" -label "tafel, SQLite") ;;
      postgres)
        db="tafel_load_$$_$(echo "$sc" | tr 'A-Z' 'a-z')"
        psql -q "$PG/postgres" -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db" >/dev/null
        dbs+=("$db")
        args+=(-bin "$TAFEL" -database-url "$PG/$db?sslmode=disable" -label "tafel, Postgres") ;;
      baseline) args+=(-target baseline -bin bin/loadgen-baseline -label "baseline (bare broadcast)") ;;
      *) echo "unknown target $target" >&2; exit 2 ;;
    esac
    # shellcheck disable=SC2086
    echo "== $target $sc: load average $(cut -d' ' -f1-3 /proc/loadavg)"
    bin/loadgen "${args[@]}" $EXTRA || echo "(loadgen failed: $target $sc)" | tee -a "$block"
    if [ "$target" = postgres ]; then
      psql -q "$PG/postgres" -c "DROP DATABASE IF EXISTS $db" >/dev/null 2>&1 || true
    fi
  done
done
echo "<!-- /load:$LABEL -->" >> "$block"

# Put the block into OUT: replace the block with this label, or add it at the end.
touch "$OUT"
tmp=$(mktemp)
awk -v begin="<!-- load:$LABEL -->" -v end="<!-- /load:$LABEL -->" -v blockfile="$block" '
  function emit() { while ((getline line < blockfile) > 0) print line; close(blockfile); done = 1 }
  $0 == begin { skip = 1; emit(); next }
  skip && $0 == end { skip = 0; next }
  skip { next }
  /^## Load: many meetings over websockets/ { heading = 1 }
  { print }
  END {
    if (!done) {
      if (!heading) { print ""; print "## Load: many meetings over websockets (`make bench-load`)"; print ""
        print "What each scenario does and how it is measured: tools/loadgen/README.md." }
      print ""; emit()
    }
  }
' "$OUT" > "$tmp"
mv "$tmp" "$OUT"
echo "wrote the block \"$LABEL\" into $OUT"
