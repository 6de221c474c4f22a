//! Chart option builders: pure functions from aggregates to ECharts
//! options, tested natively as JSON. charming builds most of each option;
//! the few settings it lacks (per-item styles, percent precision, label
//! overlap, tooltip dimensions) are set on the JSON afterwards.

use charming::component::{Axis, Grid, Legend};
use charming::element::{
    AxisLabel, AxisLine, AxisTick, AxisType, Label, LabelPosition, SplitLine, TextStyle, Tooltip,
    Trigger,
};
use charming::series::{Bar, Line, Pie, Scatter};
use charming::Chart;
use serde_json::{json, Value};

use crate::overview::aggregate::{AuthorPoint, EmojiPoint};

/// A complete ECharts option. The page hands it to `setOption` with
/// `notMerge`, so each one replaces the last instead of merging into it.
pub type ChartOption = Value;

/// Colours of the page theme the charts follow.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Theme {
    Light,
    Dark,
}

impl Theme {
    /// The theme for the page's colour scheme.
    pub fn of_scheme(dark: bool) -> Self {
        if dark {
            Theme::Dark
        } else {
            Theme::Light
        }
    }

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

/// How much unselected items fade while some are selected.
const FADED: f64 = 0.3;

/// Colours for categories without a colour of their own, picked by name so
/// a category keeps its colour whatever else is shown.
const PALETTE: [&str; 6] = [
    "#6366f1", "#a855f7", "#0ea5e9", "#f59e0b", "#14b8a6", "#64748b",
];

/// A category's colour: the four SDKs have fixed ones; any other name
/// hashes into [`PALETTE`].
pub fn category_color(name: &str) -> &'static str {
    match name {
        "gradio" => ACCENT,
        "docker" => "#2563eb",
        "streamlit" => "#ef4444",
        "static" => "#10b981",
        _ => {
            // FNV-1a: stable across builds and platforms, unlike std's hasher.
            let hash = name.bytes().fold(0x811c_9dc5u32, |h, b| {
                (h ^ u32::from(b)).wrapping_mul(0x0100_0193)
            });
            PALETTE[hash as usize % PALETTE.len()]
        }
    }
}

fn base() -> Chart {
    // No tweening: every filter change redraws ten charts, and animating
    // them would keep the main thread busy for a second after each one.
    Chart::new()
        .animation(false)
        .background_color("transparent")
}

fn to_json(chart: Chart) -> Value {
    let mut option: Value = serde_json::from_str(&chart.to_string()).expect("charming writes JSON");
    // Legend clicks would hide a series and change what the chart says
    // without a filter chip or the URL knowing: legends only name things.
    if let Some(legend) = option.get_mut("legend") {
        for legend in as_list(legend) {
            legend["selectedMode"] = json!(false);
        }
    }
    option
}

/// One object or each object of an array (charming writes a single axis or
/// legend as an object, several as an array).
fn as_list(value: &mut Value) -> Vec<&mut Value> {
    match value {
        Value::Array(items) => items.iter_mut().collect(),
        single => vec![single],
    }
}

fn value_axis(theme: Theme) -> Axis {
    Axis::new()
        .type_(AxisType::Value)
        // Counts are whole: no ticks at 0.5 or 1.5.
        .min_interval(1.0)
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

/// Axis labels that would overlap are hidden rather than drawn over each
/// other ("1,2001,500").
fn hide_overlapping_labels(option: &mut Value) {
    for key in ["xAxis", "yAxis"] {
        if let Some(axes) = option.get_mut(key) {
            for axis in as_list(axes) {
                axis["axisLabel"]["hideOverlap"] = json!(true);
            }
        }
    }
}

/// The per-item style of a chart where `selected` values are highlighted:
/// selected items at full strength, the others faded; nothing faded when
/// nothing is selected.
fn item_style(name: &str, color: &str, selected: &[String]) -> Value {
    let faded = !selected.is_empty() && !selected.iter().any(|s| s == name);
    json!({ "color": color, "opacity": if faded { FADED } else { 1.0 } })
}

fn is_selected(name: &str, selected: &[String]) -> bool {
    selected.iter().any(|s| s == name)
}

/// Spaces created per month (bars) and the running total (line).
pub fn growth(months: &[(String, u64)], theme: Theme) -> ChartOption {
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
    let chart = base()
        .color(vec![
            charming::element::Color::from(ACCENT),
            charming::element::Color::from("#6366f1"),
        ])
        .tooltip(Tooltip::new().trigger(Trigger::Axis))
        .legend(
            Legend::new()
                .top(0)
                .text_style(TextStyle::new().color(theme.text_color())),
        )
        .grid(
            Grid::new()
                .left(8)
                .right(8)
                .top(56)
                .bottom(8)
                .contain_label(true),
        )
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
        );
    let mut option = to_json(chart);
    hide_overlapping_labels(&mut option);
    // Axis names sit above their axes, aligned inwards so neither is cut
    // at the card's edge.
    option["yAxis"][0]["nameTextStyle"] = json!({ "align": "left" });
    option["yAxis"][1]["nameTextStyle"] = json!({ "align": "right" });
    option
}

/// The `step`th of the options that the page draws off screen while the
/// data loads (`ui::chart_warm_up`); `None` after the last. The browser
/// compiles ECharts' code the first time it runs: the first chart drawn
/// cold took one frame of 57-75 ms, while drawn in these steps each frame
/// compiles a part of it. The steps grow in reach up to the Growth chart
/// itself. Each step is built when it is drawn, not all at the start: the first
/// build of each kind of option compiles the app's own code for it, and
/// building them all at once held the page for up to 62 ms. The labels and
/// counts are placeholders nobody sees.
pub fn warm_up_step(step: usize, theme: Theme) -> Option<ChartOption> {
    let months: Vec<(String, u64)> = (1..=4).map(|m| (format!("2024-0{m}"), m)).collect();
    let labels: Vec<String> = months.iter().map(|(month, _)| month.clone()).collect();
    let counts: Vec<f64> = months.iter().map(|(_, n)| *n as f64).collect();
    let axes = || {
        base()
            .x_axis(category_axis(labels.clone(), theme))
            .y_axis(value_axis(theme))
    };
    Some(match step {
        0 => to_json(base()),
        1 => to_json(
            base()
                .x_axis(
                    category_axis(labels.clone(), theme)
                        .axis_label(AxisLabel::new().show(false))
                        .axis_tick(AxisTick::new().show(false))
                        .axis_line(AxisLine::new().show(false)),
                )
                .y_axis(
                    value_axis(theme)
                        .axis_label(AxisLabel::new().show(false))
                        .split_line(SplitLine::new().show(false)),
                ),
        ),
        2 => to_json(axes()),
        3 => {
            let mut bars = to_json(
                axes()
                    .grid(Grid::new().contain_label(true))
                    .series(Bar::new().data(counts)),
            );
            hide_overlapping_labels(&mut bars);
            bars
        }
        4 => to_json(axes().series(Line::new().show_symbol(false).data(counts))),
        5 => to_json(
            axes()
                .legend(Legend::new().top(0))
                .series(Line::new().name("total").show_symbol(false).data(counts)),
        ),
        6 => growth(&months, theme),
        _ => return None,
    })
}

/// Spaces by SDK as a ring chart; `selected` SDKs stand out, the others
/// fade, and every SDK keeps its colour.
pub fn sdk_pie(sdk: &[(String, u64)], selected: &[String], theme: Theme) -> ChartOption {
    let data: Vec<(f64, String)> = sdk
        .iter()
        .map(|(name, n)| (*n as f64, name.clone()))
        .collect();
    let chart = base()
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
        );
    let mut option = to_json(chart);
    let series = &mut option["series"][0];
    // Whole percents read at a glance; slices too thin for a label get none.
    series["percentPrecision"] = json!(0);
    series["minShowLabelAngle"] = json!(12);
    series["selectedMode"] = json!("multiple");
    if let Some(items) = series["data"].as_array_mut() {
        for item in items {
            let name = item["name"].as_str().unwrap_or_default().to_string();
            item["itemStyle"] = item_style(&name, category_color(&name), selected);
            item["selected"] = json!(is_selected(&name, selected));
        }
    }
    option
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

/// One bar per label, in the order given (most first); `selected` labels
/// stand out and the others fade.
pub fn bars(
    ranked: &[(String, u64)],
    series: &str,
    style: BarStyle,
    selected: &[String],
    theme: Theme,
) -> ChartOption {
    // Long Hub ids would squeeze the bars: shorten them on the axis (the
    // tooltip and the data table keep them whole).
    let labels: Vec<String> = ranked
        .iter()
        .map(|(l, _)| {
            if style.horizontal {
                crate::format::shorten_middle(l, 34)
            } else {
                l.clone()
            }
        })
        .collect();
    let values: Vec<f64> = ranked.iter().map(|(_, n)| *n as f64).collect();
    let values_axis = value_axis(theme);
    let mut labels_axis = category_axis(labels, theme);
    if style.emoji {
        labels_axis = labels_axis.axis_label(AxisLabel::new().font_size(26).interval(0.0));
    }
    let chart = base()
        .tooltip(Tooltip::new().trigger(Trigger::Item))
        .series(Bar::new().name(series).data(values).bar_width("60%"));
    let chart = if style.horizontal {
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
    };
    let mut option = to_json(chart);
    if !style.emoji {
        hide_overlapping_labels(&mut option);
    }
    if style.horizontal {
        // Every bar is named: one label per bar, none hidden.
        option["yAxis"]["axisLabel"]["interval"] = json!(0);
        option["yAxis"]["axisLabel"]["hideOverlap"] = json!(false);
    }
    // Items carry their whole name: the tooltip shows it where the axis
    // label is shortened.
    option["tooltip"]["trigger"] = json!("item");
    option["series"][0]["data"] = Value::Array(
        ranked
            .iter()
            .enumerate()
            .map(|(i, (name, n))| {
                // On a log1p axis a bar runs from 0 to log1p(n), so a count
                // of 1 still shows; the count rides along for the tooltip.
                let value = match (style.log, style.horizontal) {
                    (false, _) => json!(n),
                    (true, true) => json!([log1p(*n), i, n]),
                    (true, false) => json!([i, log1p(*n), n]),
                };
                json!({ "name": name, "value": value, "itemStyle": item_style(name, ACCENT, selected) })
            })
            .collect(),
    );
    if style.log {
        let max = ranked.iter().map(|(_, n)| *n).max().unwrap_or(0);
        let axis = if style.horizontal { "xAxis" } else { "yAxis" };
        option[axis] = log1p_axis("", max, theme);
        let series = &mut option["series"][0];
        series["dimensions"] = json!(["x", "y", series_name(series)]);
        series["encode"] = json!({ "x": 0, "y": 1, "tooltip": 2 });
    }
    option
}

/// The `axisLabel.formatter` of a log1p axis. JSON cannot hold a function:
/// the chart host (`ui::echart`) swaps this marker for one that turns a
/// position back into the count it stands for ([`log1p_label`]).
pub const LOG1P_LABELS: &str = "spaces:log1p";

/// Where a count sits on a log1p axis: log10(1 + n), so 0 has a place.
pub fn log1p(n: u64) -> f64 {
    (n as f64).ln_1p() / std::f64::consts::LN_10
}

/// The label of a log1p axis position: the count it stands for, compact
/// ("0", "10", "1k", "2.5M").
pub fn log1p_label(position: f64) -> String {
    let n = (10f64.powf(position) - 1.0).round().max(0.0);
    crate::format::compact(n as u64)
}

/// A log1p value axis up to the first power of ten at or above `max`, with
/// a tick and label at 0, 10, 100, … (heavy-tailed counts spread out,
/// and every label is a round count).
fn log1p_axis(name: &str, max: u64, theme: Theme) -> Value {
    let mut top = 10u64;
    while top < max {
        top = top.saturating_mul(10);
    }
    // 1 would sit a hair above 0 and crowd its label: 0, then 10, 100, ….
    let mut ticks = vec![0u64, 10];
    while *ticks.last().unwrap_or(&10) < top {
        ticks.push(ticks.last().unwrap_or(&10) * 10);
    }
    let positions: Vec<f64> = ticks.iter().map(|&t| log1p(t)).collect();
    json!({
        "type": "value",
        "name": name,
        "min": 0,
        "max": log1p(top),
        "axisLabel": {
            "color": theme.text_color(),
            "customValues": positions,
            "formatter": LOG1P_LABELS,
            "hideOverlap": true,
        },
        "axisTick": { "customValues": positions },
        "splitLine": { "lineStyle": { "color": theme.grid_color() } },
    })
}

/// A series' name, for a tooltip dimension.
fn series_name(series: &Value) -> String {
    series["name"].as_str().unwrap_or("Spaces").to_string()
}

/// A scatter of named points, Spaces (x) against likes (y), both on log1p
/// axes. The tooltip names the two counts on their own lines, formatted
/// ("Spaces 407", "Likes 37,208"), through ECharts' own escaped tooltip.
/// Points from which a scatter with no selection is drawn as one batch.
const LARGE_SCATTER: usize = 1_000;

fn named_scatter(
    points: Vec<(String, u64, u64)>,
    series: Scatter,
    selected: &[String],
    color: &str,
    theme: Theme,
) -> ChartOption {
    let chart = base()
        .tooltip(Tooltip::new().trigger(Trigger::Item))
        .grid(
            Grid::new()
                .left(8)
                .right(40)
                .top(32)
                .bottom(32)
                .contain_label(true),
        )
        .series(series);
    let mut option = to_json(chart);
    let max_spaces = points.iter().map(|p| p.1).max().unwrap_or(0);
    let max_likes = points.iter().map(|p| p.2).max().unwrap_or(0);
    option["xAxis"] = log1p_axis("Spaces (log scale)", max_spaces, theme);
    option["yAxis"] = log1p_axis("Likes (log scale)", max_likes, theme);
    // The x name sits centred below the axis, where nothing cuts it.
    option["xAxis"]["nameLocation"] = json!("middle");
    option["xAxis"]["nameGap"] = json!(28);
    let series = &mut option["series"][0];
    series["dimensions"] = json!(["x", "y", "Spaces", "Likes"]);
    series["encode"] = json!({ "x": 0, "y": 1, "tooltip": [2, 3] });
    // Nothing selected: every point looks the same, so ECharts may draw
    // them as one batch (thousands of points one by one held the page for
    // over 100 ms). A selection fades the others, a style per point.
    let alike = selected.is_empty();
    if alike {
        series["large"] = json!(true);
        series["largeThreshold"] = json!(LARGE_SCATTER);
        series["itemStyle"] = json!({ "color": color });
    }
    series["data"] = Value::Array(
        points
            .into_iter()
            .map(|(name, spaces, likes)| {
                let value = json!([log1p(spaces), log1p(likes), spaces, likes]);
                match alike {
                    true => json!({ "name": name, "value": value }),
                    false => json!({
                        "name": name,
                        "value": value,
                        "itemStyle": item_style(&name, color, selected),
                    }),
                }
            })
            .collect(),
    );
    option
}

/// Authors: Spaces (x) against total likes (y), one point per author.
pub fn author_scatter(points: &[AuthorPoint], selected: &[String], theme: Theme) -> ChartOption {
    let data = points
        .iter()
        .map(|p| (p.author.clone(), p.spaces, p.likes))
        .collect();
    let series = Scatter::new().name("Authors").symbol_size(7);
    named_scatter(data, series, selected, ACCENT, theme)
}

/// Emoji: Spaces (x) against likes (y), each point drawn as its emoji.
pub fn emoji_scatter(points: &[EmojiPoint], selected: &[String], theme: Theme) -> ChartOption {
    let data = points
        .iter()
        .map(|p| (p.emoji.clone(), p.spaces, p.likes))
        .collect();
    let series = Scatter::new().name("Emoji").symbol_size(4).label(
        Label::new()
            .show(true)
            .formatter("{b}")
            .font_size(24)
            .position(LabelPosition::Inside),
    );
    let mut option = named_scatter(data, series, selected, ACCENT, theme);
    // Emoji close together would cover each other: ECharts moves or hides
    // the overlapping ones.
    option["series"][0]["labelLayout"] = json!({ "hideOverlap": true, "moveOverlap": "shiftY" });
    option
}

#[cfg(test)]
mod tests {
    use super::*;

    fn json(option: &ChartOption) -> Value {
        option.clone()
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
    fn the_warm_up_adds_a_part_a_step_and_ends_with_the_growth_chart() {
        let steps: Vec<ChartOption> = (0..)
            .map_while(|step| warm_up_step(step, Theme::Dark))
            .collect();
        let series_types: Vec<Vec<&str>> = steps
            .iter()
            .map(|step| match step.get("series") {
                Some(Value::Array(all)) => {
                    all.iter().map(|s| s["type"].as_str().unwrap()).collect()
                }
                Some(one) => vec![one["type"].as_str().unwrap()],
                None => vec![],
            })
            .collect();
        let none: Vec<&str> = vec![];
        assert_eq!(
            series_types,
            [
                none.clone(),
                none.clone(),
                none,
                vec!["bar"],
                vec!["line"],
                vec!["line"],
                vec!["bar", "line"],
            ]
        );
        assert!(steps[0].get("xAxis").is_none(), "the first step is bare");
        assert_eq!(axis(&steps[1], "xAxis", 0)["axisLabel"]["show"], false);
        assert_eq!(
            axis(&steps[2], "xAxis", 0)["axisLabel"]["show"],
            Value::Null
        );
        assert_eq!(
            axis(&steps[3], "xAxis", 0)["axisLabel"]["hideOverlap"],
            true
        );
        assert!(steps[5].get("legend").is_some());
        let months: Vec<(String, u64)> = (1..=4).map(|m| (format!("2024-0{m}"), m)).collect();
        assert_eq!(steps.last(), Some(&growth(&months, Theme::Dark)));
        assert_eq!(
            axis(&steps[6], "xAxis", 0)["data"],
            json!(["2024-01", "2024-02", "2024-03", "2024-04"])
        );
    }

    #[test]
    fn pie_keeps_names_and_counts() {
        let option = json(&sdk_pie(
            &[("gradio".into(), 7), ("docker".into(), 2)],
            &[],
            Theme::Dark,
        ));
        assert_eq!(option["series"][0]["type"], "pie");
        assert_eq!(option["series"][0]["data"][0]["name"], "gradio");
        assert_eq!(option["series"][0]["data"][0]["value"], 7.0);
    }

    #[test]
    fn log_bars_use_a_log1p_axis_and_horizontal_bars_invert() {
        let ranked = vec![("cpu-basic".to_string(), 900), ("t4-small".to_string(), 3)];
        let style = BarStyle {
            horizontal: false,
            log: true,
            emoji: false,
        };
        let option = json(&bars(&ranked, "Spaces", style, &[], Theme::Light));
        assert_eq!(axis(&option, "yAxis", 0)["type"], "value");
        assert_eq!(axis(&option, "yAxis", 0)["max"], json!(log1p(1_000)));
        assert_eq!(
            axis(&option, "xAxis", 0)["data"],
            serde_json::json!(["cpu-basic", "t4-small"])
        );
        let style = BarStyle {
            horizontal: true,
            log: false,
            emoji: false,
        };
        let option = json(&bars(&ranked, "Spaces", style, &[], Theme::Light));
        assert_eq!(axis(&option, "yAxis", 0)["inverse"], true);
        let values: Vec<&Value> = option["series"][0]["data"]
            .as_array()
            .unwrap()
            .iter()
            .map(|item| &item["value"])
            .collect();
        assert_eq!(values, [&json!(900), &json!(3)]);
    }

    #[test]
    fn scatter_points_carry_their_names() {
        let points = vec![EmojiPoint {
            emoji: "🚀".into(),
            spaces: 10,
            likes: 99,
        }];
        let option = json(&emoji_scatter(&points, &[], Theme::Light));
        assert_eq!(option["series"][0]["data"][0]["name"], "🚀");
        // Placed at log1p of the counts; the counts themselves ride along.
        assert_eq!(
            option["series"][0]["data"][0]["value"],
            json!([log1p(10), 2.0, 10, 99])
        );
        // Two labelled numbers in the tooltip, not "1.04,2,10,99".
        assert_eq!(
            option["series"][0]["dimensions"],
            json!(["x", "y", "Spaces", "Likes"])
        );
        assert_eq!(option["series"][0]["encode"]["tooltip"], json!([2, 3]));
        assert!(option["tooltip"].get("formatter").is_none());
    }

    #[test]
    fn a_scatter_without_a_selection_is_drawn_as_one_batch() {
        let points: Vec<AuthorPoint> = (0..3)
            .map(|i| AuthorPoint {
                author: format!("a{i}"),
                spaces: i + 1,
                likes: i * 10,
            })
            .collect();
        let plain = json(&author_scatter(&points, &[], Theme::Light));
        let series = &plain["series"][0];
        assert_eq!(series["large"], json!(true));
        assert_eq!(series["itemStyle"]["color"], json!(ACCENT));
        assert!(series["data"][0].get("itemStyle").is_none());
        // A selection fades the other points: a style each, no batch.
        let chosen = json(&author_scatter(&points, &["a1".to_string()], Theme::Light));
        let series = &chosen["series"][0];
        assert!(series.get("large").is_none());
        let opacity = |i: usize| series["data"][i]["itemStyle"]["opacity"].as_f64().unwrap();
        assert_eq!(opacity(1), 1.0);
        assert!(opacity(0) < 1.0 && opacity(2) < 1.0);
    }

    #[test]
    fn scatter_axes_are_log1p_with_round_ticks() {
        let points = vec![
            EmojiPoint {
                emoji: "🚀".into(),
                spaces: 0,
                likes: 37_208,
            },
            EmojiPoint {
                emoji: "🤗".into(),
                spaces: 407,
                likes: 0,
            },
        ];
        let option = emoji_scatter(&points, &[], Theme::Dark);
        let x = &option["xAxis"];
        let y = &option["yAxis"];
        assert_eq!(x["name"], "Spaces (log scale)");
        assert_eq!(x["axisLabel"]["formatter"], LOG1P_LABELS);
        // Spaces up to 407: ticks at 0, 10, 100, 1000.
        let ticks: Vec<String> = x["axisLabel"]["customValues"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| log1p_label(v.as_f64().unwrap()))
            .collect();
        assert_eq!(ticks, ["0", "10", "100", "1k"]);
        assert_eq!(x["max"], json!(log1p(1_000)));
        assert_eq!(y["max"], json!(log1p(100_000)));
        assert_eq!(
            x["axisTick"]["customValues"],
            x["axisLabel"]["customValues"]
        );
        // Zero counts sit on the axis, not off the chart.
        assert_eq!(option["series"][0]["data"][0]["value"][0], json!(0.0));
        assert_eq!(log1p_label(log1p(2_500_000)), "2.5M");
    }

    #[test]
    fn horizontal_bars_name_every_bar_in_full() {
        let ranked: Vec<(String, u64)> = (0..15)
            .map(|i| {
                (
                    format!("stabilityai/stable-diffusion-xl-variant-{i}"),
                    100 - i,
                )
            })
            .collect();
        let style = BarStyle {
            horizontal: true,
            log: true,
            emoji: false,
        };
        let option = bars(&ranked, "Spaces", style, &[], Theme::Light);
        assert_eq!(option["yAxis"]["axisLabel"]["interval"], 0);
        assert_eq!(option["yAxis"]["axisLabel"]["hideOverlap"], false);
        let labels = option["yAxis"]["data"].as_array().unwrap();
        assert_eq!(labels.len(), 15);
        // Shortened in the middle: owner and the distinguishing end stay.
        let first = labels[0].as_str().unwrap();
        assert!(
            first.starts_with("stabilityai/") && first.ends_with("variant-0"),
            "{first}"
        );
        assert_eq!(
            option["series"][0]["data"][0]["name"],
            "stabilityai/stable-diffusion-xl-variant-0"
        );
        assert_eq!(option["tooltip"]["trigger"], "item");
        // log1p: a count of 1 still draws a bar (from 0 to log1p(1)).
        assert_eq!(option["xAxis"]["axisLabel"]["formatter"], LOG1P_LABELS);
        let last = &option["series"][0]["data"][14]["value"];
        assert_eq!(last, &json!([log1p(86), 14, 86]));
        assert_eq!(option["series"][0]["encode"]["tooltip"], 2);
    }

    #[test]
    fn a_selection_highlights_without_dropping_the_others() {
        let sdk = [("gradio".to_string(), 7), ("docker".to_string(), 2)];
        let option = sdk_pie(&sdk, &["docker".to_string()], Theme::Light);
        let items = option["series"][0]["data"].as_array().unwrap();
        assert_eq!(items.len(), 2);
        assert_eq!(items[1]["selected"], true);
        assert_eq!(items[0]["selected"], false);
        assert_eq!(items[0]["itemStyle"]["opacity"], FADED);
        assert_eq!(items[1]["itemStyle"]["opacity"], 1.0);
        // Colours follow the name, not the position or the selection.
        let alone = sdk_pie(&sdk[1..], &[], Theme::Light);
        assert_eq!(
            alone["series"][0]["data"][0]["itemStyle"]["color"],
            items[1]["itemStyle"]["color"]
        );
        assert_eq!(category_color("docker"), "#2563eb");
        assert_eq!(category_color("nicegui"), category_color("nicegui"));
        let bars = bars(
            &sdk,
            "Spaces",
            BarStyle {
                horizontal: false,
                log: false,
                emoji: false,
            },
            &["gradio".into()],
            Theme::Light,
        );
        let data = bars["series"][0]["data"].as_array().unwrap();
        assert_eq!(data[0]["itemStyle"]["opacity"], 1.0);
        assert_eq!(data[1]["itemStyle"]["opacity"], FADED);
    }

    #[test]
    fn counts_use_whole_ticks_and_legends_do_not_filter() {
        let option = growth(&[("2024-01".to_string(), 1)], Theme::Light);
        assert_eq!(axis(&option, "yAxis", 0)["minInterval"], 1.0);
        assert_eq!(axis(&option, "yAxis", 0)["axisLabel"]["hideOverlap"], true);
        assert_eq!(option["legend"]["selectedMode"], false);
        let pie = sdk_pie(&[("gradio".into(), 1)], &[], Theme::Light);
        assert_eq!(pie["legend"]["selectedMode"], false);
        assert_eq!(pie["series"][0]["percentPrecision"], 0);
        let log = bars(
            &[("a".into(), 1)],
            "Spaces",
            BarStyle {
                horizontal: false,
                log: true,
                emoji: false,
            },
            &[],
            Theme::Light,
        );
        assert_eq!(
            axis(&log, "yAxis", 0)["axisLabel"]["formatter"],
            LOG1P_LABELS
        );
        assert_eq!(
            log["series"][0]["data"][0]["value"],
            json!([0, log1p(1), 1])
        );
    }
}
