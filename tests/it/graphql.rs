//! The GraphQL half of the contract gate end to end: schemas split over files, client
//! documents validated against the head schema, breaking changes naming the operations they
//! break, and the labelled corpus
//! (tests/data/contract/corpus/graphql, see its README): every pair is compared, the figures are
//! printed, and the test fails under the thresholds the gate promises (every breaking pair found,
//! no non-breaking pair judged breaking, at least 90% of expected changes at their level, no error).

use crate::common::{TestRepo, gate};
use gatehouse::gates::contract::{Level, graphql::diff_sdl};
use serde_json::Value;

fn pr(policy: &str, files: &[(&str, &str)], changes: &[(&str, Option<&str>)]) -> TestRepo {
    let r = TestRepo::new();
    r.write("gates.toml", policy);
    for (p, c) in files {
        r.write(p, c);
    }
    r.commit("base");
    r.branch("pr");
    for (p, c) in changes {
        match c {
            Some(c) => r.write(p, c),
            None => r.remove(p),
        };
    }
    r.commit("change");
    r
}

fn findings(report: &Value) -> Vec<Value> {
    gate(report, "contract")["findings"].as_array().unwrap().clone()
}

fn show(f: &Value) -> String {
    format!(
        "{} {} {}:{} {}",
        f["severity"].as_str().unwrap_or("?"),
        f["rule"].as_str().unwrap_or("?"),
        f["location"]["path"].as_str().unwrap_or("-"),
        f["location"]["start_line"].as_u64().map(|l| l.to_string()).unwrap_or_default(),
        f["message"].as_str().unwrap_or("")
    )
}

const SCHEMA: &str = r#"directive @tag(name: String) repeatable on FIELD | QUERY
type Query {
  user(id: ID!): User
  users(first: Int): [User!]!
  legacy: String
}
type User { id: ID!, name: String, email: String, role: Role }
enum Role { ADMIN USER }
"#;

const QUERY_FILE: &str = "query GetUser($id: ID!) {\n  user(id: $id) { id email role }\n}\n";

const TSX: &str = r#"import { gql } from "@apollo/client";
const LIST = gql`
  query ListUsers {
    users(first: 10) @tag(name: "a") @tag(name: "b") {
      ...UserName
    }
  }
  ${USER_NAME}
`;
export const USER_NAME = gql`fragment UserName on User { name }`;
"#;

#[test]
fn breaking_changes_name_the_operations_they_break_and_documents_are_validated() {
    let policy = r#"version = 1
[contract]
graphql = [{ path = "schema/*.graphql", documents = ["web/**/*.graphql", "web/**/*.tsx"], breaking_unused = "warning" }]
"#;
    // The schema is split over two files; moving `Role` from one to the other is no change.
    let (user_part, role_part) = SCHEMA.split_at(SCHEMA.find("enum Role").unwrap());
    let head_schema = user_part
        .replace("repeatable ", "")
        .replace(", email: String", "")
        .replace("  legacy: String\n", "")
        .replace("enum Role { ADMIN USER }\n", "");
    let r = pr(
        policy,
        &[
            ("schema/a.graphql", user_part),
            ("schema/b.graphql", role_part),
            ("web/user.graphql", QUERY_FILE),
            ("web/list.tsx", TSX),
        ],
        &[
            ("schema/a.graphql", Some(&format!("{role_part}{head_schema}"))),
            ("schema/b.graphql", Some("scalar Date\n")),
        ],
    );
    let (code, report) = r.json_report(&[]);
    assert_eq!(code, 1, "{report:#}");
    let got: Vec<String> = findings(&report).iter().map(show).collect();
    let text = got.join("\n");
    // The removed field a document selects is breaking and names the operation.
    assert!(
        text.contains("error contract.graphql.field-removed") && text.contains("`GetUser` (web/user.graphql:1)"),
        "{text}"
    );
    // A removed field no operation uses is lowered to a warning by `breaking_unused`.
    let legacy = got.iter().find(|f| f.contains("Query.legacy")).expect(&text);
    assert!(
        legacy.starts_with("warning contract.graphql.field-removed") && legacy.contains("no operation"),
        "{legacy}"
    );
    // The documents that no longer validate are errors where they are, even for a change the
    // schema comparison only calls dangerous (`@tag` no longer repeatable).
    assert!(text.contains("error contract.graphql.operation-invalid web/user.graphql:2"), "{text}");
    assert!(
        got.iter().any(|f| f.contains("operation-invalid web/list.tsx:4") && f.contains("not repeatable")),
        "{text}"
    );
    assert!(
        !text.contains("type-removed Role") && !text.contains("Role` was"),
        "moving a type between files is no change: {text}"
    );
    insta::assert_snapshot!(text);
}

#[test]
fn a_document_changed_in_the_pr_is_validated_against_an_unchanged_schema() {
    let policy = r#"version = 1
[contract]
graphql = [{ path = "schema.graphql", documents = ["web/**/*.graphql"] }]
"#;
    let r = pr(
        policy,
        &[("schema.graphql", SCHEMA), ("web/user.graphql", QUERY_FILE)],
        &[("web/user.graphql", Some("query GetUser { user { id nickname role { x } } }\n"))],
    );
    let (code, report) = r.json_report(&[]);
    assert_eq!(code, 1);
    let got: Vec<String> = findings(&report).iter().map(show).collect();
    let text = got.join("\n");
    assert!(text.contains("needs the argument `id: ID!`"), "{text}");
    assert!(text.contains("`User` has no field `nickname`"), "{text}");
    assert!(text.contains("no subfields"), "{text}");
    assert_eq!(got.len(), 3, "{text}");
}

#[test]
fn valid_documents_and_an_untouched_schema_pass() {
    let policy = r#"version = 1
[contract]
graphql = [{ path = "schema.graphql", documents = ["web/**/*.graphql", "web/**/*.tsx"] }]
"#;
    let r = pr(
        policy,
        &[("schema.graphql", SCHEMA), ("web/user.graphql", QUERY_FILE), ("web/list.tsx", TSX)],
        &[
            ("web/user.graphql", Some("query GetUser($id: ID!) { user(id: $id) { id name } }\n")),
            ("README.md", Some("x")),
        ],
    );
    let (code, report) = r.json_report(&[]);
    assert_eq!(code, 0, "{:#}", gate(&report, "contract"));
    assert!(findings(&report).is_empty());
}

// ---- the labelled corpus ----

pub struct Pair {
    pub name: String,
    pub base: String,
    pub head: String,
    pub expect: Vec<(String, String, String)>,
}

fn section<'a>(block: &'a str, name: &str, next: Option<&str>) -> &'a str {
    let start =
        block.find(&format!("--- {name}\n")).unwrap_or_else(|| panic!("no `{name}` in {block}")) + name.len() + 5;
    let rest = &block[start..];
    match next {
        Some(n) => &rest[..rest.find(&format!("--- {n}\n")).unwrap_or_else(|| panic!("no `{n}` in {block}"))],
        None => rest,
    }
}

pub fn corpus() -> Vec<Pair> {
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
            .map(|c| (level(c.level), c.rule.id.trim_start_matches("contract.graphql."), c.pointer.as_str()))
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
/// Issue 21: a schema git calls binary (a NUL byte, UTF-16) is read and refused, never skipped.
#[test]
fn a_schema_git_calls_binary_is_read_or_an_error_never_a_pass() {
    let policy = "version = 1\n[contract]\ngraphql = [{ path = \"nul.graphql\" }, { path = \"utf16.graphql\" }]\n";
    let utf16: Vec<u8> = "type Query { a: Int }\n".encode_utf16().flat_map(|u| u.to_le_bytes()).collect();
    let r = TestRepo::new();
    r.write("gates.toml", policy);
    r.write("nul.graphql", SCHEMA);
    r.write("utf16.graphql", "type Query { a: Int, b: Int }\n");
    r.commit("base");
    r.branch("pr");
    r.write("nul.graphql", SCHEMA.replace("legacy: String", "legacy: String\0"));
    r.write("utf16.graphql", [&[0xFF, 0xFE][..], &utf16].concat());
    r.commit("change");
    let (code, report) = r.json_report(&[]);
    assert_eq!(code, 1, "{report:#}");
    let got: Vec<String> = findings(&report).iter().map(show).collect();
    assert!(got.iter().any(|f| f.starts_with("error contract.parse-error nul.graphql:5")), "{got:#?}");
    // UTF-16 with a byte-order mark is decoded like every contract kind, and compared.
    let changes: Vec<String> = report["gates"][0]["details"]["contracts"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|c| c["changes"].as_array().cloned().unwrap_or_default())
        .map(|c| c["rule"].as_str().unwrap_or_default().to_string())
        .collect();
    assert!(changes.iter().any(|r| r == "contract.graphql.field-removed"), "{report:#}");
}
