//! Gantt chart as SVG, drawn with plotters' SVG backend (text stays `<text>`, so Chinese labels
//! need no font files). Pure: rows and bars in, SVG text out.

use chrono::{DateTime, Datelike, Duration, Timelike, Utc};
use chrono_tz::Tz;
use plotters::{
    prelude::*,
    style::text_anchor::{HPos, Pos, VPos},
};

/// Day: an hour is 48 px wide; week: 8 px.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Zoom {
    Day,
    Week,
}

impl Zoom {
    fn px_per_hour(self) -> f64 {
        match self {
            Zoom::Day => 48.0,
            Zoom::Week => 8.0,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Bar {
    pub start: DateTime<Utc>,
    /// End of setup (drawn lighter before it).
    pub setup_end: DateTime<Utc>,
    pub end: DateTime<Utc>,
    /// Colours bars: the same order, the same colour.
    pub order_id: i64,
    pub label: String,
    pub late: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub label: String,
    pub bars: Vec<Bar>,
    /// Non-working time (shaded).
    pub off: Vec<(DateTime<Utc>, DateTime<Utc>)>,
    /// Maintenance and breakdowns (grey, hatched).
    pub blocked: Vec<(DateTime<Utc>, DateTime<Utc>)>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Chart {
    pub title: String,
    pub from: DateTime<Utc>,
    pub to: DateTime<Utc>,
    pub now: DateTime<Utc>,
    pub zoom: Zoom,
    pub tz: Tz,
    pub rows: Vec<Row>,
    /// Orders in view with their colour key (number; late).
    pub legend: Vec<(i64, String, bool)>,
}

const LABEL_WIDTH: i32 = 160;
const HEADER: i32 = 48;
const ROW: i32 = 28;
const MAX_WIDTH: i32 = 16_000;
const LEGEND_LINE: i32 = 18;
const LATE: RGBColor = RGBColor(211, 47, 47);
const OFF: RGBColor = RGBColor(236, 239, 241);
const BLOCKED: RGBColor = RGBColor(158, 158, 158);
const GRID: RGBColor = RGBColor(207, 216, 220);
const TEXT: RGBColor = RGBColor(33, 33, 33);

/// A stable, distinct colour per order (golden-ratio hues; never red, which means late).
fn order_colour(order_id: i64) -> HSLColor {
    let hue = (order_id as f64 * 0.618_033_988_75).fract();
    // Keep clear of red (hue 0 and 1) so late orders stand out.
    let hue = 0.08 + hue * 0.8;
    HSLColor(hue, 0.55, 0.55)
}

fn font(size: u32, colour: &RGBColor) -> TextStyle<'static> {
    ("sans-serif", size).into_font().color(colour)
}

/// The chart as an SVG document.
pub fn render(chart: &Chart) -> String {
    let hours = (chart.to - chart.from).num_minutes() as f64 / 60.0;
    let width = (LABEL_WIDTH as f64 + hours * chart.zoom.px_per_hour())
        .ceil()
        .clamp(400.0, MAX_WIDTH as f64) as i32;
    let legend_lines = legend_layout(chart, width).last().map_or(0, |l| l.2 + 1);
    let height = HEADER + ROW * chart.rows.len().max(1) as i32 + 8 + legend_lines * LEGEND_LINE;
    let mut svg = String::new();
    {
        let root =
            SVGBackend::with_string(&mut svg, (width as u32, height as u32)).into_drawing_area();
        // Drawing into a String cannot fail; an error would only mean an empty chart.
        let _ = draw(&root, chart, width, height);
        let _ = root.present();
    }
    svg
}

/// Where each legend entry goes: (entry index, x, line).
fn legend_layout(chart: &Chart, width: i32) -> Vec<(usize, i32, i32)> {
    let mut out = Vec::new();
    let (mut x, mut line) = (8, 0);
    for (i, (_, label, _)) in chart.legend.iter().enumerate() {
        let w = 20 + 7 * label.chars().count() as i32 + 12;
        if x + w > width && x > 8 {
            x = 8;
            line += 1;
        }
        out.push((i, x, line));
        x += w;
    }
    out
}

fn draw<DB: DrawingBackend>(
    root: &DrawingArea<DB, plotters::coord::Shift>,
    chart: &Chart,
    width: i32,
    height: i32,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    root.fill(&WHITE)?;
    let span = (chart.to - chart.from).num_seconds().max(1) as f64;
    let x_of = |t: DateTime<Utc>| -> i32 {
        let f = (t - chart.from).num_seconds() as f64 / span;
        LABEL_WIDTH + (f.clamp(0.0, 1.0) * f64::from(width - LABEL_WIDTH)).round() as i32
    };
    let visible = |a: DateTime<Utc>, b: DateTime<Utc>| b > chart.from && a < chart.to;

    root.draw(&Text::new(
        chart.title.clone(),
        (8, 6),
        font(14, &TEXT).pos(Pos::new(HPos::Left, VPos::Top)),
    ))?;

    // Time axis: hours (day zoom) or days (week zoom), in plant time.
    let step = match chart.zoom {
        Zoom::Day => Duration::hours(1),
        Zoom::Week => Duration::hours(6),
    };
    let local_from = chart.from.with_timezone(&chart.tz);
    let mut tick = chart.from
        - Duration::minutes(i64::from(local_from.minute()))
        - Duration::seconds(i64::from(local_from.second()));
    while tick <= chart.to {
        if tick >= chart.from {
            let local = tick.with_timezone(&chart.tz);
            let x = x_of(tick);
            let midnight = local.hour() == 0;
            let major = match chart.zoom {
                Zoom::Day => local.hour().is_multiple_of(2),
                Zoom::Week => midnight,
            };
            root.draw(&PathElement::new(
                vec![(x, HEADER - if major { 12 } else { 6 }), (x, height)],
                GRID.stroke_width(1),
            ))?;
            if major {
                let label = match chart.zoom {
                    Zoom::Day if midnight => local.format("%m-%d").to_string(),
                    Zoom::Day => local.format("%H:%M").to_string(),
                    Zoom::Week => {
                        format!("{} {}", local.format("%m-%d"), weekday_zh(local.weekday()))
                    }
                };
                root.draw(&Text::new(
                    label,
                    (x + 2, HEADER - 26),
                    font(11, &TEXT).pos(Pos::new(HPos::Left, VPos::Top)),
                ))?;
            }
        }
        tick += step;
    }

    for (i, row) in chart.rows.iter().enumerate() {
        let top = HEADER + ROW * i as i32;
        let bottom = top + ROW;
        for &(a, b) in row.off.iter().filter(|(a, b)| visible(*a, *b)) {
            root.draw(&Rectangle::new(
                [(x_of(a), top), (x_of(b), bottom)],
                OFF.filled(),
            ))?;
        }
        for &(a, b) in row.blocked.iter().filter(|(a, b)| visible(*a, *b)) {
            let (x0, x1) = (x_of(a), x_of(b));
            root.draw(&Rectangle::new(
                [(x0, top + 2), (x1, bottom - 2)],
                BLOCKED.filled(),
            ))?;
            // Hatching: diagonal strokes every 8 px, clipped to the block.
            let mut x = x0 - ROW;
            while x < x1 {
                let (sx, sy) = (x.max(x0), top + 2 + (x.max(x0) - x));
                let (ex, ey) = ((x + ROW).min(x1), top + 2 + ((x + ROW).min(x1) - x));
                if sx < ex {
                    root.draw(&PathElement::new(
                        vec![(sx, sy.min(bottom - 2)), (ex, ey.min(bottom - 2))],
                        WHITE.stroke_width(1),
                    ))?;
                }
                x += 8;
            }
        }
        for bar in row.bars.iter().filter(|b| visible(b.start, b.end)) {
            let colour = if bar.late {
                LATE.to_rgba()
            } else {
                order_colour(bar.order_id).to_rgba()
            };
            let (x0, xs, x1) = (
                x_of(bar.start),
                x_of(bar.setup_end),
                x_of(bar.end).max(x_of(bar.start) + 1),
            );
            if xs > x0 {
                root.draw(&Rectangle::new(
                    [(x0, top + 5), (xs, bottom - 5)],
                    colour.mix(0.45).filled(),
                ))?;
            }
            root.draw(&Rectangle::new(
                [(xs, top + 4), (x1, bottom - 4)],
                colour.filled(),
            ))?;
            root.draw(&Rectangle::new(
                [(x0, top + 4), (x1, bottom - 4)],
                WHITE.stroke_width(1),
            ))?;
            if x1 - x0 >= 8 * bar.label.chars().count() as i32 {
                root.draw(&Text::new(
                    bar.label.clone(),
                    (x0 + 3, top + ROW / 2),
                    font(10, &WHITE).pos(Pos::new(HPos::Left, VPos::Center)),
                ))?;
            }
        }
        root.draw(&PathElement::new(
            vec![(0, bottom), (width, bottom)],
            GRID.stroke_width(1),
        ))?;
        root.draw(&Rectangle::new(
            [(0, top), (LABEL_WIDTH, bottom)],
            WHITE.filled(),
        ))?;
        root.draw(&Text::new(
            row.label.clone(),
            (6, top + ROW / 2),
            font(12, &TEXT).pos(Pos::new(HPos::Left, VPos::Center)),
        ))?;
    }
    let legend_top = HEADER + ROW * chart.rows.len().max(1) as i32 + 8;
    for (i, x, line) in legend_layout(chart, width) {
        let (order_id, label, late) = &chart.legend[i];
        let y = legend_top + line * LEGEND_LINE;
        let colour = if *late {
            LATE.to_rgba()
        } else {
            order_colour(*order_id).to_rgba()
        };
        root.draw(&Rectangle::new(
            [(x, y + 3), (x + 12, y + 15)],
            colour.filled(),
        ))?;
        root.draw(&Text::new(
            label.clone(),
            (x + 16, y + 9),
            font(11, &TEXT).pos(Pos::new(HPos::Left, VPos::Center)),
        ))?;
    }
    if chart.now >= chart.from && chart.now <= chart.to {
        let x = x_of(chart.now);
        root.draw(&PathElement::new(
            vec![(x, HEADER - 4), (x, height)],
            LATE.stroke_width(2),
        ))?;
    }
    Ok(())
}

fn weekday_zh(d: chrono::Weekday) -> &'static str {
    match d {
        chrono::Weekday::Mon => "周一",
        chrono::Weekday::Tue => "周二",
        chrono::Weekday::Wed => "周三",
        chrono::Weekday::Thu => "周四",
        chrono::Weekday::Fri => "周五",
        chrono::Weekday::Sat => "周六",
        chrono::Weekday::Sun => "周日",
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    #[test]
    fn renders_bars_labels_blocks_and_the_now_line() {
        let t = |h: i64| {
            Utc.with_ymd_and_hms(2026, 12, 7, 0, 0, 0).unwrap() + chrono::Duration::hours(h)
        };
        let chart = Chart {
            title: "排程 V3 · 按设备".into(),
            from: t(0),
            to: t(24),
            now: t(9),
            zoom: Zoom::Day,
            tz: chrono_tz::Asia::Shanghai,
            rows: vec![Row {
                label: "CNC-01 数控车床".into(),
                bars: vec![Bar {
                    start: t(8),
                    setup_end: t(9),
                    end: t(12),
                    order_id: 42,
                    label: "WO-000042".into(),
                    late: true,
                }],
                off: vec![(t(0), t(6))],
                blocked: vec![(t(14), t(16))],
            }],
            legend: vec![(42, "WO-000042".into(), true)],
        };
        let svg = render(&chart);
        assert!(svg.starts_with("<svg"), "{svg}");
        assert!(svg.trim_end().ends_with("</svg>"));
        assert!(svg.contains("WO-000042"));
        assert!(svg.contains("CNC-01 数控车床"));
        assert!(svg.contains("排程 V3"));
        // The late bar is red.
        assert!(svg.contains("#D32F2F") || svg.contains("#d32f2f"), "{svg}");
    }
}
