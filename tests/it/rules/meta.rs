//! Cases for the engine's own rules (`gatehouse.*`): expired waivers, suppressions without a
//! reason, gates that cannot run.

use super::{Case, run_all};

const CASES: &[Case] = &[
    Case {
        head: &[("src/lib.rs", Some("pub fn a() {\n    // gatehouse: allow(patterns.no-dbg)\n    dbg!(1);\n}\n"))],
        ..Case::new(
            &["gatehouse.suppression-without-reason", "gatehouse.waiver-expired"],
            r#"version = 1
[[patterns.forbid]]
id = "no-dbg"
pattern = 'dbg!\('

[[waivers]]
rule = "patterns.no-todo"
reason = "legacy TODOs are tracked in #12"
expires = 2026-01-31
"#,
        )
    },
    Case {
        head: &[("src/lib.rs", Some("pub fn a() {}\n"))],
        ..Case::new(
            &["gatehouse.gate-error"],
            "version = 1\n[testability.coverage]\nreports = [\"coverage/lcov.info\"]\n",
        )
    },
];

#[test]
fn meta() {
    run_all("meta", CASES);
}
