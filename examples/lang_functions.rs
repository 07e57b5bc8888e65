//! Prints the functions Gatehouse finds in source files, as CSV: `path,name,start,end,lines,ccn`.
//! Used by `scripts/compare-architecture.sh` to compare figures with lizard.
//!
//! `cargo run --release --example lang_functions -- FILE...`

fn main() {
    println!("path,name,start,end,lines,ccn");
    for path in std::env::args().skip(1) {
        let Some(lang) = gatehouse::lang::Lang::of(&path) else { continue };
        let Ok(bytes) = std::fs::read(&path) else {
            eprintln!("cannot read {path}");
            continue;
        };
        for f in gatehouse::lang::functions(lang, &String::from_utf8_lossy(&bytes)) {
            println!("{path},{},{},{},{},{}", f.name, f.start, f.end, f.lines(), f.complexity);
        }
    }
}
