//! Native cost of one filter change on a large table: the engine's answer
//! to the Search view (selection, every facet's listed values, the sorted
//! first page of rows).
//! `BENCH_ROWS=1000000 cargo bench --bench search`.

use std::cell::RefCell;
use std::sync::Arc;

use criterion::{criterion_group, criterion_main, Criterion};
use spaces_ship::data::Field;
use spaces_ship::overview::aggregate::Parts;
use spaces_ship::query::{Dataset, QueryEngine, ViewQuery};
use spaces_ship::search::Filters;
use spaces_ship::search::Sort;
use spaces_ship::url::view_state::View;

mod common;

fn search(c: &mut Criterion) {
    let rows = common::bench_rows(1_000_000);
    let data = Arc::new(Dataset::new(common::decoded_table(rows)));
    // The app sorts the whole table once per sort key (while idle), then
    // walks that order for each selection's first page.
    data.orders.order(&data.table, Sort::default());
    let engine = RefCell::new(QueryEngine::new(Arc::clone(&data)));
    // As the engine's worker answers the Search view: matches, every
    // facet's listed values, and the first page of rows.
    let update = |filters: &Filters| {
        let asked = ViewQuery {
            filters: filters.clone(),
            view: View::Search,
            sort: Sort::default(),
            wanted: Parts::NONE,
            // The page's first page (`state::FIRST_PAGE`).
            first_rows: 40,
            shown_overview: 0,
        };
        engine.borrow_mut().answer(&asked, &|| 0.0)
    };
    let mut group = c.benchmark_group("search");
    group.sample_size(20);
    let mut facet = Filters::default();
    facet.add(Field::Sdk, "docker");
    facet.add(Field::Stage, "RUNNING");
    // The engine keeps its last pass: alternate, as a click and its undo.
    let toggled = [facet, Filters::default()];
    let mut turn = 0;
    group.bench_function(format!("facet_change_{rows}"), |b| {
        b.iter(|| {
            turn ^= 1;
            update(&toggled[turn])
        })
    });
    let query = |q: &str| Filters {
        q: q.into(),
        ..Filters::default()
    };
    // A query unrelated to the previous one scans every row: alternate two.
    let unrelated = [query("stable"), query("gradio")];
    let mut turn = 0;
    group.bench_function(format!("keystroke_full_scan_{rows}"), |b| {
        b.iter(|| {
            turn ^= 1;
            update(&unrelated[turn])
        })
    });
    // Typing a word: each keystroke extends the query, so it only rescans
    // what the previous one matched. Six updates per iteration.
    let typed: Vec<Filters> = (1..=6).map(|n| query(&"stable"[..n])).collect();
    group.bench_function(format!("typing_6_keystrokes_{rows}"), |b| {
        b.iter(|| {
            update(&query("zz-reset"));
            typed.iter().map(|f| update(f).matches).sum::<usize>()
        })
    });
    group.finish();

    // The browser benchmark's sequences (bench/search.mjs opens
    // `?view=search` with no other filter), one update at a time, for
    // medians and p95 of single updates.
    let plain = |q: &str, docker: bool| {
        let mut f = query(q);
        if docker {
            f.add(Field::Sdk, "docker");
        }
        f
    };
    let word = "stable-diffusion";
    let words = ["gradio", "stable", "chat", "llama", "flux"];
    // Two- and three-word phrases typed a letter at a time, as the browser
    // benchmark types them.
    let phrases = ["stable diffusion", "whisper gradio", "llama chat demo"];
    let multi: Vec<Filters> = phrases
        .iter()
        .cycle()
        .flat_map(|p| (1..=p.len()).map(move |n| plain(&p[..n], false)))
        .take(80)
        .collect();
    let sequences: [(&str, Vec<Filters>); 4] = [
        (
            "facet toggle",
            (0..80).map(|i| plain("", i % 2 == 0)).collect(),
        ),
        (
            "keystroke",
            (0..40)
                .map(|i| plain(&word[..1 + i % word.len()], false))
                .collect(),
        ),
        (
            "fresh query",
            (0..40)
                .map(|i| plain(words[i % words.len()], false))
                .collect(),
        ),
        ("multi-word", multi),
    ];
    for (name, sequence) in sequences {
        let mut times: Vec<f64> = sequence
            .iter()
            .map(|filters| {
                let start = std::time::Instant::now();
                std::hint::black_box(update(filters));
                start.elapsed().as_secs_f64() * 1e3
            })
            .collect();
        times.sort_by(f64::total_cmp);
        let at =
            |q: f64| times[((q * times.len() as f64).ceil() as usize).clamp(1, times.len()) - 1];
        println!(
            "{name:<12} one update at a time: median {:.2} ms, p95 {:.2} ms (n={})",
            at(0.5),
            at(0.95),
            times.len()
        );
    }
}

criterion_group!(benches, search);
criterion_main!(benches);
