//! A small JSON reader for the Hub's `cardData` and `runtime` text columns
//! (one object per row). serde_json's derived structs took ~40% of a
//! Hub-shaped decode; this reads the few wanted fields straight from the
//! bytes, borrows strings that have no escapes and skips everything else.
//!
//! It accepts exactly what those derived structs accepted (they stay in
//! `record.rs`'s tests as the reference): RFC 8259 syntax, UTF-8 and paired
//! surrogates in every string that is read. A value that is only skipped is
//! checked as serde_json checks a field it ignores: syntax and escapes, but
//! neither the UTF-8 nor the surrogates of its strings, the range of its
//! numbers nor its depth.

use std::borrow::Cow;

use memchr::memchr2;

/// The text is not what the caller asked for: not JSON, or a value of
/// another type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Invalid;

pub(super) type Parsed<T> = Result<T, Invalid>;

/// serde_json's nesting limit for a whole value: 127 open arrays or objects.
const MAX_DEPTH: usize = 127;

/// A cursor over one JSON text. Each reading method consumes one value
/// (with the whitespace before it) or fails; after a failure the reader is
/// of no further use.
pub(super) struct Reader<'a> {
    bytes: &'a [u8],
    /// The same bytes as text when all of them are UTF-8 (nearly always):
    /// strings are then sliced out of it without a check of their own.
    text: Option<&'a str>,
    pos: usize,
}

impl<'a> Reader<'a> {
    pub(super) fn new(bytes: &'a [u8]) -> Self {
        Reader {
            bytes,
            text: std::str::from_utf8(bytes).ok(),
            pos: 0,
        }
    }

    /// The next byte after whitespace, not consumed.
    #[inline]
    pub(super) fn peek(&mut self) -> Option<u8> {
        while let Some(&byte) = self.bytes.get(self.pos) {
            // Whitespace is at most a space: one test for the usual byte.
            if byte > b' ' || !matches!(byte, b' ' | b'\t' | b'\n' | b'\r') {
                return Some(byte);
            }
            self.pos += 1;
        }
        None
    }

    /// Nothing but whitespace is left.
    pub(super) fn end(&mut self) -> Parsed<()> {
        match self.peek() {
            None => Ok(()),
            Some(_) => Err(Invalid),
        }
    }

    #[inline]
    fn eat(&mut self, byte: u8) -> Parsed<()> {
        if self.peek() == Some(byte) {
            self.pos += 1;
            Ok(())
        } else {
            Err(Invalid)
        }
    }

    #[inline]
    fn literal(&mut self, word: &[u8]) -> Parsed<()> {
        if self.bytes[self.pos..].starts_with(word) {
            self.pos += word.len();
            Ok(())
        } else {
            Err(Invalid)
        }
    }

    /// `null` as `None`; any other value is read by `read`.
    #[inline(always)]
    pub(super) fn nullable<T>(
        &mut self,
        read: impl FnOnce(&mut Self) -> Parsed<T>,
    ) -> Parsed<Option<T>> {
        if self.peek() == Some(b'n') {
            self.literal(b"null").map(|()| None)
        } else {
            read(self).map(Some)
        }
    }

    pub(super) fn bool(&mut self) -> Parsed<bool> {
        match self.peek() {
            Some(b't') => self.literal(b"true").map(|()| true),
            Some(b'f') => self.literal(b"false").map(|()| false),
            _ => Err(Invalid),
        }
    }

    /// A string, unescaped: borrowed from the text when it has no escapes.
    #[inline(always)]
    pub(super) fn string(&mut self) -> Parsed<Cow<'a, str>> {
        self.eat(b'"')?;
        self.string_body()
    }

    /// Opens an object: [`Members::next`] then gives its keys.
    #[inline]
    pub(super) fn object(&mut self) -> Parsed<Members> {
        self.eat(b'{')?;
        Ok(Members { started: false })
    }

    /// Opens an array: [`Items::next`] then says whether an item follows.
    #[inline]
    pub(super) fn array(&mut self) -> Parsed<Items> {
        self.eat(b'[')?;
        Ok(Items { started: false })
    }

    /// After a member or an item: a comma (`true`), or the closing
    /// bracket `close` (`false`).
    #[inline]
    fn comma_or(&mut self, close: u8) -> Parsed<bool> {
        match self.peek() {
            Some(b',') => {
                self.pos += 1;
                Ok(true)
            }
            Some(byte) if byte == close => {
                self.pos += 1;
                Ok(false)
            }
            _ => Err(Invalid),
        }
    }

    /// Skips one value of any type, checked as serde_json checks a field
    /// it ignores (see the module's header).
    #[inline]
    pub(super) fn skip(&mut self) -> Parsed<()> {
        // Most skipped values are strings: no stack for them.
        if self.peek() == Some(b'"') {
            self.pos += 1;
            self.skip_string_body()
        } else {
            self.value::<false>()
        }
    }

    /// One value of any type. `STRICT` checks it as `serde_json::Value`
    /// would; otherwise as serde_json's `IgnoredAny`, which has no depth
    /// limit: hence a loop with its own stack, not recursion.
    fn value<const STRICT: bool>(&mut self) -> Parsed<()> {
        let mut open = Open::default();
        loop {
            // One value, or the opening of a container.
            match self.peek().ok_or(Invalid)? {
                container @ (b'{' | b'[') => {
                    if STRICT && open.len >= MAX_DEPTH {
                        return Err(Invalid);
                    }
                    self.pos += 1;
                    let object = container == b'{';
                    let close = if object { b'}' } else { b']' };
                    if self.peek() == Some(close) {
                        self.pos += 1;
                    } else {
                        open.push(object);
                        if object {
                            self.key::<STRICT>()?;
                        }
                        continue;
                    }
                }
                b'"' => {
                    self.pos += 1;
                    if STRICT {
                        self.string_body()?;
                    } else {
                        self.skip_string_body()?;
                    }
                }
                b't' => self.literal(b"true")?,
                b'f' => self.literal(b"false")?,
                b'n' => self.literal(b"null")?,
                b'-' | b'0'..=b'9' => self.number::<STRICT>()?,
                _ => return Err(Invalid),
            }
            // A value is complete: close what it completes, up to the next
            // item or member.
            loop {
                let Some(object) = open.top() else {
                    return Ok(());
                };
                match self.peek() {
                    Some(b',') => {
                        self.pos += 1;
                        if object {
                            self.key::<STRICT>()?;
                        }
                        break;
                    }
                    Some(b'}') if object => {
                        self.pos += 1;
                        open.pop();
                    }
                    Some(b']') if !object => {
                        self.pos += 1;
                        open.pop();
                    }
                    _ => return Err(Invalid),
                }
            }
        }
    }

    /// A key and its colon, inside a value being skipped.
    fn key<const STRICT: bool>(&mut self) -> Parsed<()> {
        self.eat(b'"')?;
        if STRICT {
            self.string_body()?;
        } else {
            self.skip_string_body()?;
        }
        self.eat(b':')
    }

    /// The grammar's number; `STRICT` also wants it finite as an `f64`.
    fn number<const STRICT: bool>(&mut self) -> Parsed<()> {
        let bytes = self.bytes;
        let start = self.pos;
        let mut at = start;
        let digits = |at: &mut usize| {
            let from = *at;
            while bytes.get(*at).is_some_and(u8::is_ascii_digit) {
                *at += 1;
            }
            *at > from
        };
        if bytes.get(at) == Some(&b'-') {
            at += 1;
        }
        match bytes.get(at) {
            // One zero, alone: `01` ends after the `0`, and the container
            // then rejects the `1`.
            Some(b'0') => at += 1,
            Some(b'1'..=b'9') => {
                digits(&mut at);
            }
            _ => return Err(Invalid),
        }
        if bytes.get(at) == Some(&b'.') {
            at += 1;
            if !digits(&mut at) {
                return Err(Invalid);
            }
        }
        if matches!(bytes.get(at), Some(b'e' | b'E')) {
            at += 1;
            if matches!(bytes.get(at), Some(b'+' | b'-')) {
                at += 1;
            }
            if !digits(&mut at) {
                return Err(Invalid);
            }
        }
        if STRICT {
            // ASCII by construction. Rust rounds correctly where serde_json
            // does not quite: see the `f64::MAX` test.
            let text = std::str::from_utf8(&bytes[start..at]).map_err(|_| Invalid)?;
            if !text.parse::<f64>().is_ok_and(f64::is_finite) {
                return Err(Invalid);
            }
        }
        self.pos = at;
        Ok(())
    }

    /// The first quote or backslash at or after `from`, with no control
    /// character before it: its position, and whether it is the quote.
    #[inline(always)]
    fn scan(&self, from: usize) -> Parsed<(usize, bool)> {
        // Most strings are short: a word at a time, where memchr's setup
        // would cost more than the search.
        let mut at = from;
        loop {
            let rest = &self.bytes[at..];
            let word = match rest.first_chunk::<8>() {
                Some(word) => *word,
                // The end of the text (where most rows' last string is):
                // padded with spaces, which are nothing special.
                None => {
                    let mut word = [b' '; 8];
                    word[..rest.len()].copy_from_slice(rest);
                    word
                }
            };
            let specials = Specials::of(u64::from_le_bytes(word));
            if let Some(found) = specials.first() {
                return match found {
                    Special::Control => Err(Invalid),
                    Special::Quote(i) => Ok((at + i, true)),
                    Special::Backslash(i) => Ok((at + i, false)),
                };
            }
            if rest.len() <= 8 {
                return Err(Invalid);
            }
            at += 8;
            if at - from >= 32 {
                break;
            }
        }
        let rest = &self.bytes[at..];
        let len = memchr2(b'"', b'\\', rest).ok_or(Invalid)?;
        // No early exit: this vectorises.
        let control = rest[..len].iter().fold(false, |any, &b| any | (b < 0x20));
        if control {
            Err(Invalid)
        } else {
            Ok((at + len, rest[len] == b'"'))
        }
    }

    /// `bytes[start..end]` as text (`end` is at a quote or backslash, so
    /// both ends are character boundaries of valid text).
    #[inline]
    fn text(&self, start: usize, end: usize) -> Parsed<&'a str> {
        match self.text {
            Some(text) => text.get(start..end).ok_or(Invalid),
            None => std::str::from_utf8(&self.bytes[start..end]).map_err(|_| Invalid),
        }
    }

    /// The rest of a string after its opening quote, unescaped.
    #[inline(always)]
    fn string_body(&mut self) -> Parsed<Cow<'a, str>> {
        let start = self.pos;
        let (at, quote) = self.scan(start)?;
        if quote {
            self.pos = at + 1;
            return self.text(start, at).map(Cow::Borrowed);
        }
        self.unescape(start, at).map(Cow::Owned)
    }

    /// The rest of a string that has escapes, from `start`; the first
    /// backslash is at `at`.
    #[cold]
    fn unescape(&mut self, start: usize, mut at: usize) -> Parsed<String> {
        let mut owned = String::with_capacity(at - start + 16);
        let mut from = start;
        loop {
            // The raw runs between escapes are checked one by one: an
            // escape is ASCII, so it never splits a character.
            owned.push_str(self.text(from, at)?);
            self.pos = at + 1;
            owned.push(self.escape()?);
            from = self.pos;
            let quote;
            (at, quote) = self.scan(from)?;
            if quote {
                owned.push_str(self.text(from, at)?);
                self.pos = at + 1;
                return Ok(owned);
            }
        }
    }

    /// The character of an escape, after its backslash. A `\u` escape of a
    /// surrogate must be a high one followed by a low one.
    fn escape(&mut self) -> Parsed<char> {
        let byte = *self.bytes.get(self.pos).ok_or(Invalid)?;
        self.pos += 1;
        Ok(match byte {
            b'"' => '"',
            b'\\' => '\\',
            b'/' => '/',
            b'b' => '\x08',
            b'f' => '\x0c',
            b'n' => '\n',
            b'r' => '\r',
            b't' => '\t',
            b'u' => {
                let unit = self.hex()?;
                let code = match unit {
                    0xD800..=0xDBFF => {
                        if !self.bytes[self.pos..].starts_with(b"\\u") {
                            return Err(Invalid);
                        }
                        self.pos += 2;
                        let low = self.hex()?;
                        if !(0xDC00..=0xDFFF).contains(&low) {
                            return Err(Invalid);
                        }
                        0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00)
                    }
                    0xDC00..=0xDFFF => return Err(Invalid),
                    _ => unit,
                };
                char::from_u32(code).ok_or(Invalid)?
            }
            _ => return Err(Invalid),
        })
    }

    /// Four hex digits of a `\u` escape.
    fn hex(&mut self) -> Parsed<u32> {
        let digits = self.bytes.get(self.pos..self.pos + 4).ok_or(Invalid)?;
        let mut unit = 0;
        for &digit in digits {
            let value = (digit as char).to_digit(16).ok_or(Invalid)?;
            unit = unit * 16 + value;
        }
        self.pos += 4;
        Ok(unit)
    }

    /// Skips the rest of a string as serde_json skips one: control
    /// characters and escapes are checked, UTF-8 and surrogates are not.
    #[inline(always)]
    fn skip_string_body(&mut self) -> Parsed<()> {
        let (mut at, mut quote) = self.scan(self.pos)?;
        while !quote {
            self.pos = at + 1;
            match self.bytes.get(self.pos) {
                Some(b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't') => self.pos += 1,
                Some(b'u') => {
                    self.pos += 1;
                    self.hex()?;
                }
                _ => return Err(Invalid),
            }
            (at, quote) = self.scan(self.pos)?;
        }
        self.pos = at + 1;
        Ok(())
    }
}

/// The members of an object being read.
pub(super) struct Members {
    started: bool,
}

impl Members {
    /// The next member's key (unescaped; keys may repeat, the caller
    /// decides), its colon read: the caller must then read or
    /// [`skip`](Reader::skip) its value. `None` after the last.
    #[inline(always)]
    pub(super) fn next<'a>(&mut self, r: &mut Reader<'a>) -> Parsed<Option<Cow<'a, str>>> {
        let more = if self.started {
            r.comma_or(b'}')?
        } else {
            self.started = true;
            // `{}`; otherwise a key must come.
            if r.peek() == Some(b'}') {
                r.pos += 1;
                false
            } else {
                true
            }
        };
        if !more {
            return Ok(None);
        }
        // After a comma this also rejects a trailing one.
        let key = r.string()?;
        r.eat(b':')?;
        Ok(Some(key))
    }
}

/// The items of an array being read.
pub(super) struct Items {
    started: bool,
}

impl Items {
    /// Whether another item follows: the caller must then read or
    /// [`skip`](Reader::skip) it. (Every reader refuses `]`, so a trailing
    /// comma is refused.)
    #[inline(always)]
    pub(super) fn next(&mut self, r: &mut Reader<'_>) -> Parsed<bool> {
        if self.started {
            r.comma_or(b']')
        } else {
            self.started = true;
            if r.peek() == Some(b']') {
                r.pos += 1;
                Ok(false)
            } else {
                Ok(true)
            }
        }
    }
}

/// The bytes of a word (little-endian) that end or break a string's raw
/// run, each flagged in its high bit. Only the lowest flag of all is exact
/// (a borrow can only flag bytes above a true one), and it is all `scan`
/// reads.
struct Specials {
    quote: u64,
    backslash: u64,
    control: u64,
}

enum Special {
    Quote(usize),
    Backslash(usize),
    Control,
}

impl Specials {
    #[inline(always)]
    fn of(word: u64) -> Self {
        const ONES: u64 = u64::from_ne_bytes([1; 8]);
        const HIGH: u64 = ONES << 7;
        let zero = |x: u64| x.wrapping_sub(ONES) & !x & HIGH;
        Specials {
            quote: zero(word ^ (ONES * u64::from(b'"'))),
            backslash: zero(word ^ (ONES * u64::from(b'\\'))),
            control: word.wrapping_sub(ONES * 0x20) & !word & HIGH,
        }
    }

    /// The first special byte, by its index in the word.
    #[inline(always)]
    fn first(&self) -> Option<Special> {
        let all = self.quote | self.backslash | self.control;
        let lowest = all & all.wrapping_neg();
        let index = all.trailing_zeros() as usize / 8;
        if lowest == 0 {
            None
        } else if lowest & self.quote != 0 {
            Some(Special::Quote(index))
        } else if lowest & self.backslash != 0 {
            Some(Special::Backslash(index))
        } else {
            Some(Special::Control)
        }
    }
}

/// The containers open while a value is skipped, innermost last: a bit per
/// level (set for an object), spilling past 64 levels.
#[derive(Default)]
struct Open {
    len: usize,
    low: u64,
    deep: Vec<bool>,
}

impl Open {
    fn push(&mut self, object: bool) {
        if self.len < 64 {
            self.low = (self.low & !(1 << self.len)) | (u64::from(object) << self.len);
        } else {
            self.deep.push(object);
        }
        self.len += 1;
    }

    /// Whether the innermost open container is an object.
    fn top(&self) -> Option<bool> {
        match self.len {
            0 => None,
            len if len > 64 => self.deep.last().copied(),
            len => Some((self.low >> (len - 1)) & 1 == 1),
        }
    }

    fn pop(&mut self) {
        if self.len > 64 {
            self.deep.pop();
        }
        self.len -= 1;
    }
}

/// Whether `bytes` is one JSON object as `serde_json::Value` reads it:
/// every string, number and depth checked. (The records never need this;
/// the property tests compare it with serde_json.)
#[cfg(test)]
pub(super) fn is_object(bytes: &[u8]) -> bool {
    let mut reader = Reader::new(bytes);
    reader.peek() == Some(b'{') && reader.value::<true>().is_ok() && reader.end().is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn serde_is_object(bytes: &[u8]) -> bool {
        serde_json::from_slice::<serde_json::Value>(bytes).is_ok_and(|v| v.is_object())
    }

    /// Both checks agree on `text` and give `expected`.
    #[track_caller]
    fn object(text: impl AsRef<[u8]>, expected: bool) {
        let text = text.as_ref();
        let shown = String::from_utf8_lossy(text);
        assert_eq!(is_object(text), expected, "ours on {shown}");
        assert_eq!(serde_is_object(text), expected, "serde_json on {shown}");
    }

    /// Skipping the value of `{"x": value}` (serde's ignored field) gives
    /// `expected`.
    #[track_caller]
    fn skipped(value: impl AsRef<[u8]>, expected: bool) {
        let mut text = b"{\"x\":".to_vec();
        text.extend_from_slice(value.as_ref());
        text.push(b'}');
        let mut reader = Reader::new(&text);
        let read = skip_members(&mut reader)
            .and_then(|()| reader.end())
            .is_ok();
        assert_eq!(read, expected, "{}", String::from_utf8_lossy(&text));
    }

    fn skip_members(r: &mut Reader<'_>) -> Parsed<()> {
        let mut members = r.object()?;
        while members.next(r)?.is_some() {
            r.skip()?;
        }
        Ok(())
    }

    fn skip_items(r: &mut Reader<'_>) -> Parsed<()> {
        let mut items = r.array()?;
        while items.next(r)? {
            r.skip()?;
        }
        Ok(())
    }

    fn string(text: &str) -> Parsed<Cow<'_, str>> {
        let mut reader = Reader::new(text.as_bytes());
        let value = reader.string()?;
        reader.end()?;
        Ok(value)
    }

    /// An object holding arrays: `depth` levels in all.
    fn nested(depth: usize, inner: &str) -> String {
        let arrays = depth - 1;
        format!(
            "{{\"a\":{}{inner}{}}}",
            "[".repeat(arrays),
            "]".repeat(arrays)
        )
    }

    #[test]
    fn strings_are_unescaped_and_borrowed_only_without_escapes() {
        assert!(matches!(
            string(r#""plain é 🚀""#),
            Ok(Cow::Borrowed("plain é 🚀"))
        ));
        let escaped = string(r#""a\"b\\c\/d\b\f\n\r\t\u00e9\u0000""#).unwrap();
        assert!(matches!(escaped, Cow::Owned(_)));
        assert_eq!(escaped, "a\"b\\c/d\u{8}\u{c}\n\r\té\0");
        assert_eq!(string(r#""\ud83d\ude80!""#).unwrap(), "🚀!");
        assert_eq!(string(r#""\uD83D\uDE80""#).unwrap(), "🚀");
        assert_eq!(string(r#""""#).unwrap(), "");
        // Values are not trimmed.
        assert_eq!(string(r#"  " a ""#).unwrap(), " a ");
        // Long strings, escapes and other text in every part of the scan:
        // the first words, the long run after them, the end of the text.
        let long = r"ab\u00e9cdé".repeat(9);
        assert_eq!(string(&format!("\"{long}\"")).unwrap(), "abécdé".repeat(9));
        let long = format!("{}é", "x".repeat(70));
        assert_eq!(string(&format!("\"{long}\"")).unwrap(), long);
    }

    #[test]
    fn bad_strings_are_refused() {
        for text in [
            r#""\ud800""#,
            r#""\udc00""#,
            r#""\ud800\u0041""#,
            r#""\ud800\n""#,
            r#""\ud800x""#,
            r#""\u12""#,
            r#""\u12g4""#,
            r#""\x""#,
            r#""\'""#,
            "\"tab\there\"",
            "\"nul\0\"",
            "\"cut",
            "\"cut\\",
            "\"cut\\u00",
        ] {
            assert_eq!(string(text), Err(Invalid), "{text:?}");
            object(format!("{{\"x\":{text}}}"), false);
        }
        // Not UTF-8, in each part of the scan.
        for text in [
            &b"\"\xff\""[..],
            b"\"abcdefgh\xc3\"",
            b"\"abcdefghijklmnopqrstuvwxyz0123456789ABCDEF\xe2\x82\"",
            b"\"\\n\xff\"",
            b"\"\\u00e9\xc3\"",
        ] {
            assert_eq!(Reader::new(text).string(), Err(Invalid));
        }
        // A control character, in each part of the scan.
        let control = format!("\"{}\x01{}\"", "a".repeat(40), "b".repeat(3));
        assert_eq!(string(&control), Err(Invalid));
        assert_eq!(string("\"abcdefghij\x1f\""), Err(Invalid));
        // Text elsewhere that is not UTF-8 must not spoil a good string.
        let mut reader = Reader::new(b"\"ok\" \xff");
        assert_eq!(reader.string(), Ok(Cow::Borrowed("ok")));
        assert_eq!(reader.end(), Err(Invalid));
        let mut reader = Reader::new(b"\"\\u00e9\xc3\xa9\" \xff");
        assert_eq!(reader.string().unwrap(), "éé");
    }

    #[test]
    fn skipped_strings_are_checked_as_serde_checks_ignored_fields() {
        // Syntax, escapes and control characters are checked…
        skipped(r#""\x""#, false);
        skipped(r#""\u12""#, false);
        skipped("\"a\tb\"", false);
        skipped(r#""cut"#, false);
        // …but not surrogates or UTF-8, as serde_json skips them.
        skipped(r#""\ud800""#, true);
        skipped(b"\"\xff\"", true);
        skipped(b"{\"\xff\":\"\\udc00\"}", true);
        // A whole `Value` checks them.
        object(r#"{"x":"\ud800"}"#, false);
        object(b"{\"x\":\"\xff\"}", false);
        object(b"{\"\xff\":1}", false);
    }

    #[test]
    fn numbers_follow_the_grammar() {
        for good in [
            "0", "-0", "1e5", "1E+5", "2e-3", "-1.5", "10.25e10", "123", "1e-999",
        ] {
            skipped(good, true);
            object(format!("{{\"x\":{good}}}"), true);
        }
        for bad in [
            "01", "-01", "1.", ".5", "+1", "1e", "1e+", "-", "--1", "0x1", "1.e5", "NaN",
        ] {
            skipped(bad, false);
            object(format!("{{\"x\":{bad}}}"), false);
        }
        // Out of range: an error for a `Value`, not for a skipped field.
        for huge in ["-1e999", "1e999", "1E400"] {
            skipped(huge, true);
            object(format!("{{\"x\":{huge}}}"), false);
        }
    }

    #[test]
    fn the_largest_finite_number_is_rounded_correctly() {
        // serde_json (without `float_roundtrip`) overflows on these digits,
        // which round to f64::MAX; we follow the correct rounding. Records
        // never read numbers, so this only shows in `is_object`.
        assert!(is_object(b"{\"x\":1.7976931348623158e308}"));
        assert!(!serde_is_object(b"{\"x\":1.7976931348623158e308}"));
        object("{\"x\":1.7976931348623157e308}", true);
        object("{\"x\":1.7976931348623159e308}", false);
    }

    #[test]
    fn nesting_is_limited_as_serde_json_limits_it() {
        object(nested(127, ""), true);
        object(nested(127, "1"), true);
        object(nested(128, ""), false);
        object(nested(129, "1"), false);
        let objects = |depth: usize| format!("{}1{}", "{\"a\":".repeat(depth), "}".repeat(depth));
        object(objects(127), true);
        object(objects(128), false);
        // Skipping has no limit, like serde's, and no recursion to overflow.
        skipped(
            format!("{}{}", "[".repeat(100_000), "]".repeat(100_000)),
            true,
        );
        skipped(
            format!("{}1{}", "{\"a\":[".repeat(50_000), "]}".repeat(50_000)),
            true,
        );
        skipped(
            format!("{}{}", "[".repeat(100_000), "]".repeat(99_999)),
            false,
        );
        skipped(format!("{}{}", "[".repeat(70), "}".repeat(70)), false);
    }

    #[test]
    fn structure_is_strict() {
        for good in [
            "{}",
            " {\"a\" : [ 1 , {\"b\":null} , [] , {} ] ,\"c\":true}\n",
            "\t{\"a\":\"\",\"a\":false}\r\n",
        ] {
            object(good, true);
        }
        for bad in [
            "",
            "[]",
            "\"x\"",
            "{",
            "{\"a\":1,}",
            "{\"a\":[1,]}",
            "{\"a\":[,1]}",
            "{,}",
            "{\"a\" 1}",
            "{\"a\":1 \"b\":2}",
            "{\"a\":1}}",
            "{\"a\":1} x",
            "{} {}",
            "{\"a\":1]",
            "{\"a\":[1}",
            "{a:1}",
            "{'a':1}",
            "{\"a\":tru}",
            "{\"a\":nul}",
            "{\"a\":nulls}",
            "{\"a\":True}",
            "{\x0c}",
            "\x0c{}",
            "{\"a\":1}\x0c",
            "{\"a\":1\x0b}",
            "{\"a\"\u{a0}:1}",
        ] {
            object(bad, false);
        }
    }

    #[test]
    fn members_and_items_come_in_order() {
        let text = br#"{"a":"x","b":[null,"y"],"a\u0062":{"q":[1,{"r":2}]},"c":true}"#;
        let mut reader = Reader::new(text);
        let mut seen = Vec::new();
        let mut read = |r: &mut Reader<'_>| -> Parsed<()> {
            let mut members = r.object()?;
            while let Some(key) = members.next(r)? {
                match key.as_ref() {
                    "a" => seen.push(format!("a={}", r.string()?)),
                    "b" => {
                        let mut items = r.array()?;
                        while items.next(r)? {
                            seen.push(format!("b={:?}", r.nullable(Reader::string)?));
                        }
                    }
                    "c" => seen.push(format!("c={}", r.bool()?)),
                    other => {
                        seen.push(format!("skip {other}"));
                        r.skip()?;
                    }
                }
            }
            Ok(())
        };
        read(&mut reader).unwrap();
        reader.end().unwrap();
        assert_eq!(
            seen,
            ["a=x", "b=None", "b=Some(\"y\")", "skip ab", "c=true"]
        );
        // A reader of the wrong type fails.
        assert_eq!(Reader::new(b"5").string(), Err(Invalid));
        assert_eq!(Reader::new(b"\"true\"").bool(), Err(Invalid));
        assert_eq!(skip_members(&mut Reader::new(b"[]")), Err(Invalid));
        assert_eq!(skip_members(&mut Reader::new(b"{,}")), Err(Invalid));
        assert_eq!(skip_members(&mut Reader::new(b"{\"a\":1,}")), Err(Invalid));
        assert_eq!(skip_items(&mut Reader::new(b"{}")), Err(Invalid));
        assert_eq!(skip_items(&mut Reader::new(b"[1,]")), Err(Invalid));
        assert_eq!(skip_items(&mut Reader::new(b"[,1]")), Err(Invalid));
        assert_eq!(skip_items(&mut Reader::new(b"[1 2]")), Err(Invalid));
        assert_eq!(skip_items(&mut Reader::new(b" [ 1 , [ ] ] ")), Ok(()));
    }
}

// proptest is a native-only dev-dependency.
#[cfg(all(test, not(target_arch = "wasm32")))]
mod properties {
    use super::*;
    use proptest::collection::vec;
    use proptest::prelude::*;
    use proptest::sample::select;

    /// What a string's body can hold: ASCII, other text, escapes good and
    /// bad, control characters and bytes that are not UTF-8.
    const PIECES: &[&[u8]] = &[
        b"a",
        b"quick brown fox",
        "\u{e9}".as_bytes(),
        "\u{1f680}".as_bytes(),
        b"\\n",
        b"\\\"",
        b"\\\\",
        b"\\u00e9",
        b"\\uD83D\\uDE80",
        b"\\ud800",
        b"\\udc00",
        b"\\u12",
        b"\\q",
        b"\t",
        b"\x01",
        b"\xff",
        b"\xc3",
        b"\xe2\x82",
    ];

    /// A string literal (perhaps unterminated) and whitespace after it, so
    /// that it ends anywhere relative to the end of the text.
    fn literal() -> impl Strategy<Value = Vec<u8>> {
        (vec(select(PIECES), 0..12), any::<bool>(), 0..10usize).prop_map(
            |(pieces, closed, spaces)| {
                let mut text = b"\"".to_vec();
                pieces.iter().for_each(|p| text.extend_from_slice(p));
                if closed {
                    text.push(b'"');
                }
                text.extend(std::iter::repeat_n(b' ', spaces));
                text
            },
        )
    }

    proptest! {
        #![proptest_config(ProptestConfig {
            cases: 2048,
            failure_persistence: None,
            ..ProptestConfig::default()
        })]

        /// A string read is what serde_json reads as a `String`; a string
        /// skipped is refused where serde_json refuses to ignore it.
        #[test]
        fn strings_read_and_skip_as_serde_json(text in literal()) {
            let mut reader = Reader::new(&text);
            let ours = reader.string().and_then(|s| reader.end().map(|()| s));
            let theirs = serde_json::from_slice::<String>(&text);
            let (ours, theirs) = (ours.ok(), theirs.ok());
            prop_assert_eq!(ours.as_deref(), theirs.as_deref());
            let mut reader = Reader::new(&text);
            let skipped = reader.skip().and_then(|()| reader.end()).is_ok();
            let ignored = serde_json::from_slice::<serde::de::IgnoredAny>(&text).is_ok();
            prop_assert_eq!(skipped, ignored);
        }
    }
}
