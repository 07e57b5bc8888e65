//! Rules on the commits of the pull request: subject pattern and merges from the base branch.

use super::{BASE_MERGE, COMMIT_SUBJECT, HygieneGate};
use crate::commits;
use crate::gate::Context;
use crate::gates::{GateError, GateReport};

pub(super) fn check(g: &HygieneGate, cx: &Context<'_>, report: &mut GateReport) -> Result<(), GateError> {
    if g.commit_subject.is_none() && !g.no_base_merges {
        return Ok(());
    }
    let list = commits::of_change(cx)?;
    report.metric("commits", list.len() as f64, Some("commits"));
    for c in &list {
        if c.is_merge() {
            if g.no_base_merges {
                // The base the diff was taken against (the merge base); a parent of a merge that
                // is already in it came from the base branch.
                let Some(base) = &cx.changes.base.sha else { continue };
                for p in &c.parents[1..] {
                    if commits::is_ancestor(cx.repo, p, base)? {
                        let msg = format!(
                            "commit {} (`{}`) merges the base branch ({}) into the pull request branch",
                            c.short(),
                            c.subject,
                            &p[..p.len().min(12)]
                        );
                        report.findings.push(BASE_MERGE.finding(None, msg, &c.sha));
                        break;
                    }
                }
            }
            continue;
        }
        if let Some(re) = &g.commit_subject {
            if !re.is_match(&c.subject) {
                let msg = format!(
                    "commit {} has the subject `{}`, which does not match `{}`",
                    c.short(),
                    c.subject,
                    re.as_str()
                );
                report.findings.push(COMMIT_SUBJECT.finding(None, msg, &c.subject));
            }
        }
    }
    Ok(())
}
