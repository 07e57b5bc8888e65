//! Parse throughput of `gatehouse::syntax` on real code, side by side with the line-based
//! scanner it replaces (`lang::functions` + the architecture gate's import extraction).
//!
//!   cargo bench --bench syntax -- DIR...        # default: this crate's src/
//!
//! Prints, per language: files, MB, and MB/s for (1) the line scanner (functions + imports),
//! (2) the tree-sitter parse alone, (3) parse + functions + imports. Best of 3 runs, in process
//! CPU time (the machines this runs on are shared; wall time measures the neighbours).
//! `benches/syntax-compare.sh` adds grep/wc as the physical reference and lizard for parity.

use gatehouse::gates::architecture::imports as old_imports;
use gatehouse::lang::{self, Lang};
use gatehouse::syntax::{self, Language, SourceFile};
use std::collections::BTreeMap;
use std::path::Path;

fn collect(dir: &Path, out: &mut Vec<(String, String)>) {
    let Ok(rd) = std::fs::read_dir(dir) else { return };
    let mut entries: Vec<_> = rd.flatten().collect();
    entries.sort_by_key(|e| e.path());
    for e in entries {
        let p = e.path();
        let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if name.starts_with('.') || name == "node_modules" || name == "target" || name == "vendor" {
            continue;
        }
        if p.is_dir() {
            collect(&p, out);
        } else if let Some(path) = p.to_str()
            && Language::from_path(path).is_some()
            && let Ok(text) = std::fs::read_to_string(&p)
        {
            out.push((path.to_string(), text));
        }
    }
}

fn cpu_seconds() -> f64 {
    let mut t = libc::timespec { tv_sec: 0, tv_nsec: 0 };
    // SAFETY: clock_gettime writes the timespec it is given and nothing else
    unsafe { libc::clock_gettime(libc::CLOCK_PROCESS_CPUTIME_ID, &mut t) };
    t.tv_sec as f64 + t.tv_nsec as f64 / 1e9
}

fn best_of_3(mut f: impl FnMut() -> usize) -> (f64, usize) {
    let mut best = f64::MAX;
    let mut n = 0;
    for _ in 0..3 {
        let t = cpu_seconds();
        n = std::hint::black_box(f());
        best = best.min(cpu_seconds() - t);
    }
    (best, n)
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).filter(|a| !a.starts_with("--")).collect();
    let dirs = if args.is_empty() { vec![concat!(env!("CARGO_MANIFEST_DIR"), "/src").to_string()] } else { args };
    let mut files = Vec::new();
    for d in &dirs {
        collect(Path::new(d), &mut files);
    }
    let mut by_lang: BTreeMap<Language, Vec<(String, String)>> = BTreeMap::new();
    for (p, t) in files {
        if let Some(l) = Language::from_path(&p) {
            by_lang.entry(l).or_default().push((p, t));
        }
    }
    println!(
        "{:<11} {:>6} {:>7} {:>14} {:>12} {:>16} {:>9}",
        "language", "files", "MB", "line scan MB/s", "parse MB/s", "parse+extr MB/s", "not parsed"
    );
    for (lang, files) in &by_lang {
        let bytes: usize = files.iter().map(|(_, t)| t.len()).sum();
        let mb = bytes as f64 / 1e6;
        let old = Lang::of(&files[0].0);
        let (t_old, _) = best_of_3(|| {
            let Some(l) = old else { return 0 };
            files.iter().map(|(_, t)| lang::functions(l, t).len() + old_imports::extract(l, t).len()).sum()
        });
        let mut skipped = 0;
        let (t_parse, _) = best_of_3(|| {
            skipped = 0;
            files
                .iter()
                .map(|(p, t)| match SourceFile::parse(p, t) {
                    Ok(f) => f.regions().len(),
                    Err(_) => {
                        skipped += 1;
                        0
                    }
                })
                .sum()
        });
        let (t_all, _) = best_of_3(|| {
            files
                .iter()
                .filter_map(|(p, t)| SourceFile::parse(p, t).ok())
                .map(|f| syntax::functions(&f).len() + syntax::imports(&f).len())
                .sum()
        });
        let rate = |t: f64| if t > 0.0 { format!("{:.1}", mb / t) } else { "-".into() };
        println!(
            "{:<11} {:>6} {:>7.2} {:>14} {:>12} {:>16} {:>9}",
            lang.name(),
            files.len(),
            mb,
            if old.is_some() { rate(t_old) } else { "-".into() },
            rate(t_parse),
            rate(t_all),
            skipped
        );
    }
}
