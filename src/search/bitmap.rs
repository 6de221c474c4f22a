//! One bit per row: the currency of filtering. Word-wide ANDs and popcounts
//! do in one step what a row loop does in 64.

/// A set of rows of a table with `rows` rows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bitmap {
    words: Vec<u64>,
    rows: usize,
}

impl Bitmap {
    pub fn empty(rows: usize) -> Bitmap {
        Bitmap {
            words: vec![0; rows.div_ceil(64)],
            rows,
        }
    }

    pub fn full(rows: usize) -> Bitmap {
        let mut words = vec![u64::MAX; rows.div_ceil(64)];
        if !rows.is_multiple_of(64) {
            if let Some(last) = words.last_mut() {
                *last = (1u64 << (rows % 64)) - 1;
            }
        }
        Bitmap { words, rows }
    }

    pub fn from_fn(rows: usize, mut test: impl FnMut(usize) -> bool) -> Bitmap {
        let mut words = vec![0u64; rows.div_ceil(64)];
        for (w, word) in words.iter_mut().enumerate() {
            let base = w * 64;
            let mut bits = 0u64;
            for bit in 0..64.min(rows - base) {
                bits |= u64::from(test(base + bit)) << bit;
            }
            *word = bits;
        }
        Bitmap { words, rows }
    }

    pub fn insert(&mut self, row: usize) {
        self.words[row / 64] |= 1 << (row % 64);
    }

    pub fn contains(&self, row: usize) -> bool {
        self.words[row / 64] & (1 << (row % 64)) != 0
    }

    /// How many rows are in the set.
    pub fn count(&self) -> usize {
        self.words.iter().map(|w| w.count_ones() as usize).sum()
    }

    /// How many rows are in both sets, without building the intersection.
    pub fn count_and(&self, other: &Bitmap) -> usize {
        self.words
            .iter()
            .zip(&other.words)
            .map(|(a, b)| (a & b).count_ones() as usize)
            .sum()
    }

    /// The rows in `self` and in every one of `others`.
    pub fn and_all(&self, others: &[&Bitmap]) -> Bitmap {
        let words = self
            .words
            .iter()
            .enumerate()
            .map(|(w, &word)| others.iter().fold(word, |acc, o| acc & o.words[w]))
            .collect();
        Bitmap {
            words,
            rows: self.rows,
        }
    }

    pub fn union_with(&mut self, other: &Bitmap) {
        for (a, b) in self.words.iter_mut().zip(&other.words) {
            *a |= b;
        }
    }

    /// Calls `visit` with each row of the set, in order.
    pub fn for_each(&self, visit: impl FnMut(usize)) {
        each_bit(self.words.iter().copied(), visit);
    }

    /// Calls `visit` with each row in both sets, in order.
    pub fn for_each_and(&self, other: &Bitmap, visit: impl FnMut(usize)) {
        each_bit(
            self.words.iter().zip(&other.words).map(|(a, b)| a & b),
            visit,
        );
    }

    /// Calls `visit` with each row of the set whose bit is also set in
    /// `words` (a set of the same rows, one bit per row), in order.
    pub fn for_each_and_words(&self, words: &[u64], visit: impl FnMut(usize)) {
        each_bit(self.words.iter().zip(words).map(|(a, b)| a & b), visit);
    }

    /// The rows of the set, ascending, one at a time.
    pub fn rows_iter(&self) -> impl Iterator<Item = u32> + '_ {
        self.words.iter().enumerate().flat_map(|(w, &word)| {
            let mut bits = word;
            std::iter::from_fn(move || {
                (bits != 0).then(|| {
                    let bit = bits.trailing_zeros();
                    bits &= bits - 1;
                    (w * 64) as u32 + bit
                })
            })
        })
    }

    /// The rows of the set, ascending.
    pub fn rows(&self) -> Vec<u32> {
        let mut out = Vec::with_capacity(self.count());
        self.for_each(|row| out.push(row as u32));
        out
    }
}

/// Calls `visit` with the position of each set bit of `words`, in order.
pub(crate) fn each_bit(words: impl Iterator<Item = u64>, mut visit: impl FnMut(usize)) {
    for (w, word) in words.enumerate() {
        let mut bits = word;
        while bits != 0 {
            visit(w * 64 + bits.trailing_zeros() as usize);
            bits &= bits - 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn set_operations_agree_with_row_loops() {
        for rows in [0, 1, 63, 64, 65, 200] {
            let a = Bitmap::from_fn(rows, |r| r % 3 == 0);
            let b = Bitmap::from_fn(rows, |r| r % 5 != 1);
            let c = Bitmap::from_fn(rows, |r| r % 2 == 0);
            let naive = |test: &dyn Fn(usize) -> bool| (0..rows).filter(|&r| test(r)).count();
            assert_eq!(Bitmap::full(rows).count(), rows);
            assert_eq!(Bitmap::empty(rows).count(), 0);
            assert_eq!(a.count(), naive(&|r| r % 3 == 0));
            assert_eq!(a.count_and(&b), naive(&|r| r % 3 == 0 && r % 5 != 1));
            let all = a.and_all(&[&b, &c]);
            let want: Vec<u32> = (0..rows as u32)
                .filter(|r| r % 3 == 0 && r % 5 != 1 && r % 2 == 0)
                .collect();
            assert_eq!(all.rows(), want);
            assert_eq!(all.rows_iter().collect::<Vec<_>>(), all.rows());
            let mut both = Vec::new();
            a.for_each_and(&b, |r| both.push(r as u32));
            assert_eq!(both, a.and_all(&[&b]).rows());
            let mut union = a.clone();
            union.union_with(&c);
            assert_eq!(union.count(), naive(&|r| r % 3 == 0 || r % 2 == 0));
            for r in 0..rows {
                assert_eq!(union.contains(r), r % 3 == 0 || r % 2 == 0);
            }
            let mut built = Bitmap::empty(rows);
            for r in (0..rows).step_by(7) {
                built.insert(r);
            }
            assert_eq!(built, Bitmap::from_fn(rows, |r| r % 7 == 0));
        }
    }
}
