//! Cases for the `ai` rules. Locally there is no code host, so no-go approval is always missing.

use super::{Case, run_all};

const CASES: &[Case] = &[
    Case {
        head: &[("src/lib.rs", Some("pub fn a() {}\n"))],
        message: "feat: add a\n\nAssisted-by: Claude",
        ..Case::new(
            &["ai.missing-model", "ai.missing-reviewer", "ai.missing-inputs"],
            "version = 1\n[ai]\nrequire = [\"model\", \"reviewer\", \"inputs\"]\n",
        )
    },
    Case {
        base: &[("security/auth.rs", "pub fn check() {}\n")],
        head: &[("security/auth.rs", Some("pub fn check() -> bool { true }\n"))],
        message: "fix: auth\n\nAssisted-by: Claude:claude-sonnet-4-5\nReviewed-by: Alice <alice@example.com>",
        ..Case::new(
            &["ai.no-go-approval"],
            "version = 1\n[ai]\nno_go = [\"security/**\"]\napproval_label = \"ai-approved\"\n",
        )
    },
];

#[test]
fn ai() {
    run_all("ai", CASES);
}
