//! `hygiene` gate end to end: PR metadata from flags (values taken from real GitHub
//! `pull_request` webhook payloads), commits, merges, large files and forbidden paths.

use crate::common::{TestRepo, gate, rules};

/// A repository whose `main` has `policy` and a little code, now on branch `pr`.
fn repo(policy: &str) -> TestRepo {
    let r = TestRepo::new();
    r.write("gates.toml", policy).write("src/lib.rs", "pub fn a() {}\n").write("CHANGELOG.md", "# Changelog\n");
    r.commit("chore: base");
    r.branch("pr");
    r
}

/// Title, body and labels of a real `pull_request` webhook payload (@octokit/webhooks-examples 7.6.1).
fn payload(name: &str) -> (String, String, Vec<String>) {
    let path = format!("{}/tests/data/hygiene/{name}", env!("CARGO_MANIFEST_DIR"));
    let v: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let pr = &v["pull_request"];
    let labels = pr["labels"].as_array().unwrap().iter().map(|l| l["name"].as_str().unwrap().to_string()).collect();
    (pr["title"].as_str().unwrap().to_string(), pr["body"].as_str().unwrap_or("").to_string(), labels)
}

fn pr_args(title: &str, body: &str, labels: &[String]) -> Vec<String> {
    let mut a = vec!["--title".to_string(), title.to_string(), "--body".to_string(), body.to_string()];
    for l in labels {
        a.push("--label".into());
        a.push(l.clone());
    }
    a
}

fn run(r: &TestRepo, args: &[String]) -> (i32, serde_json::Value) {
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    r.json_report(&[&["--only", "hygiene"], args.as_slice()].concat())
}

fn messages(report: &serde_json::Value, rule: &str) -> Vec<String> {
    gate(report, "hygiene")["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == rule)
        .map(|f| f["message"].as_str().unwrap().to_string())
        .collect()
}

const PR_POLICY: &str = r#"version = 1
[hygiene]
title = true
body_references = '#[0-9]+|REQ-[A-Z]+-[0-9]+'
labels = { one_of = ["bug", "enhancement"], forbidden = ["do-not-merge"] }
"#;

#[test]
fn real_payload_title_body_and_labels() {
    let r = repo(PR_POLICY);
    r.write("README.md", "new information\n");
    r.commit("docs: readme");

    // The payload as GitHub sent it: a free-form title and a body without a reference.
    let (title, body, labels) = payload("pull_request.opened.json");
    assert_eq!(labels, vec!["bug"]);
    let (code, report) = run(&r, &pr_args(&title, &body, &labels));
    assert_eq!(code, 1);
    assert_eq!(rules(&report), vec!["hygiene.body-reference", "hygiene.title"]);
    let title_msg = &messages(&report, "hygiene.title")[0];
    assert!(title_msg.contains("`Update the README with new information.`"), "{title_msg}");
    assert!(title_msg.contains("(feat|fix|docs"), "the message names the pattern: {title_msg}");
    let f = &gate(&report, "hygiene")["findings"][0];
    assert!(!f["help"].as_str().unwrap().is_empty());

    // Edited into shape: conventional title, an issue reference, still labelled `bug`.
    let title = "docs(readme): update the README with new information";
    let body = format!("{body}\n\nCloses #1347");
    let (code, report) = run(&r, &pr_args(title, &body, &labels));
    assert_eq!((code, rules(&report)), (0, vec![]));

    // The payload whose body is null, and labels edited: the kind label dropped, a blocker added.
    let (title, body, _) = payload("pull_request.opened.empty-body.json");
    assert_eq!(body, "");
    let (code, report) = run(&r, &pr_args(&title, "<!-- describe your change -->\n", &["do-not-merge".into()]));
    assert_eq!(code, 1);
    assert_eq!(
        rules(&report),
        vec!["hygiene.body-empty", "hygiene.label-forbidden", "hygiene.label-missing", "hygiene.title"]
    );
    assert!(messages(&report, "hygiene.label-missing")[0].contains("one of the labels `bug`, `enhancement`"));
    assert!(messages(&report, "hygiene.label-forbidden")[0].contains("`do-not-merge`"));
}

#[test]
fn local_run_takes_title_and_body_from_the_head_commit() {
    let r = repo(PR_POLICY);
    r.write("src/lib.rs", "pub fn a() {}\npub fn b() {}\n");
    r.commit("feat(lib): add b\n\nImplements REQ-LIB-2.");
    let (code, report) = run(&r, &["--label".into(), "enhancement".into()]);
    assert_eq!((code, rules(&report)), (0, vec![]));
    r.commit("Add more stuff");
    let (code, report) = run(&r, &["--label".into(), "Enhancement".into()]);
    assert_eq!(code, 1);
    assert_eq!(rules(&report), vec!["hygiene.body-empty", "hygiene.title"]);
}

#[test]
fn changelog_entry_required_when_code_changes() {
    let policy = "version = 1\n[hygiene]\nchangelog = { code = [\"src/**\"] }\n";
    let r = repo(policy);
    r.write("docs/guide.md", "text\n");
    r.commit("docs: guide");
    assert_eq!(run(&r, &[]).0, 0, "docs only: no entry needed");

    r.write("src/lib.rs", "pub fn a() {}\npub fn c() {}\n");
    r.commit("feat: c");
    let (code, report) = run(&r, &[]);
    assert_eq!(code, 1);
    let msg = &messages(&report, "hygiene.changelog")[0];
    assert!(msg.contains("`src/lib.rs`") && msg.contains("`CHANGELOG.md` has no new entry"), "{msg}");
    let help = gate(&report, "hygiene")["findings"][0]["help"].as_str().unwrap().to_string();
    assert!(help.contains("`no-changelog`"), "{help}");

    assert_eq!(run(&r, &["--label".into(), "no-changelog".into()]).0, 0);
    r.write("CHANGELOG.md", "# Changelog\n- Added `c`.\n");
    r.commit("docs: changelog");
    assert_eq!(run(&r, &[]).0, 0);
}

#[test]
fn commit_subjects_and_merges_from_the_base_branch() {
    let policy = "version = 1\n[hygiene]\ncommit_subject = true\nno_base_merges = true\n";
    let r = repo(policy);
    r.write("src/a.rs", "a\n");
    r.commit("feat: a");
    r.write("src/b.rs", "b\n");
    r.commit("wip");
    // Someone else's feature branch merged in is not the base branch.
    r.git(&["checkout", "--quiet", "-b", "other", "main"]);
    r.write("src/o.rs", "o\n");
    r.commit("feat: other");
    r.git(&["checkout", "--quiet", "pr"]);
    r.git(&["merge", "--quiet", "--no-ff", "-m", "Merge branch 'other'", "other"]);
    let (code, report) = run(&r, &[]);
    assert_eq!(code, 1);
    assert_eq!(rules(&report), vec!["hygiene.commit-subject"]);
    let msg = &messages(&report, "hygiene.commit-subject")[0];
    assert!(msg.contains("subject `wip`") && msg.contains("does not match `^(feat|fix"), "{msg}");

    // Now main moves on and is merged into the PR branch.
    r.git(&["checkout", "--quiet", "main"]);
    r.write("src/m.rs", "m\n");
    r.commit("fix: on main");
    r.git(&["checkout", "--quiet", "pr"]);
    r.git(&["merge", "--quiet", "--no-ff", "-m", "Merge branch 'main' into pr", "main"]);
    let (_, report) = run(&r, &[]);
    assert_eq!(rules(&report), vec!["hygiene.base-merge", "hygiene.commit-subject"]);
    assert!(messages(&report, "hygiene.base-merge")[0].contains("merges the base branch"));
    let metrics = &gate(&report, "hygiene")["metrics"];
    assert!(metrics.as_array().unwrap().iter().any(|m| m["name"] == "commits" && m["value"] == 5.0), "{metrics}");
}

#[test]
fn commit_rules_fail_closed_without_revisions() {
    let r = repo("version = 1\n[hygiene]\ncommit_subject = true\n");
    r.write("src/lib.rs", "pub fn a() {}\nfn x() {}\n");
    r.commit("wip");
    let diff = r.git(&["diff", "main", "HEAD"]);
    r.write("change.diff", diff);
    let (code, report) = run(&r, &["--diff".into(), "change.diff".into()]);
    assert_eq!(code, 3);
    assert_eq!(gate(&report, "hygiene")["conclusion"], "error");
    assert!(gate(&report, "hygiene")["error"].as_str().unwrap().contains("commits of the change are unknown"));
}

#[test]
fn large_files_and_forbidden_paths() {
    let policy = r#"version = 1
[hygiene]
max_file_size = "1 MB"
forbidden_paths = ["target/**", "node_modules/**", ".env", ".env.*"]
"#;
    let r = TestRepo::new();
    r.write("gates.toml", policy)
        .write("assets/big-at-base.bin", vec![7u8; 1_200_000])
        .write("assets/grows.bin", [1u8; 10]);
    r.commit("base");
    r.branch("pr");
    r.write("assets/big-at-base.bin", vec![8u8; 1_300_000]); // already over the cap: not new
    r.write("assets/grows.bin", vec![2u8; 2_000_000]);
    r.write("assets/new.bin", vec![3u8; 1_000_001]);
    r.write("assets/small.bin", vec![3u8; 1_000_000]); // exactly the cap is allowed
    r.write(".env", "API_TOKEN=placeholder\n");
    r.write("config/.env.local", "X=1\n");
    r.write("target/debug/app", "bin\n");
    r.write("src/env.rs", "// .env handling\n");
    r.commit("add files");
    let (code, report) = run(&r, &[]);
    assert_eq!(code, 1);
    let found: Vec<(String, String)> = gate(&report, "hygiene")["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["rule"].as_str().unwrap().into(), f["location"]["path"].as_str().unwrap().into()))
        .collect();
    let want: Vec<(String, String)> = [
        ("hygiene.forbidden-path", ".env"),
        ("hygiene.large-file", "assets/grows.bin"),
        ("hygiene.large-file", "assets/new.bin"),
        ("hygiene.forbidden-path", "config/.env.local"),
        ("hygiene.forbidden-path", "target/debug/app"),
    ]
    .iter()
    .map(|(a, b)| (a.to_string(), b.to_string()))
    .collect();
    assert_eq!(found, want);
    let large = messages(&report, "hygiene.large-file");
    assert!(large[0].contains("grows `assets/grows.bin` from 10 B to 2.0 MB (2000000 bytes)"), "{}", large[0]);
    assert!(
        large[1].contains("adds `assets/new.bin` with 1.0 MB (1000001 bytes); the policy allows 1.0 MB"),
        "{}",
        large[1]
    );
    assert!(messages(&report, "hygiene.forbidden-path")[2].contains("(`target/**`)"));
}

#[test]
fn policy_errors_name_the_key_and_rule() {
    let r = repo("version = 1\n[hygiene]\ntitle = '(feat'\nmax_file_size = \"lots\"\n");
    let out = r.cmd().args(["validate", "gates.toml"]).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr).to_string() + &String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("hygiene.title"), "{err}");
    assert!(err.contains("`lots` is not a size"), "{err}");
    assert!(err.contains("gates.toml:3"), "{err}");
}

#[test]
fn sizes_come_from_the_worktree_when_the_diff_is_a_file() {
    let r = repo("version = 1\n[hygiene]\nmax_file_size = 1000\nforbidden_paths = [\"dist/**\"]\n");
    r.write("dist/bundle.js", vec![b'x'; 1500]);
    r.write("src/ok.rs", "fn ok() {}\n");
    r.git(&["add", "-A"]);
    let diff = r.git(&["diff", "--cached", "main"]);
    r.write("change.diff", diff);
    let (code, report) = run(&r, &["--diff".into(), "change.diff".into()]);
    assert_eq!(code, 1);
    assert_eq!(rules(&report), vec!["hygiene.forbidden-path", "hygiene.large-file"]);
    assert!(messages(&report, "hygiene.large-file")[0].contains("adds `dist/bundle.js` with 1.5 KB (1500 bytes)"));
}
