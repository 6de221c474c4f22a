//! The decoded table as bytes, for a revisit that skips the decode: the
//! columns as they are held (little-endian, length-prefixed), the decode's
//! warnings, a format version and a checksum. Writing hands out the
//! columns' own memory and reading fills the new columns in place, so a
//! copy never doubles the table in (wasm) memory. Reading checks everything
//! a later lookup relies on (lengths, offsets, codes, UTF-8 boundaries): a
//! corrupt or partial copy is refused, never trusted.

use std::mem::MaybeUninit;

use super::column::{CategoryColumn, Codes, MultiColumn, TextColumn, NULL_CODE};
use super::table::{ApartColumns, Prose, SpacesTable, NULL_BOOL};

#[cfg(target_endian = "big")]
compile_error!("the saved table is the columns' own memory, which is little-endian");

/// Bumped whenever the layout, the meaning of a column or what the decoder
/// makes of a file (repairs, warnings) changes: an older copy is then
/// never read, and rebuilt.
pub const FORMAT_VERSION: u32 = 2;

/// At most this many warnings, each at most `MAX_WARNING_BYTES` long: a
/// damaged header cannot make the first step allocate without bound.
const MAX_WARNINGS: usize = 256;
const MAX_WARNING_BYTES: usize = 4096;

const MAGIC: &[u8; 8] = b"SPSHIPTB";
const PROSE_MAGIC: &[u8; 8] = b"SPSHIPPR";
const APART_MAGIC: &[u8; 8] = b"SPSHIPCD";

/// Why a saved copy was refused (for the console; the app decodes instead).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refused {
    NotATable,
    OtherVersion(u32),
    Checksum,
    Truncated,
    Inconsistent(&'static str),
}

impl std::fmt::Display for Refused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Refused::NotATable => write!(f, "it is not a saved table"),
            Refused::OtherVersion(v) => {
                write!(f, "it is format {v}, and this app reads {FORMAT_VERSION}")
            }
            Refused::Checksum => write!(f, "its checksum does not match"),
            Refused::Truncated => write!(f, "it is cut short"),
            Refused::Inconsistent(what) => write!(f, "{what}"),
        }
    }
}

/// A table and what its decode said, as saved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SavedTable {
    pub table: SpacesTable,
    pub warnings: Vec<String>,
}

/// Where a saved copy is read from: a slice natively, a JS buffer or a
/// file in the browser (copied straight into the new columns).
pub trait Source {
    /// Bytes not read yet.
    fn remaining(&self) -> usize;
    /// Writes the next `into.len()` bytes (never more than
    /// [`Self::remaining`]) over all of `into`, and returns it, now
    /// initialised. The columns are read into memory never written
    /// before: zeroing it first was one more pass over every byte.
    fn fill<'a>(&mut self, into: &'a mut [MaybeUninit<u8>]) -> &'a mut [u8];
}

impl Source for &[u8] {
    fn remaining(&self) -> usize {
        self.len()
    }

    fn fill<'a>(&mut self, into: &'a mut [MaybeUninit<u8>]) -> &'a mut [u8] {
        let (head, rest) = self.split_at(into.len());
        *self = rest;
        copied(into, head)
    }
}

/// `into`, holding a copy of `from` (as long).
fn copied<'a>(into: &'a mut [MaybeUninit<u8>], from: &[u8]) -> &'a mut [u8] {
    assert_eq!(into.len(), from.len());
    // SAFETY: the lengths are equal, a fresh `&mut` cannot overlap `from`,
    // and after the copy every byte of `into` is initialised.
    unsafe {
        std::ptr::copy_nonoverlapping(from.as_ptr(), into.as_mut_ptr().cast::<u8>(), from.len());
        assume_filled(into)
    }
}

/// `into`, all zeros (what a source leaves after a failed read: the
/// copy's checksum then refuses it).
pub fn zeroed(into: &mut [MaybeUninit<u8>]) -> &mut [u8] {
    into.fill(MaybeUninit::new(0));
    // SAFETY: every byte was just written.
    unsafe { assume_filled(into) }
}

/// `into` as initialised bytes.
///
/// # Safety
/// Every byte of `into` has been written.
pub unsafe fn assume_filled(into: &mut [MaybeUninit<u8>]) -> &mut [u8] {
    // SAFETY: `MaybeUninit<u8>` has `u8`'s layout, and the caller vouches
    // for the bytes.
    unsafe { std::slice::from_raw_parts_mut(into.as_mut_ptr().cast(), into.len()) }
}

/// The steps a copy is written and read in: a header, then each column.
/// The engine saves a step per turn of its event loop, so that it answers
/// the page meanwhile; it reads a copy in one go, before it has anything
/// else to answer.
const STEPS: usize = 19;

/// Writes a table step by step ([`Saver::step`]).
pub struct Saver<'t> {
    table: &'t SpacesTable,
    warnings: &'t [String],
    with_prose: bool,
    step: usize,
    sum: Checksum,
}

impl<'t> Saver<'t> {
    pub fn new(table: &'t SpacesTable, warnings: &'t [String]) -> Self {
        Self {
            table,
            warnings,
            with_prose: true,
            step: 0,
            sum: Checksum::default(),
        }
    }

    /// Leaves the titles and descriptions out: a file that keeps them in
    /// chunks of their own has them cached apart, and a revisit that never
    /// opens Search never reads them.
    pub fn without_prose(mut self) -> Self {
        self.with_prose = false;
        self
    }

    /// Writes the next part as a run of byte slices (`write` gets them in
    /// order; most are the columns' own memory); `false` once all is
    /// written, the checksum last.
    pub fn step(&mut self, write: &mut dyn FnMut(&[u8])) -> bool {
        let table = self.table;
        let mut out = Out {
            write,
            sum: &mut self.sum,
        };
        match self.step {
            0 => {
                out.raw(MAGIC);
                out.raw(&FORMAT_VERSION.to_le_bytes());
                out.len(table.len());
                out.len(self.warnings.len());
                for warning in self.warnings {
                    out.bytes(warning.as_bytes());
                }
            }
            1 => out.text(&table.ids),
            2 => out.category(&table.author),
            3 => out.numbers(&table.created_at),
            4 => out.numbers(&table.last_modified),
            5 => out.numbers(&table.likes),
            6 => out.category(&table.sdk),
            7 => out.multi(&table.tags),
            8 => out.multi(&table.license),
            9 => out.category(&table.duplicated_from),
            10 => out.multi(&table.models),
            11 => out.multi(&table.datasets),
            12 => out.category(&table.emoji),
            13 => out.category(&table.stage),
            14 => out.category(&table.hardware),
            15 => {
                out.bytes(&table.dev_mode);
                out.bytes(&table.pinned);
            }
            16 => out.multi(&table.custom_domains),
            17 => match table.prose.get().filter(|_| self.with_prose) {
                Some(prose) => {
                    out.raw(&[1]);
                    out.text(&prose.title);
                    out.text(&prose.short_description);
                }
                None => out.raw(&[0]),
            },
            18 => {
                let sum = out.sum.finish();
                (out.write)(&sum.to_le_bytes());
            }
            _ => return false,
        }
        self.step += 1;
        self.step < STEPS
    }
}

/// Writes `table` and its decode's `warnings` in one go.
pub fn save(table: &SpacesTable, warnings: &[String], write: &mut dyn FnMut(&[u8])) {
    let mut saver = Saver::new(table, warnings);
    while saver.step(write) {}
}

/// What `save` writes (a table's [`save`] or [`save_prose`]), handed to
/// `emit` in parts of about `min_part` bytes or more: the many small
/// writes (lengths, flags) are gathered, and a large column goes out as it
/// is (so the gathered bytes before it may be fewer, as may the last). The
/// engine's worker sends the page such parts, one buffer each.
pub fn in_parts(
    min_part: usize,
    emit: &mut dyn FnMut(&[u8]),
    save: impl FnOnce(&mut dyn FnMut(&[u8])),
) {
    let mut gathered = Vec::new();
    save(&mut |part| {
        if part.len() >= min_part {
            if !gathered.is_empty() {
                emit(&gathered);
                gathered.clear();
            }
            emit(part);
        } else {
            gathered.extend_from_slice(part);
            if gathered.len() >= min_part {
                emit(&gathered);
                gathered.clear();
            }
        }
    });
    if !gathered.is_empty() {
        emit(&gathered);
    }
}

/// Titles and descriptions alone, laid out as in a saved table, with a
/// header and a checksum of their own: what the engine's worker sends the
/// page after fetching the prose a load left for later.
pub fn save_prose(prose: &Prose, write: &mut dyn FnMut(&[u8])) {
    let mut sum = Checksum::default();
    let mut out = Out {
        write,
        sum: &mut sum,
    };
    out.raw(PROSE_MAGIC);
    out.raw(&FORMAT_VERSION.to_le_bytes());
    out.len(prose.title.len());
    out.text(&prose.title);
    out.text(&prose.short_description);
    let sum = out.sum.finish();
    (out.write)(&sum.to_le_bytes());
}

/// The prose [`save_prose`] wrote, if `source` holds it whole.
pub fn restore_prose(source: &mut dyn Source) -> Result<Prose, Refused> {
    let mut restorer = ProseRestorer::default();
    while restorer.step(source)? {}
    restorer.finish()
}

/// Reads [`save_prose`]'s output a column per step (a caller may let other
/// work run between them).
#[derive(Default)]
pub struct ProseRestorer {
    step: usize,
    sum: Checksum,
    rows: usize,
    prose: Prose,
}

impl ProseRestorer {
    /// Reads the next column from `source`: `Ok(true)` while one is left.
    pub fn step(&mut self, source: &mut dyn Source) -> Result<bool, Refused> {
        let mut input = In {
            source,
            sum: &mut self.sum,
        };
        match self.step {
            0 => {
                input.header(PROSE_MAGIC)?;
                self.rows = input.len()?;
                self.prose.title = input.text(self.rows)?;
            }
            1 => {
                self.prose.short_description = input.text(self.rows)?;
                input.checksum()?;
            }
            _ => return Ok(false),
        }
        self.step += 1;
        Ok(self.step < 2)
    }

    /// The prose read, once [`Self::step`] has returned `Ok(false)`.
    pub fn finish(self) -> Result<Prose, Refused> {
        match self.step {
            2 => Ok(self.prose),
            _ => Err(Refused::Truncated),
        }
    }
}

/// The columns a second decode read apart (see [`ApartColumns`]) but the
/// prose (which goes apart, [`save_prose`]), laid out as in a saved table,
/// with a header and a checksum of their own: what the engine's second
/// worker, which decodes them beside the rest, sends the first.
pub fn save_apart(columns: &ApartColumns, write: &mut dyn FnMut(&[u8])) {
    let mut sum = Checksum::default();
    let mut out = Out {
        write,
        sum: &mut sum,
    };
    out.raw(APART_MAGIC);
    out.raw(&FORMAT_VERSION.to_le_bytes());
    out.len(columns.pinned.len());
    // The authors only when that decode read them (a file of plain
    // columns): a flag, then the column.
    out.bytes(&[u8::from(columns.author.is_some())]);
    if let Some(author) = &columns.author {
        out.category(author);
    }
    out.multi(&columns.license);
    out.category(&columns.duplicated_from);
    out.category(&columns.emoji);
    out.bytes(&columns.pinned);
    let sum = out.sum.finish();
    (out.write)(&sum.to_le_bytes());
}

/// The columns [`save_apart`] wrote, if `source` holds them whole.
pub fn restore_apart(source: &mut dyn Source) -> Result<ApartColumns, Refused> {
    let mut sum = Checksum::default();
    let mut input = In {
        source,
        sum: &mut sum,
    };
    input.header(APART_MAGIC)?;
    let rows = input.len()?;
    let with_author = match input.bytes()?.as_slice() {
        [0] => false,
        [1] => true,
        _ => return Err(Refused::Inconsistent("the authors' flag is not a flag")),
    };
    let author = match with_author {
        true => Some(input.category(rows)?),
        false => None,
    };
    let columns = ApartColumns {
        author,
        license: input.multi(rows)?,
        duplicated_from: input.category(rows)?,
        emoji: input.category(rows)?,
        pinned: input.flags(rows)?,
        prose: None,
    };
    input.checksum()?;
    Ok(columns)
}

/// [`save`] into one buffer (tests, the native tools).
pub fn save_to_vec(table: &SpacesTable, warnings: &[String]) -> Vec<u8> {
    let mut bytes = Vec::new();
    save(table, warnings, &mut |part| bytes.extend_from_slice(part));
    bytes
}

/// Reads a copy step by step ([`Restorer::step`]).
pub struct Restorer {
    step: usize,
    sum: Checksum,
    rows: usize,
    warnings: Vec<String>,
    table: SpacesTable,
}

impl Default for Restorer {
    fn default() -> Self {
        Self::new()
    }
}

impl Restorer {
    pub fn new() -> Self {
        Self {
            step: 0,
            sum: Checksum::default(),
            rows: 0,
            warnings: Vec::new(),
            table: SpacesTable::default(),
        }
    }

    /// Reads the next part from `source`: `Ok(true)` while parts are left.
    pub fn step(&mut self, source: &mut dyn Source) -> Result<bool, Refused> {
        let mut input = In {
            source,
            sum: &mut self.sum,
        };
        let rows = self.rows;
        let t = &mut self.table;
        match self.step {
            0 => {
                input.header(MAGIC)?;
                self.rows = input.len()?;
                let count = input.len()?;
                if count > MAX_WARNINGS {
                    return Err(Refused::Inconsistent("it claims too many warnings"));
                }
                for _ in 0..count {
                    let bytes = input.bytes()?;
                    if bytes.len() > MAX_WARNING_BYTES {
                        return Err(Refused::Inconsistent("a warning is too long"));
                    }
                    let text = String::from_utf8(bytes)
                        .map_err(|_| Refused::Inconsistent("a warning is not text"))?;
                    self.warnings.push(text);
                }
            }
            1 => t.ids = input.text(rows)?,
            2 => t.author = input.category(rows)?,
            3 => t.created_at = input.i64s(rows)?,
            4 => t.last_modified = input.i64s(rows)?,
            5 => t.likes = input.i64s(rows)?,
            6 => t.sdk = input.category(rows)?,
            7 => t.tags = input.multi(rows)?,
            8 => t.license = input.multi(rows)?,
            9 => t.duplicated_from = input.category(rows)?,
            10 => t.models = input.multi(rows)?,
            11 => t.datasets = input.multi(rows)?,
            12 => t.emoji = input.category(rows)?,
            13 => t.stage = input.category(rows)?,
            14 => t.hardware = input.category(rows)?,
            15 => {
                t.dev_mode = input.flags(rows)?;
                t.pinned = input.flags(rows)?;
            }
            16 => t.custom_domains = input.multi(rows)?,
            17 => {
                let mut has_prose = [0u8];
                input.raw(&mut has_prose)?;
                match has_prose {
                    [0] => {}
                    [1] => {
                        let prose = Prose {
                            title: input.text(rows)?,
                            short_description: input.text(rows)?,
                        };
                        t.prose.set(prose).expect("a new table has no prose");
                    }
                    _ => return Err(Refused::Inconsistent("the prose flag is neither 0 nor 1")),
                }
            }
            18 => input.checksum()?,
            _ => return Ok(false),
        }
        self.step += 1;
        Ok(self.step < STEPS)
    }

    /// The table read, once [`Self::step`] has returned `Ok(false)`.
    pub fn finish(self) -> Result<SavedTable, Refused> {
        if self.step < STEPS {
            return Err(Refused::Truncated);
        }
        Ok(SavedTable {
            table: self.table,
            warnings: self.warnings,
        })
    }
}

/// The table `source` holds, if it is a whole, intact copy of this format.
pub fn restore(source: &mut dyn Source) -> Result<SavedTable, Refused> {
    let mut restorer = Restorer::new();
    while restorer.step(source)? {}
    restorer.finish()
}

/// A 64-bit checksum, eight bytes at a time in four lanes (so the
/// multiplications do not wait on each other). It catches a damaged or cut
/// copy; it is no defence against a forged one, which would need write
/// access to this origin's storage anyway.
#[derive(Clone)]
struct Checksum {
    lanes: [u64; 4],
    next_lane: usize,
    pending: [u8; 8],
    pending_len: usize,
    total: u64,
}

const MIX: u64 = 0x9E37_79B9_7F4A_7C15;

impl Default for Checksum {
    fn default() -> Self {
        Self {
            lanes: [
                MIX,
                MIX.rotate_left(17),
                MIX.rotate_left(31),
                MIX.rotate_left(47),
            ],
            next_lane: 0,
            pending: [0; 8],
            pending_len: 0,
            total: 0,
        }
    }
}

impl Checksum {
    fn update(&mut self, mut bytes: &[u8]) {
        self.total += bytes.len() as u64;
        if self.pending_len > 0 {
            let take = (8 - self.pending_len).min(bytes.len());
            self.pending[self.pending_len..self.pending_len + take].copy_from_slice(&bytes[..take]);
            self.pending_len += take;
            bytes = &bytes[take..];
            if self.pending_len < 8 {
                return;
            }
            self.word(u64::from_le_bytes(self.pending));
            self.pending_len = 0;
        }
        // Word by word up to lane 0, then four words a turn with the lanes
        // in locals: indexed through `next_lane`, each word waited on the
        // last one's store.
        while self.next_lane != 0 && bytes.len() >= 8 {
            self.word(word_of(&bytes[..8]));
            bytes = &bytes[8..];
        }
        if self.next_lane == 0 {
            let mut quads = bytes.chunks_exact(32);
            let [mut a, mut b, mut c, mut d] = self.lanes;
            for quad in quads.by_ref() {
                a = mix_word(a, word_of(&quad[0..8]));
                b = mix_word(b, word_of(&quad[8..16]));
                c = mix_word(c, word_of(&quad[16..24]));
                d = mix_word(d, word_of(&quad[24..32]));
            }
            self.lanes = [a, b, c, d];
            bytes = quads.remainder();
        }
        let mut words = bytes.chunks_exact(8);
        for word in words.by_ref() {
            self.word(word_of(word));
        }
        let rest = words.remainder();
        self.pending[..rest.len()].copy_from_slice(rest);
        self.pending_len = rest.len();
    }

    #[inline(always)]
    fn word(&mut self, word: u64) {
        let lane = &mut self.lanes[self.next_lane];
        *lane = mix_word(*lane, word);
        self.next_lane = (self.next_lane + 1) & 3;
    }

    fn finish(&self) -> u64 {
        let mut tail = [0u8; 8];
        tail[..self.pending_len].copy_from_slice(&self.pending[..self.pending_len]);
        let mut sum = self.total;
        for lane in self.lanes.into_iter().chain([u64::from_le_bytes(tail)]) {
            sum = (sum ^ lane).wrapping_mul(MIX).rotate_left(31);
        }
        sum
    }
}

#[inline(always)]
fn mix_word(lane: u64, word: u64) -> u64 {
    (lane ^ word).wrapping_mul(MIX).rotate_left(29)
}

#[inline(always)]
fn word_of(eight: &[u8]) -> u64 {
    u64::from_le_bytes(eight.try_into().expect("eight bytes"))
}

/// The memory of a slice of numbers, as the little-endian bytes it is.
fn bytes_of<T: Number>(values: &[T]) -> &[u8] {
    // SAFETY: `T` is a plain integer (no padding, every byte initialised),
    // and the slice covers exactly the values' memory.
    unsafe { std::slice::from_raw_parts(values.as_ptr().cast(), std::mem::size_of_val(values)) }
}

/// The integer types a saved column holds.
trait Number: Copy + Default {}
impl Number for u8 {}
impl Number for u16 {}
impl Number for u32 {}
impl Number for i64 {}

struct Out<'w> {
    write: &'w mut dyn FnMut(&[u8]),
    sum: &'w mut Checksum,
}

impl Out<'_> {
    fn raw(&mut self, bytes: &[u8]) {
        self.sum.update(bytes);
        (self.write)(bytes);
    }

    fn len(&mut self, len: usize) {
        self.raw(&(len as u64).to_le_bytes());
    }

    fn bytes(&mut self, bytes: &[u8]) {
        self.len(bytes.len());
        self.raw(bytes);
    }

    fn numbers<T: Number>(&mut self, values: &[T]) {
        self.len(values.len());
        self.raw(bytes_of(values));
    }

    /// `count` numbers from `values`, as [`Self::numbers`] writes them, for
    /// a column not held as such a slice (narrow codes, offsets a column
    /// keeps only for some rows or none): written a block at a time, never
    /// built whole.
    fn numbers_from(&mut self, count: usize, values: impl Iterator<Item = u32>) {
        self.len(count);
        let mut block = Vec::with_capacity(1 << 14);
        for value in values {
            block.push(value);
            if block.len() == block.capacity() {
                self.raw(bytes_of(&block));
                block.clear();
            }
        }
        self.raw(bytes_of(&block));
    }

    fn text(&mut self, column: &TextColumn) {
        let (offsets, text) = column.parts();
        if offsets.is_empty() {
            // A blank column holds no offsets: saved as its rows' zeros.
            let count = column.len() + 1;
            self.numbers_from(count, std::iter::repeat_n(0, count));
        } else {
            self.numbers(offsets);
        }
        self.bytes(text.as_bytes());
    }

    /// A dictionary as one text column.
    fn dictionary(&mut self, values: &[Box<str>]) {
        let mut column = TextColumn::new();
        for value in values {
            column.push(Some(value));
        }
        self.text(&column);
    }

    fn category(&mut self, column: &CategoryColumn) {
        // At their width in memory (a byte, then the codes): read back with
        // one copy, where widening to four bytes and narrowing again took
        // a fifth of a revisit's restore.
        match &column.codes {
            Codes::Byte(codes) => {
                self.raw(&[1]);
                self.bytes(codes);
            }
            Codes::Short(codes) => {
                self.raw(&[2]);
                self.numbers(codes);
            }
            Codes::Word(codes) => {
                self.raw(&[4]);
                self.numbers(codes);
            }
        }
        self.dictionary(&column.dictionary);
    }

    fn multi(&mut self, column: &MultiColumn) {
        let count = column.len() + 1;
        self.numbers_from(count, (0..count).map(|row| column.row_offset(row)));
        self.numbers(&column.codes);
        self.dictionary(&column.dictionary);
    }
}

struct In<'s> {
    source: &'s mut dyn Source,
    sum: &'s mut Checksum,
}

impl In<'_> {
    /// The magic `expected` and this format's version.
    fn header(&mut self, expected: &[u8; 8]) -> Result<(), Refused> {
        let mut magic = [0u8; 8];
        self.raw(&mut magic).map_err(|_| Refused::NotATable)?;
        if &magic != expected {
            return Err(Refused::NotATable);
        }
        let mut version = [0u8; 4];
        self.raw(&mut version)?;
        let version = u32::from_le_bytes(version);
        if version != FORMAT_VERSION {
            return Err(Refused::OtherVersion(version));
        }
        Ok(())
    }

    /// The checksum of everything read, which must be all that is left.
    fn checksum(&mut self) -> Result<(), Refused> {
        let expected = self.sum.finish();
        let mut sum = [MaybeUninit::uninit(); 8];
        if self.source.remaining() != sum.len() {
            return Err(Refused::Truncated);
        }
        let sum = self.source.fill(&mut sum);
        if u64::from_le_bytes(sum.try_into().expect("eight bytes")) != expected {
            return Err(Refused::Checksum);
        }
        Ok(())
    }

    /// Reads the next `into.len()` bytes into `into` and adds them to the
    /// checksum; the last eight bytes (the checksum) are never data.
    fn read<'a>(&mut self, into: &'a mut [MaybeUninit<u8>]) -> Result<&'a mut [u8], Refused> {
        if self.source.remaining() < into.len() + 8 {
            return Err(Refused::Truncated);
        }
        let (start, len) = (into.as_ptr().cast::<u8>(), into.len());
        let filled = self.source.fill(into);
        // The columns take this memory as written: a source must hand
        // back the very bytes it was given.
        assert!(std::ptr::eq(filled.as_ptr(), start) && filled.len() == len);
        self.sum.update(filled);
        Ok(filled)
    }

    /// Reads over `into` (bytes already initialised: a header's, say).
    fn raw(&mut self, into: &mut [u8]) -> Result<(), Refused> {
        // SAFETY: `MaybeUninit<u8>` has `u8`'s layout, and `read` only
        // leaves `into` initialised.
        let view = unsafe {
            std::slice::from_raw_parts_mut(into.as_mut_ptr().cast::<MaybeUninit<u8>>(), into.len())
        };
        self.read(view).map(|_| ())
    }

    fn len(&mut self) -> Result<usize, Refused> {
        let mut raw = [0u8; 8];
        self.raw(&mut raw)?;
        usize::try_from(u64::from_le_bytes(raw)).map_err(|_| Refused::Truncated)
    }

    /// A length, then that many numbers, allocated only once the source is
    /// known to hold them, and read into memory never zeroed.
    fn numbers<T: Number>(&mut self) -> Result<Vec<T>, Refused> {
        let count = self.len()?;
        let size = count
            .checked_mul(std::mem::size_of::<T>())
            .filter(|&size| size <= self.source.remaining())
            .ok_or(Refused::Truncated)?;
        let mut values = Vec::<T>::with_capacity(count);
        let spare = values.spare_capacity_mut();
        // SAFETY: the spare capacity holds at least `count` values, which
        // are `size` bytes (`MaybeUninit<u8>` can view any memory).
        let bytes = unsafe {
            std::slice::from_raw_parts_mut(spare.as_mut_ptr().cast::<MaybeUninit<u8>>(), size)
        };
        self.read(bytes)?;
        // SAFETY: `read` wrote all `size` bytes, and every bit pattern is a
        // valid `T` (a plain integer).
        unsafe { values.set_len(count) };
        Ok(values)
    }

    fn bytes(&mut self) -> Result<Vec<u8>, Refused> {
        self.numbers::<u8>()
    }

    fn i64s(&mut self, rows: usize) -> Result<Vec<i64>, Refused> {
        let values = self.numbers::<i64>()?;
        if values.len() != rows {
            return Err(Refused::Inconsistent(
                "a number column has another row count",
            ));
        }
        Ok(values)
    }

    fn flags(&mut self, rows: usize) -> Result<Vec<u8>, Refused> {
        let flags = self.bytes()?;
        if flags.len() != rows || flags.iter().any(|&f| f > NULL_BOOL) {
            return Err(Refused::Inconsistent("a flag column is not flags"));
        }
        Ok(flags)
    }

    /// A text column: offsets that start at 0, never go back, end at the
    /// text's length and fall on character boundaries.
    fn text_column(&mut self) -> Result<TextColumn, Refused> {
        let offsets = self.numbers::<u32>()?;
        let text = String::from_utf8(self.bytes()?)
            .map_err(|_| Refused::Inconsistent("a text column is not UTF-8"))?;
        TextColumn::from_parts(offsets, text).ok_or(Refused::Inconsistent(
            "a text column's offsets are out of order",
        ))
    }

    fn text(&mut self, rows: usize) -> Result<TextColumn, Refused> {
        let column = self.text_column()?;
        if column.len() != rows {
            return Err(Refused::Inconsistent("a text column has another row count"));
        }
        Ok(column)
    }

    fn dictionary(&mut self) -> Result<Vec<Box<str>>, Refused> {
        let column = self.text_column()?;
        Ok((0..column.len()).map(|i| column.get(i).into()).collect())
    }

    fn category(&mut self, rows: usize) -> Result<CategoryColumn, Refused> {
        let mut width = [0u8];
        self.raw(&mut width)?;
        let codes = match width {
            [1] => Codes::Byte(self.bytes()?),
            [2] => Codes::Short(self.numbers::<u16>()?),
            [4] => Codes::Word(self.numbers::<u32>()?),
            _ => return Err(Refused::Inconsistent("a category column has no code width")),
        };
        let dictionary = self.dictionary()?;
        if codes.len() != rows {
            return Err(Refused::Inconsistent(
                "a category column has another row count",
            ));
        }
        let entries = dictionary.len();
        let named = match &codes {
            Codes::Byte(codes) => codes
                .iter()
                .all(|&c| c == u8::MAX || usize::from(c) < entries),
            Codes::Short(codes) => codes
                .iter()
                .all(|&c| c == u16::MAX || usize::from(c) < entries),
            Codes::Word(codes) => codes
                .iter()
                .all(|&c| c == NULL_CODE || (c as usize) < entries),
        };
        if !named {
            return Err(Refused::Inconsistent("a code is outside its dictionary"));
        }
        Ok(CategoryColumn { codes, dictionary })
    }

    fn multi(&mut self, rows: usize) -> Result<MultiColumn, Refused> {
        let offsets = self.numbers::<u32>()?;
        let codes = self.numbers::<u32>()?;
        let dictionary = self.dictionary()?;
        if offsets.len().checked_sub(1) != Some(rows) {
            return Err(Refused::Inconsistent("a list column has another row count"));
        }
        check_codes(&codes, dictionary.len())?;
        if codes.contains(&NULL_CODE) {
            return Err(Refused::Inconsistent("a list holds a null code"));
        }
        MultiColumn::from_offsets(offsets, codes, dictionary).ok_or(Refused::Inconsistent(
            "a list column's offsets are out of order",
        ))
    }
}

/// Every code names a dictionary entry (or is the null code).
fn check_codes(codes: &[u32], entries: usize) -> Result<(), Refused> {
    if codes
        .iter()
        .all(|&c| c == NULL_CODE || (c as usize) < entries)
    {
        Ok(())
    } else {
        Err(Refused::Inconsistent("a code is outside its dictionary"))
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use std::sync::OnceLock;

    use super::*;
    use crate::data::decode_spaces;
    use crate::synth::hub::{write_hub_parquet, HubShape};
    use crate::synth::{generate_spaces, write_parquet, WriteOptions};

    fn decoded(rows: usize, hub: bool) -> (SpacesTable, Vec<String>) {
        let spaces = generate_spaces(rows, 7);
        let bytes = if hub {
            write_hub_parquet(
                &spaces,
                HubShape {
                    runtime_json: false,
                    card_json: true,
                },
            )
        } else {
            write_parquet(&spaces, &WriteOptions::default())
        };
        let (table, report) = decode_spaces(bytes::Bytes::from(bytes)).expect("decodes");
        (table, report.warnings())
    }

    /// `bytes` with its checksum made to match again, as a forger would.
    fn resealed(mut bytes: Vec<u8>) -> Vec<u8> {
        let body = bytes.len() - 8;
        let mut sum = Checksum::default();
        sum.update(&bytes[..body]);
        let sum = sum.finish();
        bytes[body..].copy_from_slice(&sum.to_le_bytes());
        bytes
    }

    #[test]
    fn a_table_comes_back_as_it_was_with_and_without_prose() {
        for hub in [false, true] {
            let (table, warnings) = decoded(3_000, hub);
            assert_eq!(table.has_descriptions(), hub);
            let restored = restore(&mut &save_to_vec(&table, &warnings)[..]).expect("restores");
            assert_eq!(restored.table, table);
            assert_eq!(restored.table.prose, table.prose);
            assert_eq!(restored.warnings, warnings);
            if !hub {
                // Upstream's file has no prose: it holds nothing, saved or not.
                let held = |t: &SpacesTable| t.prose.get().map(Prose::heap_bytes);
                assert_eq!((held(&table), held(&restored.table)), (Some(0), Some(0)));
            }
        }
        let (mut bare, _) = decoded(500, true);
        bare.prose = OnceLock::new();
        let restored = restore(&mut &save_to_vec(&bare, &[])[..]).expect("restores");
        assert!(restored.table.prose.get().is_none());
        assert_eq!(restored.table, bare);
        let warnings = vec!["Columns not in this file (shown as empty): emoji.".to_string()];
        let empty =
            restore(&mut &save_to_vec(&SpacesTable::default(), &warnings)[..]).expect("restores");
        assert_eq!(empty.table.len(), 0);
        assert_eq!(empty.warnings, warnings);
    }

    #[test]
    fn parts_are_the_saved_bytes_gathered_into_large_pieces() {
        let (table, warnings) = decoded(3_000, true);
        let whole = save_to_vec(&table, &warnings);
        for min_part in [1, 100, 4096, 1 << 20] {
            let mut parts = Vec::new();
            in_parts(min_part, &mut |part| parts.push(part.to_vec()), |write| {
                save(&table, &warnings, write)
            });
            assert_eq!(parts.concat(), whole, "min_part {min_part}");
            assert!(parts.iter().all(|p| !p.is_empty()));
            // A short part only goes out before a large one (the order is
            // kept), or last.
            for pair in parts.windows(2) {
                assert!(pair[0].len() >= min_part || pair[1].len() >= min_part);
            }
        }
        // Gathered: a table smaller than the part size is one part, where
        // saving writes it in many pieces.
        let mut writes = 0;
        save(&table, &warnings, &mut |_| writes += 1);
        let mut parts = 0;
        in_parts(whole.len() + 1, &mut |_| parts += 1, |write| {
            save(&table, &warnings, write)
        });
        assert_eq!(parts, 1, "{writes} writes");
        assert!(writes > 50);
    }

    #[test]
    fn a_table_saved_without_its_prose_comes_back_without_it() {
        let (table, _) = decoded(500, true);
        assert!(table.prose.get().is_some());
        let mut saver = Saver::new(&table, &[]).without_prose();
        let mut bytes = Vec::new();
        while saver.step(&mut |part| bytes.extend_from_slice(part)) {}
        let restored = restore(&mut &bytes[..]).expect("restores");
        assert!(restored.table.prose.get().is_none());
        assert_eq!(restored.table.ids, table.ids);
        assert_eq!(restored.table.likes, table.likes);
    }

    #[test]
    fn prose_alone_comes_back_as_it_was_and_damage_is_refused() {
        let (table, _) = decoded(2_000, true);
        let prose = table.prose.get().expect("the Hub shape has prose");
        assert!(prose.title.len() == 2_000 && !prose.title.get(0).is_empty());
        let mut bytes = Vec::new();
        save_prose(prose, &mut |part| bytes.extend_from_slice(part));
        assert_eq!(restore_prose(&mut &bytes[..]).expect("restores"), *prose);
        // A table's copy is not prose, and prose is not a table.
        let as_table = save_to_vec(&table, &[]);
        assert_eq!(restore_prose(&mut &as_table[..]), Err(Refused::NotATable));
        assert_eq!(restore(&mut &bytes[..]).unwrap_err(), Refused::NotATable);
        for at in (0..bytes.len()).step_by(97) {
            let mut damaged = bytes.clone();
            damaged[at] ^= 0x20;
            assert!(restore_prose(&mut &damaged[..]).is_err(), "flip at {at}");
            assert!(restore_prose(&mut &bytes[..at]).is_err(), "cut at {at}");
        }
    }

    #[test]
    fn the_columns_apart_come_back_as_they_were_and_damage_is_refused() {
        let (table, _) = decoded(2_000, true);
        // With the authors, as a file of plain columns sends them.
        let mut with_author = ApartColumns::take_from(table.clone(), true);
        with_author.prose = None;
        let mut bytes = Vec::new();
        save_apart(&with_author, &mut |part| bytes.extend_from_slice(part));
        let back = restore_apart(&mut &bytes[..]).expect("restores");
        assert!(back.author.as_ref().unwrap().dictionary.len() > 100);
        assert_eq!(back, with_author);
        for at in (0..bytes.len()).step_by(89) {
            let mut damaged = bytes.clone();
            damaged[at] ^= 0x20;
            assert!(restore_apart(&mut &damaged[..]).is_err(), "flip at {at}");
            assert!(restore_apart(&mut &bytes[..at]).is_err(), "cut at {at}");
        }
        let mut card = ApartColumns::take_from(table, false);
        assert_eq!(card.rows(), Some(2_000));
        assert_eq!(card.author, None);
        assert!(card.emoji.dictionary.len() > 5 && card.license.len() == 2_000);
        // The prose goes apart.
        let titles = card.prose.take().expect("the Hub shape has titles");
        let mut bytes = Vec::new();
        save_apart(&card, &mut |part| bytes.extend_from_slice(part));
        assert_eq!(restore_apart(&mut &bytes[..]).expect("restores"), card);
        // Neither a table's copy nor prose reads as the front matter.
        let mut prose = Vec::new();
        save_prose(&titles, &mut |part| prose.extend_from_slice(part));
        assert_eq!(restore_apart(&mut &prose[..]), Err(Refused::NotATable));
        for at in (0..bytes.len()).step_by(89) {
            let mut damaged = bytes.clone();
            damaged[at] ^= 0x20;
            assert!(restore_apart(&mut &damaged[..]).is_err(), "flip at {at}");
            assert!(restore_apart(&mut &bytes[..at]).is_err(), "cut at {at}");
        }
    }

    #[test]
    fn every_flipped_byte_and_every_cut_is_refused() {
        let (table, warnings) = decoded(40, true);
        let bytes = save_to_vec(&table, &warnings);
        for at in 0..bytes.len() {
            let mut damaged = bytes.clone();
            damaged[at] ^= 0x10;
            assert!(restore(&mut &damaged[..]).is_err(), "byte {at} flipped");
        }
        for len in 0..bytes.len() {
            assert!(restore(&mut &bytes[..len]).is_err(), "cut at {len}");
        }
        let mut longer = bytes.clone();
        longer.push(0);
        assert!(restore(&mut &longer[..]).is_err());
    }

    #[test]
    fn the_checksum_does_not_depend_on_how_the_bytes_are_split() {
        let bytes: Vec<u8> = (0..77u32).map(|i| (i * 37 % 251) as u8).collect();
        let mut whole = Checksum::default();
        whole.update(&bytes);
        for split in 0..bytes.len() {
            for second in split..bytes.len() {
                let mut parts = Checksum::default();
                parts.update(&bytes[..split]);
                parts.update(&bytes[split..second]);
                parts.update(&bytes[second..]);
                assert_eq!(parts.finish(), whole.finish(), "split at {split}, {second}");
            }
        }
        let mut other = Checksum::default();
        other.update(&bytes[1..]);
        assert_ne!(other.finish(), whole.finish());
    }

    /// The checksum as its definition reads: word `i` into lane `i % 4`,
    /// then the length, the lanes and the tail.
    fn naive_checksum(bytes: &[u8]) -> u64 {
        let mut lanes = Checksum::default().lanes;
        let words = bytes.chunks_exact(8);
        let tail = words.remainder();
        for (i, word) in words.enumerate() {
            let word = u64::from_le_bytes(word.try_into().unwrap());
            lanes[i % 4] = (lanes[i % 4] ^ word).wrapping_mul(MIX).rotate_left(29);
        }
        let mut last = [0u8; 8];
        last[..tail.len()].copy_from_slice(tail);
        let mut sum = bytes.len() as u64;
        for lane in lanes.into_iter().chain([u64::from_le_bytes(last)]) {
            sum = (sum ^ lane).wrapping_mul(MIX).rotate_left(31);
        }
        sum
    }

    #[test]
    fn the_checksum_is_its_definition_whatever_the_parts() {
        let bytes: Vec<u8> = (0..1000u32).map(|i| (i * 131 % 253) as u8).collect();
        for len in [0, 7, 8, 31, 32, 33, 64, 100, 999, 1000] {
            let mut sum = Checksum::default();
            sum.update(&bytes[..len]);
            assert_eq!(sum.finish(), naive_checksum(&bytes[..len]), "{len} bytes");
        }
        // Parts that leave lanes and words half done.
        for part in [1, 3, 8, 13, 40, 77] {
            let mut sum = Checksum::default();
            for chunk in bytes.chunks(part) {
                sum.update(chunk);
            }
            assert_eq!(sum.finish(), naive_checksum(&bytes), "parts of {part}");
        }
    }

    #[test]
    fn another_version_is_refused_by_name() {
        let (table, warnings) = decoded(10, false);
        let mut bytes = save_to_vec(&table, &warnings);
        bytes[8..12].copy_from_slice(&(FORMAT_VERSION + 1).to_le_bytes());
        assert_eq!(
            restore(&mut &resealed(bytes)[..]),
            Err(Refused::OtherVersion(FORMAT_VERSION + 1))
        );
        assert_eq!(restore(&mut &b"PAR1...."[..]), Err(Refused::NotATable));
        // The largest row count a header can claim: refused, not overflowed.
        let mut claims = save_to_vec(&table, &warnings);
        claims[12..20].copy_from_slice(&u64::MAX.to_le_bytes());
        assert!(restore(&mut &resealed(claims)[..]).is_err());
    }

    /// A copy whose checksum matches but whose columns do not hold
    /// together is refused: nothing later can index out of bounds.
    #[test]
    fn forged_copies_are_refused_or_sound() {
        let (table, warnings) = decoded(60, true);
        let bytes = save_to_vec(&table, &warnings);
        let mut refused = 0;
        for at in 12..bytes.len() - 8 {
            for value in [0x00, 0x01, 0x7f, 0xff] {
                let mut forged = bytes.clone();
                if forged[at] == value {
                    continue;
                }
                forged[at] = value;
                match restore(&mut &resealed(forged)[..]) {
                    Err(_) => refused += 1,
                    // Accepted: then every lookup the app makes must work.
                    Ok(saved) => {
                        let t = &saved.table;
                        for row in 0..t.len() {
                            let _ = (t.ids.get(row), t.author.get(row), t.emoji.get(row));
                            // Categories of every code width.
                            let _ = (t.sdk.get(row), t.stage.get(row), t.hardware.get(row));
                            let _ = t.duplicated_from.get(row);
                            let _ =
                                t.tags.row_values(row).count() + t.license.row_values(row).count();
                            let _ = (t.title(row), t.description(row));
                        }
                    }
                }
            }
        }
        assert!(refused > 0);
    }
}
