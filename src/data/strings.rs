//! Text values of any Arrow layout the writers produce (string, large,
//! view, binary, dictionary-coded), read as bytes so that invalid UTF-8 is
//! repaired per value. Shared by the decoder's columns and the JSON
//! records of the Hub's shape.

use std::borrow::Cow;

use arrow_array::cast::AsArray;
use arrow_array::{Array, ArrayRef};
use arrow_schema::DataType;

use super::repair::ColumnRepairs;

/// Each row's index into the dictionary values, `None` for a null key. (An
/// all-null batch has no values at all; Arrow's `normalized_keys` would
/// panic on it.)
pub(super) fn dictionary_keys(
    dictionary: &dyn arrow_array::AnyDictionaryArray,
) -> Vec<Option<usize>> {
    let keys = dictionary.keys();
    if dictionary.values().is_empty() {
        return vec![None; keys.len()];
    }
    let normalized = dictionary.normalized_keys();
    // The validity bitmap read in one pass: asking `is_valid` row by row
    // through `dyn Array` was a tenth of a category column's decode.
    match keys.nulls() {
        None => normalized.into_iter().map(Some).collect(),
        Some(nulls) => normalized
            .into_iter()
            .zip(nulls.iter())
            .map(|(key, valid)| valid.then_some(key))
            .collect(),
    }
}

/// Random access to any Arrow text layout the writers produce.
pub(super) enum StrAccess<'a> {
    Utf8(&'a arrow_array::StringArray),
    Large(&'a arrow_array::LargeStringArray),
    View(&'a arrow_array::StringViewArray),
    Binary(&'a arrow_array::BinaryArray),
    BinaryView(&'a arrow_array::BinaryViewArray),
    LargeBinary(&'a arrow_array::LargeBinaryArray),
    /// Dictionary-typed text (pandas categoricals): keys into `values`.
    Dictionary {
        keys: Vec<Option<usize>>,
        values: Box<StrAccess<'a>>,
    },
}

impl<'a> StrAccess<'a> {
    pub(super) fn new(array: &'a ArrayRef) -> Result<Self, String> {
        Ok(match array.data_type() {
            DataType::Utf8 => StrAccess::Utf8(array.as_string::<i32>()),
            DataType::LargeUtf8 => StrAccess::Large(array.as_string::<i64>()),
            DataType::Utf8View => StrAccess::View(array.as_string_view()),
            DataType::Binary => StrAccess::Binary(array.as_binary::<i32>()),
            DataType::LargeBinary => StrAccess::LargeBinary(array.as_binary::<i64>()),
            DataType::BinaryView => StrAccess::BinaryView(array.as_binary_view()),
            DataType::Dictionary(_, _) => {
                let dictionary = array.as_any_dictionary();
                let keys = dictionary_keys(dictionary);
                StrAccess::Dictionary {
                    keys,
                    values: Box::new(StrAccess::new(dictionary.values())?),
                }
            }
            other => return Err(other.to_string()),
        })
    }

    /// The raw bytes of a value: the decoder reads text as bytes so that
    /// invalid UTF-8 is repaired per value ([`ColumnRepairs::text`]) rather
    /// than failing the file.
    #[inline]
    pub(super) fn get(&self, index: usize) -> Option<&[u8]> {
        match self {
            StrAccess::Utf8(a) => a.is_valid(index).then(|| a.value(index).as_bytes()),
            StrAccess::Large(a) => a.is_valid(index).then(|| a.value(index).as_bytes()),
            StrAccess::View(a) => a.is_valid(index).then(|| a.value(index).as_bytes()),
            StrAccess::Binary(a) => a.is_valid(index).then(|| a.value(index)),
            StrAccess::LargeBinary(a) => a.is_valid(index).then(|| a.value(index)),
            StrAccess::BinaryView(a) => a.is_valid(index).then(|| a.value(index)),
            StrAccess::Dictionary { keys, values } => {
                values.get(keys.get(index).copied().flatten()?)
            }
        }
    }

    /// A value as the app keeps it, repaired and counted in `repairs`.
    pub(super) fn text(&self, index: usize, repairs: &mut ColumnRepairs) -> Option<Cow<'_, str>> {
        match self {
            // Arrow checked these when it built them (the JSON reader's
            // output): only the length rule is left to apply.
            StrAccess::Utf8(a) => a
                .is_valid(index)
                .then(|| repairs.valid_text(a.value(index))),
            _ => self.get(index).map(|raw| repairs.text(raw)),
        }
    }
}
