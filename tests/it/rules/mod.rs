//! One snapshot per rule: what a user sees when the rule fires (the human report's lines and
//! the JSON findings). Each family module lists [`Case`]s: a policy, a base and a head commit
//! (and PR metadata), and the rules the case must fire; [`run`] checks it fires them and
//! snapshots each as `it__rules__<family>__<rule id>.snap`.
//!
//! Adding a rule: the rule (its family's `const`), its registry entry (the family's `RULES`), a
//! case here that fires it, and the accepted snapshot (`cargo insta review`, or
//! `INSTA_UPDATE=always cargo nextest run -E 'test(rules::)'` then review the files).
//! [`every_rule_has_a_snapshot`] fails for a rule with neither a snapshot nor a place in
//! [`NOT_YET`], and prints the coverage.

mod ai;
mod architecture;
mod graphql;
mod hygiene;
mod meta;
mod observability;
mod performance;
mod testability;

use crate::common::TestRepo;
use std::path::Path;

/// A scenario that fires some rules.
pub struct Case {
    /// The rules this case must fire; each gets its snapshot.
    pub rules: &'static [&'static str],
    pub policy: &'static str,
    /// Files committed on `main` (next to the policy).
    pub base: &'static [(&'static str, &'static str)],
    /// Files written (or, with `None`, removed) on the `pr` branch, committed with `message`.
    pub head: &'static [(&'static str, Option<&'static str>)],
    /// The head commit's message (trailers included).
    pub message: &'static str,
    /// Extra `gatehouse check` arguments (`--title`, `--label`...).
    pub args: &'static [&'static str],
    /// Files the CI would have produced (coverage, benchmark results), written after the commit.
    pub inputs: &'static [(&'static str, &'static str)],
    /// More history after the head commit (a merge from `main`...).
    pub setup: Option<fn(&TestRepo)>,
}

impl Case {
    pub const fn new(rules: &'static [&'static str], policy: &'static str) -> Case {
        Case { rules, policy, base: &[], head: &[], message: "change", args: &[], inputs: &[], setup: None }
    }
}

/// Runs a family's cases, each on its own thread, and snapshots every rule they declare.
pub fn run_all(family: &str, cases: &[Case]) {
    std::thread::scope(|s| {
        let handles: Vec<_> = cases.iter().map(|c| s.spawn(move || run(family, c))).collect();
        let failed = handles.into_iter().map(|h| h.join()).filter(Result::is_err).count();
        assert_eq!(failed, 0, "{failed} {family} case(s) failed (see above)");
    });
}

/// Runs a case and snapshots every rule it declares.
pub fn run(family: &str, case: &Case) {
    let r = TestRepo::new();
    r.write("gates.toml", case.policy);
    for (p, c) in case.base {
        r.write(p, c);
    }
    r.commit("base");
    r.branch("pr");
    for (p, c) in case.head {
        match c {
            Some(c) => r.write(p, c),
            None => r.remove(p),
        };
    }
    r.commit(case.message);
    if let Some(setup) = case.setup {
        setup(&r);
    }
    for (p, c) in case.inputs {
        r.write(p, c);
    }
    let args: Vec<&str> = [&["--base", "main"], case.args].concat();
    let human = r.check(&[&["--format", "human"], args.as_slice()].concat()).output().unwrap();
    let human = String::from_utf8_lossy(&human.stdout).into_owned();
    let (_, json) = r.json_report(&args);
    let root = r.path().to_string_lossy().into_owned();
    for rule in case.rules {
        let gates = json["gates"].as_array().unwrap();
        let findings: Vec<serde_json::Value> = if *rule == "gatehouse.gate-error" {
            // Not a finding: the gate's `error` conclusion, shown as "could not run".
            let keep = ["gate", "mode", "on_error", "conclusion", "error"];
            gates
                .iter()
                .filter(|g| g["conclusion"] == "error")
                .map(|g| keep.iter().map(|k| (k.to_string(), g[*k].clone())).collect())
                .collect()
        } else {
            gates
                .iter()
                .flat_map(|g| g["findings"].as_array().unwrap())
                .filter(|f| f["rule"] == *rule)
                .cloned()
                .collect()
        };
        assert!(!findings.is_empty(), "{family}: the case did not fire `{rule}`\n{human}");
        let shown = lines_of(&human, rule);
        let text = format!("{shown}\n{}\n", serde_json::to_string_pretty(&findings).unwrap());
        let text = text.replace(&root, "[repo]");
        let mut settings = insta::Settings::clone_current();
        settings.set_description(format!("what a user sees when `{rule}` fires"));
        settings.set_snapshot_path("../snapshots");
        settings.bind(|| insta::assert_snapshot!(format!("{family}__{rule}"), text));
    }
}

/// The human report's lines for `rule`: each finding and its help line (for gate errors, the
/// gate's line and its "could not run" line).
fn lines_of(human: &str, rule: &str) -> String {
    if rule == "gatehouse.gate-error" {
        let lines: Vec<&str> = human.lines().collect();
        let mut out = Vec::new();
        for (i, l) in lines.iter().enumerate() {
            if l.trim_start().starts_with("could not run:") {
                out.extend([lines[i - 1].trim(), l.trim()].map(str::to_string));
            }
        }
        return out.join("\n");
    }
    let marker = format!("[{rule}]");
    let mut out = Vec::new();
    let mut lines = human.lines().peekable();
    while let Some(l) = lines.next() {
        if l.trim_start().split_once(' ').is_some_and(|(head, _)| head.ends_with(&marker)) {
            out.push(l.trim_start().to_string());
            if let Some(help) = lines.peek().filter(|h| h.trim_start().starts_with("help:")) {
                out.push(help.trim_start().to_string());
                lines.next();
            }
        }
    }
    out.join("\n")
}

/// Rules without a snapshot yet, with why. Shrink it; a rule that gets a snapshot must leave it.
const NOT_YET: &[(&str, &str)] = &[
    // Contract and security rules get their cases from the engineers reworking those families.
    // OpenAPI and JSON Schema rules are snapshotted from the labelled corpora (tests/it/contract_corpus.rs).
    (
        "contract.openapi.major-bump-required",
        "covered by tests/it/contract.rs major_bump_levels_ignore_and_sunset_policy",
    ),
    ("security.", "security family: cases come with the secrets/dependency rework"),
];

#[test]
fn every_rule_has_a_snapshot() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/it/snapshots");
    let snapshots: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| n.starts_with("it__rules__") && n.ends_with(".snap"))
        .collect();
    let has = |id: &str| snapshots.iter().any(|n| n.ends_with(&format!("__{id}.snap")));
    let waived = |id: &str| NOT_YET.iter().any(|(p, _)| id == *p || (p.ends_with('.') && id.starts_with(p)));
    let rules = gatehouse::gates::catalogue();
    let mut missing = Vec::new();
    let mut covered = 0;
    for r in &rules {
        match (has(&r.id), waived(&r.id)) {
            (true, _) => covered += 1,
            (false, true) => {}
            (false, false) => missing.push(r.id.as_str()),
        }
    }
    let exact_waivers_with_snapshots: Vec<&str> =
        NOT_YET.iter().map(|(p, _)| *p).filter(|p| !p.ends_with('.') && has(p)).collect();
    println!(
        "snapshot coverage: {covered} of {} rules ({:.0}%)",
        rules.len(),
        100.0 * covered as f64 / rules.len() as f64
    );
    assert!(missing.is_empty(), "rules without a snapshot (add a case in tests/it/rules/): {missing:?}");
    assert!(exact_waivers_with_snapshots.is_empty(), "remove from NOT_YET: {exact_waivers_with_snapshots:?}");
    let orphans: Vec<&String> =
        snapshots.iter().filter(|n| !rules.iter().any(|r| n.ends_with(&format!("__{}.snap", r.id)))).collect();
    assert!(orphans.is_empty(), "snapshots of rules that no longer exist: {orphans:?}");
}

/// `docs/rules.md` is what `gatehouse explain all --markdown` prints (regenerate it with that).
#[test]
fn the_rule_reference_is_current() {
    let r = TestRepo::new();
    let out = r.cmd().args(["explain", "all", "--markdown"]).output().unwrap();
    assert!(out.status.success());
    let want = String::from_utf8(out.stdout).unwrap();
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/rules.md");
    let have = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(have == want, "docs/rules.md is out of date: run `cargo run -- explain all --markdown > docs/rules.md`");
}
