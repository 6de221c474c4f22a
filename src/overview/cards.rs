//! The one registry of Overview cards. Each card is defined once here: its
//! id (the DOM hook and the `embed=` value), title, sentence of context,
//! chart or table, the filter a click adds and the link each table row
//! builds. The Overview, the embed picker, `embed=<card>` and the tests
//! all read [`CARDS`].

use super::aggregate::{Overview, Part};
use super::charts::{self, BarStyle, ChartOption, Theme};
use crate::data::rank::Ranked;
use crate::data::Field;
use crate::format;
use crate::url::links;

/// What a card draws.
#[derive(Debug, Clone, Copy)]
pub enum CardBody {
    /// Monthly bars with the running total.
    Growth,
    /// A pie of the ranked list.
    Pie,
    /// Bars of the ranked list; the series is named `series`.
    Bars {
        style: BarStyle,
        series: &'static str,
    },
    /// Authors placed by their Spaces and their likes.
    AuthorScatter,
    /// Emoji placed by their Spaces and their likes.
    EmojiScatter,
    /// A table shown open, no chart.
    Table,
}

/// How a card's sentence of context ends.
#[derive(Debug, Clone, Copy)]
pub enum Note {
    /// "`text` N Spaces, snapshot D."
    Count(&'static str),
    /// Like `Count`, but while the card's own field is filtered it counts
    /// the Spaces matching the other filters, and says so.
    Context(&'static str),
    /// The author scatter's own sentence (how many authors are shown).
    AuthorPoints,
}

/// One Overview card.
#[derive(Debug, Clone, Copy)]
pub struct Card {
    pub id: &'static str,
    pub title: &'static str,
    /// The aggregates it draws: computed once the card comes near the
    /// screen.
    pub part: Part,
    pub note: Note,
    pub body: CardBody,
    /// The ranked list a chart or table shows (the scatters have points).
    pub ranked: Option<fn(&Overview) -> &Ranked>,
    pub headers: &'static [&'static str],
    /// The filter a click on a bar, slice, point or row's `+` toggles.
    pub pick: Option<Field>,
    /// Where each table row links.
    pub link: Option<fn(&str) -> String>,
    /// Spans the grid's full width.
    pub wide: bool,
}

/// One row of a card's data table: a label (optionally a Hub link), an
/// optional middle number and the number the row is ranked by.
#[derive(Debug, Clone, PartialEq)]
pub struct TableRow {
    pub label: String,
    pub href: Option<String>,
    pub extra: Option<u64>,
    pub value: u64,
}

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

/// How many authors the scatter's table lists (the most liked).
const AUTHOR_ROWS: usize = 20;

/// Every Overview card, in page order.
pub const CARDS: [Card; 14] = [
    Card {
        id: "chart-growth",
        part: Part::Growth,
        title: "Growth of Spaces",
        note: Note::Count("Spaces created each month (bars) and the running total (line), all stages, by creation date in UTC, for"),
        body: CardBody::Growth,
        ranked: Some(|o| &o.created_per_month),
        headers: &["Month", "Created"],
        pick: None,
        link: None,
        wide: true,
    },
    Card {
        id: "chart-sdk",
        part: Part::Sdk,
        title: "Spaces by SDK",
        note: Note::Context("Share by the SDK the Space's README declares. Click a slice to filter. Of"),
        body: CardBody::Pie,
        ranked: Some(|o| &o.sdk),
        headers: &["SDK", "Spaces"],
        pick: Some(Field::Sdk),
        link: None,
        wide: false,
    },
    Card {
        id: "chart-emoji",
        part: Part::Emoji,
        title: "Favourite emoji",
        note: Note::Context("The 10 emoji Space authors pick most for their card (Spaces without one are left out). Click one to filter. Of"),
        body: CardBody::Bars {
            style: BarStyle {
                emoji: true,
                ..PLAIN
            },
            series: "Spaces",
        },
        ranked: Some(|o| &o.emoji),
        headers: &["Emoji", "Spaces"],
        pick: Some(Field::Emoji),
        link: None,
        wide: false,
    },
    Card {
        id: "chart-hardware",
        part: Part::Hardware,
        title: "Hardware in use",
        note: Note::Context("Hardware assigned to each Space, on a log scale so GPUs show beside cpu-basic. Spaces with no hardware (not running) are left out. Click a bar to filter. Of"),
        body: CardBody::Bars {
            style: BarStyle {
                horizontal: true,
                log: true,
                emoji: false,
            },
            series: "Spaces",
        },
        ranked: Some(|o| &o.hardware),
        headers: &["Hardware", "Spaces"],
        pick: Some(Field::Hardware),
        link: None,
        wide: false,
    },
    Card {
        id: "chart-author-likes",
        part: Part::Authors,
        title: "Authors: Spaces vs likes",
        note: Note::AuthorPoints,
        body: CardBody::AuthorScatter,
        ranked: None,
        headers: &["Author", "Spaces", "Likes"],
        pick: Some(Field::Author),
        link: Some(links::author),
        wide: false,
    },
    Card {
        id: "chart-emoji-likes",
        part: Part::Emoji,
        title: "Emoji: Spaces vs likes",
        note: Note::Context("The 20 emoji whose Spaces got the most likes, placed by how many Spaces use them. Click one to filter. Of"),
        body: CardBody::EmojiScatter,
        ranked: None,
        headers: &["Emoji", "Spaces", "Likes"],
        pick: Some(Field::Emoji),
        link: None,
        wide: false,
    },
    Card {
        id: "chart-models",
        part: Part::Models,
        title: "Most used models",
        note: Note::Context("Models Spaces declare in their README, counted once per listing (top 20). Click one to filter. Of"),
        body: CardBody::Bars {
            style: TOP_BARS,
            series: "Spaces",
        },
        ranked: Some(|o| &o.top_models),
        headers: &["Model", "Uses"],
        pick: Some(Field::Model),
        link: Some(links::model),
        wide: false,
    },
    Card {
        id: "chart-model-authors",
        part: Part::Models,
        title: "Most popular model authors",
        note: Note::Count("The owner of each model id (the part before /), summed over the models Spaces use (top 20). Of"),
        body: CardBody::Bars {
            style: TOP_BARS,
            series: "Uses",
        },
        ranked: Some(|o| &o.top_model_authors),
        headers: &["Model author", "Uses"],
        pick: None,
        link: Some(links::author),
        wide: false,
    },
    Card {
        id: "chart-datasets",
        part: Part::Datasets,
        title: "Most used datasets",
        note: Note::Context("Datasets Spaces declare in their README (top 20). Click one to filter. Of"),
        body: CardBody::Bars {
            style: TOP_BARS,
            series: "Spaces",
        },
        ranked: Some(|o| &o.top_datasets),
        headers: &["Dataset", "Uses"],
        pick: Some(Field::Dataset),
        link: Some(links::dataset),
        wide: false,
    },
    Card {
        id: "chart-dataset-authors",
        part: Part::Datasets,
        title: "Most popular dataset authors",
        note: Note::Count("The owner of each dataset id (canonical datasets such as mnist count as their own), top 20. Of"),
        body: CardBody::Bars {
            style: TOP_BARS,
            series: "Uses",
        },
        ranked: Some(|o| &o.top_dataset_authors),
        headers: &["Dataset author", "Uses"],
        pick: None,
        link: Some(links::author),
        wide: false,
    },
    Card {
        id: "table-most-liked",
        part: Part::Liked,
        title: "Most liked Spaces",
        note: Note::Count("Top 20 by likes, of"),
        body: CardBody::Table,
        ranked: Some(|o| &o.most_liked),
        headers: &["Space", "Likes"],
        pick: None,
        link: Some(links::space),
        wide: false,
    },
    Card {
        id: "table-most-duplicated",
        part: Part::Duplicated,
        title: "Most duplicated Spaces",
        note: Note::Count("Spaces others duplicated most (counted from the Space each copy says it was duplicated from), top 20, of"),
        body: CardBody::Table,
        ranked: Some(|o| &o.most_duplicated),
        headers: &["Space", "Duplicates"],
        pick: None,
        link: Some(links::space),
        wide: false,
    },
    Card {
        id: "table-authors-by-spaces",
        part: Part::Authors,
        title: "Authors with the most Spaces",
        note: Note::Count("Top 20 authors by number of Spaces, of"),
        body: CardBody::Table,
        ranked: Some(|o| &o.authors_by_spaces),
        headers: &["Author", "Spaces"],
        pick: Some(Field::Author),
        link: Some(links::author),
        wide: false,
    },
    Card {
        id: "table-authors-by-likes",
        part: Part::Authors,
        title: "Authors with the most likes",
        note: Note::Count("Top 20 authors by likes summed over their Spaces, of"),
        body: CardBody::Table,
        ranked: Some(|o| &o.authors_by_likes),
        headers: &["Author", "Likes"],
        pick: Some(Field::Author),
        link: Some(links::author),
        wide: false,
    },
];

impl Card {
    /// The card with this id.
    pub fn find(id: &str) -> Option<&'static Card> {
        CARDS.iter().find(|card| card.id == id)
    }

    pub fn is_chart(&self) -> bool {
        !matches!(self.body, CardBody::Table)
    }

    /// The values a click picks from, in the order the chart draws them
    /// (the n-th bar, slice or point is the n-th label).
    pub fn labels(&self, overview: &Overview) -> Vec<String> {
        match self.body {
            CardBody::AuthorScatter => overview
                .author_points
                .iter()
                .map(|p| p.author.clone())
                .collect(),
            CardBody::EmojiScatter => overview
                .emoji_likes
                .iter()
                .map(|p| p.emoji.clone())
                .collect(),
            _ => self
                .ranked_in(overview)
                .iter()
                .map(|p| p.0.clone())
                .collect(),
        }
    }

    fn ranked_in<'a>(&self, overview: &'a Overview) -> &'a [(String, u64)] {
        self.ranked.map_or(&[], |part| part(overview).as_slice())
    }

    /// The chart's whole option (`selected` are the values the card's
    /// field is filtered by: they stand out).
    pub fn option(&self, overview: &Overview, selected: &[String], theme: Theme) -> ChartOption {
        let ranked = self.ranked_in(overview);
        match self.body {
            CardBody::Growth => charts::growth(ranked, theme),
            CardBody::Pie => charts::sdk_pie(ranked, selected, theme),
            CardBody::Bars { style, series } => {
                charts::bars(ranked, series, style, selected, theme)
            }
            CardBody::AuthorScatter => {
                charts::author_scatter(&overview.author_points, selected, theme)
            }
            CardBody::EmojiScatter => charts::emoji_scatter(&overview.emoji_likes, selected, theme),
            CardBody::Table => ChartOption::Null,
        }
    }

    /// The rows of the card's data table.
    pub fn rows(&self, overview: &Overview) -> Vec<TableRow> {
        let href = |label: &str| self.link.map(|link| link(label));
        match self.body {
            CardBody::AuthorScatter => {
                let mut top: Vec<_> = overview.author_points.iter().collect();
                top.sort_by(|a, b| b.likes.cmp(&a.likes).then_with(|| a.author.cmp(&b.author)));
                top.into_iter()
                    .take(AUTHOR_ROWS)
                    .map(|p| TableRow {
                        label: p.author.clone(),
                        href: href(&p.author),
                        extra: Some(p.spaces),
                        value: p.likes,
                    })
                    .collect()
            }
            CardBody::EmojiScatter => overview
                .emoji_likes
                .iter()
                .map(|p| TableRow {
                    label: p.emoji.clone(),
                    href: href(&p.emoji),
                    extra: Some(p.spaces),
                    value: p.likes,
                })
                .collect(),
            _ => self
                .ranked_in(overview)
                .iter()
                .map(|(label, n)| TableRow {
                    label: label.clone(),
                    href: href(label),
                    extra: None,
                    value: *n,
                })
                .collect(),
        }
    }

    /// Whether the chart has nothing to draw.
    pub fn is_blank(&self, overview: &Overview) -> bool {
        match self.body {
            CardBody::AuthorScatter => overview.author_points.is_empty(),
            CardBody::EmojiScatter => overview.emoji_likes.is_empty(),
            _ => self.ranked_in(overview).iter().all(|p| p.1 == 0),
        }
    }

    /// The card's sentence of context for `overview` (`None` before the
    /// data is in), at snapshot date `snapshot`.
    pub fn note_text(&self, overview: Option<&Overview>, snapshot: &str) -> String {
        let total = overview.map_or(0, |o| o.rows);
        let counted = |n| format::plural(n, "Space", "Spaces");
        match self.note {
            Note::Count(text) => format!("{text} {}, snapshot {snapshot}.", counted(total)),
            Note::Context(text) => {
                let field = self.pick.unwrap_or(Field::Sdk);
                let (rows, context) = overview.map_or((0, false), |o| {
                    (
                        o.rows_behind(field),
                        o.contexts.iter().any(|(f, _)| *f == field),
                    )
                });
                if context {
                    format!(
                        "{text} {} matching the other filters, snapshot {snapshot}. The selected {} stand out; click one again to remove it.",
                        counted(rows),
                        many(field)
                    )
                } else {
                    format!("{text} {}, snapshot {snapshot}.", counted(rows))
                }
            }
            Note::AuthorPoints => {
                let shown = overview.map_or(0, |o| o.author_points.len()) as u64;
                let all = overview.map_or(0, |o| o.author_count);
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
                    "Each point is an author: how many Spaces they have and the likes those Spaces got. {which}; snapshot {snapshot}."
                )
            }
        }
    }
}

/// Why a chart has nothing to draw: the file is empty, nothing matches, or
/// what matches has none of what the chart counts (no models, no likes…).
pub fn why_blank(matching: u64, filtered: bool) -> &'static str {
    if matching == 0 && !filtered {
        "This file holds no Spaces."
    } else if matching == 0 {
        "No Spaces match these filters."
    } else {
        "None of the matching Spaces has anything to show here."
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

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::data::decode_spaces;
    use crate::synth::{generate_spaces, write_parquet, WriteOptions};

    fn overview() -> Overview {
        let bytes = write_parquet(&generate_spaces(2_000, 5), &WriteOptions::default());
        let (table, _) = decode_spaces(bytes::Bytes::from(bytes)).unwrap();
        let rows: Vec<u32> = (0..table.len() as u32).collect();
        Overview::compute(&table, &rows)
    }

    #[test]
    fn ids_are_unique_and_hooks_are_well_formed() {
        for (i, card) in CARDS.iter().enumerate() {
            assert!(card.id.starts_with("chart-") || card.id.starts_with("table-"));
            assert_eq!(
                card.id.starts_with("chart-"),
                card.is_chart(),
                "{}",
                card.id
            );
            assert!(CARDS[..i].iter().all(|c| c.id != card.id), "{}", card.id);
            assert_eq!(Card::find(card.id).map(|c| c.title), Some(card.title));
            // A sentence about "the other filters" needs the card's own field.
            if matches!(card.note, Note::Context(_)) {
                assert!(card.pick.is_some(), "{}", card.id);
            }
        }
        assert!(Card::find("search").is_none());
    }

    #[test]
    fn labels_rows_and_picks_line_up() {
        let o = overview();
        for card in &CARDS {
            let labels = card.labels(&o);
            let rows = card.rows(&o);
            match card.body {
                // The scatter's table lists the most liked authors only.
                CardBody::AuthorScatter => {
                    assert_eq!(rows.len(), labels.len().min(AUTHOR_ROWS));
                    assert!(rows.windows(2).all(|w| w[0].value >= w[1].value));
                }
                _ => assert_eq!(
                    rows.iter().map(|r| r.label.clone()).collect::<Vec<_>>(),
                    labels,
                    "{}",
                    card.id
                ),
            }
            if let Some(link) = card.link {
                assert!(rows
                    .iter()
                    .all(|r| r.href.as_deref() == Some(&*link(&r.label))));
            } else {
                assert!(rows.iter().all(|r| r.href.is_none()), "{}", card.id);
            }
        }
        let sdk = Card::find("chart-sdk").unwrap();
        assert_eq!(sdk.rows(&o).iter().map(|r| r.value).sum::<u64>(), o.rows);
    }

    #[test]
    fn notes_count_the_spaces_and_name_the_snapshot() {
        let o = overview();
        let note = Card::find("table-most-liked")
            .unwrap()
            .note_text(Some(&o), "2024-09-01");
        assert_eq!(
            note,
            "Top 20 by likes, of 2,000 Spaces, snapshot 2024-09-01."
        );
        let before = Card::find("chart-sdk").unwrap().note_text(None, "unknown");
        assert!(before.ends_with("0 Spaces, snapshot unknown."), "{before}");
        assert_eq!(why_blank(0, false), "This file holds no Spaces.");
        assert_eq!(why_blank(0, true), "No Spaces match these filters.");
    }
}
