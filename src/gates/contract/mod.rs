//! Contract gate: "does this PR break the people who call us?". Each contract file (OpenAPI,
//! GraphQL SDL, JSON Schema) is read at base and at head, every change is classified
//! (breaking / warning / info), and unmanaged breaking changes fail the gate.
//!
//! Scope: removals are found in the BASE file, so the default "added lines" scope of the engine
//! would drop them. Unless the policy sets `scope` on `[contract]`, this gate uses `all`; only
//! contract files the PR changed (or whose `$ref`'d files it changed) are compared anyway.
//! A removal is annotated on the closest surviving ancestor in the head file (e.g. the `paths`
//! entry of a removed operation) and its message names the base line.

mod docs;
pub mod graphql;
mod jsonschema;
mod num;
mod openapi;
mod rules;
pub mod schema;
mod tree;

use super::{Built, Family, Gate, GateError, GateMeta, GateReport, RuleInfo};
use crate::core::matcher::{Globs, key};
use crate::core::{Block, Finding, Location, Metric, Rule, RuleRef, Severity, Table, Text};
use crate::core::{Common, GateCommon, PolicyError, Scope, Seg, Settings};
use crate::gate::Context;
use crate::gates::Policy as GatesPolicy;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

crate::core::settings::gate_config! {
    /// `[contract]`: breaking-change detection for API contracts. `scope` defaults to `all` here.
    pub struct Config {
        /// OpenAPI 3.0/3.1 descriptions (YAML or JSON) to compare between base and head.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub openapi: Vec<OpenApiSpec>,
        /// GraphQL SDL schemas.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub graphql: Vec<GraphqlSchema>,
        /// JSON Schema (draft 7 / 2020-12) documents.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub jsonschema: Vec<JsonSchemaDoc>,
        /// Per-rule level overrides: `{ "contract.openapi.request-default-changed" = "info" }`.
        #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
        pub levels: BTreeMap<String, Level>,
        /// Changes that are listed in the changelog but never reported as findings.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub ignore: Vec<Ignore>,
    }
}

/// One OpenAPI description.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct OpenApiSpec {
    /// Path (or glob) of the root document in the repository.
    pub path: String,
    /// A breaking change requires the major part of `info.version` (semver) to grow (the minor part for 0.x).
    #[serde(default)]
    pub require_major_bump_on_breaking: bool,
    /// Breaking changes to operations that were already `deprecated` at base with an `x-sunset`
    /// date in the past are reported as info. Default true.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allow_breaking_after_sunset: Option<bool>,
    /// Minimum days of notice between deprecating an operation and its `x-sunset`, per
    /// `x-stability-level` (`{ stable = 180, beta = 30 }`). When set for a level, deprecating
    /// without an `x-sunset`, or with a nearer one, is breaking, and so is removing an operation
    /// that was deprecated without one.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub deprecation_days: BTreeMap<StabilityLevel, u32>,
    /// Endpoints whose `x-stability-level` is below this may change freely (their breaking
    /// changes are info). Default `beta`: `draft` and `alpha` endpoints are not held to
    /// compatibility; endpoints without the extension count as `stable`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stability_level: Option<StabilityLevel>,
}

/// `x-stability-level` values, lowest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum StabilityLevel {
    Draft,
    Alpha,
    Beta,
    Stable,
}

/// One GraphQL SDL schema.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct GraphqlSchema {
    /// Path (or glob) of the SDL file; every file a glob matches is one schema.
    pub path: String,
    /// Client operations (`.graphql` files, `gql`/`graphql` tagged templates in JS/TS) validated
    /// against the head schema and named in the breaking changes they depend on.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub documents: Vec<String>,
    /// Level (`warning`, `info`) for breaking changes no document uses. Default: unchanged.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub breaking_unused: Option<Level>,
}

/// One JSON Schema document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct JsonSchemaDoc {
    /// Path (or glob) of the schema file.
    pub path: String,
    /// Schema Registry modes: `backward` (default; the revision reads data written under the
    /// base), `forward` (the base reads data written under the revision), `full` (both), and
    /// `backward_transitive`/`forward_transitive`/`full_transitive` (against every earlier
    /// version of the file in the base branch's history, not only the base).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub compatibility: Option<Compatibility>,
    /// The registry's set of compatible changes: `strict` (default) or `lenient` (also
    /// accepts properties added to or removed from open content models, and narrowed
    /// `additionalProperties`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub policy: Option<Policy>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Compatibility {
    Backward,
    Forward,
    Full,
    BackwardTransitive,
    ForwardTransitive,
    FullTransitive,
}

impl Compatibility {
    pub fn backward(self) -> bool {
        matches!(self, Self::Backward | Self::Full | Self::BackwardTransitive | Self::FullTransitive)
    }
    pub fn forward(self) -> bool {
        matches!(self, Self::Forward | Self::Full | Self::ForwardTransitive | Self::FullTransitive)
    }
    pub fn transitive(self) -> bool {
        matches!(self, Self::BackwardTransitive | Self::ForwardTransitive | Self::FullTransitive)
    }
}

/// Schema Registry's JSON Schema compatibility policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Policy {
    #[default]
    Strict,
    Lenient,
}

/// How serious a contract change is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Info,
    Warning,
    Breaking,
}

impl Level {
    fn severity(self) -> Severity {
        match self {
            Level::Breaking => Severity::Error,
            Level::Warning => Severity::Warning,
            Level::Info => Severity::Notice,
        }
    }
}

/// Changes set aside by rule and/or API path.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Ignore {
    /// Rule ids (or a prefix such as `contract.graphql`); empty means every rule.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rules: Vec<String>,
    /// Globs on the API path (`/legacy/**`), GraphQL coordinate (`Query.*`) or JSON pointer; empty means all.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub paths: Vec<String>,
    /// Why these changes are acceptable. Required.
    pub reason: String,
}

/// Which version of a file a pointer refers to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Side {
    Base,
    Head,
}

/// A contract rule, declared once as a `const` by its contract kind (`openapi`, `graphql`,
/// `jsonschema`): a mistyped rule does not compile. Its severity follows its level.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct ContractRule {
    /// Full rule id (`contract.openapi.path-removed`).
    pub id: &'static str,
    /// Default level; `[contract] levels` may override it.
    pub level: Level,
    pub summary: &'static str,
}

/// The fix shared by every change rule.
const CHANGE_FIX: &str = "Make the change backward compatible (add instead of change, keep old names as deprecated with an `x-sunset` date), bump the major version, or set the rule's level / an `ignore` entry in `[contract]` with a reason.";

impl ContractRule {
    pub const fn new(id: &'static str, level: Level, summary: &'static str) -> Self {
        ContractRule { id, level, summary }
    }

    /// The finding for a (merged) change at `level`, after the policy's overrides.
    pub fn finding_at(&self, level: Level, loc: Location, message: String, content: &str) -> Finding {
        Finding::new(self, Some(loc), message, content).with_severity(level.severity()).with_help(format!(
            "Run `gatehouse explain {}` for how to make this change safely; or set its level in `[contract] levels` or add an `ignore` entry with a reason.",
            self.id
        ))
    }

    pub fn info(&self) -> RuleInfo {
        let why = match self.level {
            Level::Breaking => "Existing clients built against the base contract stop working when this ships.",
            Level::Warning => {
                "Existing clients may misbehave (e.g. an unknown enum value in a response) or need to act soon."
            }
            Level::Info => "A compatible change, listed in the contract changelog.",
        };
        RuleInfo::new(self.id, self.level.severity(), self.summary, why, CHANGE_FIX)
    }
}

impl RuleRef for ContractRule {
    fn id(&self) -> &str {
        self.id
    }
    fn severity(&self) -> Severity {
        self.level.severity()
    }
    fn fix(&self) -> &str {
        CHANGE_FIX
    }
}

/// Every change rule of every contract kind.
fn change_rules() -> impl Iterator<Item = &'static ContractRule> {
    rules::OPERATION_RULES
        .iter()
        .chain(rules::OPENAPI_SCHEMA_RULES)
        .chain(graphql::RULES)
        .chain(rules::JSONSCHEMA_SCHEMA_RULES)
        .chain(jsonschema::RULES)
        .copied()
}

fn rule_id<S: serde::Serializer>(rule: &&'static ContractRule, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(rule.id)
}

/// One classified change, as a family reports it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Change {
    /// The rule (serialised as its id, `contract.openapi.path-removed`).
    #[serde(serialize_with = "rule_id")]
    pub rule: &'static ContractRule,
    pub level: Level,
    /// Changelog group: endpoint (`GET /pets`), GraphQL type, or schema file.
    pub group: String,
    /// What `ignore.paths` matches: the API path, GraphQL coordinate or JSON pointer.
    pub subject: String,
    /// JSON pointer (or GraphQL coordinate) of what changed.
    pub pointer: String,
    /// The file the pointer is in (a `$ref`'d file may differ from the root document).
    pub file: String,
    pub side: Side,
    /// Where inside the group (`parameter limit (query)`, `response 200 application/json`); may be empty.
    pub context: String,
    /// 1-based line in the head file (for removals: the closest surviving ancestor).
    pub head_line: Option<u32>,
    /// 1-based line in the base file, for changes found there.
    pub base_line: Option<u32>,
    pub message: String,
    /// Why the level was lowered or the change ignored, if it was.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub ignored: bool,
}

/// What a family found for one contract file.
pub struct Compared {
    pub kind: &'static str,
    pub path: String,
    pub changes: Vec<Change>,
    /// Findings that are not changes (unparsable file at head, broken `$ref`).
    pub problems: Vec<Finding>,
    /// `info.version` at base and head, and the head line of it.
    pub versions: Option<(Option<String>, Option<String>, u32)>,
}

pub const FAMILY: Family = Family { name: "contract", build, catalogue };

pub const PARSE_ERROR: Rule = Rule::new(
    "contract.parse-error",
    Severity::Error,
    "A contract file (or a file it references) cannot be parsed at head.",
    "A contract that does not parse cannot be checked, and breaks every generator and client that reads it.",
    "Fix the syntax at the line named; validate the file with your API tooling before pushing.",
);

pub const MAJOR_BUMP: Rule = Rule::new(
    "contract.openapi.major-bump-required",
    Severity::Error,
    "The PR makes breaking changes but does not raise the major part of `info.version`.",
    "Semantic versioning tells clients whether an upgrade is safe; a breaking change under the same major version lies to them.",
    "Bump the major version in `info.version` (the minor one for 0.x), or make the change backward compatible.",
);

fn catalogue() -> Vec<RuleInfo> {
    let mut v = vec![PARSE_ERROR.info(), MAJOR_BUMP.info()];
    v.extend(change_rules().map(|r| r.info()));
    v
}

/// The default level of a change rule named in the policy (`levels`), if it is one.
fn default_level(rule: &str) -> Option<Level> {
    change_rules().find(|r| r.id == rule).map(|r| r.level)
}

struct Entry {
    kind: &'static str,
    glob: Globs,
    literal: Option<String>,
    major_bump: bool,
    after_sunset: bool,
    compat: Compatibility,
    policy: Policy,
    openapi: openapi::Options,
    graphql: Option<graphql::Options>,
}

struct CompiledIgnore {
    rules: Vec<String>,
    paths: Globs,
    reason: String,
}

struct ContractGate {
    meta: GateMeta,
    entries: Vec<Entry>,
    levels: BTreeMap<String, Level>,
    ignore: Vec<CompiledIgnore>,
}

fn is_glob(p: &str) -> bool {
    p.contains(['*', '?', '[', '{'])
}

fn build(policy: &GatesPolicy) -> Built {
    let Some(cfg) = &policy.contract else { return Ok(Vec::new()) };
    let mut errors = Vec::new();
    let mut entries = Vec::new();
    let root = [Seg::from("contract")];
    let mut add = |kind: &'static str, i: usize, path: &str, major_bump, after_sunset, compat, policy, openapi| {
        let at = key(&root, &[Seg::from(kind), Seg::Index(i)]);
        match Globs::new(&[path.to_string()], &key(&at, &[Seg::from("path")])) {
            Ok(glob) => {
                let literal = (!is_glob(path)).then(|| path.trim_start_matches("./").to_string());
                entries.push(Entry {
                    kind,
                    glob,
                    literal,
                    major_bump,
                    after_sunset,
                    compat,
                    policy,
                    openapi,
                    graphql: None,
                })
            }
            Err(mut e) => {
                e.key = key(&at, &[Seg::from("path")]);
                errors.push(e)
            }
        }
    };
    for (i, s) in cfg.openapi.iter().enumerate() {
        let after_sunset = s.allow_breaking_after_sunset.unwrap_or(true);
        let lower = |l: &StabilityLevel| format!("{l:?}").to_lowercase();
        let opts = openapi::Options {
            after_sunset,
            deprecation_days: s.deprecation_days.iter().map(|(k, v)| (lower(k), *v)).collect(),
            stability_threshold: s.stability_level.unwrap_or(StabilityLevel::Beta) as usize,
        };
        add(
            "openapi",
            i,
            &s.path,
            s.require_major_bump_on_breaking,
            after_sunset,
            Compatibility::Backward,
            Policy::Strict,
            opts,
        );
    }
    for (i, s) in cfg.graphql.iter().enumerate() {
        add("graphql", i, &s.path, false, true, Compatibility::Backward, Policy::Strict, Default::default());
    }
    for (i, s) in cfg.jsonschema.iter().enumerate() {
        let compat = s.compatibility.unwrap_or(Compatibility::Backward);
        add("jsonschema", i, &s.path, false, true, compat, s.policy.unwrap_or_default(), Default::default());
    }
    // GraphQL entries, in policy order (when a path failed to compile, `errors` is not empty).
    for (i, (s, e)) in cfg.graphql.iter().zip(entries.iter_mut().filter(|e| e.kind == "graphql")).enumerate() {
        let at = key(&root, &[Seg::from("graphql"), Seg::Index(i), Seg::from("documents")]);
        match (!s.documents.is_empty()).then(|| Globs::new(&s.documents, &at)).transpose() {
            Ok(documents) => e.graphql = Some(graphql::Options { documents, breaking_unused: s.breaking_unused }),
            Err(err) => errors.push(err),
        }
    }
    let known: Vec<RuleInfo> = catalogue();
    for rule in cfg.levels.keys() {
        if default_level(rule).is_none() {
            let mut e = PolicyError::at(
                key(&root, &[Seg::from("levels"), Seg::from(rule.as_str())]),
                format!("unknown contract rule `{rule}`"),
            );
            e.suggestion = crate::core::error::closest(rule, known.iter().map(|r| r.id.as_str()))
                .map(|s| format!("did you mean `{s}`?"));
            errors.push(e);
        }
    }
    let mut ignore = Vec::new();
    for (i, ig) in cfg.ignore.iter().enumerate() {
        let at = key(&root, &[Seg::from("ignore"), Seg::Index(i)]);
        if ig.reason.trim().is_empty() {
            errors.push(PolicyError::at(key(&at, &[Seg::from("reason")]), "an ignore entry needs a reason"));
        }
        for (j, r) in ig.rules.iter().enumerate() {
            if !known.iter().any(|k| k.id == *r || k.id.starts_with(&format!("{r}."))) {
                errors.push(PolicyError::at(
                    key(&at, &[Seg::from("rules"), Seg::Index(j)]),
                    format!("`{r}` names no contract rule"),
                ));
            }
        }
        let stripped: Vec<String> = ig.paths.iter().map(|p| p.trim_start_matches('/').to_string()).collect();
        match Globs::new(&stripped, &key(&at, &[Seg::from("paths")])) {
            Ok(paths) => ignore.push(CompiledIgnore { rules: ig.rules.clone(), paths, reason: ig.reason.clone() }),
            Err(e) => errors.push(e),
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    // Removals live on base lines: default this gate's scope to `all` unless the table sets it.
    let own_default = Common { scope: Some(Scope::All), ..Default::default() };
    let settings = Settings::resolve(&policy.defaults, &[own_default, cfg.common()]);
    let mut rules = catalogue();
    for r in &mut rules {
        if let Some(l) = cfg.levels.get(&r.id) {
            r.severity = l.severity();
        }
    }
    let meta = GateMeta::new("contract", settings, rules);
    Ok(vec![Box::new(ContractGate { meta, entries, levels: cfg.levels.clone(), ignore })])
}

impl Gate for ContractGate {
    fn meta(&self) -> &GateMeta {
        &self.meta
    }

    fn evaluate(&self, cx: &Context<'_>) -> Result<GateReport, GateError> {
        let mut compared = Vec::new();
        let today = crate::core::date::today();
        let changed: Vec<&str> =
            cx.changes.files.iter().flat_map(|f| std::iter::once(f.path.as_str()).chain(f.base_path())).collect();
        let mut done = std::collections::BTreeSet::new();
        for entry in &self.entries {
            if let Some(opts) = &entry.graphql {
                let literal = entry.literal.as_deref();
                compared.extend(graphql::evaluate(cx, &entry.glob, literal, opts, &changed)?.map(|c| (c, false)));
                continue;
            }
            // (base path, head path) pairs to compare.
            let mut pairs: Vec<(Option<String>, Option<String>)> = Vec::new();
            // Binary-looking files (a NUL byte, UTF-16) are read too: a contract is either
            // understood or an error naming it, never skipped (every kind, GraphQL included).
            for f in &cx.changes.files {
                let (base, head) = (f.base_path(), f.path.as_str());
                if !(entry.glob.matches(head) || base.is_some_and(|b| entry.glob.matches(b))) {
                    continue;
                }
                let base = base.map(str::to_string);
                let head = (!matches!(f.status, crate::diff::FileStatus::Deleted)).then(|| head.to_string());
                pairs.push((base, head));
            }
            if let Some(lit) = &entry.literal {
                // The root document did not change, but a file it references may have.
                if !pairs.iter().any(|(b, h)| b.as_deref() == Some(lit) || h.as_deref() == Some(lit))
                    && entry.kind != "graphql"
                {
                    pairs.push((Some(lit.clone()), Some(lit.clone())));
                }
            }
            for (base, head) in pairs {
                if !done.insert((entry.kind, base.clone(), head.clone())) {
                    continue;
                }
                let path = head.clone().or(base.clone()).unwrap_or_default();
                let base_text = match &base {
                    Some(p) => cx.base_file(p)?,
                    None => None,
                };
                let head_text = match &head {
                    Some(p) => cx.head_file(p)?,
                    None => None,
                };
                if base_text.is_none() && head_text.is_none() {
                    continue;
                }
                // UTF-16 (and BOM-prefixed UTF-8) files become UTF-8 here, for every kind.
                let utf8 = |b: Option<Vec<u8>>| b.map(|b| decode(&b).map(String::into_bytes).unwrap_or(b));
                let (base_text, head_text) = (utf8(base_text), utf8(head_text));
                let input = Input {
                    path: &path,
                    base_path: base.as_deref().unwrap_or(&path),
                    base: base_text,
                    head: head_text,
                    today: &today,
                    after_sunset: entry.after_sunset,
                    compat: entry.compat,
                    changed: &changed,
                };
                let result = match entry.kind {
                    "openapi" => openapi::compare(cx, &input, &entry.openapi)?,
                    // GraphQL entries are compared above, as one schema per glob.
                    _ => compare_jsonschema(cx, &input, entry.policy)?,
                };
                if let Some(mut c) = result {
                    c.kind = entry.kind;
                    compared.push((c, entry.major_bump));
                }
            }
        }
        Ok(self.report(compared))
    }
}

/// What a family needs to compare one contract file.
pub struct Input<'a> {
    /// Path at head (or at base when deleted).
    pub path: &'a str,
    pub base_path: &'a str,
    pub base: Option<Vec<u8>>,
    pub head: Option<Vec<u8>>,
    pub today: &'a str,
    pub after_sunset: bool,
    pub compat: Compatibility,
    /// Every path the PR touched (head and base names).
    pub changed: &'a [&'a str],
}

/// Why a contract cannot be compared at all (an unreadable base): a gate error, so the gate
/// fails closed unless the policy says `on_error = "warn"`.
pub type LoadError = GateError;

/// Loads base and head documents (with their `$ref`'d files) for `input`. `Ok(None)` when there
/// is nothing to compare: neither side nor a referenced file changed. A head that does not parse
/// is a finding in `out` (the PR must fix it); a base that does not parse is an error.
pub fn load_sides(
    cx: &Context<'_>,
    input: &Input<'_>,
    out: &mut Compared,
) -> Result<Option<(docs::Docs, docs::Docs)>, LoadError> {
    use docs::Docs;
    let read_head = |p: &str| cx.head_file(p).ok().flatten().map(|b| decode(&b).map(|t| t.into_bytes()).unwrap_or(b));
    let read_base = |p: &str| cx.base_file(p).ok().flatten().map(|b| decode(&b).map(|t| t.into_bytes()).unwrap_or(b));
    let head = match &input.head {
        None => Docs::empty(input.path),
        Some(bytes) => {
            let loaded = decode(bytes).map_err(|m| parse_error(input.path, 1, &m)).and_then(|t| {
                Docs::load(input.path, &t, read_head).map_err(|e| parse_error(input.path, e.line, &e.message))
            });
            match loaded {
                Ok(d) => d,
                Err(f) => {
                    out.problems.push(f);
                    return Ok(Some((Docs::empty(input.base_path), Docs::empty(input.path))));
                }
            }
        }
    };
    for (file, e) in &head.problems {
        let mut f = parse_error(file, e.line, &e.message);
        if cx.head_file(file).ok().flatten().is_none() {
            // A missing file: point at the root document instead.
            f.location = Some(Location::file(input.path));
            f.message = format!("`$ref` to `{file}` in `{}` cannot be followed: {}", input.path, e.message);
        }
        out.problems.push(f);
    }
    let base = match &input.base {
        None => Docs::empty(input.base_path),
        Some(bytes) => {
            let loaded = decode(bytes).and_then(|t| {
                Docs::load(input.base_path, &t, read_base).map_err(|e| format!("line {}: {}", e.line, e.message))
            });
            match loaded {
                Ok(d) => d,
                Err(e) => {
                    return Err(GateError::Input {
                        path: input.base_path.to_string(),
                        message: format!(
                            "the base version of this contract cannot be read ({e}), so the PR cannot be checked against it; fix the base branch, or set `on_error = \"warn\"` on `[contract]` to let such PRs pass with a warning"
                        ),
                    });
                }
            }
        }
    };
    let touched = |d: &Docs| d.files.keys().any(|f| input.changed.contains(&f.as_str()));
    if input.base.is_some() && input.head.is_some() && !touched(&base) && !touched(&head) {
        return Ok(None);
    }
    Ok(Some((base, head)))
}

/// The text of a contract file: UTF-8 (a BOM is dropped) or UTF-16 with a byte-order mark.
/// Anything else is an error naming the problem; a NUL byte in UTF-8 text stays and fails the parser.
pub fn decode(bytes: &[u8]) -> Result<String, String> {
    let utf16 = |le: bool| {
        let units: Vec<u16> = bytes[2..]
            .chunks(2)
            .map(|c| {
                if le {
                    u16::from_le_bytes([c[0], *c.get(1).unwrap_or(&0)])
                } else {
                    u16::from_be_bytes([c[0], *c.get(1).unwrap_or(&0)])
                }
            })
            .collect();
        String::from_utf16(&units).map_err(|_| "the file is not valid UTF-16".to_string())
    };
    match bytes {
        [0xFF, 0xFE, ..] => utf16(true),
        [0xFE, 0xFF, ..] => utf16(false),
        [0xEF, 0xBB, 0xBF, rest @ ..] => {
            std::str::from_utf8(rest).map(String::from).map_err(|_| "the file is not UTF-8".into())
        }
        _ => std::str::from_utf8(bytes)
            .map(String::from)
            .map_err(|_| "the file is neither UTF-8 nor UTF-16 with a byte-order mark".into()),
    }
}

/// A JSON Schema compared under its registry mode, against the base or (transitive modes)
/// every earlier version of the file in the base branch's history.
fn compare_jsonschema(cx: &Context<'_>, input: &Input<'_>, policy: Policy) -> Result<Option<Compared>, LoadError> {
    let mut out = Compared {
        kind: "jsonschema",
        path: input.path.to_string(),
        changes: Vec::new(),
        problems: Vec::new(),
        versions: None,
    };
    let Some((base, head)) = load_sides(cx, input, &mut out)? else { return Ok(None) };
    let root_ok = |d: &docs::Docs| d.root().map(|r| r.node.map().is_some() || r.node.bool().is_some());
    if root_ok(&head) == Some(false) {
        let line = head.root().map(|r| r.node.line).unwrap_or(1);
        out.problems.push(parse_error(
            input.path,
            line,
            "a JSON Schema must be an object or a boolean (this is empty, `null`, an array or a scalar)",
        ));
        return Ok(Some(out));
    }
    if root_ok(&base) == Some(false) {
        return Err(GateError::Input {
            path: input.base_path.to_string(),
            message: "the base version is not a JSON Schema (empty, `null`, an array or a scalar); nothing can be compared against it".into(),
        });
    }
    if base.root().is_some() && head.root().is_none() {
        out.changes.push(change(
            &jsonschema::SCHEMA_DELETED,
            "(root)",
            "",
            "",
            input.path,
            Side::Base,
            "the schema file was deleted".into(),
        ));
        return Ok(Some(out));
    }
    jsonschema::compare_docs(&base, &head, input.compat, policy, None, &mut out);
    if input.compat.transitive() {
        for (sha, old) in earlier_versions(cx, input.base_path) {
            let Ok(text) = decode(&old) else { continue };
            let Ok(d) = docs::Docs::load(input.base_path, &text, |p| cx.repo.read_at(&sha, p).ok().flatten()) else {
                continue;
            };
            if d.root().is_some_and(|r| r.node.map().is_some() || r.node.bool().is_some()) {
                let label = format!("the version of {}", &sha[..sha.len().min(10)]);
                jsonschema::compare_docs(&d, &head, input.compat, policy, Some(&label), &mut out);
            }
        }
    }
    Ok(Some(out))
}

/// Most earlier versions a transitive check reads.
const MAX_VERSIONS: usize = 100;

/// Earlier versions of `path` in the base branch's history (newest first, the base's own one
/// excluded), as (commit, bytes).
fn earlier_versions(cx: &Context<'_>, path: &str) -> Vec<(String, Vec<u8>)> {
    let Some(base) = cx.changes.base.sha.as_deref() else { return Vec::new() };
    let Ok(out) = cx.repo.git(&["log", "--format=%H", base, "--", path]) else { return Vec::new() };
    let shas: Vec<String> =
        String::from_utf8_lossy(&out).lines().map(|l| l.trim().to_string()).filter(|l| !l.is_empty()).collect();
    let current = cx.repo.read_at(base, path).ok().flatten();
    let mut seen = std::collections::HashSet::new();
    if let Some(c) = &current {
        seen.insert(c.clone());
    }
    let mut v = Vec::new();
    for sha in shas.into_iter().take(MAX_VERSIONS) {
        if let Ok(Some(bytes)) = cx.repo.read_at(&sha, path) {
            if seen.insert(bytes.clone()) {
                v.push((sha, bytes));
            }
        }
    }
    v
}

/// Text of a file, or a parse error finding.
pub fn text<'b>(bytes: &'b [u8], path: &str) -> Result<&'b str, Finding> {
    std::str::from_utf8(bytes)
        .map_err(|_| parse_error(path, 1, "the file is neither UTF-8 nor UTF-16 with a byte-order mark"))
}

/// A parse-error finding on a head file line.
pub fn parse_error(path: &str, line: u32, message: &str) -> Finding {
    let loc = Location::line(path, line.max(1));
    PARSE_ERROR
        .finding(Some(loc), format!("cannot read contract `{path}`: {message}"), message)
        .with_help("Fix the syntax at the line named; the contract cannot be compared until it parses.")
}

impl ContractGate {
    fn ignored_by(&self, c: &Change) -> Option<&CompiledIgnore> {
        self.ignore.iter().find(|ig| {
            let rule_ok = ig.rules.is_empty()
                || ig.rules.iter().any(|r| c.rule.id == *r || c.rule.id.starts_with(&format!("{r}.")));
            let path_ok = ig.paths.is_empty() || ig.paths.matches(c.subject.trim_start_matches('/'));
            rule_ok && path_ok
        })
    }

    fn report(&self, mut compared: Vec<(Compared, bool)>) -> GateReport {
        let mut findings = Vec::new();
        let (mut breaking, mut warnings, mut total) = (0u64, 0u64, 0u64);
        for (c, major_bump) in &mut compared {
            for ch in &mut c.changes {
                if let Some(l) = self.levels.get(ch.rule.id) {
                    ch.level = *l;
                }
                if let Some(ig) = self.ignored_by(ch) {
                    ch.ignored = true;
                    ch.note = Some(format!("ignored by policy: {}", ig.reason));
                }
            }
            c.changes.sort();
            c.changes.dedup();
            let effective = |ch: &&Change| !ch.ignored;
            let n_breaking = c.changes.iter().filter(effective).filter(|ch| ch.level == Level::Breaking).count();
            breaking += n_breaking as u64;
            warnings += c.changes.iter().filter(effective).filter(|ch| ch.level == Level::Warning).count() as u64;
            total += c.changes.len() as u64;
            findings.append(&mut c.problems);
            findings.extend(merge_findings(c));
            if *major_bump && n_breaking > 0 {
                if let Some((bv, hv, line)) = &c.versions {
                    if let Some(msg) = major_bump_problem(bv.as_deref(), hv.as_deref()) {
                        let level = self.levels.get(MAJOR_BUMP.id).copied().unwrap_or(Level::Breaking);
                        let msg = format!("{n_breaking} breaking change(s), but {msg}");
                        findings.push(
                            MAJOR_BUMP
                                .finding(Some(Location::line(&c.path, *line)), msg, "info.version")
                                .with_severity(level.severity())
                                .with_help(
                                    "Bump the major version in `info.version`, or make the change backward compatible.",
                                ),
                        );
                    }
                }
            }
        }
        let summary = summary(&compared);
        let details = serde_json::json!({
            "contracts": compared.iter().map(|(c, _)| serde_json::json!({
                "kind": c.kind,
                "path": c.path,
                "base_version": c.versions.as_ref().and_then(|v| v.0.clone()),
                "head_version": c.versions.as_ref().and_then(|v| v.1.clone()),
                "changes": c.changes,
            })).collect::<Vec<_>>(),
        });
        let metrics = vec![
            Metric { name: "contract_breaking".into(), value: breaking as f64, unit: None },
            Metric { name: "contract_warnings".into(), value: warnings as f64, unit: None },
            Metric { name: "contract_changes".into(), value: total as f64, unit: None },
        ];
        GateReport { findings, metrics, summary, details: Some(details) }
    }
}

/// One finding per change: a shared schema changed under many endpoints, or one edit repeated
/// in every inlined copy of a schema, is one finding naming the endpoints and listing the other
/// places as related locations (the annotation goes on the first).
fn merge_findings(c: &Compared) -> Vec<Finding> {
    let mut groups: BTreeMap<(&ContractRule, Side, &str, Level), Vec<&Change>> = BTreeMap::new();
    for ch in c.changes.iter().filter(|ch| !ch.ignored) {
        groups.entry((ch.rule, ch.side, &ch.message, ch.level)).or_default().push(ch);
    }
    let mut out = Vec::new();
    for ((rule, side, message, level), mut list) in groups {
        list.sort_by(|a, b| (&a.file, a.head_line, &a.pointer).cmp(&(&b.file, b.head_line, &b.pointer)));
        let first = list[0];
        let (file, pointer) = (first.file.as_str(), first.pointer.as_str());
        let mut endpoints: Vec<&str> = list.iter().map(|c| c.group.as_str()).collect();
        endpoints.sort();
        endpoints.dedup();
        let mut places: Vec<(&str, &str, Option<u32>)> =
            list.iter().map(|c| (c.file.as_str(), c.pointer.as_str(), c.head_line)).collect();
        places.dedup_by(|a, b| a.0 == b.0 && a.1 == b.1);
        let ctx = if first.context.is_empty() { String::new() } else { format!(" {}", first.context) };
        let mut text = format!("{}{ctx}: {message} (`{pointer}`", first.group);
        if file != c.path {
            text.push_str(&format!(" in `{file}`"));
        }
        text.push(')');
        if side == Side::Base {
            if let Some(bl) = first.base_line {
                text.push_str(&format!("; was at line {bl} of the base version"));
            }
        }
        let others: Vec<&str> = endpoints.iter().copied().filter(|e| *e != first.group).collect();
        if !others.is_empty() {
            let shown: Vec<&str> = others.iter().take(5).copied().collect();
            text.push_str(&format!(
                "; also affects {} more: {}{}",
                others.len(),
                shown.join(", "),
                if others.len() > 5 { ", …" } else { "" }
            ));
        }
        if places.len() > 1 {
            text.push_str(&format!("; the same change at {} more place(s) (related locations)", places.len() - 1));
        }
        if let Some(n) = &first.note {
            text.push_str(&format!(" [{n}]"));
        }
        let at = |f: &str, l: Option<u32>| match l {
            Some(l) => Location::line(f, l),
            None => Location::file(f),
        };
        let content = format!("{}\0{message}", rule.id);
        let mut f = rule.finding_at(level, at(file, first.head_line), text, &content);
        f.related = places[1..].iter().map(|(f, _, l)| at(f, *l)).collect();
        out.push(f);
    }
    out
}

/// Why the version change does not signal a breaking change, or `None` when it does.
fn major_bump_problem(base: Option<&str>, head: Option<&str>) -> Option<String> {
    let parse = |v: &str| -> Option<(u64, u64)> {
        let v = v.trim().trim_start_matches('v');
        let mut it = v.split(['.', '-', '+']);
        Some((it.next()?.parse().ok()?, it.next().unwrap_or("0").parse().ok()?))
    };
    let (Some(b), Some(h)) = (base, head) else {
        return Some("`info.version` is missing".into());
    };
    let (Some(pb), Some(ph)) = (parse(b), parse(h)) else {
        return Some(format!("`info.version` (`{b}` → `{h}`) is not semver"));
    };
    let bumped = if pb.0 == 0 && ph.0 == 0 { ph.1 > pb.1 } else { ph.0 > pb.0 };
    (!bumped).then(|| format!("`info.version` went from `{b}` to `{h}` without a major bump"))
}

const SUMMARY_MAX_LINES: usize = 300;

fn summary(compared: &[(Compared, bool)]) -> Vec<Block> {
    if compared.iter().all(|(c, _)| c.changes.is_empty()) {
        return Vec::new();
    }
    let mut out = vec![Block::Text(Text::strong("Contract changes"))];
    let mut lines = 0;
    for (c, _) in compared {
        if c.changes.is_empty() {
            continue;
        }
        let count = |l: Level| c.changes.iter().filter(|ch| ch.level == l && !ch.ignored).count();
        let version = match &c.versions {
            Some((b, h, _)) if b != h => {
                format!(" ({} → {})", b.as_deref().unwrap_or("?"), h.as_deref().unwrap_or("?"))
            }
            _ => String::new(),
        };
        let title = Text::code(&c.path).and(format!(
            "{version}: {} breaking, {} warning, {} info",
            count(Level::Breaking),
            count(Level::Warning),
            count(Level::Info)
        ));
        let mut table = Table::new(&["where", "level", "rule", "change"]).titled(title);
        let mut by_group: BTreeMap<&str, Vec<&Change>> = BTreeMap::new();
        for ch in &c.changes {
            by_group.entry(&ch.group).or_default().push(ch);
        }
        let mut left = 0;
        for (group, mut list) in by_group {
            if lines >= SUMMARY_MAX_LINES {
                left += list.len();
                continue;
            }
            list.sort_by(|a, b| b.level.cmp(&a.level).then(a.rule.cmp(b.rule)).then(a.message.cmp(&b.message)));
            for ch in list {
                let mark = match (ch.ignored, ch.level) {
                    (true, _) => "⚪ ignored",
                    (_, Level::Breaking) => "🔴 breaking",
                    (_, Level::Warning) => "🟡 warning",
                    (_, Level::Info) => "🟢 info",
                };
                let short = ch.rule.id.rsplit('.').next().unwrap_or(ch.rule.id);
                let ctx = if ch.context.is_empty() { String::new() } else { format!("{}: ", ch.context) };
                table.row(vec![
                    Text::strong(group),
                    Text::plain(mark),
                    Text::code(short),
                    Text::plain(format!("{ctx}{}", ch.message)),
                ]);
                lines += 1;
            }
        }
        if left > 0 {
            table.note(format!("… and {left} more change(s); the JSON report lists them all."));
        }
        out.push(table.into());
    }
    out
}

/// A change found by a family; fills in lines later.
#[allow(clippy::too_many_arguments)]
pub fn change(
    rule: &'static ContractRule,
    group: &str,
    subject: &str,
    pointer: &str,
    file: &str,
    side: Side,
    message: String,
) -> Change {
    Change {
        rule,
        level: rule.level,
        group: group.to_string(),
        subject: subject.to_string(),
        pointer: pointer.to_string(),
        file: file.to_string(),
        side,
        context: String::new(),
        head_line: None,
        base_line: None,
        message,
        note: None,
        ignored: false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn semver_bumps() {
        assert!(major_bump_problem(Some("1.2.0"), Some("2.0.0")).is_none());
        assert!(major_bump_problem(Some("1.2.0"), Some("1.3.0")).is_some());
        assert!(major_bump_problem(Some("0.2.0"), Some("0.3.0")).is_none());
        assert!(major_bump_problem(Some("v1"), Some("v2")).is_none());
        assert!(major_bump_problem(Some("1.0"), Some("beta")).is_some());
        assert!(major_bump_problem(None, Some("1.0.0")).is_some());
    }

    #[test]
    fn every_rule_has_a_unique_id() {
        let c = catalogue();
        let mut ids: Vec<_> = c.iter().map(|r| r.id.clone()).collect();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), c.len());
        assert!(ids.iter().all(|i| i.starts_with("contract.")));
    }
}
