#!/usr/bin/env bash
# Starts the debug server on a fresh database, runs the Playwright tests in
# headless Chromium, then checks the ledger with `server verify`. Exits non-zero
# if the server does not come up, a test fails, or verify finds a difference.
set -euo pipefail
cd "$(dirname "$0")/.."
ADDR=${E2E_ADDR:-127.0.0.1:3100}
# The server binary: the debug build by default (`make e2e`); E2E_BIN=./target/release/server
# runs the same tests against the release build `make run` serves (split wasm, precompressed).
BIN=${E2E_BIN:-./target/debug/server}
rm -rf target/e2e end2end/screenshots
mkdir -p target/e2e
export LEPTOS_OUTPUT_NAME=gaoliang LEPTOS_SITE_ROOT=target/site LEPTOS_SITE_PKG_DIR=pkg LEPTOS_RELOAD_PORT=3101
export GAOLIANG_DB=target/e2e/gaoliang.db
unset DATABASE_URL
# A second server on the next port: a town set up as a real one is, from
# `server init` on an empty database with no demo (day_one.spec.ts).
HOST=${ADDR%:*}
FRESH_ADDR=${E2E_FRESH_ADDR:-$HOST:$(( ${ADDR##*:} + 2 ))}
FRESH_DB=target/e2e/fresh.db
export GAOLIANG_ADMIN_PASSWORD=${GAOLIANG_ADMIN_PASSWORD:-town-office-2026}
GAOLIANG_DB=$FRESH_DB "$BIN" init > target/e2e/fresh-init.log 2>&1 \
  || { echo "server init failed:"; cat target/e2e/fresh-init.log; exit 1; }

# One server with its own demo database per Playwright project (phone on
# ADDR, tablet on the port after the fresh one), so the two projects run at
# the same time without seeing each other's writes.
TABLET_ADDR=${E2E_TABLET_ADDR:-$HOST:$(( ${ADDR##*:} + 4 ))}
TABLET_DB=target/e2e/tablet.db
LEPTOS_SITE_ADDR=$ADDR "$BIN" serve > target/e2e/server.log 2>&1 &
pid=$!
GAOLIANG_DB=$TABLET_DB LEPTOS_SITE_ADDR=$TABLET_ADDR "$BIN" serve > target/e2e/tablet.log 2>&1 &
tablet=$!
GAOLIANG_DEMO=0 GAOLIANG_DB=$FRESH_DB LEPTOS_SITE_ADDR=$FRESH_ADDR \
  "$BIN" serve > target/e2e/fresh.log 2>&1 &
fresh=$!
trap 'kill "$pid" "$tablet" "$fresh" 2>/dev/null || true; wait "$pid" "$tablet" "$fresh" 2>/dev/null || true' EXIT
for addr in "$ADDR" "$TABLET_ADDR" "$FRESH_ADDR"; do
  for _ in $(seq 1 240); do
    curl -sf -o /dev/null "http://$addr/" && break
    if ! kill -0 "$pid" 2>/dev/null || ! kill -0 "$tablet" 2>/dev/null || ! kill -0 "$fresh" 2>/dev/null; then
      echo "server did not start:"; cat target/e2e/server.log target/e2e/tablet.log target/e2e/fresh.log; exit 1
    fi
    sleep 0.5
  done
done
(cd end2end && PHONE_URL="http://$ADDR" TABLET_URL="http://$TABLET_ADDR" FRESH_URL="http://$FRESH_ADDR" \
  npx playwright test "$@")
"$BIN" verify
GAOLIANG_DB=$TABLET_DB "$BIN" verify
GAOLIANG_DB=$FRESH_DB "$BIN" verify
