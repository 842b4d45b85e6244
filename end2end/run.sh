#!/usr/bin/env bash
# Starts the debug server on a fresh database, runs the Playwright tests in
# headless Chromium, then checks the ledger with `server verify`. Exits non-zero
# if the server does not come up, a test fails, or verify finds a difference.
set -euo pipefail
cd "$(dirname "$0")/.."
ADDR=${E2E_ADDR:-127.0.0.1:3100}
rm -rf target/e2e end2end/screenshots
mkdir -p target/e2e
export LEPTOS_OUTPUT_NAME=gaoliang LEPTOS_SITE_ROOT=target/site LEPTOS_SITE_PKG_DIR=pkg LEPTOS_RELOAD_PORT=3101
export GAOLIANG_DB=target/e2e/gaoliang.db
unset DATABASE_URL
LEPTOS_SITE_ADDR=$ADDR ./target/debug/server serve > target/e2e/server.log 2>&1 &
pid=$!
trap 'kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true' EXIT
for _ in $(seq 1 240); do
  curl -sf -o /dev/null "http://$ADDR/" && break
  if ! kill -0 "$pid" 2>/dev/null; then
    echo "server did not start:"; cat target/e2e/server.log; exit 1
  fi
  sleep 0.5
done
(cd end2end && BASE_URL="http://$ADDR" npx playwright test "$@")
./target/debug/server verify
