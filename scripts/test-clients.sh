#!/usr/bin/env bash
# Real third-party MCP clients against `tradelab serve --http` (npm run test:clients):
#   - the MCP Inspector CLI over HTTP: tools/list and tools/call list_datasets
#   - the MCP Inspector CLI over stdio (it starts `tradelab serve` under Node 22: the launcher
#     re-runs under the Node that built the native addon), with TRADELAB_HOME passed by -e
#   - the MCP conformance suite's generic server scenarios
# Both need Node >= 22, so they run through `npx -p node@22` (downloaded at run time; this
# script is not part of `npm test`). Starts a read-only server on a free port with a temp
# TRADELAB_HOME, stops it at the end, and exits non-zero if any step failed.
set -uo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
INSPECTOR="@modelcontextprotocol/inspector@2.12.0"
CONFORMANCE="@modelcontextprotocol/conformance@0.1.16"
SCENARIOS=(server-initialize ping tools-list resources-list prompts-list dns-rebinding-protection)

TMP="$(mktemp -d "${TMPDIR:-/tmp}/tradelab-clients.XXXXXX")"
SERVER_PID=""
cleanup() {
  if [[ -n "$SERVER_PID" ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill -TERM "$SERVER_PID" 2>/dev/null
    wait "$SERVER_PID" 2>/dev/null
  fi
  rm -rf "$TMP"
}
trap cleanup EXIT

if [[ ! -f "$ROOT/dist/src/cli.js" ]]; then
  echo "test-clients: $ROOT/dist/src/cli.js is missing; run \`npm run build\` first" >&2
  exit 1
fi

mkdir -p "$TMP/home" "$TMP/inspector"
( cd "$TMP/home" && TRADELAB_HOME="$TMP/home" exec node "$ROOT/bin/tradelab.js" serve --http --port 0 ) 2>"$TMP/server.log" &
SERVER_PID=$!

URL=""
for _ in $(seq 1 150); do
  URL="$(grep -o 'at http://[^ ]*/mcp' "$TMP/server.log" 2>/dev/null | head -1 | cut -c4-)"
  [[ -n "$URL" ]] && break
  if ! kill -0 "$SERVER_PID" 2>/dev/null; then break; fi
  sleep 0.2
done
if [[ -z "$URL" ]]; then
  echo "test-clients: the server did not start:" >&2
  cat "$TMP/server.log" >&2
  exit 1
fi
echo "test-clients: server at $URL (read-only safe mode, TRADELAB_HOME=$TMP/home)"

export MCP_AUTO_OPEN_ENABLED=false
export MCP_STORAGE_DIR="$TMP/inspector"
FAILED=()
PASSED=()

# run_step NAME EXPECTED_REGEX -- command...
run_step() {
  local name="$1" expect="$2"
  shift 3
  echo
  echo "=== $name"
  local out="$TMP/step.out" code
  timeout 300 "$@" >"$out" 2>&1
  code=$?
  # drop npm's noise about unrelated user config
  grep -v '^npm warn' "$out" | head -c 6000
  echo
  if [[ $code -eq 0 ]] && grep -Eq -- "$expect" "$out"; then
    echo "--- PASS: $name"
    PASSED+=("$name")
  else
    echo "--- FAIL: $name (exit $code; expected output matching /$expect/)"
    FAILED+=("$name")
  fi
}

run_step "inspector tools/list" '"name": *"list_datasets"' -- \
  npx -y -p node@22 -p "$INSPECTOR" -- mcp-inspector --cli "$URL" --transport http --method tools/list
run_step "inspector tools/call list_datasets" 'DEMO-BTC' -- \
  npx -y -p node@22 -p "$INSPECTOR" -- mcp-inspector --cli "$URL" --transport http --method tools/call --tool-name list_datasets

# stdio: the Inspector (Node 22) starts `tradelab serve` itself; bin/tradelab.js re-runs under the
# Node that built the SQLite addon, and TRADELAB_HOME passes through with -e
mkdir -p "$TMP/stdio-home"
run_step "inspector stdio tools/list" '"name": *"define_strategy"' -- \
  npx -y -p node@22 -p "$INSPECTOR" -- mcp-inspector --cli -e TRADELAB_HOME="$TMP/stdio-home" node "$ROOT/bin/tradelab.js" serve --method tools/list
run_step "inspector stdio tools/call server_info (store in TRADELAB_HOME)" 'over stdio' -- \
  npx -y -p node@22 -p "$INSPECTOR" -- mcp-inspector --cli -e TRADELAB_HOME="$TMP/stdio-home" node "$ROOT/bin/tradelab.js" serve --method tools/call --tool-name server_info
run_step "TRADELAB_HOME received the stdio server's store" 'tradelab.db' -- ls "$TMP/stdio-home"

for s in "${SCENARIOS[@]}"; do
  run_step "conformance $s" 'Passed: ([0-9]+)/\1, 0 failed' -- \
    npx -y -p node@22 -p "$CONFORMANCE" -- conformance server --url "$URL" --scenario "$s"
done

echo
echo "test-clients: ${#PASSED[@]} passed, ${#FAILED[@]} failed"
if grep -q 'internal error' "$TMP/server.log"; then
  echo "test-clients: the server logged internal errors:"
  grep -A3 'internal error' "$TMP/server.log"
  FAILED+=("server log")
fi
if [[ ${#FAILED[@]} -gt 0 ]]; then
  printf 'FAILED: %s\n' "${FAILED[@]}"
  exit 1
fi
echo "ALL PASSED"
