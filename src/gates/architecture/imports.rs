//! Import extraction per language, and resolution of each import to a repository file (or
//! directory, for Go packages) or an external package, so rules can be written in paths.

use crate::lang::{Lang, mask};
use regex::Regex;
use std::sync::LazyLock;

/// One import statement (or one name of a grouped import).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Import {
    /// 1-based lines of the statement.
    pub line: u32,
    pub end_line: u32,
    /// As written, normalised per language: `crate::a::b`, `./x`, `.mod`, `a.b.C`, `net/http`.
    pub spec: String,
    /// A Rust `mod x;` declaration: ownership of a child module, not a dependency (left out of
    /// the cycle graph).
    pub module_decl: bool,
}

/// What an import refers to.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Target {
    /// A file in the repository.
    File(String),
    /// A directory in the repository (a Go package).
    Dir(String),
    /// A package from outside the repository (`serde`, `requests`, `lodash/fp`, `net/http`).
    External(String),
    /// Looks internal (relative, `crate::`) but no file matches.
    Unresolved,
}

impl Target {
    /// The repository path, for internal targets.
    pub fn path(&self) -> Option<&str> {
        match self {
            Target::File(p) | Target::Dir(p) => Some(p),
            _ => None,
        }
    }
}

fn re(s: &str) -> Regex {
    Regex::new(s).expect("static regex")
}

static RUST_USE: LazyLock<Regex> = LazyLock::new(|| re(r"(?m)^[ \t]*(?:pub(?:\([^)]*\))?\s+)?use\s+([^;]+);"));
static RUST_MOD: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?m)^[ \t]*(?:#\[[^\]]*\]\s*)*(?:pub(?:\([^)]*\))?\s+)?mod\s+([A-Za-z_]\w*)\s*;"));
static RUST_EXTERN: LazyLock<Regex> = LazyLock::new(|| re(r"(?m)^[ \t]*extern\s+crate\s+([A-Za-z_]\w*)"));
static RUST_PATH: LazyLock<Regex> = LazyLock::new(|| re(r"(?:^|[^\w:])(crate(?:::[A-Za-z_]\w*)+)"));
static PY_IMPORT: LazyLock<Regex> = LazyLock::new(|| re(r"(?m)^[ \t]*import[ \t]+([\w., \t]+)"));
static PY_FROM: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?m)^[ \t]*from[ \t]+(\.*[\w.]*)[ \t]+import[ \t]+(\([^)]*\)|[^\n]*)"));
static JS_IMPORT: LazyLock<Regex> = LazyLock::new(|| {
    re(r#"(?m)^[ \t]*(?:import|export)\s+(?:type\s+)?(?:[\w*{}\s,$]*?\s*from\s*)?['"]([^'"\n]+)['"]"#)
});
static JS_CALL: LazyLock<Regex> = LazyLock::new(|| re(r#"\b(?:require|import)\s*\(\s*['"`]([^'"`\n]+)['"`]\s*\)"#));
static GO_SINGLE: LazyLock<Regex> = LazyLock::new(|| re(r#"(?m)^[ \t]*import[ \t]+(?:[\w.]+[ \t]+)?"([^"]+)""#));
static GO_BLOCK: LazyLock<Regex> = LazyLock::new(|| re(r"(?m)^[ \t]*import[ \t]*\(([^)]*)\)"));
static GO_SPEC: LazyLock<Regex> = LazyLock::new(|| re(r#""([^"]+)""#));
static JAVA_IMPORT: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?m)^[ \t]*import[ \t]+(?:static[ \t]+)?(\w+(?:\.\w+)*(?:\.\*)?)(?:[ \t]+as[ \t]+\w+)?"));

/// Line index: byte offset → 1-based line.
struct Lines(Vec<usize>);

impl Lines {
    fn new(text: &str) -> Lines {
        Lines(text.match_indices('\n').map(|(i, _)| i).collect())
    }
    fn at(&self, offset: usize) -> u32 {
        self.0.partition_point(|&nl| nl < offset) as u32 + 1
    }
}

/// The imports of a file, in order.
pub fn extract(lang: Lang, text: &str) -> Vec<Import> {
    let masked = mask(lang, text, true);
    let lines = Lines::new(&masked);
    let mut out = Vec::new();
    let mut decls: Vec<(u32, String)> = Vec::new();
    let mut push = |start: usize, end: usize, spec: String| {
        out.push(Import {
            line: lines.at(start),
            end_line: lines.at(end.max(start + 1) - 1),
            spec,
            module_decl: false,
        });
    };
    match lang {
        Lang::Rust => {
            let mut use_spans = Vec::new();
            let code = mask(lang, text, false);
            let inline = inline_mod_depths(&code);
            for c in RUST_USE.captures_iter(&masked) {
                let m = c.get(0).expect("group 0");
                use_spans.push(m.range());
                let depth = inline.get(lines.at(m.start()) as usize - 1).copied().unwrap_or(0);
                for spec in expand_rust_use(&c[1]) {
                    push(m.start(), m.end(), inline_relative(&spec, depth));
                }
            }
            for c in RUST_MOD.captures_iter(&masked) {
                let m = c.get(1).expect("group 1");
                let spec = format!("self::{}", m.as_str());
                decls.push((lines.at(m.start()), spec.clone()));
                push(m.start(), m.end(), spec);
            }
            for c in RUST_EXTERN.captures_iter(&masked) {
                let m = c.get(1).expect("group 1");
                push(m.start(), m.end(), m.as_str().to_string());
            }
            // `crate::a::b::f()` used inline, outside `use` statements
            for c in RUST_PATH.captures_iter(&code) {
                let m = c.get(1).expect("group 1");
                if !use_spans.iter().any(|s| s.contains(&m.start())) {
                    push(m.start(), m.end(), m.as_str().to_string());
                }
            }
        }
        Lang::Python => {
            for c in PY_IMPORT.captures_iter(&masked) {
                let m = c.get(0).expect("group 0");
                for name in c[1].split(',') {
                    let name = name.split_whitespace().next().unwrap_or("");
                    if !name.is_empty() {
                        push(m.start(), m.end(), name.to_string());
                    }
                }
            }
            for c in PY_FROM.captures_iter(&masked) {
                let m = c.get(0).expect("group 0");
                let module = &c[1];
                for name in c[2].trim_matches(|ch| ch == '(' || ch == ')').split(',') {
                    let name = name.split_whitespace().next().unwrap_or("");
                    if name.is_empty() || name == "*" || name == "\\" {
                        continue;
                    }
                    // `from pkg import mod` may name a submodule; resolution falls back to `pkg`
                    let sep = if module.ends_with('.') { "" } else { "." };
                    push(m.start(), m.end(), format!("{module}{sep}{name}"));
                }
                if c[2].trim() == "*" {
                    push(m.start(), m.end(), module.to_string());
                }
            }
        }
        Lang::JavaScript | Lang::TypeScript => {
            for c in JS_IMPORT.captures_iter(&masked) {
                let m = c.get(0).expect("group 0");
                let start = m.start() + (m.as_str().len() - m.as_str().trim_start().len());
                push(start, m.end(), c[1].to_string());
            }
            for c in JS_CALL.captures_iter(&masked) {
                let m = c.get(0).expect("group 0");
                push(m.start(), m.end(), c[1].to_string());
            }
            out.sort_by_key(|i| i.line);
        }
        Lang::Go => {
            for c in GO_SINGLE.captures_iter(&masked) {
                let m = c.get(0).expect("group 0");
                push(m.start(), m.end(), c[1].to_string());
            }
            for c in GO_BLOCK.captures_iter(&masked) {
                let block = c.get(1).expect("group 1");
                for s in GO_SPEC.captures_iter(block.as_str()) {
                    let m = s.get(0).expect("group 0");
                    push(block.start() + m.start(), block.start() + m.end(), s[1].to_string());
                }
            }
            out.sort_by_key(|i| i.line);
        }
        Lang::Java | Lang::Kotlin => {
            for c in JAVA_IMPORT.captures_iter(&masked) {
                let m = c.get(0).expect("group 0");
                push(m.start(), m.end(), c[1].to_string());
            }
        }
    }
    for i in &mut out {
        i.module_decl = decls.iter().any(|(l, s)| *l == i.line && *s == i.spec);
    }
    out
}

/// For each line (0-based), how many inline `mod name { … }` blocks enclose it. `lines` is masked.
fn inline_mod_depths(code: &str) -> Vec<u32> {
    static INLINE_MOD: LazyLock<Regex> = LazyLock::new(|| re(r"\bmod\s+[A-Za-z_]\w*\s*\{"));
    let mut out = Vec::new();
    let mut depth = 0i64;
    let mut mods: Vec<i64> = Vec::new();
    for line in code.lines() {
        out.push(mods.len() as u32);
        let opens: Vec<usize> = INLINE_MOD.find_iter(line).map(|m| m.end() - 1).collect();
        for (i, c) in line.bytes().enumerate() {
            match c {
                b'{' => {
                    depth += 1;
                    if opens.contains(&i) {
                        mods.push(depth);
                    }
                }
                b'}' => {
                    if mods.last() == Some(&depth) {
                        mods.pop();
                    }
                    depth -= 1;
                }
                _ => {}
            }
        }
    }
    out
}

/// Inside `depth` inline modules, the first `depth` `super`s stay in the same file.
fn inline_relative(spec: &str, depth: u32) -> String {
    let mut rest = spec;
    let mut left = depth;
    while left > 0 {
        match rest.strip_prefix("super") {
            Some(r) if r.is_empty() || r.starts_with("::") => {
                rest = r.trim_start_matches("::");
                left -= 1;
            }
            _ => break,
        }
    }
    if left == depth {
        spec.to_string()
    } else if rest.is_empty() {
        "self".to_string()
    } else {
        format!("self::{rest}")
    }
}

/// `a::{b, c::{d, e}}` → `a::b`, `a::c::d`, `a::c::e`; `self` in a group names the prefix.
fn expand_rust_use(tree: &str) -> Vec<String> {
    static ALIAS: LazyLock<Regex> = LazyLock::new(|| re(r"\s+as\s+\w+"));
    let tree: String = ALIAS.replace_all(tree, "").split_whitespace().collect();
    let tree = tree.trim_start_matches("::");
    let mut out = Vec::new();
    expand_into("", tree, &mut out);
    out
}

fn expand_into(prefix: &str, tree: &str, out: &mut Vec<String>) {
    let join = |p: &str, s: &str| if p.is_empty() { s.to_string() } else { format!("{p}::{s}") };
    if let Some(open) = tree.find('{') {
        let head = tree[..open].trim_end_matches("::");
        let inner = tree[open + 1..].strip_suffix('}').unwrap_or(&tree[open + 1..]);
        let base = join(prefix, head);
        let mut depth = 0;
        let mut start = 0;
        for (i, c) in inner.char_indices() {
            match c {
                '{' => depth += 1,
                '}' => depth -= 1,
                ',' if depth == 0 => {
                    expand_into(&base, &inner[start..i], out);
                    start = i + 1;
                }
                _ => {}
            }
        }
        expand_into(&base, &inner[start..], out);
    } else {
        match tree {
            "" => {}
            "self" => out.push(prefix.to_string()),
            "*" => out.push(prefix.to_string()),
            item => out.push(join(prefix, item.trim_end_matches("::*"))),
        }
    }
}

/// What resolution may look at: whether a repository path exists at head, and the Go module path.
pub struct Resolver<'a> {
    pub exists: &'a dyn Fn(&str) -> bool,
    /// `module` line of the root `go.mod`, when there is one.
    pub go_module: Option<String>,
    /// Subpath imports (`"#*": "./src/*"`) of the root `package.json`, as (prefix, target prefix).
    pub js_imports: Vec<(String, String)>,
}

impl Resolver<'_> {
    /// Resolves `spec` imported by the file at `from`.
    pub fn resolve(&self, lang: Lang, from: &str, spec: &str) -> Target {
        match lang {
            Lang::Rust => self.rust(from, spec),
            Lang::Python => self.python(from, spec),
            Lang::JavaScript | Lang::TypeScript => self.js(from, spec),
            Lang::Go => self.go(spec),
            Lang::Java | Lang::Kotlin => self.java(spec),
        }
    }

    fn first_existing(&self, candidates: impl IntoIterator<Item = String>) -> Option<String> {
        candidates.into_iter().find(|c| (self.exists)(c))
    }

    fn rust(&self, from: &str, spec: &str) -> Target {
        let segs: Vec<&str> = spec.split("::").filter(|s| !s.is_empty()).collect();
        let Some(&first) = segs.first() else { return Target::Unresolved };
        let (root, module) = rust_module_of(from);
        let mut base: Vec<String> = match first {
            "crate" => Vec::new(),
            "self" => module.clone(),
            "super" => module.clone(),
            _ => return Target::External(segs.join("::")),
        };
        let mut rest = &segs[1..];
        if first == "super" {
            base.pop();
        }
        while rest.first() == Some(&"super") {
            base.pop();
            rest = &rest[1..];
        }
        let mut full: Vec<&str> = base.iter().map(String::as_str).collect();
        full.extend(rest.iter().copied());
        for n in (1..=full.len()).rev() {
            let p = full[..n].join("/");
            if let Some(f) = self.first_existing([format!("{root}{p}.rs"), format!("{root}{p}/mod.rs")]) {
                return Target::File(f);
            }
        }
        // the crate root itself (`use crate::Thing` defined in lib.rs)
        self.first_existing([format!("{root}lib.rs"), format!("{root}main.rs")])
            .map_or(Target::Unresolved, Target::File)
    }

    fn python(&self, from: &str, spec: &str) -> Target {
        let dots = spec.len() - spec.trim_start_matches('.').len();
        let name = &spec[dots..];
        let parts: Vec<&str> = name.split('.').filter(|s| !s.is_empty()).collect();
        let bases: Vec<String> = if dots > 0 {
            let mut dir: Vec<&str> = from.split('/').collect();
            dir.pop();
            for _ in 1..dots {
                if dir.pop().is_none() {
                    return Target::Unresolved;
                }
            }
            vec![dir.iter().map(|d| format!("{d}/")).collect()]
        } else {
            // absolute: from the repository root, `src/`, or the importing file's top directory
            let mut b = vec![String::new(), "src/".to_string()];
            if let Some((top, _)) = from.split_once('/') {
                b.push(format!("{top}/"));
            }
            b
        };
        for base in &bases {
            for n in (1..=parts.len()).rev() {
                let p = parts[..n].join("/");
                if let Some(f) = self.first_existing([format!("{base}{p}.py"), format!("{base}{p}/__init__.py")]) {
                    return Target::File(f);
                }
            }
            if parts.is_empty()
                && let Some(f) = self.first_existing([format!("{base}__init__.py")])
            {
                return Target::File(f);
            }
        }
        if dots > 0 { Target::Unresolved } else { Target::External(name.to_string()) }
    }

    fn js(&self, from: &str, spec: &str) -> Target {
        if spec.starts_with('#') {
            for (prefix, target) in &self.js_imports {
                if let Some(rest) = spec.strip_prefix(prefix.as_str()) {
                    return self.js("", &format!("{target}{rest}"));
                }
            }
        }
        if !spec.starts_with('.') && !spec.starts_with('/') {
            let spec = spec.strip_prefix("node:").unwrap_or(spec);
            return Target::External(spec.to_string());
        }
        let dir = from.rsplit_once('/').map_or("", |(d, _)| d);
        let Some(joined) = normalize(dir, spec) else { return Target::Unresolved };
        const EXTS: &[&str] = &["ts", "tsx", "js", "jsx", "mjs", "cjs", "mts", "cts", "d.ts"];
        let mut candidates = vec![joined.clone()];
        let stem =
            ["js", "jsx", "mjs", "cjs"].iter().find_map(|e| joined.strip_suffix(&format!(".{e}"))).map(str::to_string);
        for e in EXTS {
            candidates.push(format!("{joined}.{e}"));
            if let Some(s) = &stem {
                candidates.push(format!("{s}.{e}"));
            }
        }
        for e in EXTS {
            candidates.push(format!("{joined}/index.{e}"));
        }
        self.first_existing(candidates).map_or(Target::Unresolved, Target::File)
    }

    fn go(&self, spec: &str) -> Target {
        if let Some(module) = &self.go_module {
            if spec == module {
                return Target::Dir(String::new());
            }
            if let Some(rest) = spec.strip_prefix(module.as_str()).and_then(|r| r.strip_prefix('/')) {
                return Target::Dir(rest.to_string());
            }
        }
        Target::External(spec.to_string())
    }

    fn java(&self, spec: &str) -> Target {
        const ROOTS: &[&str] = &["src/main/java/", "src/main/kotlin/", "src/", "", "app/src/main/java/"];
        let wildcard = spec.strip_suffix(".*");
        let parts: Vec<&str> = wildcard.unwrap_or(spec).split('.').collect();
        for root in ROOTS {
            if wildcard.is_some() {
                continue;
            }
            // `a.b.C` or `a.b.C.member` (static imports, nested classes)
            for n in (2..=parts.len()).rev() {
                let p = parts[..n].join("/");
                if let Some(f) = self.first_existing([format!("{root}{p}.java"), format!("{root}{p}.kt")]) {
                    return Target::File(f);
                }
            }
        }
        Target::External(wildcard.unwrap_or(spec).to_string())
    }
}

/// The Rust crate root directory (`…/src/`) of a file and the module path of the file in it.
fn rust_module_of(path: &str) -> (String, Vec<String>) {
    let (root, rel) = match path.rfind("src/") {
        Some(i) if i == 0 || path[..i].ends_with('/') => (path[..i + 4].to_string(), &path[i + 4..]),
        _ => match path.rsplit_once('/') {
            Some((d, f)) => (format!("{d}/"), f),
            None => (String::new(), path),
        },
    };
    let rel = rel.strip_suffix(".rs").unwrap_or(rel);
    let mut module: Vec<String> = rel.split('/').map(str::to_string).collect();
    if matches!(module.last().map(String::as_str), Some("mod" | "lib" | "main")) {
        module.pop();
    }
    // binaries and tests (`src/bin/x.rs`) are their own crate roots; keep it simple
    (root, module)
}

/// `dir` joined with a relative `spec`, `..` applied; `None` when it leaves the repository.
fn normalize(dir: &str, spec: &str) -> Option<String> {
    let mut parts: Vec<&str> =
        if spec.starts_with('/') { Vec::new() } else { dir.split('/').filter(|s| !s.is_empty()).collect() };
    for seg in spec.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    Some(parts.join("/"))
}

/// Whether an external target is the package `pkg` or inside it (`requests.adapters` is in
/// `requests`, `lodash/fp` in `lodash`, `serde::de` in `serde`, `org.hibernate.x` in `org.hibernate`).
pub fn in_package(spec: &str, pkg: &str) -> bool {
    let norm = |s: &str| s.replace('-', "_");
    let (spec, pkg) = (norm(spec), norm(pkg));
    spec == pkg
        || spec
            .strip_prefix(pkg.as_str())
            .is_some_and(|r| r.starts_with('.') || r.starts_with('/') || r.starts_with("::"))
}

/// Subpath import patterns of a `package.json` (`"imports": {"#*": "./src/*", "#db": "./src/db.js"}`)
/// whose targets are plain relative strings, as (specifier prefix, path prefix). Only `*` patterns
/// are used; exact entries and conditional (object) targets are left unresolved.
pub fn js_subpath_imports(package_json: &str) -> Vec<(String, String)> {
    let Ok(v) = serde_json::from_str::<serde_json::Value>(package_json) else { return Vec::new() };
    let Some(map) = v.get("imports").and_then(|i| i.as_object()) else { return Vec::new() };
    let mut out: Vec<(String, String)> = map
        .iter()
        .filter_map(|(k, t)| {
            let t = t.as_str()?;
            match (k.strip_suffix('*'), t.strip_suffix('*')) {
                (Some(kp), Some(tp)) if tp.starts_with("./") => Some((kp.to_string(), tp.to_string())),
                _ => None,
            }
        })
        .collect();
    // longest prefix first
    out.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then(a.0.cmp(&b.0)));
    out
}

/// The `module` path declared in a `go.mod`.
pub fn go_module(go_mod: &str) -> Option<String> {
    go_mod.lines().find_map(|l| l.trim().strip_prefix("module")).map(|m| m.trim().trim_matches('"').to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    fn specs(lang: Lang, text: &str) -> Vec<(u32, String)> {
        extract(lang, text).into_iter().map(|i| (i.line, i.spec)).collect()
    }

    #[test]
    fn rust_uses_mods_and_paths() {
        let src = "use std::io;\npub(crate) use crate::a::{b, c::{d, self}};\n// use crate::ignored;\nmod x;\nextern crate serde;\nfn f() { crate::y::z(); let s = \"crate::no\"; }\nuse super::w as W;\n";
        assert_eq!(
            specs(Lang::Rust, src),
            vec![
                (1, "std::io".into()),
                (2, "crate::a::b".into()),
                (2, "crate::a::c::d".into()),
                (2, "crate::a::c".into()),
                (7, "super::w".into()),
                (4, "self::x".into()),
                (5, "serde".into()),
                (6, "crate::y::z".into()),
            ]
        );
    }

    #[test]
    fn rust_inline_modules_keep_super_in_the_file() {
        let src = "use super::x;\nfn f() {}\n#[cfg(test)]\nmod tests {\n    use super::*;\n    use super::super::y;\n}\nuse super::z;\n";
        assert_eq!(
            specs(Lang::Rust, src),
            vec![(1, "super::x".into()), (5, "self".into()), (6, "self::super::y".into()), (8, "super::z".into())]
        );
        let decl = extract(Lang::Rust, "mod a;\nuse crate::b;\n");
        assert_eq!(decl.iter().map(|i| i.module_decl).collect::<Vec<_>>(), vec![false, true]);
    }

    #[test]
    fn python_js_go_java_imports() {
        let py = "import os, a.b as c\nfrom . import d, e\nfrom ..pkg.m import (\n  f,\n  g)\n# import nope\n";
        assert_eq!(
            specs(Lang::Python, py),
            vec![
                (1, "os".into()),
                (1, "a.b".into()),
                (2, ".d".into()),
                (2, ".e".into()),
                (3, "..pkg.m.f".into()),
                (3, "..pkg.m.g".into())
            ]
        );
        let js = "import x from './x';\nimport {\n  a,\n} from \"../a\";\nexport * from './b';\nconst c = require('lodash/fp');\nconst d = await import('./d.js');\n// import z from 'z';\nimport './side-effect';\n";
        assert_eq!(
            specs(Lang::TypeScript, js),
            vec![
                (1, "./x".into()),
                (2, "../a".into()),
                (5, "./b".into()),
                (6, "lodash/fp".into()),
                (7, "./d.js".into()),
                (9, "./side-effect".into())
            ]
        );
        let go = "package p\nimport \"fmt\"\nimport (\n\tlog \"log/slog\"\n\t\"example.com/m/internal/db\"\n)\n";
        assert_eq!(
            specs(Lang::Go, go),
            vec![(2, "fmt".into()), (4, "log/slog".into()), (5, "example.com/m/internal/db".into())]
        );
        let java = "package a;\nimport java.util.List;\nimport static a.b.C.f;\nimport a.d.*;\n";
        assert_eq!(
            specs(Lang::Java, java),
            vec![(2, "java.util.List".into()), (3, "a.b.C.f".into()), (4, "a.d.*".into())]
        );
    }

    #[test]
    fn resolution_to_files_and_packages() {
        let files: HashSet<&str> = [
            "src/lib.rs",
            "src/a/mod.rs",
            "src/a/b.rs",
            "src/c.rs",
            "app/domain/__init__.py",
            "app/domain/model.py",
            "app/infra/db.py",
            "web/src/x.ts",
            "web/src/lib/index.ts",
            "src/main/java/a/b/C.java",
        ]
        .into_iter()
        .collect();
        let exists = |p: &str| files.contains(p);
        let js_imports = js_subpath_imports(r##"{"imports": {"#*": "./web/src/*", "#x": {"node": "./a.js"}}}"##);
        assert_eq!(js_imports, vec![("#".to_string(), "./web/src/".to_string())]);
        let r = Resolver { exists: &exists, go_module: Some("example.com/m".into()), js_imports };
        let f = |s: &str| Target::File(s.into());
        assert_eq!(r.resolve(Lang::Rust, "src/a/b.rs", "crate::c::Thing"), f("src/c.rs"));
        assert_eq!(r.resolve(Lang::Rust, "src/a/b.rs", "super::b::x"), f("src/a/b.rs"));
        assert_eq!(r.resolve(Lang::Rust, "src/lib.rs", "self::a"), f("src/a/mod.rs"));
        assert_eq!(r.resolve(Lang::Rust, "src/c.rs", "crate::Top"), f("src/lib.rs"));
        assert_eq!(r.resolve(Lang::Rust, "src/c.rs", "serde::de"), Target::External("serde::de".into()));
        assert_eq!(r.resolve(Lang::Python, "app/infra/db.py", "app.domain.model.Order"), f("app/domain/model.py"));
        assert_eq!(r.resolve(Lang::Python, "app/infra/db.py", "..domain.model"), f("app/domain/model.py"));
        assert_eq!(r.resolve(Lang::Python, "app/infra/db.py", "..domain"), f("app/domain/__init__.py"));
        assert_eq!(
            r.resolve(Lang::Python, "app/infra/db.py", "requests.adapters"),
            Target::External("requests.adapters".into())
        );
        assert_eq!(r.resolve(Lang::TypeScript, "web/src/y.ts", "./x.js"), f("web/src/x.ts"));
        assert_eq!(r.resolve(Lang::TypeScript, "web/src/y.ts", "./lib"), f("web/src/lib/index.ts"));
        assert_eq!(r.resolve(Lang::TypeScript, "web/other/y.ts", "#lib/index.js"), f("web/src/lib/index.ts"));
        assert_eq!(r.resolve(Lang::TypeScript, "web/src/y.ts", "../../../x"), Target::Unresolved);
        assert_eq!(
            r.resolve(Lang::TypeScript, "web/src/y.ts", "@scope/p/sub"),
            Target::External("@scope/p/sub".into())
        );
        assert_eq!(r.resolve(Lang::Go, "cmd/x.go", "example.com/m/internal/db"), Target::Dir("internal/db".into()));
        assert_eq!(r.resolve(Lang::Java, "x.java", "a.b.C.f"), f("src/main/java/a/b/C.java"));
        assert!(in_package("requests.adapters", "requests") && in_package("serde::de", "serde"));
        assert!(in_package("lodash/fp", "lodash") && !in_package("lodashx", "lodash"));
        assert!(in_package("tokio_util", "tokio-util"));
        assert_eq!(go_module("module example.com/m\n\ngo 1.22\n").as_deref(), Some("example.com/m"));
    }
}
