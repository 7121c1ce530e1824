#!/usr/bin/env bash
# Measures the phone's join page on a poor link in a real Chromium (network
# emulation: 400 ms latency, 50 KB/s each way, empty cache) and writes the numbers
# to docs/BENCHMARKS-poor-link.md, which `make bench` (tools/bench.sh) includes in
# docs/BENCHMARKS.md. The browser test asserts only that the page works on that
# link; the time is measured here, never asserted.
set -euo pipefail
cd "$(dirname "$0")/.."
make build >/dev/null
runs=()
for i in 1 2 3; do
  TAFEL_BIN="$PWD/bin/tafel" npx playwright test --config frontend/playwright.config.ts poorlink.spec.ts >/dev/null
  runs+=("$(node -e 'const r=require("./test-results/poor-link.json"); console.log(r.joinFormUsableMs+" "+r.firstContentfulPaintMs)')")
done
{
  echo "## The phone's join page on a poor link"
  echo
  echo "Written by \`tools/bench-poor-link.sh\` on $(date -u +%Y-%m-%d) ($(nproc) cores, $(/usr/bin/chromium --version 2>/dev/null | head -1))."
  echo "Chromium's network emulation (CDP \`Network.emulateNetworkConditions\`): 400 ms latency,"
  echo "50 KB/s down and up; a new browser context each run, so the cache is empty. The page is"
  echo "\`/join\`; \"usable\" is the moment the code field and its button exist and are enabled,"
  echo "measured in the page (\`performance.now()\`, from navigation start). Test:"
  echo "\`frontend/e2e/poorlink.spec.ts\` (it asserts only that joining works on that link)."
  echo
  echo "| run | join form usable | first contentful paint |"
  echo "| --- | --- | --- |"
  n=1
  for r in "${runs[@]}"; do
    set -- $r
    echo "| $n | $1 ms | $2 ms |"
    n=$((n + 1))
  done
  echo
  echo "Files before the code is typed (from the last run):"
  echo
  node -e 'for (const f of require("./test-results/poor-link.json").filesBeforeTheCode) console.log("- `"+f+"`")'
} > docs/BENCHMARKS-poor-link.md
echo "wrote docs/BENCHMARKS-poor-link.md"
