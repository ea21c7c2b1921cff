//! The retention report: `cargo run --release --example report [events.csv]`.
//!
//! Without an argument it reports on the bundled sample shop
//! (`retention_core::sample`, seed 42). With a path it reads that CSV file
//! (columns documented in `retention_core::csv_input`) and reports on it, as
//! of the end of the last event's UTC day unless `--as-of YYYY-MM-DD` says
//! otherwise. Malformed rows are
//! listed with their line numbers and the program exits with status 1.
//!
//! `--html PATH` also writes the report's charts as one self-contained HTML
//! page (inline CSS and SVG, no scripts, nothing fetched; see `html.rs` and
//! `svg.rs`); the text report on standard output is unchanged.

mod html;
mod svg;

use std::io::Write as _;
use std::process::ExitCode;

/// Appends a line to the report buffer.
macro_rules! outln {
    ($out:expr, $($arg:tt)*) => {{
        use std::fmt::Write as _;
        let _ = writeln!($out, $($arg)*);
    }};
}

use chrono::{DateTime, Utc};
use retention_core::churn::health::{health_traffic_lights, HealthOptions};
use retention_core::churn::traffic_light::{Light, LightThresholds};
use retention_core::csv_input::read_csv;
use retention_core::events::{EventLog, LogOptions, SurveyKind};
use retention_core::metrics::{
    ces, csat, customer_loyalty_index, mrr_bridge, nps, order_stats, period_activity,
    period_over_period_retention, referral_stats, survey_answers, top_customers_by_historic_clv,
    ActivityOptions, ChurnVariant, CsatOptions, Window,
};
use retention_core::sample::{generate_log, SampleOptions};
use retention_core::segments::lifecycle::{lifecycle, LifecycleOptions, LifecycleStage};
use retention_core::segments::rfm::{rfm, RfmOptions, SegmentTable};
use retention_core::summary::{OrderDays, Summaries};
use retention_core::time::{from_micros, Calendar, Micros, Period, MICROS_PER_DAY};
use retention_core::{Error, Result};

fn pct(x: Option<f64>) -> String {
    x.map_or_else(|| "n/a".to_owned(), |v| format!("{:.1} %", 100.0 * v))
}

fn num(x: Option<f64>) -> String {
    x.map_or_else(|| "n/a".to_owned(), |v| format!("{v:.2}"))
}

fn date(t: Micros) -> String {
    from_micros(t).format("%Y-%m-%d").to_string()
}

fn period_label(calendar: &Calendar, p: i64) -> String {
    let start: DateTime<Utc> = from_micros(calendar.start(p));
    match calendar.period {
        Period::Month => start.format("%B %Y").to_string(),
        Period::Quarter => format!("Q{} {}", (p.rem_euclid(4)) + 1, p.div_euclid(4)),
        _ => format!(
            "{} – {}",
            date(calendar.start(p)),
            date(calendar.end(p) - 1)
        ),
    }
}

fn headline(out: &mut String, log: &EventLog, calendar: Calendar, as_of: Micros) -> Result<()> {
    let p = calendar.last_complete(as_of);
    let window = Window::period(&calendar, p)?;
    let activity = period_activity(log, window, &ActivityOptions::default())?;
    let orders = order_stats(log, window);
    let pop = period_over_period_retention(log, &calendar, p - 1)?;
    let referrals = referral_stats(log, window);
    outln!(
        out,
        "\n{} ({} to {})",
        period_label(&calendar, p),
        date(window.start()),
        date(window.end() - 1)
    );
    let rows = [
        (
            "active customers at start S / end E / new N".to_owned(),
            format!(
                "{} / {} / {}",
                activity.start_count, activity.end_count, activity.new
            ),
        ),
        (
            "customer retention rate (E − N) / S".to_owned(),
            pct(activity.retention_rate()),
        ),
        (
            "churn rate, starting customers (ChartMogul)".to_owned(),
            pct(activity.churn_rate(ChurnVariant::StartingCustomers)),
        ),
        (
            "churn rate, including joiners who left".to_owned(),
            pct(activity.churn_rate(ChurnVariant::IncludingNew)),
        ),
        (
            format!("retention of {} buyers", period_label(&calendar, p - 1)),
            pct(pop.rate()),
        ),
        (
            "orders / customers / revenue".to_owned(),
            format!(
                "{} / {} / {:.2}",
                orders.orders, orders.customers, orders.revenue
            ),
        ),
        (
            "repeat purchase rate".to_owned(),
            pct(orders.repeat_purchase_rate()),
        ),
        (
            "purchase frequency (orders per customer)".to_owned(),
            num(orders.purchase_frequency()),
        ),
        (
            "average order value".to_owned(),
            num(orders.average_order_value()),
        ),
        ("referral rate".to_owned(), pct(referrals.rate())),
    ];
    for (label, value) in rows {
        outln!(out, "  {label:<46} {value}");
    }
    Ok(())
}

fn mrr(out: &mut String, log: &EventLog, as_of: Micros) -> Result<()> {
    let calendar = Calendar::utc(Period::Month);
    let p = calendar.last_complete(as_of);
    let b = mrr_bridge(log, Window::period(&calendar, p)?);
    outln!(out, "\nMRR bridge, {}", period_label(&calendar, p));
    outln!(out, "  starting MRR   {:>12.2}", b.starting);
    outln!(out, "  + new          {:>12.2}", b.new);
    outln!(out, "  + expansion    {:>12.2}", b.expansion);
    outln!(out, "  + reactivation {:>12.2}", b.reactivation);
    outln!(out, "  − contraction  {:>12.2}", b.contraction);
    outln!(out, "  − churned      {:>12.2}", b.churned);
    outln!(out, "  = ending MRR   {:>12.2}", b.ending);
    outln!(
        out,
        "  gross MRR churn {}   net MRR churn {}   NRR {}   GRR {}   quick ratio {}",
        pct(b.gross_mrr_churn()),
        pct(b.net_mrr_churn()),
        pct(b.net_revenue_retention()),
        pct(b.gross_revenue_retention()),
        num(b.quick_ratio())
    );
    Ok(())
}

fn surveys(out: &mut String, log: &EventLog, as_of: Micros) -> Result<()> {
    let calendar = Calendar::utc(Period::Quarter);
    let p = calendar.last_complete(as_of);
    let window = Window::period(&calendar, p)?;
    outln!(out, "\nSurvey scores, {}", period_label(&calendar, p));
    let answers = |k| survey_answers(log, k, window);
    match nps(&answers(SurveyKind::Nps)) {
        Ok(n) => outln!(
            out,
            "  NPS  {:>6.1}  ({} promoters, {} passives, {} detractors of {})",
            n.score,
            n.promoters,
            n.passives,
            n.detractors,
            n.respondents
        ),
        Err(Error::EmptyInput { .. }) => outln!(out, "  NPS  no answers"),
        Err(e) => return Err(e),
    }
    match csat(&answers(SurveyKind::Csat), CsatOptions::default()) {
        Ok(c) => outln!(
            out,
            "  CSAT {:>6.1}  (top-two-box; mean {:.2} of 5, {} answers)",
            c.score,
            c.mean,
            c.respondents
        ),
        Err(Error::EmptyInput { .. }) => outln!(out, "  CSAT no answers"),
        Err(e) => return Err(e),
    }
    match ces(&answers(SurveyKind::Ces), 7) {
        Ok(c) => outln!(
            out,
            "  CES  {:>6.1}  (mean {:.2} of 7, {} answers)",
            c.score,
            c.mean,
            c.respondents
        ),
        Err(Error::EmptyInput { .. }) => outln!(out, "  CES  no answers"),
        Err(e) => return Err(e),
    }
    match customer_loyalty_index(
        &answers(SurveyKind::LoyaltyRecommend),
        &answers(SurveyKind::LoyaltyRepurchase),
        &answers(SurveyKind::LoyaltyOtherProducts),
    ) {
        Ok(c) => outln!(out, "  customer loyalty index {c:.1}"),
        Err(Error::EmptyInput { .. }) => outln!(out, "  customer loyalty index: no answers"),
        Err(e) => return Err(e),
    }
    Ok(())
}

fn customers(out: &mut String, log: &EventLog, as_of: Micros) -> Result<()> {
    let summaries = Summaries::from_log(log);
    let days = OrderDays::from_log(log);

    outln!(
        out,
        "\nTop 10 customers by historic CLV (net revenue to date)"
    );
    for (i, c) in top_customers_by_historic_clv(&summaries, 10)
        .iter()
        .enumerate()
    {
        let s = summaries.get(&c.customer);
        outln!(
            out,
            "  {:>2}. customer {:<10} {:>10.2}  ({} orders, last {})",
            i + 1,
            c.customer.to_string(),
            c.net_revenue,
            s.map_or(0, |s| s.orders()),
            s.and_then(|s| s.last_order())
                .map_or_else(|| "-".to_owned(), date)
        );
    }

    let table = SegmentTable::default();
    let scores = rfm(&summaries, Some(&days), &RfmOptions::new(as_of))?;
    outln!(out, "\nRFM segments (5 quantile bins, rank-first ties)");
    for s in scores.segment_sizes(&table) {
        if s.customers > 0 {
            outln!(out, "  {:<20} {:>7}", s.name, s.customers);
        }
    }

    let stages = lifecycle(&summaries, &days, as_of, &LifecycleOptions::default())?;
    outln!(out, "\nLifecycle stages");
    for &stage in LifecycleStage::ALL {
        let n = stages.iter().filter(|(_, s)| s.stage == stage).count();
        outln!(out, "  {:<12} {n:>7}", stage.label());
    }

    let mut lights = [0usize; 3];
    for (_, t) in health_traffic_lights(
        log,
        as_of,
        &HealthOptions::default(),
        LightThresholds::default(),
    )? {
        lights[t.light as usize] += 1;
    }
    outln!(out, "\nChurn-risk traffic light (health score)");
    for (light, n) in [Light::Green, Light::Amber, Light::Red].iter().zip(lights) {
        outln!(out, "  {:<6} {n:>7}", light.as_str());
    }
    Ok(())
}

fn parse_as_of(text: &str) -> Result<Micros> {
    chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .ok()
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .map(|t| retention_core::time::to_micros(t.and_utc()))
        .ok_or_else(|| {
            Error::parameter("--as-of", text, "expected a date YYYY-MM-DD (midnight UTC)")
        })
}

fn run() -> Result<String> {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let mut as_of_arg = None;
    if let Some(i) = args.iter().position(|a| a == "--as-of") {
        let value = args.get(i + 1).cloned().unwrap_or_default();
        as_of_arg = Some(parse_as_of(&value)?);
        args.drain(i..(i + 2).min(args.len()));
    }
    let mut html_path = None;
    if let Some(i) = args.iter().position(|a| a == "--html") {
        let Some(path) = args.get(i + 1).cloned() else {
            return Err(Error::parameter(
                "--html",
                "",
                "expected an output file path",
            ));
        };
        html_path = Some(path);
        args.drain(i..i + 2);
    }
    let (log, default_as_of, source) = match args.as_slice() {
        [] => {
            let options = SampleOptions::default();
            let log = generate_log(&options)?;
            (
                log,
                options.as_of,
                format!(
                    "sample shop (seed {}, {} customers)",
                    options.seed, options.customers
                ),
            )
        }
        [path] => {
            let file = std::fs::File::open(path).map_err(|e| Error::InvalidParameter {
                name: "path",
                value: format!("{path}: {e}"),
                reason: "cannot open the CSV file",
            })?;
            let log = read_csv(std::io::BufReader::new(file), LogOptions::default())?;
            let (_, last) = log.time_range().ok_or(Error::EmptyInput {
                what: "events in the CSV file",
            })?;
            // As of the end of the last event's UTC day.
            let end_of_day = (last.div_euclid(MICROS_PER_DAY) + 1) * MICROS_PER_DAY;
            (log, end_of_day, path.clone())
        }
        _ => {
            return Err(Error::InvalidParameter {
                name: "arguments",
                value: args.join(" "),
                reason: "usage: report [events.csv] [--as-of YYYY-MM-DD] [--html PATH]",
            })
        }
    };
    let as_of = as_of_arg.unwrap_or(default_as_of);
    // Reporting on the past: later events are left out, and the report says so.
    let full_len = log.len();
    let log = log.up_to(as_of);
    let ignored = full_len - log.len();
    let (first, last) = log
        .time_range()
        .ok_or(Error::EmptyInput { what: "events" })?;
    let mut out = String::new();
    outln!(out, "Retention report — {source}");
    outln!(
        out,
        "{} events, {} customers, {} to {}; as of {}",
        log.len(),
        log.customers().len(),
        date(first),
        date(last),
        from_micros(as_of).to_rfc3339()
    );
    if ignored > 0 {
        outln!(out, "({ignored} events after as_of left out)");
    }
    headline(&mut out, &log, Calendar::utc(Period::Month), as_of)?;
    headline(&mut out, &log, Calendar::utc(Period::Quarter), as_of)?;
    mrr(&mut out, &log, as_of)?;
    surveys(&mut out, &log, as_of)?;
    customers(&mut out, &log, as_of)?;
    if let Some(path) = html_path {
        let page = html::page(&log, as_of, &source)?;
        std::fs::write(&path, page).map_err(|e| Error::InvalidParameter {
            name: "--html",
            value: format!("{path}: {e}"),
            reason: "cannot write the HTML file",
        })?;
    }
    Ok(out)
}

fn main() -> ExitCode {
    match run() {
        Ok(report) => {
            // A closed pipe (e.g. `| head`) is not an error worth a panic.
            let _ = std::io::stdout().write_all(report.as_bytes());
            ExitCode::SUCCESS
        }
        Err(Error::InvalidRows { issues }) => {
            eprintln!("error: {} invalid row(s) in the input:", issues.len());
            for issue in issues.iter().take(50) {
                eprintln!("  line {}: {issue}", issue.row + 2);
            }
            if issues.len() > 50 {
                eprintln!("  … and {} more", issues.len() - 50);
            }
            ExitCode::FAILURE
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
