//! The architecture gate end to end on real git repositories.

use crate::common::{TestRepo, gate, rules};

fn repo(policy: &str, files: &[(&str, &str)]) -> TestRepo {
    crate::common::base_repo(policy, files)
}

fn findings(report: &serde_json::Value) -> Vec<(String, String, u64)> {
    crate::common::located(report, "architecture")
}

const LAYERS: &str = r#"version = 1
[architecture]
cycles = false
layers = [{ name = "domain", from = "app/domain/**", deny = ["app/infra/**"] }]
"#;

#[test]
fn python_layer_violation_on_an_added_import_only() {
    let r = repo(
        LAYERS,
        &[
            ("app/__init__.py", ""),
            ("app/domain/__init__.py", ""),
            ("app/domain/model.py", "from app.infra import cache  # old violation\n\nclass Order:\n    pass\n"),
            ("app/infra/__init__.py", ""),
            ("app/infra/db.py", "def connect():\n    return 1\n"),
            ("app/infra/cache.py", "X = 1\n"),
        ],
    );
    r.write(
        "app/domain/model.py",
        "from app.infra import cache  # old violation\nfrom ..infra.db import connect\nimport json\n\nclass Order:\n    pass\n",
    );
    r.commit("domain imports infra");
    let (code, report) = r.json_report(&[]);
    assert_eq!(code, 1, "{report:#}");
    assert_eq!(findings(&report), vec![("architecture.layer".into(), "app/domain/model.py".into(), 2)]);
    let msg = gate(&report, "architecture")["findings"][0]["message"].as_str().unwrap().to_string();
    assert!(msg.contains("app/infra/db.py") && msg.contains("domain"), "{msg}");

    // the whole touched file under `changed-files`
    let policy = LAYERS.replace("cycles = false", "cycles = false\nscope = \"changed-files\"");
    let r2 = repo(&policy, &[("app/domain/model.py", "from app.infra import cache\n"), ("app/infra/cache.py", "")]);
    r2.write("app/domain/model.py", "from app.infra import cache\nimport os\n");
    r2.commit("touch");
    let (_, report) = r2.json_report(&[]);
    assert_eq!(findings(&report), vec![("architecture.layer".into(), "app/domain/model.py".into(), 1)]);
}

#[test]
fn rust_cycle_closed_by_the_pr_is_reported_at_the_new_import() {
    let policy = "version = 1\n[architecture]\n";
    let r = repo(
        policy,
        &[
            ("Cargo.toml", "[package]\nname = \"x\"\n"),
            ("src/lib.rs", "mod a;\nmod b;\nmod c;\n"),
            ("src/a.rs", "use crate::b::B;\npub struct A;\n"),
            ("src/b.rs", "use crate::c::C;\npub struct B;\n"),
            ("src/c.rs", "pub struct C;\n"),
        ],
    );
    r.write("src/c.rs", "use std::fmt;\nuse crate::a::A;\npub struct C;\n");
    r.commit("c uses a");
    let (code, report) = r.json_report(&[]);
    assert_eq!(code, 1, "{report:#}");
    assert_eq!(findings(&report), vec![("architecture.cycle".into(), "src/c.rs".into(), 2)]);
    let msg = gate(&report, "architecture")["findings"][0]["message"].as_str().unwrap().to_string();
    assert!(msg.contains("`src/c.rs` → `src/a.rs` → `src/b.rs` → `src/c.rs`"), "{msg}");
    assert_eq!(gate(&report, "architecture")["details"]["cycles"][0]["files"].as_array().unwrap().len(), 3);
}

#[test]
fn typescript_packages_independence_and_allow_lists() {
    let policy = r#"version = 1
[architecture]
layers = [{ name = "ui", from = "web/ui/**", allow = ["web/shared/**"] }]
forbidden_packages = [{ paths = ["web/ui/**"], packages = ["pg", "@prisma/client"], reason = "UI must not talk to the database" }]
independent = [{ modules = ["web/billing/**", "web/shipping/**"] }]
"#;
    let r = repo(
        policy,
        &[
            ("web/shared/fmt.ts", "export const f = 1;\n"),
            ("web/billing/invoice.ts", "export const i = 1;\n"),
            ("web/shipping/parcel.ts", "export const p = 1;\n"),
            ("web/ui/page.tsx", "import { f } from '../shared/fmt';\nexport const page = f;\n"),
        ],
    );
    r.write(
        "web/ui/page.tsx",
        "import { f } from '../shared/fmt';\nimport { Client } from 'pg';\nimport {\n  i,\n} from '../billing/invoice';\nimport React from 'react';\nexport const page = f;\n",
    );
    r.write("web/shipping/parcel.ts", "import { i } from '../billing/invoice.js';\nexport const p = i;\n");
    r.commit("cross-module imports");
    let (code, report) = r.json_report(&[]);
    assert_eq!(code, 1, "{report:#}");
    assert_eq!(
        findings(&report),
        vec![
            ("architecture.independence".into(), "web/shipping/parcel.ts".into(), 1),
            ("architecture.forbidden-package".into(), "web/ui/page.tsx".into(), 2),
            ("architecture.layer".into(), "web/ui/page.tsx".into(), 3),
        ]
    );
}

#[test]
fn complexity_and_length_caps_on_changed_functions_only() {
    let policy =
        "version = 1\n[architecture]\nlimits = { max_function_lines = 12, max_complexity = 4, max_file_lines = 40 }\n";
    let old_complex = "def old(a, b, c, d):\n    if a and b or c and d:\n        return 1\n    return 2\n";
    let r = repo(policy, &[("pkg/calc.py", old_complex)]);
    let new_fn = "\n\ndef grade(score):\n    if score > 90:\n        return 'A'\n    elif score > 80:\n        return 'B'\n    elif score > 70:\n        return 'C'\n    elif score > 60:\n        return 'D'\n    return 'F'\n";
    r.write("pkg/calc.py", format!("{old_complex}{new_fn}"));
    r.commit("grade");
    let (code, report) = r.json_report(&[]);
    assert_eq!(code, 1, "{report:#}");
    assert_eq!(findings(&report), vec![("architecture.max-complexity".into(), "pkg/calc.py".into(), 7)]);
    let f = &gate(&report, "architecture")["findings"][0];
    let msg = f["message"].as_str().unwrap();
    assert!(msg.contains("`grade` is 5 of cyclomatic complexity") && msg.contains("is 4"), "{msg}");
    assert_eq!(f["location"]["end_line"], 16);
    assert!(f["help"].as_str().unwrap().contains("waiver"), "{f:#}");

    // a waiver with a reason sets it aside
    let waived = format!(
        "{policy}\n[[waivers]]\nrule = \"architecture.max-complexity\"\npath = \"pkg/**\"\nreason = \"grading table, clearer as one function\"\n"
    );
    let r = repo(&waived, &[("pkg/calc.py", old_complex)]);
    r.write("pkg/calc.py", format!("{old_complex}{new_fn}"));
    r.commit("grade");
    let (code, _) = r.json_report(&[]);
    assert_eq!(code, 0);
}

#[test]
fn long_files_and_functions_in_go_and_rust() {
    let policy = "version = 1\n[architecture]\nlimits = { max_function_lines = 5, max_file_lines = 10 }\n";
    let r = repo(policy, &[("go.mod", "module example.com/m\n"), ("main.go", "package main\n")]);
    let body: String = (0..6).map(|i| format!("\tx{i} := {i}\n\t_ = x{i}\n")).collect();
    r.write("main.go", format!("package main\n\nfunc long() {{\n{body}}}\n"));
    r.write("src/lib.rs", "pub fn short() -> u8 {\n    1\n}\n");
    r.commit("long go");
    let (_, report) = r.json_report(&[]);
    assert_eq!(
        findings(&report),
        vec![
            ("architecture.max-file-lines".into(), "main.go".into(), 0),
            ("architecture.max-function-lines".into(), "main.go".into(), 3)
        ]
    );
}

#[test]
fn co_change_rules_with_unless_labels() {
    let policy = r#"version = 1
[architecture]
co_change = [
  { name = "lockfile", when = ["Cargo.toml"], require = ["Cargo.lock"], unless_labels = ["no-lock"] },
  { name = "openapi", when = ["src/api/**"], require = ["api/openapi.yaml"] },
]
"#;
    let r = repo(
        policy,
        &[
            ("Cargo.toml", "[package]\n"),
            ("Cargo.lock", "# lock\n"),
            ("src/api/users.rs", "\n"),
            ("api/openapi.yaml", "openapi: 3.1.0\n"),
        ],
    );
    r.write("Cargo.toml", "[package]\nname = \"x\"\n");
    r.write("src/api/users.rs", "pub fn list() {}\n");
    r.write("api/openapi.yaml", "openapi: 3.1.0\npaths: {}\n");
    r.commit("manifest without lock");
    let (code, report) = r.json_report(&[]);
    assert_eq!(code, 1);
    assert_eq!(findings(&report), vec![("architecture.co-change".into(), "Cargo.toml".into(), 0)]);
    let msg = gate(&report, "architecture")["findings"][0]["message"].as_str().unwrap().to_string();
    assert!(msg.contains("Cargo.lock") && msg.contains("no-lock"), "{msg}");
    let (code, report) = r.json_report(&["--label", "no-lock"]);
    assert_eq!((code, rules(&report)), (0, Vec::<String>::new()));
}

#[test]
fn policy_mistakes_name_the_key() {
    let r = repo("version = 1\n[architecture]\nlayers = [{ from = \"src/[\", deny = [\"x/**\"] }]\n", &[]);
    let out = r.cmd().args(["validate"]).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr).to_string() + &String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("architecture.layers[0].from"), "{err}");
    let r = repo("version = 1\n[architecture]\nlayers = [{ from = \"src/**\" }]\n", &[]);
    let out = r.cmd().args(["validate"]).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr).to_string() + &String::from_utf8_lossy(&out.stdout);
    assert!(err.contains("at least one of `allow` or `deny`"), "{err}");
}
