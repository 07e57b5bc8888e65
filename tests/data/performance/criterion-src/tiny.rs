use criterion::{black_box, criterion_group, criterion_main, Criterion};
use std::time::Duration;

// SLEEP_US sets how long `tiny/sleep` sleeps, so a run can be made 20% slower without
// recompiling; `tiny/sum` does the same CPU work in every run.
fn benches(c: &mut Criterion) {
    let us: u64 = std::env::var("SLEEP_US").ok().and_then(|s| s.parse().ok()).unwrap_or(1000);
    let mut g = c.benchmark_group("tiny");
    g.sample_size(50);
    g.bench_function("sleep", |b| b.iter(|| std::thread::sleep(Duration::from_micros(black_box(us)))));
    g.bench_function("sum", |b| b.iter(|| (0..black_box(10_000u64)).map(|i| i ^ 3).sum::<u64>()));
    g.finish();
}

criterion_group!(b, benches);
criterion_main!(b);
