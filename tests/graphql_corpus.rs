//! The labelled GraphQL corpus (tests/data/contract/corpus/graphql, see its README): every pair
//! is compared and the figures are printed; the test fails under the thresholds the contract
//! gate promises (every breaking pair found, no non-breaking pair judged breaking, at least 90%
//! of expected changes found at their level, no error).

use gatehouse::gates::contract::{Level, graphql::diff_sdl};

struct Pair {
    name: String,
    base: String,
    head: String,
    expect: Vec<(String, String, String)>,
}

fn section<'a>(block: &'a str, name: &str, next: Option<&str>) -> &'a str {
    let start = block.find(&format!("--- {name}\n")).unwrap_or_else(|| panic!("no `{name}` in {block}")) + name.len() + 5;
    let rest = &block[start..];
    match next {
        Some(n) => &rest[..rest.find(&format!("--- {n}\n")).unwrap_or_else(|| panic!("no `{n}` in {block}"))],
        None => rest,
    }
}

fn corpus() -> Vec<Pair> {
    let dir = format!("{}/tests/data/contract/corpus/graphql", env!("CARGO_MANIFEST_DIR"));
    let mut files: Vec<_> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).collect();
    files.sort();
    let mut out = Vec::new();
    for f in files.iter().filter(|f| f.extension().is_some_and(|e| e == "pairs")) {
        let text = std::fs::read_to_string(f).unwrap();
        let stem = f.file_stem().unwrap().to_string_lossy();
        for block in text.split("=== ").filter(|b| !b.trim().is_empty()) {
            let (name, rest) = block.split_once('\n').unwrap();
            let expect = section(rest, "expect", None)
                .lines()
                .filter(|l| !l.trim().is_empty())
                .map(|l| {
                    let mut it = l.splitn(3, ' ');
                    let mut next = || it.next().unwrap_or_else(|| panic!("bad expect line `{l}`")).to_string();
                    (next(), next(), next())
                })
                .collect();
            out.push(Pair {
                name: format!("{stem}: {}", name.trim()),
                base: section(rest, "base", Some("head")).to_string(),
                head: section(rest, "head", Some("expect")).to_string(),
                expect,
            });
        }
    }
    out
}

fn level(l: Level) -> &'static str {
    match l {
        Level::Breaking => "breaking",
        Level::Warning => "warning",
        Level::Info => "info",
    }
}

#[test]
fn graphql_corpus_meets_thresholds() {
    let pairs = corpus();
    let (mut breaking_pairs, mut breaking_found, mut false_breaking, mut errors) = (0, 0, 0, 0);
    let (mut expected, mut at_level, mut unexpected) = (0, 0, 0);
    let mut report = String::new();
    for p in &pairs {
        let breaking = p.expect.iter().any(|e| e.0 == "breaking");
        breaking_pairs += breaking as usize;
        expected += p.expect.len();
        let changes = match diff_sdl(&p.base, &p.head) {
            Ok(c) => c,
            Err(e) => {
                errors += 1;
                report.push_str(&format!("ERROR {}: {e}\n", p.name));
                continue;
            }
        };
        let got: Vec<(&str, &str, &str)> = changes
            .iter()
            .map(|c| (level(c.level), c.rule.trim_start_matches("contract.graphql."), c.pointer.as_str()))
            .collect();
        let judged = got.iter().any(|g| g.0 == "breaking");
        breaking_found += (breaking && judged) as usize;
        if judged && !breaking {
            false_breaking += 1;
            report.push_str(&format!("FALSE BREAKING {}: {got:?}\n", p.name));
        }
        for (l, rule, coord) in &p.expect {
            if got.iter().any(|g| g.0 == l && g.1 == rule && g.2 == coord) {
                at_level += 1;
            } else {
                report.push_str(&format!("MISS {}: {l} {rule} {coord}; got {got:?}\n", p.name));
            }
        }
        for g in &got {
            if !p.expect.iter().any(|e| e.0 == g.0 && e.1 == g.1 && e.2 == g.2) {
                unexpected += 1;
                report.push_str(&format!("EXTRA {}: {} {} {}\n", p.name, g.0, g.1, g.2));
            }
        }
    }
    let pct = 100.0 * at_level as f64 / expected as f64;
    println!("{report}");
    println!(
        "GraphQL corpus: {} pairs ({breaking_pairs} breaking), {errors} errors; breaking pairs found \
         {breaking_found}/{breaking_pairs}; non-breaking pairs judged breaking {false_breaking}/{}; expected changes \
         at their level {at_level}/{expected} ({pct:.1}%); changes not in the labels {unexpected}",
        pairs.len(),
        pairs.len() - breaking_pairs
    );
    assert!(pairs.len() >= 100, "the corpus has {} pairs", pairs.len());
    assert_eq!(errors, 0, "pairs that could not be compared");
    assert_eq!(breaking_found, breaking_pairs, "breaking pairs missed");
    assert_eq!(false_breaking, 0, "non-breaking pairs judged breaking");
    assert!(pct >= 90.0, "only {pct:.1}% of expected changes found at their level");
}
