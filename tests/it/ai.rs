//! `ai` gate end to end on real git repositories with trailers. Reviews need a forge; locally
//! there is none, so no-go paths report "needs approval" unless the approval label is present.
//! (Review logic against a fake `Forge` is unit-tested in `src/gates/ai/review.rs`.)

use crate::common::{TestRepo, gate, rules};

const POLICY: &str = r#"version = 1
[ai]
no_go = ["security/**", ".github/workflows/**"]
approval_label = "ai-approved"
"#;

fn repo(policy: &str) -> TestRepo {
    let r = TestRepo::new();
    r.write("gates.toml", policy)
        .write("src/lib.rs", "pub fn a() {}\n")
        .write("security/auth.rs", "pub fn check() -> bool { true }\n");
    r.commit("chore: base");
    r.branch("pr");
    r
}

fn run(r: &TestRepo, args: &[&str]) -> (i32, serde_json::Value) {
    r.json_report(&[&["--only", "ai"], args].concat())
}

fn details(report: &serde_json::Value) -> &serde_json::Value {
    &gate(report, "ai")["details"]
}

#[test]
fn recorded_model_and_reviewer_allow_the_change() {
    let r = repo(POLICY);
    r.write("src/lib.rs", "pub fn a() {}\npub fn b() {}\n");
    let sha = r.commit(
        "feat: add b\n\nAssisted-by: Claude:claude-sonnet-4-5 rustfmt\nAI-Inputs: issue #12, src/lib.rs\nReviewed-by: Alice Example <alice@example.com>",
    );
    r.write("src/lib.rs", "pub fn a() {}\npub fn b() {}\npub fn c() {}\n");
    r.commit("feat: add c by hand");
    let (code, report) = run(&r, &[]);
    assert_eq!((code, rules(&report)), (0, vec![]));
    let d = details(&report);
    assert_eq!(d["commits_checked"], 2);
    let changes = d["changes"].as_array().unwrap();
    assert_eq!(changes.len(), 1, "only the assisted commit is listed: {d:#}");
    let c = &changes[0];
    assert_eq!(c["commit"], sha.as_str());
    assert_eq!(c["assistant"], "Claude");
    assert_eq!(c["model"], "claude-sonnet-4-5");
    assert_eq!(c["tools"], serde_json::json!(["rustfmt"]));
    assert_eq!(c["inputs"], "issue #12, src/lib.rs");
    assert_eq!(c["reviewer"], "Alice Example <alice@example.com>");
    assert_eq!(c["no_go_files"], serde_json::json!([]));
    assert_eq!(c["decision"], "allowed");
    assert_eq!(c["why"], "touches no no-go path");
    assert_eq!(c["detected_by"][0], "trailer Assisted-by: Claude:claude-sonnet-4-5 rustfmt");
    assert!(d["approval"].is_null());
    let summary = &crate::common::summary(gate(&report, "ai"));
    assert!(summary.contains("| Claude | claude-sonnet-4-5 | Alice Example &lt;alice@example.com&gt; |"), "{summary}");
}

#[test]
fn co_author_assistants_are_detected_and_missing_fields_are_findings() {
    let r = repo(POLICY);
    r.write("src/lib.rs", "pub fn a() {}\npub fn b() {}\n");
    let sha = r.commit("feat: b\n\nCo-authored-by: Claude <noreply@anthropic.com>");
    r.write("src/lib.rs", "pub fn a() {}\npub fn b() {}\npub fn d() {}\n");
    r.commit("feat: d\n\nCo-authored-by: Jane Doe <jane@example.com>");
    let (code, report) = run(&r, &[]);
    assert_eq!(code, 1);
    assert_eq!(rules(&report), vec!["ai.missing-model", "ai.missing-reviewer"]);
    let f = &gate(&report, "ai")["findings"][0];
    let short = &sha[..12];
    assert!(f["message"].as_str().unwrap().contains(&format!("commit {short} (`feat: b`) is AI-assisted")), "{f}");
    assert!(f["help"].as_str().unwrap().contains("Model: <model>"));
    let changes = details(&report)["changes"].as_array().unwrap().clone();
    assert_eq!(changes.len(), 1, "a human co-author is not an assistant");
    assert_eq!(changes[0]["missing"], serde_json::json!(["model", "reviewer"]));
    assert_eq!(changes[0]["decision"], "blocked");

    // The PR body supplies the fields for every commit (aider-style model in the trailer wins).
    let body = "Adds b.\n\n## AI assistance\n- **Model:** claude-opus-4-1\n- **Reviewed-by:** @alice\n";
    let (code, report) = run(&r, &["--body", body]);
    assert_eq!((code, rules(&report)), (0, vec![]));
    let c = &details(&report)["changes"][0];
    assert_eq!((c["model"].as_str(), c["reviewer"].as_str()), (Some("claude-opus-4-1"), Some("@alice")));
}

#[test]
fn assistant_authors_and_self_review_do_not_pass() {
    let r = repo(POLICY);
    r.write("src/lib.rs", "pub fn a() {}\npub fn e() {}\n");
    r.git(&["add", "-A"]);
    r.git(&[
        "commit",
        "--quiet",
        "--author",
        "Copilot <198982749+Copilot@users.noreply.github.com>",
        "-m",
        "feat: e\n\nModel: gpt-5\nReviewed-by: Copilot <198982749+Copilot@users.noreply.github.com>",
    ]);
    r.write("src/lib.rs", "pub fn a() {}\npub fn e() {}\npub fn f() {}\n");
    r.commit("feat: f\n\nGenerated-by: aider (openai/gpt-4o)\nReviewed-by: Test <test@example.com>");
    let (code, report) = run(&r, &[]);
    assert_eq!(code, 1);
    let changes = details(&report)["changes"].as_array().unwrap().clone();
    assert_eq!(changes.len(), 2);
    assert_eq!(changes[0]["detected_by"][0], "author Copilot <198982749+Copilot@users.noreply.github.com>");
    assert_eq!(changes[0]["model"], "gpt-5");
    assert_eq!(changes[0]["missing"], serde_json::json!(["reviewer"]), "an assistant cannot be the reviewer");
    assert_eq!(changes[1]["model"], "openai/gpt-4o");
    assert_eq!(changes[1]["missing"], serde_json::json!(["reviewer"]), "the author cannot be the reviewer");
    let msgs: Vec<&str> =
        gate(&report, "ai")["findings"].as_array().unwrap().iter().map(|f| f["message"].as_str().unwrap()).collect();
    assert!(msgs.iter().all(|m| m.contains("does not count as reviewer")), "{msgs:?}");
}

#[test]
fn no_go_paths_need_approval_and_local_runs_say_so() {
    let r = repo(POLICY);
    r.write("security/auth.rs", "pub fn check() -> bool { false }\n");
    r.write("src/lib.rs", "pub fn a() {}\n// more\n");
    let sha = r.commit("fix: tighten auth\n\nAssisted-by: Cursor:gpt-5\nReviewed-by: Alice <alice@example.com>");
    let (code, report) = run(&r, &[]);
    assert_eq!(code, 1);
    assert_eq!(rules(&report), vec!["ai.no-go-approval"]);
    let f = &gate(&report, "ai")["findings"][0];
    assert_eq!(f["location"]["path"], "security/auth.rs");
    let msg = f["message"].as_str().unwrap();
    assert!(msg.starts_with("needs approval: AI-assisted change (commit "), "{msg}");
    assert!(msg.contains("`security/**`") && msg.contains("the label `ai-approved`"), "{msg}");
    assert!(msg.contains("local run"), "{msg}");
    let d = details(&report);
    assert_eq!(d["approval"]["state"], "needs-approval");
    assert_eq!(d["changes"][0]["commit"], sha.as_str());
    assert_eq!(d["changes"][0]["no_go_files"], serde_json::json!(["security/auth.rs"]));
    assert_eq!(d["changes"][0]["decision"], "blocked");

    // The named label approves; the record says so.
    let (code, report) = run(&r, &["--label", "AI-Approved"]);
    assert_eq!((code, rules(&report)), (0, vec![]));
    let d = details(&report);
    assert_eq!(d["approval"]["state"], "approved-by-label");
    assert_eq!(d["changes"][0]["decision"], "allowed");
    assert_eq!(d["changes"][0]["why"], "no-go paths approved by label `ai-approved`");

    // Without a label option the finding says only a review will do.
    let strict = "version = 1\n[ai]\nno_go = [\"security/**\"]\napproval_on_head = true\n";
    let r2 = repo(strict);
    r2.write("security/auth.rs", "x\n");
    r2.commit("fix: x\n\nAssisted-by: Cursor:gpt-5\nReviewed-by: Alice <alice@example.com>");
    let (_, report) = run(&r2, &["--label", "ai-approved"]);
    let msg = gate(&report, "ai")["findings"][0]["message"].as_str().unwrap().to_string();
    assert!(msg.contains("an approving review by a human other than the author on the head commit"), "{msg}");
}

#[test]
fn pr_level_declaration_by_label_or_body_section() {
    let r = repo(POLICY);
    r.write(".github/workflows/ci.yml", "on: push\n");
    r.commit("ci: workflow");
    // An unfilled template section declares nothing.
    let template = "Adds CI.\n\n## AI assistance\n<!-- which model, who reviewed -->\nModel:\nReviewed-by:\n";
    let (code, report) = run(&r, &["--body", template]);
    assert_eq!((code, rules(&report)), (0, vec![]));
    assert_eq!(details(&report)["changes"], serde_json::json!([]));

    // The label declares the whole PR AI-assisted; its no-go files need approval.
    let (code, report) = run(&r, &["--body", template, "--label", "ai-assisted"]);
    assert_eq!(code, 1);
    assert_eq!(rules(&report), vec!["ai.missing-model", "ai.missing-reviewer", "ai.no-go-approval"]);
    let c = &details(&report)["changes"][0];
    assert!(c["commit"].is_null());
    assert_eq!(c["detected_by"], serde_json::json!(["label ai-assisted"]));
    assert_eq!(c["no_go_files"], serde_json::json!([".github/workflows/ci.yml"]));

    let filled = "Adds CI.\n\n## AI assistance\nModel: gemini-2.5-pro\nReviewed-by: Bob <bob@example.com>\nInputs: the old Jenkinsfile\n";
    let (code, report) = run(&r, &["--body", filled, "--label", "ai-approved"]);
    assert_eq!((code, rules(&report)), (0, vec![]));
    let c = &details(&report)["changes"][0];
    assert_eq!(c["detected_by"], serde_json::json!(["PR body section `AI assistance`"]));
    assert_eq!((c["model"].as_str(), c["inputs"].as_str()), (Some("gemini-2.5-pro"), Some("the old Jenkinsfile")));
}

#[test]
fn decision_record_is_deterministic_and_fails_closed_without_commits() {
    let r = repo(POLICY);
    r.write("security/auth.rs", "y\n");
    r.commit("fix: y\n\nGenerated-by: ChatGPT");
    let a = r.check(&["--only", "ai", "--format", "json"]).output().unwrap().stdout;
    let b = r.check(&["--only", "ai", "--format", "json"]).output().unwrap().stdout;
    assert_eq!(a, b);

    let diff = r.git(&["diff", "main", "HEAD"]);
    r.write("change.diff", diff);
    let (code, report) = run(&r, &["--diff", "change.diff"]);
    assert_eq!(code, 3);
    assert_eq!(gate(&report, "ai")["conclusion"], "error");
}

#[test]
fn policy_needs_a_way_to_approve() {
    let r = repo(
        "version = 1\n[ai]\nno_go = [\"security/**\"]\nrequire_human_review = false\ntrailers = [\"Assisted by\"]\n",
    );
    let out = r.cmd().args(["validate", "gates.toml"]).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr).to_string();
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("set `approval_label`"), "{err}");
    assert!(err.contains("`Assisted by` is not a trailer key"), "{err}");
}

#[test]
fn hostile_and_non_utf8_messages_neither_hide_nor_forge_commits() {
    let r = repo(POLICY);
    r.write("src/lib.rs", "pub fn a() {}\npub fn g() {}\n");
    r.git(&["add", "-A"]);
    // Record/field separators of other log formats, Latin-1 bytes, then real trailers.
    let mut msg = b"feat: g \x1e\x1f caf\xe9\n\nBody \x1e fake\x1f.\n\n".to_vec();
    msg.extend_from_slice(b"Assisted-by: Gemini:gemini-2.5-pro\nReviewed-by: Alice <alice@example.com>\n");
    r.write(".git/MSG", msg);
    r.git(&["-c", "i18n.commitEncoding=ISO-8859-1", "commit", "--quiet", "-F", ".git/MSG"]);
    let (code, report) = run(&r, &[]);
    assert_eq!((code, rules(&report)), (0, vec![]));
    let d = details(&report);
    assert_eq!(d["commits_checked"], 1);
    assert_eq!(d["changes"][0]["model"], "gemini-2.5-pro");
    assert_eq!(d["changes"][0]["reviewer"], "Alice <alice@example.com>");
}
