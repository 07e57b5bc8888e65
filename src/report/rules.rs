//! The rule reference (`gatehouse explain all --markdown`, kept in `docs/rules.md`): every
//! built-in rule by family, from the registry.

use crate::core::RuleInfo;
use std::fmt::Write;

pub fn markdown(rules: &[RuleInfo]) -> String {
    let mut out = String::from(
        "# Rules\n\nEvery built-in rule, generated from the registry by `gatehouse explain all --markdown` (a test\nkeeps this file current). `gatehouse explain <rule>` adds why it matters, how to fix it and how to\nwaive it. Rules a policy defines (`[[patterns.forbid]]`, own observability rules) and SARIF tool\nrules (`security.sarif.<tool>.<rule>`) come on top.\n",
    );
    let family = |id: &str| id.split('.').next().unwrap_or(id).to_string();
    let mut current = String::new();
    for r in rules {
        let f = family(&r.id);
        if f != current {
            let n = rules.iter().filter(|x| family(&x.id) == f).count();
            let _ = write!(out, "\n## {f} ({n})\n\n| rule | severity | what it checks |\n|---|---|---|\n");
            current = f;
        }
        let _ = writeln!(out, "| `{}` | {} | {} |", r.id, r.severity.as_str(), super::markdown::cell(&r.summary));
    }
    out
}
