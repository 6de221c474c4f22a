use std::sync::Arc;

use leptos::prelude::*;

use super::chart_card::ChartCard;
use super::data_table::TableRow;
use super::table_card::TableCard;
use crate::data::rank::Ranked;
use crate::overview::aggregate::Overview as OverviewData;
use crate::overview::charts::{self, BarStyle, Theme};
use crate::data::Field;
use crate::search::Filters;
use crate::format;
use crate::url::links;

const PLAIN: BarStyle = BarStyle {
    horizontal: false,
    log: false,
    emoji: false,
};
const TOP_BARS: BarStyle = BarStyle {
    horizontal: true,
    log: false,
    emoji: false,
};

/// Every overview card, by the id tests and embedders use, with its title.
pub const CARDS: [(&str, &str); 14] = [
    ("chart-growth", "Growth of Spaces"),
    ("chart-sdk", "Spaces by SDK"),
    ("chart-emoji", "Favourite emoji"),
    ("chart-hardware", "Hardware in use"),
    ("chart-author-likes", "Authors: Spaces vs likes"),
    ("chart-emoji-likes", "Emoji: Spaces vs likes"),
    ("chart-models", "Most used models"),
    ("chart-model-authors", "Most popular model authors"),
    ("chart-datasets", "Most used datasets"),
    ("chart-dataset-authors", "Most popular dataset authors"),
    ("table-most-liked", "Most liked Spaces"),
    ("table-most-duplicated", "Most duplicated Spaces"),
    ("table-authors-by-spaces", "Authors with the most Spaces"),
    ("table-authors-by-likes", "Authors with the most likes"),
];

/// The Overview: every chart and table of the original app, for the
/// Spaces that match the current filters.
#[component]
pub fn Overview(
    overview: Memo<Option<Arc<OverviewData>>>,
    filters: RwSignal<Filters>,
    #[prop(into)] snapshot: Signal<String>,
    dark: bool,
) -> impl IntoView {
    let theme = if dark { Theme::Dark } else { Theme::Light };
    // Reads one part of the aggregates without cloning the rest.
    let part = move |f: fn(&OverviewData) -> Ranked| {
        Signal::derive(move || overview.with(|o| o.as_deref().map(f).unwrap_or_default()))
    };
    let rows_of = |ranked: Signal<Ranked>, link: Option<fn(&str) -> String>| {
        Signal::derive(move || {
            ranked.with(|r| {
                r.iter()
                    .map(|(label, n)| TableRow {
                        href: link.map(|l| l(label)),
                        ..TableRow::plain(label, *n)
                    })
                    .collect::<Vec<_>>()
            })
        })
    };
    // A click on the n-th bar, slice or point filters by the n-th label;
    // a click on a selected one removes it again.
    let pick = move |field: Field, labels: Signal<Vec<String>>| {
        Callback::new(move |index: usize| {
            if let Some(value) = labels.with(|l| l.get(index).cloned()) {
                filters.update(|f| f.toggle(field, &value));
            }
        })
    };
    let selected =
        move |field: Field| Signal::derive(move || filters.with(|f| f.values(field).to_vec()));
    let labels = |ranked: Signal<Ranked>| {
        Signal::derive(move || ranked.with(|r| r.iter().map(|p| p.0.clone()).collect::<Vec<_>>()))
    };
    let total = Signal::derive(move || overview.with(|o| o.as_ref().map_or(0, |o| o.rows)));
    // Nothing to draw: either nothing matches, or what matches has none of
    // what the chart counts (no models, no likes, …).
    let why_empty = move |nothing: bool| {
        nothing.then(|| {
            if total.get() == 0 && filters.with(Filters::is_empty) {
                "This file holds no Spaces."
            } else if total.get() == 0 {
                "No Spaces match these filters."
            } else {
                "None of the matching Spaces has anything to show here."
            }
        })
    };
    let is_empty = move |ranked: Signal<Ranked>| {
        Signal::derive(move || why_empty(ranked.with(|r| r.iter().all(|p| p.1 == 0))))
    };
    let note = move |text: &'static str| {
        Signal::derive(move || {
            format!(
                "{text} {}, snapshot {}.",
                format::plural(total.get(), "Space", "Spaces"),
                snapshot.get()
            )
        })
    };
    // The note of a chart that a click filters: while its field is
    // filtered it counts the Spaces matching every other filter, and says so.
    let field_note = move |text: &'static str, field: Field| {
        Signal::derive(move || {
            let (rows, context) = overview.with(|o| {
                o.as_ref().map_or((0, false), |o| {
                    (
                        o.rows_behind(field),
                        o.contexts.iter().any(|(f, _)| *f == field),
                    )
                })
            });
            let counted = format::plural(rows, "Space", "Spaces");
            let snapshot = snapshot.get();
            if context {
                format!(
                    "{text} {counted} matching the other filters, snapshot {snapshot}. The selected {} stand out; click one again to remove it.",
                    many(field)
                )
            } else {
                format!("{text} {counted}, snapshot {snapshot}.")
            }
        })
    };

    let growth = part(|o| o.created_per_month.clone());
    let sdk = part(|o| o.sdk.clone());
    let emoji = part(|o| o.emoji.clone());
    let hardware = part(|o| o.hardware.clone());
    let models = part(|o| o.top_models.clone());
    let model_authors = part(|o| o.top_model_authors.clone());
    let datasets = part(|o| o.top_datasets.clone());
    let dataset_authors = part(|o| o.top_dataset_authors.clone());
    let most_duplicated = part(|o| o.most_duplicated.clone());
    let most_liked = part(|o| o.most_liked.clone());
    let authors_by_spaces = part(|o| o.authors_by_spaces.clone());
    let authors_by_likes = part(|o| o.authors_by_likes.clone());
    let author_points = Signal::derive(move || {
        overview.with(|o| {
            o.as_ref()
                .map(|o| o.author_points.clone())
                .unwrap_or_default()
        })
    });
    let emoji_points = Signal::derive(move || {
        overview.with(|o| {
            o.as_ref()
                .map(|o| o.emoji_likes.clone())
                .unwrap_or_default()
        })
    });
    let author_table = Signal::derive(move || {
        author_points.with(|points| {
            let mut top: Vec<_> = points.iter().collect();
            top.sort_by(|a, b| b.likes.cmp(&a.likes).then_with(|| a.author.cmp(&b.author)));
            top.into_iter()
                .take(20)
                .map(|p| TableRow {
                    href: Some(links::author(&p.author)),
                    extra: Some(p.spaces),
                    ..TableRow::plain(&p.author, p.likes)
                })
                .collect::<Vec<_>>()
        })
    });
    let emoji_table = Signal::derive(move || {
        emoji_points.with(|points| {
            points
                .iter()
                .map(|p| TableRow {
                    extra: Some(p.spaces),
                    ..TableRow::plain(&p.emoji, p.likes)
                })
                .collect::<Vec<_>>()
        })
    });
    let author_note = Signal::derive(move || {
        let shown = author_points.with(Vec::len) as u64;
        let all = overview.with(|o| o.as_ref().map_or(0, |o| o.author_count));
        let which = if shown >= all {
            format!("All {} shown", format::plural(all, "author", "authors"))
        } else {
            format!(
                "The {} most liked and most prolific of {} authors shown",
                format::count(shown),
                format::count(all)
            )
        };
        format!(
            "Each point is an author: how many Spaces they have and the likes those Spaces got. {which}; snapshot {}.",
            snapshot.get()
        )
    });

    view! {
        <section class="overview" aria-label="Overview">
            <ChartCard
                id="chart-growth"
                title="Growth of Spaces"
                note=note("Spaces created each month (bars) and the running total (line), all stages, by creation date in UTC, for")
                option=Signal::derive(move || charts::growth(&growth.get(), theme))
                empty=is_empty(growth)
                rows=rows_of(growth, None)
                headers=&["Month", "Created"]
                dark=dark
                wide=true
            />
            <ChartCard
                id="chart-sdk"
                title="Spaces by SDK"
                note=field_note("Share by the SDK the Space's README declares. Click a slice to filter. Of", Field::Sdk)
                option=Signal::derive(move || charts::sdk_pie(&sdk.get(), &selected(Field::Sdk).get(), theme))
                empty=is_empty(sdk)
                rows=rows_of(sdk, None)
                headers=&["SDK", "Spaces"]
                dark=dark
                on_pick=pick(Field::Sdk, labels(sdk))
            />
            <ChartCard
                id="chart-emoji"
                title="Favourite emoji"
                note=field_note("The 10 emoji Space authors pick most for their card (Spaces without one are left out). Click one to filter. Of", Field::Emoji)
                option=Signal::derive(move || charts::bars(&emoji.get(), "Spaces", BarStyle { emoji: true, ..PLAIN }, &selected(Field::Emoji).get(), theme))
                empty=is_empty(emoji)
                rows=rows_of(emoji, None)
                headers=&["Emoji", "Spaces"]
                dark=dark
                on_pick=pick(Field::Emoji, labels(emoji))
            />
            <ChartCard
                id="chart-hardware"
                title="Hardware in use"
                note=field_note("Hardware assigned to each Space, on a log scale so GPUs show beside cpu-basic. Spaces with no hardware (not running) are left out. Click a bar to filter. Of", Field::Hardware)
                option=Signal::derive(move || charts::bars(&hardware.get(), "Spaces", BarStyle { log: true, ..PLAIN }, &selected(Field::Hardware).get(), theme))
                empty=is_empty(hardware)
                rows=rows_of(hardware, None)
                headers=&["Hardware", "Spaces"]
                dark=dark
                on_pick=pick(Field::Hardware, labels(hardware))
            />
            <ChartCard
                id="chart-author-likes"
                title="Authors: Spaces vs likes"
                note=author_note
                option=Signal::derive(move || charts::author_scatter(&author_points.get(), &selected(Field::Author).get(), theme))
                empty=Signal::derive(move || why_empty(author_points.with(Vec::is_empty)))
                rows=author_table
                headers=&["Author", "Spaces", "Likes"]
                dark=dark
                on_pick=pick(Field::Author, Signal::derive(move || author_points.with(|p| p.iter().map(|a| a.author.clone()).collect())))
            />
            <ChartCard
                id="chart-emoji-likes"
                title="Emoji: Spaces vs likes"
                note=field_note("The 20 emoji whose Spaces got the most likes, placed by how many Spaces use them. Click one to filter. Of", Field::Emoji)
                option=Signal::derive(move || charts::emoji_scatter(&emoji_points.get(), &selected(Field::Emoji).get(), theme))
                empty=Signal::derive(move || why_empty(emoji_points.with(Vec::is_empty)))
                rows=emoji_table
                headers=&["Emoji", "Spaces", "Likes"]
                dark=dark
                on_pick=pick(Field::Emoji, Signal::derive(move || emoji_points.with(|p| p.iter().map(|e| e.emoji.clone()).collect())))
            />
            <ChartCard
                id="chart-models"
                title="Most used models"
                note=field_note("Models Spaces declare in their README, counted once per listing (top 20). Click one to filter. Of", Field::Model)
                option=Signal::derive(move || charts::bars(&models.get(), "Spaces", TOP_BARS, &selected(Field::Model).get(), theme))
                empty=is_empty(models)
                rows=rows_of(models, Some(links::model))
                headers=&["Model", "Uses"]
                dark=dark
                on_pick=pick(Field::Model, labels(models))
            />
            <ChartCard
                id="chart-model-authors"
                title="Most popular model authors"
                note=note("The owner of each model id (the part before /), summed over the models Spaces use (top 20). Of")
                option=Signal::derive(move || charts::bars(&model_authors.get(), "Uses", TOP_BARS, &[], theme))
                empty=is_empty(model_authors)
                rows=rows_of(model_authors, Some(links::author))
                headers=&["Model author", "Uses"]
                dark=dark
            />
            <ChartCard
                id="chart-datasets"
                title="Most used datasets"
                note=field_note("Datasets Spaces declare in their README (top 20). Click one to filter. Of", Field::Dataset)
                option=Signal::derive(move || charts::bars(&datasets.get(), "Spaces", TOP_BARS, &selected(Field::Dataset).get(), theme))
                empty=is_empty(datasets)
                rows=rows_of(datasets, Some(links::dataset))
                headers=&["Dataset", "Uses"]
                dark=dark
                on_pick=pick(Field::Dataset, labels(datasets))
            />
            <ChartCard
                id="chart-dataset-authors"
                title="Most popular dataset authors"
                note=note("The owner of each dataset id (canonical datasets such as mnist count as their own), top 20. Of")
                option=Signal::derive(move || charts::bars(&dataset_authors.get(), "Uses", TOP_BARS, &[], theme))
                empty=is_empty(dataset_authors)
                rows=rows_of(dataset_authors, Some(links::author))
                headers=&["Dataset author", "Uses"]
                dark=dark
            />
            <TableCard
                id="table-most-liked"
                title="Most liked Spaces"
                note=note("Top 20 by likes, of")
                rows=rows_of(most_liked, Some(links::space))
                headers=&["Space", "Likes"]
            />
            <TableCard
                id="table-most-duplicated"
                title="Most duplicated Spaces"
                note=note("Spaces others duplicated most (counted from the Space each copy says it was duplicated from), top 20, of")
                rows=rows_of(most_duplicated, Some(links::space))
                headers=&["Space", "Duplicates"]
            />
            <TableCard
                id="table-authors-by-spaces"
                title="Authors with the most Spaces"
                note=note("Top 20 authors by number of Spaces, of")
                rows=rows_of(authors_by_spaces, Some(links::author))
                headers=&["Author", "Spaces"]
                on_pick=pick(Field::Author, labels(authors_by_spaces))
            />
            <TableCard
                id="table-authors-by-likes"
                title="Authors with the most likes"
                note=note("Top 20 authors by likes summed over their Spaces, of")
                rows=rows_of(authors_by_likes, Some(links::author))
                headers=&["Author", "Likes"]
                on_pick=pick(Field::Author, labels(authors_by_likes))
            />
        </section>
    }
}

/// What a field's values are called in a sentence.
fn many(field: Field) -> &'static str {
    match field {
        Field::Sdk => "SDKs",
        Field::Emoji => "emoji",
        Field::Author => "authors",
        Field::Hardware => "hardware",
        Field::License => "licenses",
        Field::Model => "models",
        Field::Dataset => "datasets",
        Field::Tag => "tags",
        Field::Stage => "stages",
    }
}
