//! Chart option builders: pure functions from aggregates to ECharts
//! options, tested natively as JSON. charming builds most of each option;
//! the few settings it lacks (per-item styles, percent precision, label
//! overlap, tooltip dimensions) are set on the JSON afterwards.

use charming::component::{Axis, Grid, Legend};
use charming::element::{
    AxisLabel, AxisType, Label, LabelPosition, SplitLine, TextStyle, Tooltip, Trigger,
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
    if style.log {
        // A log axis has no whole-number rule of its own.
        for axis in as_list(&mut option[if style.horizontal { "xAxis" } else { "yAxis" }]) {
            if let Some(axis) = axis.as_object_mut() {
                axis.remove("minInterval");
            }
        }
    }
    if !style.emoji {
        hide_overlapping_labels(&mut option);
    }
    option["series"][0]["data"] = Value::Array(
        ranked
            .iter()
            .map(|(name, n)| json!({ "value": n, "itemStyle": item_style(name, ACCENT, selected) }))
            .collect(),
    );
    option
}

/// A scatter of named points (x = Spaces, y = likes). The tooltip names
/// both numbers on their own lines, formatted ("Spaces 407", "Likes
/// 37,208"), through ECharts' own escaped tooltip.
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
        .x_axis(value_axis(theme).name("Spaces"))
        .y_axis(value_axis(theme).name("Likes"))
        .series(series);
    let mut option = to_json(chart);
    // The axis names sit centred outside the axes, where nothing cuts them.
    option["xAxis"]["nameLocation"] = json!("middle");
    option["xAxis"]["nameGap"] = json!(28);
    hide_overlapping_labels(&mut option);
    let series = &mut option["series"][0];
    series["dimensions"] = json!(["Spaces", "Likes"]);
    series["encode"] = json!({ "x": 0, "y": 1, "tooltip": [0, 1] });
    series["data"] = Value::Array(
        points
            .into_iter()
            .map(|(name, spaces, likes)| {
                let style = item_style(&name, color, selected);
                json!({ "name": name, "value": [spaces, likes], "itemStyle": style })
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
    fn log_bars_use_a_log_axis_and_horizontal_bars_invert() {
        let ranked = vec![("cpu-basic".to_string(), 900), ("t4-small".to_string(), 3)];
        let style = BarStyle {
            horizontal: false,
            log: true,
            emoji: false,
        };
        let option = json(&bars(&ranked, "Spaces", style, &[], Theme::Light));
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
        assert_eq!(option["series"][0]["data"][0]["value"], json!([10, 99]));
        // Two labelled numbers in the tooltip, not "10,99".
        assert_eq!(
            option["series"][0]["dimensions"],
            json!(["Spaces", "Likes"])
        );
        assert_eq!(option["series"][0]["encode"]["tooltip"], json!([0, 1]));
        assert!(option["tooltip"].get("formatter").is_none());
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
        assert!(axis(&log, "yAxis", 0).get("minInterval").is_none());
    }
}
