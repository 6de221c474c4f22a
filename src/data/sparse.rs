//! A Parquet file of which only some byte ranges are present: the footer
//! and the column chunks the app decodes. The fetch layer fills it with
//! HTTP range responses; the decoder reads it like a whole file.

use std::ops::Range;

use bytes::{Buf, Bytes};
use parquet::errors::ParquetError;
use parquet::file::metadata::{ParquetMetaData, ParquetMetaDataReader};
use parquet::file::reader::{ChunkReader, Length};

use super::error::{DecodeError, DecodeResult};
use super::shape::{Phase, Shape};

/// Bytes asked for from the end of the file first: the footer of the
/// upstream file (24 columns, a few row groups) fits in far less.
pub const FOOTER_GUESS: u64 = 64 * 1024;

/// Column chunks closer than this are fetched in one request: a request
/// costs a round trip, a few skipped kilobytes cost less. Small files get a
/// smaller gap so that skipping a column still saves its bytes.
pub fn merge_gap(file_len: u64) -> u64 {
    (file_len / 64).clamp(4 * 1024, 256 * 1024)
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SparseFile {
    len: u64,
    /// Non-overlapping parts, sorted by start offset.
    parts: Vec<(u64, Bytes)>,
}

impl SparseFile {
    pub fn new(len: u64) -> Self {
        Self {
            len,
            parts: Vec::new(),
        }
    }

    /// A file held whole.
    pub fn whole(bytes: Bytes) -> Self {
        let mut file = Self::new(bytes.len() as u64);
        file.insert(0, bytes);
        file
    }

    /// Adds the bytes found at `start`. Parts that overlap or touch are
    /// joined into one, so any range that was fetched, even in pieces,
    /// reads back from a single buffer.
    pub fn insert(&mut self, start: u64, bytes: Bytes) {
        let end = start.saturating_add(bytes.len() as u64).min(self.len);
        if start >= end {
            return;
        }
        let bytes = bytes.slice(..(end - start) as usize);
        // Parts are sorted and disjoint, so both bounds are monotone.
        let first = self
            .parts
            .partition_point(|(s, b)| s + (b.len() as u64) < start);
        let last = self.parts.partition_point(|(s, _)| *s <= end);
        if first >= last {
            self.parts.insert(first, (start, bytes));
            return;
        }
        let joined_start = start.min(self.parts[first].0);
        let (s, b) = &self.parts[last - 1];
        let joined_end = end.max(s + b.len() as u64);
        let mut joined = vec![0u8; (joined_end - joined_start) as usize];
        for (s, b) in &self.parts[first..last] {
            let at = (s - joined_start) as usize;
            joined[at..at + b.len()].copy_from_slice(b);
        }
        let at = (start - joined_start) as usize;
        joined[at..at + bytes.len()].copy_from_slice(&bytes);
        self.parts
            .splice(first..last, [(joined_start, Bytes::from(joined))]);
    }

    /// The size of the whole file.
    pub fn file_len(&self) -> u64 {
        self.len
    }

    /// Bytes held (what was downloaded).
    pub fn held_bytes(&self) -> u64 {
        self.parts.iter().map(|(_, b)| b.len() as u64).sum()
    }

    /// A copy of the held bytes within `ranges` and of the footer: what a
    /// later fetch of those ranges starts from, without keeping the rest
    /// (or the buffers it shares) alive.
    pub fn keep(&self, ranges: &[Range<u64>]) -> SparseFile {
        self.within(ranges, |part| Bytes::copy_from_slice(part))
    }

    /// The held bytes within `ranges` and the footer, sharing this file's
    /// buffers: to be copied elsewhere at once (to another worker).
    pub fn share(&self, ranges: &[Range<u64>]) -> SparseFile {
        self.within(ranges, Bytes::clone)
    }

    fn within(&self, ranges: &[Range<u64>], take: impl Fn(&Bytes) -> Bytes) -> SparseFile {
        let mut kept = SparseFile::new(self.len);
        if let Some((start, footer)) = self.tail() {
            kept.insert(start, take(&footer));
        }
        for range in ranges {
            for (start, bytes) in &self.parts {
                let end = start + bytes.len() as u64;
                let (from, to) = (range.start.max(*start), range.end.min(end));
                if from < to {
                    let part = bytes.slice((from - start) as usize..(to - start) as usize);
                    kept.insert(from, take(&part));
                }
            }
        }
        kept
    }

    /// The held part that ends the file, if any.
    fn last_part(&self) -> Option<&(u64, Bytes)> {
        self.parts
            .last()
            .filter(|(s, b)| s + b.len() as u64 == self.len)
    }

    /// The footer (and the 8 bytes after it), with its start: all a later
    /// fetch of more columns needs to keep. `None` unless it is held.
    pub fn tail(&self) -> Option<(u64, Bytes)> {
        let (start, bytes) = self.last_part()?;
        let length_at = bytes.len().checked_sub(8)?;
        let length = u32::from_le_bytes(bytes[length_at..length_at + 4].try_into().ok()?);
        let keep = (length as usize).checked_add(8)?;
        let from = bytes.len().checked_sub(keep)?;
        Some((start + from as u64, bytes.slice(from..)))
    }

    /// The held bytes covering `start..start + length`, if they are all here.
    fn slice(&self, start: u64, length: u64) -> Option<Bytes> {
        let index = self
            .parts
            .partition_point(|(s, _)| *s <= start)
            .checked_sub(1)?;
        let (s, bytes) = &self.parts[index];
        let offset = start - s;
        (offset + length <= bytes.len() as u64)
            .then(|| bytes.slice(offset as usize..(offset + length) as usize))
    }

    /// The ranges of `wanted` that are not held yet.
    pub fn missing(&self, wanted: &[Range<u64>]) -> Vec<Range<u64>> {
        let mut out = Vec::new();
        for range in wanted {
            let mut at = range.start;
            for (s, b) in &self.parts {
                let e = s + b.len() as u64;
                if e <= at || *s >= range.end {
                    continue;
                }
                if *s > at {
                    out.push(at..*s);
                }
                at = at.max(e);
            }
            if at < range.end {
                out.push(at..range.end);
            }
        }
        out
    }

    /// A self-describing byte string for a cache: length, parts, bytes.
    pub fn to_bundle(&self) -> Vec<u8> {
        let mut out = self.bundle_header();
        for bytes in self.held_parts() {
            out.extend_from_slice(bytes);
        }
        out
    }

    /// The start of [`Self::to_bundle`]'s output: the held parts follow it,
    /// in [`Self::held_parts`]' order. (The browser hands them to a Blob one
    /// by one rather than copy the whole bundle in wasm memory.)
    pub fn bundle_header(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(20 + 16 * self.parts.len());
        out.extend_from_slice(BUNDLE_MAGIC);
        out.extend_from_slice(&self.len.to_le_bytes());
        out.extend_from_slice(&(self.parts.len() as u64).to_le_bytes());
        for (start, bytes) in &self.parts {
            out.extend_from_slice(&start.to_le_bytes());
            out.extend_from_slice(&(bytes.len() as u64).to_le_bytes());
        }
        out
    }

    /// The held byte ranges' contents, in file order.
    pub fn held_parts(&self) -> impl Iterator<Item = &[u8]> {
        self.parts.iter().map(|(_, bytes)| &bytes[..])
    }

    /// Reads [`Self::to_bundle`]'s output; `None` for anything else.
    pub fn from_bundle(bundle: Bytes) -> Option<SparseFile> {
        let mut header = bundle.clone();
        if header.remaining() < 20 || &header.copy_to_bytes(4)[..] != BUNDLE_MAGIC {
            return None;
        }
        let len = header.get_u64_le();
        let count = usize::try_from(header.get_u64_le()).ok()?;
        if count > header.remaining() / 16 {
            return None;
        }
        let mut layout = Vec::with_capacity(count);
        for _ in 0..count {
            layout.push((header.get_u64_le(), header.get_u64_le()));
        }
        let mut offset = bundle.len() - header.remaining();
        let mut file = SparseFile::new(len);
        for (start, length) in layout {
            let end = offset.checked_add(usize::try_from(length).ok()?)?;
            if end > bundle.len() || start.checked_add(length)? > len {
                return None;
            }
            file.insert(start, bundle.slice(offset..end));
            offset = end;
        }
        (offset == bundle.len()).then_some(file)
    }
}

const BUNDLE_MAGIC: &[u8; 4] = b"SSB1";

impl Length for SparseFile {
    fn len(&self) -> u64 {
        self.len
    }
}

impl ChunkReader for SparseFile {
    type T = bytes::buf::Reader<Bytes>;

    fn get_read(&self, start: u64) -> parquet::errors::Result<Self::T> {
        // A reader runs to the end of the part holding `start`: the decoder
        // reads one column chunk at a time, and each lies in one part.
        let index = self
            .parts
            .partition_point(|(s, _)| *s <= start)
            .checked_sub(1)
            .ok_or_else(|| not_fetched(start, 1))?;
        let (s, bytes) = &self.parts[index];
        let offset = start - s;
        if offset >= bytes.len() as u64 {
            return Err(not_fetched(start, 1));
        }
        Ok(bytes.slice(offset as usize..).reader())
    }

    fn get_bytes(&self, start: u64, length: usize) -> parquet::errors::Result<Bytes> {
        self.slice(start, length as u64)
            .ok_or_else(|| not_fetched(start, length as u64))
    }
}

fn not_fetched(start: u64, length: u64) -> ParquetError {
    ParquetError::General(format!(
        "bytes {start}..{} of the file were not downloaded",
        start + length
    ))
}

/// What reading the footer from the tail needs next.
#[derive(Debug)]
pub enum Footer {
    Parsed(Box<ParquetMetaData>),
    /// The footer is longer than the tail held: fetch this many bytes from
    /// the end of the file.
    NeedTail(u64),
}

/// Parses the footer from the held tail of `file`.
pub fn read_footer(file: &SparseFile) -> DecodeResult<Footer> {
    let tail_start = file
        .last_part()
        .map(|(s, _)| *s)
        .ok_or_else(|| DecodeError::Corrupt("the end of the file was not received".into()))?;
    let tail = file
        .slice(tail_start, file.len - tail_start)
        .unwrap_or_default();
    if file.len < 12 || !tail.ends_with(b"PAR1") {
        // Parquet at the start but not at the end: cut short, not foreign.
        if file.slice(0, 4).is_some_and(|head| &head[..] == b"PAR1") {
            return Err(DecodeError::Corrupt(format!(
                "it starts like Parquet but its end is missing ({} bytes); the file was probably cut short",
                file.len
            )));
        }
        return Err(DecodeError::NotParquet(
            "its last bytes are not the Parquet marker PAR1".into(),
        ));
    }
    let mut reader = ParquetMetaDataReader::new();
    match reader.try_parse_sized(&tail, file.len) {
        Ok(()) => {
            let metadata = reader
                .finish()
                .map_err(|e| DecodeError::Corrupt(e.to_string()))?;
            super::footer::check_chunk_ranges(&metadata, file.len)?;
            Ok(Footer::Parsed(Box::new(metadata)))
        }
        Err(ParquetError::NeedMoreData(needed)) => Ok(Footer::NeedTail(needed as u64)),
        Err(e) => Err(DecodeError::Corrupt(e.to_string())),
    }
}

/// Byte ranges of the column chunks a decode of `phase` reads, in file
/// order, with neighbours closer than `gap` merged into one range.
pub fn column_ranges(
    metadata: &ParquetMetaData,
    file_len: u64,
    gap: u64,
    phase: Phase,
) -> Vec<Range<u64>> {
    let schema = metadata.file_metadata().schema_descr();
    let wanted = Shape::of(schema).for_phase(phase).leaves(schema);
    let mut ranges: Vec<Range<u64>> = Vec::new();
    for row_group in metadata.row_groups() {
        for (index, column) in row_group.columns().iter().enumerate() {
            if !wanted.contains(&index) {
                continue;
            }
            let (start, length) = column.byte_range();
            let end = start.saturating_add(length).min(file_len);
            if start < end {
                ranges.push(start..end);
            }
        }
    }
    ranges.sort_by_key(|r| r.start);
    let mut merged: Vec<Range<u64>> = Vec::new();
    for range in ranges {
        match merged.last_mut() {
            Some(last) if range.start <= last.end.saturating_add(gap) => {
                last.end = last.end.max(range.end);
            }
            _ => merged.push(range),
        }
    }
    merged
}

/// Reads a `Content-Range: bytes START-END/TOTAL` header value.
pub fn parse_content_range(value: &str) -> Option<(u64, u64, u64)> {
    let rest = value.trim().strip_prefix("bytes")?.trim_start();
    let (span, total) = rest.split_once('/')?;
    let (start, end) = span.split_once('-')?;
    let (start, end, total) = (
        start.trim().parse().ok()?,
        end.trim().parse().ok()?,
        total.trim().parse().ok()?,
    );
    (start <= end && end < total).then_some((start, end, total))
}

/// The `Range` header value for `range` (end exclusive), in the one form
/// browsers send cross-origin without a preflight.
pub fn range_header(range: &Range<u64>) -> String {
    format!("bytes={}-{}", range.start, range.end.saturating_sub(1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_content_range() {
        assert_eq!(parse_content_range("bytes 0-3/100"), Some((0, 3, 100)));
        assert_eq!(parse_content_range(" bytes  10-19/20 "), Some((10, 19, 20)));
        for bad in [
            "bytes */100",
            "bytes 5-3/100",
            "bytes 0-100/100",
            "items 0-1/2",
            "",
        ] {
            assert_eq!(parse_content_range(bad), None, "{bad}");
        }
        assert_eq!(range_header(&(10..20)), "bytes=10-19");
    }

    #[test]
    fn shared_and_kept_ranges_hold_the_same_bytes_only_one_copies() {
        let whole: Vec<u8> = (0..200u8).collect();
        let mut file = SparseFile::new(1_000);
        file.insert(100, Bytes::from(whole.clone()));
        // A footer: its length, then the magic.
        let mut tail = vec![7u8; 20];
        tail.extend_from_slice(&12u32.to_le_bytes());
        tail.extend_from_slice(b"PAR1");
        file.insert(1_000 - tail.len() as u64, Bytes::from(tail));
        let ranges = [120..130, 250..400, 500..600];
        let (kept, shared) = (file.keep(&ranges), file.share(&ranges));
        assert_eq!(kept, shared);
        let held: Vec<&[u8]> = shared.held_parts().collect();
        assert_eq!(held[0], &whole[20..30]);
        // 250..300 is held, the rest of that range and 500..600 are not.
        assert_eq!(held[1], &whole[150..200]);
        assert_eq!(held.len(), 3, "and the footer");
        let base = file.held_parts().next().unwrap().as_ptr();
        assert_eq!(
            shared.held_parts().next().unwrap().as_ptr(),
            base.wrapping_add(20)
        );
        assert_ne!(
            kept.held_parts().next().unwrap().as_ptr(),
            base.wrapping_add(20)
        );
    }
}
