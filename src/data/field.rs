//! The facet fields a filter can select, and uniform access to the column
//! behind each one (single-valued or multi-valued codes).

use crate::data::{CategoryColumn, MultiColumn, SpacesTable, NULL_CODE};

/// A facet field that a filter can select values of.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum Field {
    Sdk,
    Emoji,
    Author,
    Hardware,
    License,
    Model,
    Dataset,
    Tag,
    Stage,
}

impl Field {
    pub const ALL: [Field; 9] = [
        Field::Sdk,
        Field::Tag,
        Field::Emoji,
        Field::Author,
        Field::Hardware,
        Field::License,
        Field::Model,
        Field::Dataset,
        Field::Stage,
    ];

    /// The URL parameter (README, "URL parameters").
    pub fn param(self) -> &'static str {
        match self {
            Field::Sdk => "sdk",
            Field::Emoji => "emoji",
            Field::Author => "author",
            Field::Hardware => "hardware",
            Field::License => "license",
            Field::Model => "model",
            Field::Dataset => "dataset",
            Field::Tag => "tag",
            Field::Stage => "stage",
        }
    }

    pub fn from_param(param: &str) -> Option<Field> {
        Field::ALL.into_iter().find(|f| f.param() == param)
    }

    pub fn label(self) -> &'static str {
        match self {
            Field::Sdk => "SDK",
            Field::Emoji => "Emoji",
            Field::Author => "Author",
            Field::Hardware => "Hardware",
            Field::License => "License",
            Field::Model => "Model",
            Field::Dataset => "Dataset",
            Field::Tag => "Tag",
            Field::Stage => "Stage",
        }
    }
}

/// The column behind a field.
pub enum FieldColumn<'a> {
    Single(&'a CategoryColumn),
    Multi(&'a MultiColumn),
}

impl<'a> FieldColumn<'a> {
    pub fn of(table: &'a SpacesTable, field: Field) -> FieldColumn<'a> {
        match field {
            Field::Sdk => FieldColumn::Single(&table.sdk),
            Field::Emoji => FieldColumn::Single(&table.emoji),
            Field::Author => FieldColumn::Single(&table.author),
            Field::Hardware => FieldColumn::Single(&table.hardware),
            Field::Stage => FieldColumn::Single(&table.stage),
            Field::License => FieldColumn::Multi(&table.license),
            Field::Model => FieldColumn::Multi(&table.models),
            Field::Dataset => FieldColumn::Multi(&table.datasets),
            Field::Tag => FieldColumn::Multi(&table.tags),
        }
    }

    /// The code of `value`, if the column holds it anywhere.
    pub fn code_of(&self, value: &str) -> Option<u32> {
        match self {
            FieldColumn::Single(c) => c.code_of(value),
            FieldColumn::Multi(c) => c.code_of(value),
        }
    }

    pub fn dictionary(&self) -> &'a [Box<str>] {
        match self {
            FieldColumn::Single(c) => &c.dictionary,
            FieldColumn::Multi(c) => &c.dictionary,
        }
    }

    /// Whether `row` holds any code for which `allowed` is true.
    pub fn row_matches(&self, row: usize, allowed: &[bool]) -> bool {
        match self {
            FieldColumn::Single(c) => {
                let code = c.code(row);
                code != NULL_CODE && allowed[code as usize]
            }
            FieldColumn::Multi(c) => c.row_codes(row).iter().any(|&code| allowed[code as usize]),
        }
    }
}
