//! A Parquet file of which only some byte ranges are present: the footer
//! and the column chunks the app decodes. The fetch layer fills it with
//! HTTP range responses; the decoder reads it like a whole file.
//!
//! A part's bytes may be kept outside this program's memory ([`Outside`]:
//! in the browser, the download stays in JavaScript's memory). Wasm memory
//! never shrinks, so a download copied in would stay in the peak for good;
//! kept outside, only the pages being decoded are copied in, one at a time.

use std::any::Any;
use std::fmt;
use std::io::Read;
use std::ops::Range;
use std::sync::Arc;

use bytes::Bytes;
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

/// Bytes kept outside this program's memory, copied in as they are read.
pub trait Outside: fmt::Debug + Send + Sync {
    fn byte_len(&self) -> u64;
    /// Copies the bytes at `from..from + into.len()` (inside `len`).
    fn copy_to(&self, from: u64, into: &mut [u8]);
    /// The holder itself, for a caller that knows its type (the browser
    /// hands a download's own buffer to a Blob, no copy).
    fn as_any(&self) -> &dyn Any;
}

/// The bytes of one part of a file.
#[derive(Clone, Debug)]
pub enum Held {
    Here(Bytes),
    /// `start..start + len` of bytes kept elsewhere.
    Away {
        bytes: Arc<dyn Outside>,
        start: u64,
        len: u64,
    },
}

impl Held {
    /// All of `bytes`, kept where they are.
    pub fn away(bytes: Arc<dyn Outside>) -> Held {
        let len = bytes.byte_len();
        Held::Away {
            bytes,
            start: 0,
            len,
        }
    }

    pub fn len(&self) -> u64 {
        match self {
            Held::Here(bytes) => bytes.len() as u64,
            Held::Away { len, .. } => *len,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Bytes `from..to` of this part, where they are (no copy).
    pub fn slice(&self, from: u64, to: u64) -> Held {
        match self {
            Held::Here(bytes) => Held::Here(bytes.slice(from as usize..to as usize)),
            Held::Away { bytes, start, .. } => Held::Away {
                bytes: Arc::clone(bytes),
                start: start + from,
                len: to - from,
            },
        }
    }

    /// Bytes `from..to` in this program's memory: shared when they are
    /// here already, else copied in.
    pub fn bytes(&self, from: u64, to: u64) -> Bytes {
        match self {
            Held::Here(bytes) => bytes.slice(from as usize..to as usize),
            Held::Away { .. } => {
                let mut out = vec![0u8; (to - from) as usize];
                self.copy_to(from, &mut out);
                Bytes::from(out)
            }
        }
    }

    /// Copies the bytes at `from..from + into.len()`.
    pub fn copy_to(&self, from: u64, into: &mut [u8]) {
        match self {
            Held::Here(bytes) => {
                let from = from as usize;
                into.copy_from_slice(&bytes[from..from + into.len()]);
            }
            Held::Away { bytes, start, .. } => bytes.copy_to(start + from, into),
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct SparseFile {
    len: u64,
    /// Non-overlapping parts, sorted by start offset.
    parts: Vec<(u64, Held)>,
}

/// Two files are equal when they hold the same bytes at the same places,
/// however the parts are cut and wherever the bytes are kept.
impl PartialEq for SparseFile {
    fn eq(&self, other: &Self) -> bool {
        let whole = 0..self.len;
        let gaps = self.missing(std::slice::from_ref(&whole));
        if self.len != other.len || gaps != other.missing(std::slice::from_ref(&whole)) {
            return false;
        }
        // The held runs lie between the gaps.
        let mut at = 0;
        for gap in gaps.iter().chain([&(self.len..self.len)]) {
            let run = gap.start - at;
            if run > 0 && self.slice(at, run) != other.slice(at, run) {
                return false;
            }
            at = gap.end;
        }
        true
    }
}

impl Eq for SparseFile {}

impl SparseFile {
    pub fn new(len: u64) -> Self {
        Self {
            len,
            parts: Vec::new(),
        }
    }

    /// A file held whole.
    pub fn whole(bytes: Bytes) -> Self {
        Self::whole_held(Held::Here(bytes))
    }

    /// A file held whole, wherever its bytes are.
    pub fn whole_held(held: Held) -> Self {
        let mut file = Self::new(held.len());
        file.insert_held(0, held);
        file
    }

    /// Adds the bytes found at `start`. Parts that overlap or touch are
    /// joined into one, so any range that was fetched, even in pieces,
    /// reads back from a single buffer.
    pub fn insert(&mut self, start: u64, bytes: Bytes) {
        self.insert_held(start, Held::Here(bytes));
    }

    /// Adds the part found at `start`. Bytes kept elsewhere are never
    /// copied in to join a neighbour: only what is not held yet is added,
    /// as a part of its own (reads then span parts).
    pub fn insert_held(&mut self, start: u64, held: Held) {
        let end = start.saturating_add(held.len()).min(self.len);
        if start >= end {
            return;
        }
        let held = held.slice(0, end - start);
        // Parts are sorted and disjoint, so both bounds are monotone.
        let first = self.parts.partition_point(|(s, b)| s + b.len() < start);
        let last = self.parts.partition_point(|(s, _)| *s <= end);
        if first >= last {
            self.parts.insert(first, (start, held));
            return;
        }
        let all_here = matches!(held, Held::Here(_))
            && self.parts[first..last]
                .iter()
                .all(|(_, part)| matches!(part, Held::Here(_)));
        if !all_here {
            for gap in self.missing(std::slice::from_ref(&(start..end))) {
                let at = self.parts.partition_point(|(s, _)| *s < gap.start);
                let part = held.slice(gap.start - start, gap.end - start);
                self.parts.insert(at, (gap.start, part));
            }
            return;
        }
        let joined_start = start.min(self.parts[first].0);
        let (s, b) = &self.parts[last - 1];
        let joined_end = end.max(s + b.len());
        let mut joined = vec![0u8; (joined_end - joined_start) as usize];
        for (s, part) in &self.parts[first..last] {
            let at = (s - joined_start) as usize;
            part.copy_to(0, &mut joined[at..at + part.len() as usize]);
        }
        let at = (start - joined_start) as usize;
        held.copy_to(0, &mut joined[at..at + held.len() as usize]);
        self.parts.splice(
            first..last,
            [(joined_start, Held::Here(Bytes::from(joined)))],
        );
    }

    /// The size of the whole file.
    pub fn file_len(&self) -> u64 {
        self.len
    }

    /// Bytes held (what was downloaded).
    pub fn held_bytes(&self) -> u64 {
        self.parts.iter().map(|(_, b)| b.len()).sum()
    }

    /// A copy of the held bytes within `ranges` and of the footer: what a
    /// later fetch of those ranges starts from, without keeping the rest
    /// (or the buffers it shares) alive.
    pub fn keep(&self, ranges: &[Range<u64>]) -> SparseFile {
        self.within(ranges, |part| {
            let mut copy = vec![0u8; part.len() as usize];
            part.copy_to(0, &mut copy);
            Held::Here(Bytes::from(copy))
        })
    }

    /// The held bytes within `ranges` and the footer, sharing this file's
    /// buffers: to be copied elsewhere at once (to another worker).
    pub fn share(&self, ranges: &[Range<u64>]) -> SparseFile {
        self.within(ranges, Held::clone)
    }

    fn within(&self, ranges: &[Range<u64>], take: impl Fn(&Held) -> Held) -> SparseFile {
        let mut kept = SparseFile::new(self.len);
        if let Some((start, footer)) = self.tail() {
            kept.insert_held(start, take(&Held::Here(footer)));
        }
        for range in ranges {
            for (start, held) in &self.parts {
                let end = start + held.len();
                let (from, to) = (range.start.max(*start), range.end.min(end));
                if from < to {
                    let part = held.slice(from - start, to - start);
                    kept.insert_held(from, take(&part));
                }
            }
        }
        kept
    }

    /// Where the held bytes that run without a gap to the end of the file
    /// start, if the end is held.
    fn held_tail_start(&self) -> Option<u64> {
        let mut at = self.len;
        for (start, held) in self.parts.iter().rev() {
            if start + held.len() != at {
                break;
            }
            at = *start;
        }
        (at < self.len).then_some(at)
    }

    /// The footer (and the 8 bytes after it), with its start: all a later
    /// fetch of more columns needs to keep. `None` unless it is held.
    pub fn tail(&self) -> Option<(u64, Bytes)> {
        let from = self.footer_start()?;
        Some((from, self.slice(from, self.len - from)?))
    }

    /// Where the footer starts, as the file's last 8 bytes (its length)
    /// say, if they are held.
    pub fn footer_start(&self) -> Option<u64> {
        let last = self.slice(self.len.checked_sub(8)?, 8)?;
        let length = u32::from_le_bytes(last[..4].try_into().ok()?);
        self.len.checked_sub(u64::from(length).checked_add(8)?)
    }

    /// The held bytes covering `start..start + length`, if they are all
    /// here: shared when one part holds them in this program's memory,
    /// else copied.
    fn slice(&self, start: u64, length: u64) -> Option<Bytes> {
        let index = self
            .parts
            .partition_point(|(s, _)| *s <= start)
            .checked_sub(1)?;
        let (s, held) = &self.parts[index];
        let offset = start - s;
        let end = offset.checked_add(length)?;
        if end <= held.len() {
            return Some(held.bytes(offset, end));
        }
        // Across parts that follow each other without a gap.
        let mut out = vec![0u8; usize::try_from(length).ok()?];
        let mut at = start;
        for (s, held) in &self.parts[index..] {
            let written = (at - start) as usize;
            if written == out.len() {
                break;
            }
            if *s > at || at - s >= held.len() {
                return None;
            }
            let take = (held.len() - (at - s)).min((out.len() - written) as u64);
            held.copy_to(at - s, &mut out[written..written + take as usize]);
            at += take;
        }
        (at - start == length).then(|| Bytes::from(out))
    }

    /// The ranges of `wanted` that are not held yet.
    pub fn missing(&self, wanted: &[Range<u64>]) -> Vec<Range<u64>> {
        let mut out = Vec::new();
        for range in wanted {
            let mut at = range.start;
            for (s, b) in &self.parts {
                let e = s + b.len();
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
        for held in self.parts() {
            out.extend_from_slice(&held.bytes(0, held.len()));
        }
        out
    }

    /// The start of [`Self::to_bundle`]'s output: the held parts follow it,
    /// in [`Self::parts`]' order. (The browser hands them to a Blob one by
    /// one rather than copy the whole bundle in wasm memory.)
    pub fn bundle_header(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(BUNDLE_HEAD as usize + 16 * self.parts.len());
        out.extend_from_slice(BUNDLE_MAGIC);
        out.extend_from_slice(&self.len.to_le_bytes());
        out.extend_from_slice(&(self.parts.len() as u64).to_le_bytes());
        for (start, held) in &self.parts {
            out.extend_from_slice(&start.to_le_bytes());
            out.extend_from_slice(&held.len().to_le_bytes());
        }
        out
    }

    /// The held parts, in file order.
    pub fn parts(&self) -> impl Iterator<Item = &Held> {
        self.parts.iter().map(|(_, held)| held)
    }

    /// Reads [`Self::to_bundle`]'s output; `None` for anything else.
    pub fn from_bundle(bundle: Bytes) -> Option<SparseFile> {
        Self::from_bundle_held(Held::Here(bundle))
    }

    /// Reads a bundle wherever it is kept: only its header is copied in,
    /// the parts stay where the bundle is.
    pub fn from_bundle_held(bundle: Held) -> Option<SparseFile> {
        let head = bundle.bytes(0, BUNDLE_HEAD.min(bundle.len()));
        let header = bundle.bytes(0, BundleLayout::header_len(&head)?.min(bundle.len()));
        let layout = BundleLayout::read(&header, bundle.len())?;
        Self::from_layout(&layout, &bundle)
    }

    /// The file whose parts `layout` places in `bundle` (read before, from
    /// the same bundle); `None` if the bundle is not the size it says.
    pub fn from_layout(layout: &BundleLayout, bundle: &Held) -> Option<SparseFile> {
        if bundle.len() != layout.bundle_len {
            return None;
        }
        let mut file = SparseFile::new(layout.file_len);
        for (start, within) in &layout.parts {
            file.insert_held(*start, bundle.slice(within.start, within.end));
        }
        Some(file)
    }
}

/// Bytes that start a bundle: its magic, the file's size, the parts' count.
pub const BUNDLE_HEAD: u64 = 20;

/// Where a bundle ([`SparseFile::to_bundle`]) keeps each part of the file:
/// read from its header alone, so a bundle kept elsewhere (a Blob in
/// Cache Storage) can be read a part at a time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BundleLayout {
    pub file_len: u64,
    /// The bundle's own size, header included.
    pub bundle_len: u64,
    /// Each part's start in the file, and where its bytes lie in the
    /// bundle.
    pub parts: Vec<(u64, Range<u64>)>,
}

impl BundleLayout {
    /// The size of the whole header, from its first [`BUNDLE_HEAD`] bytes.
    pub fn header_len(head: &[u8]) -> Option<u64> {
        if head.len() < BUNDLE_HEAD as usize || &head[..4] != BUNDLE_MAGIC {
            return None;
        }
        let count = u64::from_le_bytes(head[12..20].try_into().ok()?);
        count.checked_mul(16)?.checked_add(BUNDLE_HEAD)
    }

    /// The layout in `header` (at least [`Self::header_len`] bytes) of a
    /// bundle of `bundle_len` bytes; `None` unless its parts fill the
    /// bundle exactly and lie inside the file.
    pub fn read(header: &[u8], bundle_len: u64) -> Option<BundleLayout> {
        let header_len = Self::header_len(header)?;
        if header_len > bundle_len || (header.len() as u64) < header_len {
            return None;
        }
        let word = |at: usize| u64::from_le_bytes(header[at..at + 8].try_into().expect("8 bytes"));
        let file_len = word(4);
        let mut offset = header_len;
        let mut parts = Vec::new();
        for at in (BUNDLE_HEAD as usize..header_len as usize).step_by(16) {
            let (start, length) = (word(at), word(at + 8));
            let end = offset.checked_add(length)?;
            if end > bundle_len || start.checked_add(length)? > file_len {
                return None;
            }
            parts.push((start, offset..end));
            offset = end;
        }
        (offset == bundle_len).then_some(BundleLayout {
            file_len,
            bundle_len,
            parts,
        })
    }

    /// The part that ends the file (where its footer is), if held.
    pub fn last_part(&self) -> Option<&(u64, Range<u64>)> {
        self.parts
            .iter()
            .find(|(start, within)| start + (within.end - within.start) == self.file_len)
    }

    /// The parts holding any of the file's bytes in `range`: with
    /// [`Self::last_part`], those holding a footer that starts before it
    /// ([`SparseFile::footer_start`]), fetched apart because it was longer
    /// than the first request's guess ([`FOOTER_GUESS`]).
    pub fn parts_within(&self, range: Range<u64>) -> impl Iterator<Item = &(u64, Range<u64>)> {
        self.parts.iter().filter(move |(start, within)| {
            *start < range.end && start + (within.end - within.start) > range.start
        })
    }
}

const BUNDLE_MAGIC: &[u8; 4] = b"SSB1";

impl Length for SparseFile {
    fn len(&self) -> u64 {
        self.len
    }
}

/// Bytes copied in at a time by a reader of parts kept elsewhere: page
/// headers are read through it, and most are far shorter.
const READ_WINDOW: u64 = 4 * 1024;

/// Reads the held bytes from a place on: those of the part there and of
/// the parts that follow it without a gap.
pub struct PartReader {
    parts: Vec<(u64, Held)>,
    at: u64,
    window: Bytes,
}

impl Read for PartReader {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.window.is_empty() {
            let Some((start, held)) = self
                .parts
                .iter()
                .find(|(s, held)| *s <= self.at && self.at < s + held.len())
            else {
                return Ok(0);
            };
            let from = self.at - start;
            let to = match held {
                Held::Here(_) => held.len(),
                Held::Away { .. } => held.len().min(from + READ_WINDOW),
            };
            self.window = held.bytes(from, to);
        }
        let n = buf.len().min(self.window.len());
        buf[..n].copy_from_slice(&self.window[..n]);
        self.window = self.window.slice(n..);
        self.at += n as u64;
        Ok(n)
    }
}

impl ChunkReader for SparseFile {
    type T = PartReader;

    fn get_read(&self, start: u64) -> parquet::errors::Result<Self::T> {
        let index = self
            .parts
            .partition_point(|(s, _)| *s <= start)
            .checked_sub(1)
            .ok_or_else(|| not_fetched(start, 1))?;
        let (s, held) = &self.parts[index];
        if start - s >= held.len() {
            return Err(not_fetched(start, 1));
        }
        let mut parts = vec![(*s, held.clone())];
        for (s, held) in &self.parts[index + 1..] {
            let (last_start, last) = parts.last().expect("one part at least");
            if *s != last_start + last.len() {
                break;
            }
            parts.push((*s, held.clone()));
        }
        Ok(PartReader {
            parts,
            at: start,
            window: Bytes::new(),
        })
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
        .held_tail_start()
        .ok_or_else(|| DecodeError::Corrupt("the end of the file was not received".into()))?;
    let held = file.len - tail_start;
    // The footer's guess first: a whole file held is not copied for it.
    let suffix = |length: u64| file.slice(file.len - length, length).unwrap_or_default();
    let mut tail = suffix(held.min(FOOTER_GUESS));
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
    loop {
        let mut reader = ParquetMetaDataReader::new();
        return match reader.try_parse_sized(&tail, file.len) {
            Ok(()) => {
                let metadata = reader
                    .finish()
                    .map_err(|e| DecodeError::Corrupt(e.to_string()))?;
                super::footer::check_chunk_ranges(&metadata, file.len)?;
                Ok(Footer::Parsed(Box::new(metadata)))
            }
            Err(ParquetError::NeedMoreData(needed)) => {
                let needed = needed as u64;
                if needed > tail.len() as u64 && needed <= held {
                    tail = suffix(needed);
                    continue;
                }
                Ok(Footer::NeedTail(needed))
            }
            Err(e) => Err(DecodeError::Corrupt(e.to_string())),
        };
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
        let held: Vec<Bytes> = shared.parts().map(|h| h.bytes(0, h.len())).collect();
        assert_eq!(held[0], &whole[20..30]);
        // 250..300 is held, the rest of that range and 500..600 are not.
        assert_eq!(held[1], &whole[150..200]);
        assert_eq!(held.len(), 3, "and the footer");
        let first = |file: &SparseFile| match file.parts().next() {
            Some(Held::Here(bytes)) => bytes.as_ptr(),
            other => panic!("a part here, not {other:?}"),
        };
        let base = first(&file);
        assert_eq!(first(&shared), base.wrapping_add(20));
        assert_ne!(first(&kept), base.wrapping_add(20));
    }
}
