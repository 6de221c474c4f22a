//! Limits on the work a file may ask for, checked before the work starts.
//!
//! A Parquet file of a few kilobytes can claim gigabytes: a page header
//! announcing 2 GB, a dictionary-coded list of millions of items per row,
//! a zstd page inflating to 1.5 GB. The reader allocates what the headers
//! announce, and wasm memory never shrinks, so the headers are read first
//! (the footer, then every page header of the columns the app decodes) and
//! the file is refused when they ask for more than its rows can need.
//!
//! Every budget scales with the rows the file really holds, so the Hub's
//! own snapshots (1.5 million Spaces in 2026, twice that later) always fit.

use parquet::file::metadata::ParquetMetaData;
use parquet::file::reader::ChunkReader;

use super::error::{DecodeError, DecodeResult};
use crate::format;

/// Most rows the app takes: ten times the Hub's 1.44 million Spaces
/// (August 2026), so growth for years fits, while a footer claiming 2⁶²
/// rows cannot turn into a budget of its own.
pub const MAX_ROWS: u64 = 16_000_000;
/// Uncompressed bytes any file may use whatever its rows: small files
/// (a sample, a test) with long texts still load.
pub const BASE_BYTES: u64 = 64 << 20;
/// Uncompressed bytes per row, for the decoded columns together. An
/// upstream row needs about 150 (an id of 40 bytes, dictionary-coded
/// categories, a few tags): this leaves room for six times that.
pub const BYTES_PER_ROW: u64 = 1024;
/// Largest single page: writers cut pages at 1 MiB (pyarrow, polars) and
/// dictionary pages at a few MiB; a page header claiming 2 GB would make the
/// reader reserve 2 GB before finding out it lied.
pub const MAX_PAGE_BYTES: u64 = 256 << 20;
/// Decoded id text per row: a Hub id is at most 96 bytes (42 for the
/// owner, 96 for the name in practice far less); 256 leaves room. Checked as
/// ids are decoded, because a dictionary lets many rows share one long id
/// that the page budget counted once.
pub const ID_BYTES_PER_ROW: u64 = 256;
/// List items (tags, models, …) any file may have whatever its rows.
pub const BASE_ITEMS: u64 = 1 << 20;
/// List items per row, per list column: upstream Spaces have 6 tags on
/// average and rarely more than 50. Each item costs 4 bytes in the table
/// and about 16 while Arrow decodes it.
pub const ITEMS_PER_ROW: u64 = 64;
/// Longest single text value kept (ids, authors, tags, …): a Hub id is at
/// most 96 characters. Longer values are cut (and counted), so one 50 MB
/// id cannot stall every place that shows or searches it.
pub const MAX_TEXT_BYTES: usize = 16 << 10;

/// Most bytes one download may bring: the Hub's whole Spaces snapshot was
/// 630 MB in August 2026, and a server that ignores range requests sends
/// all of it. Past this, a body that does not end (or inflates) would take
/// the page's memory with it.
pub const MAX_DOWNLOAD_BYTES: u64 = 1 << 30;

/// How far a body may outgrow its `Content-Length`. With
/// `Content-Encoding` the browser hands over inflated bytes while the
/// length counts compressed ones: a server that gzips Parquet (already
/// compressed inside) sends a body a little longer than it announced,
/// while a compression bomb sends hundreds of times more.
pub const MAX_INFLATION: u64 = 16;

/// Whether a download may go on once `received` bytes of a body that
/// announced `announced` bytes have arrived; the sentence for the page
/// when not.
pub fn check_download(received: u64, announced: Option<u64>) -> Result<(), String> {
    match announced {
        Some(announced) if received > announced.saturating_mul(MAX_INFLATION) => Err(format!(
            "The server sent far more than the {} it announced ({} so far): a compressed response that inflates, or a body that does not end. The download was stopped.",
            format::bytes(announced),
            format::bytes(received)
        )),
        _ if received > MAX_DOWNLOAD_BYTES => Err(format!(
            "The download passed {} without ending, more than any snapshot of the Hub's Spaces; it was stopped.",
            format::bytes(MAX_DOWNLOAD_BYTES)
        )),
        _ => Ok(()),
    }
}

/// What the footer and page headers say the file holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Budget {
    /// Rows the file really holds: what its row groups say, checked against
    /// the values the `id` pages hold.
    pub rows: u64,
}

impl Budget {
    pub fn for_rows(rows: u64) -> Self {
        Self {
            rows: rows.min(MAX_ROWS),
        }
    }

    /// Uncompressed bytes the decoded columns' pages may take in all.
    pub fn bytes(&self) -> u64 {
        BASE_BYTES + self.rows * BYTES_PER_ROW
    }

    /// Bytes the decoded ids may take in all (below 4 GiB: the id column
    /// keeps 32-bit offsets).
    pub fn id_bytes(&self) -> u64 {
        (BASE_BYTES + self.rows * ID_BYTES_PER_ROW).min(u32::MAX as u64 / 2)
    }

    /// Values one column may hold (list items included).
    pub fn items(&self) -> u64 {
        BASE_ITEMS + self.rows * ITEMS_PER_ROW
    }
}

/// One page header's sizes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct PageSizes {
    /// Bytes of the header itself.
    pub header_len: u64,
    pub uncompressed: i64,
    pub compressed: i64,
    /// Values in a data page (0 for a dictionary page).
    pub values: i64,
    pub is_dictionary: bool,
}

/// Checks every page header of the leaf columns `columns` (indices into the
/// file schema) against the budget the file's rows allow, and returns that
/// budget. Headers that cannot be parsed stop the walk of their column:
/// the reader then reports the damage itself.
pub fn check_pages<R: ChunkReader>(
    source: &R,
    metadata: &ParquetMetaData,
    columns: &[usize],
    id_column: Option<usize>,
) -> DecodeResult<Budget> {
    let group_rows = metadata
        .row_groups()
        .iter()
        .map(|g| g.num_rows().max(0) as u64)
        .fold(0u64, u64::saturating_add);
    // Pass 1: the id column's values are the rows the pages really hold.
    let mut id_values = 0u64;
    let mut id_walked = false;
    if let Some(id) = id_column {
        id_walked = true;
        for group in metadata.row_groups() {
            match walk_chunk(source, group.column(id)) {
                Some(pages) => {
                    id_values = pages
                        .iter()
                        .map(|p| p.values.max(0) as u64)
                        .fold(id_values, u64::saturating_add)
                }
                None => id_walked = false,
            }
        }
    }
    let rows = if id_walked {
        group_rows.min(id_values)
    } else {
        group_rows
    };
    let budget = Budget::for_rows(rows);
    let descr = metadata.file_metadata().schema_descr();
    let mut total = 0u64;
    for &column in columns {
        let name = descr.column(column).path().string();
        let mut values = 0u64;
        for group in metadata.row_groups() {
            let Some(pages) = walk_chunk(source, group.column(column)) else {
                continue;
            };
            for page in pages {
                if page.uncompressed < 0 || page.uncompressed as u64 > MAX_PAGE_BYTES {
                    return Err(too_large(format!(
                        "a page of column `{name}` claims {} uncompressed (a page may hold at most {})",
                        claimed(page.uncompressed),
                        format::bytes(MAX_PAGE_BYTES)
                    )));
                }
                total = total.saturating_add(page.uncompressed as u64);
                values = values.saturating_add(page.values.max(0) as u64);
            }
        }
        if values > budget.items() {
            return Err(too_large(format!(
                "column `{name}` holds {} values for {} rows (at most {} for this many rows: {} per row and {} more)",
                format::count(values),
                format::count(budget.rows),
                format::count(budget.items()),
                ITEMS_PER_ROW,
                format::count(BASE_ITEMS)
            )));
        }
    }
    if total > budget.bytes() {
        return Err(too_large(format!(
            "its columns unpack to {} for {} rows (at most {} for this many rows)",
            format::bytes(total),
            format::count(budget.rows),
            format::bytes(budget.bytes())
        )));
    }
    Ok(budget)
}

fn claimed(size: i64) -> String {
    if size < 0 {
        format!("a negative size ({size})")
    } else {
        format::bytes(size as u64)
    }
}

fn too_large(what: String) -> DecodeError {
    DecodeError::TooLarge(what)
}

/// Every page header of one column chunk, or `None` when a header cannot
/// be read (damage the reader will report). Only the headers are read, not
/// the pages between them: a chunk kept outside wasm memory is not copied
/// in whole for this.
fn walk_chunk<R: ChunkReader>(
    source: &R,
    column: &parquet::file::metadata::ColumnChunkMetaData,
) -> Option<Vec<PageSizes>> {
    let start = column
        .dictionary_page_offset()
        .unwrap_or_else(|| column.data_page_offset());
    let length = column.compressed_size();
    if start < 0 || length <= 0 {
        return None;
    }
    let (start, end) = (start as u64, start as u64 + length as u64);
    let mut pages = Vec::new();
    let mut at = start;
    while at < end {
        let page = header_at(source, at, end - at)?;
        if page.compressed < 0 {
            return None;
        }
        pages.push(page);
        at = at
            .checked_add(page.header_len)?
            .checked_add(page.compressed as u64)?;
    }
    Some(pages)
}

/// The page header at `at`, with at most `left` bytes to read: a short
/// window first (headers are tens of bytes), a longer one only when its
/// statistics run past it.
fn header_at<R: ChunkReader>(source: &R, at: u64, left: u64) -> Option<PageSizes> {
    for window in [256, 64 * 1024, left] {
        let window = window.min(left);
        let bytes = source.get_bytes(at, usize::try_from(window).ok()?).ok()?;
        if let Some(page) = read_page_header(&bytes) {
            return Some(page);
        }
        if window == left {
            return None;
        }
    }
    None
}

/// Reads one Thrift compact-protocol `PageHeader` (parquet.thrift): the
/// fields the budget needs, skipping the rest.
pub fn read_page_header(bytes: &[u8]) -> Option<PageSizes> {
    let mut reader = Compact { bytes, at: 0 };
    let mut page = PageSizes::default();
    let mut last_id = 0i16;
    loop {
        let (id, kind) = reader.field_header(&mut last_id)?;
        match (id, kind) {
            (_, STOP) => break,
            (1, I32) => {
                // 2 is DICTIONARY_PAGE in the PageType enum.
                page.is_dictionary = reader.int()? == 2;
            }
            (2, I32) => page.uncompressed = reader.int()?,
            (3, I32) => page.compressed = reader.int()?,
            // data_page_header, dictionary_page_header, data_page_header_v2:
            // each starts with num_values.
            (5 | 7 | 8, STRUCT) => page.values = reader.first_i32_of_struct()?,
            (_, kind) => reader.skip(kind, 0)?,
        }
    }
    if page.is_dictionary {
        page.values = 0;
    }
    page.header_len = reader.at as u64;
    Some(page)
}

const STOP: u8 = 0;
const TRUE: u8 = 1;
const FALSE: u8 = 2;
const BYTE: u8 = 3;
const I16: u8 = 4;
const I32: u8 = 5;
const I64: u8 = 6;
const DOUBLE: u8 = 7;
const BINARY: u8 = 8;
const LIST: u8 = 9;
const SET: u8 = 10;
const MAP: u8 = 11;
const STRUCT: u8 = 12;

/// Nesting a hostile header may not exceed while being skipped.
const MAX_DEPTH: u8 = 16;

struct Compact<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl Compact<'_> {
    fn byte(&mut self) -> Option<u8> {
        let b = *self.bytes.get(self.at)?;
        self.at += 1;
        Some(b)
    }

    fn varint(&mut self) -> Option<u64> {
        let mut value = 0u64;
        for shift in (0..70).step_by(7) {
            let b = self.byte()?;
            value |= u64::from(b & 0x7f).checked_shl(shift)?;
            if b & 0x80 == 0 {
                return Some(value);
            }
        }
        None
    }

    fn int(&mut self) -> Option<i64> {
        let v = self.varint()?;
        let decoded = ((v >> 1) as i64) ^ -((v & 1) as i64);
        i32::try_from(decoded).ok().map(i64::from)
    }

    /// The next field's id and type; `STOP` ends a struct.
    fn field_header(&mut self, last_id: &mut i16) -> Option<(i16, u8)> {
        let b = self.byte()?;
        let kind = b & 0x0f;
        if kind == STOP {
            return Some((0, STOP));
        }
        let delta = (b >> 4) as i16;
        let id = if delta == 0 {
            self.int()? as i16
        } else {
            last_id.checked_add(delta)?
        };
        *last_id = id;
        Some((id, kind))
    }

    /// A nested struct's field 1 (num_values), the rest skipped.
    fn first_i32_of_struct(&mut self) -> Option<i64> {
        let mut last_id = 0;
        let mut found = 0;
        loop {
            match self.field_header(&mut last_id)? {
                (_, STOP) => return Some(found),
                (1, I32) => found = self.int()?,
                (_, kind) => self.skip(kind, 1)?,
            }
        }
    }

    fn skip(&mut self, kind: u8, depth: u8) -> Option<()> {
        if depth > MAX_DEPTH {
            return None;
        }
        match kind {
            TRUE | FALSE => {}
            BYTE => {
                self.byte()?;
            }
            I16 | I32 | I64 => {
                self.varint()?;
            }
            DOUBLE => self.advance(8)?,
            BINARY => {
                let len = usize::try_from(self.varint()?).ok()?;
                self.advance(len)?;
            }
            LIST | SET => {
                let head = self.byte()?;
                let element = head & 0x0f;
                let size = match head >> 4 {
                    15 => self.varint()?,
                    n => u64::from(n),
                };
                for _ in 0..size {
                    // Booleans in a list take a byte each.
                    if matches!(element, TRUE | FALSE) {
                        self.byte()?;
                    } else {
                        self.skip(element, depth + 1)?;
                    }
                }
            }
            MAP => {
                let size = self.varint()?;
                if size > 0 {
                    let types = self.byte()?;
                    for _ in 0..size {
                        self.skip(types >> 4, depth + 1)?;
                        self.skip(types & 0x0f, depth + 1)?;
                    }
                }
            }
            STRUCT => {
                let mut last_id = 0;
                loop {
                    match self.field_header(&mut last_id)? {
                        (_, STOP) => break,
                        (_, kind) => self.skip(kind, depth + 1)?,
                    }
                }
            }
            _ => return None,
        }
        Some(())
    }

    fn advance(&mut self, n: usize) -> Option<()> {
        let end = self.at.checked_add(n)?;
        (end <= self.bytes.len()).then(|| self.at = end)
    }
}

/// Where the value of top-level field `field` of a Thrift compact struct
/// lies in `bytes` (a page header, a footer): the fixture generator and the
/// fuzz targets rewrite sizes there to make files that lie.
pub fn field_value_range(bytes: &[u8], field: i16) -> Option<std::ops::Range<usize>> {
    let mut reader = Compact { bytes, at: 0 };
    let mut last_id = 0i16;
    loop {
        let (id, kind) = reader.field_header(&mut last_id)?;
        if kind == STOP {
            return None;
        }
        let start = reader.at;
        reader.skip(kind, 0)?;
        if id == field {
            return Some(start..reader.at);
        }
    }
}

/// A Thrift compact integer (zigzag varint), as [`field_value_range`]'s
/// callers write it.
pub fn zigzag(out: &mut Vec<u8>, v: i64) {
    let mut z = ((v << 1) ^ (v >> 63)) as u64;
    loop {
        let b = (z & 0x7f) as u8;
        z >>= 7;
        if z == 0 {
            out.push(b);
            break;
        }
        out.push(b | 0x80);
    }
}

/// Writes a page header the way [`read_page_header`] reads it, for tests:
/// a data page (v1) of `values` values.
pub fn write_data_page_header(uncompressed: i32, compressed: i32, values: i32) -> Vec<u8> {
    let zigzag = |out: &mut Vec<u8>, v: i32| zigzag(out, i64::from(v));
    let mut out = Vec::new();
    out.push(0x15); // field 1, i32: type
    zigzag(&mut out, 0); // DATA_PAGE
    out.push(0x15);
    zigzag(&mut out, uncompressed);
    out.push(0x15);
    zigzag(&mut out, compressed);
    out.push(0x2c); // field 5 (delta 2), struct: data_page_header
    for (field, value) in [(0x15, values), (0x15, 0), (0x15, 3), (0x15, 3)] {
        // num_values, encoding PLAIN, definition and repetition level RLE.
        out.push(field);
        zigzag(&mut out, value);
    }
    out.push(0); // end of data_page_header
    out.push(0); // end of PageHeader
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_written_header_reads_back() {
        let header = write_data_page_header(i32::MAX, 40, 1_000);
        let page = read_page_header(&header).unwrap();
        assert_eq!(page.uncompressed, i64::from(i32::MAX));
        assert_eq!(page.compressed, 40);
        assert_eq!(page.values, 1_000);
        assert_eq!(page.header_len as usize, header.len());
        assert!(!page.is_dictionary);
    }

    #[test]
    fn a_field_can_be_found_and_rewritten() {
        let mut header = write_data_page_header(100, 40, 10);
        let range = field_value_range(&header, 2).unwrap();
        let mut lie = Vec::new();
        zigzag(&mut lie, i64::from(i32::MAX));
        header.splice(range, lie);
        let page = read_page_header(&header).unwrap();
        assert_eq!(
            (page.uncompressed, page.compressed, page.values),
            (i64::from(i32::MAX), 40, 10)
        );
        assert_eq!(field_value_range(&header, 9), None);
    }

    #[test]
    fn truncated_or_endless_headers_give_none() {
        let header = write_data_page_header(100, 40, 10);
        for cut in 0..header.len() {
            assert_eq!(read_page_header(&header[..cut]), None, "cut at {cut}");
        }
        // A varint that never ends, and nesting deeper than allowed.
        assert_eq!(
            read_page_header(&[0x15, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]),
            None
        );
        let mut deep = vec![0x1c; 40];
        deep.extend([0; 40]);
        assert_eq!(read_page_header(&deep), None);
    }

    #[test]
    fn downloads_stop_past_what_was_announced_or_the_cap() {
        assert_eq!(check_download(3_100_000, Some(3_100_000)), Ok(()));
        // A server that gzips its Parquet: a little past the length.
        assert_eq!(check_download(3_500_000, Some(3_100_000)), Ok(()));
        let inflating = check_download(49_600_001, Some(3_100_000)).unwrap_err();
        assert!(
            inflating.starts_with(
                "The server sent far more than the 3.1 MB it announced (49.6 MB so far)"
            ),
            "{inflating}"
        );
        assert_eq!(check_download(MAX_DOWNLOAD_BYTES, None), Ok(()));
        let endless = check_download(MAX_DOWNLOAD_BYTES + 1, None).unwrap_err();
        assert!(
            endless.starts_with("The download passed 1.1 GB without ending"),
            "{endless}"
        );
    }

    #[test]
    fn budgets_scale_with_rows_and_stop_at_the_row_cap() {
        let hub = Budget::for_rows(3_000_000);
        // A 3M-row snapshot: 3 GB of columns and 192M list items allowed.
        assert_eq!(hub.bytes(), (64 << 20) + 3_000_000 * 1024);
        assert_eq!(hub.items(), (1 << 20) + 3_000_000 * 64);
        // The list bomb: 100 rows cannot hold 300M tags.
        assert!(Budget::for_rows(100).items() < 300_000_000);
        assert_eq!(Budget::for_rows(1 << 62).rows, MAX_ROWS);
    }
}
