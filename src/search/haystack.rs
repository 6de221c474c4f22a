//! Texts laid end to end for one substring search over all of them.

use memchr::memmem::Finder;

/// Lower-cased texts laid end to end, each followed by 0xFF: a byte UTF-8
/// never uses, so no match of a (UTF-8) needle can straddle two texts, and
/// one substring search runs over all of them at memchr speed.
pub(super) struct Haystack {
    bytes: Vec<u8>,
    /// Where each text starts, plus one past the last separator.
    starts: Vec<u32>,
}

const SEPARATOR: u8 = 0xFF;

impl Haystack {
    pub(super) fn lowered<'a>(texts: impl Iterator<Item = &'a str>) -> Haystack {
        let mut bytes = Vec::new();
        let mut starts = Vec::with_capacity(texts.size_hint().0 + 1);
        starts.push(0u32);
        for text in texts {
            let start = bytes.len();
            if text.is_ascii() {
                bytes.extend_from_slice(text.as_bytes());
                bytes[start..].make_ascii_lowercase();
            } else {
                bytes.extend_from_slice(text.to_lowercase().as_bytes());
            }
            bytes.push(SEPARATOR);
            starts.push(bytes.len() as u32);
        }
        Haystack { bytes, starts }
    }

    /// Text `item`, without its separator.
    pub(super) fn item(&self, item: usize) -> &[u8] {
        &self.bytes[self.starts[item] as usize..self.starts[item + 1] as usize - 1]
    }

    pub(super) fn item_contains(&self, item: usize, finder: &Finder) -> bool {
        finder.find(self.item(item)).is_some()
    }

    /// Calls `hit` once with each text (by position) containing the needle,
    /// in order.
    pub(super) fn each_match(&self, finder: &Finder, mut hit: impl FnMut(usize)) {
        let mut from = 0usize;
        let mut item = 0usize;
        while let Some(found) = finder.find(&self.bytes[from..]) {
            let at = from + found;
            item = self.item_at(item, at);
            hit(item);
            // The rest of this text can only repeat the hit.
            from = self.starts[item + 1] as usize;
            if from >= self.bytes.len() {
                break;
            }
        }
    }

    fn item_at(&self, from: usize, at: usize) -> usize {
        item_holding(&self.starts, from, at)
    }
}

/// The item holding byte `at` when item `i` spans `starts[i]..starts[i + 1]`,
/// searching forward from item `from` (hits come in order): gallop, then
/// bisect. An empty item holds no byte and is passed over.
pub(super) fn item_holding(starts: &[u32], from: usize, at: usize) -> usize {
    let ends = &starts[from + 1..];
    let mut step = 1;
    while step < ends.len() && ends[step - 1] as usize <= at {
        step *= 2;
    }
    let window = &ends[step / 2..step.min(ends.len())];
    from + step / 2 + window.partition_point(|&end| end as usize <= at)
}
