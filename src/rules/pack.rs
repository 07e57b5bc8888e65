//! The one rule-pack engine shared by the families whose rules are data: the generic `patterns`
//! gate, dangerous patterns (`security.patterns`) and observability (stray prints, sensitive
//! logging, instrumentation of new handlers).
//!
//! A rule is data: a kebab-case id, path globs, severity, message and help, and one check:
//! - **line**: a regex that must not match an added line (with keyword pre-filter and `unless`);
//! - **file**: a regex each matching changed file must contain (a licence header...);
//! - **unit**: when a line matches `when`, the function it starts must contain `evidence`.
//!
//! Packs ship as TOML under `gates/` (`[[rule]]` tables) and the policy may add rules or override
//! a built-in one by id. Scanning runs one Aho-Corasick pass over each line for every line rule's
//! keywords, so a rule's regex only runs on lines that contain one of its keywords. Inline
//! suppressions (`gatehouse: allow(rule) reason`) and waivers are applied centrally by the engine.
//!
//! The building blocks ([`check_id`], [`KeywordIndex`], [`PathFilter`]) are public so an engine
//! with extra per-rule logic (secrets: entropy, allow regexes) can share them.

use crate::core::matcher::{PathFilter, key, regex};
use crate::core::{Finding, Location, PolicyError, RuleInfo, Scope, Seg, Severity};
use crate::diff::{ChangedFile, FileStatus, LineKind};
use crate::gate::{Context, GateError};
use crate::lang::{Lang, mask, unit_at};
use aho_corasick::AhoCorasick;
use regex::Regex;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeSet, HashSet};

/// One line rule, as written in a pack file or in the policy.
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

/// Built-in rules overridden (same id) or extended by the policy's, in that order.
pub fn merge<'a>(builtin: &'a [RuleDef], policy: &'a [RuleDef]) -> Vec<&'a RuleDef> {
    let mut out: Vec<&RuleDef> = builtin.iter().filter(|b| !policy.iter().any(|p| p.id == b.id)).collect();
    out.extend(policy);
    out
}

/// Where a rule came from, to place compile errors.
#[derive(Debug, Clone)]
pub enum Origin<'a> {
    /// A built-in pack file (`gates/...toml`).
    Pack(&'a str),
    /// A policy key path such as `observability.forbid[2]`.
    Policy(Vec<Seg>),
}

impl Origin<'_> {
    /// The key of `field` of rule `id` (pack rules are named `file.id.field`).
    fn key(&self, id: &str, field: &str) -> Vec<Seg> {
        match self {
            Origin::Policy(path) => key(path, &[Seg::from(field)]),
            Origin::Pack(file) => vec![Seg::from(*file), Seg::from(id), Seg::from(field)],
        }
    }

    /// The table holding the rule (where `paths`/`exclude` sit).
    fn table(&self, id: &str) -> Vec<Seg> {
        match self {
            Origin::Policy(path) => path.clone(),
            Origin::Pack(file) => vec![Seg::from(*file), Seg::from(id)],
        }
    }

    /// An error about the rule's `field`: at the policy key, or in the pack file.
    fn error(&self, field: &str, msg: String) -> PolicyError {
        match self {
            Origin::Policy(path) => PolicyError::at(key(path, &[Seg::from(field)]), msg),
            Origin::Pack(file) => PolicyError::in_file(file, msg),
        }
    }
}

/// A rule id must be kebab-case and unique within its family: the message, or `Ok`.
pub fn check_id(local: &str, seen: &mut HashSet<String>) -> Result<(), String> {
    if local.is_empty() || !local.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-') {
        return Err(format!("rule id `{local}` must be kebab-case (a-z, 0-9, -)"));
    }
    if !seen.insert(local.to_string()) {
        return Err(format!("rule id `{local}` is used twice"));
    }
    Ok(())
}

/// Names the rule in a path-glob error, so a user with many rules knows which one is broken.
pub fn in_rule(mut e: PolicyError, rule: &str) -> PolicyError {
    e.message = format!("{} (in rule `{rule}`)", e.message);
    e
}

/// What a rule checks, before compiling.
#[derive(Debug, Clone)]
pub enum Check<'a> {
    /// The regex must not match an added line; `keywords` pre-filter, `unless` (on the line or
    /// the one above) exempts it.
    Line { pattern: &'a str, keywords: &'a [String], unless: Option<&'a str> },
    /// Each matching file (added ones, or every changed one) must contain a match.
    File { pattern: &'a str, changed_files: bool },
    /// A line matching `when` starts a function that must contain `evidence`.
    Unit { when: &'a str, evidence: &'a str },
}

/// One rule to compile: its metadata (id `<family>.<local>`), where it applies, its check.
#[derive(Debug, Clone)]
pub struct Spec<'a> {
    /// The id without the family prefix, as written.
    pub local: &'a str,
    pub info: RuleInfo,
    pub paths: &'a [String],
    pub exclude: &'a [String],
    pub check: Check<'a>,
    pub origin: Origin<'a>,
}

impl<'a> Spec<'a> {
    /// A line rule from its definition; summary, why and fix default from the pattern.
    pub fn line(prefix: &str, def: &'a RuleDef, origin: Origin<'a>) -> Spec<'a> {
        let id = format!("{prefix}.{}", def.id);
        let summary = def.message.clone().unwrap_or_else(|| format!("added code matches `{}`", def.pattern));
        let why = def.why.clone().unwrap_or_else(|| format!("Rule `{id}` matches `{}`.", def.pattern));
        let fix = def.help.clone().unwrap_or_else(|| {
            format!("Change the code, or add `gatehouse: allow({id}) <reason>` on or above the line if it is intended.")
        });
        Spec {
            local: &def.id,
            info: RuleInfo::new(id, def.severity.unwrap_or(Severity::Error), summary, why, fix),
            paths: &def.paths,
            exclude: &def.exclude,
            check: Check::Line { pattern: &def.pattern, keywords: &def.keywords, unless: def.unless.as_deref() },
            origin,
        }
    }
}

enum Compiled {
    Line { regex: Regex, unless: Option<Regex> },
    File { regex: Regex, changed_files: bool },
    Unit { when: Regex, evidence: Regex },
}

struct CompiledRule {
    info: RuleInfo,
    filter: PathFilter,
    check: Compiled,
}

/// Which rules a line may fire, from one Aho-Corasick pass over every rule's keywords.
#[derive(Debug, Default)]
pub struct KeywordIndex {
    words: Vec<String>,
    /// keyword index → rules that listed it.
    rules: Vec<Vec<usize>>,
    /// Rules without keywords: always candidates.
    unconditional: Vec<bool>,
    automaton: Option<AhoCorasick>,
}

impl KeywordIndex {
    /// Registers rule `index` (rules are added in order) with its keywords (case-insensitive).
    pub fn add(&mut self, index: usize, keywords: &[String]) {
        if self.unconditional.len() <= index {
            self.unconditional.resize(index + 1, false);
        }
        let mut any = false;
        for k in keywords.iter().filter(|k| !k.is_empty()) {
            any = true;
            let k = k.to_ascii_lowercase();
            match self.words.iter().position(|x| *x == k) {
                Some(i) => self.rules[i].push(index),
                None => {
                    self.words.push(k);
                    self.rules.push(vec![index]);
                }
            }
        }
        self.unconditional[index] = !any;
    }

    /// Builds the automaton once every rule is added.
    pub fn finish(&mut self) -> Result<(), String> {
        if !self.words.is_empty() {
            let ac =
                AhoCorasick::builder().ascii_case_insensitive(true).build(&self.words).map_err(|e| e.to_string())?;
            self.automaton = Some(ac);
        }
        Ok(())
    }

    /// Rules that may fire on `text`: those that apply (`applies[i]`) and have no keyword or
    /// one of theirs on the line.
    pub fn candidates(&self, text: &str, applies: &[bool]) -> Vec<bool> {
        let mut c: Vec<bool> = applies
            .iter()
            .enumerate()
            .map(|(i, a)| *a && self.unconditional.get(i).copied().unwrap_or(false))
            .collect();
        if let Some(ac) = &self.automaton {
            for m in ac.find_overlapping_iter(text) {
                for &i in &self.rules[m.pattern().as_usize()] {
                    c[i] = applies[i];
                }
            }
        }
        c
    }
}

/// A compiled set of rules with one keyword automaton over the line rules.
pub struct RuleSet {
    rules: Vec<CompiledRule>,
    keywords: KeywordIndex,
}

/// What a scan looked at, for the gate's metrics.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ScanStats {
    /// Lines the line rules ran over.
    pub lines: usize,
    /// Functions the unit rules examined.
    pub units: usize,
}

impl RuleSet {
    /// Compiles line rules from their definitions; ids become `<prefix>.<id>`.
    pub fn compile(prefix: &str, rules: &[(&RuleDef, Origin<'_>)]) -> Result<RuleSet, Vec<PolicyError>> {
        RuleSet::build(rules.iter().map(|(d, o)| Spec::line(prefix, d, o.clone())).collect())
    }

    /// Compiles rules of any check. Every problem is returned, each naming its rule.
    pub fn build(specs: Vec<Spec<'_>>) -> Result<RuleSet, Vec<PolicyError>> {
        let mut errors = Vec::new();
        let mut rules = Vec::new();
        let mut seen = HashSet::new();
        let mut keywords = KeywordIndex::default();
        for spec in specs {
            let id = spec.info.id.clone();
            if let Err(msg) = check_id(spec.local, &mut seen) {
                errors.push(spec.origin.error("id", msg));
                continue;
            }
            let k = |field: &str| spec.origin.key(spec.local, field);
            let filter =
                PathFilter::new(spec.paths, spec.exclude, &spec.origin.table(spec.local)).map_err(|e| in_rule(e, &id));
            let (check, words) = match &spec.check {
                Check::Line { pattern, keywords, unless } => {
                    let re = regex(pattern, &k("pattern"), &id);
                    let unless = unless.map(|u| regex(u, &k("unless"), &id)).transpose();
                    match (re, unless) {
                        (Ok(regex), Ok(unless)) => (Some(Compiled::Line { regex, unless }), *keywords),
                        (r, u) => {
                            errors.extend(r.err().into_iter().chain(u.err()));
                            (None, &[][..])
                        }
                    }
                }
                Check::File { pattern, changed_files } => match regex(pattern, &k("pattern"), &id) {
                    Ok(regex) => (Some(Compiled::File { regex, changed_files: *changed_files }), &[][..]),
                    Err(e) => {
                        errors.push(e);
                        (None, &[][..])
                    }
                },
                Check::Unit { when, evidence } => {
                    match (regex(when, &k("when"), &id), regex(evidence, &k("evidence"), &id)) {
                        (Ok(when), Ok(evidence)) => (Some(Compiled::Unit { when, evidence }), &[][..]),
                        (a, b) => {
                            errors.extend(a.err().into_iter().chain(b.err()));
                            (None, &[][..])
                        }
                    }
                }
            };
            let (Some(check), Ok(filter)) = (check, filter.map_err(|e| errors.push(e))) else { continue };
            // Only line rules run per line; the others are never line candidates.
            let index = rules.len();
            if matches!(check, Compiled::Line { .. }) {
                keywords.add(index, words);
            } else {
                keywords.add(index, &[]);
                keywords.unconditional[index] = false;
            }
            rules.push(CompiledRule { info: spec.info, filter, check });
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        keywords
            .finish()
            .map_err(|e| vec![PolicyError::in_file("gates", format!("rule keywords do not compile: {e}"))])?;
        Ok(RuleSet { rules, keywords })
    }

    pub fn is_empty(&self) -> bool {
        self.rules.is_empty()
    }

    pub fn infos(&self) -> Vec<RuleInfo> {
        self.rules.iter().map(|r| r.info.clone()).collect()
    }

    /// Which rules apply to `path`.
    fn for_path(&self, path: &str) -> Vec<bool> {
        self.rules.iter().map(|r| r.filter.matches(path)).collect()
    }

    /// Line-rule findings on one line. `above` is the line before it (for `unless`), when known.
    fn scan_line(&self, applies: &[bool], path: &str, n: u32, text: &str, above: Option<&str>, out: &mut Vec<Finding>) {
        let candidate = self.keywords.candidates(text, applies);
        for (rule, _) in self.rules.iter().zip(&candidate).filter(|(_, c)| **c) {
            let Compiled::Line { regex, unless } = &rule.check else { continue };
            let Some(m) = regex.find(text) else { continue };
            if let Some(u) = unless
                && (u.is_match(text) || above.is_some_and(|a| u.is_match(a)))
            {
                continue;
            }
            let col = text[..m.start()].chars().count() as u32 + 1;
            let end = col + m.as_str().chars().count() as u32;
            let loc = Location::line(path, n).with_cols(col, end);
            out.push(rule.info.finding(Some(loc), &rule.info.summary, text));
        }
    }

    /// Runs the rules over the change. Line rules: the added lines under the default `added`
    /// scope (the only lines that can yield findings there), whole head files otherwise. File
    /// and unit rules read the head file once.
    pub fn scan(&self, cx: &Context<'_>, scope: Scope, out: &mut Vec<Finding>) -> Result<ScanStats, GateError> {
        let mut stats = ScanStats::default();
        for file in cx.changes.files.iter().filter(|f| f.exists_at_head() && !f.binary) {
            let applies = self.for_path(&file.path);
            if !applies.iter().any(|a| *a) {
                continue;
            }
            let lang = Lang::of(&file.path);
            let mut line_rules = false;
            let mut needs_file = false;
            for (rule, _) in self.rules.iter().zip(&applies).filter(|(_, a)| **a) {
                match &rule.check {
                    Compiled::Line { .. } => line_rules = true,
                    Compiled::File { changed_files, .. } => {
                        needs_file |= *changed_files || file.status == FileStatus::Added
                    }
                    Compiled::Unit { .. } => needs_file |= lang.is_some(),
                }
            }
            needs_file |= line_rules && scope != Scope::Added;
            let content = if needs_file { cx.head_file(&file.path)? } else { None };
            let text = content.as_deref().map(String::from_utf8_lossy);
            if line_rules {
                if scope == Scope::Added {
                    stats.lines += self.scan_added(&applies, file, out);
                } else if let Some(text) = &text {
                    let mut above = None;
                    for (i, line) in text.lines().enumerate() {
                        self.scan_line(&applies, &file.path, i as u32 + 1, line, above, out);
                        above = Some(line);
                        stats.lines += 1;
                    }
                }
            }
            let text = text.as_deref().unwrap_or("");
            for (rule, _) in self.rules.iter().zip(&applies).filter(|(_, a)| **a) {
                match &rule.check {
                    Compiled::File { regex, changed_files } => {
                        let applies = *changed_files || file.status == FileStatus::Added;
                        if applies && !regex.is_match(text) {
                            out.push(rule.info.finding(Some(Location::file(&file.path)), &rule.info.summary, ""));
                        }
                    }
                    Compiled::Unit { when, evidence } if content.is_some() => {
                        stats.units += check_units(&rule.info, when, evidence, file, text, scope, out);
                    }
                    Compiled::Line { .. } | Compiled::Unit { .. } => {}
                }
            }
        }
        Ok(stats)
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

/// A unit rule over one file: every trigger on an added line (every line under a wider scope)
/// starts a function (extents from `crate::lang`) that must contain the evidence. Returns how
/// many triggered functions were examined.
fn check_units(
    info: &RuleInfo,
    when: &Regex,
    evidence: &Regex,
    file: &ChangedFile,
    text: &str,
    scope: Scope,
    out: &mut Vec<Finding>,
) -> usize {
    let Some(lang) = Lang::of(&file.path) else { return 0 };
    let code = mask(lang, text, true);
    let lines: Vec<&str> = code.lines().collect();
    let structure = mask(lang, text, false);
    let structure: Vec<&str> = structure.lines().collect();
    let candidates: Vec<u32> = if scope == Scope::Added {
        file.added_lines().map(|(n, _)| n).collect()
    } else {
        (1..=lines.len() as u32).collect()
    };
    let mut examined = 0;
    let mut done: BTreeSet<(u32, u32)> = BTreeSet::new();
    for n in candidates {
        let Some(line) = lines.get(n as usize - 1) else { continue };
        if !when.is_match(line) {
            continue;
        }
        let Some((start, end)) = unit_at(lang, &structure, n) else { continue };
        if !done.insert((start, end)) {
            continue;
        }
        examined += 1;
        let body = lines[start as usize - 1..(end as usize).min(lines.len())].join("\n");
        if evidence.is_match(&body) {
            continue;
        }
        let msg =
            format!("{} (lines {start}-{end} contain no span, metric or log call the rule accepts)", info.summary);
        out.push(info.finding(Some(Location::line(&file.path, n)), msg, line.trim()));
    }
    examined
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
    fn ids_are_unique_across_checks() {
        let line = def("dup", "x", &[]);
        let mut specs = vec![Spec::line("p", &line, Origin::Policy(vec![Seg::from("p"), Seg::Index(0)]))];
        specs.push(Spec {
            local: "dup",
            info: RuleInfo::new("p.dup", Severity::Error, "s", "w", "f"),
            paths: &[],
            exclude: &[],
            check: Check::File { pattern: "y", changed_files: false },
            origin: Origin::Policy(vec![Seg::from("p"), Seg::Index(1)]),
        });
        let errs = RuleSet::build(specs).err().unwrap();
        assert_eq!(errs.len(), 1);
        assert!(errs[0].message.contains("used twice"), "{errs:?}");
    }

    #[test]
    fn packs_parse_with_unknown_keys_rejected() {
        assert_eq!(parse_pack("p.toml", "[[rule]]\nid = \"a\"\npattern = \"b\"\n").unwrap().len(), 1);
        let e = parse_pack("p.toml", "[[rule]]\nid = \"a\"\npatern = \"b\"\n").unwrap_err();
        assert!(e.to_string().contains("p.toml"), "{e}");
    }
}
