//! The contract gate end to end: a base commit with spec v1, a PR commit with v2.

use crate::common::{TestRepo, gate};
use serde_json::Value;

const POLICY: &str = r#"version = 1

[contract]
openapi = [{ path = "api/openapi.yaml" }]
graphql = [{ path = "schema.graphql" }]
jsonschema = [{ path = "schemas/*.json" }]
"#;

fn data(path: &str) -> String {
    let p = format!("{}/tests/data/contract/{path}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{p}: {e}"))
}

/// A repo whose `main` holds `policy` and `files`, on branch `pr` with `changes` committed.
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

fn changes(report: &Value) -> Vec<Value> {
    let g = gate(report, "contract");
    g["details"]["contracts"]
        .as_array()
        .map(|a| a.iter().flat_map(|c| c["changes"].as_array().unwrap().clone()).collect())
        .unwrap_or_default()
}

fn finding<'a>(report: &'a Value, rule: &str) -> Option<&'a Value> {
    gate(report, "contract")["findings"].as_array().unwrap().iter().find(|f| f["rule"] == rule)
}

#[test]
fn every_openapi_rule_has_a_fixture_pair_that_triggers_it() {
    let dir = format!("{}/tests/data/contract/openapi", env!("CARGO_MANIFEST_DIR"));
    let mut names: Vec<String> =
        std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    names.sort();
    assert!(names.len() >= 40, "{names:?}");
    for name in names {
        let base = data(&format!("openapi/{name}/base.yaml"));
        let head = data(&format!("openapi/{name}/head.yaml"));
        let r = pr(POLICY, &[("api/openapi.yaml", &base)], &[("api/openapi.yaml", Some(&head))]);
        let (code, report) = r.json_report(&[]);
        let rule = format!("contract.openapi.{name}");
        let all = changes(&report);
        let hit = all.iter().find(|c| c["rule"] == rule.as_str());
        let Some(hit) = hit else { panic!("{name}: no `{rule}` among {all:#?}") };
        assert!(hit["pointer"].as_str().unwrap().starts_with('/'), "{name}: {hit}");
        if hit["level"] == "breaking" {
            assert_eq!(code, 1, "{name}: breaking change must fail");
            let f = finding(&report, &rule).unwrap_or_else(|| panic!("{name}: no finding"));
            assert_eq!(f["severity"], "error");
            assert_eq!(f["location"]["path"], "api/openapi.yaml", "{name}: {f}");
            assert!(f["location"]["start_line"].as_u64().is_some(), "{name}: {f}");
        }
    }
}

#[test]
fn unchanged_spec_reports_nothing_and_passes() {
    let base = data("base.yaml");
    let r = pr(POLICY, &[("api/openapi.yaml", &base)], &[("README.md", Some("x\n"))]);
    let (code, report) = r.json_report(&[]);
    assert_eq!(code, 0);
    assert!(changes(&report).is_empty());
}

#[test]
fn removal_points_at_head_ancestor_and_names_the_base_line() {
    let base = data("openapi/operation-removed/base.yaml");
    let head = data("openapi/operation-removed/head.yaml");
    let r = pr(POLICY, &[("api/openapi.yaml", &base)], &[("api/openapi.yaml", Some(&head))]);
    let (_, report) = r.json_report(&[]);
    let f = finding(&report, "contract.openapi.operation-removed").unwrap();
    let msg = f["message"].as_str().unwrap();
    assert!(msg.contains("/paths/~1pets~1{petId}/delete"), "{msg}");
    let base_line = base.lines().position(|l| l.trim() == "delete:").unwrap() + 1;
    assert!(msg.contains(&format!("line {base_line} of the base version")), "{msg}");
    // The path item survives at head: the annotation sits on it.
    let head_line = head.lines().position(|l| l.trim() == "/pets/{petId}:").unwrap() + 1;
    assert_eq!(f["location"]["start_line"], head_line as u64);
}

#[test]
fn changed_line_is_annotated_exactly() {
    let base = data("openapi/request-constraint-tightened/base.yaml");
    let head = data("openapi/request-constraint-tightened/head.yaml");
    let r = pr(POLICY, &[("api/openapi.yaml", &base)], &[("api/openapi.yaml", Some(&head))]);
    let (_, report) = r.json_report(&[]);
    let f = finding(&report, "contract.openapi.request-constraint-tightened").unwrap();
    let line = head.lines().position(|l| l.trim() == "maxLength: 20").unwrap() + 1;
    assert_eq!(f["location"]["start_line"], line as u64, "{f}");
    assert!(f["message"].as_str().unwrap().contains("POST /pets"), "{f}");
}

#[test]
fn shared_schema_change_is_one_finding_naming_every_endpoint() {
    let base = data("openapi/response-property-removed/base.yaml");
    let head = data("openapi/response-property-removed/head.yaml");
    let r = pr(POLICY, &[("api/openapi.yaml", &base)], &[("api/openapi.yaml", Some(&head))]);
    let (_, report) = r.json_report(&[]);
    let found: Vec<_> = gate(&report, "contract")["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == "contract.openapi.response-property-removed")
        .collect();
    assert_eq!(found.len(), 1, "{found:#?}");
    let msg = found[0]["message"].as_str().unwrap();
    assert!(msg.contains("also affects"), "{msg}");
    // The changelog lists the change under each endpoint.
    let summary = &crate::common::summary(gate(&report, "contract"));
    for ep in ["**GET /pets**", "**POST /pets**", "**GET /pets/{petId}**"] {
        assert!(summary.contains(ep), "{ep} missing in\n{summary}");
    }
}

#[test]
fn major_bump_levels_ignore_and_sunset_policy() {
    let base = data("openapi/path-removed/base.yaml");
    let head = data("openapi/path-removed/head.yaml");
    let policy = r#"version = 1
[contract]
openapi = [{ path = "api/openapi.yaml", require_major_bump_on_breaking = true }]
"#;
    let r = pr(policy, &[("api/openapi.yaml", &base)], &[("api/openapi.yaml", Some(&head))]);
    let (code, report) = r.json_report(&[]);
    assert_eq!(code, 1);
    assert!(finding(&report, "contract.openapi.major-bump-required").is_some());

    // A major bump satisfies the version rule; the breaking change itself still fails.
    let bumped = head.replace("version: 1.0.0", "version: 2.0.0");
    let r = pr(policy, &[("api/openapi.yaml", &base)], &[("api/openapi.yaml", Some(&bumped))]);
    let (code, report) = r.json_report(&[]);
    assert_eq!(code, 1);
    assert!(finding(&report, "contract.openapi.major-bump-required").is_none());

    // Level override and ignore list.
    let policy2 = r#"version = 1
[contract]
openapi = [{ path = "api/openapi.yaml" }]
levels = { "contract.openapi.path-removed" = "warning" }
"#;
    let r = pr(policy2, &[("api/openapi.yaml", &base)], &[("api/openapi.yaml", Some(&head))]);
    let (code, report) = r.json_report(&[]);
    assert_eq!(code, 0);
    assert_eq!(finding(&report, "contract.openapi.path-removed").unwrap()["severity"], "warning");
    let policy3 = r#"version = 1
[contract]
openapi = [{ path = "api/openapi.yaml" }]
ignore = [{ rules = ["contract.openapi"], paths = ["/pets/*"], reason = "v1 pet detail retired with notice" }]
"#;
    let r = pr(policy3, &[("api/openapi.yaml", &base)], &[("api/openapi.yaml", Some(&head))]);
    let (code, report) = r.json_report(&[]);
    assert_eq!(code, 0, "{report:#}");
    assert!(changes(&report).iter().any(|c| c["ignored"] == true));

    // Deprecated with a sunset in the past (GATEHOUSE_TODAY = 2026-06-01): removal allowed.
    let sunset = base.replace(
        "      operationId: deletePet\n",
        "      operationId: deletePet\n      deprecated: true\n      x-sunset: '2026-01-31'\n",
    );
    assert_ne!(sunset, base);
    let removed = data("openapi/operation-removed/head.yaml");
    let r = pr(POLICY, &[("api/openapi.yaml", &sunset)], &[("api/openapi.yaml", Some(&removed))]);
    let (code, report) = r.json_report(&[]);
    assert_eq!(code, 0, "{report:#}");
    let c = changes(&report).into_iter().find(|c| c["rule"] == "contract.openapi.operation-removed").unwrap();
    assert_eq!(c["level"], "info");
    assert!(c["note"].as_str().unwrap().contains("2026-01-31"));
    // Sunset still in the future: breaking.
    let future = sunset.replace("2026-01-31", "2027-01-31");
    let r = pr(POLICY, &[("api/openapi.yaml", &future)], &[("api/openapi.yaml", Some(&removed))]);
    assert_eq!(r.json_report(&[]).0, 1);
}

#[test]
fn bad_policy_keys_are_reported_with_their_place() {
    let policy = r#"version = 1
[contract]
openapi = [{ path = "api/openapi.yaml" }]
levels = { "contract.openapi.path-removd" = "info" }
"#;
    let r = pr(policy, &[("api/openapi.yaml", "openapi: 3.0.0\n")], &[("api/openapi.yaml", Some("openapi: 3.1.0\n"))]);
    let out = r.check(&[]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("path-removd") && err.contains("path-removed"), "{err}");
}

#[test]
fn unparsable_head_is_a_finding_with_a_line_and_deleted_spec_removes_everything() {
    let base = data("base.yaml");
    let broken = base.replace("  /pets:\n", "  /pets: [\n");
    let r = pr(POLICY, &[("api/openapi.yaml", &base)], &[("api/openapi.yaml", Some(&broken))]);
    let (code, report) = r.json_report(&[]);
    assert_eq!(code, 1);
    let f = finding(&report, "contract.parse-error").unwrap();
    assert!(f["location"]["start_line"].as_u64().unwrap() >= 8, "{f}");

    let r = pr(POLICY, &[("api/openapi.yaml", &base)], &[("api/openapi.yaml", None)]);
    let (code, report) = r.json_report(&[]);
    assert_eq!(code, 1);
    let removed: Vec<_> =
        changes(&report).into_iter().filter(|c| c["rule"] == "contract.openapi.path-removed").collect();
    assert_eq!(removed.len(), 2);
}

#[test]
fn json_spec_with_relative_ref_file() {
    let root = r#"{
  "openapi": "3.1.0",
  "info": {"title": "t", "version": "1"},
  "paths": {
    "/items": {
      "get": {
        "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {"$ref": "schemas/item.json"}}}}}
      }
    }
  }
}
"#;
    let item = "{\n  \"type\": \"object\",\n  \"required\": [\"id\"],\n  \"properties\": {\n    \"id\": {\"type\": \"string\"},\n    \"name\": {\"type\": \"string\"}\n  }\n}\n";
    let item2 = item.replace(",\n    \"name\": {\"type\": \"string\"}", "");
    let policy = "version = 1\n[contract]\nopenapi = [{ path = \"api/openapi.json\" }]\n";
    // Only the referenced file changes: the spec is still compared.
    let r = pr(
        policy,
        &[("api/openapi.json", root), ("api/schemas/item.json", item)],
        &[("api/schemas/item.json", Some(&item2))],
    );
    let (code, report) = r.json_report(&[]);
    assert_eq!(code, 1, "{report:#}");
    let f = finding(&report, "contract.openapi.response-property-removed").unwrap();
    assert_eq!(f["location"]["path"], "api/schemas/item.json");
    assert!(f["message"].as_str().unwrap().contains("/properties/name"), "{f}");
}

#[test]
fn graphql_changes_are_classified() {
    let base = data("graphql/base.graphql");
    let head = data("graphql/head.graphql");
    let r = pr(POLICY, &[("schema.graphql", &base)], &[("schema.graphql", Some(&head))]);
    let (code, report) = r.json_report(&[]);
    assert_eq!(code, 1);
    let mut got: Vec<String> = changes(&report)
        .iter()
        .map(|c| {
            format!(
                "{} {} {}",
                c["rule"].as_str().unwrap(),
                c["level"].as_str().unwrap(),
                c["pointer"].as_str().unwrap()
            )
        })
        .collect();
    got.sort();
    insta::assert_snapshot!(got.join("\n"));
}

#[test]
fn jsonschema_backward_and_forward() {
    let base = data("jsonschema/base.json");
    let head = data("jsonschema/head.json");
    let r = pr(POLICY, &[("schemas/order.json", &base)], &[("schemas/order.json", Some(&head))]);
    let (code, report) = r.json_report(&[]);
    assert_eq!(code, 1);
    let mut got: Vec<String> = changes(&report)
        .iter()
        .map(|c| {
            format!(
                "{} {} {}",
                c["rule"].as_str().unwrap(),
                c["level"].as_str().unwrap(),
                c["pointer"].as_str().unwrap()
            )
        })
        .collect();
    got.sort();
    insta::assert_snapshot!(got.join("\n"));
    let forward = POLICY.replace(
        "jsonschema = [{ path = \"schemas/*.json\" }]",
        "jsonschema = [{ path = \"schemas/*.json\", compatibility = \"forward\" }]",
    );
    let r = pr(&forward, &[("schemas/order.json", &base)], &[("schemas/order.json", Some(&head))]);
    let (_, report) = r.json_report(&[]);
    let breaking: Vec<String> = changes(&report)
        .iter()
        .filter(|c| c["level"] == "breaking")
        .map(|c| c["rule"].as_str().unwrap().to_string())
        .collect();
    assert!(breaking.contains(&"contract.jsonschema.enum-value-added".to_string()), "{breaking:?}");
    assert!(!breaking.contains(&"contract.jsonschema.required-property-added".to_string()), "{breaking:?}");
}

/// Two published versions of a large public spec (e.g. `@octokit/openapi` 21.0.0 and 23.0.2,
/// `generated/api.github.com.json`, ~12 MB each): the gate must finish without error and report
/// breaking changes. The files are not committed; `benches/contract-real-world.sh` prints figures.
#[test]
#[ignore = "needs two large published specs: set GATEHOUSE_CONTRACT_BASE and GATEHOUSE_CONTRACT_HEAD"]
fn real_world_pair() {
    let (Ok(base), Ok(head)) = (std::env::var("GATEHOUSE_CONTRACT_BASE"), std::env::var("GATEHOUSE_CONTRACT_HEAD"))
    else {
        panic!("set GATEHOUSE_CONTRACT_BASE and GATEHOUSE_CONTRACT_HEAD to two versions of one OpenAPI description");
    };
    let policy = "version = 1\n[contract]\nopenapi = [{ path = \"api/openapi.json\" }]\n";
    let (base, head) = (std::fs::read_to_string(base).unwrap(), std::fs::read_to_string(head).unwrap());
    let r = pr(policy, &[("api/openapi.json", &base)], &[("api/openapi.json", Some(&head))]);
    let start = std::time::Instant::now();
    let (code, report) = r.json_report(&[]);
    eprintln!("whole run (debug build): {:?}", start.elapsed());
    let g = gate(&report, "contract");
    assert_ne!(g["conclusion"], "error", "{}", g["error"]);
    let all = changes(&report);
    let breaking = all.iter().filter(|c| c["level"] == "breaking").count();
    eprintln!("{} changes, {breaking} breaking", all.len());
    assert_eq!(code, i32::from(breaking > 0));
}
