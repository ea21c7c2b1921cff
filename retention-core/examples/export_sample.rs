//! Writes the sample shop's events as CSV (the format of
//! `retention_core::csv_input`) to standard output:
//! `cargo run --release --example export_sample [seed] [customers] > events.csv`.

use std::io::Write;
use std::process::ExitCode;

use retention_core::csv_input::write_events_csv;
use retention_core::sample::{generate, SampleOptions};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut options = SampleOptions::default();
    let parsed = (|| -> Option<()> {
        if let Some(seed) = args.first() {
            options.seed = seed.parse().ok()?;
        }
        if let Some(customers) = args.get(1) {
            options.customers = customers.parse().ok()?;
        }
        (args.len() <= 2).then_some(())
    })();
    if parsed.is_none() {
        eprintln!("usage: export_sample [seed] [customers]");
        return ExitCode::FAILURE;
    }
    let events = match generate(&options) {
        Ok(events) => events,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    if let Err(e) = write_events_csv(&events, &mut out).and_then(|()| out.flush()) {
        eprintln!("error: {e}");
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}
