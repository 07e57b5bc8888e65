//! `gatehouse check` end to end on real git repositories.

use crate::common::{TestRepo, gate, rules};
use predicates::prelude::*;

const POLICY: &str = r#"version = 1

[hygiene]
max_pr_files = 20

[[patterns.forbid]]
id = "no-dbg"
pattern = '\bdbg!\('
paths = ["**/*.rs"]
message = "dbg! left in code"

[[patterns.forbid]]
id = "no-todo"
pattern = 'TODO'
severity = "warning"
"#;

/// A repository whose `main` has the policy and a little code, now on branch `pr`.
fn repo_with_policy(policy: &str) -> TestRepo {
    let r = TestRepo::new();
    r.write("gates.toml", policy).write("src/lib.rs", "pub fn a() {}\n").write("README.md", "# demo\n");
    r.commit("base");
    r.branch("pr");
    r
}

#[test]
fn failing_gate_blocks_with_exit_1_and_points_at_the_line() {
    let r = repo_with_policy(POLICY);
    r.write("src/lib.rs", "pub fn a() {}\npub fn b(x: i32) -> i32 {\n    dbg!(x)\n}\n");
    r.commit("add b");
    let (code, report) = r.json_report(&[]);
    assert_eq!(code, 1);
    assert_eq!(report["verdict"], "fail");
    let f = &gate(&report, "patterns")["findings"][0];
    assert_eq!(f["rule"], "patterns.no-dbg");
    assert_eq!(f["location"]["path"], "src/lib.rs");
    assert_eq!(f["location"]["start_line"], 3);
    assert_eq!(f["location"]["start_col"], 5);
    assert_eq!(gate(&report, "hygiene")["conclusion"], "pass");
    assert_eq!(report["policy"]["from"], "base");
}

#[test]
fn warnings_do_not_fail_unless_fail_on_says_so() {
    let r = repo_with_policy(POLICY);
    r.write("src/lib.rs", "pub fn a() {} // TODO: more\n");
    r.commit("todo");
    let (code, report) = r.json_report(&[]);
    assert_eq!((code, rules(&report)), (0, vec!["patterns.no-todo".to_string()]));
    let (code, _) = r.json_report(&["--fail-on", "warning"]);
    assert_eq!(code, 1);
}

#[test]
fn renames_binary_deleted_non_utf8_and_crlf_files() {
    let r = TestRepo::new();
    r.write("gates.toml", POLICY);
    r.write("src/old_name.rs", (1..=30).map(|i| format!("pub fn f{i}() {{}}\n")).collect::<String>());
    r.write("docs/gone.md", "bye\n");
    r.commit("base");
    r.branch("pr");
    r.git(&["mv", "src/old_name.rs", "src/new_name.rs"]);
    let mut renamed = std::fs::read_to_string(r.file("src/new_name.rs")).unwrap();
    renamed.push_str("pub fn g() { dbg!(1); }\n");
    r.write("src/new_name.rs", renamed);
    r.write("assets/logo.png", [0x89, b'P', b'N', b'G', 0, 0, 0, 13, b'I', b'H', b'D', b'R', 0xff, 0]);
    r.remove("docs/gone.md");
    r.write("src/latin1.rs", b"// caf\xe9\nfn x() { dbg!(2); }\n");
    r.write("src/crlf.rs", "fn a() {}\r\nfn b() { dbg!(3); }\r\n");
    r.commit("mixed change");
    let (code, report) = r.json_report(&[]);
    assert_eq!(code, 1, "{report:#}");
    assert_eq!(report["stats"]["files"], 5);
    let locs: Vec<String> = gate(&report, "patterns")["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| format!("{}:{}", f["location"]["path"].as_str().unwrap(), f["location"]["start_line"]))
        .collect();
    assert_eq!(locs, vec!["src/crlf.rs:2", "src/latin1.rs:2", "src/new_name.rs:31"]);
}

#[test]
fn empty_change_passes() {
    let r = repo_with_policy(POLICY);
    r.commit("nothing");
    let (code, report) = r.json_report(&[]);
    assert_eq!(code, 0);
    assert_eq!(report["stats"]["files"], 0);
    assert_eq!(report["verdict"], "pass");
}

#[test]
fn mode_change_only() {
    let r = repo_with_policy(POLICY);
    r.git(&["update-index", "--chmod=+x", "src/lib.rs"]);
    r.git(&["commit", "-q", "-m", "chmod"]);
    let (code, report) = r.json_report(&[]);
    assert_eq!((code, report["stats"]["files"].as_u64()), (0, Some(1)));
}

#[test]
fn a_pr_cannot_weaken_its_own_gates() {
    let r = repo_with_policy(POLICY);
    r.write("gates.toml", "version = 1\n");
    r.write("src/lib.rs", "fn x() { dbg!(1); }\n");
    r.commit("sneaky");
    let (code, report) = r.json_report(&[]);
    assert_eq!(code, 1);
    let notices = report["notices"].as_array().unwrap();
    assert!(notices.iter().any(|n| n.as_str().unwrap().contains("edits the policy")), "{notices:?}");
    // Explicitly asking for the head's policy is possible, and recorded.
    let (code, report) = r.json_report(&["--policy-from", "head"]);
    assert_eq!((code, report["policy"]["from"].as_str()), (0, Some("head")));
}

#[test]
fn base_without_policy_falls_back_to_worktree_with_a_notice() {
    let r = TestRepo::new();
    r.write("src/lib.rs", "fn a() {}\n");
    r.commit("base");
    r.branch("pr");
    r.write("gates.toml", POLICY).write("src/lib.rs", "fn a() { dbg!(1); }\n");
    r.commit("add policy");
    let (code, report) = r.json_report(&[]);
    assert_eq!(code, 1);
    assert_eq!(report["policy"]["from"], "worktree");
    assert!(report["notices"][0].as_str().unwrap().contains("no `gates.toml`"));
}

#[test]
fn missing_policy_everywhere_is_a_usage_error() {
    let r = TestRepo::new();
    r.write("a.txt", "a\n");
    r.commit("base");
    r.check(&[]).assert().code(2).stderr(predicate::str::contains("gatehouse init"));
}

#[test]
fn explicit_base_and_head() {
    let r = repo_with_policy(POLICY);
    let first = r.commit("empty");
    r.write("src/lib.rs", "fn x() { dbg!(1); }\n");
    r.commit("dbg");
    let (code, _) = r.json_report(&["--base", "main", "--head", &first]);
    assert_eq!(code, 0);
    r.check(&["--base", "no-such-branch"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("unknown revision `no-such-branch`"));
}

#[test]
fn default_base_must_exist() {
    let r = TestRepo::new();
    r.git(&["checkout", "-q", "-b", "trunk"]);
    r.write("gates.toml", POLICY);
    r.commit("base");
    r.check(&[]).assert().code(2).stderr(predicate::str::contains("pass --base"));
}

#[test]
fn diff_from_stdin_and_file_outside_git() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("gates.toml"), POLICY).unwrap();
    std::fs::create_dir_all(dir.path().join("src")).unwrap();
    std::fs::write(dir.path().join("src/a.rs"), "fn a() {\n    dbg!(1);\n}\n").unwrap();
    let diff = "--- a/src/a.rs\n+++ b/src/a.rs\n@@ -1,2 +1,3 @@\n fn a() {\n+    dbg!(1);\n }\n";
    let mut cmd = assert_cmd::Command::cargo_bin("gatehouse").unwrap();
    let out = cmd
        .current_dir(dir.path())
        .args(["check", "--diff", "-", "--format", "json", "--no-timings"])
        .write_stdin(diff)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stderr));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["policy"]["from"], "worktree");
    assert_eq!(gate(&report, "patterns")["findings"][0]["location"]["start_line"], 2);
    std::fs::write(dir.path().join("change.diff"), diff).unwrap();
    let mut cmd = assert_cmd::Command::cargo_bin("gatehouse").unwrap();
    cmd.current_dir(dir.path()).args(["check", "--diff", "change.diff"]).assert().code(1);
}

#[test]
fn corrupt_or_missing_diff_is_a_clear_error() {
    let r = repo_with_policy(POLICY);
    r.write("bad.diff", "diff --git a/x b/x\n--- a/x\n+++ b/x\n@@ -1,5 +1,5 @@\n a\n");
    r.check(&["--diff", "bad.diff"]).assert().code(2).stderr(predicate::str::contains("ends inside the hunk"));
    r.check(&["--diff", "missing.diff"]).assert().code(2).stderr(predicate::str::contains("missing.diff"));
}

#[test]
fn paths_in_a_diff_cannot_escape_the_repository() {
    let r = repo_with_policy(
        "version = 1\n[patterns]\nscope = \"all\"\n[[patterns.forbid]]\nid = \"x\"\npattern = \"x\"\n",
    );
    let diff = "--- a/../outside.txt\n+++ b/../outside.txt\n@@ -1 +1 @@\n-a\n+x\n";
    r.write("escape.diff", diff);
    let out = r.check(&["--diff", "escape.diff", "--format", "json"]).output().unwrap();
    assert_eq!(out.status.code(), Some(3), "a gate that cannot read must fail closed");
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(gate(&report, "patterns")["error"].as_str().unwrap().contains("not inside the repository"));
}

#[cfg(unix)]
#[test]
fn symlinks_out_of_the_repository_are_refused() {
    let r = repo_with_policy(
        "version = 1\n[patterns]\nscope = \"all\"\n[[patterns.forbid]]\nid = \"x\"\npattern = \"root\"\n",
    );
    std::os::unix::fs::symlink("/etc/passwd", r.file("link.txt")).unwrap();
    r.write("link.diff", "--- /dev/null\n+++ b/link.txt\n@@ -0,0 +1 @@\n+/etc/passwd\n");
    let out = r.check(&["--diff", "link.diff", "--format", "json"]).output().unwrap();
    assert_eq!(out.status.code(), Some(3));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(gate(&report, "patterns")["error"].as_str().unwrap().contains("symbolic link"), "{report:#}");
}

#[test]
fn on_error_warn_lets_a_broken_gate_pass_visibly() {
    let r = repo_with_policy(
        "version = 1\n[patterns]\nscope = \"all\"\non_error = \"warn\"\n[[patterns.forbid]]\nid = \"x\"\npattern = \"x\"\n",
    );
    r.write("escape.diff", "--- a/../o.txt\n+++ b/../o.txt\n@@ -1 +1 @@\n-a\n+x\n");
    let out = r.check(&["--diff", "escape.diff", "--format", "json"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(gate(&report, "patterns")["conclusion"], "error");
}

#[test]
fn warn_mode_never_blocks() {
    let r = repo_with_policy(&POLICY.replace("[hygiene]", "[patterns]\nmode = \"warn\"\n\n[hygiene]"));
    r.write("src/lib.rs", "fn x() { dbg!(1); }\n");
    r.commit("dbg");
    let (code, report) = r.json_report(&[]);
    assert_eq!((code, gate(&report, "patterns")["conclusion"].as_str()), (0, Some("fail")));
}

#[test]
fn off_mode_skips_the_gate() {
    let r = repo_with_policy(&POLICY.replace("[hygiene]", "[patterns]\nmode = \"off\"\n\n[hygiene]"));
    r.write("src/lib.rs", "fn x() { dbg!(1); }\n");
    r.commit("dbg");
    let (code, report) = r.json_report(&[]);
    assert_eq!((code, gate(&report, "patterns")["conclusion"].as_str()), (0, Some("skipped")));
}

#[test]
fn only_runs_the_named_gates() {
    let r = repo_with_policy(POLICY);
    r.write("src/lib.rs", "fn x() { dbg!(1); }\n");
    r.commit("dbg");
    let (code, report) = r.json_report(&["--only", "hygiene"]);
    assert_eq!(code, 0);
    assert_eq!(report["gates"].as_array().unwrap().len(), 1);
    r.check(&["--only", "hygeine"]).assert().code(2).stderr(predicate::str::contains("no such gate"));
}

#[test]
fn scope_changed_files_and_all() {
    let r = repo_with_policy(POLICY);
    r.write("src/lib.rs", "fn a() { dbg!(0); }\n");
    r.commit("old dbg on main");
    r.git(&["checkout", "-q", "main"]);
    r.git(&["merge", "-q", "--ff-only", "pr"]);
    r.git(&["checkout", "-q", "pr"]);
    r.write("src/lib.rs", "fn a() { dbg!(0); }\nfn b() {}\n");
    r.commit("touch file");
    assert_eq!(r.json_report(&[]).0, 0, "the old line is not added by this PR");
    r.write("gates.toml", POLICY.replace("version = 1", "version = 1\n[defaults]\nscope = \"changed-files\""));
    r.commit("scope");
    assert_eq!(r.json_report(&["--policy-from", "head"]).0, 1, "changed-files scope sees the whole file");
}

#[test]
fn waivers_and_inline_suppressions_are_applied_and_recorded() {
    let policy = format!(
        "{POLICY}\n[[waivers]]\nrule = \"patterns.no-dbg\"\npath = \"src/legacy/**\"\nreason = \"legacy\"\nexpires = \"2026-12-31\"\n\n[[waivers]]\nrule = \"patterns\"\nreason = \"old\"\nexpires = \"2026-01-01\"\n"
    );
    let r = repo_with_policy(&policy);
    r.write("src/legacy/a.rs", "fn a() { dbg!(1); }\n");
    r.write("src/b.rs", "// gatehouse: allow(patterns.no-dbg) needed while debugging CI\nfn b() { dbg!(2); }\n");
    r.write("src/c.rs", "fn c() { dbg!(3); } // gatehouse: allow(patterns.no-dbg)\n");
    r.commit("mixed");
    let (code, report) = r.json_report(&[]);
    assert_eq!(code, 1, "c.rs has a suppression without reason");
    let g = gate(&report, "patterns");
    let kept: Vec<&str> =
        g["findings"].as_array().unwrap().iter().map(|f| f["location"]["path"].as_str().unwrap()).collect();
    assert_eq!(kept, vec!["src/c.rs"]);
    let by: Vec<&str> = g["suppressed"].as_array().unwrap().iter().map(|s| s["by"]["kind"].as_str().unwrap()).collect();
    assert_eq!(by, vec!["inline", "waiver"]);
    let meta = rules(&report);
    assert!(meta.contains(&"gatehouse.suppression-without-reason".to_string()), "{meta:?}");
    assert!(meta.contains(&"gatehouse.waiver-expired".to_string()), "{meta:?}");
    let waivers = report["waivers"].as_array().unwrap();
    assert_eq!((waivers[0]["used"].as_u64(), waivers[0]["expired"].as_bool()), (Some(1), Some(false)));
    assert_eq!((waivers[1]["used"].as_u64(), waivers[1]["expired"].as_bool()), (Some(0), Some(true)));
}

#[test]
fn several_outputs_at_once_and_valid_sarif() {
    let r = repo_with_policy(POLICY);
    r.write("src/lib.rs", "fn x() { dbg!(1); }\n// TODO\n");
    r.commit("dbg");
    let dir = tempfile::tempdir().unwrap();
    let json = dir.path().join("r.json");
    let sarif = dir.path().join("r.sarif");
    let md = dir.path().join("summary.md");
    let txt = dir.path().join("sarif-as-text.out");
    r.check(&[
        "-o",
        json.to_str().unwrap(),
        "-o",
        sarif.to_str().unwrap(),
        "-o",
        md.to_str().unwrap(),
        "-o",
        &format!("sarif={}", txt.display()),
    ])
    .assert()
    .code(1)
    .stdout(predicate::str::contains("verdict: FAIL"));
    let json: serde_json::Value = serde_json::from_slice(&std::fs::read(json).unwrap()).unwrap();
    assert_eq!(json["verdict"], "fail");
    assert!(std::fs::read_to_string(md).unwrap().contains("| `patterns` | block | ❌ fail |"));
    let sarif_bytes = std::fs::read(&sarif).unwrap();
    let sarif: serde_json::Value = serde_json::from_slice(&sarif_bytes).unwrap();
    // The published schema's `run.language` pattern has a stray `]` that strict regex engines
    // reject when compiling the schema; we never emit `language`, so it is repaired here.
    let schema_text = include_str!("../data/sarif-2.1.0-rtm.5.json")
        .replace(r#""^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$""#, r#""^[a-zA-Z]{2}(-[a-zA-Z]{2})?$""#);
    let schema: serde_json::Value = serde_json::from_str(&schema_text).expect("schema parses");
    let validator = jsonschema::validator_for(&schema).expect("schema compiles");
    let errors: Vec<String> =
        validator.iter_errors(&sarif).map(|e| format!("{} at {}", e, e.instance_path())).collect();
    assert!(errors.is_empty(), "SARIF invalid: {errors:#?}");
    let mut broken = sarif.clone();
    broken["runs"][0]["results"][0]["level"] = "fatal".into();
    assert!(!validator.is_valid(&broken), "the schema check must be able to fail");
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    assert_eq!(results.len(), 2);
    assert_eq!(results[0]["locations"][0]["physicalLocation"]["region"]["startLine"], 1);
    assert!(sarif["runs"][0]["tool"]["driver"]["rules"][0]["help"]["text"].is_string());
    assert_eq!(std::fs::read(txt).unwrap(), sarif_bytes);
    r.check(&["-o", "report.unknown"]).assert().code(2).stderr(predicate::str::contains("FORMAT=FILE"));
}

#[test]
fn json_report_is_deterministic() {
    let r = repo_with_policy(POLICY);
    r.write("src/lib.rs", "fn x() { dbg!(1); }\n// TODO\n");
    r.write("src/z.rs", "fn z() { dbg!(1); }\n");
    r.commit("dbg");
    let run = || r.check(&["--format", "json"]).output().unwrap().stdout;
    let first = run();
    assert!(!first.is_empty());
    for _ in 0..3 {
        assert_eq!(run(), first);
    }
}

#[test]
fn logs_go_to_stderr_never_stdout() {
    let r = repo_with_policy(POLICY);
    r.commit("empty");
    let out = r.check(&["--format", "json", "--log-level", "debug"]).output().unwrap();
    assert!(serde_json::from_slice::<serde_json::Value>(&out.stdout).is_ok());
    assert!(String::from_utf8_lossy(&out.stderr).contains("diff parsed"));
}

#[test]
fn human_report_has_colour_only_when_asked() {
    let r = repo_with_policy(POLICY);
    r.write("src/lib.rs", "fn x() { dbg!(1); }\n");
    r.commit("dbg");
    let plain = r.check(&[]).output().unwrap().stdout;
    assert!(!plain.contains(&0x1b));
    let coloured = r.check(&["--color", "always"]).output().unwrap().stdout;
    assert!(coloured.contains(&0x1b));
    let text = String::from_utf8(plain).unwrap();
    assert!(text.contains("error[patterns.no-dbg] src/lib.rs:1:10: dbg! left in code"), "{text}");
}

#[test]
fn extends_is_read_from_the_same_revision() {
    let r = TestRepo::new();
    r.write("gates.toml", "version = 1\nextends = \"policies/org.toml\"\n");
    r.write("policies/org.toml", "[[patterns.forbid]]\nid = \"no-dbg\"\npattern = 'dbg!'\n");
    r.write("src/a.rs", "\n");
    r.commit("base");
    r.branch("pr");
    r.write("policies/org.toml", "");
    r.write("src/a.rs", "dbg!(1);\n");
    r.commit("weaken the org policy and add dbg");
    let (code, report) = r.json_report(&[]);
    assert_eq!(code, 1);
    assert_eq!(report["policy"]["extends"][0], "policies/org.toml");
}

#[test]
fn inline_suppressions_work_outside_the_diff_hunks_too() {
    // scope = "all" reports an untouched line far from any hunk: the marker is read from the file.
    let policy = "version = 1\n[patterns]\nscope = \"all\"\n[[patterns.forbid]]\nid = \"no-dbg\"\npattern = 'dbg!'\n";
    let r = repo_with_policy(policy);
    let mut old: String = (0..30).map(|i| format!("// line {i}\n")).collect();
    old.push_str("// gatehouse: allow(patterns.no-dbg) kept for the demo binary\nfn d() { dbg!(1); }\n");
    r.write("src/old.rs", &old);
    r.commit("old code");
    r.git(&["checkout", "-q", "-B", "main"]);
    r.branch("pr2");
    r.write("src/old.rs", format!("// new first line\n{old}"));
    r.commit("touch the top");
    let (code, report) = r.json_report(&["--base", "main"]);
    assert_eq!(code, 0, "{report:#}");
    let g = gate(&report, "patterns");
    assert_eq!(g["suppressed"][0]["by"]["kind"], "inline", "{g:#}");
    assert_eq!(g["suppressed"][0]["finding"]["location"]["start_line"], 33, "{g:#}");
}

/// Issue 21: `git mv src/ééé src/xy` made the diff header parser slice inside `é` (exit 101).
#[test]
fn non_ascii_rename_does_not_panic() {
    let r = repo_with_policy(POLICY);
    r.write("src/ééé", "pub fn renamed() {}\n");
    r.commit("non-ascii name");
    r.git(&["branch", "-f", "main"]);
    r.git(&["mv", "src/ééé", "src/xy"]);
    r.write("src/xy", "pub fn renamed() {}\n// TODO: more\n");
    r.commit("rename");
    let (code, report) = r.json_report(&[]);
    assert_eq!(code, 0, "{report:#}");
    let f = &gate(&report, "patterns")["findings"][0];
    assert_eq!(f["rule"], "patterns.no-todo");
    assert_eq!((f["location"]["path"].as_str(), f["location"]["start_line"].as_u64()), (Some("src/xy"), Some(2)));
}

/// Issue 21: a `--diff` file that is not a diff at all was read as an empty change (PASS).
#[test]
fn text_that_is_not_a_diff_given_to_diff_is_an_error_naming_the_file() {
    let r = repo_with_policy(POLICY);
    r.write("notes.txt", "This is a note, not a patch.\n 2 files changed\n");
    r.check(&["--diff", "notes.txt"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("notes.txt").and(predicate::str::contains("not a unified diff")));
    // An empty file is the empty change.
    r.write("empty.diff", "");
    r.check(&["--diff", "empty.diff"]).assert().code(0);
}

/// Issue 21: lines after a hunk whose counts are used up were dropped, so `dbg!` passed.
#[test]
fn hunk_lines_after_used_up_counts_in_a_diff_file_are_an_error() {
    let r = repo_with_policy(POLICY);
    r.write(
        "smuggle.diff",
        "--- a/src/lib.rs\n+++ b/src/lib.rs\n@@ -1 +1 @@\n-pub fn a() {}\n+pub fn a() {}\n+fn b() { dbg!(1); }\n",
    );
    r.check(&["--diff", "smuggle.diff"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("smuggle.diff").and(predicate::str::contains("outside any hunk")));
}
