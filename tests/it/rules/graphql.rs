//! Cases for the GraphQL contract rules: each rule's case is the first pair of the labelled
//! corpus (tests/data/contract/corpus/graphql) that is labelled with it; `operation-invalid`
//! and `contract.parse-error` have their own.

use super::{Case, run_all};
use gatehouse::gates::contract::graphql::RULES;

fn leak<T>(v: T) -> &'static T {
    Box::leak(Box::new(v))
}

fn cases() -> Vec<Case> {
    let pairs = crate::graphql::corpus();
    let policy = "version = 1\n[contract]\ngraphql = [{ path = \"schema.graphql\" }]\n";
    let mut out = Vec::new();
    for rule in RULES.iter().filter(|r| r.id != "contract.graphql.operation-invalid") {
        let short = rule.id.trim_start_matches("contract.graphql.");
        let p = pairs
            .iter()
            .find(|p| p.expect.iter().any(|e| e.1 == short))
            .unwrap_or_else(|| panic!("no corpus pair is labelled with `{short}`"));
        out.push(Case {
            base: leak([("schema.graphql", leak(p.base.clone()).as_str())]),
            head: leak([("schema.graphql", Some(leak(p.head.clone()).as_str()))]),
            ..Case::new(leak([rule.id]), policy)
        });
    }
    out.push(Case {
        base: &[
            ("schema.graphql", "type Query { user(id: ID!): User }\ntype User { id: ID!, email: String }\n"),
            (
                "web/user.tsx",
                "export const Q = gql`\n  query GetUser($id: ID!) {\n    user(id: $id) { id email }\n  }\n`;\n",
            ),
        ],
        head: &[("schema.graphql", Some("type Query { user(id: ID!): User }\ntype User { id: ID! }\n"))],
        ..Case::new(
            &["contract.graphql.operation-invalid"],
            "version = 1\n[contract]\ngraphql = [{ path = \"schema.graphql\", documents = [\"web/**/*.tsx\"] }]\n",
        )
    });
    out.push(Case {
        base: &[("schema.graphql", "type Query { a: Int }\n")],
        head: &[("schema.graphql", Some("type Query {\n  a: Int\n  b: [Int\n}\n"))],
        ..Case::new(&["contract.parse-error"], policy)
    });
    out
}

#[test]
fn graphql() {
    run_all("contract", &cases());
}
