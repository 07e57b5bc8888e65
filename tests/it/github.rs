//! GitHub mode against a local fake GitHub server whose request bodies are validated against
//! GitHub's own OpenAPI description; end to end with real webhook payloads.

use crate::common::TestRepo;
use crate::fake_github::{FakeGitHub, Fault};
use gatehouse::core::{Finding, Location, RuleInfo, Severity};
use gatehouse::forge::{Forge, ReviewState};
use gatehouse::github::checks::{self, CheckOutput};
use gatehouse::github::client::{ApiError, Client, RetryPolicy};
use gatehouse::github::{GitHubForge, files};
use serde_json::{Value, json};
use std::time::{Duration, Instant};

const TOKEN: &str = "ghs_SECRETtoken1234567890";

fn fast() -> RetryPolicy {
    RetryPolicy {
        max_attempts: 3,
        initial_backoff: Duration::from_millis(20),
        max_wait: Duration::from_secs(5),
        timeout: Duration::from_secs(5),
        deadline: Duration::from_secs(12),
        reserve: Duration::from_secs(2),
    }
}

fn findings(n: u32) -> Vec<Finding> {
    (1..=n)
        .map(|i| {
            let sev = [Severity::Error, Severity::Warning, Severity::Notice][i as usize % 3];
            RuleInfo::named("patterns.no-dbg", sev).finding(
                Some(Location::line("src/lib.rs", i)),
                format!("finding {i}"),
                "x",
            )
        })
        .collect()
}

#[test]
fn annotations_go_in_batches_of_50_and_the_last_request_completes_the_run() {
    let gh = FakeGitHub::start();
    let c = Client::new(&gh.url, TOKEN, fast());
    let id =
        checks::create_in_progress(&c, "o/r", "gatehouse", "ec26c3e57ca3a959ca5aad62de7213c562f8c821", "gatehouse")
            .unwrap();
    let fs = findings(137);
    let out = CheckOutput::new("Gatehouse failed".into(), "## summary", fs.iter(), "failure");
    checks::complete(&c, "o/r", id, &out).unwrap();

    let reqs = gh.requests();
    assert_eq!(
        gh.lines(),
        [
            "POST /repos/o/r/check-runs",
            "PATCH /repos/o/r/check-runs/1",
            "PATCH /repos/o/r/check-runs/1",
            "PATCH /repos/o/r/check-runs/1"
        ]
    );
    let counts: Vec<usize> =
        reqs[1..].iter().map(|r| r.body.as_ref().unwrap()["output"]["annotations"].as_array().unwrap().len()).collect();
    assert_eq!(gh.check_runs()[0]["status"], "completed");
    assert_eq!(counts, [50, 50, 37]);
    assert_eq!(reqs[0].body.as_ref().unwrap()["status"], "in_progress");
    assert!(reqs[1].body.as_ref().unwrap().get("status").is_none());
    assert_eq!(reqs[3].body.as_ref().unwrap()["status"], "completed");
    assert_eq!(reqs[3].body.as_ref().unwrap()["conclusion"], "failure");
    assert_eq!(reqs[1].body.as_ref().unwrap()["output"]["annotations"][0]["annotation_level"], "warning");
    assert!(reqs.iter().all(|r| r.authorization.as_deref() == Some(&format!("Bearer {TOKEN}")[..])));
    assert_eq!(gh.schema_errors(), Vec::<String>::new());
}

#[test]
fn the_schema_check_catches_oversized_batches() {
    // The fake server's validation is real: 51 annotations in one request break the schema.
    let annotations: Vec<Value> = (0..51)
        .map(|i| json!({"path": "a", "start_line": i + 1, "end_line": i + 1, "annotation_level": "notice", "message": "m"}))
        .collect();
    let body = json!({"output": {"title": "t", "summary": "s", "annotations": annotations}});
    let errs = crate::fake_github::validate_request("PATCH", "/repos/o/r/check-runs/1", Some(&body));
    assert!(!errs.is_empty());
    let bad = json!({"name": "x", "head_sha": "abc", "status": "completed", "conclusion": "maybe"});
    assert!(!crate::fake_github::validate_request("POST", "/repos/o/r/check-runs", Some(&bad)).is_empty());
}

#[test]
fn the_fake_answers_with_bodies_of_the_documented_shape() {
    let create = json!({"name": "g", "head_sha": "abc", "status": "in_progress"});
    let done = json!({"status": "completed", "conclusion": "failure"});
    let cases = [
        ("POST", "/repos/o/r/check-runs", create),
        ("PATCH", "/repos/o/r/check-runs/1", done),
        ("GET", "/repos/o/r/issues/2/comments", json!(null)),
        ("POST", "/repos/o/r/issues/2/comments", json!({"body": "b"})),
        ("PATCH", "/repos/o/r/issues/comments/7", json!({"body": "b"})),
        ("GET", "/repos/o/r/pulls/2/files", json!(null)),
        ("GET", "/repos/o/r/pulls/2/reviews", json!(null)),
        ("GET", "/orgs/acme/teams/security/members", json!(null)),
    ];
    for (method, path, body) in cases {
        let (status, answer) = crate::fake_github::default_answer(method, path, &body);
        assert!((200..300).contains(&status), "{method} {path}: {status}");
        assert_eq!(crate::fake_github::validate_response(method, path, status, &answer), Vec::<String>::new());
    }
    // And the response check can fail: a check run without its required fields.
    assert!(!crate::fake_github::validate_response("POST", "/repos/o/r/check-runs", 201, &json!({"id": 1})).is_empty());
}

#[test]
fn annotations_beyond_the_cap_are_counted_in_the_summary() {
    let fs = findings(checks::MAX_ANNOTATIONS as u32 + 7);
    let out = CheckOutput::new("t".into(), "s", fs.iter(), "failure");
    assert_eq!(out.annotations.len(), checks::MAX_ANNOTATIONS);
    assert!(out.summary.contains("7 findings are not shown as annotations"), "{}", out.summary);
}

#[test]
fn a_huge_summary_is_truncated_at_a_row_boundary_and_accepted_by_the_schema() {
    let gh = FakeGitHub::start();
    let c = Client::new(&gh.url, TOKEN, fast());
    let mut md = String::from(
        "## ❌ Gatehouse failed\n\n<details open><summary>g</summary>\n\n| | Rule | Location | Message |\n|---|---|---|---|\n",
    );
    for i in 0..4000 {
        md.push_str(&format!("| ❌ | `patterns.no-dbg` | `src/lib.rs:{i}` | dbg! left in code — ünïcödé |\n"));
    }
    md.push_str("</details>\n");
    let out = CheckOutput::new("t".into(), &md, std::iter::empty(), "failure");
    checks::complete(&c, "o/r", 9, &out).unwrap();
    let sent = gh.requests()[0].body.clone().unwrap();
    let summary = sent["output"]["summary"].as_str().unwrap();
    assert!(summary.chars().count() <= 65535 && summary.len() <= 65535);
    assert!(summary.lines().filter(|l| l.starts_with('|')).all(|l| l.ends_with('|')), "a table row was cut");
    assert!(summary.contains("_… truncated:"));
    assert_eq!(summary.matches("<details").count(), summary.matches("</details>").count());
    assert_eq!(gh.schema_errors(), Vec::<String>::new());
}

#[test]
fn server_errors_are_retried_within_bounds() {
    // A failed create is followed by a lookup (it may have been created), then created again.
    let gh = FakeGitHub::start();
    gh.script("POST", "/repos/o/r/check-runs", 502, &[], r#"{"message":"Bad Gateway"}"#, 2);
    let c = Client::new(&gh.url, TOKEN, fast());
    assert_eq!(checks::create_in_progress(&c, "o/r", "g", "abc", "gatehouse").unwrap(), 1);
    assert_eq!(
        gh.lines(),
        [
            "POST /repos/o/r/check-runs",
            "GET /repos/o/r/commits/abc/check-runs",
            "POST /repos/o/r/check-runs",
            "GET /repos/o/r/commits/abc/check-runs",
            "POST /repos/o/r/check-runs"
        ]
    );
    assert_eq!(gh.requests()[1].query, "check_name=g&filter=all&per_page=100");
    assert_eq!(gh.schema_errors(), Vec::<String>::new());

    let gh = FakeGitHub::start();
    gh.script("POST", "/repos/o/r/check-runs", 500, &[], r#"{"message":"boom"}"#, 100);
    let c = Client::new(&gh.url, TOKEN, fast());
    let t = Instant::now();
    let e = checks::create_in_progress(&c, "o/r", "g", "abc", "gatehouse").unwrap_err();
    assert_eq!(gh.lines().iter().filter(|l| l.starts_with("POST")).count(), 3, "max_attempts bounds the retries");
    assert!(t.elapsed() < Duration::from_secs(2));
    assert_eq!(e.status(), Some(500));

    // Idempotent requests (GET, PATCH) are retried by the client itself.
    let gh = FakeGitHub::start();
    gh.script("GET", "/repos/o/r/pulls/2/reviews", 503, &[], r#"{"message":"busy"}"#, 100);
    let c = Client::new(&gh.url, TOKEN, fast());
    let e = c.get::<Value>("/repos/o/r/pulls/2/reviews").unwrap_err();
    assert_eq!(gh.lines().len(), 3);
    assert!(e.to_string().contains("after 3 attempts"), "{e}");
}

/// Issue 21: a create whose answer was lost was retried and left duplicate check runs.
#[test]
fn a_create_whose_answer_was_lost_is_looked_up_not_repeated() {
    let gh = FakeGitHub::start();
    gh.fault("POST", "/repos/o/r/check-runs", None, Fault::HangAfter(Duration::from_secs(5)), 1);
    let mut policy = fast();
    policy.timeout = Duration::from_secs(1);
    let c = Client::new(&gh.url, TOKEN, policy);
    assert_eq!(checks::create_in_progress(&c, "o/r", "g", "abc", "gatehouse:7:1").unwrap(), 1);
    assert_eq!(gh.lines(), ["POST /repos/o/r/check-runs", "GET /repos/o/r/commits/abc/check-runs"]);
    assert_eq!(gh.check_runs().len(), 1);
    // Another run's check run of the same name (another external id) is not taken for ours.
    let gh = FakeGitHub::start();
    checks::create_in_progress(&Client::new(&gh.url, TOKEN, fast()), "o/r", "g", "abc", "gatehouse:6:1").unwrap();
    gh.fault("POST", "/repos/o/r/check-runs", None, Fault::CloseAfter, 1);
    let c = Client::new(&gh.url, TOKEN, fast());
    assert_eq!(checks::create_in_progress(&c, "o/r", "g", "abc", "gatehouse:7:1").unwrap(), 2);
    assert_eq!(gh.check_runs().len(), 2);
}

/// Issue 21: one refused annotation batch skipped the final "completed" request.
#[test]
fn a_refused_annotation_batch_still_completes_the_run_and_counts_the_dropped() {
    let gh = FakeGitHub::start();
    let c = Client::new(&gh.url, TOKEN, fast());
    let id = checks::create_in_progress(&c, "o/r", "gatehouse", "abc", "gatehouse").unwrap();
    gh.script(
        "PATCH",
        "/repos/o/r/check-runs/1",
        422,
        &[],
        r#"{"message":"Validation Failed","errors":[{"resource":"CheckRun","code":"invalid"}]}"#,
        1,
    );
    let fs = findings(120);
    let out = CheckOutput::new("Gatehouse failed".into(), "## summary", fs.iter(), "failure");
    let done = checks::complete(&c, "o/r", id, &out).unwrap();
    assert_eq!((done.annotations_sent, done.annotations_dropped), (0, 120));
    assert!(done.dropped_because.unwrap().contains("HTTP 422"));
    let reqs = gh.requests();
    let last = reqs.last().unwrap().body.clone().unwrap();
    assert_eq!((last["status"].as_str(), last["conclusion"].as_str()), (Some("completed"), Some("failure")));
    assert!(last["output"].get("annotations").is_none());
    assert!(last["output"]["summary"].as_str().unwrap().contains("120 of 120 annotations were dropped"));
    assert_eq!(gh.check_runs()[0]["status"], "completed");
    assert_eq!(gh.schema_errors(), Vec::<String>::new());
}

#[test]
fn rate_limits_honour_retry_after_and_give_up_beyond_the_budget() {
    let gh = FakeGitHub::start();
    gh.script("POST", "/repos/o/r/check-runs", 429, &[("Retry-After", "1")], r#"{"message":"slow down"}"#, 1);
    let c = Client::new(&gh.url, TOKEN, fast());
    let t = Instant::now();
    checks::create_in_progress(&c, "o/r", "g", "abc", "gatehouse").unwrap();
    assert!(t.elapsed() >= Duration::from_secs(1), "Retry-After was honoured");
    assert_eq!(gh.lines().len(), 2);

    // A secondary rate limit (403 + Retry-After) asking for an hour: give up at once.
    let gh = FakeGitHub::start();
    gh.script(
        "POST",
        "/repos/o/r/check-runs",
        403,
        &[("Retry-After", "3600")],
        r#"{"message":"secondary rate limit"}"#,
        5,
    );
    let c = Client::new(&gh.url, TOKEN, fast());
    let e = checks::create_in_progress(&c, "o/r", "g", "abc", "gatehouse").unwrap_err();
    assert!(matches!(e, ApiError::RateLimited { wait_secs: 3600, .. }), "{e}");
    assert!(!e.is_permission());
    assert_eq!(gh.lines().len(), 1);

    // The primary limit: remaining 0, reset far in the future.
    let gh = FakeGitHub::start();
    let reset =
        (std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() + 900).to_string();
    gh.script(
        "GET",
        "/repos/o/r/pulls/2/reviews",
        403,
        &[("x-ratelimit-remaining", "0"), ("x-ratelimit-reset", &reset)],
        r#"{"message":"API rate limit exceeded"}"#,
        5,
    );
    let c = Client::new(&gh.url, TOKEN, fast());
    let e = c.get::<Value>("/repos/o/r/pulls/2/reviews").unwrap_err();
    assert!(matches!(e, ApiError::RateLimited { status: 403, .. }), "{e}");

    // Issue 21: a secondary rate limit without any header, told by its documented message, is a
    // rate limit (GitHub asks for a minute), not a permission error.
    for status in [403, 429] {
        let gh = FakeGitHub::start();
        gh.script("POST", "/repos/o/r/check-runs", status, &[], SECONDARY, 5);
        let c = Client::new(&gh.url, TOKEN, fast());
        let e = checks::create_in_progress(&c, "o/r", "g", "abc", "gatehouse").unwrap_err();
        assert!(matches!(e, ApiError::RateLimited { wait_secs: 60, .. }) && !e.is_permission(), "{status}: {e}");
    }
}

const SECONDARY: &str = r#"{"message":"You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you reach out to GitHub Support for help, please include the request ID 1234.","documentation_url":"https://docs.github.com/free-pro-team@latest/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits"}"#;

#[test]
fn permission_errors_are_not_retried_and_never_show_the_token() {
    for status in [401u16, 403, 404] {
        let gh = FakeGitHub::start();
        let body = format!(r#"{{"message":"Resource not accessible by integration (token {TOKEN})"}}"#);
        gh.script("POST", "/repos/o/r/check-runs", status, &[], &body, 5);
        let c = Client::new(&gh.url, TOKEN, fast());
        let e = checks::create_in_progress(&c, "o/r", "g", "abc", "gatehouse").unwrap_err();
        assert_eq!(gh.lines().len(), 1, "{status} is not retried");
        assert!(e.is_permission());
        assert!(!e.to_string().contains(TOKEN) && e.to_string().contains("***"), "{e}");
        assert!(!format!("{e:?}").contains(TOKEN));
    }
    // A transport error (nothing listening) names the URL, not the token, after bounded retries.
    let c = Client::new("http://127.0.0.1:9", TOKEN, fast());
    let e = c.get::<Value>("/repos/o/r").unwrap_err();
    assert!(matches!(e, ApiError::Transport { .. }) && !e.to_string().contains(TOKEN), "{e}");
}

#[test]
fn the_sticky_comment_is_created_once_then_updated() {
    let gh = FakeGitHub::start();
    gh.add_comment("LGTM from a human");
    let c = Client::new(&gh.url, TOKEN, fast());
    let marker = checks::comment_marker("gatehouse");
    assert_eq!(checks::upsert_comment(&c, "o/r", 2, &marker, "## ❌ failed").unwrap(), "created");
    assert_eq!(checks::upsert_comment(&c, "o/r", 2, &marker, "## ✅ passed").unwrap(), "updated");
    assert_eq!(checks::upsert_comment(&c, "o/r", 2, &marker, "## ✅ passed again").unwrap(), "updated");
    let comments = gh.comments();
    assert_eq!(comments.len(), 2, "never duplicated");
    let ours: Vec<&Value> = comments.iter().filter(|c| c["body"].as_str().unwrap().contains(&marker)).collect();
    assert_eq!(ours.len(), 1);
    assert!(ours[0]["body"].as_str().unwrap().ends_with("## ✅ passed again"));
    assert_eq!(gh.lines().iter().filter(|l| l.starts_with("POST")).count(), 1);
    assert_eq!(gh.schema_errors(), Vec::<String>::new());
}

#[test]
fn ghes_base_url_and_absolute_pagination_links_work() {
    let gh = FakeGitHub::with_prefix("/api/v3");
    assert!(gh.url.ends_with("/api/v3"));
    gh.set_reviews(
        (0..130)
            .map(|i| json!({"id": i, "user": {"login": format!("u{i}")}, "state": if i == 129 { "APPROVED" } else { "COMMENTED" }, "commit_id": "abc"}))
            .collect(),
    );
    gh.set_members(vec![json!({"login": "alice"}), json!({"login": "bob"})]);
    let c = Client::new(&format!("{}/", gh.url), TOKEN, fast());
    let forge = GitHubForge::new(&c, "o/r", Some(2));
    let reviews = forge.reviews().unwrap();
    assert_eq!(reviews.len(), 130);
    assert_eq!(reviews[129].state, ReviewState::Approved);
    assert_eq!(forge.team_members("acme", "security").unwrap(), ["alice", "bob"]);
    assert!(forge.team_members("acme", "../x").is_err());
    let reqs = gh.requests();
    assert_eq!(
        gh.lines(),
        ["GET /repos/o/r/pulls/2/reviews", "GET /repos/o/r/pulls/2/reviews", "GET /orgs/acme/teams/security/members"]
    );
    assert_eq!(reqs[1].query, "per_page=100&page=2");
}

#[test]
fn pr_files_are_paginated_capped_at_3000_and_missing_patches_noted() {
    let gh = FakeGitHub::start();
    let mut files: Vec<Value> = (0..3005)
        .map(|i| {
            json!({"sha": "a", "filename": format!("src/f{i}.rs"), "status": "modified", "additions": 1, "deletions": 0, "changes": 1,
                   "blob_url": "", "raw_url": "", "contents_url": "",
                   "patch": format!("@@ -1,1 +1,2 @@\n line\n+added {i}")})
        })
        .collect();
    files[1] = json!({"sha": "b", "filename": "logo.png", "status": "added", "additions": 0, "deletions": 0, "changes": 0, "blob_url": "", "raw_url": "", "contents_url": ""});
    files[2] = json!({"sha": "c", "filename": "big.json", "status": "modified", "additions": 20000, "deletions": 0, "changes": 20000, "blob_url": "", "raw_url": "", "contents_url": ""});
    files[3] = json!({"sha": "d", "filename": "src/new.rs", "previous_filename": "src/old.rs", "status": "renamed", "additions": 1, "deletions": 0, "changes": 1, "blob_url": "", "raw_url": "", "contents_url": "", "patch": "@@ -1 +1,2 @@\n a\n+b"});
    gh.set_pr_files(files);
    let c = Client::new(&gh.url, TOKEN, fast());
    let (diff, notices) = files::pr_files_diff(&c, "o/r", 2, Some(3005)).unwrap();
    assert_eq!(gh.lines().len(), 30, "3000 files in pages of 100");
    let cs = gatehouse::diff::parse_diff(
        &diff,
        gatehouse::diff::Rev::unknown("base"),
        gatehouse::diff::Rev::unknown("head"),
    )
    .unwrap();
    assert_eq!(cs.files.len(), 3000);
    let renamed = cs.file("src/new.rs").unwrap();
    assert_eq!(renamed.old_path.as_deref(), Some("src/old.rs"));
    assert_eq!(cs.file("src/f0.rs").unwrap().added_lines().collect::<Vec<_>>(), [(2, "added 0")]);
    assert!(notices.iter().any(|n| n.contains("no patch for 1 file(s)") && n.contains("big.json")), "{notices:?}");
    assert!(
        notices.iter().any(|n| n.contains("at most 3000 files of a pull request and this one has 3005")),
        "{notices:?}"
    );
    // Exactly 3,000 files, as the event says: nothing is missing.
    gh.set_pr_files(
        (0..3000)
            .map(
                |i| json!({"filename": format!("f{i}"), "status": "added", "changes": 1, "patch": "@@ -0,0 +1 @@\n+x"}),
            )
            .collect(),
    );
    let (_, notices) = files::pr_files_diff(&c, "o/r", 2, Some(3000)).unwrap();
    assert!(notices.is_empty(), "{notices:?}");
}

// ---------------------------------------------------------------- end to end

const POLICY: &str = r#"version = 1

[[patterns.forbid]]
id = "no-dbg"
pattern = '\bdbg!\('
paths = ["**/*.rs"]
message = "dbg! left in code"
"#;

struct E2e {
    repo: TestRepo,
    base: String,
    head: String,
    tmp: tempfile::TempDir,
}

fn e2e_repo(bad_lines: usize) -> E2e {
    let r = TestRepo::new();
    r.write("gates.toml", POLICY).write("src/lib.rs", "pub fn a() {}\n");
    let base = r.commit("base");
    r.branch("pr");
    let extra: String = (0..bad_lines).map(|i| format!("fn f{i}() {{ dbg!({i}); }}\n")).collect();
    r.write("src/lib.rs", format!("pub fn a() {{}}\n{extra}"));
    let head = r.commit("Update the README with new information.");
    E2e { repo: r, base, head, tmp: tempfile::tempdir().unwrap() }
}

/// A real payload with the temp repository's SHAs in place of the example's.
fn payload(e: &E2e, name: &str, substitute: bool) -> std::path::PathBuf {
    let p = format!("{}/tests/data/github/webhooks/{name}", env!("CARGO_MANIFEST_DIR"));
    let mut text = std::fs::read_to_string(p).unwrap();
    if substitute {
        text = text
            .replace("f95f852bd8fca8fcc58a9a2d6c842781e32a215e", &e.base)
            .replace("ec26c3e57ca3a959ca5aad62de7213c562f8c821", &e.head);
    }
    let out = e.tmp.path().join("event.json");
    std::fs::write(&out, text).unwrap();
    out
}

fn actions_cmd(e: &E2e, gh: &FakeGitHub, event: &std::path::Path, comment: &str) -> assert_cmd::Command {
    let mut c = e.repo.cmd();
    c.arg("check")
        .env("GITHUB_ACTIONS", "true")
        .env("GITHUB_EVENT_NAME", "pull_request")
        .env("GITHUB_EVENT_PATH", event)
        .env("GITHUB_REPOSITORY", "Codertocat/Hello-World")
        .env("GITHUB_SHA", &e.head)
        .env("GITHUB_API_URL", &gh.url)
        .env("GITHUB_STEP_SUMMARY", e.tmp.path().join("summary.md"))
        .env("GITHUB_OUTPUT", e.tmp.path().join("output"))
        .env("INPUT_TOKEN", TOKEN)
        .env("INPUT_COMMENT", comment)
        .env("INPUT_REPORT-OUTPUT", e.tmp.path().join("report.json"));
    c
}

fn local_exit(e: &E2e) -> i32 {
    e.repo.check(&["--base", "main"]).output().unwrap().status.code().unwrap()
}

#[test]
fn e2e_pull_request_posts_the_exact_sequence_and_the_local_exit_code() {
    let e = e2e_repo(60);
    let gh = FakeGitHub::start();
    let event = payload(&e, "pull_request.opened.json", true);
    let out = actions_cmd(&e, &gh, &event, "always").output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(local_exit(&e)), "stderr: {stderr}");
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        gh.lines(),
        [
            "POST /repos/Codertocat/Hello-World/check-runs",
            "PATCH /repos/Codertocat/Hello-World/check-runs/1",
            "PATCH /repos/Codertocat/Hello-World/check-runs/1",
            "GET /repos/Codertocat/Hello-World/issues/2/comments",
            "POST /repos/Codertocat/Hello-World/issues/2/comments",
        ]
    );
    let reqs = gh.requests();
    let create = reqs[0].body.clone().unwrap();
    assert_eq!((create["head_sha"].as_str(), create["status"].as_str()), (Some(e.head.as_str()), Some("in_progress")));
    let last = reqs[2].body.clone().unwrap();
    assert_eq!((last["status"].as_str(), last["conclusion"].as_str()), (Some("completed"), Some("failure")));
    assert_eq!(last["output"]["annotations"].as_array().unwrap().len(), 10);
    assert_eq!(last["output"]["title"], "Gatehouse failed: 60 findings");
    assert_eq!(gh.schema_errors(), Vec::<String>::new());
    // No workflow commands when the check run carries the annotations.
    assert!(!String::from_utf8_lossy(&out.stdout).contains("::error file="));
    let outputs = std::fs::read_to_string(e.tmp.path().join("output")).unwrap();
    assert!(outputs.starts_with("verdict=fail\nreport-path="), "{outputs}");
    let summary = std::fs::read_to_string(e.tmp.path().join("summary.md")).unwrap();
    assert!(summary.contains("Gatehouse failed"));
    let report: Value =
        serde_json::from_str(&std::fs::read_to_string(e.tmp.path().join("report.json")).unwrap()).unwrap();
    assert_eq!(report["verdict"], "fail");
    assert!(!stderr.contains(TOKEN));

    // A second run updates the same comment instead of adding one.
    let out = actions_cmd(&e, &gh, &event, "always").output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(gh.comments().len(), 1);
    assert!(gh.lines().last().unwrap().starts_with("PATCH /repos/Codertocat/Hello-World/issues/comments/"));
}

#[test]
fn e2e_a_fork_falls_back_to_workflow_commands_with_the_same_exit_code() {
    let e = e2e_repo(3);
    let gh = FakeGitHub::start();
    let event = payload(&e, "pull_request.opened.fork.json", true);
    let out = actions_cmd(&e, &gh, &event, "always").output().unwrap();
    assert_eq!(out.status.code(), Some(local_exit(&e)));
    assert_eq!(gh.lines(), Vec::<String>::new(), "a fork's token cannot write: no API calls");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("::error file=src/lib.rs,line=2,endLine=2,col=11,endColumn=16,title=patterns.no-dbg::dbg! left in code%0A%0AChange the code"), "{stdout}");
    assert_eq!(stdout.matches("::error file=").count(), 3);
    // The human report runs with workflow commands stopped; they resume before the annotations.
    let stop = stdout.lines().find_map(|l| l.strip_prefix("::stop-commands::")).expect("commands stopped");
    let resume = stdout.find(&format!("::{stop}::")).expect("commands resumed");
    assert!(stdout.find("verdict: FAIL").unwrap() < resume && resume < stdout.find("::error file=").unwrap());
    let summary = std::fs::read_to_string(e.tmp.path().join("summary.md")).unwrap();
    assert!(summary.contains("comes from a fork"), "{summary}");
}

#[test]
fn e2e_a_read_only_token_falls_back_and_keeps_the_verdict() {
    let e = e2e_repo(2);
    let gh = FakeGitHub::start();
    gh.script(
        "POST",
        "/repos/Codertocat/Hello-World/check-runs",
        403,
        &[],
        r#"{"message":"Resource not accessible by integration"}"#,
        1,
    );
    let event = payload(&e, "pull_request.synchronize.json", true);
    let out = actions_cmd(&e, &gh, &event, "off").output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(gh.lines(), ["POST /repos/Codertocat/Hello-World/check-runs"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("::warning title=gatehouse::Could not create the check run"), "{stdout}");
    assert_eq!(stdout.matches("::error file=src/lib.rs").count(), 2);
}

#[test]
fn e2e_a_passing_change_completes_with_success() {
    let e = e2e_repo(0);
    let gh = FakeGitHub::start();
    let event = payload(&e, "pull_request.opened.json", true);
    let out = actions_cmd(&e, &gh, &event, "on-failure").output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    // on-failure with no earlier comment: nothing is posted, only looked up.
    assert_eq!(
        gh.lines(),
        [
            "POST /repos/Codertocat/Hello-World/check-runs",
            "PATCH /repos/Codertocat/Hello-World/check-runs/1",
            "GET /repos/Codertocat/Hello-World/issues/2/comments",
        ]
    );
    assert_eq!(gh.requests()[1].body.as_ref().unwrap()["conclusion"], "success");
}

#[test]
fn e2e_an_evaluation_error_still_completes_the_check_run() {
    let e = e2e_repo(1);
    let gh = FakeGitHub::start();
    let event = payload(&e, "pull_request.opened.json", true);
    let out = actions_cmd(&e, &gh, &event, "off").env("INPUT_POLICY", "missing/gates.toml").output().unwrap();
    let code = out.status.code();
    assert_eq!(code, Some(2), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(
        gh.lines(),
        ["POST /repos/Codertocat/Hello-World/check-runs", "PATCH /repos/Codertocat/Hello-World/check-runs/1"]
    );
    let done = gh.requests()[1].body.clone().unwrap();
    assert_eq!((done["status"].as_str(), done["conclusion"].as_str()), (Some("completed"), Some("failure")));
    assert!(done["output"]["summary"].as_str().unwrap().contains("missing/gates.toml"));
    let outputs = std::fs::read_to_string(e.tmp.path().join("output")).unwrap();
    assert!(outputs.starts_with("verdict=error\n"));
}

#[test]
fn e2e_without_the_base_in_the_checkout_the_pr_files_come_from_the_api() {
    // The unmodified payload: its SHAs are not in this repository (like a shallow checkout).
    let e = e2e_repo(1);
    let gh = FakeGitHub::start();
    gh.set_pr_files(vec![json!({
        "sha": "a", "filename": "src/lib.rs", "status": "modified", "additions": 1, "deletions": 0, "changes": 1,
        "blob_url": "", "raw_url": "", "contents_url": "",
        "patch": "@@ -1 +1,2 @@\n pub fn a() {}\n+fn f0() { dbg!(0); }"
    })]);
    let event = payload(&e, "pull_request.opened.json", false);
    let out = actions_cmd(&e, &gh, &event, "off").output().unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(
        gh.lines(),
        [
            "POST /repos/Codertocat/Hello-World/check-runs",
            "GET /repos/Codertocat/Hello-World/pulls/2/files",
            "PATCH /repos/Codertocat/Hello-World/check-runs/1",
        ]
    );
    let done = gh.requests()[2].body.clone().unwrap();
    assert_eq!(done["output"]["annotations"][0]["path"], "src/lib.rs");
    assert!(done["output"]["summary"].as_str().unwrap().contains("read from the GitHub API"));
}

#[test]
fn e2e_merge_group_takes_base_and_head_from_the_event_and_per_gate_checks_follow() {
    let e = e2e_repo(1);
    let gh = FakeGitHub::start();
    let p = format!("{}/tests/data/github/webhooks/merge_group.checks_requested.json", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(p)
        .unwrap()
        .replace("380387fbc80638b734a49e1be1c4dfec1c01b33c", &e.base)
        .replace("2ffea6db159f6b6c47a24e778fb9ef40cf6b1c7d", &e.head);
    let event = e.tmp.path().join("event.json");
    std::fs::write(&event, text).unwrap();
    let out = actions_cmd(&e, &gh, &event, "always")
        .env("GITHUB_EVENT_NAME", "merge_group")
        .env("INPUT_PER-GATE-CHECKS", "true")
        .env("INPUT_CHECK-NAME", "quality")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(local_exit(&e)));
    // No pull request in a merge group: no comment, whatever `comment` says.
    assert_eq!(
        gh.lines(),
        [
            "POST /repos/Codertocat/Hello-World/check-runs",
            "PATCH /repos/Codertocat/Hello-World/check-runs/1",
            "POST /repos/Codertocat/Hello-World/check-runs",
        ]
    );
    let reqs = gh.requests();
    let overall = reqs[0].body.clone().unwrap();
    assert_eq!((overall["name"].as_str(), overall["head_sha"].as_str()), (Some("quality"), Some(e.head.as_str())));
    let per_gate = reqs[2].body.clone().unwrap();
    assert_eq!(per_gate["name"], "quality / patterns");
    assert_eq!((per_gate["status"].as_str(), per_gate["conclusion"].as_str()), (Some("completed"), Some("failure")));
    assert_eq!(per_gate["output"]["annotations"].as_array().unwrap().len(), 1);
    assert_eq!(gh.schema_errors(), Vec::<String>::new());
    let report: Value =
        serde_json::from_str(&std::fs::read_to_string(e.tmp.path().join("report.json")).unwrap()).unwrap();
    assert_eq!(report["base"]["sha"].as_str(), Some(e.base.as_str()));
    assert_eq!(report["head"]["sha"].as_str(), Some(e.head.as_str()));
}

#[test]
fn e2e_a_shallow_checkout_is_deepened_to_reach_the_base() {
    let e = e2e_repo(2);
    let clone = e.tmp.path().join("clone");
    let url = format!("file://{}", e.repo.path().display());
    let st = std::process::Command::new("git")
        .args(["clone", "--quiet", "--depth", "1", "--branch", "pr", &url])
        .arg(&clone)
        .status()
        .unwrap();
    assert!(st.success());
    let gh = FakeGitHub::start();
    let event = payload(&e, "pull_request.opened.json", true);
    let mut c = actions_cmd(&e, &gh, &event, "off");
    c.current_dir(&clone);
    let out = c.output().unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stderr));
    // Deepened with git, so the PR files API was not needed.
    assert_eq!(
        gh.lines(),
        ["POST /repos/Codertocat/Hello-World/check-runs", "PATCH /repos/Codertocat/Hello-World/check-runs/1"]
    );
    let report: Value =
        serde_json::from_str(&std::fs::read_to_string(e.tmp.path().join("report.json")).unwrap()).unwrap();
    assert_eq!(report["base"]["sha"].as_str(), Some(e.base.as_str()));
    assert_eq!(report["policy"]["from"], "base");
    assert!(
        report["notices"].as_array().unwrap().iter().any(|n| n.as_str().unwrap().contains("was fetched")),
        "{report:#}"
    );
}

/// GitHub's documented review example, approving `commit`.
fn approving_review(commit: &str) -> Value {
    let spec: Value = serde_json::from_str(
        &std::fs::read_to_string(format!("{}/tests/data/github/checks-openapi.json", env!("CARGO_MANIFEST_DIR")))
            .unwrap(),
    )
    .unwrap();
    let mut review = spec["components"]["examples"]["pull-request-review-items"]["value"][0].clone();
    review["commit_id"] = commit.into();
    assert_eq!((review["state"].as_str(), review["user"]["login"].as_str()), (Some("APPROVED"), Some("octocat")));
    review
}

#[test]
fn e2e_ai_changes_in_no_go_paths_need_an_approving_review_read_from_the_api() {
    let r = TestRepo::new();
    r.write("gates.toml", "version = 1\n[ai]\nno_go = [\"src/auth/**\"]\napproval_on_head = true\n")
        .write("src/auth/mod.rs", "pub fn check() {}\n");
    let base = r.commit("base");
    r.branch("pr");
    r.write("src/auth/mod.rs", "pub fn check() -> bool { true }\n");
    let head = r.commit(
        "fix(auth): simpler check\n\nAssisted-by: Claude\nModel: claude-sonnet-4\nReviewed-by: Rita Reviewer <rita@example.com>",
    );
    let e = E2e { repo: r, base, head: head.clone(), tmp: tempfile::tempdir().unwrap() };
    let event = payload(&e, "pull_request.opened.json", true);

    // No review yet: the gate fails and the check run asks for action.
    let gh = FakeGitHub::start();
    gh.set_reviews(vec![]);
    let out = actions_cmd(&e, &gh, &event, "off").output().unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(gh.lines().contains(&"GET /repos/Codertocat/Hello-World/pulls/2/reviews".to_string()), "{:?}", gh.lines());
    let last = gh.requests().iter().rev().find(|q| q.method == "PATCH").unwrap().body.clone().unwrap();
    assert_eq!(last["conclusion"], "action_required", "{last:#}");
    let report: Value =
        serde_json::from_str(&std::fs::read_to_string(e.tmp.path().join("report.json")).unwrap()).unwrap();
    let ai = report["gates"].as_array().unwrap().iter().find(|g| g["gate"] == "ai").unwrap();
    assert_eq!(ai["findings"][0]["rule"], "ai.no-go-approval", "{ai:#}");

    // A human approval of the head commit, as the API returns it, lets it through.
    let gh = FakeGitHub::start();
    gh.set_reviews(vec![approving_review(&head)]);
    let out = actions_cmd(&e, &gh, &event, "off").output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let last = gh.requests().iter().rev().find(|q| q.method == "PATCH").unwrap().body.clone().unwrap();
    assert_eq!(last["conclusion"], "success");
    assert_eq!(gh.schema_errors(), Vec::<String>::new());

    // An approval of an older commit does not count with `approval_on_head`.
    let gh = FakeGitHub::start();
    gh.set_reviews(vec![approving_review(&e.base)]);
    assert_eq!(actions_cmd(&e, &gh, &event, "off").output().unwrap().status.code(), Some(1));
}

// ---------------------------------------------------------------- fault table

/// What a scenario's faults do to the request sequence.
struct Scenario {
    name: &'static str,
    /// `(method, path, body_contains, fault, times)`; paths are relative to the repository
    /// (`/check-runs`, `/check-runs/1`) or `*`.
    faults: Vec<(&'static str, &'static str, Option<&'static str>, Fault, usize)>,
    /// The check run is expected to be completed (else the workflow-command fallback is used).
    completed: bool,
}

fn scenarios(other_origin: &str) -> Vec<Scenario> {
    let hang = || Fault::Hang(Duration::from_secs(30));
    let a = |status, headers: &[(&str, &str)], body: &str| crate::fake_github::answer(status, headers, body);
    let echo = format!(r#"{{"message":"Bad credentials for token {TOKEN}"}}"#);
    let echo_500 = format!(r#"{{"message":"Internal error while handling {TOKEN}"}}"#);
    let redirect = format!("{other_origin}/repos/Codertocat/Hello-World/check-runs");
    let s = |name, faults, completed| Scenario { name, faults, completed };
    vec![
        s("500 on every request", vec![("*", "*", None, a(500, &[], r#"{"message":"boom"}"#), 1000)], false),
        s("502 once on create", vec![("POST", "/check-runs", None, a(502, &[], "Bad Gateway"), 1)], true),
        s(
            "503 twice on the completion",
            vec![("PATCH", "/check-runs/1", Some("\"status\":\"completed\""), a(503, &[], ""), 2)],
            true,
        ),
        s("401 with the token echoed", vec![("*", "*", None, a(401, &[], &echo), 1000)], false),
        s(
            "403 permission on create",
            vec![(
                "POST",
                "/check-runs",
                None,
                a(403, &[], r#"{"message":"Resource not accessible by integration"}"#),
                1,
            )],
            false,
        ),
        s(
            "403 permission on every update",
            vec![("PATCH", "*", None, a(403, &[], r#"{"message":"Resource not accessible by integration"}"#), 1000)],
            false,
        ),
        s(
            "429 with Retry-After: 1 on create",
            vec![("POST", "/check-runs", None, a(429, &[("Retry-After", "1")], r#"{"message":"slow down"}"#), 1)],
            true,
        ),
        s("429 without headers (secondary limit)", vec![("*", "*", None, a(429, &[], SECONDARY), 1000)], false),
        s("403 without headers (secondary limit)", vec![("*", "*", None, a(403, &[], SECONDARY), 1000)], false),
        s(
            "403 primary limit, reset in an hour",
            vec![(
                "*",
                "*",
                None,
                a(
                    403,
                    &[("x-ratelimit-remaining", "0"), ("x-ratelimit-reset", "4102444800")],
                    r#"{"message":"API rate limit exceeded"}"#,
                ),
                1000,
            )],
            false,
        ),
        s("create hangs, not created", vec![("POST", "/check-runs", None, hang(), 1000)], false),
        s(
            "create hangs after creating",
            vec![("POST", "/check-runs", None, Fault::HangAfter(Duration::from_secs(30)), 1)],
            true,
        ),
        s("completion hangs once", vec![("PATCH", "/check-runs/1", Some("\"status\":\"completed\""), hang(), 1)], true),
        s("every request hangs", vec![("*", "*", None, hang(), 1000)], false),
        s("connection closed on create", vec![("POST", "/check-runs", None, Fault::Close, 1)], true),
        s("connection closed after creating", vec![("POST", "/check-runs", None, Fault::CloseAfter, 1)], true),
        s("malformed body on create", vec![("POST", "/check-runs", None, Fault::Malformed, 1)], true),
        s(
            "truncated body on the completion",
            vec![("PATCH", "/check-runs/1", Some("\"status\":\"completed\""), Fault::Truncated, 1)],
            true,
        ),
        s(
            "422 on the first annotation batch",
            vec![(
                "PATCH",
                "/check-runs/1",
                Some("\"annotations\":["),
                a(422, &[], r#"{"message":"Validation Failed"}"#),
                1,
            )],
            true,
        ),
        s(
            "422 on every annotation batch",
            vec![(
                "PATCH",
                "/check-runs/1",
                Some("\"annotations\":["),
                a(422, &[], r#"{"message":"Validation Failed"}"#),
                1000,
            )],
            true,
        ),
        s("redirect to another origin", vec![("*", "*", None, a(307, &[("Location", &redirect)], ""), 1000)], false),
        s("500 echoing the token", vec![("*", "*", None, a(500, &[], &echo_500), 1000)], false),
    ]
}

/// Issue 21: for every API fault, the exit code and report are those of a healthy API, the token
/// is never printed, the check run ends completed (or, if it could not be written, the findings
/// are in the log as workflow commands), and the run stays within the API deadline.
#[test]
fn e2e_api_faults_never_change_the_verdict_or_leave_a_check_run_open() {
    const DEADLINE: f64 = 3.0;
    let e = e2e_repo(60);
    let event = payload(&e, "pull_request.opened.json", true);
    let strip = |r: &Value| json!({"verdict": r["verdict"], "gates": r["gates"].as_array().unwrap().iter().map(|g| json!({"gate": g["gate"], "conclusion": g["conclusion"], "findings": g["findings"]})).collect::<Vec<_>>()});

    let healthy = FakeGitHub::start();
    let out = actions_cmd(&e, &healthy, &event, "off").output().unwrap();
    let expected_code = out.status.code();
    assert_eq!(expected_code, Some(1));
    let report = |dir: &std::path::Path| -> Value {
        serde_json::from_str(&std::fs::read_to_string(dir.join("report.json")).unwrap()).unwrap()
    };
    let expected = strip(&report(e.tmp.path()));

    let elsewhere = FakeGitHub::start();
    let mut table = Vec::new();
    for sc in scenarios(&elsewhere.url) {
        let gh = FakeGitHub::start();
        for (method, path, contains, fault, times) in &sc.faults {
            let path = if *path == "*" { "*".to_string() } else { format!("/repos/Codertocat/Hello-World{path}") };
            gh.fault(method, &path, *contains, fault.clone(), *times);
        }
        let dir = tempfile::tempdir().unwrap();
        let t = Instant::now();
        let out = actions_cmd(&e, &gh, &event, "off")
            .env("INPUT_API-DEADLINE", DEADLINE.to_string())
            .env("GITHUB_STEP_SUMMARY", dir.path().join("summary.md"))
            .env("GITHUB_OUTPUT", dir.path().join("output"))
            .env("INPUT_REPORT-OUTPUT", dir.path().join("report.json"))
            .output()
            .unwrap();
        let elapsed = t.elapsed();
        let (stdout, stderr) = (String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
        let ctx = format!("{}\nstdout: {stdout}\nstderr: {stderr}\nrequests: {:?}", sc.name, gh.lines());
        assert_eq!(out.status.code(), expected_code, "{ctx}");
        assert_eq!(strip(&report(dir.path())), expected, "{ctx}");
        let files: Vec<String> = ["summary.md", "output", "report.json"]
            .iter()
            .map(|f| std::fs::read_to_string(dir.path().join(f)).unwrap_or_default())
            .collect();
        for text in [&stdout, &stderr].into_iter().map(|s| s.as_ref()).chain(files.iter().map(String::as_str)) {
            assert!(!text.contains(TOKEN), "the token was printed: {ctx}");
        }
        let runs = gh.check_runs();
        assert!(runs.len() <= 1, "duplicate check runs: {runs:?}\n{ctx}");
        let completed = runs.iter().all(|r| r["status"] == "completed") && !runs.is_empty();
        let fallback = stdout.matches("::error file=src/lib.rs").count() == 50;
        assert_eq!(completed, sc.completed, "{ctx}");
        assert!(completed || fallback, "neither completed nor fallen back: {ctx}");
        if sc.completed {
            assert_eq!(runs[0]["conclusion"], "failure", "{ctx}");
        }
        assert!(elapsed < Duration::from_secs_f64(DEADLINE + 6.0), "{:?}: {ctx}", elapsed);
        assert_eq!(gh.schema_errors(), Vec::<String>::new(), "{ctx}");
        if sc.name.contains("secondary") || sc.name.contains("primary") {
            assert!(stdout.contains("rate-limited") && !stdout.contains("may not write checks"), "{ctx}");
        }
        if sc.name.contains("annotation batch") {
            assert!(stdout.contains("annotations were dropped"), "{ctx}");
        }
        table.push(format!(
            "{:<40} {:>6.2}s  {}",
            sc.name,
            elapsed.as_secs_f64(),
            if completed { "completed" } else { "fallback" }
        ));
    }
    assert!(elsewhere.requests().is_empty(), "a redirect was followed: {:?}", elsewhere.requests());
    eprintln!("{}", table.join("\n"));
}
