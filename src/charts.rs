//! Chart option builders: pure functions from aggregates to charming
//! (ECharts) options, tested natively as JSON.

use charming::component::{Legend, Title};
use charming::element::{Tooltip, Trigger};
use charming::series::Pie;
use charming::Chart;

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
}

/// Spaces by SDK as a ring chart.
pub fn sdk_pie(sdk: &[(String, u64)], theme: Theme) -> Chart {
    let data: Vec<(f64, String)> = sdk
        .iter()
        .map(|(name, n)| (*n as f64, name.clone()))
        .collect();
    Chart::new()
        .background_color("transparent")
        .tooltip(
            Tooltip::new()
                .trigger(Trigger::Item)
                .formatter("{b}: {c} Spaces ({d}%)"),
        )
        .legend(
            Legend::new()
                .bottom(0)
                .text_style(charming::element::TextStyle::new().color(theme.text_color())),
        )
        .title(Title::new().show(false))
        .series(
            Pie::new()
                .name("Spaces by SDK")
                .radius(vec!["38%", "68%"])
                .center(vec!["50%", "45%"])
                .label(
                    charming::element::Label::new()
                        .color(theme.text_color())
                        .formatter("{b}: {d}%"),
                )
                .data(data),
        )
}
