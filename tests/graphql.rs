//! The GraphQL half of the contract gate end to end: schemas split over files, client
//! documents validated against the head schema, breaking changes naming the operations they
//! break, and one snapshot per rule of what a maintainer sees when it fires.

mod common;

use common::{TestRepo, gate};
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
        &[("schema/a.graphql", user_part), ("schema/b.graphql", role_part), ("web/user.graphql", QUERY_FILE), ("web/list.tsx", TSX)],
        &[("schema/a.graphql", Some(&format!("{role_part}{head_schema}"))), ("schema/b.graphql", Some("scalar Date\n"))],
    );
    let (code, report) = r.json_report(&[]);
    assert_eq!(code, 1, "{report:#}");
    let got: Vec<String> = findings(&report).iter().map(show).collect();
    let text = got.join("\n");
    // The removed field a document selects is breaking and names the operation.
    assert!(text.contains("error contract.graphql.field-removed") && text.contains("`GetUser` (web/user.graphql:1)"), "{text}");
    // A removed field no operation uses is lowered to a warning by `breaking_unused`.
    let legacy = got.iter().find(|f| f.contains("Query.legacy")).expect(&text);
    assert!(legacy.starts_with("warning contract.graphql.field-removed") && legacy.contains("no operation"), "{legacy}");
    // The documents that no longer validate are errors where they are, even for a change the
    // schema comparison only calls dangerous (`@tag` no longer repeatable).
    assert!(text.contains("error contract.graphql.operation-invalid web/user.graphql:2"), "{text}");
    assert!(got.iter().any(|f| f.contains("operation-invalid web/list.tsx:4") && f.contains("not repeatable")), "{text}");
    assert!(!text.contains("type-removed Role") && !text.contains("Role` was"), "moving a type between files is no change: {text}");
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
        &[("web/user.graphql", Some("query GetUser($id: ID!) { user(id: $id) { id name } }\n")), ("README.md", Some("x"))],
    );
    let (code, report) = r.json_report(&[]);
    assert_eq!(code, 0, "{:#}", gate(&report, "contract"));
    assert!(findings(&report).is_empty());
}
