//! Data-driven regex rules shared by the gate families that ship rule packs (dangerous patterns,
//! stray prints, logging of sensitive fields, the generic `patterns` gate).
//!
//! A rule is data: id, regex, optional keywords, path globs, message, help. Packs ship as TOML
//! under `gates/` (`[[rule]]` tables) and the policy may add rules or override a built-in one by id.
//! Scanning runs a single Aho-Corasick pass over each line for every rule's keywords, so a rule's
//! regex only runs on lines that contain one of its keywords.

use crate::diff::{ChangedFile, LineKind};
use crate::engine::Context;
use crate::finding::{Finding, Location, Severity};
use crate::gates::{GateError, RuleInfo};
use crate::matcher::{PathFilter, key, regex};
use crate::policy::{PolicyError, Scope, Seg};
use aho_corasick::AhoCorasick;
use regex::Regex;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// One regex rule, as written in a pack file or in the policy.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RuleDef {
    /// Short kebab-case id; findings carry `<family>.<id>`. Reusing a built-in id overrides that rule.
    pub id: String,
    /// Rust regex syntax (https://docs.rs/regex), matched against one line at a time.
    pub pattern: String,
    /// Case-insensitive words of which at least one must be on the line before the regex runs
    /// (a fast pre-filter). Empty: the regex runs on every line.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub keywords: Vec<String>,
    /// Path globs the rule applies to; empty means every file.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub paths: Vec<String>,
    /// Path globs excluded from `paths`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub exclude: Vec<String>,
    /// A line (or the line above it) matching this regex is not a finding, e.g. `// SAFETY:`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unless: Option<String>,
    /// What the finding says.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// Why it matters (shown by `gatehouse explain`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub why: Option<String>,
    /// How to fix it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
    /// `error` (default), `warning` or `notice`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub severity: Option<Severity>,
}

/// A pack file: `[[rule]]` tables.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PackFile {
    rule: Vec<RuleDef>,
}

/// Parses a built-in pack. Its problems are reported against the pack's file name.
pub fn parse_pack(file: &str, text: &str) -> Result<Vec<RuleDef>, PolicyError> {
    toml::from_str::<PackFile>(text).map(|p| p.rule).map_err(|e| PolicyError::in_file(file, e.to_string()))
}

/// Where a rule came from, to place compile errors.
pub enum Origin<'a> {
    /// A built-in pack file (`gates/...toml`).
    Pack(&'a str),
    /// A policy key path such as `observability.forbid[2]`.
    Policy(Vec<Seg>),
}

struct Compiled {
    info: RuleInfo,
    regex: Regex,
    filter: PathFilter,
    unless: Option<Regex>,
    /// No keywords: always a candidate.
    unconditional: bool,
}

/// A compiled set of rules with one keyword automaton over all of them.
pub struct RuleSet {
    rules: Vec<Compiled>,
    keywords: Option<AhoCorasick>,
    /// keyword pattern index → rules that listed it.
    keyword_rules: Vec<Vec<usize>>,
}

/// Built-in rules overridden (same id) or extended by the policy's, in that order.
pub fn merge<'a>(builtin: &'a [RuleDef], policy: &'a [RuleDef]) -> Vec<&'a RuleDef> {
    let mut out: Vec<&RuleDef> = builtin.iter().filter(|b| !policy.iter().any(|p| p.id == b.id)).collect();
    out.extend(policy);
    out
}

impl RuleSet {
    /// Compiles rules; ids become `<prefix>.<id>`. Every problem is returned, each naming its rule.
    pub fn compile(prefix: &str, rules: &[(&RuleDef, Origin<'_>)]) -> Result<RuleSet, Vec<PolicyError>> {
        let mut errors = Vec::new();
        let mut compiled = Vec::new();
        let mut seen = std::collections::HashSet::new();
        let mut keywords: Vec<String> = Vec::new();
        let mut keyword_rules: Vec<Vec<usize>> = Vec::new();
        for (def, origin) in rules {
            let id = format!("{prefix}.{}", def.id);
            let at = |field: &str| match origin {
                Origin::Policy(path) => PlaceAt::Key(key(path, &[Seg::from(field)])),
                Origin::Pack(file) => PlaceAt::File(file),
            };
            let err = |field: &str, msg: String| match at(field) {
                PlaceAt::Key(k) => PolicyError::at(k, msg),
                PlaceAt::File(f) => PolicyError::in_file(f, msg),
            };
            if def.id.is_empty() || !def.id.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-') {
                errors.push(err("id", format!("rule id `{}` must be kebab-case (a-z, 0-9, -)", def.id)));
                continue;
            }
            if !seen.insert(def.id.clone()) {
                errors.push(err("id", format!("rule id `{}` is used twice", def.id)));
                continue;
            }
            let key_of = |field: &str| match origin {
                Origin::Policy(path) => key(path, &[Seg::from(field)]),
                Origin::Pack(file) => vec![Seg::from(*file), Seg::from(def.id.as_str()), Seg::from(field)],
            };
            let re = regex(&def.pattern, &key_of("pattern"), &id);
            let unless = def.unless.as_deref().map(|u| regex(u, &key_of("unless"), &id)).transpose();
            let path_key = match origin {
                Origin::Policy(path) => path.clone(),
                Origin::Pack(file) => vec![Seg::from(*file), Seg::from(def.id.as_str())],
            };
            let filter = PathFilter::new(&def.paths, &def.exclude, &path_key).map_err(|e| in_rule(e, &id));
            let (re, unless, filter) = match (re, unless, filter) {
                (Ok(r), Ok(u), Ok(f)) => (r, u, f),
                (r, u, f) => {
                    errors.extend(r.err().into_iter().chain(u.err()).chain(f.err()));
                    continue;
                }
            };
            let index = compiled.len();
            let mut unconditional = true;
            for k in def.keywords.iter().filter(|k| !k.is_empty()) {
                unconditional = false;
                let k = k.to_ascii_lowercase();
                match keywords.iter().position(|x| *x == k) {
                    Some(i) => keyword_rules[i].push(index),
                    None => {
                        keywords.push(k);
                        keyword_rules.push(vec![index]);
                    }
                }
            }
            let summary = def.message.clone().unwrap_or_else(|| format!("added code matches `{}`", def.pattern));
            let why = def.why.clone().unwrap_or_else(|| format!("Rule `{id}` matches `{}`.", def.pattern));
            let fix = def.help.clone().unwrap_or_else(|| {
                format!(
                    "Change the code, or add `gatehouse: allow({id}) <reason>` on or above the line if it is intended."
                )
            });
            let info = RuleInfo { id, severity: def.severity.unwrap_or(Severity::Error), summary, why, fix };
            compiled.push(Compiled { info, regex: re, filter, unless, unconditional });
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        let automaton = if keywords.is_empty() {
            None
        } else {
            let ac = AhoCorasick::builder().ascii_case_insensitive(true).build(&keywords).map_err(|e| {
                vec![PolicyError::in_file(prefix, format!("keywords of `{prefix}` rules do not compile: {e}"))]
            })?;
            Some(ac)
        };
        Ok(RuleSet { rules: compiled, keywords: automaton, keyword_rules })
    }

    pub fn is_empty(&self) -> bool {
        self.rules.is_empty()
    }

    pub fn infos(&self) -> Vec<RuleInfo> {
        self.rules.iter().map(|r| r.info.clone()).collect()
    }

    /// Indices of the rules that apply to `path`.
    fn for_path(&self, path: &str) -> Vec<bool> {
        self.rules.iter().map(|r| r.filter.matches(path)).collect()
    }

    /// Findings on one line. `above` is the line before it (for `unless`), when known.
    fn scan_line(&self, applies: &[bool], path: &str, n: u32, text: &str, above: Option<&str>, out: &mut Vec<Finding>) {
        let mut candidate: Vec<bool> = self.rules.iter().zip(applies).map(|(r, a)| *a && r.unconditional).collect();
        if let Some(ac) = &self.keywords {
            for m in ac.find_overlapping_iter(text) {
                for &i in &self.keyword_rules[m.pattern().as_usize()] {
                    candidate[i] = applies[i];
                }
            }
        }
        for (rule, _) in self.rules.iter().zip(&candidate).filter(|(_, c)| **c) {
            let Some(m) = rule.regex.find(text) else { continue };
            if let Some(u) = &rule.unless
                && (u.is_match(text) || above.is_some_and(|a| u.is_match(a)))
            {
                continue;
            }
            let col = text[..m.start()].chars().count() as u32 + 1;
            let end = col + m.as_str().chars().count() as u32;
            let loc = Location::line(path, n).with_cols(col, end);
            out.push(
                Finding::new(&rule.info.id, rule.info.severity, Some(loc), &rule.info.summary, text)
                    .with_help(&rule.info.fix),
            );
        }
    }

    /// Runs the rules over the change: the added lines under the default `added` scope (the only
    /// lines that can yield findings there), whole head files otherwise. Returns the lines scanned.
    pub fn scan(&self, cx: &Context<'_>, scope: Scope, out: &mut Vec<Finding>) -> Result<usize, GateError> {
        let mut scanned = 0;
        for file in cx.changes.files.iter().filter(|f| f.exists_at_head() && !f.binary) {
            let applies = self.for_path(&file.path);
            if !applies.iter().any(|a| *a) {
                continue;
            }
            if scope == Scope::Added {
                scanned += self.scan_added(&applies, file, out);
            } else if let Some(content) = cx.head_file(&file.path)? {
                let text = String::from_utf8_lossy(&content);
                let mut above = None;
                for (i, line) in text.lines().enumerate() {
                    self.scan_line(&applies, &file.path, i as u32 + 1, line, above, out);
                    above = Some(line);
                    scanned += 1;
                }
            }
        }
        Ok(scanned)
    }

    fn scan_added(&self, applies: &[bool], file: &ChangedFile, out: &mut Vec<Finding>) -> usize {
        let mut scanned = 0;
        for hunk in &file.hunks {
            let mut above: Option<&str> = None;
            for line in hunk.lines.iter().filter(|l| l.kind != LineKind::Removed) {
                if let (LineKind::Added, Some(n)) = (line.kind, line.new_line) {
                    self.scan_line(applies, &file.path, n, &line.text, above, out);
                    scanned += 1;
                }
                above = Some(&line.text);
            }
        }
        scanned
    }
}

/// Names the rule in a path-glob error, so a user with many rules knows which one is broken.
pub fn in_rule(mut e: PolicyError, rule: &str) -> PolicyError {
    e.message = format!("{} (in rule `{rule}`)", e.message);
    e
}

enum PlaceAt<'a> {
    Key(Vec<Seg>),
    File(&'a str),
}

#[cfg(test)]
mod tests {
    use super::*;

    fn def(id: &str, pattern: &str, keywords: &[&str]) -> RuleDef {
        RuleDef {
            id: id.into(),
            pattern: pattern.into(),
            keywords: keywords.iter().map(|k| k.to_string()).collect(),
            paths: vec![],
            exclude: vec![],
            unless: None,
            message: None,
            why: None,
            help: None,
            severity: None,
        }
    }

    fn scan(set: &RuleSet, path: &str, lines: &[&str]) -> Vec<String> {
        let applies = set.for_path(path);
        let mut out = Vec::new();
        let mut above = None;
        for (i, l) in lines.iter().enumerate() {
            set.scan_line(&applies, path, i as u32 + 1, l, above, &mut out);
            above = Some(l);
        }
        out.iter().map(|f| format!("{}@{}", f.rule, f.location.as_ref().unwrap().start_line.unwrap())).collect()
    }

    #[test]
    fn keywords_gate_the_regex_and_unless_looks_at_the_line_above() {
        let mut unsafe_rule = def("unsafe-without-safety", r"\bunsafe\s*\{", &["unsafe"]);
        unsafe_rule.unless = Some(r"SAFETY:".into());
        let rules = [def("eval", r"\beval\(", &["EVAL"]), unsafe_rule, def("todo", "TODO", &[])];
        let with: Vec<_> = rules.iter().map(|r| (r, Origin::Pack("gates/test.toml"))).collect();
        let set = RuleSet::compile("t", &with).unwrap();
        let got =
            scan(&set, "a.rs", &["x = Eval(1); eval(2)", "// SAFETY: checked", "unsafe { f() }", "unsafe {", "TODO"]);
        assert_eq!(got, vec!["t.eval@1", "t.unsafe-without-safety@4", "t.todo@5"]);
    }

    #[test]
    fn paths_restrict_rules_and_policy_overrides_builtin_by_id() {
        let mut builtin = def("print", r"println!", &["println"]);
        builtin.paths = vec!["src/**".into()];
        let mut over = def("print", r"dbg!", &["dbg"]);
        over.paths = vec!["src/**".into()];
        let builtins = [builtin];
        let policy = [over];
        let merged = merge(&builtins, &policy);
        let with: Vec<_> = merged.iter().map(|r| (*r, Origin::Policy(vec![Seg::from("x")]))).collect();
        let set = RuleSet::compile("o", &with).unwrap();
        assert_eq!(scan(&set, "src/a.rs", &["println!(1)", "dbg!(2)"]), vec!["o.print@2"]);
        assert!(scan(&set, "tests/a.rs", &["dbg!(2)"]).is_empty());
    }

    #[test]
    fn bad_regex_names_the_rule_and_bad_ids_are_rejected() {
        let rules = [def("ok", "(", &[]), def("Bad Id", "x", &[])];
        let at = vec![Seg::from("observability"), Seg::from("forbid")];
        let with: Vec<_> = rules.iter().map(|r| (r, Origin::Policy(at.clone()))).collect();
        let errs = RuleSet::compile("o", &with).err().unwrap();
        let text: Vec<String> = errs.iter().map(|e| e.to_string()).collect();
        assert_eq!(errs.len(), 2, "{text:?}");
        assert!(text[0].contains("o.ok"), "{text:?}");
        assert!(text[1].contains("kebab-case"), "{text:?}");
    }

    #[test]
    fn packs_parse_with_unknown_keys_rejected() {
        assert_eq!(parse_pack("p.toml", "[[rule]]\nid = \"a\"\npattern = \"b\"\n").unwrap().len(), 1);
        let e = parse_pack("p.toml", "[[rule]]\nid = \"a\"\npatern = \"b\"\n").unwrap_err();
        assert!(e.to_string().contains("p.toml"), "{e}");
    }
}
