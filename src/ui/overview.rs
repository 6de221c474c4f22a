use std::sync::Arc;

use leptos::prelude::*;

use super::chart_card::ChartCard;
use crate::aggregate::Overview as OverviewData;
use crate::browser::page;
use crate::charts::{self, Theme};
use crate::data::SpacesTable;
use crate::format;

/// The Overview: every chart for the current selection.
#[component]
pub fn Overview(table: RwSignal<Option<Arc<SpacesTable>>>) -> impl IntoView {
    let dark = page::prefers_dark();
    let theme = if dark { Theme::Dark } else { Theme::Light };
    let overview = Memo::new(move |_| {
        table.with(|t| {
            t.as_ref().map(|t| {
                let rows: Vec<u32> = (0..t.len() as u32).collect();
                Arc::new(OverviewData::compute(t, &rows))
            })
        })
    });
    let sdk = Signal::derive(move || {
        overview.with(|o| o.as_ref().map(|o| o.sdk.clone()).unwrap_or_default())
    });
    let sdk_note = Signal::derive(move || {
        let total: u64 = sdk.with(|s| s.iter().map(|p| p.1).sum());
        format!(
            "Share of {} Spaces by the SDK their README declares (gradio, docker, streamlit or static).",
            format::count(total)
        )
    });
    view! {
        <section class="overview" aria-label="Overview">
            <ChartCard
                id="chart-sdk"
                title="Spaces by SDK"
                note=sdk_note
                option=Signal::derive(move || charts::sdk_pie(&sdk.get(), theme))
                rows=sdk
                label_header="SDK"
                value_header="Spaces"
                dark=dark
            />
        </section>
    }
}
