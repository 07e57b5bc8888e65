//! The test suite's fake GitHub REST server, standalone, for tests that run Gatehouse in a
//! process cargo does not start (scripts/container-test.sh runs it inside the Action's image).
//! Request bodies are validated against GitHub's OpenAPI description, as in tests/github.rs.
//!
//! Prints the base URL (for `GITHUB_API_URL`) on the first line of stdout, serves on loopback
//! until stdin is closed, then prints one JSON object: every request (method, path, query, body,
//! and `authorized`: whether the Authorization header was `Bearer $FAKE_GITHUB_TOKEN`) and
//! `schema_errors`. Usage: `cargo run --example fake_github [-- --prefix /api/v3]`.

#[path = "../tests/fake_github/mod.rs"]
mod fake_github;

use serde_json::json;
use std::io::{Read, Write};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let prefix = match args.as_slice() {
        [] => "",
        [flag, p] if flag == "--prefix" => p.as_str(),
        _ => {
            eprintln!("usage: fake_github [--prefix /api/v3]");
            std::process::exit(2);
        }
    };
    let gh = fake_github::FakeGitHub::with_prefix(prefix);
    let mut out = std::io::stdout().lock();
    writeln!(out, "{}", gh.url).and_then(|()| out.flush()).expect("stdout");
    // Serve until whoever started us closes our stdin.
    let _ = std::io::stdin().read_to_end(&mut Vec::new());
    let expected = std::env::var("FAKE_GITHUB_TOKEN").ok().map(|t| format!("Bearer {t}"));
    let requests: Vec<_> = gh
        .requests()
        .iter()
        .map(|r| {
            json!({
                "method": r.method,
                "path": r.path,
                "query": r.query,
                "body": r.body,
                "authorized": expected.is_some() && r.authorization == expected,
            })
        })
        .collect();
    let report = json!({ "requests": requests, "schema_errors": gh.schema_errors() });
    writeln!(out, "{report}").expect("stdout");
}
