//! A stable least-significant-digit radix sort of rows by a 128-bit key
//! computed from each row, a part per step: the page sorts a million rows
//! in tasks of a few tens of milliseconds and yields between them, where
//! one `sort_unstable` held the page for hundreds. The keys move with
//! their rows, so every pass reads memory in order, and digits that are
//! the same in every key are skipped.

/// Bits per digit: two bytes, so 65,536 buckets a pass.
const DIGIT_BITS: u32 = 16;
const BUCKETS: usize = 1 << DIGIT_BITS;
const DIGITS: u32 = u128::BITS / DIGIT_BITS;
/// Rows a step reads: keys computed, digits counted or rows placed.
const ROWS_PER_STEP: usize = 1 << 18;

/// Rows being sorted by a key.
pub struct RadixSort {
    rows: Vec<u32>,
    /// The key of each row, in the rows' current order (computed a chunk
    /// per step first).
    keys: Vec<u128>,
    spare_rows: Vec<u32>,
    spare_keys: Vec<u128>,
    /// The digits, lowest first, in which some keys differ (known once
    /// every key is).
    digits: Option<Vec<u32>>,
    /// The next digit's pass, and the pass under way.
    next: usize,
    pass: Option<Pass>,
    /// Rows a step reads ([`ROWS_PER_STEP`], fewer in tests).
    per_step: usize,
}

/// One pass over a digit, done a chunk of rows per step.
struct Pass {
    /// Per digit value: its count, then where its next row goes.
    starts: Vec<usize>,
    counted: usize,
    placed: usize,
}

impl RadixSort {
    pub fn new(rows: Vec<u32>) -> RadixSort {
        RadixSort {
            keys: Vec::with_capacity(rows.len()),
            rows,
            spare_rows: Vec::new(),
            spare_keys: Vec::new(),
            digits: None,
            next: 0,
            pass: None,
            per_step: ROWS_PER_STEP,
        }
    }

    /// Does the next part of the sort by `key` (the same function every
    /// call): `false` once there is nothing left to do.
    pub fn step(&mut self, key: impl Fn(u32) -> u128) -> bool {
        let done = self.keys.len();
        if done < self.rows.len() {
            let end = (done + self.per_step).min(self.rows.len());
            self.keys
                .extend(self.rows[done..end].iter().map(|&row| key(row)));
            return true;
        }
        let Some(digits) = &self.digits else {
            let (any, all) = self
                .keys
                .iter()
                .fold((0u128, u128::MAX), |(any, all), &k| (any | k, all & k));
            let varying = any ^ all;
            let digit_mask = (BUCKETS - 1) as u128;
            self.digits = Some(
                (0..DIGITS)
                    .filter(|d| (varying >> (d * DIGIT_BITS)) & digit_mask != 0)
                    .collect(),
            );
            return true;
        };
        let Some(&digit) = digits.get(self.next) else {
            return false;
        };
        let shift = digit * DIGIT_BITS;
        let bucket = |key: u128| ((key >> shift) as usize) & (BUCKETS - 1);
        let rows = self.rows.len();
        let pass = self.pass.get_or_insert_with(|| Pass {
            starts: vec![0; BUCKETS],
            counted: 0,
            placed: 0,
        });
        // A pass counts each digit, then places each row after the rows
        // before it with a smaller digit; both a chunk of rows per step.
        if pass.counted < rows {
            let end = (pass.counted + self.per_step).min(rows);
            for &k in &self.keys[pass.counted..end] {
                pass.starts[bucket(k)] += 1;
            }
            pass.counted = end;
            if end == rows {
                let mut total = 0;
                for start in &mut pass.starts {
                    let count = *start;
                    *start = total;
                    total += count;
                }
                self.spare_rows.resize(rows, 0);
                self.spare_keys.resize(rows, 0);
            }
            return true;
        }
        let end = (pass.placed + self.per_step).min(rows);
        // In order: rows with equal digits keep their order (stable).
        for (&k, &row) in self.keys[pass.placed..end]
            .iter()
            .zip(&self.rows[pass.placed..end])
        {
            let at = &mut pass.starts[bucket(k)];
            self.spare_keys[*at] = k;
            self.spare_rows[*at] = row;
            *at += 1;
        }
        pass.placed = end;
        if end == rows {
            std::mem::swap(&mut self.rows, &mut self.spare_rows);
            std::mem::swap(&mut self.keys, &mut self.spare_keys);
            self.pass = None;
            self.next += 1;
        }
        true
    }

    /// The rows, sorted once [`RadixSort::step`] has returned `false`.
    pub fn into_rows(self) -> Vec<u32> {
        self.rows
    }

    /// The sorted rows and, beside each, its key.
    pub fn into_rows_and_keys(self) -> (Vec<u32>, Vec<u128>) {
        (self.rows, self.keys)
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    fn sorted(rows: Vec<u32>, per_step: usize, key: impl Fn(u32) -> u128) -> Vec<u32> {
        let mut sort = RadixSort::new(rows);
        sort.per_step = per_step;
        while sort.step(&key) {}
        sort.into_rows()
    }

    /// Against the standard library's stable sort: keys spread over every
    /// digit, keys equal in most digits, all equal, and ties (kept in
    /// their first order).
    #[test]
    fn sorts_as_a_stable_sort_does() {
        let mut state = 0x9E37_79B9_7F4A_7C15u64;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let wide: Vec<u128> = (0..5_000)
            .map(|_| (u128::from(next()) << 64) | u128::from(next()))
            .collect();
        let narrow: Vec<u128> = (0..5_000)
            .map(|_| (7u128 << 100) | u128::from(next() % 300) << 40)
            .collect();
        for keys in [wide, narrow, vec![42u128; 1_000], vec![], vec![3]] {
            let rows: Vec<u32> = (0..keys.len() as u32).collect();
            let mut expected = rows.clone();
            expected.sort_by_key(|&r| keys[r as usize]);
            // All at once, and a few rows per step (passes across steps).
            for per_step in [ROWS_PER_STEP, 7] {
                let got = sorted(rows.clone(), per_step, |r| keys[r as usize]);
                assert_eq!(got, expected, "{per_step} rows a step");
            }
        }
    }

    /// Only digits that differ cost a pass.
    #[test]
    fn digits_alike_in_every_key_are_skipped() {
        let keys: Vec<u128> = (0..1_000u128).map(|i| (5 << 120) | i).collect();
        let mut sort = RadixSort::new((0..1_000).rev().collect());
        let mut steps = 0;
        while sort.step(|r| keys[r as usize]) {
            steps += 1;
        }
        // The keys, the survey of digits, then one pass (counting, then
        // placing) for the only digit that varies.
        assert_eq!(steps, 4);
        assert_eq!(sort.into_rows(), (0..1_000).collect::<Vec<u32>>());
    }
}
