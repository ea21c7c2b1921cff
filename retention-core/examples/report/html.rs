//! The HTML report (`--html PATH`): one self-contained page, inline CSS and
//! inline SVG charts ([`super::svg`]), nothing fetched from the network.
//!
//! The page lives in the example, not in `retention-core`: the core computes
//! every figure (cohort matrix, MRR bridge, RFM scores, Kaplan–Meier curve,
//! health traffic lights) and stays free of I/O and presentation; this
//! module only arranges those results into pictures. Two small derivations
//! live here until the core offers them (other work in issue #16 adds them):
//!
//! * **Mean rows and intervals of the cohort matrix.** The size-weighted
//!   mean at age `a` is `Σ_c retained(c, a) / Σ_c eligible(c, a)` over the
//!   cohorts observed at that age, the simple mean the average of the cell
//!   rates. Each cell (and the weighted mean) carries the 95 % Wilson score
//!   interval of `x` retained out of `n` eligible (Wilson 1927, "Probable
//!   inference, the law of succession, and statistical inference", JASA
//!   22:209–212): `(p̂ + z²/2n ± z·sqrt(p̂(1−p̂)/n + z²/4n²)) / (1 + z²/n)`,
//!   `z = 1.959964`.
//! * **Lifecycle counts per period** (PostHog's lifecycle chart), from each
//!   customer's distinct order months: in a month a buyer is *new* (first
//!   order month), *returning* (also bought the month before) or
//!   *resurrecting* (bought before, but not the month before); a customer
//!   who bought the month before and not this month is *dormant* (drawn
//!   below zero).

use std::collections::BTreeMap;
use std::fmt::Write as _;

use retention_core::churn::health::{health_traffic_lights, HealthOptions};
use retention_core::churn::traffic_light::{Light, LightThresholds};
use retention_core::cohorts::{acquisition_cohorts, CohortMatrix, CohortOptions};
use retention_core::events::EventLog;
use retention_core::metrics::{mrr_bridge, Window};
use retention_core::segments::rfm::{rfm, RfmOptions};
use retention_core::summary::{OrderDays, Summaries};
use retention_core::survival::{churn_survival, ChurnSurvivalOptions};
use retention_core::time::{from_micros, Calendar, Micros, Period, MICROS_PER_DAY};
use retention_core::Result;

use crate::svg::{self, esc, Cell, Series, Stack, Step};

/// `z` of a two-sided 95 % interval.
const Z95: f64 = 1.959_963_984_540_054;

/// Wilson score interval of `x` successes in `n` trials (`n > 0`).
pub fn wilson(x: f64, n: f64, z: f64) -> (f64, f64) {
    let p = x / n;
    let z2 = z * z;
    let centre = p + z2 / (2.0 * n);
    let half = z * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt();
    let denom = 1.0 + z2 / n;
    (
        ((centre - half) / denom).max(0.0),
        ((centre + half) / denom).min(1.0),
    )
}

/// Size-weighted and simple mean retention per age, with the weighted
/// mean's Wilson interval; `None` where no cohort is observed.
pub struct MeanRow {
    /// `Σ retained / Σ eligible` and its interval.
    pub weighted: Vec<Option<(f64, f64, f64)>>,
    /// Mean of the cell rates.
    pub simple: Vec<Option<f64>>,
}

/// The mean rows of a cohort matrix (see the module docs).
pub fn mean_rows(m: &CohortMatrix) -> MeanRow {
    let mut weighted = Vec::with_capacity(m.ages());
    let mut simple = Vec::with_capacity(m.ages());
    for a in 0..m.ages() {
        let (mut x, mut n, mut sum, mut k) = (0u64, 0u64, 0.0, 0usize);
        for c in 0..m.cohorts() {
            if m.eligible()[c][a] > 0 {
                x += m.retained()[c][a];
                n += m.eligible()[c][a];
            }
            if let Some(r) = m.retention()[c][a] {
                sum += r;
                k += 1;
            }
        }
        weighted.push((n > 0).then(|| {
            let (lo, hi) = wilson(x as f64, n as f64, Z95);
            (x as f64 / n as f64, lo, hi)
        }));
        simple.push((k > 0).then(|| sum / k as f64));
    }
    MeanRow { weighted, simple }
}

/// New, returning, resurrecting and dormant customers per month index
/// (see the module docs), for months `first..=last`.
pub fn lifecycle_counts(days: &OrderDays, first: i64, last: i64) -> BTreeMap<i64, [u64; 4]> {
    let cal = Calendar::utc(Period::Month);
    let mut out: BTreeMap<i64, [u64; 4]> = (first..=last).map(|p| (p, [0; 4])).collect();
    for (_, d) in days.iter() {
        let mut months: Vec<i64> = d
            .iter()
            .map(|t| cal.index(t.day * MICROS_PER_DAY))
            .collect();
        months.dedup();
        for (i, &p) in months.iter().enumerate() {
            let kind = match i {
                0 => 0,
                _ if months[i - 1] == p - 1 => 1,
                _ => 2,
            };
            if let Some(row) = out.get_mut(&p) {
                row[kind] += 1;
            }
            if months.get(i + 1) != Some(&(p + 1)) {
                if let Some(row) = out.get_mut(&(p + 1)) {
                    row[3] += 1;
                }
            }
        }
    }
    out
}

fn figure(out: &mut String, id: &str, title: &str, note: &str, svg: &str, wide: bool) {
    let _ = write!(
        out,
        r#"<figure class="card{}" data-chart="{id}"><figcaption><h2>{}</h2><p>{}</p></figcaption>{svg}</figure>"#,
        if wide { " wide" } else { "" },
        esc(title),
        esc(note)
    );
}

fn month_label(p: i64) -> String {
    from_micros(Calendar::utc(Period::Month).start(p))
        .format("%Y-%m")
        .to_string()
}

const CSS: &str = "body{font:14px/1.4 system-ui,-apple-system,'Segoe UI',sans-serif;margin:0;background:#f4f6f8;color:#1d2733}\
header{padding:20px 28px;background:#1d2733;color:#fff}header h1{margin:0 0 4px;font-size:22px}header p{margin:0;color:#c5ccd3}\
main{display:grid;grid-template-columns:repeat(auto-fit,minmax(520px,1fr));gap:18px;padding:18px 28px}\
.card{background:#fff;border-radius:8px;box-shadow:0 1px 3px rgba(0,0,0,.12);margin:0;padding:14px 16px}\
.card.wide{grid-column:1/-1}.card h2{font-size:16px;margin:0 0 2px}.card p{margin:0 0 8px;color:#5b6672;font-size:12.5px}\
svg{width:100%;height:auto;display:block}svg text{font-family:system-ui,sans-serif}\
.tick{font-size:10px;fill:#5b6672}.strong{font-weight:700;fill:#1d2733}.axis{font-size:11px;fill:#5b6672}.cell{font-size:9px}\
footer{padding:8px 28px 24px;color:#5b6672;font-size:12px}";

/// The whole page for `log` as of `as_of`.
pub fn page(log: &EventLog, as_of: Micros, source: &str) -> Result<String> {
    let summaries = Summaries::from_log(log);
    let days = OrderDays::from_log(log);
    let mut body = String::new();

    // Cohort heatmap with mean rows and intervals.
    let m = acquisition_cohorts(log, from_micros(as_of), &CohortOptions::default())?;
    let means = mean_rows(&m);
    // Colours scale to the largest rate after age 0 (age 0 is 100 % by
    // definition and would wash out the rest).
    let top_rate = m
        .retention()
        .iter()
        .flat_map(|row| row.iter().skip(1).flatten())
        .fold(1e-9f64, |a, &b| a.max(b));
    let mut rows: Vec<String> = m
        .labels()
        .iter()
        .zip(m.sizes())
        .map(|(l, s)| format!("{l} ({s})"))
        .collect();
    let mut cells: Vec<Vec<Cell>> = (0..m.cohorts())
        .map(|c| {
            (0..m.ages())
                .map(|a| {
                    let n = m.eligible()[c][a];
                    match m.retention()[c][a] {
                        Some(r) if n > 0 => {
                            let (lo, hi) = wilson(m.retained()[c][a] as f64, n as f64, Z95);
                            Cell {
                                shade: Some(r / top_rate),
                                text: format!("{:.0}", 100.0 * r),
                                title: format!(
                                    "{} age {a}: {:.1} % ({} of {n}), 95 % Wilson {:.1}–{:.1} %",
                                    m.labels()[c],
                                    100.0 * r,
                                    m.retained()[c][a],
                                    100.0 * lo,
                                    100.0 * hi
                                ),
                            }
                        }
                        _ => Cell {
                            shade: None,
                            text: String::new(),
                            title: String::new(),
                        },
                    }
                })
                .collect()
        })
        .collect();
    rows.push("mean (size-weighted)".to_owned());
    cells.push(
        means
            .weighted
            .iter()
            .enumerate()
            .map(|(a, w)| match w {
                Some((r, lo, hi)) => Cell {
                    shade: Some(r / top_rate),
                    text: format!("{:.0}", 100.0 * r),
                    title: format!(
                        "weighted mean age {a}: {:.1} %, 95 % Wilson {:.1}–{:.1} %",
                        100.0 * r,
                        100.0 * lo,
                        100.0 * hi
                    ),
                },
                None => Cell {
                    shade: None,
                    text: String::new(),
                    title: String::new(),
                },
            })
            .collect(),
    );
    rows.push("95 % interval (±pp)".to_owned());
    cells.push(
        means
            .weighted
            .iter()
            .map(|w| match w {
                Some((_, lo, hi)) => Cell {
                    shade: Some(0.0),
                    text: format!("{:.1}", 50.0 * (hi - lo)),
                    title: format!("{:.1}–{:.1} %", 100.0 * lo, 100.0 * hi),
                },
                None => Cell {
                    shade: None,
                    text: String::new(),
                    title: String::new(),
                },
            })
            .collect(),
    );
    rows.push("mean (simple)".to_owned());
    cells.push(
        means
            .simple
            .iter()
            .enumerate()
            .map(|(a, s)| match s {
                Some(r) => Cell {
                    shade: Some(r / top_rate),
                    text: format!("{:.0}", 100.0 * r),
                    title: format!("simple mean age {a}: {:.1} %", 100.0 * r),
                },
                None => Cell {
                    shade: None,
                    text: String::new(),
                    title: String::new(),
                },
            })
            .collect(),
    );
    let n_rows = rows.len();
    let ages: Vec<String> = (0..m.ages()).map(|a| a.to_string()).collect();
    figure(
        &mut body,
        "cohort-heatmap",
        "Monthly acquisition cohorts: retention by age (%)",
        "Share of each first-order cohort (size in brackets) ordering again in the month of each age. Darker is higher (scaled to the best cell after age 0); hover a cell for its 95 % Wilson interval. The bottom rows are the size-weighted mean with its interval half-width and the simple mean.",
        &svg::heatmap(
            "cohort retention heatmap",
            &rows,
            &ages,
            &cells,
            &[n_rows - 3, n_rows - 1],
            34.0,
            18.0,
        ),
        true,
    );

    // Retention curves: one line per cohort, the weighted mean with its band.
    let mut series: Vec<Series> = (0..m.cohorts())
        .map(|c| {
            let shade = c as f64 / m.cohorts().max(1) as f64;
            Series {
                name: m.labels()[c].clone(),
                points: (1..m.ages())
                    .filter_map(|a| m.retention()[c][a].map(|r| (a as f64, r)))
                    .collect(),
                color: format!("hsl({:.0},55%,62%)", 200.0 + 120.0 * shade),
                width: 1.0,
                band: Vec::new(),
                step: false,
            }
        })
        .filter(|s| s.points.len() > 1)
        .collect();
    let mean_pts: Vec<(f64, f64, f64, f64)> = means
        .weighted
        .iter()
        .enumerate()
        .skip(1)
        .filter_map(|(a, w)| w.map(|(r, lo, hi)| (a as f64, r, lo, hi)))
        .collect();
    let y_max = series
        .iter()
        .flat_map(|s| s.points.iter().map(|p| p.1))
        .fold(0.05f64, f64::max)
        .min(1.0);
    series.push(Series {
        name: "size-weighted mean".to_owned(),
        points: mean_pts.iter().map(|p| (p.0, p.1)).collect(),
        color: "#1d2733".to_owned(),
        width: 2.6,
        band: mean_pts.iter().map(|p| (p.0, p.2, p.3)).collect(),
        step: false,
    });
    figure(
        &mut body,
        "retention-curves",
        "Retention curves",
        "Retention at ages 1+ per cohort (thin, blue for early cohorts to pink for late), and the size-weighted mean with its 95 % Wilson band (dark).",
        &svg::lines("retention curves", &series, "months since first order", y_max, true),
        false,
    );

    // Lifecycle per month.
    let cal = Calendar::utc(Period::Month);
    let last = cal.last_complete(as_of);
    let first = m.periods().iter().flatten().copied().min().unwrap_or(last);
    let counts = lifecycle_counts(&days, first, last);
    let cats: Vec<String> = counts.keys().map(|&p| month_label(p)).collect();
    let col = |k: usize, sign: f64| counts.values().map(|v| sign * v[k] as f64).collect();
    let stacks = [
        Stack {
            name: "new".into(),
            color: "#2e86de".into(),
            values: col(0, 1.0),
        },
        Stack {
            name: "returning".into(),
            color: "#2e9d5b".into(),
            values: col(1, 1.0),
        },
        Stack {
            name: "resurrecting".into(),
            color: "#f0a202".into(),
            values: col(2, 1.0),
        },
        Stack {
            name: "dormant".into(),
            color: "#d0473c".into(),
            values: col(3, -1.0),
        },
    ];
    figure(
        &mut body,
        "lifecycle",
        "Lifecycle per month",
        "Buyers per month who are new, returning (bought the month before) or resurrecting (bought earlier, not the month before); dormant customers (bought the month before, not this month) below zero.",
        &svg::stacked_bars("lifecycle per month", &cats, &stacks),
        false,
    );

    // MRR bridge waterfall.
    let p = cal.last_complete(as_of);
    let b = mrr_bridge(log, Window::period(&cal, p)?);
    let steps = [
        Step::Total("start".into(), b.starting),
        Step::Change("new".into(), b.new),
        Step::Change("expansion".into(), b.expansion),
        Step::Change("reactivation".into(), b.reactivation),
        Step::Change("contraction".into(), -b.contraction),
        Step::Change("churned".into(), -b.churned),
        Step::Total("end".into(), b.ending),
    ];
    figure(
        &mut body,
        "mrr-waterfall",
        &format!("MRR bridge, {}", month_label(p)),
        "Starting MRR, the month's movements (gains green, losses red) and ending MRR.",
        &svg::waterfall("MRR bridge", &steps),
        false,
    );

    // RFM recency x frequency grid (mean monetary, customers).
    let scores = rfm(&summaries, Some(&days), &RfmOptions::new(as_of))?;
    let k = 5usize;
    let mut grid = vec![vec![(0u64, 0.0f64); k]; k];
    for i in 0..scores.len() {
        if let (Some(r), Some(f), Some(mv)) = (scores.r[i], scores.f[i], scores.monetary[i]) {
            let g = &mut grid[k - usize::from(r)][usize::from(f) - 1];
            g.0 += 1;
            g.1 += mv;
        }
    }
    let top = grid
        .iter()
        .flatten()
        .filter(|g| g.0 > 0)
        .map(|g| g.1 / g.0 as f64)
        .fold(1e-9f64, f64::max);
    let rfm_cells: Vec<Vec<Cell>> = grid
        .iter()
        .enumerate()
        .map(|(ri, row)| {
            row.iter()
                .enumerate()
                .map(|(fi, &(n, sum))| {
                    let mean = if n > 0 { sum / n as f64 } else { 0.0 };
                    Cell {
                        shade: Some(mean / top),
                        text: if n > 0 {
                            svg::short(mean)
                        } else {
                            "–".into()
                        },
                        title: format!(
                            "R {} F {}: {n} customers, mean monetary {mean:.2}",
                            k - ri,
                            fi + 1
                        ),
                    }
                })
                .collect()
        })
        .collect();
    figure(
        &mut body,
        "rfm-grid",
        "RFM: recency × frequency",
        "Mean monetary value (net spend) of the customers in each recency score (rows, 5 = most recent) and frequency score (columns) cell; hover for the customer count.",
        &svg::heatmap(
            "RFM recency by frequency grid",
            &(1..=k).rev().map(|r| format!("R {r}")).collect::<Vec<_>>(),
            &(1..=k).map(|f| format!("F {f}")).collect::<Vec<_>>(),
            &rfm_cells,
            &[],
            76.0,
            44.0,
        ),
        false,
    );

    // Survival curve.
    let surv = churn_survival(log, as_of, &ChurnSurvivalOptions::default())?;
    let km = &surv.curve;
    let mut pts = vec![(0.0, 1.0)];
    let mut band = vec![(0.0, 1.0, 1.0)];
    for (i, &t) in km.times().iter().enumerate() {
        pts.push((t, km.survival[i]));
        band.push((t, km.lower[i], km.upper[i]));
    }
    let median = surv
        .median_days
        .map_or_else(|| "not reached".to_owned(), |d| format!("{d:.0} days"));
    figure(
        &mut body,
        "survival",
        "Customer survival (Kaplan–Meier)",
        &format!(
            "Share of customers still active (an order within 90 days) by days since their first order, with the 95 % band; {} customers, {} churned, median {median}.",
            surv.customers, surv.churned
        ),
        &svg::lines(
            "survival curve",
            &[Series {
                name: "Kaplan–Meier".into(),
                points: pts,
                color: "#8e44ad".into(),
                width: 2.0,
                band,
                step: true,
            }],
            "days since first order",
            1.0,
            true,
        ),
        false,
    );

    // Churn-risk traffic lights.
    let mut lights = [0usize; 3];
    for (_, t) in health_traffic_lights(
        log,
        as_of,
        &HealthOptions::default(),
        LightThresholds::default(),
    )? {
        lights[t.light as usize] += 1;
    }
    let items: Vec<(String, f64, String)> = [
        (Light::Green, "#2e9d5b"),
        (Light::Amber, "#f0a202"),
        (Light::Red, "#d0473c"),
    ]
    .iter()
    .map(|&(l, c)| {
        (
            l.as_str().to_owned(),
            lights[l as usize] as f64,
            c.to_owned(),
        )
    })
    .collect();
    figure(
        &mut body,
        "churn-lights",
        "Churn-risk traffic lights",
        "Customers per light of the health score (green low risk, red high).",
        &svg::bars("churn-risk traffic lights", &items),
        false,
    );

    Ok(format!(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width,initial-scale=1\"><title>Retention report — {src}</title><style>{CSS}</style></head><body><header><h1>Retention report</h1><p>{src} · {} events, {} customers · as of {}</p></header><main>{body}</main><footer>Generated by retention-core's report example; every figure is computed by the core. No scripts, no network.</footer></body></html>\n",
        log.len(),
        log.customers().len(),
        from_micros(as_of).format("%Y-%m-%d %H:%M UTC"),
        src = esc(source),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{TimeZone, Utc};
    use retention_core::events::{Event, LogOptions};

    #[test]
    fn lifecycle_counts_by_hand() {
        // Customer 1 buys in January, February (twice) and April; customer 2
        // in February. Jan: 1 new. Feb: 1 returning, 2 new. Mar: both
        // dormant. Apr: 1 resurrecting. May: 1 dormant.
        let d = |m, day| Utc.with_ymd_and_hms(2024, m, day, 12, 0, 0).unwrap();
        let log = EventLog::from_events(
            &[
                Event::order(1, d(1, 10), 5.0),
                Event::order(1, d(2, 3), 5.0),
                Event::order(1, d(2, 20), 5.0),
                Event::order(2, d(2, 28), 5.0),
                Event::order(1, d(4, 1), 5.0),
            ],
            LogOptions::default(),
        )
        .unwrap();
        let jan = 2024 * 12;
        let got = lifecycle_counts(&OrderDays::from_log(&log), jan, jan + 4);
        let want = [
            [1, 0, 0, 0],
            [1, 1, 0, 0],
            [0, 0, 0, 2],
            [0, 0, 1, 0],
            [0, 0, 0, 1],
        ];
        assert_eq!(got.values().copied().collect::<Vec<_>>(), want);
    }

    #[test]
    fn mean_rows_weight_by_cohort_size() {
        // Two January customers (one returns in February), one February
        // customer who returns in March: as of April 1, age 1 has 2 of 3
        // retained (weighted 2/3), cell rates 1/2 and 1/1 (simple 3/4).
        let d = |m, day| Utc.with_ymd_and_hms(2024, m, day, 12, 0, 0).unwrap();
        let log = EventLog::from_events(
            &[
                Event::order(1, d(1, 10), 5.0),
                Event::order(2, d(1, 11), 5.0),
                Event::order(1, d(2, 10), 5.0),
                Event::order(3, d(2, 12), 5.0),
                Event::order(3, d(3, 12), 5.0),
            ],
            LogOptions::default(),
        )
        .unwrap();
        let m = acquisition_cohorts(
            &log,
            Utc.with_ymd_and_hms(2024, 4, 1, 0, 0, 0).unwrap(),
            &CohortOptions::default(),
        )
        .unwrap();
        let means = mean_rows(&m);
        let (w, lo, hi) = means.weighted[1].unwrap();
        assert!((w - 2.0 / 3.0).abs() < 1e-12);
        assert_eq!((lo, hi), wilson(2.0, 3.0, Z95));
        assert!((means.simple[1].unwrap() - 0.75).abs() < 1e-12);
    }

    #[test]
    fn wilson_matches_a_hand_computed_interval() {
        // x = 8, n = 10, z = 1.96: p̂ = 0.8, centre 0.8 + 0.19208 = 0.99208,
        // half 1.96·sqrt(0.016 + 0.009604) = 0.313624, denominator 1.38416:
        // (0.490157, 0.943319), the textbook 95 % interval of 8/10.
        let (lo, hi) = wilson(8.0, 10.0, 1.96);
        assert!((lo - 0.490_157).abs() < 1e-5, "{lo}");
        assert!((hi - 0.943_319).abs() < 1e-5, "{hi}");
    }
}
