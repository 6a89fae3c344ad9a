#!/usr/bin/env bash
# Real third-party MCP clients against `tradelab serve --http` (npm run test:clients):
#   - the MCP Inspector CLI over HTTP: tools/list and tools/call list_datasets
#   - the MCP Inspector CLI over stdio (it starts `tradelab serve` under Node 22: the launcher
#     re-runs under the Node that built the native addon), with TRADELAB_HOME passed by -e
#   - the MCP conformance suite's generic server scenarios
#   - an OAuth server (--auth oauth): challenge, metadata, registration, the Inspector with and
#     without a token (the full consent flow runs in npm test with the SDK client)
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
OAUTH_PID=""
cleanup() {
  for pid in "$SERVER_PID" "$OAUTH_PID"; do
    if [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null; then
      kill -TERM "$pid" 2>/dev/null
      wait "$pid" 2>/dev/null
    fi
  done
  rm -rf "$TMP"
}
trap cleanup EXIT

if [[ ! -f "$ROOT/dist/src/cli.js" ]]; then
  echo "test-clients: $ROOT/dist/src/cli.js is missing; run \`npm run build\` first" >&2
  exit 1
fi

# wait_url LOG PID: the MCP URL the server started with LOG printed (empty if it did not start)
wait_url() {
  local log="$1" pid="$2" url=""
  for _ in $(seq 1 150); do
    url="$(grep -o 'at http://[^ ]*/mcp' "$log" 2>/dev/null | head -1 | cut -c4-)"
    [[ -n "$url" ]] && break
    if ! kill -0 "$pid" 2>/dev/null; then break; fi
    sleep 0.2
  done
  echo "$url"
}

mkdir -p "$TMP/home" "$TMP/inspector"
( cd "$TMP/home" && TRADELAB_HOME="$TMP/home" exec node "$ROOT/bin/tradelab.js" serve --http --port 0 ) 2>"$TMP/server.log" &
SERVER_PID=$!
URL="$(wait_url "$TMP/server.log" "$SERVER_PID")"
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

# OAuth: a server with the built-in authorization server (the owner's token in TRADELAB_TOKEN).
# The interactive consent cannot run here (npm test drives the whole flow with the SDK client);
# this checks what a real client sees first: the 401 challenge with resource_metadata, the
# protected-resource and authorization-server metadata, dynamic registration, and the owner's
# token as a plain bearer for the Inspector.
OWNER="test-clients-owner-$(date +%s%N)"
mkdir -p "$TMP/oauth-home"
( cd "$TMP/oauth-home" && TRADELAB_HOME="$TMP/oauth-home" TRADELAB_TOKEN="$OWNER" exec node "$ROOT/bin/tradelab.js" serve --http --port 0 --auth oauth --allow compute ) 2>"$TMP/oauth.log" &
OAUTH_PID=$!
OURL="$(wait_url "$TMP/oauth.log" "$OAUTH_PID")"
if [[ -z "$OURL" ]]; then
  echo "test-clients: the OAuth server did not start:" >&2
  cat "$TMP/oauth.log" >&2
  FAILED+=("oauth server start")
else
  OBASE="${OURL%/mcp}"
  run_step "oauth: 401 challenge names the resource metadata" 'resource_metadata=' -- \
    curl -s -i -X POST -H 'Content-Type: application/json' -H 'Accept: application/json, text/event-stream' --data '{"jsonrpc":"2.0","id":1,"method":"ping"}' "$OURL"
  run_step "oauth: protected resource metadata (RFC 9728)" '"authorization_servers"' -- \
    curl -s -f "$OBASE/.well-known/oauth-protected-resource/mcp"
  run_step "oauth: authorization server metadata (PKCE S256, registration)" '"S256"' -- \
    curl -s -f "$OBASE/.well-known/oauth-authorization-server"
  run_step "oauth: dynamic client registration" '"client_id"' -- \
    curl -s -f -X POST -H 'Content-Type: application/json' --data '{"client_name":"test-clients","redirect_uris":["http://127.0.0.1:9/cb"],"token_endpoint_auth_method":"none","grant_types":["authorization_code","refresh_token"],"response_types":["code"]}' "$OBASE/register"
  run_step "oauth: the Inspector without a token is asked to authorize (OAuth discovered)" '"auth_required"' -- \
    bash -c "npx -y -p node@22 -p '$INSPECTOR' -- mcp-inspector --cli '$OURL' --transport http --method tools/list; true"
  run_step "oauth: the Inspector with the owner's token as bearer" '"name": *"backtest"' -- \
    npx -y -p node@22 -p "$INSPECTOR" -- mcp-inspector --cli "$OURL" --transport http --method tools/list --header "Authorization: Bearer $OWNER"
fi

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
