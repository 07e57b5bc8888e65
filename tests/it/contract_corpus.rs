//! The labelled contract corpora (`tests/data/contract/corpus/{openapi,jsonschema}`): every
//! base/revision pair is committed into one repository and the gate runs once per corpus, as a
//! user would run it. Prints found/blocked figures (and every miss with `CORPUS_VERBOSE=1`) and
//! fails when breaking pairs found < 95% or compatible pairs blocked > 2%.
//! `benches/contract-corpus.sh` prints the table.

use crate::common::{TestRepo, gate};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use yaml_rust2::{Yaml, YamlLoader};

struct Pair {
    name: String,
    breaking: bool,
    rules: Vec<String>,
    compatibility: String,
    policy: String,
    /// Extra keys for the pair's `[[contract.openapi]]` entry (`deprecation_days = …`).
    options: Option<String>,
    base: String,
    /// `None`: the file is deleted.
    revision: Option<String>,
}

/// JSON text of a YAML value; numbers keep their written digits so big integers stay exact.
fn json(y: &Yaml, out: &mut String) {
    match y {
        Yaml::Hash(h) => {
            out.push('{');
            for (i, (k, v)) in h.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                let key = match k {
                    Yaml::String(s) => s.clone(),
                    Yaml::Integer(n) => n.to_string(),
                    Yaml::Real(r) => r.clone(),
                    Yaml::Boolean(b) => b.to_string(),
                    other => panic!("unsupported key {other:?}"),
                };
                out.push_str(&serde_json::to_string(&key).unwrap());
                out.push(':');
                json(v, out);
            }
            out.push('}');
        }
        Yaml::Array(a) => {
            out.push('[');
            for (i, v) in a.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                json(v, out);
            }
            out.push(']');
        }
        Yaml::String(s) => out.push_str(&serde_json::to_string(s).unwrap()),
        Yaml::Integer(n) => out.push_str(&n.to_string()),
        Yaml::Real(r) => out.push_str(r),
        Yaml::Boolean(b) => out.push_str(if *b { "true" } else { "false" }),
        Yaml::Null => out.push_str("null"),
        other => panic!("unsupported YAML value {other:?}"),
    }
}

fn load(kind: &str) -> Vec<Pair> {
    let dir = format!("{}/tests/data/contract/corpus/{kind}", env!("CARGO_MANIFEST_DIR"));
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".yaml"))
        .collect();
    names.sort();
    names
        .into_iter()
        .map(|n| {
            let text = std::fs::read_to_string(format!("{dir}/{n}")).unwrap();
            let doc = YamlLoader::load_from_str(&text).unwrap_or_else(|e| panic!("{n}: {e}")).remove(0);
            let s = |k: &str| doc[k].as_str().map(String::from);
            let (mut base, mut revision) = (String::new(), String::new());
            json(&doc["base"], &mut base);
            json(&doc["revision"], &mut revision);
            let revision = (!doc["revision"].is_null()).then_some(revision);
            Pair {
                name: n.trim_end_matches(".yaml").to_string(),
                breaking: s("label").as_deref() == Some("breaking"),
                rules: doc["rules"].as_vec().unwrap().iter().map(|r| r.as_str().unwrap().to_string()).collect(),
                compatibility: s("compatibility").unwrap_or_else(|| "backward".into()),
                policy: s("policy").unwrap_or_else(|| "strict".into()),
                options: s("options"),
                base,
                revision,
            }
        })
        .collect()
}

struct Outcome {
    breaking: bool,
    rules: BTreeSet<String>,
    all: Vec<String>,
}

/// The first finding of each rule, rendered as a user reads it (for one snapshot per rule).
static FIRST: std::sync::Mutex<BTreeMap<String, String>> = std::sync::Mutex::new(BTreeMap::new());

fn render(f: &Value) -> String {
    let loc = &f["location"];
    let line = loc["start_line"].as_u64().map(|l| format!(":{l}")).unwrap_or_default();
    let related = f["related"].as_array().map(|r| r.len()).unwrap_or(0);
    let mut s = format!(
        "{} {} at {}{line}\n{}\nhelp: {}",
        f["severity"].as_str().unwrap_or(""),
        f["rule"].as_str().unwrap_or(""),
        loc["path"].as_str().unwrap_or(""),
        f["message"].as_str().unwrap_or(""),
        f["help"].as_str().unwrap_or("")
    );
    if related > 0 {
        s.push_str(&format!("\nrelated locations: {related}"));
    }
    s
}

/// Runs the gate once over every pair of a corpus; the outcome of each pair by name.
fn run(kind: &str, pairs: &[Pair], with_policy_key: bool) -> Option<BTreeMap<String, Outcome>> {
    let r = TestRepo::new();
    let file = |p: &Pair| format!("c/{}.json", p.name);
    let mut policy = String::from("version = 1\n[contract]\n");
    for p in pairs {
        if kind == "openapi" {
            policy.push_str(&format!("[[contract.openapi]]\npath = \"{}\"\n", file(p)));
            if let Some(o) = &p.options {
                policy.push_str(&format!("{o}\n"));
            }
        } else {
            policy.push_str(&format!(
                "[[contract.jsonschema]]\npath = \"{}\"\ncompatibility = \"{}\"\n",
                file(p),
                p.compatibility
            ));
            if with_policy_key && p.policy != "strict" {
                policy.push_str(&format!("policy = \"{}\"\n", p.policy));
            }
        }
    }
    r.write("gates.toml", &policy);
    for p in pairs {
        r.write(&file(p), &p.base);
    }
    r.commit("base");
    r.branch("pr");
    for p in pairs {
        match &p.revision {
            Some(rev) => r.write(&file(p), rev),
            None => r.remove(&file(p)),
        };
    }
    r.commit("revision");
    let out = r.check(&["--format", "json"]).output().unwrap();
    if out.status.code() == Some(2) {
        eprintln!("policy refused: {}", String::from_utf8_lossy(&out.stderr));
        return None;
    }
    let report: Value =
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)));
    let g = gate(&report, "contract");
    assert_ne!(g["conclusion"], "error", "gate error: {}", g["error"]);
    let mut by_path: BTreeMap<String, Outcome> = BTreeMap::new();
    for c in g["details"]["contracts"].as_array().into_iter().flatten() {
        let o = by_path.entry(c["path"].as_str().unwrap().to_string()).or_insert(Outcome {
            breaking: false,
            rules: BTreeSet::new(),
            all: Vec::new(),
        });
        for ch in c["changes"].as_array().unwrap() {
            let rule = ch["rule"].as_str().unwrap().to_string();
            o.all.push(format!("{} {}: {}", ch["level"].as_str().unwrap(), rule, ch["message"].as_str().unwrap()));
            if ch["level"] == "breaking" && ch["ignored"] != true {
                o.breaking = true;
                o.rules.insert(rule);
            }
        }
    }
    {
        let mut first = FIRST.lock().unwrap();
        for f in g["findings"].as_array().unwrap() {
            first.entry(f["rule"].as_str().unwrap().to_string()).or_insert_with(|| render(f));
        }
    }
    for f in g["findings"].as_array().unwrap() {
        if f["severity"] == "error" {
            let path = f["location"]["path"].as_str().unwrap_or("").to_string();
            let o = by_path.entry(path).or_insert(Outcome { breaking: false, rules: BTreeSet::new(), all: Vec::new() });
            o.breaking = true;
            o.rules.insert(f["rule"].as_str().unwrap().to_string());
        }
    }
    Some(
        pairs
            .iter()
            .map(|p| {
                (
                    p.name.clone(),
                    by_path.remove(&file(p)).unwrap_or(Outcome {
                        breaking: false,
                        rules: BTreeSet::new(),
                        all: Vec::new(),
                    }),
                )
            })
            .collect(),
    )
}

/// (breaking found, breaking total, compatible blocked, compatible total, expected rules matched)
fn measure(kind: &str) -> (usize, usize, usize, usize, usize) {
    let pairs = load(kind);
    let outcomes = run(kind, &pairs, true).or_else(|| run(kind, &pairs, false)).expect("the corpus policy is refused");
    let verbose = std::env::var_os("CORPUS_VERBOSE").is_some();
    let (mut found, mut nb, mut blocked, mut nc, mut rules_ok) = (0, 0, 0, 0, 0);
    for p in &pairs {
        let o = &outcomes[&p.name];
        let rules_match = p.rules.iter().all(|r| {
            if p.breaking { o.rules.contains(r) } else { o.all.iter().any(|a| a.contains(&format!(" {r}:"))) }
        });
        if rules_match {
            rules_ok += 1;
        }
        let ok = o.breaking == p.breaking;
        if p.breaking {
            nb += 1;
            found += usize::from(o.breaking);
        } else {
            nc += 1;
            blocked += usize::from(o.breaking);
        }
        if verbose && (!ok || !rules_match) {
            let what = if !ok { if p.breaking { "MISSED" } else { "BLOCKED" } } else { "RULES" };
            eprintln!("{what} {kind}/{} (expected {:?})", p.name, p.rules);
            for a in &o.all {
                eprintln!("    {a}");
            }
        }
    }
    (found, nb, blocked, nc, rules_ok)
}

fn report(kind: &str) -> (f64, f64) {
    let (found, nb, blocked, nc, rules_ok) = measure(kind);
    let f = 100.0 * found as f64 / nb as f64;
    let b = 100.0 * blocked as f64 / nc as f64;
    println!("| {kind} | {} | {found}/{nb} ({f:.1}%) | {blocked}/{nc} ({b:.1}%) | {rules_ok}/{} |", nb + nc, nb + nc);
    (f, b)
}

/// Both corpora, then one snapshot per rule: the first finding of each rule as a user sees it.
#[test]
fn corpora_and_one_snapshot_per_rule() {
    let (oa_found, oa_blocked) = report("openapi");
    let (js_found, js_blocked) = report("jsonschema");
    let first = FIRST.lock().unwrap().clone();
    // Named like the per-rule snapshots of `tests/it/rules` (`it__rules__<family>__<rule>.snap`),
    // so the coverage test counts them.
    let mut settings = insta::Settings::clone_current();
    settings.set_prepend_module_to_snapshot(false);
    settings.bind(|| {
        for (rule, text) in &first {
            insta::assert_snapshot!(format!("it__rules__contract__{rule}"), text);
        }
    });
    assert!(oa_found >= 95.0 && oa_blocked <= 2.0, "openapi corpus: {oa_found:.1}% found, {oa_blocked:.1}% blocked");
    assert!(js_found >= 95.0 && js_blocked <= 2.0, "jsonschema corpus: {js_found:.1}% found, {js_blocked:.1}% blocked");
}
