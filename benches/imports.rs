//! Import extraction and resolution throughput on a synthetic 20,000-file repository
//! (5,000 files each of Rust, TypeScript, Python and Go, ~40 lines and ~8 imports per file).
//! `cargo bench --bench imports` (no criterion; prints files/s).

use gatehouse::gates::architecture::imports::{Resolver, extract};
use gatehouse::lang::Lang;
use std::collections::HashSet;
use std::time::Instant;

fn file(lang: Lang, i: usize) -> (String, String) {
    let m = |k: usize| (i * 7 + k * 13) % 5000;
    let body: String = (0..30).map(|l| format!("    // line {l} of the body with some text\n")).collect();
    match lang {
        Lang::Rust => (
            format!("src/m{}/f{i}.rs", i % 50),
            format!(
                "use std::collections::HashMap;\nuse serde::{{Deserialize, Serialize}};\nuse crate::m{}::f{}::Thing;\nuse crate::m{}::{{f{}, f{}}};\nuse super::f{};\nmod inner;\n\npub fn f() {{\n{body}    crate::m{}::f{}::g();\n}}\n",
                m(1) % 50,
                m(1),
                m(2) % 50,
                m(2),
                m(3),
                m(4),
                m(5) % 50,
                m(5)
            ),
        ),
        Lang::TypeScript => (
            format!("web/src/d{}/f{i}.ts", i % 50),
            format!(
                "import {{ a }} from '../d{}/f{}';\nimport type {{ B }} from './f{}.js';\nimport * as lodash from 'lodash';\nimport {{\n  c,\n  d,\n}} from '@scope/pkg/sub';\nexport * from '../d{}/f{}';\nconst x = require('node:fs');\n\nexport function f() {{\n{body}  return import('./lazy');\n}}\n",
                m(1) % 50,
                m(1),
                m(2),
                m(3) % 50,
                m(3)
            ),
        ),
        Lang::Python => (
            format!("pkg/p{}/f{i}.py", i % 50),
            format!(
                "import os, sys\nimport json as j\nfrom pkg.p{}.f{} import thing\nfrom . import f{}\nfrom ..p{} import (\n    f{},\n    other,\n)\nimport requests.adapters\n\ndef f():\n{}    return 1\n",
                m(1) % 50,
                m(1),
                m(2),
                m(3) % 50,
                m(3),
                body.replace("//", "#")
            ),
        ),
        _ => (
            format!("internal/g{}/f{i}.go", i % 50),
            format!(
                "package g{}\n\nimport (\n\t\"fmt\"\n\tlog \"log/slog\"\n\t\"example.com/m/internal/g{}\"\n\t\"github.com/x/y/z\"\n)\nimport \"net/http\"\n\nfunc F() {{\n{body}}}\n",
                i % 50,
                m(1) % 50
            ),
        ),
    }
}

fn main() {
    let langs = [Lang::Rust, Lang::TypeScript, Lang::Python, Lang::Go];
    let files: Vec<(Lang, String, String)> = (0..20_000)
        .map(|i| {
            let lang = langs[i % 4];
            let (p, t) = file(lang, i);
            (lang, p, t)
        })
        .collect();
    let paths: HashSet<String> = files.iter().map(|(_, p, _)| p.clone()).collect();
    let bytes: usize = files.iter().map(|(_, _, t)| t.len()).sum();
    let exists = |p: &str| paths.contains(p);
    let resolver = Resolver { exists: &exists, go_module: Some("example.com/m".into()), js_imports: Vec::new() };
    let mut best = f64::MAX;
    let (mut imports, mut resolved) = (0, 0);
    for _ in 0..3 {
        let start = Instant::now();
        imports = 0;
        resolved = 0;
        for (lang, path, text) in &files {
            for imp in extract(*lang, text) {
                imports += 1;
                if resolver.resolve(*lang, path, &imp.spec).path().is_some() {
                    resolved += 1;
                }
            }
        }
        best = best.min(start.elapsed().as_secs_f64());
    }
    println!(
        "imports: {} files ({:.1} MB), {imports} imports ({resolved} to repository files) in {:.3} s (best of 3): {:.0} files/s, {:.1} MB/s",
        files.len(),
        bytes as f64 / 1e6,
        best,
        files.len() as f64 / best,
        bytes as f64 / 1e6 / best
    );
}
