#!/usr/bin/env bash
# Sets up every tool the checks need (idempotent) and runs every check:
# formatting, lints, docs, all Rust tests and doc-tests, the wasm32 build of
# the core, and a compile check of the fuzz targets.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n==> %s\n' "$*"; }

step "toolchain components"
rustup component list --installed 2>/dev/null | grep -q '^rustfmt' || rustup component add rustfmt
rustup component list --installed 2>/dev/null | grep -q '^clippy' || rustup component add clippy
rustup target list --installed | grep -qx wasm32-unknown-unknown || rustup target add wasm32-unknown-unknown

step "cargo fmt --check"
cargo fmt --all -- --check
(cd fuzz && cargo fmt -- --check)

step "cargo clippy (all targets, warnings are errors)"
cargo clippy --workspace --all-targets -- -D warnings

step "cargo doc (warnings are errors)"
RUSTDOCFLAGS="-D warnings" cargo doc --workspace --no-deps --quiet

step "core builds for wasm32-unknown-unknown"
cargo build -p retention-core --target wasm32-unknown-unknown --quiet

step "fuzz targets compile"
cargo check --manifest-path fuzz/Cargo.toml --quiet

step "cargo test (all crates, unit, integration and doc-tests)"
cargo test --workspace --release
