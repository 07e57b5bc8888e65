//! Co-change rules: when files matching `when` change, files matching `require` must change in
//! the same PR, unless the PR carries one of the rule's labels.

use super::CO_CHANGE;
use crate::core::matcher::Globs;
use crate::core::{Finding, Location};
use crate::core::{PolicyError, Seg};
use crate::gate::Context;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// `[[architecture.co_change]]`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CoChange {
    /// A name for messages (`openapi`, `lockfile`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Path globs whose change triggers the rule.
    pub when: Vec<String>,
    /// Path globs of which at least one file must change too.
    pub require: Vec<String>,
    /// Path globs left out of `when` (e.g. tests under `src/`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub exclude: Vec<String>,
    /// PR labels that waive the rule (`no-changelog`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unless_labels: Vec<String>,
    /// What the finding says, instead of the default.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
}

pub struct Compiled {
    rule: CoChange,
    when: Globs,
    exclude: Globs,
    require: Globs,
}

pub fn compile(rules: &[CoChange]) -> Result<Vec<Compiled>, Vec<PolicyError>> {
    let mut out = Vec::new();
    let mut errors = Vec::new();
    for (i, r) in rules.iter().enumerate() {
        let at = |k: &str| vec![Seg::from("architecture"), Seg::from("co_change"), Seg::Index(i), Seg::from(k)];
        if r.when.is_empty() || r.require.is_empty() {
            let k = if r.when.is_empty() { "when" } else { "require" };
            errors.push(PolicyError::at(at(k), "list at least one path glob"));
            continue;
        }
        match (
            Globs::new(&r.when, &at("when")),
            Globs::new(&r.exclude, &at("exclude")),
            Globs::new(&r.require, &at("require")),
        ) {
            (Ok(when), Ok(exclude), Ok(require)) => out.push(Compiled { rule: r.clone(), when, exclude, require }),
            (a, b, c) => errors.extend(a.err().into_iter().chain(b.err()).chain(c.err())),
        }
    }
    if errors.is_empty() { Ok(out) } else { Err(errors) }
}

pub fn check(rules: &[Compiled], cx: &Context<'_>, out: &mut Vec<Finding>) {
    let changed = |g: &Globs| {
        cx.changes.files.iter().find(|f| g.matches(&f.path) || f.old_path.as_deref().is_some_and(|o| g.matches(o)))
    };
    for r in rules {
        let Some(trigger) = cx.changes.files.iter().find(|f| r.when.matches(&f.path) && !r.exclude.matches(&f.path))
        else {
            continue;
        };
        if changed(&r.require).is_some() {
            continue;
        }
        if r.rule.unless_labels.iter().any(|l| cx.pr.labels.contains(l)) {
            continue;
        }
        let name = r.rule.name.as_deref().map(|n| format!(" (`{n}`)")).unwrap_or_default();
        let labels = if r.rule.unless_labels.is_empty() {
            String::new()
        } else {
            format!(", or label the PR `{}`", r.rule.unless_labels.join("` or `"))
        };
        let msg = r.rule.message.clone().unwrap_or_else(|| {
            format!(
                "`{}` changed, so {} must change too{name}: update it in this PR{labels}",
                trigger.path,
                r.require.patterns().join(" or ")
            )
        });
        let content = format!("{} {}", r.rule.name.as_deref().unwrap_or(""), r.require.patterns().join(" "));
        out.push(CO_CHANGE.finding(Some(Location::file(&trigger.path)), msg, &content));
    }
}
