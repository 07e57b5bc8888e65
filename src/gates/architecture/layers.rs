//! Layer rules, forbidden packages, independence contracts, and cycle detection.

use super::imports::{Target, in_package};
use super::{CYCLE, Config, FileImports, INDEPENDENCE, LAYER, OneOrMany, PACKAGE, Tree};
use crate::core::matcher::{Globs, PathFilter};
use crate::core::{Finding, Location};
use crate::core::{PolicyError, Seg};
use crate::gate::Context;
use crate::gates::GateError;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet, HashMap, VecDeque};

/// `[[architecture.layers]]`: what files in `from` may import.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Layer {
    /// A name for messages (`domain`); defaults to the `from` globs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Path glob(s) of the files this rule constrains.
    pub from: OneOrMany,
    /// When set, imports of repository files must land here (or in `from` itself).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allow: Option<OneOrMany>,
    /// Imports of repository files here are forbidden.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deny: Option<OneOrMany>,
}

/// `[[architecture.forbidden_packages]]`: external packages banned under some paths.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Forbidden {
    /// Path globs of the importing files; empty means every file.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub paths: Vec<String>,
    /// Path globs excluded from `paths`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub exclude: Vec<String>,
    /// Package names as imported (`reqwest`, `requests`, `lodash`, `net/http`, `org.hibernate`); a
    /// package also covers its submodules.
    pub packages: Vec<String>,
    /// Why, or what to use instead (shown in the finding).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// `[[architecture.independent]]`: modules that must not import each other.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Independent {
    /// A name for messages.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// One path glob per module (`src/billing/**`, `src/shipping/**`).
    pub modules: Vec<String>,
}

struct LayerRule {
    name: String,
    from: Globs,
    allow: Option<Globs>,
    deny: Option<Globs>,
}

struct PackageRule {
    filter: PathFilter,
    packages: Vec<String>,
    reason: Option<String>,
}

struct IndependenceRule {
    name: String,
    modules: Vec<Globs>,
}

/// The compiled import rules of one policy.
pub struct Rules {
    layers: Vec<LayerRule>,
    packages: Vec<PackageRule>,
    independent: Vec<IndependenceRule>,
}

/// Whether a target path (a file, or a Go package directory) is matched by `globs`.
fn target_matches(globs: &Globs, target: &Target) -> bool {
    match target {
        Target::File(p) => globs.matches(p),
        Target::Dir(d) => globs.matches(d) || globs.matches(&format!("{d}/_")),
        _ => false,
    }
}

impl Rules {
    pub fn compile(cfg: &Config) -> Result<Rules, Vec<PolicyError>> {
        let mut errors = Vec::new();
        let key = |table: &str, i: usize, field: &str| {
            vec![Seg::from("architecture"), Seg::from(table), Seg::Index(i), Seg::from(field)]
        };
        fn globs(errors: &mut Vec<PolicyError>, v: &[String], k: Vec<Seg>) -> Option<Globs> {
            Globs::new(v, &k).map_err(|e| errors.push(e)).ok()
        }
        let mut layers = Vec::new();
        for (i, l) in cfg.layers.iter().enumerate() {
            let from_v = l.from.to_vec();
            if from_v.is_empty() || (l.allow.is_none() && l.deny.is_none()) {
                let at = vec![Seg::from("architecture"), Seg::from("layers"), Seg::Index(i)];
                errors.push(PolicyError::at(at, "a layer rule needs `from` and at least one of `allow` or `deny`"));
                continue;
            }
            let from = globs(&mut errors, &from_v, key("layers", i, "from"));
            let allow = l.allow.as_ref().map(|a| globs(&mut errors, &a.to_vec(), key("layers", i, "allow")));
            let deny = l.deny.as_ref().map(|d| globs(&mut errors, &d.to_vec(), key("layers", i, "deny")));
            // a glob error was recorded; skip the rule
            let (Some(from), Some(allow), Some(deny)) =
                (from, allow.map_or(Some(None), |a| a.map(Some)), deny.map_or(Some(None), |d| d.map(Some)))
            else {
                continue;
            };
            let name = l.name.clone().unwrap_or_else(|| from_v.join(", "));
            layers.push(LayerRule { name, from, allow, deny });
        }
        let mut packages = Vec::new();
        for (i, p) in cfg.forbidden_packages.iter().enumerate() {
            let at = vec![Seg::from("architecture"), Seg::from("forbidden_packages"), Seg::Index(i)];
            if p.packages.is_empty() {
                errors.push(PolicyError::at(key("forbidden_packages", i, "packages"), "list at least one package"));
                continue;
            }
            match PathFilter::new(&p.paths, &p.exclude, &at) {
                Ok(filter) => {
                    packages.push(PackageRule { filter, packages: p.packages.clone(), reason: p.reason.clone() })
                }
                Err(e) => errors.push(e),
            }
        }
        let mut independent = Vec::new();
        for (i, ind) in cfg.independent.iter().enumerate() {
            if ind.modules.len() < 2 {
                errors.push(PolicyError::at(key("independent", i, "modules"), "list at least two modules"));
                continue;
            }
            let modules: Vec<Option<Globs>> = ind
                .modules
                .iter()
                .enumerate()
                .map(|(j, m)| {
                    let mut k = key("independent", i, "modules");
                    k.push(Seg::Index(j));
                    globs(&mut errors, std::slice::from_ref(m), k)
                })
                .collect();
            if modules.iter().all(Option::is_some) {
                let name = ind.name.clone().unwrap_or_else(|| ind.modules.join(" | "));
                independent.push(IndependenceRule { name, modules: modules.into_iter().flatten().collect() });
            }
        }
        if errors.is_empty() { Ok(Rules { layers, packages, independent }) } else { Err(errors) }
    }

    pub fn is_empty(&self) -> bool {
        self.layers.is_empty() && self.packages.is_empty() && self.independent.is_empty()
    }

    /// Findings for every import of the analysed files that breaks a rule (the engine keeps
    /// those on added lines under the default scope).
    pub fn check(&self, files: &BTreeMap<String, FileImports>, out: &mut Vec<Finding>) {
        for (path, fi) in files {
            for (imp, target) in &fi.imports {
                let loc = || Location::lines(path, imp.line, imp.end_line);
                let shown = |t: &Target| match t {
                    Target::File(p) | Target::Dir(p) => format!("`{p}` (`{}`)", imp.spec),
                    _ => format!("`{}`", imp.spec),
                };
                for l in self.layers.iter().filter(|l| l.from.matches(path)) {
                    if target.path().is_none() {
                        continue;
                    }
                    if let Some(deny) = &l.deny
                        && target_matches(deny, target)
                    {
                        let msg = format!(
                            "`{path}` imports {}: layer `{}` must not depend on {}",
                            shown(target),
                            l.name,
                            deny.patterns().join(", ")
                        );
                        out.push(LAYER.finding(Some(loc()), msg, &imp.spec));
                    } else if let Some(allow) = &l.allow
                        && !target_matches(allow, target)
                        && !target_matches(&l.from, target)
                    {
                        let msg = format!(
                            "`{path}` imports {}: layer `{}` may only depend on {}",
                            shown(target),
                            l.name,
                            allow.patterns().join(", ")
                        );
                        out.push(LAYER.finding(Some(loc()), msg, &imp.spec));
                    }
                }
                if let Target::External(spec) = target {
                    for p in self.packages.iter().filter(|p| p.filter.matches(path)) {
                        if let Some(pkg) = p.packages.iter().find(|pkg| in_package(spec, pkg)) {
                            let why = p.reason.as_deref().map(|r| format!(" ({r})")).unwrap_or_default();
                            let msg = format!("`{path}` imports `{spec}`: package `{pkg}` is forbidden here{why}");
                            out.push(PACKAGE.finding(Some(loc()), msg, spec));
                        }
                    }
                }
                for ind in &self.independent {
                    let Some(me) = ind.modules.iter().position(|m| m.matches(path)) else { continue };
                    if let Some(other) =
                        ind.modules.iter().enumerate().position(|(j, m)| j != me && target_matches(m, target))
                    {
                        let msg = format!(
                            "`{path}` imports {}: modules `{}` and `{}` must stay independent ({})",
                            shown(target),
                            ind.modules[me].patterns().join(", "),
                            ind.modules[other].patterns().join(", "),
                            ind.name
                        );
                        out.push(INDEPENDENCE.finding(Some(loc()), msg, &imp.spec));
                    }
                }
            }
        }
    }
}

/// Most files read to follow imports out of the touched ones.
const MAX_GRAPH_FILES: usize = 5_000;

/// One import cycle closed by an edge from a touched file.
#[derive(Debug, Clone, Serialize)]
pub struct Cycle {
    pub files: Vec<String>,
    pub at: String,
    pub line: u32,
}

/// Import cycles that go through an import of a touched file. The graph is the touched files
/// plus what they import, transitively, at head (bounded by `MAX_GRAPH_FILES`). A cycle is
/// reported once, at the first of its edges in a touched file that the PR added (or at the first
/// edge when none was added; the engine drops it then under the `added` scope).
pub fn cycles(
    tree: &Tree<'_, '_>,
    cx: &Context<'_>,
    touched: &BTreeMap<String, FileImports>,
    out: &mut Vec<Finding>,
) -> Result<Vec<Cycle>, GateError> {
    let mut graph: HashMap<String, BTreeSet<String>> = HashMap::new();
    let mut queue: VecDeque<String> = VecDeque::new();
    for (path, fi) in touched {
        let deps: BTreeSet<String> =
            fi.imports.iter().filter(|(i, _)| !i.module_decl).filter_map(|(_, t)| file_of(t)).collect();
        queue.extend(deps.iter().cloned());
        graph.insert(path.clone(), deps);
    }
    while let Some(p) = queue.pop_front() {
        if graph.contains_key(&p) || graph.len() >= MAX_GRAPH_FILES {
            continue;
        }
        let deps: BTreeSet<String> = match tree.text(&p)? {
            Some(text) => tree
                .analyse(&p, &text)
                .map(|fi| fi.imports.iter().filter(|(i, _)| !i.module_decl).filter_map(|(_, t)| file_of(t)).collect())
                .unwrap_or_default(),
            None => BTreeSet::new(),
        };
        queue.extend(deps.iter().filter(|d| !graph.contains_key(*d)).cloned());
        graph.insert(p, deps);
    }
    // candidate edges: added ones first so a cycle is reported where the PR closed it
    let mut edges = Vec::new();
    for (path, fi) in touched {
        let file = cx.changes.file(path);
        for (imp, t) in fi.imports.iter().filter(|(i, _)| !i.module_decl) {
            let Some(to) = file_of(t) else { continue };
            let added = file.is_some_and(|f| f.touches_range(imp.line, imp.end_line));
            edges.push((!added, path.clone(), to, imp));
        }
    }
    edges.sort_by(|a, b| (a.0, &a.1, a.3.line).cmp(&(b.0, &b.1, b.3.line)));
    let mut seen: BTreeSet<Vec<String>> = BTreeSet::new();
    let mut found = Vec::new();
    for (_, from, to, imp) in edges {
        let Some(path) = shortest_path(&graph, &to, &from) else { continue };
        let mut cycle = vec![from.clone()];
        cycle.extend(path);
        let mut key = cycle.clone();
        key.sort();
        if !seen.insert(key) {
            continue;
        }
        let shown: Vec<String> = cycle.iter().chain(std::iter::once(&from)).map(|p| format!("`{p}`")).collect();
        let msg = format!("this import closes an import cycle: {}", shown.join(" → "));
        out.push(CYCLE.finding(Some(Location::lines(&from, imp.line, imp.end_line)), msg, &cycle.join(" ")));
        found.push(Cycle { files: cycle, at: from, line: imp.line });
    }
    Ok(found)
}

fn file_of(t: &Target) -> Option<String> {
    match t {
        Target::File(p) => Some(p.clone()),
        _ => None,
    }
}

/// Nodes from `start` to `goal` inclusive, by breadth-first search.
fn shortest_path(graph: &HashMap<String, BTreeSet<String>>, start: &str, goal: &str) -> Option<Vec<String>> {
    let mut prev: HashMap<&str, &str> = HashMap::new();
    let mut queue = VecDeque::from([start]);
    prev.insert(start, start);
    while let Some(n) = queue.pop_front() {
        if n == goal {
            let mut path = vec![n.to_string()];
            let mut cur = n;
            while cur != start {
                cur = prev[cur];
                path.push(cur.to_string());
            }
            path.reverse();
            path.pop(); // the goal is the cycle's start, shown once
            return Some(path);
        }
        for next in graph.get(n).into_iter().flatten() {
            if !prev.contains_key(next.as_str()) {
                prev.insert(next, n);
                queue.push_back(next);
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shortest_path_finds_the_way_back() {
        let mut g: HashMap<String, BTreeSet<String>> = HashMap::new();
        let mut edge = |a: &str, b: &str| {
            g.entry(a.into()).or_default().insert(b.into());
        };
        edge("a", "b");
        edge("b", "c");
        edge("c", "a");
        edge("c", "d");
        assert_eq!(shortest_path(&g, "b", "a"), Some(vec!["b".to_string(), "c".to_string()]));
        assert_eq!(shortest_path(&g, "d", "a"), None);
    }

    #[test]
    fn go_directories_match_globs_for_their_files() {
        let g = Globs::new(&["internal/db/**".into()], &[]).unwrap();
        assert!(target_matches(&g, &Target::Dir("internal/db".into())));
        assert!(!target_matches(&g, &Target::Dir("internal/api".into())));
        assert!(!target_matches(&g, &Target::External("internal/db".into())));
    }
}
