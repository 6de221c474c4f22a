//! Column layouts of [`super::SpacesTable`].

use std::hash::BuildHasher;

use hashbrown::HashTable;
use rustc_hash::FxBuildHasher;

/// Code of a missing value in a categorical or multi-valued column.
pub const NULL_CODE: u32 = u32::MAX;

/// Free text kept whole (ids): one byte buffer and row offsets.
#[derive(Debug, Clone, Default)]
pub struct TextColumn {
    offsets: Vec<u32>,
    bytes: String,
    /// Rows of a column with no text at all, which then holds no offsets
    /// ([`Self::compact`]): upstream's file has no titles, and a million
    /// zero offsets for each prose column were 8 bytes a Space.
    blank_rows: usize,
}

impl TextColumn {
    pub fn new() -> Self {
        Self::with_rows(0)
    }

    /// Room for `rows` offsets (the text grows as it comes).
    pub fn with_rows(rows: usize) -> Self {
        let mut offsets = Vec::with_capacity(rows + 1);
        offsets.push(0);
        Self {
            offsets,
            bytes: String::new(),
            blank_rows: 0,
        }
    }

    /// Room for exactly `rows` offsets and `bytes` of text: a column
    /// joined from parts whose sizes are known before they come
    /// ([`Self::append`]), never grown by doubling.
    pub fn with_room(rows: usize, bytes: usize) -> Self {
        let mut column = Self::with_rows(rows);
        column.reserve_text(bytes);
        column
    }

    /// Appends every text of `other`, its text in one copy.
    pub fn append(&mut self, other: &TextColumn) {
        if other.is_blank() {
            match self.is_blank() {
                true => self.blank_rows += other.blank_rows,
                false => {
                    let end = self.bytes.len() as u32;
                    self.offsets
                        .extend(std::iter::repeat_n(end, other.blank_rows));
                }
            }
            return;
        }
        let ends = other.offsets[1..].iter().map(|&end| end as usize);
        self.push_joined(&other.bytes, ends);
    }

    /// `rows` empty texts, holding nothing.
    pub fn blank(rows: usize) -> Self {
        Self {
            offsets: Vec::new(),
            bytes: String::new(),
            blank_rows: rows,
        }
    }

    /// Drops the offsets of a column whose every text is empty.
    pub fn compact(&mut self) {
        if self.bytes.is_empty() && !self.offsets.is_empty() {
            *self = Self::blank(self.len());
        }
    }

    fn is_blank(&self) -> bool {
        self.offsets.is_empty()
    }

    /// Room for `bytes` more bytes of text.
    pub fn reserve_text(&mut self, bytes: usize) {
        self.bytes.reserve_exact(bytes);
    }

    /// No rows; usable in a `static`.
    pub const fn empty() -> Self {
        Self {
            offsets: Vec::new(),
            bytes: String::new(),
            blank_rows: 0,
        }
    }

    /// Spells out a blank column's rows as offsets, before text is added.
    fn spell_out_blank_rows(&mut self) {
        if self.is_blank() {
            self.offsets = vec![0; self.blank_rows + 1];
            self.blank_rows = 0;
        }
    }

    pub fn push(&mut self, value: Option<&str>) {
        self.spell_out_blank_rows();
        self.bytes.push_str(value.unwrap_or(""));
        self.offsets.push(self.bytes.len() as u32);
    }

    /// Appends the values of `text` that end at each of `ends` (counted
    /// from its start, ascending, the last at its length): a batch's text
    /// in one copy.
    pub fn push_joined(&mut self, text: &str, ends: impl Iterator<Item = usize>) {
        self.spell_out_blank_rows();
        let base = self.bytes.len();
        self.bytes.push_str(text);
        self.offsets.extend(ends.map(|end| (base + end) as u32));
    }

    pub fn len(&self) -> usize {
        if self.is_blank() {
            self.blank_rows
        } else {
            self.offsets.len() - 1
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn get(&self, row: usize) -> &str {
        if self.is_blank() {
            assert!(row < self.blank_rows, "row {row} of {}", self.blank_rows);
            return "";
        }
        &self.bytes[self.offsets[row] as usize..self.offsets[row + 1] as usize]
    }

    /// The row offsets into the text, and the text; no offsets at all for
    /// a [`Self::blank`] column (see [`Self::len`] for its rows).
    pub fn parts(&self) -> (&[u32], &str) {
        (&self.offsets, &self.bytes)
    }

    /// A column from [`Self::parts`], if they make one: offsets from 0 to
    /// the text's end, never going back, each on a character boundary.
    /// Kept [`Self::compact`].
    pub fn from_parts(offsets: Vec<u32>, bytes: String) -> Option<Self> {
        let sound = offsets.first() == Some(&0)
            && offsets.last().map(|&end| end as usize) == Some(bytes.len())
            && offsets.windows(2).all(|w| w[0] <= w[1])
            && offsets.iter().all(|&o| bytes.is_char_boundary(o as usize));
        let mut column = Self {
            offsets,
            bytes,
            blank_rows: 0,
        };
        column.compact();
        sound.then_some(column)
    }

    /// Bytes of text held (the decoder checks it against its budget).
    pub fn text_bytes(&self) -> usize {
        self.bytes.len()
    }

    pub fn heap_bytes(&self) -> usize {
        self.offsets.capacity() * 4 + self.bytes.capacity()
    }
}

/// The same texts, however held.
impl PartialEq for TextColumn {
    fn eq(&self, other: &Self) -> bool {
        if self.is_blank() || other.is_blank() {
            self.len() == other.len() && self.bytes.is_empty() && other.bytes.is_empty()
        } else {
            self.offsets == other.offsets && self.bytes == other.bytes
        }
    }
}

impl Eq for TextColumn {}

/// Assigns dense codes to distinct strings, in order of first appearance.
/// Each string is held once, in `values`: the lookup holds only codes.
#[derive(Debug, Clone, Default)]
pub struct Interner {
    lookup: HashTable<u32>,
    values: Vec<Box<str>>,
}

impl Interner {
    pub fn intern(&mut self, value: &str) -> u32 {
        let hash = FxBuildHasher.hash_one(value);
        let values = &self.values;
        if let Some(&code) = self
            .lookup
            .find(hash, |&code| same_text(&values[code as usize], value))
        {
            return code;
        }
        let code = self.values.len() as u32;
        self.values.push(value.into());
        let values = &self.values;
        self.lookup.insert_unique(hash, code, |&code| {
            FxBuildHasher.hash_one(&*values[code as usize])
        });
        code
    }

    fn finish(self) -> Vec<Box<str>> {
        self.values
    }
}

/// Whether `a` and `b` hold the same bytes, compared a word at a time:
/// WebAssembly's `memcmp` goes a byte at a time, and comparing an author
/// with the one already interned was a third of interning it.
#[inline]
fn same_text(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let (mut a_words, mut b_words) = (a.chunks_exact(8), b.chunks_exact(8));
    let word = |w: &[u8]| u64::from_ne_bytes(w.try_into().unwrap_or_default());
    a_words
        .by_ref()
        .zip(b_words.by_ref())
        .all(|(x, y)| word(x) == word(y))
        && a_words
            .remainder()
            .iter()
            .zip(b_words.remainder())
            .all(|(x, y)| x == y)
}

/// One code a row, [`NULL_CODE`] for none, each as wide as the largest
/// code needs: a byte for the SDK, stage or hardware (a handful of values),
/// two for emoji; four bytes a row each was a sixth of the table. Starts a
/// byte wide and widens, once, when a code does not fit.
#[derive(Debug, Clone)]
pub enum Codes {
    /// Codes below `u8::MAX`, which stands for null.
    Byte(Vec<u8>),
    /// Codes below `u16::MAX`, which stands for null.
    Short(Vec<u16>),
    Word(Vec<u32>),
}

impl Default for Codes {
    fn default() -> Self {
        Codes::Byte(Vec::new())
    }
}

impl Codes {
    pub fn with_capacity(rows: usize) -> Self {
        Codes::Byte(Vec::with_capacity(rows))
    }

    /// The narrowest codes holding `codes`.
    pub fn from_words(codes: Vec<u32>) -> Self {
        let largest = codes.iter().copied().filter(|&c| c != NULL_CODE).max();
        let mut narrow = Codes::with_capacity(codes.len());
        narrow.widen_for(largest.unwrap_or(0));
        if let Codes::Word(_) = narrow {
            return Codes::Word(codes);
        }
        codes.iter().for_each(|&code| narrow.push(code));
        narrow
    }

    #[inline]
    pub fn get(&self, row: usize) -> u32 {
        match self {
            Codes::Byte(codes) => match codes[row] {
                u8::MAX => NULL_CODE,
                code => code as u32,
            },
            Codes::Short(codes) => match codes[row] {
                u16::MAX => NULL_CODE,
                code => code as u32,
            },
            Codes::Word(codes) => codes[row],
        }
    }

    /// Calls `visit(row, code)` for each of `rows` that holds a value. The
    /// width is matched once, not once a row: a whole table's pass then
    /// compiles to a plain loop over bytes.
    #[inline]
    pub fn each_held(&self, rows: &[u32], mut visit: impl FnMut(u32, u32)) {
        match self {
            Codes::Byte(codes) => {
                for &row in rows {
                    match codes[row as usize] {
                        u8::MAX => {}
                        code => visit(row, u32::from(code)),
                    }
                }
            }
            Codes::Short(codes) => {
                for &row in rows {
                    match codes[row as usize] {
                        u16::MAX => {}
                        code => visit(row, u32::from(code)),
                    }
                }
            }
            Codes::Word(codes) => {
                for &row in rows {
                    match codes[row as usize] {
                        NULL_CODE => {}
                        code => visit(row, code),
                    }
                }
            }
        }
    }

    pub fn len(&self) -> usize {
        match self {
            Codes::Byte(codes) => codes.len(),
            Codes::Short(codes) => codes.len(),
            Codes::Word(codes) => codes.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Codes there is room for.
    pub fn capacity(&self) -> usize {
        match self {
            Codes::Byte(codes) => codes.capacity(),
            Codes::Short(codes) => codes.capacity(),
            Codes::Word(codes) => codes.capacity(),
        }
    }

    pub fn iter(&self) -> impl Iterator<Item = u32> + '_ {
        (0..self.len()).map(|row| self.get(row))
    }

    #[inline]
    pub fn push(&mut self, code: u32) {
        if code != NULL_CODE {
            self.widen_for(code);
        }
        match self {
            Codes::Byte(codes) => codes.push(code.try_into().unwrap_or(u8::MAX)),
            Codes::Short(codes) => codes.push(code.try_into().unwrap_or(u16::MAX)),
            Codes::Word(codes) => codes.push(code),
        }
    }

    /// Appends `codes`, each at most `largest` or [`NULL_CODE`]: the width
    /// is settled once for them all, not per code (a code above `largest`
    /// would read as null).
    pub fn extend_up_to(&mut self, largest: u32, codes: impl Iterator<Item = u32>) {
        self.widen_for(largest);
        match self {
            Codes::Byte(v) => v.extend(codes.map(|c| c.try_into().unwrap_or(u8::MAX))),
            Codes::Short(v) => v.extend(codes.map(|c| c.try_into().unwrap_or(u16::MAX))),
            Codes::Word(v) => v.extend(codes),
        }
    }

    pub fn push_nulls(&mut self, count: usize) {
        match self {
            Codes::Byte(codes) => codes.resize(codes.len() + count, u8::MAX),
            Codes::Short(codes) => codes.resize(codes.len() + count, u16::MAX),
            Codes::Word(codes) => codes.resize(codes.len() + count, NULL_CODE),
        }
    }

    /// Makes the codes wide enough for `code`, keeping their capacity.
    #[inline]
    fn widen_for(&mut self, code: u32) {
        let fits = match self {
            Codes::Byte(_) => code < u8::MAX as u32,
            Codes::Short(_) => code < u16::MAX as u32,
            Codes::Word(_) => true,
        };
        if !fits {
            self.widen(code);
        }
    }

    #[cold]
    fn widen(&mut self, code: u32) {
        let capacity = self.capacity();
        *self = if code < u16::MAX as u32 {
            let mut wider = Vec::with_capacity(capacity);
            wider.extend(self.iter().map(|c| c.try_into().unwrap_or(u16::MAX)));
            Codes::Short(wider)
        } else {
            let mut wider = Vec::with_capacity(capacity);
            wider.extend(self.iter());
            Codes::Word(wider)
        };
    }

    pub fn heap_bytes(&self) -> usize {
        let width = match self {
            Codes::Byte(_) => 1,
            Codes::Short(_) => 2,
            Codes::Word(_) => 4,
        };
        self.capacity() * width
    }
}

/// The same codes, however wide.
impl PartialEq for Codes {
    fn eq(&self, other: &Self) -> bool {
        self.len() == other.len() && self.iter().eq(other.iter())
    }
}

impl Eq for Codes {}

/// A single-valued categorical column: one code a row into `dictionary`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CategoryColumn {
    pub codes: Codes,
    pub dictionary: Vec<Box<str>>,
}

impl CategoryColumn {
    pub fn get(&self, row: usize) -> Option<&str> {
        if row >= self.codes.len() {
            return None;
        }
        match self.codes.get(row) {
            NULL_CODE => None,
            code => Some(&self.dictionary[code as usize]),
        }
    }

    /// The code of `row` ([`NULL_CODE`] for none).
    #[inline]
    pub fn code(&self, row: usize) -> u32 {
        self.codes.get(row)
    }

    pub fn code_of(&self, value: &str) -> Option<u32> {
        code_in(&self.dictionary, value)
    }

    pub fn heap_bytes(&self) -> usize {
        self.codes.heap_bytes() + dictionary_bytes(&self.dictionary)
    }
}

/// A list-valued column (tags, models, …): row `r` holds
/// `codes[offsets[r]..offsets[r + 1]]`. A null list and an empty list both
/// hold nothing. When fewer than half the rows hold any value (models,
/// datasets, custom domains), the offsets cover only those rows, found
/// through [`ListedRows`]: a dense offset per row was 4 bytes a Space for
/// each such column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MultiColumn {
    offsets: Vec<u32>,
    pub codes: Vec<u32>,
    pub dictionary: Vec<Box<str>>,
    listed: Option<ListedRows>,
}

impl Default for MultiColumn {
    fn default() -> Self {
        Self {
            offsets: vec![0],
            codes: Vec::new(),
            dictionary: Vec::new(),
            listed: None,
        }
    }
}

impl MultiColumn {
    /// A column from an offset per row (from 0 to the codes' end, never
    /// going back), kept sparse when few rows hold values; `None` if the
    /// offsets do not make one.
    pub fn from_offsets(
        offsets: Vec<u32>,
        codes: Vec<u32>,
        dictionary: Vec<Box<str>>,
    ) -> Option<Self> {
        let ends_right = offsets.first() == Some(&0)
            && offsets.last().map(|&end| end as usize) == Some(codes.len());
        if !ends_right {
            return None;
        }
        let rows = offsets.len() - 1;
        // One pass for the order and the rows that hold items (a revisit
        // restores five such columns of a million rows).
        let mut holders = vec![0u64; rows.div_ceil(64)];
        let mut listed_rows = 0;
        let mut ordered = true;
        let mut start = 0;
        for (row, &end) in offsets[1..].iter().enumerate() {
            ordered &= start <= end;
            let holds = start < end;
            holders[row / 64] |= u64::from(holds) << (row % 64);
            listed_rows += usize::from(holds);
            start = end;
        }
        if !ordered {
            return None;
        }
        if listed_rows * 2 >= rows {
            return Some(Self {
                offsets,
                codes,
                dictionary,
                listed: None,
            });
        }
        let mut starts = Vec::with_capacity(listed_rows + 1);
        starts.extend(
            offsets
                .windows(2)
                .filter(|pair| pair[0] < pair[1])
                .map(|pair| pair[0]),
        );
        starts.push(codes.len() as u32);
        Some(Self {
            offsets: starts,
            codes,
            dictionary,
            listed: Some(ListedRows::from_bits(rows, holders)),
        })
    }

    /// Rows in the column.
    pub fn len(&self) -> usize {
        match &self.listed {
            Some(listed) => listed.rows,
            None => self.offsets.len() - 1,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    #[inline]
    pub fn row_codes(&self, row: usize) -> &[u32] {
        let index = match &self.listed {
            None => row,
            Some(listed) => match listed.index_of(row) {
                Some(index) => index,
                None => return &[],
            },
        };
        match (self.offsets.get(index), self.offsets.get(index + 1)) {
            (Some(&start), Some(&end)) => &self.codes[start as usize..end as usize],
            _ => &[],
        }
    }

    /// When few rows hold values: those rows, a bit per row in 64-row
    /// words, so that loops over rows can skip the rest.
    pub fn listed_words(&self) -> Option<&[u64]> {
        self.listed.as_ref().map(|listed| &listed.bits[..])
    }

    /// Where row `row`'s values start in `codes` (`row == len` gives the
    /// end): the offset per row [`Self::from_offsets`] takes, even for a
    /// column that does not hold one per row.
    pub fn row_offset(&self, row: usize) -> u32 {
        let index = match &self.listed {
            None => row,
            Some(listed) if row == listed.rows => self.offsets.len() - 1,
            // A row starts where the listed rows before it end.
            Some(listed) => listed.listed_before(row),
        };
        self.offsets[index]
    }

    pub fn row_values(&self, row: usize) -> impl Iterator<Item = &str> + '_ {
        self.row_codes(row)
            .iter()
            .map(|&code| &*self.dictionary[code as usize])
    }

    pub fn code_of(&self, value: &str) -> Option<u32> {
        code_in(&self.dictionary, value)
    }

    pub fn heap_bytes(&self) -> usize {
        (self.offsets.capacity() + self.codes.capacity()) * 4
            + dictionary_bytes(&self.dictionary)
            + self.listed.as_ref().map_or(0, ListedRows::heap_bytes)
    }
}

/// A set of rows that also says how many of the set come before a row:
/// a bit per row, and the count before each 64 of them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListedRows {
    rows: usize,
    bits: Vec<u64>,
    before_word: Vec<u32>,
}

impl ListedRows {
    /// Rows listed by their bits (row `r` is bit `r % 64` of word `r / 64`).
    fn from_bits(rows: usize, bits: Vec<u64>) -> Self {
        let mut count = 0u32;
        let before_word = bits
            .iter()
            .map(|word| {
                let before = count;
                count += word.count_ones();
                before
            })
            .collect();
        Self {
            rows,
            bits,
            before_word,
        }
    }

    /// Listed rows before `row`.
    #[inline]
    fn listed_before(&self, row: usize) -> usize {
        let (word, bit) = (row / 64, row % 64);
        let below = self.bits[word] & ((1u64 << bit) - 1);
        self.before_word[word] as usize + below.count_ones() as usize
    }

    /// The place of `row` among the listed rows, if it is one.
    #[inline]
    fn index_of(&self, row: usize) -> Option<usize> {
        let word = *self.bits.get(row / 64)?;
        (word & (1 << (row % 64)) != 0).then(|| self.listed_before(row))
    }

    fn heap_bytes(&self) -> usize {
        self.bits.capacity() * 8 + self.before_word.capacity() * 4
    }
}

/// The code of `value` in a dictionary, if it occurs.
fn code_in(dictionary: &[Box<str>], value: &str) -> Option<u32> {
    dictionary
        .iter()
        .position(|v| &**v == value)
        .map(|p| p as u32)
}

fn dictionary_bytes(dictionary: &[Box<str>]) -> usize {
    dictionary.iter().map(|v| v.len() + 16).sum()
}

/// Builds a [`CategoryColumn`] row by row.
#[derive(Debug, Default)]
pub struct CategoryBuilder {
    codes: Codes,
    interner: Interner,
}

impl CategoryBuilder {
    /// Room for `rows` codes: the decoder knows the row count from the
    /// footer, and a column grown by doubling holds both copies as it moves.
    pub fn with_rows(rows: usize) -> Self {
        Self {
            codes: Codes::with_capacity(rows),
            interner: Interner::default(),
        }
    }

    pub fn push(&mut self, value: Option<&str>) {
        let code = value.map_or(NULL_CODE, |v| self.interner.intern(v));
        self.codes.push(code);
    }

    /// Rows pushed so far.
    pub fn rows(&self) -> usize {
        self.codes.len()
    }

    /// Appends `codes`, each at most `largest` or [`NULL_CODE`].
    pub fn extend_codes(&mut self, largest: u32, codes: impl Iterator<Item = u32>) {
        self.codes.extend_up_to(largest, codes);
    }

    pub fn interner(&mut self) -> &mut Interner {
        &mut self.interner
    }

    pub fn push_nulls(&mut self, count: usize) {
        self.codes.push_nulls(count);
    }

    pub fn finish(self) -> CategoryColumn {
        CategoryColumn {
            codes: self.codes,
            dictionary: self.interner.finish(),
        }
    }
}

/// Builds a [`MultiColumn`] row by row.
#[derive(Debug)]
pub struct MultiBuilder {
    offsets: Vec<u32>,
    codes: Vec<u32>,
    interner: Interner,
}

impl Default for MultiBuilder {
    fn default() -> Self {
        Self::with_rows(0)
    }
}

impl MultiBuilder {
    pub fn push_value(&mut self, value: &str) {
        let code = self.interner.intern(value);
        self.codes.push(code);
    }

    /// Room for `rows` rows (their values may be any number).
    pub fn with_rows(rows: usize) -> Self {
        let mut offsets = Vec::with_capacity(rows + 1);
        offsets.push(0);
        Self {
            offsets,
            codes: Vec::new(),
            interner: Interner::default(),
        }
    }

    /// Room for `items` more values.
    pub fn reserve_items(&mut self, items: usize) {
        self.codes.reserve_exact(items);
    }

    /// Adds a value already interned through [`Self::interner`].
    pub fn push_code(&mut self, code: u32) {
        self.codes.push(code);
    }

    pub fn interner(&mut self) -> &mut Interner {
        &mut self.interner
    }

    /// Rows ended so far.
    pub fn rows(&self) -> usize {
        self.offsets.len() - 1
    }

    pub fn end_row(&mut self) {
        self.offsets.push(self.codes.len() as u32);
    }

    pub fn push_empty_rows(&mut self, count: usize) {
        let end = self.codes.len() as u32;
        self.offsets.resize(self.offsets.len() + count, end);
    }

    pub fn finish(self) -> MultiColumn {
        MultiColumn::from_offsets(self.offsets, self.codes, self.interner.finish())
            .expect("a builder's offsets start at 0, never go back and end at its codes")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn texts_compare_as_strings_do() {
        let texts = [
            "",
            "a",
            "ab",
            "abcdefg",
            "abcdefgh",
            "abcdefgi",
            "abcdefghi",
            "abcdefghj",
            "bbcdefghi",
            "user/space-name",
            "user/space-namf",
            "ünïcödé/🚀",
            "ünïcödé/🚁",
        ];
        for a in texts {
            for b in texts {
                assert_eq!(same_text(a, b), a == b, "{a:?} {b:?}");
            }
        }
    }

    #[test]
    fn codes_extended_at_once_are_the_codes_pushed_one_by_one() {
        let runs: [&[u32]; 4] = [
            &[0, 3, NULL_CODE, 7],
            &[300, NULL_CODE, 2],
            &[70_000, 1, NULL_CODE],
            &[5, 6],
        ];
        let mut pushed = Codes::default();
        let mut extended = Codes::default();
        for run in runs {
            run.iter().for_each(|&code| pushed.push(code));
            let largest = run.iter().copied().filter(|&c| c != NULL_CODE).max();
            extended.extend_up_to(largest.unwrap_or(0), run.iter().copied());
            let words = |codes: &Codes| (0..codes.len()).map(|r| codes.get(r)).collect::<Vec<_>>();
            assert_eq!(words(&extended), words(&pushed));
            assert_eq!(
                std::mem::discriminant(&extended),
                std::mem::discriminant(&pushed)
            );
        }
    }

    #[test]
    fn a_column_without_text_holds_nothing_yet_reads_the_same() {
        let mut pushed = TextColumn::with_rows(3);
        for _ in 0..3 {
            pushed.push(None);
        }
        let mut blank = pushed.clone();
        blank.compact();
        assert_eq!(blank.heap_bytes(), 0);
        assert_eq!((blank.len(), blank.get(2)), (3, ""));
        assert_eq!(blank, pushed);
        assert_eq!(blank, TextColumn::blank(3));
        assert_ne!(blank, TextColumn::blank(2));
        // Text after blank rows keeps them.
        blank.push(Some("title"));
        pushed.push(Some("title"));
        assert_eq!(blank, pushed);
        assert_eq!((blank.len(), blank.get(1), blank.get(3)), (4, "", "title"));
        // Parts of empty texts make a blank column; others are kept whole.
        let restored = TextColumn::from_parts(vec![0, 0, 0], String::new()).expect("sound");
        assert_eq!((restored.heap_bytes(), restored.len()), (0, 2));
        let (offsets, text) = pushed.parts();
        let whole = TextColumn::from_parts(offsets.to_vec(), text.to_string()).expect("sound");
        assert_eq!(whole.get(3), "title");
    }

    #[test]
    #[should_panic(expected = "row 3 of 3")]
    fn a_blank_column_has_only_its_rows() {
        TextColumn::blank(3).get(3);
    }

    /// A column of `rows` rows where each row in `listed` holds its own
    /// number as one value, built both ways.
    fn lists(rows: usize, listed: &[usize]) -> (MultiColumn, Vec<Vec<u32>>) {
        let mut builder = MultiBuilder::default();
        let mut expected = Vec::new();
        for row in 0..rows {
            if listed.contains(&row) {
                let code = builder.interner().intern(&row.to_string());
                builder.push_code(code);
                builder.push_code(code);
                expected.push(vec![code, code]);
            } else {
                expected.push(Vec::new());
            }
            builder.end_row();
        }
        (builder.finish(), expected)
    }

    #[test]
    fn a_list_column_few_rows_hold_keeps_offsets_for_those_only() {
        for (rows, listed) in [
            (200, vec![0, 63, 64, 65, 127, 128, 199]),
            (64, vec![]),
            (130, vec![129]),
            (10, vec![1, 2, 3, 4, 5, 6]),
            (0, vec![]),
        ] {
            let (column, expected) = lists(rows, &listed);
            assert_eq!(column.len(), rows);
            assert_eq!(column.listed.is_some(), listed.len() * 2 < rows);
            for (row, codes) in expected.iter().enumerate() {
                assert_eq!(column.row_codes(row), &codes[..], "row {row} of {rows}");
            }
            assert!(column.row_codes(rows).is_empty());
            // Every row's offset, as the saved format keeps them, makes
            // the same column again.
            let offsets: Vec<u32> = (0..=rows).map(|row| column.row_offset(row)).collect();
            assert_eq!(offsets.len(), rows + 1);
            let again =
                MultiColumn::from_offsets(offsets, column.codes.clone(), column.dictionary.clone());
            assert_eq!(again.as_ref(), Some(&column));
        }
        let (sparse, _) = lists(100_000, &[5, 70_000]);
        assert!(sparse.heap_bytes() < 100_000 / 4, "{}", sparse.heap_bytes());
        assert_eq!(
            MultiColumn::from_offsets(vec![0, 2, 1], vec![0, 0], vec!["a".into()]),
            None
        );
        // Offsets that go back before ending right: refused, whether most
        // rows hold items or few do.
        for offsets in [vec![0, 2, 1, 2], vec![0, 0, 0, 2, 1, 2]] {
            let refused = MultiColumn::from_offsets(offsets.clone(), vec![0, 0], vec!["a".into()]);
            assert_eq!(refused, None, "{offsets:?}");
        }
    }

    #[test]
    fn codes_are_a_byte_wide_until_one_needs_more() {
        let mut codes = Codes::with_capacity(8);
        for code in [0, NULL_CODE, 254] {
            codes.push(code);
        }
        assert!(matches!(codes, Codes::Byte(_)));
        codes.push(255);
        codes.push_nulls(2);
        assert!(matches!(codes, Codes::Short(_)));
        codes.push(65_534);
        assert!(matches!(codes, Codes::Short(_)));
        codes.push(65_535);
        assert!(matches!(codes, Codes::Word(_)));
        codes.push(NULL_CODE);
        let expected = [
            0, NULL_CODE, 254, 255, NULL_CODE, NULL_CODE, 65_534, 65_535, NULL_CODE,
        ];
        assert_eq!(codes.iter().collect::<Vec<_>>(), expected);
        assert!(codes.capacity() >= 8);
        // The narrowest width for the largest code; equal however wide.
        let short = Codes::from_words(expected[..7].to_vec());
        assert!(matches!(short, Codes::Short(_)));
        assert_eq!(short.iter().collect::<Vec<_>>(), expected[..7]);
        let byte = Codes::from_words(vec![NULL_CODE, 3]);
        assert!(matches!(byte, Codes::Byte(_)));
        assert_eq!(byte, Codes::Word(vec![NULL_CODE, 3]));
        assert_ne!(byte, Codes::Word(vec![NULL_CODE, 4]));
    }

    #[test]
    fn category_builder_codes_by_first_appearance() {
        let mut builder = CategoryBuilder::default();
        for value in [Some("gradio"), None, Some("docker"), Some("gradio")] {
            builder.push(value);
        }
        let column = builder.finish();
        assert_eq!(
            column.codes.iter().collect::<Vec<_>>(),
            [0, NULL_CODE, 1, 0]
        );
        assert_eq!(column.get(1), None);
        assert_eq!(column.get(3), Some("gradio"));
        assert_eq!(column.code_of("docker"), Some(1));
    }

    #[test]
    fn multi_builder_keeps_rows_apart() {
        let mut builder = MultiBuilder::default();
        builder.push_value("a");
        builder.push_value("b");
        builder.end_row();
        builder.push_empty_rows(2);
        builder.push_value("a");
        builder.end_row();
        let column = builder.finish();
        assert_eq!(column.row_values(0).collect::<Vec<_>>(), ["a", "b"]);
        assert_eq!(column.row_values(1).count(), 0);
        assert_eq!(column.row_values(2).count(), 0);
        assert_eq!(column.row_values(3).collect::<Vec<_>>(), ["a"]);
        assert_eq!(column.row_codes(4), &[] as &[u32]);
    }

    #[test]
    fn text_column_round_trips_unicode() {
        let mut column = TextColumn::new();
        column.push(Some("👩‍💻/ünï"));
        column.push(None);
        column.push(Some("<b>x</b>"));
        assert_eq!(column.len(), 3);
        assert_eq!(column.get(0), "👩‍💻/ünï");
        assert_eq!(column.get(1), "");
        assert_eq!(column.get(2), "<b>x</b>");
    }

    fn pushed(texts: &[Option<&str>]) -> TextColumn {
        let mut column = TextColumn::new();
        for text in texts {
            column.push(*text);
        }
        column.compact();
        column
    }

    #[test]
    fn a_column_joined_from_parts_is_the_column_of_all_their_texts() {
        let parts: [&[Option<&str>]; 6] = [
            &[Some("a"), None, Some("👩‍💻")],
            &[None, None],
            &[],
            &[Some("<b>x</b>"), Some("")],
            &[None],
            &[Some("ünï")],
        ];
        let whole: Vec<Option<&str>> = parts.iter().flat_map(|p| p.iter().copied()).collect();
        let parts: Vec<TextColumn> = parts.iter().map(|p| pushed(p)).collect();
        // The blank ones hold no offsets: appending them must still count
        // their rows.
        assert!(parts[1].parts().0.is_empty() && parts[4].parts().0.is_empty());
        let rows = parts.iter().map(TextColumn::len).sum();
        let bytes = parts.iter().map(TextColumn::text_bytes).sum();
        let mut joined = TextColumn::with_room(rows, bytes);
        let room = joined.heap_bytes();
        for part in &parts {
            joined.append(part);
        }
        joined.compact();
        assert_eq!(joined, pushed(&whole));
        assert_eq!(joined.parts(), pushed(&whole).parts());
        // Sized once: no part made it grow.
        assert_eq!(joined.heap_bytes(), room);
        // Blank parts only make a blank column, holding nothing.
        let mut blank = TextColumn::with_room(3, 0);
        blank.append(&TextColumn::blank(2));
        blank.append(&TextColumn::blank(1));
        blank.compact();
        assert_eq!(blank.len(), 3);
        assert!(blank.parts().0.is_empty());
        // A blank column takes text after its blank rows.
        let mut from_blank = TextColumn::blank(2);
        from_blank.append(&pushed(&[Some("z")]));
        assert_eq!(from_blank, pushed(&[None, None, Some("z")]));
    }
}
