//! CSV input and output (placeholder).
