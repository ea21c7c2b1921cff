//! Inline SVG charts for the HTML report, written by hand.
//!
//! Why hand-written SVG rather than a plotting crate such as `plotters`: the
//! report needs seven simple chart kinds (heatmap, lines with a band, stacked
//! bars, waterfall, step curve, bars), all of which are rectangles, paths and
//! text on two linear axes. A few hundred lines of string building give
//! output that is deterministic (the same data give the same bytes, so the
//! page diffs cleanly), carries no fonts or scripts, keeps every mark an SVG
//! element the test can find in the DOM (`class="mark"`), and adds no
//! dependency to the core's build (an example's dependencies are the core's
//! dev-dependencies, compiled by every `cargo test`). `plotters` would bring
//! its font and backend stack for the same pictures.
//!
//! Every chart returns a complete `<svg>` element with a `viewBox`, so it
//! scales with the page. Marks (cells, bars, lines, points) carry
//! `class="mark"` and a `<title>` with the exact value for hover.

use std::fmt::Write as _;

/// Chart width and height in SVG user units.
pub const W: f64 = 560.0;
/// Chart height.
pub const H: f64 = 300.0;
const LEFT: f64 = 56.0;
const RIGHT: f64 = 14.0;
const TOP: f64 = 14.0;
const BOTTOM: f64 = 40.0;

/// Escapes text for SVG/HTML content and attributes.
pub fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A linear map from a data interval onto a pixel interval.
#[derive(Clone, Copy)]
struct Scale {
    d0: f64,
    d1: f64,
    p0: f64,
    p1: f64,
}

impl Scale {
    fn new(d0: f64, d1: f64, p0: f64, p1: f64) -> Self {
        let d1 = if d1 == d0 { d0 + 1.0 } else { d1 };
        Scale { d0, d1, p0, p1 }
    }
    fn at(&self, v: f64) -> f64 {
        self.p0 + (v - self.d0) / (self.d1 - self.d0) * (self.p1 - self.p0)
    }
}

/// "Nice" tick values covering `[lo, hi]` (about five).
fn ticks(lo: f64, hi: f64) -> Vec<f64> {
    let span = (hi - lo).abs().max(1e-9);
    let raw = span / 5.0;
    let mag = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 2.5, 5.0, 10.0]
        .iter()
        .map(|m| m * mag)
        .find(|s| span / s <= 6.0)
        .unwrap_or(10.0 * mag);
    let mut t = (lo / step).ceil() * step;
    let mut out = Vec::new();
    while t <= hi + step * 1e-9 && out.len() < 20 {
        out.push(if t.abs() < step * 1e-9 { 0.0 } else { t });
        t += step;
    }
    out
}

/// Formats a tick or value compactly.
pub fn short(v: f64) -> String {
    let a = v.abs();
    if a >= 1e6 {
        format!("{:.1}M", v / 1e6)
    } else if a >= 1e4 {
        format!("{:.0}k", v / 1e3)
    } else if a >= 100.0 || v.fract() == 0.0 {
        format!("{v:.0}")
    } else {
        format!("{v:.2}")
    }
}

fn open(out: &mut String, w: f64, h: f64, label: &str) {
    let _ = write!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" role="img" aria-label="{}">"#,
        esc(label)
    );
}

/// Axes with a y grid; `fmt` formats the y ticks.
fn axes(out: &mut String, y: Scale, ylo: f64, yhi: f64, fmt: &dyn Fn(f64) -> String) {
    for t in ticks(ylo, yhi) {
        let py = y.at(t);
        let _ = write!(
            out,
            r##"<line x1="{LEFT}" x2="{}" y1="{py:.1}" y2="{py:.1}" stroke="#e3e6ea"/><text x="{}" y="{:.1}" class="tick" text-anchor="end">{}</text>"##,
            W - RIGHT,
            LEFT - 6.0,
            py + 3.5,
            esc(&fmt(t))
        );
    }
    let _ = write!(
        out,
        r##"<line x1="{LEFT}" x2="{LEFT}" y1="{TOP}" y2="{}" stroke="#8a929b"/>"##,
        H - BOTTOM
    );
}

fn x_label(out: &mut String, text: &str) {
    let _ = write!(
        out,
        r#"<text x="{:.1}" y="{}" class="axis" text-anchor="middle">{}</text>"#,
        (LEFT + W - RIGHT) / 2.0,
        H - 4.0,
        esc(text)
    );
}

/// Colour of a share in `[0, 1]` on a white-to-teal ramp.
pub fn ramp(v: f64) -> String {
    let v = v.clamp(0.0, 1.0).sqrt();
    let (r, g, b) = (
        247.0 + (8.0 - 247.0) * v,
        251.0 + (104.0 - 251.0) * v,
        255.0 + (172.0 - 255.0) * v,
    );
    format!("rgb({r:.0},{g:.0},{b:.0})")
}

/// One heatmap cell's content.
pub struct Cell {
    /// Value in `[0, 1]` that sets the colour, or `None` for no cell.
    pub shade: Option<f64>,
    /// Text written in the cell.
    pub text: String,
    /// Hover text.
    pub title: String,
}

/// A heatmap: rows of cells with row and column labels. `bold_rows` are
/// drawn with a dark outline (summary rows such as means).
pub fn heatmap(
    label: &str,
    row_labels: &[String],
    col_labels: &[String],
    cells: &[Vec<Cell>],
    bold_rows: &[usize],
    cell_w: f64,
    cell_h: f64,
) -> String {
    let left = 130.0;
    let top = 22.0;
    let w = left + cell_w * col_labels.len() as f64 + 8.0;
    let h = top + cell_h * row_labels.len() as f64 + 8.0;
    let mut out = String::new();
    open(&mut out, w, h, label);
    for (j, c) in col_labels.iter().enumerate() {
        let _ = write!(
            out,
            r#"<text x="{:.1}" y="{}" class="tick" text-anchor="middle">{}</text>"#,
            left + cell_w * (j as f64 + 0.5),
            top - 8.0,
            esc(c)
        );
    }
    for (i, (name, row)) in row_labels.iter().zip(cells).enumerate() {
        let y = top + cell_h * i as f64;
        let bold = bold_rows.contains(&i);
        let _ = write!(
            out,
            r#"<text x="{:.1}" y="{:.1}" class="{}" text-anchor="end">{}</text>"#,
            left - 6.0,
            y + cell_h / 2.0 + 3.5,
            if bold { "tick strong" } else { "tick" },
            esc(name)
        );
        for (j, cell) in row.iter().enumerate() {
            let Some(shade) = cell.shade else { continue };
            let x = left + cell_w * j as f64;
            let fg = if shade.clamp(0.0, 1.0).sqrt() > 0.55 {
                "#fff"
            } else {
                "#1d2733"
            };
            let _ = write!(
                out,
                r##"<g class="mark"><rect x="{x:.1}" y="{y:.1}" width="{:.1}" height="{:.1}" fill="{}" stroke="{}" stroke-width="{}"><title>{}</title></rect><text x="{:.1}" y="{:.1}" fill="{fg}" class="cell" text-anchor="middle">{}</text></g>"##,
                cell_w - 1.0,
                cell_h - 1.0,
                ramp(shade),
                if bold { "#1d2733" } else { "none" },
                if bold { 1.2 } else { 0.0 },
                esc(&cell.title),
                x + cell_w / 2.0,
                y + cell_h / 2.0 + 3.0,
                esc(&cell.text)
            );
        }
    }
    out.push_str("</svg>");
    out
}

/// One line series: points `(x, y)`, colour, stroke width, and an optional
/// band `(x, lower, upper)` drawn under it.
pub struct Series {
    /// Legend / hover name.
    pub name: String,
    /// Points.
    pub points: Vec<(f64, f64)>,
    /// Stroke colour.
    pub color: String,
    /// Stroke width.
    pub width: f64,
    /// Optional interval band.
    pub band: Vec<(f64, f64, f64)>,
    /// Draw as a step function (survival curves).
    pub step: bool,
}

/// Line chart of several series on shared axes.
pub fn lines(label: &str, series: &[Series], x_name: &str, y_max: f64, percent: bool) -> String {
    let x_max = series
        .iter()
        .flat_map(|s| s.points.iter().map(|p| p.0))
        .fold(1.0f64, f64::max);
    let x = Scale::new(0.0, x_max, LEFT, W - RIGHT);
    let y = Scale::new(0.0, y_max, H - BOTTOM, TOP);
    let mut out = String::new();
    open(&mut out, W, H, label);
    let fmt = |v: f64| {
        if percent {
            format!("{:.0}%", 100.0 * v)
        } else {
            short(v)
        }
    };
    axes(&mut out, y, 0.0, y_max, &fmt);
    for t in ticks(0.0, x_max) {
        let _ = write!(
            out,
            r#"<text x="{:.1}" y="{}" class="tick" text-anchor="middle">{}</text>"#,
            x.at(t),
            H - BOTTOM + 14.0,
            short(t)
        );
    }
    x_label(&mut out, x_name);
    let path = |pts: &mut dyn Iterator<Item = (f64, f64)>, step: bool| {
        let mut d = String::new();
        let mut last_y = None;
        for (k, (px, py)) in pts.enumerate() {
            let (sx, sy) = (x.at(px), y.at(py));
            if k == 0 {
                let _ = write!(d, "M{sx:.1},{sy:.1}");
            } else {
                if step {
                    if let Some(ly) = last_y {
                        let _ = write!(d, " L{sx:.1},{ly:.1}");
                    }
                }
                let _ = write!(d, " L{sx:.1},{sy:.1}");
            }
            last_y = Some(sy);
        }
        d
    };
    for s in series {
        if s.band.len() > 1 {
            let mut upper = s.band.iter().map(|b| (b.0, b.2));
            let mut d = path(&mut upper, s.step);
            let lower: Vec<(f64, f64)> = s.band.iter().rev().map(|b| (b.0, b.1)).collect();
            for (px, py) in lower {
                let _ = write!(d, " L{:.1},{:.1}", x.at(px), y.at(py));
            }
            let _ = write!(
                out,
                r#"<path d="{d} Z" fill="{}" fill-opacity="0.18" stroke="none"/>"#,
                s.color
            );
        }
        let d = path(&mut s.points.iter().copied(), s.step);
        let _ = write!(
            out,
            r#"<path class="mark" d="{d}" fill="none" stroke="{}" stroke-width="{}" stroke-linejoin="round"><title>{}</title></path>"#,
            s.color,
            s.width,
            esc(&s.name)
        );
    }
    out.push_str("</svg>");
    out
}

/// One bar segment of a stacked bar chart.
pub struct Stack {
    /// Series name (legend).
    pub name: String,
    /// Fill colour.
    pub color: String,
    /// One value per category; negative values stack downwards.
    pub values: Vec<f64>,
}

/// Stacked bars per category, positive values up and negative down from
/// zero, with a legend.
pub fn stacked_bars(label: &str, categories: &[String], stacks: &[Stack]) -> String {
    let n = categories.len().max(1);
    let (mut hi, mut lo) = (0.0f64, 0.0f64);
    for c in 0..n {
        let up: f64 = stacks
            .iter()
            .map(|s| s.values.get(c).copied().unwrap_or(0.0).max(0.0))
            .sum();
        let down: f64 = stacks
            .iter()
            .map(|s| s.values.get(c).copied().unwrap_or(0.0).min(0.0))
            .sum();
        hi = hi.max(up);
        lo = lo.min(down);
    }
    let y = Scale::new(lo, hi.max(1.0), H - BOTTOM, TOP + 16.0);
    let band = (W - LEFT - RIGHT) / n as f64;
    let mut out = String::new();
    open(&mut out, W, H, label);
    axes(&mut out, y, lo, hi.max(1.0), &short);
    for (c, category) in categories.iter().enumerate() {
        let x0 = LEFT + band * c as f64 + band * 0.12;
        let bw = band * 0.76;
        let (mut up, mut down) = (0.0, 0.0);
        for s in stacks {
            let v = s.values.get(c).copied().unwrap_or(0.0);
            if v == 0.0 {
                continue;
            }
            let (a, b) = if v > 0.0 {
                up += v;
                (up - v, up)
            } else {
                down += v;
                (down - v, down)
            };
            let (ya, yb) = (y.at(a), y.at(b));
            let _ = write!(
                out,
                r#"<rect class="mark" x="{x0:.1}" y="{:.1}" width="{bw:.1}" height="{:.1}" fill="{}"><title>{} {}: {}</title></rect>"#,
                ya.min(yb),
                (ya - yb).abs(),
                s.color,
                esc(category),
                esc(&s.name),
                short(v)
            );
        }
    }
    let every = n.div_ceil(8);
    for (c, name) in categories.iter().enumerate() {
        if c % every == 0 {
            let _ = write!(
                out,
                r#"<text x="{:.1}" y="{}" class="tick" text-anchor="middle">{}</text>"#,
                LEFT + band * (c as f64 + 0.5),
                H - BOTTOM + 14.0,
                esc(name)
            );
        }
    }
    let _ = write!(
        out,
        r##"<line x1="{LEFT}" x2="{}" y1="{:.1}" y2="{:.1}" stroke="#1d2733"/>"##,
        W - RIGHT,
        y.at(0.0),
        y.at(0.0)
    );
    let mut lx = LEFT + 4.0;
    for s in stacks {
        let _ = write!(
            out,
            r#"<rect x="{lx:.1}" y="{}" width="10" height="10" fill="{}"/><text x="{:.1}" y="{}" class="tick">{}</text>"#,
            TOP - 2.0,
            s.color,
            lx + 14.0,
            TOP + 7.0,
            esc(&s.name)
        );
        lx += 24.0 + 6.5 * s.name.len() as f64;
    }
    out.push_str("</svg>");
    out
}

/// One step of a waterfall: a total (drawn from zero) or a change (drawn
/// from the running level).
pub enum Step {
    /// A level drawn from zero.
    Total(String, f64),
    /// A signed change from the running level.
    Change(String, f64),
}

/// A waterfall chart: totals from zero, changes floating from the running
/// level (green up, red down), with connectors.
pub fn waterfall(label: &str, steps: &[Step]) -> String {
    let mut level = 0.0;
    let mut spans = Vec::new();
    for s in steps {
        match s {
            Step::Total(name, v) => {
                level = *v;
                spans.push((name.as_str(), 0.0, *v, "#34495e"));
            }
            Step::Change(name, d) => {
                let c = if *d >= 0.0 { "#2e9d5b" } else { "#d0473c" };
                spans.push((name.as_str(), level, level + d, c));
                level += d;
            }
        }
    }
    let hi = spans.iter().map(|s| s.1.max(s.2)).fold(1.0f64, f64::max);
    let lo = spans.iter().map(|s| s.1.min(s.2)).fold(0.0f64, f64::min);
    let y = Scale::new(lo, hi * 1.05, H - BOTTOM, TOP);
    let n = spans.len().max(1);
    let band = (W - LEFT - RIGHT) / n as f64;
    let mut out = String::new();
    open(&mut out, W, H, label);
    axes(&mut out, y, lo, hi * 1.05, &short);
    for (i, (name, a, b, color)) in spans.iter().enumerate() {
        let x0 = LEFT + band * i as f64 + band * 0.15;
        let bw = band * 0.7;
        let (ya, yb) = (y.at(*a), y.at(*b));
        let _ = write!(
            out,
            r#"<rect class="mark" x="{x0:.1}" y="{:.1}" width="{bw:.1}" height="{:.1}" fill="{color}"><title>{}: {:.2}</title></rect>"#,
            ya.min(yb),
            (ya - yb).abs().max(1.0),
            esc(name),
            b - a
        );
        let _ = write!(
            out,
            r#"<text x="{:.1}" y="{:.1}" class="tick" text-anchor="middle">{}</text>"#,
            x0 + bw / 2.0,
            ya.min(yb) - 4.0,
            short(b - a)
        );
        if i + 1 < n {
            let _ = write!(
                out,
                r##"<line x1="{:.1}" x2="{:.1}" y1="{yb:.1}" y2="{yb:.1}" stroke="#8a929b" stroke-dasharray="3,2"/>"##,
                x0 + bw,
                x0 + band
            );
        }
        let _ = write!(
            out,
            r#"<text x="{:.1}" y="{}" class="tick" text-anchor="middle">{}</text>"#,
            x0 + bw / 2.0,
            H - BOTTOM + 14.0,
            esc(name)
        );
    }
    out.push_str("</svg>");
    out
}

/// Plain vertical bars, one colour each, value labels on top.
pub fn bars(label: &str, items: &[(String, f64, String)]) -> String {
    let hi = items.iter().map(|i| i.1).fold(1.0f64, f64::max) * 1.1;
    let y = Scale::new(0.0, hi, H - BOTTOM, TOP);
    let n = items.len().max(1);
    let band = (W - LEFT - RIGHT) / n as f64;
    let mut out = String::new();
    open(&mut out, W, H, label);
    axes(&mut out, y, 0.0, hi, &short);
    for (i, (name, v, color)) in items.iter().enumerate() {
        let x0 = LEFT + band * i as f64 + band * 0.2;
        let bw = band * 0.6;
        let (y0, y1) = (y.at(0.0), y.at(*v));
        let _ = write!(
            out,
            r#"<rect class="mark" x="{x0:.1}" y="{y1:.1}" width="{bw:.1}" height="{:.1}" fill="{color}"><title>{}: {}</title></rect><text x="{:.1}" y="{:.1}" class="tick" text-anchor="middle">{}</text><text x="{:.1}" y="{}" class="tick" text-anchor="middle">{}</text>"#,
            (y0 - y1).max(0.5),
            esc(name),
            short(*v),
            x0 + bw / 2.0,
            y1 - 4.0,
            short(*v),
            x0 + bw / 2.0,
            H - BOTTOM + 14.0,
            esc(name)
        );
    }
    out.push_str("</svg>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticks_cover_the_range_with_round_steps() {
        let t = ticks(0.0, 1.0);
        assert_eq!(t.len(), 6);
        assert!((t[1] - 0.2).abs() < 1e-12 && (t[5] - 1.0).abs() < 1e-12);
        assert_eq!(ticks(0.0, 100.0), vec![0.0, 20.0, 40.0, 60.0, 80.0, 100.0]);
    }

    #[test]
    fn escapes_markup() {
        assert_eq!(esc("a<b & \"c\">"), "a&lt;b &amp; &quot;c&quot;&gt;");
    }
}
