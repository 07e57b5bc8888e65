//! The `testability.requirements` gate: requirement ids defined in spec files (Markdown, YAML,
//! TOML), traced to the tests that reference them; the wording of changed requirements.

use super::wording::{Wording, WordingConfig};
use super::{REQ_DUPLICATE, REQ_UNKNOWN, REQ_UNTESTED, WORDING_NO_ACCEPTANCE, WORDING_UNMEASURED, WORDING_VAGUE, at};
use crate::core::matcher::{Globs, regex};
use crate::core::rule::infos;
use crate::core::{Block, Finding, Location, Metric, Table, Text};
use crate::core::{PolicyError, Settings};
use crate::gate::Context;
use crate::gates::{Gate, GateError, GateMeta, GateReport};
use regex::Regex;
use serde_json::json;
use std::collections::{BTreeMap, BTreeSet};

crate::core::settings::gate_config! {
    /// `[testability.requirements]`: requirement traceability and wording.
    pub struct RequirementsConfig {
        /// Globs of spec files that define requirements (`.md`, `.yaml`/`.yml`, `.toml`).
        #[serde(default)]
        pub specs: Vec<String>,
        /// Regex of a requirement id (default `\bREQ-(?:[A-Z0-9]+-)*[0-9]+\b`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub id: Option<String>,
        /// Globs of test files searched for references to requirement ids.
        #[serde(default)]
        pub tests: Vec<String>,
        /// Globs of code files searched for references, for the traceability matrix only.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub code: Vec<String>,
        /// Wording lint of added or changed requirements.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub wording: Option<WordingConfig>,
    }
}

const DEFAULT_ID: &str = r"\bREQ-(?:[A-Z0-9]+-)*[0-9]+\b";
/// Above this many requirements the Markdown matrix lists only the changed ones.
const MAX_MATRIX_ROWS: usize = 200;
/// Files larger than this are not searched for references.
const MAX_SCAN: usize = 4 << 20;

pub struct RequirementsGate {
    meta: GateMeta,
    specs: Globs,
    tests: Globs,
    code: Globs,
    id: Regex,
    wording: Option<Wording>,
}

impl RequirementsGate {
    pub fn build(c: &RequirementsConfig, settings: Settings) -> Result<Self, Vec<PolicyError>> {
        let mut errors = Vec::new();
        for (key, list) in [("specs", &c.specs), ("tests", &c.tests)] {
            if list.is_empty() {
                errors.push(PolicyError::at(at("requirements", &[key]), format!("list the globs of {key} files")));
            }
        }
        let mut globs =
            |list: &[String], key: &str| Globs::new(list, &at("requirements", &[key])).map_err(|e| errors.push(e)).ok();
        let specs = globs(&c.specs, "specs");
        let tests = globs(&c.tests, "tests");
        let code = globs(&c.code, "code");
        let id = regex(c.id.as_deref().unwrap_or(DEFAULT_ID), &at("requirements", &["id"]), "testability.requirements")
            .map_err(|e| errors.push(e))
            .ok();
        let wording = Wording::build(&c.wording.clone().unwrap_or_default(), &at("requirements", &["wording"]))
            .map_err(|e| errors.push(e))
            .ok();
        match (specs, tests, code, id, wording) {
            (Some(specs), Some(tests), Some(code), Some(id), Some(wording)) if errors.is_empty() => {
                let rules = infos(&[
                    &REQ_UNTESTED,
                    &REQ_UNKNOWN,
                    &REQ_DUPLICATE,
                    &WORDING_VAGUE,
                    &WORDING_UNMEASURED,
                    &WORDING_NO_ACCEPTANCE,
                ]);
                let meta = GateMeta::new("testability.requirements", settings, rules);
                Ok(RequirementsGate { meta, specs, tests, code, id, wording })
            }
            _ => Err(errors),
        }
    }
}

/// A requirement as defined in a spec file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Requirement {
    pub id: String,
    pub path: String,
    /// The line that defines the id.
    pub line: u32,
    /// The lines that make up the requirement (definition through its text).
    pub start: u32,
    pub end: u32,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Markdown,
    Yaml,
    Toml,
}

fn kind(path: &str) -> Kind {
    let lower = path.to_ascii_lowercase();
    if lower.ends_with(".yaml") || lower.ends_with(".yml") {
        Kind::Yaml
    } else if lower.ends_with(".toml") {
        Kind::Toml
    } else {
        Kind::Markdown
    }
}

fn indent(line: &str) -> usize {
    line.len() - line.trim_start().len()
}

fn heading_level(line: &str) -> Option<usize> {
    let t = line.trim_start();
    let n = t.chars().take_while(|c| *c == '#').count();
    (n > 0 && n <= 6 && t[n..].starts_with([' ', '\t'])).then_some(n)
}

/// The id a line defines, if it defines one.
fn defines(kind: Kind, line: &str, id: &Regex) -> Option<String> {
    let at_start = |s: &str| id.find(s).filter(|m| m.start() == 0).map(|m| m.as_str().to_string());
    match kind {
        Kind::Markdown => {
            // `## REQ-1: title`, `- **REQ-1**: text`, `1. REQ-1 text`, `REQ-1: text`, `| REQ-1 | text |`
            let t = line.trim_start();
            let t = t.trim_start_matches(|c: char| "#-*+>|[`_ \t".contains(c));
            let t = t.trim_start_matches(|c: char| c.is_ascii_digit());
            let t = t.trim_start_matches(['.', ')', ' ', '*', '_', '[', '`']);
            at_start(t)
        }
        Kind::Yaml => {
            // `- id: REQ-1`, `id: "REQ-1"`, `REQ-1:` (a mapping key)
            let t = line.trim_start().trim_start_matches("- ").trim_start();
            if let Some(v) = t.strip_prefix("id:") {
                return at_start(v.trim().trim_matches(['"', '\'']));
            }
            let key = t.split_once(':').map(|(k, _)| k.trim().trim_matches(['"', '\'']))?;
            at_start(key).filter(|k| k.len() == key.len())
        }
        Kind::Toml => {
            // `id = "REQ-1"`, `[requirements.REQ-1]`, `["REQ-1"]`
            let t = line.trim();
            if let Some(v) = t.strip_prefix("id") {
                let v = v.trim_start().strip_prefix('=')?;
                return at_start(v.trim().trim_matches(['"', '\'']));
            }
            if t.starts_with('[') {
                let inner = t.trim_matches(['[', ']']);
                let last = inner.rsplit('.').next()?.trim().trim_matches(['"', '\'']);
                return at_start(last).filter(|k| k.len() == last.len());
            }
            None
        }
    }
}

/// Every requirement a spec file defines, with the line range of its text.
pub fn parse_spec(path: &str, text: &str, id: &Regex) -> Vec<Requirement> {
    let kind = kind(path);
    let lines: Vec<&str> = text.lines().collect();
    let defs: Vec<(usize, String)> =
        lines.iter().enumerate().filter_map(|(i, l)| defines(kind, l, id).map(|d| (i, d))).collect();
    let is_def: BTreeSet<usize> = defs.iter().map(|(i, _)| *i).collect();
    let mut out = Vec::new();
    for (i, rid) in defs {
        let mut start = i;
        let mut end;
        match kind {
            Kind::Markdown => {
                let level = heading_level(lines[i]);
                let mut j = i + 1;
                while j < lines.len() && !is_def.contains(&j) {
                    let l = lines[j];
                    let stop = match (level, heading_level(l)) {
                        (Some(a), Some(b)) => b <= a,
                        (None, Some(_)) => true,
                        (None, None) => l.trim().is_empty() && lines.get(j + 1).is_none_or(|n| indent(n) == 0),
                        (Some(_), None) => false,
                    };
                    if stop {
                        break;
                    }
                    j += 1;
                }
                end = j - 1;
                while end > i && lines[end].trim().is_empty() {
                    end -= 1;
                }
            }
            Kind::Yaml => {
                let col = indent(lines[i]);
                let list_item = lines[i].trim_start().starts_with("- ");
                let keyed = !list_item && lines[i].trim_start().starts_with("id:");
                if keyed {
                    // `id:` inside a mapping: the mapping starts at the first line of this indent.
                    while start > 0 && indent(lines[start - 1]) >= col && !lines[start - 1].trim().is_empty() {
                        if lines[start - 1].trim_start().starts_with("- ") && indent(lines[start - 1]) + 2 == col {
                            start -= 1;
                            break;
                        }
                        start -= 1;
                    }
                }
                let mut j = i + 1;
                while j < lines.len() && !is_def.contains(&j) {
                    let l = lines[j];
                    let deeper = if keyed { indent(l) >= col } else { indent(l) > col };
                    if !(l.trim().is_empty() || deeper)
                        || (keyed && l.trim_start().starts_with("- ") && indent(l) < col)
                    {
                        break;
                    }
                    j += 1;
                }
                end = j - 1;
                while end > i && lines[end].trim().is_empty() {
                    end -= 1;
                }
            }
            Kind::Toml => {
                if !lines[i].trim().starts_with('[') {
                    while start > 0 && !lines[start].trim().starts_with('[') {
                        start -= 1;
                    }
                }
                let mut j = i + 1;
                while j < lines.len() && !lines[j].trim().starts_with('[') && !is_def.contains(&j) {
                    j += 1;
                }
                end = j - 1;
                while end > i && lines[end].trim().is_empty() {
                    end -= 1;
                }
            }
        }
        out.push(Requirement {
            id: rid,
            path: path.to_string(),
            line: i as u32 + 1,
            start: start as u32 + 1,
            end: end as u32 + 1,
        });
    }
    out
}

/// `(path, line)` of every reference to each id.
type Refs = BTreeMap<String, BTreeSet<(String, u32)>>;

impl RequirementsGate {
    fn scan(&self, path: &str, text: &str, refs: &mut Refs) {
        for (i, l) in text.lines().enumerate() {
            for m in self.id.find_iter(l) {
                refs.entry(m.as_str().to_string()).or_default().insert((path.to_string(), i as u32 + 1));
            }
        }
    }
}

fn read_text(cx: &Context<'_>, path: &str) -> Result<Option<String>, GateError> {
    Ok(cx
        .head_file(path)?
        .filter(|b| b.len() <= MAX_SCAN && !b.contains(&0))
        .map(|b| String::from_utf8_lossy(&b).into_owned()))
}

impl Gate for RequirementsGate {
    fn meta(&self) -> &GateMeta {
        &self.meta
    }

    fn evaluate(&self, cx: &Context<'_>) -> Result<GateReport, GateError> {
        let paths = match cx.head_paths()? {
            Some(paths) => paths,
            None => cx.changes.files.iter().filter(|f| f.exists_at_head()).map(|f| f.path.clone()).collect(),
        };
        let mut reqs: Vec<Requirement> = Vec::new();
        let mut texts: BTreeMap<String, String> = BTreeMap::new();
        let mut test_refs = Refs::new();
        let mut code_refs = Refs::new();
        for p in &paths {
            let (is_spec, is_test, is_code) = (self.specs.matches(p), self.tests.matches(p), self.code.matches(p));
            if !(is_spec || is_test || is_code) {
                continue;
            }
            let Some(text) = read_text(cx, p)? else { continue };
            if is_spec {
                reqs.extend(parse_spec(p, &text, &self.id));
                texts.insert(p.clone(), text);
            } else if is_test {
                self.scan(p, &text, &mut test_refs);
            } else {
                self.scan(p, &text, &mut code_refs);
            }
        }
        if texts.is_empty() {
            return Err(GateError::Input {
                path: self.specs.patterns().join(", "),
                message: "no spec file at head matches `requirements.specs`".into(),
            });
        }
        reqs.sort_by(|a, b| (&a.id, &a.path, a.line).cmp(&(&b.id, &b.path, b.line)));

        let mut findings = Vec::new();
        // Duplicates: every definition of the id points at the others.
        let mut by_id: BTreeMap<&str, Vec<&Requirement>> = BTreeMap::new();
        for r in &reqs {
            by_id.entry(&r.id).or_default().push(r);
        }
        let dup = &REQ_DUPLICATE;
        for (rid, defs) in by_id.iter().filter(|(_, d)| d.len() > 1) {
            for d in defs {
                let others: Vec<String> =
                    defs.iter().filter(|o| o != &d).map(|o| format!("{}:{}", o.path, o.line)).collect();
                let msg = format!("requirement `{rid}` is also defined at {}", others.join(", "));
                findings.push(dup.finding(Some(Location::line(&d.path, d.line)), msg, rid));
            }
        }
        // Unknown ids referenced by tests.
        let unknown = &REQ_UNKNOWN;
        for (rid, places) in &test_refs {
            if by_id.contains_key(rid.as_str()) {
                continue;
            }
            for (p, l) in places {
                let msg = format!("test references `{rid}`, which no spec defines");
                findings.push(unknown.finding(Some(Location::line(p, *l)), msg, rid));
            }
        }
        // Added or changed requirements: their lines include an added line.
        let changed: BTreeSet<(String, u32)> = reqs
            .iter()
            .filter(|r| cx.changes.file(&r.path).is_some_and(|f| f.exists_at_head() && f.touches_range(r.start, r.end)))
            .map(|r| (r.path.clone(), r.line))
            .collect();
        let untested = &REQ_UNTESTED;
        for r in reqs.iter().filter(|r| changed.contains(&(r.path.clone(), r.line))) {
            if !test_refs.contains_key(&r.id) {
                let msg = format!("requirement `{}` is added or changed here but no test references it", r.id);
                findings.push(untested.finding(Some(Location::lines(&r.path, r.start, r.end)), msg, &r.id));
            }
            if let (Some(w), Some(text)) = (&self.wording, texts.get(&r.path)) {
                self.lint(w, r, text, &mut findings);
            }
        }

        // The traceability matrix.
        let mut rows = Vec::new();
        let mut table = Table::new(&["requirement", "spec", "tests", "code"]);
        let mut traced = 0;
        for r in &reqs {
            let tests: BTreeSet<&str> =
                test_refs.get(&r.id).map(|s| s.iter().map(|(p, _)| p.as_str()).collect()).unwrap_or_default();
            let code: BTreeSet<&str> =
                code_refs.get(&r.id).map(|s| s.iter().map(|(p, _)| p.as_str()).collect()).unwrap_or_default();
            traced += usize::from(!tests.is_empty());
            let is_changed = changed.contains(&(r.path.clone(), r.line));
            rows.push(json!({"id": r.id, "spec": format!("{}:{}", r.path, r.line), "changed": is_changed, "tests": tests, "code": code}));
            if reqs.len() > MAX_MATRIX_ROWS && !is_changed {
                continue;
            }
            table.row(vec![
                Text::plain(format!("{}{}", r.id, if is_changed { " (changed)" } else { "" })),
                Text::code(format!("{}:{}", r.path, r.line)),
                Text::codes(&tests),
                Text::codes(&code),
            ]);
        }
        let mut title = Text::strong("Requirements:").and(format!(
            " {} defined, {} added or changed, {traced} referenced by tests.",
            reqs.len(),
            changed.len()
        ));
        if reqs.len() > MAX_MATRIX_ROWS {
            title = title.and(" The table lists the added or changed ones; the full matrix is in the JSON report.");
        }
        let summary = vec![Block::Table(table.titled(title))];
        let unknown_ids: Vec<&String> = test_refs.keys().filter(|k| !by_id.contains_key(k.as_str())).collect();
        let details = json!({"matrix": rows, "unknown_references": unknown_ids});
        let metrics = vec![
            Metric { name: "requirements".into(), value: reqs.len() as f64, unit: None },
            Metric { name: "requirements_changed".into(), value: changed.len() as f64, unit: None },
            Metric { name: "requirements_traced".into(), value: traced as f64, unit: None },
        ];
        Ok(GateReport { findings, metrics, summary, details: Some(details) })
    }
}

impl RequirementsGate {
    fn lint(&self, w: &Wording, r: &Requirement, text: &str, out: &mut Vec<Finding>) {
        let lines: Vec<&str> = text.lines().skip(r.start as usize - 1).take((r.end - r.start + 1) as usize).collect();
        let body = lines.join("\n");
        let without_ids = self.id.replace_all(&body, "");
        let vague = &WORDING_VAGUE;
        if let Some(re) = &w.vague {
            for (k, l) in lines.iter().enumerate() {
                let clean = self.id.replace_all(l, |c: &regex::Captures| " ".repeat(c[0].len()));
                for m in re.find_iter(&clean) {
                    let col = clean[..m.start()].chars().count() as u32 + 1;
                    let n = r.start + k as u32;
                    let loc = Location::line(&r.path, n).with_cols(col, col + m.as_str().chars().count() as u32);
                    let msg = format!("requirement `{}` uses the vague term \"{}\"", r.id, m.as_str());
                    out.push(vague.finding(Some(loc), msg, &format!("{} {}", r.id, m.as_str().to_lowercase())));
                }
            }
        }
        let block = Location::lines(&r.path, r.start, r.end);
        if let Some(re) = &w.performance {
            if let Some(m) = re.find(&without_ids) {
                if !without_ids.chars().any(|c| c.is_ascii_digit()) {
                    let u = &WORDING_UNMEASURED;
                    let msg = format!("requirement `{}` speaks of \"{}\" but states no number", r.id, m.as_str());
                    out.push(u.finding(Some(block.clone()), msg, &r.id));
                }
            }
        }
        if w.require_acceptance && w.acceptance.as_ref().is_some_and(|re| !re.is_match(&without_ids)) {
            let a = &WORDING_NO_ACCEPTANCE;
            let msg = format!("requirement `{}` has no acceptance criteria", r.id);
            out.push(a.finding(Some(block), msg, &r.id));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(path: &str, text: &str) -> Vec<(String, u32, u32, u32)> {
        let re = Regex::new(DEFAULT_ID).unwrap();
        parse_spec(path, text, &re).into_iter().map(|r| (r.id, r.line, r.start, r.end)).collect()
    }

    #[test]
    fn markdown_definitions_and_ranges() {
        let md = "# Auth\n\nSee REQ-AUTH-9 for context.\n\n## REQ-AUTH-1: Login\nUsers log in.\n- Acceptance: given x then y\n\n### Notes\nmore\n## REQ-AUTH-2 Logout\ntext\n\n- **REQ-AUTH-3**: short one\n  continued\n\nafter\n1. REQ-AUTH-4 numbered\n";
        assert_eq!(
            ids("specs/a.md", md),
            vec![
                ("REQ-AUTH-1".into(), 5, 5, 10),
                ("REQ-AUTH-2".into(), 11, 11, 12),
                ("REQ-AUTH-3".into(), 14, 14, 15),
                ("REQ-AUTH-4".into(), 18, 18, 18),
            ]
        );
    }

    #[test]
    fn yaml_definitions() {
        let y = "requirements:\n  - id: REQ-A-1\n    text: Logs in\n    acceptance: given\n  - id: \"REQ-A-2\"\n    text: Logs out\nother:\n  REQ-A-3:\n    text: keyed\n  refs: [REQ-A-1]\n";
        assert_eq!(
            ids("s.yaml", y),
            vec![("REQ-A-1".into(), 2, 2, 4), ("REQ-A-2".into(), 5, 5, 6), ("REQ-A-3".into(), 8, 8, 9)]
        );
        let mapping = "reqs:\n  -\n    title: x\n    id: REQ-B-1\n    text: y\n";
        assert_eq!(ids("s.yml", mapping), vec![("REQ-B-1".into(), 4, 3, 5)]);
    }

    #[test]
    fn toml_definitions() {
        let t = "[[requirement]]\nid = \"REQ-T-1\"\ntext = \"a\"\n\n[[requirement]]\ntext = \"b\"\nid = 'REQ-T-2'\n[requirements.REQ-T-3]\ntext = \"c\"\n";
        assert_eq!(
            ids("r.toml", t),
            vec![("REQ-T-1".into(), 2, 1, 3), ("REQ-T-2".into(), 7, 5, 7), ("REQ-T-3".into(), 8, 8, 9)]
        );
    }
}
