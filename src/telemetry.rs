//! Logging setup: JSON lines in production, readable text in development; `RUST_LOG`
//! filters (default `info`).

use std::io::IsTerminal;

use tracing_subscriber::EnvFilter;

use crate::config::LogFormat;

pub fn init(format: LogFormat) {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        // Colour codes only for a person at a terminal, not into a file or a collector.
        .with_ansi(std::io::stderr().is_terminal());
    // A second init (tests start many apps in one process) is harmless: keep the first.
    let _ = match format {
        // The request's span once (`span`), not again as the list of spans it sits in: there
        // is only the one, and every request writes a line.
        LogFormat::Json => builder.json().with_current_span(true).with_span_list(false).try_init(),
        LogFormat::Pretty => builder.try_init(),
    };
}
