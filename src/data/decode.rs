//! Parquet (any writer the upstream dataset has seen) to [`SpacesTable`].

use arrow_array::cast::AsArray;
use arrow_array::types::ByteArrayType;
use arrow_array::types::{
    Date32Type, Date64Type, Float64Type, Int16Type, Int32Type, Int64Type, Int8Type,
    TimestampMicrosecondType, TimestampMillisecondType, TimestampNanosecondType,
    TimestampSecondType, UInt16Type, UInt32Type, UInt64Type, UInt8Type,
};
use arrow_array::{Array, ArrayRef, ArrowPrimitiveType, GenericByteArray, RecordBatch};
use arrow_buffer::ArrowNativeType;
use std::ops::Range;
use std::sync::Arc;

use arrow_schema::{DataType, FieldRef, Schema, SchemaRef, TimeUnit};
use bytes::Bytes;
use parquet::arrow::arrow_reader::{
    ArrowReaderMetadata, ArrowReaderOptions, ParquetRecordBatchReader,
    ParquetRecordBatchReaderBuilder,
};
use parquet::arrow::ProjectionMask;
use parquet::file::metadata::ParquetMetaData;
use parquet::file::reader::ChunkReader;

use super::budget::{check_pages, Budget, MAX_TEXT_BYTES};
use super::column::{CategoryBuilder, MultiBuilder, TextColumn};
use super::error::{DecodeError, DecodeResult};
use super::footer::{
    check_chunk_ranges, check_envelope, describe_error, reading_failed, ENVELOPE_HEAD,
};
use super::record::{flatten, JsonRepairs};
use super::repair::{ColumnRepairs, Repairs};
use super::shape::{Phase, Shape};
use super::sparse::{column_ranges, merge_gap, SparseFile};
use super::strings::{dictionary_keys, StrAccess};
use super::table::{
    column_kind, ApartColumns, ColumnKind, Prose, SpacesTable, KNOWN_COLUMNS, NULL_BOOL, NULL_TIME,
    PROSE_COLUMNS,
};
use super::time::EpochUnit;

/// Rows per Arrow batch: a step of the browser's decode. We measured
/// 8k-64k rows decoding faster than the default 1024, and 32k as fast as
/// 64k natively (a million rows: 0.43-0.46 s either way); 32k keeps a step
/// near 30 ms in the browser, under the 50 ms that counts as a long task.
pub const DECODE_BATCH_ROWS: usize = 32_768;

/// What the decoder found besides the rows, for the data-source panel.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct DecodeReport {
    pub rows: usize,
    pub row_groups: usize,
    /// Known columns absent from the file: their values read as null.
    pub missing: Vec<String>,
    /// Known columns present with a type the app cannot read, and that type.
    pub unreadable: Vec<(String, String)>,
    /// Columns in the file the app does not use (not decoded).
    pub ignored: Vec<String>,
    /// Odd values repaired (dates clamped, text replaced or cut, …).
    pub repairs: Repairs,
}

impl DecodeReport {
    /// Adds what the decode of the columns left apart, run beside this
    /// one, found ([`SpacesDecoder::for_apart`]): the file's missing
    /// and ignored columns are the same for both and stay as they are.
    pub fn absorb(&mut self, apart: DecodeReport) {
        self.unreadable.extend(apart.unreadable);
        self.repairs.columns.extend(apart.repairs.columns);
    }

    /// One sentence a person can read, empty when nothing is amiss.
    pub fn warnings(&self) -> Vec<String> {
        let mut out = Vec::new();
        if !self.missing.is_empty() {
            out.push(format!(
                "Columns not in this file (shown as empty): {}.",
                self.missing.join(", ")
            ));
        }
        for (name, ty) in &self.unreadable {
            out.push(format!(
                "Column `{name}` has type {ty}, which this app cannot read; it is shown as empty."
            ));
        }
        out.extend(self.repairs.sentences());
        out
    }
}

/// Decodes a whole file at once. See [`SpacesDecoder`] to decode in steps.
///
/// ```
/// use spaces_ship::data::decode_spaces;
///
/// let bytes = std::fs::read("tests/fixtures/spaces-5k-pandas.parquet").unwrap();
/// let (table, report) = decode_spaces(bytes.into()).unwrap();
/// assert_eq!(table.len(), 5_000);
/// assert!(report.warnings().is_empty());
/// ```
pub fn decode_spaces(bytes: Bytes) -> DecodeResult<(SpacesTable, DecodeReport)> {
    let mut decoder = SpacesDecoder::new(bytes)?;
    while decoder.step()? {}
    Ok(decoder.finish())
}

/// Decodes the prose chunks of a file whose first decode deferred them
/// ([`SpacesDecoder::prose_deferred`]): `file` holds its footer and those
/// chunks. Its rows must then match the table's ([`SpacesTable::set_prose`]).
pub fn decode_prose(file: SparseFile) -> DecodeResult<Prose> {
    let mut decoder = SpacesDecoder::for_prose(file)?;
    while decoder.step()? {}
    Ok(decoder.finish_prose())
}

/// Decodes a whole file as the engine's workers do: when it is split
/// ([`decodes_apart`]), the rest, then the columns left apart, put together
/// (one after the other here; the browser runs the two side by side).
pub fn decode_beside_apart(bytes: Bytes) -> DecodeResult<(SpacesTable, DecodeReport)> {
    decode_whole_beside_apart(SparseFile::whole(bytes))
}

/// As [`decode_beside_apart`], for a whole file wherever its bytes are
/// kept ([`SparseFile::whole_held`]).
pub fn decode_whole_beside_apart(file: SparseFile) -> DecodeResult<(SpacesTable, DecodeReport)> {
    let mut decoder = SpacesDecoder::whole_beside_apart(file.clone())?;
    let apart = decoder
        .leaves_apart()
        .then(|| file.keep(decoder.deferred_ranges()));
    while decoder.step()? {}
    let (mut table, mut report) = decoder.finish();
    if let Some(file) = apart {
        put_apart(&mut table, &mut report, decode_apart(file)?)?;
    }
    Ok((table, report))
}

/// Decodes the columns a split decode leaves apart, from a file of its
/// footer and their chunks ([`SpacesDecoder::for_apart`]).
pub fn decode_apart(file: SparseFile) -> DecodeResult<(ApartColumns, DecodeReport)> {
    let mut decoder = SpacesDecoder::for_apart(file)?;
    while decoder.step()? {}
    Ok(decoder.finish_apart())
}

/// The size of the parts a second engine hands its titles and
/// descriptions on in ([`decode_apart_handing_on_prose`]): a few dozen
/// messages for a million Spaces, each a few milliseconds' copy.
pub const PROSE_PART_BYTES: usize = 4 << 20;

/// As [`decode_apart`], but handing the titles and descriptions to
/// `hand_on` as they are decoded, in parts of about `part_bytes` (the last
/// one maybe smaller or empty), and returning the columns without them,
/// with the number of parts: what a second engine sends on as it goes, so
/// that it never holds them all.
pub fn decode_apart_handing_on_prose(
    file: SparseFile,
    part_bytes: usize,
    mut hand_on: impl FnMut(Prose),
) -> DecodeResult<(ApartColumns, DecodeReport, usize)> {
    let mut decoder = SpacesDecoder::for_apart(file)?;
    let mut parts = 0;
    let mut hand_part = |decoder: &mut SpacesDecoder| {
        if let Some(prose) = decoder.take_prose() {
            hand_on(prose);
            parts += 1;
        }
    };
    while decoder.step()? {
        if decoder.prose_bytes_held() >= part_bytes {
            hand_part(&mut decoder);
        }
    }
    hand_part(&mut decoder);
    let (mut columns, report) = decoder.finish_apart();
    columns.prose = None;
    Ok((columns, report, parts))
}

/// Puts what the decode of the columns left apart read
/// ([`SpacesDecoder::finish_apart`]) into the table the rest of the file
/// made, and its repairs into that decode's report.
pub fn put_apart(
    table: &mut SpacesTable,
    report: &mut DecodeReport,
    (columns, apart_report): (ApartColumns, DecodeReport),
) -> DecodeResult<()> {
    table
        .set_apart(columns)
        .map_err(|why| DecodeError::Corrupt(why.into()))?;
    report.absorb(apart_report);
    Ok(())
}

/// Why a batch's column could not be appended.
enum Unreadable {
    /// A type the app cannot read (named): the column reads as empty.
    Type(String),
    /// A budget was exceeded: the whole file is refused.
    TooLarge(String),
}

impl From<String> for Unreadable {
    fn from(type_name: String) -> Self {
        Unreadable::Type(type_name)
    }
}

/// How one known column is stored while batches arrive.
enum Sink {
    Text(TextColumn),
    Category(CategoryBuilder, DictionaryMemo),
    Multi(MultiBuilder, DictionaryMemo),
    Time(Vec<i64>),
    Int(Vec<i64>),
    Bool(Vec<u8>),
}

/// What a sink makes room for up front, from the footer.
struct Room {
    rows: usize,
    /// Bytes of text (a text column).
    text: usize,
    /// List items (a list column).
    items: usize,
}

impl Sink {
    /// A sink sized once for what the footer says is coming: a column
    /// never holds two copies of itself while it grows.
    fn with_room(name: &str, room: Room) -> Sink {
        let mut sink = Sink::for_column(name, room.rows);
        match &mut sink {
            Sink::Text(column) => column.reserve_text(room.text),
            Sink::Multi(builder, _) => builder.reserve_items(room.items),
            _ => {}
        }
        sink
    }

    /// A sink with room for `rows` rows, the file's count: sized once, a
    /// column never holds two copies of itself while it grows.
    fn for_column(name: &str, rows: usize) -> Sink {
        match column_kind(name) {
            Some(ColumnKind::Text) => Sink::Text(TextColumn::with_rows(rows)),
            Some(ColumnKind::Time) => Sink::Time(Vec::with_capacity(rows)),
            Some(ColumnKind::Likes) => Sink::Int(Vec::with_capacity(rows)),
            Some(ColumnKind::Flag) => Sink::Bool(Vec::with_capacity(rows)),
            Some(ColumnKind::Multi) => {
                Sink::Multi(MultiBuilder::with_rows(rows), DictionaryMemo::default())
            }
            Some(ColumnKind::Category) | None => {
                Sink::Category(CategoryBuilder::with_rows(rows), DictionaryMemo::default())
            }
        }
    }

    /// Appends one batch's array, repairing odd values into `repairs`;
    /// `Err` names the type it could not read. `taken` is the text this
    /// column held before and handed on ([`SpacesDecoder::take_prose`]),
    /// still counted against the budget.
    fn append(
        &mut self,
        array: &ArrayRef,
        repairs: &mut ColumnRepairs,
        budget: &Budget,
        taken: usize,
    ) -> Result<(), Unreadable> {
        match self {
            Sink::Text(column) => append_text(column, array, repairs, budget, taken)?,
            Sink::Category(builder, memo) => append_category(builder, memo, array, repairs)?,
            Sink::Multi(builder, memo) => append_multi(builder, memo, array, repairs)?,
            Sink::Time(values) => append_time(values, array, repairs)?,
            Sink::Int(values) => append_ints(values, array, repairs)?,
            Sink::Bool(values) => append_bools(values, array)?,
        }
        Ok(())
    }

    fn pad_to(&mut self, rows: usize) {
        match self {
            Sink::Text(column) => {
                while column.len() < rows {
                    column.push(None);
                }
            }
            Sink::Category(builder, _) => {
                let have = builder.rows();
                builder.push_nulls(rows.saturating_sub(have));
            }
            Sink::Multi(builder, _) => {
                let have = builder.rows();
                builder.push_empty_rows(rows.saturating_sub(have));
            }
            Sink::Time(values) => values.resize(rows, NULL_TIME),
            // A missing like count reads as zero likes, as pandas' fillna(0) would.
            Sink::Int(values) => values.resize(rows, 0),
            Sink::Bool(values) => values.resize(rows, NULL_BOOL),
        }
    }
}

/// Appends a batch of free text (ids, titles, descriptions), each value
/// repaired into `repairs`; `taken` bytes of the column's text were handed
/// on before.
fn append_text(
    column: &mut TextColumn,
    array: &ArrayRef,
    repairs: &mut ColumnRepairs,
    budget: &Budget,
    taken: usize,
) -> Result<(), Unreadable> {
    if append_text_at_once(column, array, budget, taken) {
        return Ok(());
    }
    let strings = StrAccess::new(array)?;
    // Checked before any value is copied or repaired: a dictionary lets
    // 5,000 rows share one long id that the page budget counted once.
    let coming: usize = (0..array.len())
        .map(|row| strings.get(row).map_or(0, <[u8]>::len).min(MAX_TEXT_BYTES))
        .sum();
    if (taken + column.text_bytes() + coming) as u64 > budget.id_bytes() {
        return Err(Unreadable::TooLarge(format!(
            "its ids add up to more than {} for {} rows",
            crate::format::bytes(budget.id_bytes()),
            crate::format::count(budget.rows)
        )));
    }
    // Views (how ids are read) walked directly, each value looked up once.
    match array.data_type() {
        DataType::BinaryView => {
            for value in array.as_binary_view() {
                column.push(value.map(|raw| repairs.text(raw)).as_deref());
            }
        }
        DataType::Utf8View => {
            for value in array.as_string_view() {
                column.push(value.map(|text| repairs.valid_text(text)).as_deref());
            }
        }
        _ => {
            for row in 0..array.len() {
                column.push(strings.text(row, repairs).as_deref());
            }
        }
    }
    Ok(())
}

/// Appends a batch of plain text values in one copy when that gives
/// exactly what appending them one by one would: every value valid UTF-8
/// and within the length cut, null values empty, the budget not reached.
/// `false` leaves the batch to the caller, value by value (which also
/// names what went wrong). Titles and descriptions come as plain text;
/// ids come as views ([`dictionary_hints`]), walked by the caller.
fn append_text_at_once(
    column: &mut TextColumn,
    array: &ArrayRef,
    budget: &Budget,
    taken: usize,
) -> bool {
    let room = (budget.id_bytes() as usize).saturating_sub(taken);
    fn joined<T: ByteArrayType>(
        column: &mut TextColumn,
        values: &GenericByteArray<T>,
        room: usize,
    ) -> bool {
        let offsets = values.value_offsets();
        let (Some(first), Some(last)) = (offsets.first(), offsets.last()) else {
            return false;
        };
        let (first, last) = (first.as_usize(), last.as_usize());
        let lengths_fit = offsets
            .windows(2)
            .all(|w| w[1].as_usize() - w[0].as_usize() <= MAX_TEXT_BYTES);
        let nulls_empty = values.nulls().is_none_or(|nulls| {
            nulls
                .iter()
                .zip(offsets.windows(2))
                .all(|(valid, w)| valid || w[0] == w[1])
        });
        if !lengths_fit || !nulls_empty || column.text_bytes() + (last - first) > room {
            return false;
        }
        // Valid as a whole, and cut only between characters: so is each value.
        let Ok(text) = std::str::from_utf8(&values.value_data()[first..last]) else {
            return false;
        };
        let ends = offsets[1..].iter().map(|end| end.as_usize() - first);
        if !ends.clone().all(|end| text.is_char_boundary(end)) {
            return false;
        }
        column.push_joined(text, ends);
        true
    }
    match array.data_type() {
        DataType::Binary => joined(column, array.as_binary::<i32>(), room),
        DataType::LargeBinary => joined(column, array.as_binary::<i64>(), room),
        DataType::Utf8 => joined(column, array.as_string::<i32>(), room),
        DataType::LargeUtf8 => joined(column, array.as_string::<i64>(), room),
        _ => false,
    }
}

/// Appends a primitive array through `keep`, `null` for null values.
fn extend_primitive<T: ArrowPrimitiveType>(
    values: &mut Vec<i64>,
    array: &ArrayRef,
    null: i64,
    mut keep: impl FnMut(T::Native) -> i64,
) {
    let numbers = array.as_primitive::<T>();
    if numbers.null_count() == 0 {
        // Without nulls, one pass over the values alone.
        values.extend(numbers.values().iter().map(|&v| keep(v)));
        return;
    }
    values.extend((0..numbers.len()).map(|i| {
        if numbers.is_null(i) {
            null
        } else {
            keep(numbers.value(i))
        }
    }));
}

/// Any integer or float column as like counts inside `0..=MAX_LIKES`
/// (clamped and counted); null reads as 0.
fn append_ints(
    values: &mut Vec<i64>,
    array: &ArrayRef,
    repairs: &mut ColumnRepairs,
) -> Result<(), Unreadable> {
    // Every integer type fits an i128 (u64 included).
    fn whole<T: ArrowPrimitiveType>(
        values: &mut Vec<i64>,
        array: &ArrayRef,
        repairs: &mut ColumnRepairs,
    ) where
        T::Native: Into<i128>,
    {
        extend_primitive::<T>(values, array, 0, |v| repairs.likes(v.into()));
    }
    match array.data_type() {
        DataType::Int64 => whole::<Int64Type>(values, array, repairs),
        DataType::Int32 => whole::<Int32Type>(values, array, repairs),
        DataType::Int16 => whole::<Int16Type>(values, array, repairs),
        DataType::Int8 => whole::<Int8Type>(values, array, repairs),
        DataType::UInt64 => whole::<UInt64Type>(values, array, repairs),
        DataType::UInt32 => whole::<UInt32Type>(values, array, repairs),
        DataType::UInt16 => whole::<UInt16Type>(values, array, repairs),
        DataType::UInt8 => whole::<UInt8Type>(values, array, repairs),
        // `as` saturates: infinities become the i128 extremes, then clamped.
        DataType::Float64 => extend_primitive::<Float64Type>(values, array, 0, |v| {
            if v.is_nan() {
                0
            } else {
                repairs.likes(v.round() as i128)
            }
        }),
        other => return Err(Unreadable::Type(other.to_string())),
    }
    Ok(())
}

fn append_bools(values: &mut Vec<u8>, array: &ArrayRef) -> Result<(), Unreadable> {
    let DataType::Boolean = array.data_type() else {
        return Err(Unreadable::Type(array.data_type().to_string()));
    };
    let bools = array.as_boolean();
    values.extend((0..bools.len()).map(|i| {
        if bools.is_null(i) {
            NULL_BOOL
        } else {
            u8::from(bools.value(i))
        }
    }));
    Ok(())
}

fn append_category(
    builder: &mut CategoryBuilder,
    memo: &mut DictionaryMemo,
    array: &ArrayRef,
    repairs: &mut ColumnRepairs,
) -> Result<(), Unreadable> {
    if let DataType::Dictionary(_, _) = array.data_type() {
        // Intern each dictionary entry once, then map keys: far cheaper than
        // hashing every row's text.
        let dictionary = array.as_any_dictionary();
        let (codes, largest) = memo.codes(builder.interner(), dictionary.values(), repairs)?;
        let rows = dictionary_keys(dictionary).into_iter().map(|key| {
            key.and_then(|k| codes.get(k).copied().flatten())
                .unwrap_or(super::NULL_CODE)
        });
        builder.extend_codes(largest, rows);
        return Ok(());
    }
    let strings = StrAccess::new(array)?;
    for row in 0..array.len() {
        builder.push(strings.text(row, repairs).as_deref());
    }
    Ok(())
}

/// The codes of the last dictionary a column's batches carried. The reader
/// hands every batch of a column chunk the same dictionary (one `Arc`), so
/// its entries are interned once per chunk, not once per batch: with 65,536
/// rows a batch and a page dictionary of tens of thousands of authors, that
/// was a fifth of the decode.
#[derive(Default)]
struct DictionaryMemo {
    /// Kept alive so that its address cannot be reused by another array.
    values: Option<ArrayRef>,
    codes: Vec<Option<u32>>,
    /// The largest of `codes`.
    largest: u32,
}

impl DictionaryMemo {
    /// Each entry of `values` interned (repaired on the way), and the
    /// largest code, from the memo when `values` is the dictionary seen
    /// last.
    fn codes(
        &mut self,
        interner: &mut super::column::Interner,
        values: &ArrayRef,
        repairs: &mut ColumnRepairs,
    ) -> Result<(&[Option<u32>], u32), Unreadable> {
        if !self
            .values
            .as_ref()
            .is_some_and(|seen| Arc::ptr_eq(seen, values))
        {
            let strings = StrAccess::new(values)?;
            self.codes = (0..values.len())
                .map(|i| strings.text(i, repairs).map(|v| interner.intern(&v)))
                .collect();
            self.largest = self.codes.iter().flatten().copied().max().unwrap_or(0);
            self.values = Some(Arc::clone(values));
        }
        Ok((&self.codes, self.largest))
    }
}

fn append_multi(
    builder: &mut MultiBuilder,
    memo: &mut DictionaryMemo,
    array: &ArrayRef,
    repairs: &mut ColumnRepairs,
) -> Result<(), Unreadable> {
    match array.data_type() {
        DataType::List(_) => {
            let list = array.as_list::<i32>();
            append_list_rows(
                builder,
                memo,
                list.values(),
                list.value_offsets(),
                |r| list.is_null(r),
                repairs,
            )
        }
        DataType::LargeList(_) => {
            let list = array.as_list::<i64>();
            append_list_rows(
                builder,
                memo,
                list.values(),
                list.value_offsets(),
                |r| list.is_null(r),
                repairs,
            )
        }
        // A plain string (license in most files) is a list of one; read
        // as a dictionary, each distinct value is interned once, as a
        // category's are (one by one it was a third of the second
        // engine's decode at a million rows).
        DataType::Dictionary(_, _) => {
            let dictionary = array.as_any_dictionary();
            let (codes, _) = memo.codes(builder.interner(), dictionary.values(), repairs)?;
            for key in dictionary_keys(dictionary) {
                if let Some(code) = key.and_then(|k| codes.get(k).copied().flatten()) {
                    builder.push_code(code);
                }
                builder.end_row();
            }
            Ok(())
        }
        _ => {
            let strings = StrAccess::new(array)?;
            for row in 0..array.len() {
                if let Some(value) = strings.text(row, repairs) {
                    builder.push_value(&value);
                }
                builder.end_row();
            }
            Ok(())
        }
    }
}

fn append_list_rows<O: arrow_array::OffsetSizeTrait>(
    builder: &mut MultiBuilder,
    memo: &mut DictionaryMemo,
    values: &ArrayRef,
    offsets: &[O],
    is_null: impl Fn(usize) -> bool,
    repairs: &mut ColumnRepairs,
) -> Result<(), Unreadable> {
    if let DataType::Dictionary(_, _) = values.data_type() {
        // Intern each distinct value once, then copy codes per element.
        let dictionary = values.as_any_dictionary();
        let (codes, _) = memo.codes(builder.interner(), dictionary.values(), repairs)?;
        let keys = dictionary_keys(dictionary);
        for row in 0..offsets.len().saturating_sub(1) {
            if !is_null(row) {
                for key in &keys[offsets[row].as_usize()..offsets[row + 1].as_usize()] {
                    if let Some(code) = key.and_then(|k| codes.get(k).copied().flatten()) {
                        builder.push_code(code);
                    }
                }
            }
            builder.end_row();
        }
        return Ok(());
    }
    let strings = StrAccess::new(values)?;
    for row in 0..offsets.len().saturating_sub(1) {
        if !is_null(row) {
            for i in offsets[row].as_usize()..offsets[row + 1].as_usize() {
                // Null elements inside a list carry nothing to count.
                if let Some(value) = strings.text(i, repairs) {
                    builder.push_value(&value);
                }
            }
        }
        builder.end_row();
    }
    Ok(())
}

/// Timestamps as UTC milliseconds inside the date window (far-off dates
/// clamped and counted, so no month range or date format can blow up).
/// Integers of Unix time, the unit read from the batch's largest value;
/// numbers too small to be dates make the column unreadable.
fn append_epoch(
    values: &mut Vec<i64>,
    numbers: impl Iterator<Item = Option<i64>> + Clone,
    kept: &mut impl FnMut(i64) -> i64,
) -> Result<(), Unreadable> {
    let largest = numbers.clone().flatten().map(i64::unsigned_abs).max();
    let unit = match largest.map(EpochUnit::of_largest) {
        // Only nulls: nothing to read a unit from.
        None => None,
        Some(Some(unit)) => Some(unit),
        Some(None) => return Err(Unreadable::Type("integers too small to be dates".into())),
    };
    values.extend(numbers.map(|v| match (v, unit) {
        (Some(v), Some(unit)) => kept(unit.to_millis(v)),
        _ => NULL_TIME,
    }));
    Ok(())
}

fn append_time(
    values: &mut Vec<i64>,
    array: &ArrayRef,
    repairs: &mut ColumnRepairs,
) -> Result<(), Unreadable> {
    // Zoned Arrow timestamps hold UTC instants already: only the unit changes.
    let mut unreadable = 0;
    let mut kept = |ms: i64| repairs.date(ms, || super::repair::describe_instant(ms));
    match array.data_type() {
        DataType::Timestamp(TimeUnit::Nanosecond, _) => {
            extend_primitive::<TimestampNanosecondType>(values, array, NULL_TIME, |v| {
                kept(v.div_euclid(1_000_000))
            })
        }
        DataType::Timestamp(TimeUnit::Microsecond, _) => {
            extend_primitive::<TimestampMicrosecondType>(values, array, NULL_TIME, |v| {
                kept(v.div_euclid(1_000))
            })
        }
        DataType::Timestamp(TimeUnit::Millisecond, _) => {
            extend_primitive::<TimestampMillisecondType>(values, array, NULL_TIME, kept)
        }
        DataType::Timestamp(TimeUnit::Second, _) => {
            extend_primitive::<TimestampSecondType>(values, array, NULL_TIME, |v| {
                kept(v.saturating_mul(1_000))
            })
        }
        DataType::Date64 => extend_primitive::<Date64Type>(values, array, NULL_TIME, kept),
        // Plain integers (the slim file's seconds): Unix time, unit by size.
        DataType::Int64 => {
            let numbers = array.as_primitive::<Int64Type>();
            append_epoch(values, numbers.iter(), &mut kept)?;
        }
        DataType::Int32 => {
            let numbers = array.as_primitive::<Int32Type>();
            append_epoch(values, numbers.iter().map(|v| v.map(i64::from)), &mut kept)?;
        }
        DataType::Date32 => extend_primitive::<Date32Type>(values, array, NULL_TIME, |v| {
            kept(i64::from(v) * super::DAY_MS)
        }),
        // ISO-8601 text (the Hub API's JSON dates, kept as strings).
        DataType::Utf8
        | DataType::LargeUtf8
        | DataType::Utf8View
        | DataType::Binary
        | DataType::LargeBinary
        | DataType::BinaryView => {
            let strings = StrAccess::new(array)?;
            for row in 0..array.len() {
                let parsed = strings.get(row).map(|raw| {
                    std::str::from_utf8(raw)
                        .ok()
                        .and_then(super::time::parse_iso_millis)
                });
                values.push(match parsed {
                    None => NULL_TIME,
                    Some(Some(ms)) => kept(ms),
                    Some(None) => {
                        unreadable += 1;
                        NULL_TIME
                    }
                });
            }
        }
        other => return Err(Unreadable::Type(other.to_string())),
    }
    repairs.unreadable += unreadable;
    Ok(())
}

/// Decodes a file batch by batch, so a caller can yield to the page between
/// steps.
pub struct SpacesDecoder {
    reader: ParquetRecordBatchReader,
    /// Where each app column lives in this file.
    shape: Shape,
    /// Rows whose JSON text could not be read.
    json: JsonRepairs,
    sinks: Vec<(&'static str, Sink, ColumnRepairs)>,
    /// The room each sink makes before the first batch, from the footer.
    rooms: Option<Vec<Room>>,
    budget: Budget,
    /// Known columns found with an unreadable type: skipped from then on.
    failed: Vec<(&'static str, String)>,
    report: DecodeReport,
    /// The rows, the columns this decode reads and where what it leaves
    /// for later lies.
    facts: FooterFacts,
    /// Whether those include the prose (the table's prose is then set).
    reads_prose: bool,
    /// The prose handed on so far ([`Self::take_prose`]).
    prose_taken: ProseTaken,
}

/// The titles and descriptions a decode handed on as it went
/// ([`SpacesDecoder::take_prose`]).
#[derive(Debug, Default, Clone, Copy)]
struct ProseTaken {
    rows: usize,
    /// Bytes of text, per column of [`PROSE_COLUMNS`].
    text: [usize; 2],
}

impl ProseTaken {
    /// Bytes of text column `name` handed on (0 for any other column).
    fn text_of(&self, name: &str) -> usize {
        PROSE_COLUMNS
            .iter()
            .position(|&prose| prose == name)
            .map_or(0, |at| self.text[at])
    }
}

/// Fewer file bytes a row than any real file of Spaces takes (an id alone
/// compresses to more): bounds the rows and list items the sinks make room
/// for.
const MIN_FILE_BYTES_PER_ROW: u64 = 4;

/// Rows (or list items) to make room for up front. A footer can claim
/// millions of them that its few pages do not hold, so never more than a
/// real file of `file_len` bytes could (the slim file takes 22 bytes a
/// row); past it a column grows as values come.
fn room_for(claimed: u64, file_len: u64) -> usize {
    claimed.min(file_len / MIN_FILE_BYTES_PER_ROW) as usize
}

/// More text than any real file holds per byte of it (ids compress about
/// fourfold): bounds the text a column makes room for up front.
const TEXT_PER_FILE_BYTE: u64 = 8;

/// Bytes of text the top-level text column `name` will hold, from the
/// footer: its chunks' uncompressed size less a length prefix per value, at
/// most `cap`. A hint to size the column once (a 40 MB text grown by
/// doubling held both copies as it moved).
fn text_bytes_hint(metadata: &ParquetMetaData, shape: &Shape, name: &str, cap: u64) -> usize {
    let bytes = leaf_chunks(metadata, shape, name, |chunk| {
        let values = chunk.num_values().max(0) as u64;
        (chunk.uncompressed_size().max(0) as u64).saturating_sub(4 * values)
    });
    bytes.min(cap) as usize
}

/// Items the list column `name` holds, from the footer: values less the
/// null and empty lists (each counts one value) as the statistics give
/// them; 0, so no hint, when a chunk has no null count. At most `cap`.
fn list_items_hint(metadata: &ParquetMetaData, shape: &Shape, name: &str, cap: u64) -> u64 {
    let mut known = true;
    let items = leaf_chunks(metadata, shape, name, |chunk| {
        let nulls = chunk.statistics().and_then(|s| s.null_count_opt());
        known &= nulls.is_some();
        (chunk.num_values().max(0) as u64).saturating_sub(nulls.unwrap_or(0))
    });
    if known {
        items.min(cap)
    } else {
        0
    }
}

/// The sum of `measure` over the column chunks of the app column `name`'s
/// one leaf; 0 if it has none of its own (JSON text).
fn leaf_chunks(
    metadata: &ParquetMetaData,
    shape: &Shape,
    name: &str,
    mut measure: impl FnMut(&parquet::file::metadata::ColumnChunkMetaData) -> u64,
) -> u64 {
    let schema = metadata.file_metadata().schema_descr();
    let Some(leaf) = shape.leaf_of(name, schema) else {
        return 0;
    };
    metadata
        .row_groups()
        .iter()
        .map(|group| measure(group.column(leaf)))
        .fold(0, u64::saturating_add)
}

/// Asks the reader to keep text columns dictionary-coded, as Parquet stores
/// them: the decoder then interns each distinct value once instead of
/// hashing every row's text. `lists` extends this to the list columns.
fn dictionary_hints(schema: &SchemaRef, lists: bool, json_roots: &[&str]) -> SchemaRef {
    let as_dictionary =
        |text: &DataType| DataType::Dictionary(Box::new(DataType::Int32), Box::new(text.clone()));
    let fields: Vec<FieldRef> = schema
        .fields()
        .iter()
        .map(|field| {
            let hinted = match (field.name().as_str(), field.data_type()) {
                // `license` is a plain string in most files.
                (
                    name,
                    text @ (DataType::Utf8
                    | DataType::LargeUtf8
                    | DataType::Binary
                    | DataType::LargeBinary),
                ) if column_kind(name) == Some(ColumnKind::Category) || name == "license" => {
                    Some(as_dictionary(text))
                }
                // Views point into the decoded pages: one copy fewer for the
                // column where every value is different.
                ("id", DataType::Utf8 | DataType::LargeUtf8) => Some(DataType::Utf8View),
                ("id", DataType::Binary | DataType::LargeBinary) => Some(DataType::BinaryView),
                // JSON records too: each row is parsed once, straight from
                // the page, and the parse checks its UTF-8.
                (
                    name,
                    DataType::Utf8 | DataType::LargeUtf8 | DataType::Binary | DataType::LargeBinary,
                ) if json_roots.contains(&name) => Some(DataType::BinaryView),
                // Custom domains too: a dictionary page shared by every row
                // must not be copied into each row.
                (name, list) if lists && column_kind(name) == Some(ColumnKind::Multi) => {
                    // The same list kind, with dictionary-coded text items.
                    let dictionary_items = |item: &FieldRef| {
                        let text = item.data_type();
                        matches!(
                            text,
                            DataType::Utf8
                                | DataType::LargeUtf8
                                | DataType::Binary
                                | DataType::LargeBinary
                        )
                        .then(|| {
                            Arc::new(item.as_ref().clone().with_data_type(as_dictionary(text)))
                        })
                    };
                    match list {
                        DataType::List(item) => dictionary_items(item).map(DataType::List),
                        DataType::LargeList(item) => {
                            dictionary_items(item).map(DataType::LargeList)
                        }
                        _ => None,
                    }
                }
                _ => None,
            };
            // Inside the Hub record's structs (`runtime.stage`,
            // `runtime.hardware.current`, `cardData.emoji`, …) the same.
            let hinted = hinted.or_else(|| match field.data_type() {
                DataType::Struct(children) => Some(DataType::Struct(nested_hints(children))),
                _ => None,
            });
            match hinted {
                Some(data_type) => Arc::new(field.as_ref().clone().with_data_type(data_type)),
                None => Arc::clone(field),
            }
        })
        .collect();
    Arc::new(Schema::new_with_metadata(fields, schema.metadata().clone()))
}

/// Dictionary hints for the categorical text leaves of a struct, at any
/// depth of structs.
fn nested_hints(children: &arrow_schema::Fields) -> arrow_schema::Fields {
    children
        .iter()
        .map(|child| {
            let hinted = match (child.name().as_str(), child.data_type()) {
                (
                    "stage" | "current" | "emoji" | "license" | "duplicated_from" | "sdk",
                    text @ (DataType::Utf8
                    | DataType::LargeUtf8
                    | DataType::Binary
                    | DataType::LargeBinary),
                ) => Some(DataType::Dictionary(
                    Box::new(DataType::Int32),
                    Box::new(text.clone()),
                )),
                (_, DataType::Struct(inner)) => Some(DataType::Struct(nested_hints(inner))),
                _ => None,
            };
            match hinted {
                Some(data_type) => Arc::new(child.as_ref().clone().with_data_type(data_type)),
                None => Arc::clone(child),
            }
        })
        .collect()
}

/// The budget for this file's decoded columns (see [`super::budget`]), and
/// the footer's row count when it disagrees with the row groups: pyarrow
/// trusts the row groups, and so does this app.
fn check_budget<R: ChunkReader>(
    source: &R,
    metadata: &parquet::file::metadata::ParquetMetaData,
    shape: &Shape,
) -> DecodeResult<(Budget, Option<(i64, u64)>)> {
    let descr = metadata.file_metadata().schema_descr();
    let roots = descr.root_schema().get_fields();
    let root_name = |leaf: usize| roots[descr.get_column_root_idx(leaf)].name();
    let leaves = shape.leaves(descr);
    let id_root = shape.place("id").map(|p| p.root().to_string());
    let id = leaves
        .iter()
        .copied()
        .find(|&leaf| Some(root_name(leaf)) == id_root.as_deref());
    let budget = check_pages(source, metadata, &leaves, id)?;
    let group_rows = group_rows(metadata);
    let footer = metadata.file_metadata().num_rows();
    let disagree = (footer != group_rows).then_some((footer, group_rows.max(0) as u64));
    Ok((budget, disagree))
}

/// The rows the row groups of `metadata` claim, together.
fn group_rows(metadata: &ParquetMetaData) -> i64 {
    metadata
        .row_groups()
        .iter()
        .map(|group| group.num_rows())
        .fold(0, i64::saturating_add)
}

/// Rows from which a file of plain columns is decoded in two halves, on two
/// threads ([`Shape::apart`]). Starting the second engine and sending its
/// columns back costs about 80 ms on a 2-core machine, which a split
/// decode saves back only from about 400,000 rows (in Chromium, alternating
/// builds: 20 ms slower at 300,000 rows, 29 ms faster at 600,000, 119 ms
/// faster at 1,000,000).
pub const APART_MIN_ROWS: i64 = 500_000;

/// Whether the file of `metadata` (with `shape`) is decoded in two halves
/// ([`Phase::BesideApart`], [`Phase::Apart`]): always when its front
/// matter is JSON text, and when it is large enough that its plain columns
/// are worth splitting.
pub fn decodes_apart(metadata: &ParquetMetaData, shape: &Shape) -> bool {
    if shape.card_json_apart() {
        return true;
    }
    group_rows(metadata) >= APART_MIN_ROWS && KNOWN_COLUMNS.iter().any(|name| shape.apart(name))
}

/// Leave the columns a second engine decodes (if the file is split) to a
/// decode beside this one.
fn apart_choice(
    file_len: u64,
    metadata: &ParquetMetaData,
    shape: &Shape,
) -> Option<(Phase, Vec<Range<u64>>)> {
    decodes_apart(metadata, shape).then(|| {
        let apart = column_ranges(metadata, file_len, 0, Phase::Apart);
        (Phase::BesideApart, apart)
    })
}

/// A downloaded file's columns apart when it is split, else its prose
/// left for later when its chunks were.
fn sparse_beside_apart_choice(
    file: &SparseFile,
    metadata: &ParquetMetaData,
    shape: &Shape,
) -> (Phase, Vec<Range<u64>>) {
    apart_choice(file.file_len(), metadata, shape).unwrap_or_else(|| prose_choice(file, metadata))
}

/// Everything when the prose is here; else all but the prose, left for
/// Search to fetch.
fn prose_choice(file: &SparseFile, metadata: &ParquetMetaData) -> (Phase, Vec<Range<u64>>) {
    let len = file.file_len();
    let prose = column_ranges(metadata, len, 0, Phase::Prose);
    if file.missing(&prose).is_empty() {
        (Phase::All, Vec::new())
    } else {
        // Merged for fetching, as the first fetch merged its ranges.
        let deferred = column_ranges(metadata, len, merge_gap(len), Phase::Prose);
        (Phase::Eager, deferred)
    }
}

/// Columns that only a table of Spaces has.
const SPACE_ONLY_COLUMNS: [&str; 5] = ["sdk", "stage", "hardware", "emoji", "devMode"];

/// Column names for a message: the first dozen, then how many more.
fn list_columns(names: &[String]) -> String {
    const SHOWN: usize = 12;
    if names.is_empty() {
        return "no columns".into();
    }
    let mut listed = names
        .iter()
        .take(SHOWN)
        .map(|n| crate::format::shorten(n, 40))
        .collect::<Vec<_>>()
        .join(", ");
    if names.len() > SHOWN {
        listed.push_str(&format!(" and {} more", names.len() - SHOWN));
    }
    listed
}

/// [`check_envelope`] of a file held whole.
fn check_whole_envelope(file: &SparseFile) -> DecodeResult<()> {
    let len = file.file_len();
    let read = |start: u64, length: u64| file.get_bytes(start, length as usize).unwrap_or_default();
    let head = read(0, len.min(ENVELOPE_HEAD));
    let tail = read(len.saturating_sub(4), len.min(4));
    check_envelope(&head, &tail, len)
}

/// What the footer decides for a decode before any reader is built: the
/// shape of the file, the columns this decode reads and the room it may
/// take.
struct Plan {
    loaded: ArrowReaderMetadata,
    whole_shape: Shape,
    shape: Shape,
    phase: Phase,
    deferred: Vec<Range<u64>>,
    budget: Budget,
    footer_rows: Option<(i64, u64)>,
}

impl Plan {
    fn of<R: ChunkReader>(
        source: &R,
        choose: impl FnOnce(&R, &ParquetMetaData, &Shape) -> (Phase, Vec<Range<u64>>),
    ) -> DecodeResult<Plan> {
        let loaded =
            ArrowReaderMetadata::load(source, ArrowReaderOptions::new()).map_err(describe_error)?;
        check_chunk_ranges(loaded.metadata(), source.len())?;
        let whole_shape = Shape::of(loaded.metadata().file_metadata().schema_descr());
        let (phase, deferred) = match choose(source, loaded.metadata(), &whole_shape) {
            (Phase::Eager, _) if !whole_shape.prose_apart() => (Phase::All, Vec::new()),
            chosen => chosen,
        };
        let shape = whole_shape.for_phase(phase);
        // A models or datasets table also has `id`, `author` and `likes`:
        // only Space columns say the file is about Spaces.
        // The Hub's models and datasets snapshots have front matter too:
        // only a column outside it says the table is Spaces.
        let says_spaces = |column: &&str| {
            shape
                .place(column)
                .is_some_and(|place| !place.is_front_matter())
        };
        let is_spaces = whole_shape.has("id") && SPACE_ONLY_COLUMNS.iter().any(says_spaces);
        let reads_all_rows_of_a_part = matches!(phase, Phase::Prose | Phase::Apart);
        if !reads_all_rows_of_a_part && !is_spaces {
            return Err(DecodeError::WrongSchema {
                found: list_columns(&shape.roots),
            });
        }
        let (budget, footer_rows) = check_budget(source, loaded.metadata(), &shape)?;
        Ok(Plan {
            loaded,
            whole_shape,
            shape,
            phase,
            deferred,
            budget,
            footer_rows,
        })
    }

    fn facts(&self) -> FooterFacts {
        FooterFacts {
            total_rows: self.budget.rows as usize,
            phase: self.phase,
            deferred: self.deferred.clone(),
        }
    }
}

/// What a file's footer says a decode of it would read, without making
/// one: enough to check a saved table against the file (its rows) and to
/// know where its deferred prose lies. A revisit whose saved table holds
/// needs no more; building the column readers as well took 14 ms of its
/// critical path in a profile of the engine at 1M rows (the Hub shape,
/// `bench/worker_profile.mjs`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FooterFacts {
    total_rows: usize,
    phase: Phase,
    deferred: Vec<Range<u64>>,
}

impl FooterFacts {
    /// The facts of the decode [`SpacesDecoder::from_sparse_beside_apart`]
    /// would make of `file`.
    pub fn of_sparse_beside_apart(file: &SparseFile) -> DecodeResult<Self> {
        Ok(Plan::of(file, sparse_beside_apart_choice)?.facts())
    }

    /// As [`SpacesDecoder::total_rows`].
    pub fn total_rows(&self) -> usize {
        self.total_rows
    }

    /// As [`SpacesDecoder::prose_deferred`].
    pub fn prose_deferred(&self) -> bool {
        self.phase == Phase::Eager
    }

    /// As [`SpacesDecoder::deferred_ranges`].
    pub fn deferred_ranges(&self) -> &[Range<u64>] {
        &self.deferred
    }
}

impl SpacesDecoder {
    pub fn new(bytes: Bytes) -> DecodeResult<Self> {
        let file = SparseFile::whole(bytes);
        check_whole_envelope(&file)?;
        Self::from_reader(file, |_, _, _| (Phase::All, Vec::new()))
    }

    /// As [`Self::new`], but when the file is split ([`decodes_apart`])
    /// some columns are left to a decode of their own, run beside this one
    /// (see [`Self::leaves_apart`]).
    pub fn beside_apart(bytes: Bytes) -> DecodeResult<Self> {
        Self::whole_beside_apart(SparseFile::whole(bytes))
    }

    /// As [`Self::beside_apart`], for a whole file wherever its bytes
    /// are kept ([`SparseFile::whole_held`]).
    pub fn whole_beside_apart(file: SparseFile) -> DecodeResult<Self> {
        check_whole_envelope(&file)?;
        Self::from_reader(file, |source, metadata, shape| {
            apart_choice(source.file_len(), metadata, shape).unwrap_or((Phase::All, Vec::new()))
        })
    }

    /// As [`Self::from_sparse`], but leaving some columns to a decode of
    /// their own, as [`Self::beside_apart`] does.
    pub fn from_sparse_beside_apart(file: SparseFile) -> DecodeResult<Self> {
        Self::from_reader(file, sparse_beside_apart_choice)
    }

    /// Decodes a file of which only the footer and the app's column chunks
    /// were downloaded (see [`super::sparse`]). When its prose chunks were
    /// left out, the table comes without prose ([`Self::prose_deferred`]).
    pub fn from_sparse(file: SparseFile) -> DecodeResult<Self> {
        Self::from_reader(file, |file, metadata, _| prose_choice(file, metadata))
    }

    /// A decoder of only the prose a first decode deferred, step by step
    /// as [`decode_prose`] does at once.
    pub fn for_prose(file: SparseFile) -> DecodeResult<Self> {
        Self::from_reader(file, |_, _, _| (Phase::Prose, Vec::new()))
    }

    /// A decode of only the columns a decode [`Self::beside_apart`] left
    /// apart, from a file of its footer and their chunks
    /// ([`Self::deferred_ranges`]).
    pub fn for_apart(file: SparseFile) -> DecodeResult<Self> {
        Self::from_reader(file, |_, _, _| (Phase::Apart, Vec::new()))
    }

    /// The columns a [`Self::for_apart`] decode read, and what it
    /// repaired, for [`SpacesTable::set_apart`] and [`DecodeReport::absorb`].
    pub fn finish_apart(self) -> (ApartColumns, DecodeReport) {
        let with_author = self.sinks.iter().any(|(name, ..)| *name == "author");
        let (table, report) = self.finish();
        (ApartColumns::take_from(table, with_author), report)
    }

    /// Whether this decode leaves some columns to a decode of their own
    /// ([`Self::for_apart`] on [`Self::deferred_ranges`]), run beside it.
    pub fn leaves_apart(&self) -> bool {
        self.facts.phase == Phase::BesideApart
    }

    /// The prose a [`Self::for_prose`] decoder read.
    pub fn finish_prose(self) -> Prose {
        let (table, _) = self.finish();
        table.prose.into_inner().unwrap_or_default()
    }

    /// What the footer said of this decode.
    pub fn facts(&self) -> FooterFacts {
        self.facts.clone()
    }

    /// Whether this decode leaves the prose for later ([`decode_prose`]).
    pub fn prose_deferred(&self) -> bool {
        self.facts.prose_deferred()
    }

    /// The byte ranges left to another decode: the prose left for later, or
    /// the front matter's JSON text (none unless either is).
    pub fn deferred_ranges(&self) -> &[Range<u64>] {
        self.facts.deferred_ranges()
    }

    fn from_reader<R: ChunkReader + 'static>(
        source: R,
        choose: impl FnOnce(&R, &ParquetMetaData, &Shape) -> (Phase, Vec<Range<u64>>),
    ) -> DecodeResult<Self> {
        let plan = Plan::of(&source, choose)?;
        Self::from_plan(source, plan)
    }

    fn from_plan<R: ChunkReader + 'static>(source: R, plan: Plan) -> DecodeResult<Self> {
        let facts = plan.facts();
        let source_len = source.len();
        // Text as bytes first (repaired per value); the file's own schema if
        // that cannot be built.
        let roots = plan.shape.used_roots();
        let as_bytes =
            super::lossy::text_as_bytes(plan.loaded.metadata(), &roots).and_then(|metadata| {
                let options = ArrowReaderOptions::new().with_skip_arrow_metadata(true);
                ArrowReaderMetadata::try_new(metadata, options).ok()
            });
        let base = as_bytes.unwrap_or(plan.loaded);
        let json_roots: Vec<&str> = plan
            .shape
            .json_roots()
            .into_iter()
            .map(|(root, _)| root)
            .collect();
        let with_hints = |lists| {
            ArrowReaderMetadata::try_new(
                Arc::clone(base.metadata()),
                ArrowReaderOptions::new()
                    .with_skip_arrow_metadata(true)
                    .with_schema(dictionary_hints(base.schema(), lists, &json_roots)),
            )
        };
        // A schema the reader cannot take as a hint is read as it is.
        let hinted = with_hints(true)
            .or_else(|_| with_hints(false))
            .unwrap_or(base);
        let builder = ParquetRecordBatchReaderBuilder::new_with_metadata(source, hinted);
        let metadata = builder.metadata().clone();
        let schema = metadata.file_metadata().schema_descr();
        let room = room_for(plan.budget.rows, source_len);
        let mask = ProjectionMask::leaves(schema, plan.shape.leaves(schema));
        let reader = builder
            .with_projection(mask)
            .with_batch_size(DECODE_BATCH_ROWS)
            .build()
            .map_err(describe_error)?;
        let columns: Vec<&'static str> = KNOWN_COLUMNS
            .iter()
            .copied()
            .filter(|name| plan.whole_shape.reads(plan.phase, name))
            .collect();
        let rooms = columns
            .iter()
            .map(|&name| Room {
                rows: room,
                text: match column_kind(name) {
                    Some(ColumnKind::Text) => {
                        let cap = plan
                            .budget
                            .id_bytes()
                            .min(source_len.saturating_mul(TEXT_PER_FILE_BYTE));
                        text_bytes_hint(&metadata, &plan.shape, name, cap)
                    }
                    _ => 0,
                },
                items: match column_kind(name) {
                    Some(ColumnKind::Multi) => room_for(
                        list_items_hint(&metadata, &plan.shape, name, plan.budget.items()),
                        source_len,
                    ),
                    _ => 0,
                },
            })
            .collect();
        // Empty until the first batch: a decoder that never reads one
        // reserves nothing.
        let sinks = columns
            .iter()
            .map(|&name| (name, Sink::for_column(name, 0), ColumnRepairs::default()))
            .collect();
        let (missing, ignored) = (plan.shape.missing.clone(), plan.shape.ignored.clone());
        Ok(Self {
            reader,
            shape: plan.shape,
            json: JsonRepairs::default(),
            sinks,
            rooms: Some(rooms),
            budget: plan.budget,
            failed: Vec::new(),
            report: DecodeReport {
                rows: 0,
                row_groups: metadata.num_row_groups(),
                missing,
                unreadable: Vec::new(),
                ignored,
                repairs: Repairs {
                    footer_rows: plan.footer_rows,
                    ..Repairs::default()
                },
            },
            facts,
            reads_prose: plan.whole_shape.reads(plan.phase, "title"),
            prose_taken: ProseTaken::default(),
        })
    }

    /// Rows the file holds (its row groups, checked against its pages).
    pub fn total_rows(&self) -> usize {
        self.facts.total_rows()
    }

    /// Rows decoded so far.
    pub fn decoded_rows(&self) -> usize {
        self.report.rows
    }

    /// Decodes one batch; `Ok(false)` once every batch is in.
    pub fn step(&mut self) -> DecodeResult<bool> {
        match self.reader.next() {
            None => Ok(false),
            Some(Err(error)) => Err(reading_failed(error.to_string())),
            Some(Ok(batch)) => {
                self.append_batch(&batch)?;
                Ok(true)
            }
        }
    }

    fn append_batch(&mut self, batch: &RecordBatch) -> DecodeResult<()> {
        if let Some(rooms) = self.rooms.take() {
            for ((name, sink, _), room) in self.sinks.iter_mut().zip(rooms) {
                *sink = Sink::with_room(name, room);
            }
        }
        let rows_before = self.report.rows;
        let columns = flatten(batch, &self.shape, &mut self.json);
        for (name, sink, repairs) in &mut self.sinks {
            let name: &'static str = name;
            if self.failed.iter().any(|(n, _)| *n == name) {
                continue;
            }
            let Some((_, array)) = columns.iter().find(|(n, _)| *n == name) else {
                continue;
            };
            let taken = self.prose_taken.text_of(name);
            let type_name = match sink.append(array, repairs, &self.budget, taken) {
                Ok(()) => continue,
                Err(Unreadable::TooLarge(what)) => return Err(DecodeError::TooLarge(what)),
                Err(Unreadable::Type(type_name)) => type_name,
            };
            if name == "id" {
                return Err(DecodeError::WrongSchema {
                    found: format!("`id` of type {type_name}"),
                });
            }
            self.failed.push((name, type_name));
            // Start the column over; it is padded with nulls at the end.
            *sink = Sink::for_column(name, 0);
        }
        self.report.rows = rows_before + batch.num_rows();
        Ok(())
    }

    /// The titles and descriptions decoded since the last take, taken out
    /// of this decoder, which goes on without them: a second engine hands
    /// them on as it goes, so that it never holds them all, nor the copy a
    /// growing column makes. `None` when this decode does not read them.
    /// [`Self::finish`] then leaves out the rows taken.
    pub fn take_prose(&mut self) -> Option<Prose> {
        if !self.reads_prose {
            return None;
        }
        let rows = self.report.rows - self.prose_taken.rows;
        let mut prose = Prose::default();
        for (name, sink, _) in &mut self.sinks {
            let Some(at) = PROSE_COLUMNS.iter().position(|prose| prose == name) else {
                continue;
            };
            let mut taken = std::mem::replace(sink, Sink::for_column(name, 0));
            // A column that failed reads as empty, as `finish` makes it.
            taken.pad_to(rows);
            let Sink::Text(mut column) = taken else {
                unreachable!("the prose columns are text");
            };
            column.compact();
            self.prose_taken.text[at] += column.text_bytes();
            match at {
                0 => prose.title = column,
                _ => prose.short_description = column,
            }
        }
        self.prose_taken.rows = self.report.rows;
        Some(prose)
    }

    /// Bytes the titles and descriptions not yet taken hold.
    pub fn prose_bytes_held(&self) -> usize {
        self.sinks
            .iter()
            .map(|(name, sink, _)| match sink {
                Sink::Text(column) if PROSE_COLUMNS.contains(name) => column.heap_bytes(),
                _ => 0,
            })
            .sum()
    }

    pub fn finish(mut self) -> (SpacesTable, DecodeReport) {
        let all_rows = self.report.rows;
        let mut table = SpacesTable::default();
        let mut prose = Prose::default();
        for (name, mut sink, repairs) in self.sinks {
            let rows = match PROSE_COLUMNS.contains(&name) {
                true => all_rows - self.prose_taken.rows,
                false => all_rows,
            };
            let failed = self.failed.iter().any(|(n, _)| *n == name);
            if failed {
                sink = Sink::for_column(name, rows);
            } else {
                self.report.repairs.add(name, repairs);
            }
            sink.pad_to(rows);
            if let Sink::Text(column) = &mut sink {
                column.compact();
            }
            store(&mut table, &mut prose, name, sink);
        }
        if self.reads_prose {
            table.prose.set(prose).expect("a new table has no prose");
        }
        for (root, rows) in std::mem::take(&mut self.json.unreadable) {
            let mut repairs = ColumnRepairs::default();
            repairs.unreadable = rows;
            self.report.repairs.add(&root, repairs);
        }
        self.report.unreadable = self
            .failed
            .into_iter()
            .map(|(n, t)| (n.to_string(), t))
            .collect();
        (table, self.report)
    }
}

fn store(table: &mut SpacesTable, prose: &mut Prose, name: &str, sink: Sink) {
    match (name, sink) {
        ("id", Sink::Text(c)) => table.ids = c,
        ("title", Sink::Text(c)) => prose.title = c,
        ("short_description", Sink::Text(c)) => prose.short_description = c,
        ("created_at", Sink::Time(v)) => table.created_at = v,
        ("last_modified", Sink::Time(v)) => table.last_modified = v,
        ("likes", Sink::Int(v)) => table.likes = v,
        ("devMode", Sink::Bool(v)) => table.dev_mode = v,
        ("pinned", Sink::Bool(v)) => table.pinned = v,
        ("tags", Sink::Multi(b, _)) => table.tags = b.finish(),
        ("license", Sink::Multi(b, _)) => table.license = b.finish(),
        ("models", Sink::Multi(b, _)) => table.models = b.finish(),
        ("datasets", Sink::Multi(b, _)) => table.datasets = b.finish(),
        ("custom_domains", Sink::Multi(b, _)) => table.custom_domains = b.finish(),
        ("author", Sink::Category(b, _)) => table.author = b.finish(),
        ("sdk", Sink::Category(b, _)) => table.sdk = b.finish(),
        ("duplicated_from", Sink::Category(b, _)) => table.duplicated_from = b.finish(),
        ("emoji", Sink::Category(b, _)) => table.emoji = b.finish(),
        ("stage", Sink::Category(b, _)) => table.stage = b.finish(),
        ("hardware", Sink::Category(b, _)) => table.hardware = b.finish(),
        (other, _) => unreachable!("KNOWN_COLUMNS and Sink::for_column disagree on {other}"),
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::synth::{generate_spaces, write_parquet, WriteOptions};

    /// Text a decoder handed on ([`SpacesDecoder::take_prose`]) still
    /// counts against the column's budget, whether a batch is copied at
    /// once or value by value (a value past the length cut).
    #[test]
    fn text_handed_on_still_counts_against_the_budget() {
        let budget = Budget::for_rows(0);
        let limit = budget.id_bytes() as usize;
        let short: ArrayRef = Arc::new(arrow_array::StringArray::from(vec!["abcd"]));
        let long = "x".repeat(MAX_TEXT_BYTES + 1);
        let long: ArrayRef = Arc::new(arrow_array::StringArray::from(vec![long.as_str()]));
        for (array, bytes) in [(short, 4), (long, MAX_TEXT_BYTES)] {
            let append = |taken| {
                let mut column = TextColumn::new();
                let mut repairs = ColumnRepairs::default();
                append_text(&mut column, &array, &mut repairs, &budget, taken).is_ok()
            };
            assert!(append(limit - bytes), "{bytes} B: up to the limit");
            assert!(!append(limit - bytes + 1), "{bytes} B: one past it");
        }
    }

    #[test]
    fn room_is_made_for_no_more_rows_than_the_file_could_hold() {
        assert_eq!(room_for(1_000, 1 << 20), 1_000);
        // Row groups claiming 16 million rows in a 40 kB file.
        assert_eq!(room_for(16_000_000, 40_000), 10_000);
        assert_eq!(room_for(5, 0), 0);
    }

    #[test]
    fn columns_are_sized_once_for_the_file_rows() {
        // Several row groups and batches: a column grown batch by batch
        // would end with room to spare.
        let options = WriteOptions {
            row_group_rows: 700,
            ..WriteOptions::default()
        };
        let rows = 2_500;
        let bytes = write_parquet(&generate_spaces(rows, 3), &options);
        let mut decoder = SpacesDecoder::new(Bytes::from(bytes)).expect("opens");
        while decoder.step().expect("decodes") {}
        let (table, _) = decoder.finish();
        assert_eq!(table.len(), rows);
        for (name, capacity) in [
            ("created_at", table.created_at.capacity()),
            ("likes", table.likes.capacity()),
            ("pinned", table.pinned.capacity()),
            ("author", table.author.codes.capacity()),
            ("sdk", table.sdk.codes.capacity()),
        ] {
            assert_eq!(capacity, rows, "{name}");
        }
        // List items too, from the footer's statistics.
        let tags = &table.tags.codes;
        assert_eq!((tags.capacity(), tags.len() > rows), (tags.len(), true));
        // The id text is sized from the footer: room for all of it, and
        // not much more (the dictionary's indices are counted too).
        let text = table.ids.text_bytes();
        let room = table.ids.heap_bytes() - 4 * (rows + 1);
        assert!(room >= text && room <= text + 4 * rows, "{room} for {text}");
    }

    /// Every text layout of `values`, with a null slot that keeps bytes
    /// (Arrow allows it) where `keep_null_bytes`, and sliced off its first
    /// value so the offsets do not start at zero.
    fn text_arrays(values: &[Option<&[u8]>], keep_null_bytes: bool) -> Vec<ArrayRef> {
        use arrow_array::{BinaryArray, BinaryViewArray, LargeBinaryArray, StringArray};
        use arrow_buffer::{NullBuffer, OffsetBuffer};
        let with_first: Vec<Option<&[u8]>> = std::iter::once(Some(&b"sliced off"[..]))
            .chain(values.iter().copied())
            .collect();
        let mut data = Vec::new();
        let mut ends = vec![0i32];
        for value in &with_first {
            match value {
                Some(raw) => data.extend_from_slice(raw),
                None if keep_null_bytes => data.extend_from_slice(b"hidden"),
                None => {}
            }
            ends.push(data.len() as i32);
        }
        let nulls = NullBuffer::from(with_first.iter().map(Option::is_some).collect::<Vec<_>>());
        let binary = BinaryArray::new(OffsetBuffer::new(ends.into()), data.into(), Some(nulls));
        let sliced = |array: ArrayRef| array.slice(1, values.len());
        let mut arrays = vec![
            sliced(Arc::new(binary.clone())),
            Arc::new(LargeBinaryArray::from_opt_vec(values.to_vec())) as ArrayRef,
            Arc::new(BinaryViewArray::from(values.to_vec())),
        ];
        let all_text: Option<Vec<Option<&str>>> = values
            .iter()
            .map(|v| v.map_or(Some(None), |raw| std::str::from_utf8(raw).ok().map(Some)))
            .collect();
        if let Some(texts) = all_text {
            arrays.push(Arc::new(StringArray::from(texts.clone())));
            arrays.push(Arc::new(arrow_array::StringViewArray::from(texts)));
        }
        arrays
    }

    #[test]
    fn text_appended_at_once_is_what_value_by_value_gives() {
        let long = "é".repeat(MAX_TEXT_BYTES);
        let cases: Vec<Vec<Option<&[u8]>>> = vec![
            vec![Some(b"a/b"), Some("ü/ñ 🚀".as_bytes()), Some(b"")],
            vec![Some(b"a/b"), None, Some(b"c/d")],
            vec![Some(b"ok"), Some(b"\xff\xfe"), None],
            // Valid as a whole, but cut inside a character.
            vec![Some(&"é".as_bytes()[..1]), Some(&"é".as_bytes()[1..])],
            vec![Some(b"short"), Some(long.as_bytes())],
            vec![],
        ];
        let budget = Budget::for_rows(100);
        for values in &cases {
            // Value by value, as the app keeps them.
            let mut expected = TextColumn::with_rows(0);
            expected.push(Some("before"));
            let mut expected_repairs = ColumnRepairs::default();
            for value in values {
                expected.push(value.map(|raw| expected_repairs.text(raw)).as_deref());
            }
            for keep_null_bytes in [false, true] {
                for array in text_arrays(values, keep_null_bytes) {
                    let mut column = TextColumn::with_rows(0);
                    column.push(Some("before"));
                    let mut repairs = ColumnRepairs::default();
                    append_text(&mut column, &array, &mut repairs, &budget, 0)
                        .unwrap_or_else(|_| panic!("reads {:?}", array.data_type()));
                    let what = format!("{values:?} as {:?}", array.data_type());
                    assert_eq!(column, expected, "{what}");
                    assert_eq!(repairs, expected_repairs, "{what}");
                }
            }
        }
    }

    #[test]
    fn a_plain_value_read_as_a_dictionary_is_what_plain_text_gives() {
        // License-like values: repeats, nulls, invalid UTF-8; the entries
        // in another order than the rows first meet them, and two batches
        // sharing one dictionary (its codes are memoised).
        let entries: Vec<&[u8]> = vec![b"mit", b"apache-2.0", b"\xffbad", b""];
        let keys: [Option<i32>; 7] = [Some(1), Some(0), None, Some(2), Some(1), Some(3), Some(0)];
        let rows: Vec<Option<&[u8]>> = keys
            .iter()
            .map(|k| k.map(|k| entries[k as usize]))
            .collect();
        let values: ArrayRef = Arc::new(arrow_array::BinaryArray::from(entries.clone()));
        let dictionary = |keys: &[Option<i32>]| -> ArrayRef {
            let keys = arrow_array::Int32Array::from(keys.to_vec());
            Arc::new(
                arrow_array::DictionaryArray::try_new(keys, Arc::clone(&values))
                    .expect("a dictionary"),
            )
        };
        let batches = [dictionary(&keys[..4]), dictionary(&keys[4..])];
        let mut from_dictionary = MultiBuilder::default();
        let mut memo = DictionaryMemo::default();
        let mut repairs = ColumnRepairs::default();
        for batch in &batches {
            append_multi(&mut from_dictionary, &mut memo, batch, &mut repairs)
                .unwrap_or_else(|_| panic!("reads a dictionary"));
        }
        let plain: ArrayRef = Arc::new(arrow_array::BinaryArray::from(rows.clone()));
        let mut from_plain = MultiBuilder::default();
        let mut plain_repairs = ColumnRepairs::default();
        append_multi(
            &mut from_plain,
            &mut DictionaryMemo::default(),
            &plain,
            &mut plain_repairs,
        )
        .unwrap_or_else(|_| panic!("reads plain text"));
        let (from_dictionary, from_plain) = (from_dictionary.finish(), from_plain.finish());
        assert_eq!(from_dictionary.len(), rows.len());
        fn values_of(column: &super::super::column::MultiColumn, row: usize) -> Vec<&str> {
            column.row_values(row).collect()
        }
        for row in 0..rows.len() {
            assert_eq!(
                values_of(&from_dictionary, row),
                values_of(&from_plain, row),
                "row {row}"
            );
        }
        assert_eq!(values_of(&from_dictionary, 3), vec!["\u{fffd}bad"]);
        assert!(values_of(&from_dictionary, 2).is_empty());
        // Repaired once per distinct value, as a category's are.
        assert_eq!(repairs.invalid_utf8, 1);
        assert_eq!(plain_repairs.invalid_utf8, 1);
    }

    #[test]
    fn text_past_the_budget_is_refused_at_once_too() {
        let budget = Budget::for_rows(0);
        // A column already at its budget: one more byte in any layout is
        // too much.
        let mut full = TextColumn::with_rows(0);
        full.push(Some(&"x".repeat(budget.id_bytes() as usize)));
        for array in text_arrays(&[Some(b"a")], false) {
            let mut column = full.clone();
            let refused = append_text(
                &mut column,
                &array,
                &mut ColumnRepairs::default(),
                &budget,
                0,
            );
            assert!(
                matches!(refused, Err(Unreadable::TooLarge(_))),
                "{:?}",
                array.data_type()
            );
        }
        // Many rows sharing one dictionary value count once per row.
        let long = "y".repeat(MAX_TEXT_BYTES);
        let rows = budget.id_bytes() as usize / MAX_TEXT_BYTES + 1;
        let keys = arrow_array::Int32Array::from(vec![0; rows]);
        let values = Arc::new(arrow_array::StringArray::from(vec![long.as_str()]));
        let shared: ArrayRef =
            Arc::new(arrow_array::DictionaryArray::try_new(keys, values).expect("a dictionary"));
        let refused = append_text(
            &mut TextColumn::with_rows(0),
            &shared,
            &mut ColumnRepairs::default(),
            &budget,
            0,
        );
        assert!(matches!(refused, Err(Unreadable::TooLarge(_))));
    }
}
