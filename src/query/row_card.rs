//! One Space of the results list as the page draws it: plain text picked
//! from the table in the engine, so the page needs no table of its own.

use serde::{Deserialize, Serialize};

use crate::data::SpacesTable;
use crate::search::wording;
use crate::url::links;

/// Chips a row shows per kind: more would not fit its one line.
const TAGS_SHOWN: usize = 3;
const MODELS_SHOWN: usize = 3;
const DATASETS_SHOWN: usize = 2;

/// What one result row shows. Every value is text for the page to put in
/// text nodes; `href` is a Hub address built from the encoded id, or an
/// https custom domain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RowCard {
    /// The table row (the list's key).
    pub row: u32,
    pub id: String,
    pub href: String,
    /// Empty when the Space has none (the slot keeps ids aligned).
    pub emoji: String,
    /// The README's title, when it says more than the id's name does.
    pub title: Option<String>,
    pub description: Option<String>,
    pub likes: u64,
    pub sdk: Option<String>,
    /// In words ("Running", "Build error").
    pub stage: Option<String>,
    pub hardware: Option<String>,
    /// "License: mit, apache-2.0".
    pub license: Option<String>,
    pub author: Option<String>,
    /// UTC milliseconds.
    pub created: Option<i64>,
    pub modified: Option<i64>,
    /// Tags other than the SDK's name and regions.
    pub tags: Vec<String>,
    pub models: Vec<String>,
    pub datasets: Vec<String>,
}

impl RowCard {
    pub fn of(table: &SpacesTable, row: u32) -> RowCard {
        let r = row as usize;
        let id = table.id(r).to_string();
        let href = table
            .custom_domains
            .row_values(r)
            .find_map(links::custom_domain)
            .unwrap_or_else(|| links::space(&id));
        let owned = |values: &mut dyn Iterator<Item = &str>, most: usize| {
            values.take(most).map(str::to_string).collect::<Vec<_>>()
        };
        // The SDK and region tags repeat what the row already says.
        let sdk = table.sdk.get(r);
        let mut tags = table
            .tags
            .row_values(r)
            .filter(|tag| Some(*tag) != sdk && !tag.starts_with("region:"));
        let licenses: Vec<&str> = table.license.row_values(r).collect();
        let name = id.split_once('/').map_or(id.as_str(), |(_, name)| name);
        let title = Some(table.title(r))
            .filter(|title| !title.is_empty() && *title != name)
            .map(str::to_string);
        let description = Some(table.description(r))
            .filter(|d| !d.is_empty())
            .map(str::to_string);
        RowCard {
            row,
            href,
            emoji: table.emoji.get(r).unwrap_or("").to_string(),
            title,
            description,
            likes: table.likes[r].max(0) as u64,
            sdk: sdk.map(str::to_string),
            stage: table.stage.get(r).map(wording::stage),
            hardware: table.hardware.get(r).map(str::to_string),
            license: (!licenses.is_empty()).then(|| format!("License: {}", licenses.join(", "))),
            author: table.author.get(r).map(str::to_string),
            created: table.created(r),
            modified: table.modified(r),
            tags: owned(&mut tags, TAGS_SHOWN),
            models: owned(&mut table.models.row_values(r), MODELS_SHOWN),
            datasets: owned(&mut table.datasets.row_values(r), DATASETS_SHOWN),
            id,
        }
    }
}
