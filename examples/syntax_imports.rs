//! Prints the imports of source files as the architecture gate's line scanner and as
//! `gatehouse::syntax` see them, one per line: `old|new<TAB>path<TAB>line<TAB>specifier`, the
//! new ones normalised to the scanner's form (`from m import a` → `m.a`, `mod x;` → `self::x`).
//! Used by `benches/syntax-compare.sh` to report where the two differ.
//!
//! `cargo run --release --example syntax_imports -- FILE...`

use gatehouse::gates::architecture::imports as old;
use gatehouse::lang::Lang;
use gatehouse::syntax::{ImportKind, SourceFile, imports};

fn main() {
    for path in std::env::args().skip(1) {
        let Ok(bytes) = std::fs::read(&path) else { continue };
        let text = String::from_utf8_lossy(&bytes);
        if let Some(lang) = Lang::of(&path) {
            for i in old::extract(lang, &text) {
                println!("old\t{path}\t{}\t{}", i.line, i.spec);
            }
        }
        let Ok(file) = SourceFile::parse(&path, &text) else { continue };
        // computed specifiers (`require(name)`) are not edges: reported apart
        for i in imports(&file) {
            if !i.literal {
                println!("computed\t{path}\t{}\t{}", i.span.start_line, i.specifier);
                continue;
            }
            for key in normalised(&path, &i) {
                println!("new\t{path}\t{}\t{key}", i.span.start_line);
            }
        }
    }
}

fn normalised(path: &str, i: &gatehouse::syntax::Import) -> Vec<String> {
    let py = path.ends_with(".py") || path.ends_with(".pyi");
    if py && !i.names.is_empty() {
        let sep = if i.specifier.ends_with('.') { "" } else { "." };
        return i
            .names
            .iter()
            .map(|n| if n == "*" { i.specifier.clone() } else { format!("{}{sep}{n}", i.specifier) })
            .collect();
    }
    match i.kind {
        ImportKind::ModuleDecl => vec![format!("self::{}", i.specifier)],
        _ if !i.scope.is_empty() => {
            // inside inline modules the first `super`s stay in the file (the scanner's rule)
            let mut rest = i.specifier.as_str();
            let mut left = i.scope.len();
            while left > 0 {
                match rest.strip_prefix("super") {
                    Some(r) if r.is_empty() || r.starts_with("::") => {
                        rest = r.trim_start_matches("::");
                        left -= 1;
                    }
                    _ => break,
                }
            }
            if left == i.scope.len() {
                vec![i.specifier.clone()]
            } else if rest.is_empty() {
                vec!["self".into()]
            } else {
                vec![format!("self::{rest}")]
            }
        }
        _ => vec![i.specifier.clone()],
    }
}
