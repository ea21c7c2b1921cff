#!/usr/bin/env bash
# Sets up what the report needs and prints the retention report.
# Usage: scripts/report.sh [events.csv]
# Without an argument the report runs on the bundled, seeded sample shop.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v cargo >/dev/null || { echo "cargo (Rust) is required: https://rustup.rs" >&2; exit 1; }
exec cargo run --quiet --release --example report -- "$@"
