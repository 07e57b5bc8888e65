//! Rules on the pull request's metadata: title, body, labels, and the changelog entry.

use super::{BODY_EMPTY, BODY_REFERENCE, CHANGELOG, HygieneGate, LABEL_FORBIDDEN, LABEL_MISSING, TITLE, has_label};
use crate::diff::FileStatus;
use crate::gate::Context;
use crate::gates::GateReport;

pub(super) fn check(g: &HygieneGate, cx: &Context<'_>, report: &mut GateReport) {
    let pr = cx.pr;
    if let Some(re) = &g.title {
        let title = pr.title.as_deref().map(str::trim).unwrap_or("");
        if title.is_empty() {
            let msg = format!(
                "the pull request has no title to check against `{}` (locally pass --title, or commit with a subject)",
                re.as_str()
            );
            report.findings.push(TITLE.finding(None, msg, ""));
        } else if !re.is_match(title) {
            let msg = format!("the title `{}` does not match the pattern `{}`", clip(title), re.as_str());
            report.findings.push(TITLE.finding(None, msg, title));
        }
    }

    let body = pr.body.as_deref().map(crate::text::strip_html_comments).unwrap_or_default();
    let body = body.trim();
    if (g.body_required || g.body_references.is_some()) && body.is_empty() {
        let msg = "the pull request body is empty (HTML comments from the template do not count)".to_string();
        report.findings.push(BODY_EMPTY.finding(None, msg, ""));
    } else if let Some(re) = &g.body_references {
        if !re.is_match(body) {
            let msg = format!(
                "the pull request body references no requirement or issue: nothing in it matches `{}`",
                re.as_str()
            );
            report.findings.push(BODY_REFERENCE.finding(None, msg, ""));
        }
    }

    let labels = &pr.labels;
    for want in &g.labels.required {
        if !has_label(labels, want) {
            let msg = format!("the pull request lacks the required label `{want}` ({})", present(labels));
            report.findings.push(LABEL_MISSING.finding(None, msg, want));
        }
    }
    if !g.labels.one_of.is_empty() && !g.labels.one_of.iter().any(|w| has_label(labels, w)) {
        let options = g.labels.one_of.iter().map(|l| format!("`{l}`")).collect::<Vec<_>>().join(", ");
        let msg = format!("the pull request needs one of the labels {options} ({})", present(labels));
        report.findings.push(LABEL_MISSING.finding(None, msg, &g.labels.one_of.join(",")));
    }
    for bad in &g.labels.forbidden {
        if has_label(labels, bad) {
            let msg = format!("the pull request carries the label `{bad}`, which blocks merging");
            report.findings.push(
                LABEL_FORBIDDEN
                    .finding(None, msg, bad)
                    .with_help(format!("Remove the `{bad}` label when the change is ready to merge.")),
            );
        }
    }

    if let Some(c) = &g.changelog {
        if c.skip_labels.iter().any(|s| has_label(labels, s)) {
            return;
        }
        let code: Vec<&str> = cx
            .changes
            .files
            .iter()
            .filter(|f| f.path != c.path && (c.code.is_empty() || c.code.matches(&f.path)))
            .map(|f| f.path.as_str())
            .collect();
        let entry = cx.changes.file(&c.path).is_some_and(|f| {
            f.status != FileStatus::Deleted && (f.added_lines().next().is_some() || f.status == FileStatus::Added)
        });
        if !code.is_empty() && !entry {
            let more = if code.len() > 1 { format!(" and {} more", code.len() - 1) } else { String::new() };
            let skip = c.skip_labels.iter().map(|l| format!("`{l}`")).collect::<Vec<_>>().join(" or ");
            let msg = format!("code changed (`{}`{more}) but `{}` has no new entry", code[0], c.path);
            let help = if skip.is_empty() {
                format!("Add an entry to `{}` describing the change.", c.path)
            } else {
                format!(
                    "Add an entry to `{}` describing the change, or label the PR {skip} if it is not user-visible.",
                    c.path
                )
            };
            report.findings.push(CHANGELOG.finding(None, msg, &c.path).with_help(help));
        }
    }
}

fn present(labels: &[String]) -> String {
    if labels.is_empty() {
        "it has none".into()
    } else {
        format!("it has {}", labels.iter().map(|l| format!("`{l}`")).collect::<Vec<_>>().join(", "))
    }
}

/// A title shortened for a message.
fn clip(s: &str) -> String {
    if s.chars().count() > 120 { format!("{}…", s.chars().take(120).collect::<String>()) } else { s.to_string() }
}

#[cfg(test)]
mod tests {
    #[test]
    fn conventional_pattern() {
        let re = regex::Regex::new(super::super::CONVENTIONAL).unwrap();
        for ok in ["feat: x", "fix(parser): y", "feat(api)!: drop v1", "chore(deps-dev): bump"] {
            assert!(re.is_match(ok), "{ok}");
        }
        for bad in ["Update README", "feat:x", "feature: x", "fix(): y", "WIP"] {
            assert!(!re.is_match(bad), "{bad}");
        }
    }
}
