//! Prints the functions `gatehouse::syntax` finds in source files, as CSV:
//! `path,name,start,end,lines,ccn` (the format of `lang_functions`, to compare both with lizard).
//!
//! `cargo run --release --example syntax_functions -- FILE...`

fn main() {
    println!("path,name,start,end,lines,ccn");
    for path in std::env::args().skip(1) {
        let Ok(bytes) = std::fs::read(&path) else {
            eprintln!("cannot read {path}");
            continue;
        };
        let file = match gatehouse::syntax::SourceFile::parse(&path, &String::from_utf8_lossy(&bytes)) {
            Ok(f) => f,
            Err(e) => {
                eprintln!("{e}");
                continue;
            }
        };
        for f in gatehouse::syntax::functions(&file) {
            println!(
                "{path},{},{},{},{},{}",
                f.name.replace(',', ";"),
                f.span.start_line,
                f.span.end_line,
                f.lines(),
                f.complexity
            );
        }
    }
}
