#!/usr/bin/env bash
# Builds and tests the npm package (bindings-wasm) on a fresh machine:
# installs what is missing (wasm32 target, wasm-bindgen-cli at the crate's
# version, npm packages from the lock file, Debian's Chromium), builds the
# package (storefront and dashboard modules), checks each gzipped .wasm
# against its budget, lints the dashboard feature, type-checks the declarations, runs
# the node tests, the wasm-bindgen tests (under node), the headless-Chromium
# end-to-end test of the demo (screenshot in artifacts/) and the benchmark
# (prints figures, never fails on timing). Safe to run repeatedly; exits
# non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/.."
root="$(pwd)"
pkg="$root/bindings-wasm"
step() { printf '\n== %s\n' "$*"; }

step "toolchain"
rustup target list --installed | grep -qx wasm32-unknown-unknown \
  || rustup target add wasm32-unknown-unknown
want=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/[^0-9.]/, ""); print; exit }' Cargo.lock)
have=$(wasm-bindgen --version 2>/dev/null | awk '{ print $2 }' || true)
if [ "$have" != "$want" ]; then
  # No --locked: a transitive crate of the CLI's lock file is not in the registry here.
  cargo install wasm-bindgen-cli --version "$want" --force
fi
if [ ! -x /usr/bin/chromium ]; then
  apt-get update && apt-get install -y chromium
fi
(cd "$pkg" && npm ci --no-audit --no-fund)

step "build (storefront and dashboard modules)"
bash "$pkg/build.sh"
# size_check FILE KIB: the gzipped .wasm within its budget.
size_check() {
  local gz limit=$(($2 * 1024))
  gz=$(gzip -9 -c "$pkg/$1" | wc -c)
  echo "$1 gzipped: $gz bytes (limit $limit)"
  [ "$gz" -le "$limit" ] || { echo "$1 too large"; exit 1; }
}
# The storefront module: every shopper downloads it on a first visit.
size_check pkg/retention_wasm_bg.wasm 300
# The merchant-dashboard module: loaded by a merchant's admin page, once per
# release (cached), next to charting code of similar size; 600 KiB leaves
# room for the analytics still to come (cohort matrices, dashboards) at
# about half a second on a 10 Mbit/s line.
size_check pkg/dashboard/retention_wasm_bg.wasm 600

step "clippy of the dashboard feature (the workspace lint runs without it)"
cargo clippy -p retention-wasm --all-targets --features dashboard -- -D warnings

step "tsc --noEmit on typed usage files (both entries)"
(cd "$pkg" && node_modules/.bin/tsc -p tests/tsconfig.json)

step "node tests (against the built package)"
(cd "$pkg" && node --test tests/)

step "wasm-bindgen tests (wasm32, under node)"
CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
  cargo test -p retention-wasm --target wasm32-unknown-unknown --test web

step "end-to-end: demo in headless Chromium"
mkdir -p "$root/artifacts"
(cd "$pkg" && node --test e2e/)
ls -l "$root"/artifacts/*.png

step "benchmark (figures only)"
(cd "$pkg" && node bench/bench.mjs)
(cd "$pkg" && node bench/dashboard.mjs)
