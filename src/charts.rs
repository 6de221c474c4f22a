//! Chart option builders: pure functions from aggregates to charming
//! (ECharts) options, tested natively as JSON.

use charming::component::{Axis, Grid, Legend};
use charming::element::{
    AxisLabel, AxisType, Label, LabelPosition, SplitLine, TextStyle, Tooltip, Trigger,
};
use charming::series::{Bar, Line, Pie, Scatter};
use charming::Chart;

use crate::aggregate::{AuthorPoint, EmojiPoint};

/// Colours of the page theme the charts follow.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Theme {
    Light,
    Dark,
}

impl Theme {
    pub fn text_color(self) -> &'static str {
        match self {
            Theme::Light => "#1f2937",
            Theme::Dark => "#e5e7eb",
        }
    }

    fn grid_color(self) -> &'static str {
        match self {
            Theme::Light => "#e5e7eb",
            Theme::Dark => "#1f2937",
        }
    }
}

/// Hugging Face orange, for single-series charts.
const ACCENT: &str = "#ff9d00";

fn base() -> Chart {
    // No tweening: every filter change redraws ten charts, and animating
    // them would keep the main thread busy for a second after each one.
    Chart::new()
        .animation(false)
        .background_color("transparent")
        .color(
            [
                ACCENT, "#6366f1", "#10b981", "#ef4444", "#0ea5e9", "#a855f7",
            ]
            .into_iter()
            .map(charming::element::Color::from)
            .collect::<Vec<_>>(),
        )
}

fn value_axis(theme: Theme) -> Axis {
    Axis::new()
        .type_(AxisType::Value)
        .axis_label(AxisLabel::new().color(theme.text_color()))
        .split_line(
            SplitLine::new()
                .line_style(charming::element::LineStyle::new().color(theme.grid_color())),
        )
}

fn category_axis(labels: Vec<String>, theme: Theme) -> Axis {
    Axis::new()
        .type_(AxisType::Category)
        .data(labels)
        .axis_label(AxisLabel::new().color(theme.text_color()))
}

/// Spaces created per month (bars) and the running total (line).
pub fn growth(months: &[(String, u64)], theme: Theme) -> Chart {
    let labels: Vec<String> = months.iter().map(|(m, _)| m.clone()).collect();
    let per_month: Vec<f64> = months.iter().map(|(_, n)| *n as f64).collect();
    let mut running = 0.0;
    let cumulative: Vec<f64> = per_month
        .iter()
        .map(|n| {
            running += n;
            running
        })
        .collect();
    base()
        .tooltip(Tooltip::new().trigger(Trigger::Axis))
        .legend(
            Legend::new()
                .top(0)
                .text_style(TextStyle::new().color(theme.text_color())),
        )
        .grid(Grid::new().left(56).right(64).top(56).bottom(28))
        .x_axis(category_axis(labels, theme))
        .y_axis(value_axis(theme).name("per month"))
        .y_axis(
            value_axis(theme)
                .name("total")
                .split_line(SplitLine::new().show(false)),
        )
        .series(Bar::new().name("Created that month").data(per_month))
        .series(
            Line::new()
                .name("Total Spaces")
                .y_axis_index(1)
                .show_symbol(false)
                .data(cumulative),
        )
}

/// Spaces by SDK as a ring chart.
pub fn sdk_pie(sdk: &[(String, u64)], theme: Theme) -> Chart {
    let data: Vec<(f64, String)> = sdk
        .iter()
        .map(|(name, n)| (*n as f64, name.clone()))
        .collect();
    base()
        .tooltip(
            Tooltip::new()
                .trigger(Trigger::Item)
                .formatter("{b}: {c} Spaces ({d}%)"),
        )
        .legend(
            Legend::new()
                .bottom(0)
                .text_style(TextStyle::new().color(theme.text_color())),
        )
        .series(
            Pie::new()
                .name("Spaces by SDK")
                .radius(vec!["38%", "68%"])
                .center(vec!["50%", "45%"])
                // Inside labels never collide or get cut in a narrow card;
                // the legend names the slices.
                .label(
                    Label::new()
                        .position(LabelPosition::Inside)
                        .color("#111827")
                        .formatter("{d}%"),
                )
                .data(data),
        )
}

/// How a bar chart lays out its categories.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BarStyle {
    /// Bars grow to the right with labels on the left (long Hub ids).
    pub horizontal: bool,
    /// A log-scale value axis (hardware: cpu-basic dwarfs the GPUs).
    pub log: bool,
    /// Category labels are emoji: draw them large.
    pub emoji: bool,
}

/// One bar per label, in the order given (most first).
pub fn bars(ranked: &[(String, u64)], series: &str, style: BarStyle, theme: Theme) -> Chart {
    // Long Hub ids would squeeze the bars: shorten them on the axis (the
    // tooltip and the data table keep them whole).
    let labels: Vec<String> = ranked
        .iter()
        .map(|(l, _)| {
            if style.horizontal {
                crate::source::shorten(l, 30)
            } else {
                l.clone()
            }
        })
        .collect();
    let values: Vec<f64> = ranked.iter().map(|(_, n)| *n as f64).collect();
    let mut values_axis = value_axis(theme);
    if style.log {
        values_axis = values_axis.type_(AxisType::Log).log_base(10.0);
    }
    let mut labels_axis = category_axis(labels, theme);
    if style.emoji {
        labels_axis = labels_axis.axis_label(AxisLabel::new().font_size(26).interval(0.0));
    }
    let chart = base()
        .tooltip(Tooltip::new().trigger(Trigger::Axis))
        .series(Bar::new().name(series).data(values).bar_width("60%"));
    if style.horizontal {
        // Most first at the top: a category y axis runs bottom-up, so invert it.
        chart
            .grid(
                Grid::new()
                    .left(8)
                    .right(24)
                    .top(8)
                    .bottom(24)
                    .contain_label(true),
            )
            .x_axis(values_axis)
            .y_axis(
                labels_axis
                    .inverse(true)
                    .axis_label(AxisLabel::new().color(theme.text_color())),
            )
    } else {
        chart
            .grid(
                Grid::new()
                    .left(8)
                    .right(16)
                    .top(16)
                    .bottom(8)
                    .contain_label(true),
            )
            .x_axis(labels_axis)
            .y_axis(values_axis)
    }
}

/// A scatter of named points (x = Spaces, y = likes) with item tooltips.
fn named_scatter(points: Vec<(Vec<f64>, String)>, series: Scatter, theme: Theme) -> Chart {
    base()
        .tooltip(
            Tooltip::new()
                .trigger(Trigger::Item)
                .formatter("{b}<br/>Spaces, likes: {c}"),
        )
        .grid(
            Grid::new()
                .left(8)
                .right(32)
                .top(32)
                .bottom(8)
                .contain_label(true),
        )
        .x_axis(value_axis(theme).name("Spaces"))
        .y_axis(value_axis(theme).name("Likes"))
        .series(series.data(points))
}

/// Authors: Spaces (x) against total likes (y), one point per author.
pub fn author_scatter(points: &[AuthorPoint], theme: Theme) -> Chart {
    let data = points
        .iter()
        .map(|p| (vec![p.spaces as f64, p.likes as f64], p.author.clone()))
        .collect();
    named_scatter(data, Scatter::new().name("Authors").symbol_size(7), theme)
}

/// Emoji: Spaces (x) against likes (y), each point drawn as its emoji.
pub fn emoji_scatter(points: &[EmojiPoint], theme: Theme) -> Chart {
    let data = points
        .iter()
        .map(|p| (vec![p.spaces as f64, p.likes as f64], p.emoji.clone()))
        .collect();
    let series = Scatter::new().name("Emoji").symbol_size(4).label(
        Label::new()
            .show(true)
            .formatter("{b}")
            .font_size(24)
            .position(LabelPosition::Inside),
    );
    named_scatter(data, series, theme)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

    fn json(chart: &Chart) -> Value {
        serde_json::from_str(&chart.to_string()).expect("chart options are JSON")
    }

    /// charming writes one axis as an object and several as an array.
    fn axis<'a>(option: &'a Value, key: &str, index: usize) -> &'a Value {
        match &option[key] {
            Value::Array(axes) => &axes[index],
            single => single,
        }
    }

    #[test]
    fn growth_adds_a_running_total() {
        let months = vec![
            ("2024-01".to_string(), 3),
            ("2024-02".to_string(), 0),
            ("2024-03".to_string(), 5),
        ];
        let option = json(&growth(&months, Theme::Light));
        assert_eq!(
            axis(&option, "xAxis", 0)["data"],
            serde_json::json!(["2024-01", "2024-02", "2024-03"])
        );
        assert_eq!(
            option["series"][0]["data"],
            serde_json::json!([3.0, 0.0, 5.0])
        );
        assert_eq!(
            option["series"][1]["data"],
            serde_json::json!([3.0, 3.0, 8.0])
        );
        assert_eq!(option["series"][1]["yAxisIndex"], 1.0);
    }

    #[test]
    fn pie_keeps_names_and_counts() {
        let option = json(&sdk_pie(
            &[("gradio".into(), 7), ("docker".into(), 2)],
            Theme::Dark,
        ));
        assert_eq!(option["series"][0]["type"], "pie");
        assert_eq!(option["series"][0]["data"][0]["name"], "gradio");
        assert_eq!(option["series"][0]["data"][0]["value"], 7.0);
    }

    #[test]
    fn log_bars_use_a_log_axis_and_horizontal_bars_invert() {
        let ranked = vec![("cpu-basic".to_string(), 900), ("t4-small".to_string(), 3)];
        let style = BarStyle {
            horizontal: false,
            log: true,
            emoji: false,
        };
        let option = json(&bars(&ranked, "Spaces", style, Theme::Light));
        assert_eq!(axis(&option, "yAxis", 0)["type"], "log");
        assert_eq!(
            axis(&option, "xAxis", 0)["data"],
            serde_json::json!(["cpu-basic", "t4-small"])
        );
        let style = BarStyle {
            horizontal: true,
            log: false,
            emoji: false,
        };
        let option = json(&bars(&ranked, "Spaces", style, Theme::Light));
        assert_eq!(axis(&option, "yAxis", 0)["inverse"], true);
        assert_eq!(option["series"][0]["data"], serde_json::json!([900.0, 3.0]));
    }

    #[test]
    fn scatter_points_carry_their_names() {
        let points = vec![EmojiPoint {
            emoji: "🚀".into(),
            spaces: 10,
            likes: 99,
        }];
        let option = json(&emoji_scatter(&points, Theme::Light));
        assert_eq!(option["series"][0]["data"][0]["name"], "🚀");
        assert_eq!(
            option["series"][0]["data"][0]["value"],
            serde_json::json!([10.0, 99.0])
        );
    }
}
