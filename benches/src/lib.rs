//! Benchmarks for retention-core; see `benches/`.
