//! Imports as the language defines them, read from the syntax tree: an `import` written in a
//! docstring, a comment or a string is not an import.

use super::walk::{children, named_children, preorder};
use super::{Language, SourceFile, Span};
use tree_sitter::Node;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ImportKind {
    /// A declaration: `import`, `use`, `from x import y`, Go/Java/Kotlin imports, CSS `@import`.
    Static,
    /// `import("x")` in JavaScript/TypeScript.
    Dynamic,
    /// `require("x")`, TypeScript `import x = require("x")`.
    Require,
    /// `export … from "x"`, Rust `pub use`.
    ReExport,
    /// Rust `mod x;`: the file declares a child module (ownership, not a dependency).
    ModuleDecl,
    /// Rust `extern crate x`.
    ExternCrate,
    /// A Rust `crate::…` path written in code outside any `use`.
    QualifiedPath,
}

/// One import. Rust use trees are expanded: `use a::{b, c}` gives `a::b` and `a::c`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Import {
    /// As written, without quotes: `./x`, `react`, `os.path`, `..models`, `crate::a::b`,
    /// `net/http`, `java.util.*`. For a non-literal dynamic import, the argument's source text.
    pub specifier: String,
    pub kind: ImportKind,
    pub span: Span,
    /// Names imported from the module: `from . import a, b` → `a`, `b`; `import { x as y }` →
    /// `x`; `default` for a default import, `*` for a namespace or wildcard import; a Go or
    /// Kotlin alias. Empty for a plain `import m` / side-effect import.
    pub names: Vec<String>,
    /// Only types are imported (`import type`, `export type … from`, every specifier `type`).
    pub type_only: bool,
    /// Inside a Python `if TYPE_CHECKING:` block: not imported at run time.
    pub type_checking: bool,
    /// The specifier is a literal. False for `import(name)` / `require(path.join(...))`, which
    /// no static analysis can follow.
    pub literal: bool,
    /// Rust: names of the inline `mod x { … }` blocks enclosing the import, outermost first
    /// (`super` inside them stays in the same file).
    pub scope: Vec<String>,
}

/// The imports of every code region of `file`, in document order.
pub fn imports(file: &SourceFile) -> Vec<Import> {
    let mut out = Vec::new();
    for region in file.regions() {
        let root = region.root();
        match region.language {
            Language::JavaScript | Language::TypeScript | Language::Tsx => js(file, root, &mut out),
            Language::Python => python(file, root, &mut out),
            Language::Rust => rust(file, root, &mut out),
            Language::Go => go(file, root, &mut out),
            Language::Java | Language::Kotlin => jvm(file, root, &mut out),
            Language::Css => css(file, root, &mut out),
            Language::Html | Language::Vue | Language::Svelte => {}
        }
    }
    out.sort_by_key(|i| (i.span.start_byte, i.span.end_byte));
    out
}

fn import(specifier: String, kind: ImportKind, node: Node<'_>) -> Import {
    Import {
        specifier,
        kind,
        span: Span::of(node),
        names: Vec::new(),
        type_only: false,
        type_checking: false,
        literal: true,
        scope: Vec::new(),
    }
}

/// The content of a string literal node (JS/TS/Go/Python/CSS), without quotes. `None` when it
/// has interpolations.
pub(crate) fn string_content(file: &SourceFile, node: Node<'_>) -> Option<String> {
    match node.kind() {
        "string"
        | "string_value"
        | "interpreted_string_literal"
        | "raw_string_literal"
        | "string_literal"
        | "template_string" => {
            if named_children(node)
                .any(|c| matches!(c.kind(), "template_substitution" | "interpolation" | "string_interpolation"))
            {
                return None;
            }
            let text = file.node_text(node);
            // strip prefix letters (Python b"", r""; Rust r#"…"#) and the quotes of either kind
            let t = text.trim_start_matches(|c: char| c.is_ascii_alphabetic());
            let hashes = t.len() - t.trim_start_matches('#').len();
            let t = &t[hashes..t.len() - hashes.min(t.len() - hashes)];
            let q = t.chars().next()?;
            if !matches!(q, '"' | '\'' | '`') {
                return None;
            }
            let triple: String = std::iter::repeat_n(q, 3).collect();
            let inner = if t.len() >= 6 && t.starts_with(&triple) && t.ends_with(&triple) {
                &t[3..t.len() - 3]
            } else {
                t.strip_prefix(q).map(|s| s.strip_suffix(q).unwrap_or(s)).unwrap_or(t)
            };
            Some(inner.to_string())
        }
        _ => None,
    }
}

fn has_token(node: Node<'_>, token: &str) -> bool {
    children(node).any(|c| !c.is_named() && c.kind() == token)
}

fn js(file: &SourceFile, root: Node<'_>, out: &mut Vec<Import>) {
    for node in preorder(root) {
        match node.kind() {
            "import_statement" => {
                let type_stmt = has_token(node, "type") || has_token(node, "typeof");
                if let Some(req) = children(node).find(|c| c.kind() == "import_require_clause") {
                    if let Some(src) = req.child_by_field_name("source")
                        && let Some(spec) = string_content(file, src)
                    {
                        let mut i = import(spec, ImportKind::Require, node);
                        i.type_only = type_stmt;
                        out.push(i);
                    }
                    continue;
                }
                let Some(src) = node.child_by_field_name("source") else { continue };
                let Some(spec) = string_content(file, src) else { continue };
                let mut i = import(spec, ImportKind::Static, node);
                let mut all_specifiers_typed = None;
                if let Some(clause) = children(node).find(|c| c.kind() == "import_clause") {
                    for c in named_children(clause) {
                        match c.kind() {
                            "identifier" => {
                                i.names.push("default".into());
                                all_specifiers_typed = Some(false);
                            }
                            "namespace_import" => {
                                i.names.push("*".into());
                                all_specifiers_typed = Some(false);
                            }
                            "named_imports" => {
                                for s in named_children(c).filter(|s| s.kind() == "import_specifier") {
                                    if let Some(n) = s.child_by_field_name("name") {
                                        i.names.push(file.node_text(n).trim_matches(['"', '\'']).to_string());
                                    }
                                    let typed = has_token(s, "type") || has_token(s, "typeof");
                                    all_specifiers_typed = Some(all_specifiers_typed.unwrap_or(true) && typed);
                                }
                            }
                            _ => {}
                        }
                    }
                }
                i.type_only = type_stmt || all_specifiers_typed == Some(true);
                out.push(i);
            }
            "export_statement" => {
                let Some(src) = node.child_by_field_name("source") else { continue };
                let Some(spec) = string_content(file, src) else { continue };
                let mut i = import(spec, ImportKind::ReExport, node);
                i.type_only = has_token(node, "type");
                for c in named_children(node) {
                    match c.kind() {
                        "export_clause" => {
                            for s in named_children(c).filter(|s| s.kind() == "export_specifier") {
                                if let Some(n) = s.child_by_field_name("name") {
                                    i.names.push(file.node_text(n).trim_matches(['"', '\'']).to_string());
                                }
                            }
                        }
                        "namespace_export" => i.names.push("*".into()),
                        _ => {}
                    }
                }
                if i.names.is_empty() && has_token(node, "*") {
                    i.names.push("*".into());
                }
                out.push(i);
            }
            "call_expression" => {
                let Some(f) = node.child_by_field_name("function") else { continue };
                let kind = match f.kind() {
                    "import" => ImportKind::Dynamic,
                    "identifier" if file.node_text(f) == "require" => ImportKind::Require,
                    _ => continue,
                };
                let Some(args) = node.child_by_field_name("arguments") else { continue };
                let Some(first) = named_children(args).find(|a| !a.is_extra()) else { continue };
                let mut i = match string_content(file, first) {
                    Some(spec) => import(spec, kind, node),
                    None => {
                        let mut i = import(file.node_text(first).to_string(), kind, node);
                        i.literal = false;
                        i
                    }
                };
                i.span = Span::of(node);
                out.push(i);
            }
            _ => {}
        }
    }
}

fn python(file: &SourceFile, root: Node<'_>, out: &mut Vec<Import>) {
    let first = out.len();
    // TYPE_CHECKING blocks, as byte ranges of their consequence
    let mut guarded: Vec<(usize, usize)> = Vec::new();
    for node in preorder(root) {
        match node.kind() {
            "if_statement" => {
                let is_tc = node.child_by_field_name("condition").is_some_and(|c| {
                    let t = file.node_text(c);
                    t == "TYPE_CHECKING" || t.ends_with(".TYPE_CHECKING")
                });
                if is_tc && let Some(b) = node.child_by_field_name("consequence") {
                    guarded.push((b.start_byte(), b.end_byte()));
                }
            }
            "import_statement" => {
                for n in children(node).filter(|c| c.kind() == "dotted_name" || c.kind() == "aliased_import") {
                    let name = if n.kind() == "aliased_import" { n.child_by_field_name("name") } else { Some(n) };
                    if let Some(name) = name {
                        out.push(import(file.node_text(name).to_string(), ImportKind::Static, node));
                    }
                }
            }
            "import_from_statement" | "future_import_statement" => {
                let module = match node.child_by_field_name("module_name") {
                    Some(m) => file.node_text(m).split_whitespace().collect::<String>(),
                    None => "__future__".to_string(),
                };
                let mut i = import(module, ImportKind::Static, node);
                let module_id = node.child_by_field_name("module_name").map(|m| m.id());
                for c in named_children(node) {
                    if Some(c.id()) == module_id {
                        continue;
                    }
                    match c.kind() {
                        "dotted_name" => i.names.push(file.node_text(c).to_string()),
                        "aliased_import" => {
                            if let Some(n) = c.child_by_field_name("name") {
                                i.names.push(file.node_text(n).to_string());
                            }
                        }
                        "wildcard_import" => i.names.push("*".into()),
                        _ => {}
                    }
                }
                out.push(i);
            }
            _ => {}
        }
    }
    for i in &mut out[first..] {
        i.type_checking = guarded.iter().any(|&(s, e)| i.span.start_byte >= s && i.span.end_byte <= e);
    }
}

fn rust(file: &SourceFile, root: Node<'_>, out: &mut Vec<Import>) {
    // inline modules: (start, end, name)
    let mut mods: Vec<(usize, usize, String)> = Vec::new();
    let mut uses: Vec<(usize, usize)> = Vec::new();
    let scope_of = |mods: &[(usize, usize, String)], at: usize| -> Vec<String> {
        mods.iter().filter(|(s, e, _)| at > *s && at < *e).map(|(_, _, n)| n.clone()).collect()
    };
    for node in preorder(root) {
        match node.kind() {
            "mod_item" => {
                let name = node.child_by_field_name("name").map(|n| file.node_text(n).to_string()).unwrap_or_default();
                if node.child_by_field_name("body").is_some() {
                    mods.push((node.start_byte(), node.end_byte(), name));
                } else if !name.is_empty() {
                    let mut i = import(name, ImportKind::ModuleDecl, node);
                    i.scope = scope_of(&mods, node.start_byte());
                    out.push(i);
                }
            }
            "extern_crate_declaration" => {
                if let Some(n) = node.child_by_field_name("name") {
                    let mut i = import(file.node_text(n).to_string(), ImportKind::ExternCrate, node);
                    i.scope = scope_of(&mods, node.start_byte());
                    out.push(i);
                }
            }
            "use_declaration" => {
                uses.push((node.start_byte(), node.end_byte()));
                let kind = if children(node).any(|c| c.kind() == "visibility_modifier") {
                    ImportKind::ReExport
                } else {
                    ImportKind::Static
                };
                let Some(arg) = node.child_by_field_name("argument") else { continue };
                let mut paths = Vec::new();
                expand_use(file, arg, &mut paths);
                for (path, wildcard) in paths {
                    let mut i = import(path, kind, node);
                    if wildcard {
                        i.names.push("*".into());
                    }
                    i.scope = scope_of(&mods, node.start_byte());
                    out.push(i);
                }
            }
            // macro bodies and arguments are token trees: `$crate::a::b` / `crate::a::b` runs
            "token_tree" if node.parent().is_none_or(|p| p.kind() != "token_tree") => {
                for (path, at) in token_tree_crate_paths(file, node) {
                    let mut i = import(path, ImportKind::QualifiedPath, at);
                    i.scope = scope_of(&mods, at.start_byte());
                    out.push(i);
                }
            }
            "scoped_identifier" | "scoped_type_identifier" => {
                let outermost = node.parent().is_none_or(|p| !p.kind().starts_with("scoped_"));
                let text = file.node_text(node);
                if outermost
                    && text.starts_with("crate::")
                    && !uses.iter().any(|&(s, e)| node.start_byte() >= s && node.end_byte() <= e)
                {
                    let mut i = import(text.split_whitespace().collect(), ImportKind::QualifiedPath, node);
                    i.scope = scope_of(&mods, node.start_byte());
                    out.push(i);
                }
            }
            _ => {}
        }
    }
}

/// `crate::a::b` (or `$crate::a::b`) token runs inside a token tree and its nested trees, with
/// the node of their first token.
fn token_tree_crate_paths<'t>(file: &SourceFile, tt: Node<'t>) -> Vec<(String, Node<'t>)> {
    let leaves: Vec<Node<'t>> = preorder(tt).filter(|n| n.child_count() == 0 || n.kind() == "metavariable").collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < leaves.len() {
        let t = file.node_text(leaves[i]);
        if (t == "crate" || t == "$crate") && leaves.get(i + 1).is_some_and(|n| file.node_text(*n) == "::") {
            let mut path = String::from("crate");
            let mut j = i + 1;
            while j + 1 < leaves.len() && file.node_text(leaves[j]) == "::" && leaves[j + 1].kind() == "identifier" {
                path.push_str("::");
                path.push_str(file.node_text(leaves[j + 1]));
                j += 2;
            }
            if path != "crate" {
                out.push((path, leaves[i]));
            }
            i = j;
        } else {
            i += 1;
        }
    }
    out
}

/// Expands a use tree into full paths (`a::{b, c::*}` → `a::b`, `a::c` wildcard), iteratively.
fn expand_use(file: &SourceFile, arg: Node<'_>, out: &mut Vec<(String, bool)>) {
    let join = |p: &str, s: &str| if p.is_empty() { s.to_string() } else { format!("{p}::{s}") };
    let mut work: Vec<(String, Node<'_>)> = vec![(String::new(), arg)];
    while let Some((prefix, n)) = work.pop() {
        match n.kind() {
            "use_as_clause" => {
                if let Some(p) = n.child_by_field_name("path") {
                    // `{self as x}` names the prefix itself
                    let path = compact(file.node_text(p));
                    out.push((if path == "self" { prefix.clone() } else { join(&prefix, &path) }, false));
                }
            }
            "use_wildcard" => {
                // `a::*`, or a bare `*` inside a list (`a::{*, b}`)
                let path = named_children(n).next().map(|p| compact(file.node_text(p))).unwrap_or_default();
                out.push((if path.is_empty() { prefix.clone() } else { join(&prefix, &path) }, true));
            }
            "scoped_use_list" => {
                let path = n.child_by_field_name("path").map(|p| compact(file.node_text(p))).unwrap_or_default();
                let base = join(&prefix, &path);
                if let Some(list) = n.child_by_field_name("list") {
                    for c in named_children(list).collect::<Vec<_>>().into_iter().rev() {
                        work.push((base.clone(), c));
                    }
                }
            }
            "use_list" => {
                for c in named_children(n).collect::<Vec<_>>().into_iter().rev() {
                    work.push((prefix.clone(), c));
                }
            }
            "self" => out.push((prefix.clone(), false)),
            k if k.ends_with("comment") => {}
            _ => out.push((join(&prefix, &compact(file.node_text(n))), false)),
        }
    }
}

fn compact(s: &str) -> String {
    s.split_whitespace().collect::<String>().trim_start_matches("::").to_string()
}

fn go(file: &SourceFile, root: Node<'_>, out: &mut Vec<Import>) {
    for node in preorder(root).filter(|n| n.kind() == "import_spec") {
        let Some(path) = node.child_by_field_name("path") else { continue };
        let Some(spec) = string_content(file, path) else { continue };
        let mut i = import(spec, ImportKind::Static, node);
        if let Some(n) = node.child_by_field_name("name") {
            i.names.push(file.node_text(n).to_string());
        }
        out.push(i);
    }
}

fn jvm(file: &SourceFile, root: Node<'_>, out: &mut Vec<Import>) {
    for node in preorder(root).filter(|n| matches!(n.kind(), "import_declaration" | "import")) {
        let Some(name) = named_children(node)
            .find(|c| matches!(c.kind(), "scoped_identifier" | "identifier" | "qualified_identifier"))
        else {
            continue;
        };
        let mut spec = compact(file.node_text(name));
        let wildcard = children(node).any(|c| c.kind() == "asterisk" || c.kind() == "*");
        if wildcard {
            spec.push_str(".*");
        }
        let mut i = import(spec, ImportKind::Static, node);
        // a Kotlin alias (`import a.B as C`) is the second identifier
        if let Some(alias) = named_children(node)
            .filter(|c| c.kind() == "identifier")
            .nth(if name.kind() == "identifier" { 1 } else { 0 })
        {
            i.names.push(file.node_text(alias).to_string());
        }
        out.push(i);
    }
}

fn css(file: &SourceFile, root: Node<'_>, out: &mut Vec<Import>) {
    for node in preorder(root).filter(|n| n.kind() == "import_statement") {
        let target = named_children(node).find_map(|c| match c.kind() {
            "string_value" => string_content(file, c),
            // url(x) / url("x")
            "call_expression" => named_children(c).find(|a| a.kind() == "arguments").map(|a| {
                let t = file.node_text(a);
                t.trim_matches(['(', ')']).trim().trim_matches(['"', '\'']).to_string()
            }),
            _ => None,
        });
        if let Some(spec) = target {
            out.push(import(spec, ImportKind::Static, node));
        }
    }
}
