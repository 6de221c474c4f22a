//! Ranking dictionary codes by their counts: the top-N every chart, facet
//! list and result page shares, with one tie order (label) so equal counts
//! come out the same on every run.

/// Labels with their counts, most first.
pub type Ranked = Vec<(String, u64)>;

/// Order used everywhere: larger count first, then label, so equal counts
/// come out the same on every run.
pub fn ranking_order(a: &(String, u64), b: &(String, u64)) -> std::cmp::Ordering {
    b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0))
}

/// The `limit` largest non-zero counts with their labels.
pub fn rank(dictionary: &[Box<str>], counts: &[u64], limit: usize) -> Ranked {
    let codes = (0..counts.len()).filter(|&c| counts[c] > 0).collect();
    top_codes(codes, dictionary, counts, limit)
        .into_iter()
        .map(|c| (dictionary[c].to_string(), counts[c]))
        .collect()
}

/// The `limit` codes with the largest counts, most first (label order on
/// ties). Selects before sorting: dictionaries can hold hundreds of
/// thousands of authors.
pub fn top_codes(
    mut codes: Vec<usize>,
    dictionary: &[Box<str>],
    counts: &[u64],
    limit: usize,
) -> Vec<usize> {
    let by_count = |a: &usize, b: &usize| {
        counts[*b]
            .cmp(&counts[*a])
            .then_with(|| dictionary[*a].cmp(&dictionary[*b]))
    };
    if codes.len() > limit {
        codes.select_nth_unstable_by(limit, by_count);
        codes.truncate(limit);
    }
    codes.sort_unstable_by(by_count);
    codes
}

/// What [`top_codes`] returns, for a small `limit`, without collecting the
/// candidates first (a facet over hundreds of thousands of authors shows
/// eight).
pub fn top_few(
    codes: impl Iterator<Item = usize>,
    dictionary: &[Box<str>],
    counts: &[u64],
    limit: usize,
) -> Vec<usize> {
    best_few(codes, limit, |a, b| {
        counts[a] > counts[b] || (counts[a] == counts[b] && dictionary[a] < dictionary[b])
    })
}

/// The first `limit` items in the order `before` defines, in one pass that
/// keeps the best few in order.
pub fn best_few<T: Copy>(
    items: impl Iterator<Item = T>,
    limit: usize,
    before: impl Fn(T, T) -> bool,
) -> Vec<T> {
    let mut best: Vec<T> = Vec::with_capacity(limit + 1);
    for item in items {
        if best.len() == limit && best.last().is_none_or(|&worst| !before(item, worst)) {
            continue;
        }
        let at = best.partition_point(|&b| before(b, item));
        best.insert(at, item);
        best.truncate(limit);
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn top_few_agrees_with_top_codes_ties_included() {
        let dictionary: Vec<Box<str>> = (0..500)
            .map(|i| format!("v{:03}", (i * 37) % 500).into())
            .collect();
        // Many ties: counts take only a handful of values.
        let counts: Vec<u64> = (0..500u64).map(|i| (i * 7919) % 6).collect();
        for limit in [0, 1, 3, 8, 40, 499, 500, 600] {
            let candidates = (0..500).filter(|c| c % 3 != 1);
            let want = top_codes(candidates.clone().collect(), &dictionary, &counts, limit);
            assert_eq!(
                top_few(candidates, &dictionary, &counts, limit),
                want,
                "limit {limit}"
            );
        }
    }
}
