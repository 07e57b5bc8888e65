//! The commands around `check`: validate, init, explain, schema. Policy error messages are
//! snapshot-tested because their exact wording (position, snippet, suggestion) is the product.

use crate::common::TestRepo;
use predicates::prelude::*;

fn validate(r: &TestRepo, policy: &str) -> (i32, String, String) {
    r.write("gates.toml", policy);
    let out = r.cmd().args(["validate", "gates.toml"]).output().unwrap();
    let code = out.status.code().unwrap_or(-1);
    (code, String::from_utf8_lossy(&out.stdout).into_owned(), String::from_utf8_lossy(&out.stderr).into_owned())
}

#[test]
fn validate_lists_every_problem_with_position_and_suggestion() {
    let r = TestRepo::new();
    let (code, stdout, stderr) = validate(
        &r,
        r#"version = 1

[defaults]
mode = "blok"

[patterns]
scpe = "added"

[hygiene]
max_pr_line = 10

[[waivers]]
rule = "patterns.no-dbg"
expires = "2026-12-01"
"#,
    );
    assert_eq!(code, 2);
    assert_eq!(stdout, "");
    insta::assert_snapshot!("unknown_keys_and_values", stderr);
}

#[test]
fn validate_names_the_rule_holding_a_bad_regex_or_glob() {
    let r = TestRepo::new();
    let (code, _, stderr) = validate(
        &r,
        r#"version = 1

[[patterns.forbid]]
id = "no-dbg"
pattern = 'dbg!\('
paths = ["src/[**"]

[[patterns.forbid]]
id = "bad-regex"
pattern = '(unclosed'

[[patterns.require]]
id = "no-dbg"
pattern = "x"

[[waivers]]
rule = "patterns.*"
reason = "x"
expires = "2026-13-40"
"#,
    );
    assert_eq!(code, 2);
    insta::assert_snapshot!("bad_regex_glob_and_date", stderr);
}

#[test]
fn validate_syntax_error_and_missing_version() {
    let r = TestRepo::new();
    let (code, _, stderr) = validate(&r, "[patterns\nforbid = 1\n");
    assert_eq!(code, 2);
    insta::assert_snapshot!("syntax_error", stderr);
    let (code, _, stderr) = validate(&r, "[hygiene]\nmax_pr_files = 3\n");
    assert_eq!(code, 2);
    insta::assert_snapshot!("missing_version", stderr);
    let (code, _, stderr) = validate(&r, "version = 2\n");
    assert_eq!(code, 2);
    assert!(stderr.contains("version"), "{stderr}");
}

#[test]
fn validate_accepts_a_good_policy_and_reports_its_digest() {
    let r = TestRepo::new();
    r.write("org/base.toml", "version = 1\n[hygiene]\nmax_pr_files = 50\n");
    let (code, stdout, stderr) = validate(
        &r,
        "version = 1\nextends = \"org/base.toml\"\n[[patterns.forbid]]\nid = \"no-dbg\"\npattern = 'dbg!'\n",
    );
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("ok (extends org/base.toml) · gates: patterns, hygiene"), "{stdout}");
    assert!(stdout.contains("sha256:"), "{stdout}");
    r.cmd().args(["validate", "missing.toml"]).assert().code(2).stderr(predicate::str::contains("missing.toml"));
}

#[test]
fn init_writes_a_policy_for_the_layout_and_refuses_to_overwrite() {
    let r = TestRepo::new();
    r.write("Cargo.toml", "[package]\nname = \"x\"\nversion = \"0.1.0\"\n");
    r.write("package.json", "{}\n");
    r.cmd().arg("init").assert().success();
    let written = std::fs::read_to_string(r.file("gates.toml")).unwrap();
    assert!(written.contains("version = 1"));
    assert!(written.contains("Cargo") && written.contains("npm"), "{written}");
    r.cmd().args(["validate", "gates.toml"]).assert().success();
    r.cmd().arg("init").assert().code(2).stderr(predicate::str::contains("already exists"));
    assert_eq!(std::fs::read_to_string(r.file("gates.toml")).unwrap(), written, "left untouched");
    r.cmd().args(["init", "--stdout"]).assert().success().stdout(predicate::str::contains("version = 1"));
}

#[test]
fn explain_describes_rules_and_suggests_close_ids() {
    let r = TestRepo::new();
    r.cmd()
        .args(["explain", "gatehouse.waiver-expired"])
        .assert()
        .success()
        .stdout(predicate::str::contains("expires").and(predicate::str::contains("Why")));
    r.cmd()
        .args(["explain", "gatehouse.waiver-expird"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("did you mean `gatehouse.waiver-expired`"));
    r.cmd().args(["explain", "all"]).assert().success().stdout(predicate::str::contains("hygiene.max-pr-lines"));
    // Rules defined by the policy are explained from it.
    r.write(
        "gates.toml",
        "version = 1\n[[patterns.forbid]]\nid = \"no-dbg\"\npattern = 'dbg!'\nhelp = \"use tracing\"\n",
    );
    r.cmd()
        .args(["explain", "patterns.no-dbg"])
        .assert()
        .success()
        .stdout(predicate::str::contains("use tracing").and(predicate::str::contains("dbg!")));
}

#[test]
fn schema_is_json_schema_that_accepts_the_starter_policies_and_rejects_typos() {
    let r = TestRepo::new();
    let out = r.cmd().arg("schema").output().unwrap();
    assert!(out.status.success());
    let schema: serde_json::Value = serde_json::from_slice(&out.stdout).expect("schema is JSON");
    let validator = jsonschema::validator_for(&schema).expect("schema compiles");
    let starter = r.cmd().args(["init", "--stdout"]).output().unwrap();
    let policy: toml::Value = toml::from_str(&String::from_utf8_lossy(&starter.stdout)).unwrap();
    let policy = serde_json::to_value(policy).unwrap();
    let errors: Vec<String> = validator.iter_errors(&policy).map(|e| e.to_string()).collect();
    assert!(errors.is_empty(), "{errors:?}");
    let typo = serde_json::json!({"version": 1, "hygiene": {"max_pr_line": 3}});
    assert!(!validator.is_valid(&typo), "deny_unknown_fields shows in the schema");
}

#[test]
fn example_policies_are_valid_and_current() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/policies");
    let mut n = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let r = TestRepo::new();
        let text = std::fs::read_to_string(&path).unwrap();
        let (code, _, stderr) = validate(&r, &text);
        assert_eq!(code, 0, "{}: {stderr}", path.display());
        n += 1;
    }
    assert_eq!(n, 5, "one example per ecosystem");
}
