//! Telemetry traceability: a requirement that declares a signal (`Telemetry: orders.created`)
//! must have that name emitted somewhere in the code; a requirement added without a signal is a
//! warning. Self-contained: a spec glob, a requirement-id regex and a signal-line regex.

use crate::core::matcher::{Globs, PathFilter, regex};
use crate::core::{Block, Finding, Location, Rule, Severity, Table, Text};
use crate::core::{PolicyError, Seg};
use crate::gate::Context;
use crate::gates::{GateError, RuleInfo};
use aho_corasick::AhoCorasick;
use regex::Regex;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// `[observability.telemetry]`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Telemetry {
    /// Path globs of the specification files (`specs/**/*.md`).
    pub specs: Vec<String>,
    /// Path globs of the code searched for emitted names; empty means every file that is not a spec.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub code: Vec<String>,
    /// Path globs left out of `code` (tests, fixtures).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub exclude: Vec<String>,
    /// Regex of a requirement id; a requirement runs from its id to the next id. Default `REQ-[A-Z0-9]+-[0-9]+`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Regex of a signal declaration; capture group 1 holds one or more names (comma-separated).
    /// Default: lines like ``Telemetry: `orders.created`, `orders.latency` ``.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signal: Option<String>,
    /// Warn when a requirement is added without a signal (default true).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub require_signal: Option<bool>,
}

const DEFAULT_ID: &str = r"\bREQ-[A-Z0-9]+-[0-9]+\b";
const DEFAULT_SIGNAL: &str = r"(?i)^\s*(?:[-*]\s*)?(?:\*\*)?telemetry(?:\*\*)?\s*:\s*(?:\*\*)?\s*(.+)$";

/// Most code files read, and the largest read, when searching for emitted names.
const MAX_CODE_FILES: usize = 50_000;
const MAX_CODE_BYTES: usize = 4 << 20;

pub const NOT_EMITTED: Rule = Rule::new(
    "observability.telemetry-not-emitted",
    Severity::Error,
    "A requirement declares a telemetry signal that no code emits.",
    "The signal is how operators know the requirement holds in production; a declared but missing metric, span or event means the dashboard or alert built on it is blind.",
    "Emit the signal under exactly the declared name (metric, span or log event), or correct the name in the spec.",
);

pub const MISSING: Rule = Rule::new(
    "observability.telemetry-missing",
    Severity::Warning,
    "A requirement was added without a telemetry signal (`Telemetry: <name>`).",
    "Without a declared signal nobody can tell whether the requirement holds in production.",
    "Add a `Telemetry: <metric/span/event name>` line under the requirement, or waive it with a reason when it cannot be observed.",
);

/// Every rule this family declares.
pub const RULES: &[&Rule] = &[&NOT_EMITTED, &MISSING];

pub fn catalogue() -> Vec<RuleInfo> {
    crate::core::rule::infos(RULES)
}

pub struct Compiled {
    specs: Globs,
    code: PathFilter,
    id: Regex,
    signal: Regex,
    require_signal: bool,
}

/// One requirement of the traceability matrix.
#[derive(Debug, Clone, Serialize)]
pub struct Requirement {
    pub id: String,
    pub spec: String,
    pub line: u32,
    pub signals: Vec<Signal>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Signal {
    pub name: String,
    pub line: u32,
    /// First file (sorted) that emits it, if any.
    pub emitted_in: Option<String>,
}

impl Compiled {
    pub fn new(t: &Telemetry) -> Result<Compiled, Vec<PolicyError>> {
        let at = vec![Seg::from("observability"), Seg::from("telemetry")];
        let k = |f: &str| {
            let mut v = at.clone();
            v.push(Seg::from(f));
            v
        };
        if t.specs.is_empty() {
            return Err(vec![PolicyError::at(k("specs"), "list at least one spec path glob")]);
        }
        let specs = Globs::new(&t.specs, &k("specs"));
        let code = PathFilter::new(&t.code, &t.exclude, &at);
        let id = regex(t.id.as_deref().unwrap_or(DEFAULT_ID), &k("id"), NOT_EMITTED.id);
        let signal = regex(t.signal.as_deref().unwrap_or(DEFAULT_SIGNAL), &k("signal"), NOT_EMITTED.id);
        match (specs, code, id, signal) {
            (Ok(specs), Ok(code), Ok(id), Ok(signal)) => {
                Ok(Compiled { specs, code, id, signal, require_signal: t.require_signal.unwrap_or(true) })
            }
            (g, c, i, s) => Err(g.err().into_iter().chain(c.err()).chain(i.err()).chain(s.err()).collect()),
        }
    }

    /// Requirements of one spec file, with their declared signals.
    fn parse(&self, path: &str, text: &str) -> Vec<Requirement> {
        let mut reqs: Vec<Requirement> = Vec::new();
        for (i, line) in text.lines().enumerate() {
            let n = i as u32 + 1;
            if let Some(c) = self.signal.captures(line) {
                let names = c.get(1).map_or("", |m| m.as_str());
                if let Some(req) = reqs.last_mut() {
                    for name in names.split(',') {
                        let name =
                            name.trim().trim_matches(|c: char| c == '`' || c == '"' || c == '\'' || c == '*').trim();
                        if !name.is_empty() && !name.contains(char::is_whitespace) {
                            req.signals.push(Signal { name: name.to_string(), line: n, emitted_in: None });
                        }
                    }
                }
                continue;
            }
            // a requirement starts where its id is defined: the first id on a heading or list line
            if let Some(m) = self.id.find(line) {
                let t = line.trim_start();
                let defines = t.starts_with('#')
                    || t.starts_with('-')
                    || t.starts_with('*')
                    || t.starts_with(m.as_str())
                    || t.starts_with("**");
                if defines && !reqs.iter().any(|r| r.id == m.as_str()) {
                    reqs.push(Requirement {
                        id: m.as_str().to_string(),
                        spec: path.to_string(),
                        line: n,
                        signals: Vec::new(),
                    });
                }
            }
        }
        reqs
    }

    pub fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) -> Result<Vec<Requirement>, GateError> {
        let Some(paths) = cx.head_paths()? else {
            return Err(GateError::Other("telemetry traceability needs a git repository to list files".into()));
        };
        let mut reqs = Vec::new();
        for p in paths.iter().filter(|p| self.specs.matches(p)) {
            let Some(bytes) = cx.head_file(p)? else { continue };
            reqs.extend(self.parse(p, &String::from_utf8_lossy(&bytes)));
        }
        let names: Vec<String> = {
            let mut v: Vec<String> = reqs.iter().flat_map(|r| r.signals.iter().map(|s| s.name.clone())).collect();
            v.sort();
            v.dedup();
            v
        };
        let mut emitted: BTreeMap<String, String> = BTreeMap::new();
        if !names.is_empty() {
            let ac = AhoCorasick::new(&names).map_err(|e| GateError::Other(format!("telemetry names: {e}")))?;
            let code = paths.iter().filter(|p| self.code.matches(p) && !self.specs.matches(p)).take(MAX_CODE_FILES);
            for p in code {
                if emitted.len() == names.len() {
                    break;
                }
                let Some(bytes) = cx.head_file(p)? else { continue };
                if bytes.len() > MAX_CODE_BYTES {
                    continue;
                }
                for idx in names_in(&ac, &bytes) {
                    emitted.entry(names[idx].clone()).or_insert_with(|| p.clone());
                }
            }
        }
        for r in &mut reqs {
            for s in &mut r.signals {
                s.emitted_in = emitted.get(&s.name).cloned();
            }
        }
        // findings
        for r in &reqs {
            for s in r.signals.iter().filter(|s| s.emitted_in.is_none()) {
                let removed_from = removed_by_pr(cx, &s.name)?;
                let (loc, msg) = match removed_from {
                    Some(file) => (
                        Location::file(&file),
                        format!(
                            "this change removes the last emission of `{}`, the telemetry signal of {} ({}:{})",
                            s.name, r.id, r.spec, s.line
                        ),
                    ),
                    None => (
                        Location::line(&r.spec, s.line),
                        format!("{} declares telemetry signal `{}`, but no code emits that name", r.id, s.name),
                    ),
                };
                out.push(NOT_EMITTED.finding(Some(loc), msg, &format!("{} {}", r.id, s.name)));
            }
            if self.require_signal && r.signals.is_empty() {
                let added = cx.changes.file(&r.spec).is_some_and(|f| f.touches(r.line));
                if added {
                    let msg = format!("{} was added without a telemetry signal (`Telemetry: <name>`)", r.id);
                    out.push(MISSING.finding(Some(Location::line(&r.spec, r.line)), msg, &r.id));
                }
            }
        }
        reqs.sort_by(|a, b| (&a.spec, a.line).cmp(&(&b.spec, b.line)));
        Ok(reqs)
    }
}

/// Indices of the names that occur in `bytes` as whole names (not inside a longer identifier).
fn names_in(ac: &AhoCorasick, bytes: &[u8]) -> Vec<usize> {
    let part = |b: u8| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-' | b':' | b'/');
    let mut found = Vec::new();
    for m in ac.find_overlapping_iter(bytes) {
        let before = m.start().checked_sub(1).map(|i| bytes[i]);
        let after = bytes.get(m.end()).copied();
        // a trailing `.` after the name ends a sentence or a call chain; allow it
        let after_ok = after.is_none_or(|b| {
            !part(b) || (b == b'.' && bytes.get(m.end() + 1).is_none_or(|c| !c.is_ascii_alphanumeric()))
        });
        if before.is_none_or(|b| !part(b)) && after_ok {
            found.push(m.pattern().as_usize());
        }
    }
    found
}

/// A changed code file that mentioned `name` at base and no longer does at head.
fn removed_by_pr(cx: &Context<'_>, name: &str) -> Result<Option<String>, GateError> {
    for f in &cx.changes.files {
        let Some(bp) = f.base_path() else { continue };
        let Ok(Some(base)) = cx.base_file(bp) else { continue };
        if !String::from_utf8_lossy(&base).contains(name) {
            continue;
        }
        let head = if f.exists_at_head() { cx.head_file(&f.path)? } else { None };
        if head.is_none_or(|h| !String::from_utf8_lossy(&h).contains(name)) {
            return Ok(Some(f.path.clone()));
        }
    }
    Ok(None)
}

/// A Markdown table of the matrix for the job summary.
pub fn summary(reqs: &[Requirement]) -> Vec<Block> {
    if reqs.is_empty() {
        return Vec::new();
    }
    let mut table = Table::new(&["requirement", "signal", "emitted in"]);
    for r in reqs {
        if r.signals.is_empty() {
            table.row(vec![Text::plain(&r.id), Text::new(), Text::new()]);
        }
        for sig in &r.signals {
            let e = sig.emitted_in.as_deref().map_or(Text::strong("not emitted"), Text::code);
            table.row(vec![Text::plain(&r.id), Text::code(&sig.name), e]);
        }
    }
    vec![table.into()]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn compiled() -> Compiled {
        let t = Telemetry {
            specs: vec!["specs/**".into()],
            code: vec![],
            exclude: vec![],
            id: None,
            signal: None,
            require_signal: None,
        };
        Compiled::new(&t).unwrap()
    }

    #[test]
    fn parses_requirements_and_signals() {
        let spec = "# Orders\n\n## REQ-ORD-1 Create order\nThe system creates orders.\nTelemetry: `orders.created`, `orders.latency_ms`\n\n## REQ-ORD-2 Cancel\nSee REQ-ORD-1.\n- **Telemetry:** orders_cancelled_total\n\n- REQ-ORD-3 no signal\n";
        let reqs = compiled().parse("specs/o.md", spec);
        let got: Vec<(String, u32, Vec<String>)> =
            reqs.iter().map(|r| (r.id.clone(), r.line, r.signals.iter().map(|s| s.name.clone()).collect())).collect();
        assert_eq!(
            got,
            vec![
                ("REQ-ORD-1".into(), 3, vec!["orders.created".into(), "orders.latency_ms".into()]),
                ("REQ-ORD-2".into(), 7, vec!["orders_cancelled_total".into()]),
                ("REQ-ORD-3".into(), 11, vec![]),
            ]
        );
    }

    #[test]
    fn names_match_whole() {
        let names = vec!["orders.created".to_string(), "orders".to_string()];
        let ac = AhoCorasick::new(&names).unwrap();
        assert_eq!(names_in(&ac, b"counter!(\"orders.created\", 1)"), vec![0]);
        assert!(names_in(&ac, b"orders.created_total").is_empty());
        assert_eq!(names_in(&ac, b"emit orders."), vec![1]);
    }
}
