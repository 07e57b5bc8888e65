//! Architecture: import layers and dependency discipline, cycles among the modules the PR
//! touches, size and complexity caps on changed code, and co-change rules.

pub mod cochange;
pub mod complexity;
pub mod imports;
pub mod layers;

use super::{Built, Family, Gate, GateError, GateMeta, GateReport, RuleInfo};
use crate::core::matcher::Globs;
use crate::core::{GateCommon, PolicyError, Seg, Settings};
use crate::core::{Metric, Rule, Severity};
use crate::gate::Context;
use crate::gates::Policy;
use crate::lang::Lang;
use imports::{Import, Resolver, Target};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashSet};

crate::core::settings::gate_config! {
    /// `[architecture]`: import layers, dependency discipline, cycles, size and complexity caps,
    /// co-change rules.
    pub struct Config {
        /// Layer rules: files in `from` may only import `allow` and must not import `deny`.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub layers: Vec<layers::Layer>,
        /// External packages that files under `paths` must not import.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub forbidden_packages: Vec<layers::Forbidden>,
        /// Independence contracts: the listed modules must not import each other.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub independent: Vec<layers::Independent>,
        /// Report import cycles among the files the PR touches (default true).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub cycles: Option<bool>,
        /// Size and complexity caps on changed code.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub limits: Option<complexity::Limits>,
        /// When files matching `when` change, files matching `require` must change too.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub co_change: Vec<cochange::CoChange>,
        /// Path globs never analysed (vendored or generated code).
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub exclude: Vec<String>,
    }
}

pub const FAMILY: Family = Family { name: "architecture", build, catalogue };

/// The `gatehouse: allow` / waiver advice every architecture fix ends with.
macro_rules! waive {
    ($fix:literal) => {
        concat!(
            $fix,
            " If it is intended, add a `[[waivers]]` entry (or `gatehouse: allow(<rule>) <reason>` on or above the line) with the reason."
        )
    };
}

pub const LAYER: Rule = Rule::new(
    "architecture.layer",
    Severity::Error,
    "A file imports a module its layer rule does not allow (`architecture.layers`).",
    "Layer rules keep dependencies pointing one way (domain ← application ← infrastructure); one wrong import makes the inner layer depend on details and untestable alone.",
    waive!("Depend on an abstraction in an allowed layer (pass it in, invert the dependency), or move the code."),
);

pub const PACKAGE: Rule = Rule::new(
    "architecture.forbidden-package",
    Severity::Error,
    "A file imports an external package forbidden for its path (`architecture.forbidden_packages`).",
    "Some packages must stay out of some code (an HTTP client in the domain, a test helper in production).",
    waive!("Use the approved alternative or move the code to a path where the package is allowed."),
);

pub const INDEPENDENCE: Rule = Rule::new(
    "architecture.independence",
    Severity::Error,
    "Two modules declared independent import each other (`architecture.independent`).",
    "Independent modules can be changed, tested and released separately only while neither imports the other.",
    waive!("Move the shared code to a common module both may import."),
);

pub const CYCLE: Rule = Rule::new(
    "architecture.cycle",
    Severity::Error,
    "An import the PR adds closes an import cycle.",
    "Cycles make modules impossible to understand, test or reuse one at a time, and make initialisation order fragile.",
    waive!("Break the cycle: move the shared part into a module both import, or invert one dependency."),
);

pub const FILE_LINES: Rule = Rule::new(
    "architecture.max-file-lines",
    Severity::Error,
    "A file the PR grows is longer than `architecture.limits.max_file_lines`.",
    "Very long files mix responsibilities and are hard to review and navigate.",
    waive!("Split the file by responsibility."),
);

pub const FUNCTION_LINES: Rule = Rule::new(
    "architecture.max-function-lines",
    Severity::Error,
    "A function the PR adds or changes is longer than `architecture.limits.max_function_lines`.",
    "Long functions do several things; they are hard to test and to review.",
    waive!("Extract well-named helper functions."),
);

pub const COMPLEXITY: Rule = Rule::new(
    "architecture.max-complexity",
    Severity::Error,
    "A function the PR adds or changes has a cyclomatic complexity above `architecture.limits.max_complexity`.",
    "Each decision point is a path to test; complex functions hide untested paths and defects.",
    waive!("Split the function, replace branching with data (tables, polymorphism), return early."),
);

pub const CO_CHANGE: Rule = Rule::new(
    "architecture.co-change",
    Severity::Error,
    "Files that must change together did not (`architecture.co_change`).",
    "Some files describe others (API spec, schema docs, lockfile, changelog); when one changes without the other they drift apart.",
    "Update the required file in this PR, or add one of the rule's `unless_labels` to the PR when the change really needs none.",
);

/// Every rule this family declares.
pub const RULES: &[&Rule] =
    &[&LAYER, &PACKAGE, &INDEPENDENCE, &CYCLE, &FILE_LINES, &FUNCTION_LINES, &COMPLEXITY, &CO_CHANGE];

fn catalogue() -> Vec<RuleInfo> {
    crate::core::rule::infos(RULES)
}

struct ArchitectureGate {
    meta: GateMeta,
    layers: layers::Rules,
    cycles: bool,
    limits: Option<complexity::Compiled>,
    co_change: Vec<cochange::Compiled>,
    exclude: Globs,
}

fn at(k: &[&str]) -> Vec<Seg> {
    k.iter().map(|s| Seg::from(*s)).collect()
}

fn build(policy: &Policy) -> Built {
    let Some(cfg) = &policy.architecture else { return Ok(Vec::new()) };
    let mut errors: Vec<PolicyError> = Vec::new();
    let layers = layers::Rules::compile(cfg).map_err(|e| errors.extend(e)).ok();
    let limits = cfg.limits.as_ref().map(complexity::Compiled::new).transpose().map_err(|e| errors.push(e)).ok();
    let co_change = cochange::compile(&cfg.co_change).map_err(|e| errors.extend(e)).ok();
    let exclude = Globs::new(&cfg.exclude, &at(&["architecture", "exclude"])).map_err(|e| errors.push(e)).ok();
    match (layers, limits, co_change, exclude) {
        (Some(layers), Some(limits), Some(co_change), Some(exclude)) if errors.is_empty() => {
            let settings = Settings::resolve(&policy.defaults, &[cfg.common()]);
            let cycles = cfg.cycles.unwrap_or(true);
            let meta = GateMeta::new("architecture", settings, catalogue());
            Ok(vec![Box::new(ArchitectureGate { meta, layers, cycles, limits, co_change, exclude })])
        }
        _ => Err(errors),
    }
}

/// One analysed file: its imports and where each resolves.
pub struct FileImports {
    pub imports: Vec<(Import, Target)>,
}

/// Head-tree lookups shared by the analyses: the path index (or probing) and the Go module.
pub struct Tree<'c, 'a> {
    cx: &'c Context<'a>,
    paths: Option<HashSet<String>>,
    go_module: Option<String>,
    js_imports: Vec<(String, String)>,
}

impl<'c, 'a> Tree<'c, 'a> {
    fn new(cx: &'c Context<'a>) -> Result<Self, GateError> {
        let paths = cx.head_paths()?.map(|v| v.into_iter().collect::<HashSet<_>>());
        let mut t = Tree { cx, paths, go_module: None, js_imports: Vec::new() };
        if t.exists("go.mod") {
            t.go_module = cx.head_file("go.mod")?.and_then(|b| imports::go_module(&String::from_utf8_lossy(&b)));
        }
        if t.exists("package.json") {
            t.js_imports = cx
                .head_file("package.json")?
                .map(|b| imports::js_subpath_imports(&String::from_utf8_lossy(&b)))
                .unwrap_or_default();
        }
        Ok(t)
    }

    fn exists(&self, path: &str) -> bool {
        match &self.paths {
            Some(p) => p.contains(path),
            None => self.cx.head_file(path).ok().flatten().is_some(),
        }
    }

    /// Head text of a source file, `None` when missing, binary or too large to be source.
    fn text(&self, path: &str) -> Result<Option<String>, GateError> {
        let Some(bytes) = self.cx.head_file(path)? else { return Ok(None) };
        if bytes.len() > MAX_SOURCE_BYTES || bytes.contains(&0) {
            return Ok(None);
        }
        Ok(Some(String::from_utf8_lossy(&bytes).into_owned()))
    }

    /// Imports of the file at `path`, resolved.
    fn analyse(&self, path: &str, text: &str) -> Option<FileImports> {
        let lang = Lang::of(path)?;
        let exists = |p: &str| self.exists(p);
        let resolver =
            Resolver { exists: &exists, go_module: self.go_module.clone(), js_imports: self.js_imports.clone() };
        let imports = imports::extract(lang, text)
            .into_iter()
            .map(|i| {
                let t = resolver.resolve(lang, path, &i.spec);
                (i, t)
            })
            .filter(|(_, t)| t.path() != Some(path))
            .collect();
        Some(FileImports { imports })
    }
}

/// Larger files are generated or data, not source: skipped.
const MAX_SOURCE_BYTES: usize = 4 << 20;

impl Gate for ArchitectureGate {
    fn meta(&self) -> &GateMeta {
        &self.meta
    }

    fn evaluate(&self, cx: &Context<'_>) -> Result<GateReport, GateError> {
        let mut findings = Vec::new();
        let mut metrics = Vec::new();
        let mut details = serde_json::Map::new();
        let touched: Vec<_> = cx
            .changes
            .files
            .iter()
            .filter(|f| {
                f.exists_at_head() && !f.binary && !self.exclude.matches(&f.path) && Lang::of(&f.path).is_some()
            })
            .collect();
        let needs_imports = self.cycles || !self.layers.is_empty();
        let tree = if needs_imports { Some(Tree::new(cx)?) } else { None };
        let mut analysed: BTreeMap<String, FileImports> = BTreeMap::new();
        let mut texts: BTreeMap<String, String> = BTreeMap::new();
        for f in &touched {
            let text = match &tree {
                Some(t) => t.text(&f.path)?,
                None => {
                    cx.head_file(&f.path)?.filter(|b| !b.contains(&0)).map(|b| String::from_utf8_lossy(&b).into_owned())
                }
            };
            let Some(text) = text else { continue };
            if let Some(t) = &tree
                && let Some(fi) = t.analyse(&f.path, &text)
            {
                analysed.insert(f.path.clone(), fi);
            }
            texts.insert(f.path.clone(), text);
        }
        if let Some(tree) = &tree {
            let imports: usize = analysed.values().map(|f| f.imports.len()).sum();
            let unresolved: usize =
                analysed.values().flat_map(|f| &f.imports).filter(|(_, t)| *t == Target::Unresolved).count();
            self.layers.check(&analysed, &mut findings);
            metrics.push(Metric { name: "imports".into(), value: imports as f64, unit: None });
            metrics.push(Metric { name: "imports_unresolved".into(), value: unresolved as f64, unit: None });
            if self.cycles {
                let cycles = layers::cycles(tree, cx, &analysed, &mut findings)?;
                details.insert("cycles".into(), serde_json::to_value(cycles).unwrap_or_default());
            }
        }
        if let Some(limits) = &self.limits {
            let (oversized, functions) = limits.check(cx, &touched, &texts, &mut findings)?;
            details.insert("oversized".into(), serde_json::to_value(&oversized).unwrap_or_default());
            metrics.push(Metric { name: "functions_measured".into(), value: functions as f64, unit: None });
        }
        cochange::check(&self.co_change, cx, &mut findings);
        metrics.push(Metric { name: "files_analysed".into(), value: touched.len() as f64, unit: Some("files".into()) });
        let details = if details.is_empty() { None } else { Some(serde_json::Value::Object(details)) };
        Ok(GateReport { findings, metrics, summary: Vec::new(), details })
    }
}

/// Serde helper shared by the rule tables.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

impl OneOrMany {
    pub fn to_vec(&self) -> Vec<String> {
        match self {
            OneOrMany::One(s) => vec![s.clone()],
            OneOrMany::Many(v) => v.clone(),
        }
    }
}

impl Default for OneOrMany {
    fn default() -> Self {
        OneOrMany::Many(Vec::new())
    }
}
