//! "Did any code change?" — comparing the code tokens on the changed lines of base and head,
//! ignoring comments, whitespace and (by option) docstrings and attributes. A reworded comment,
//! a reflowed argument list or an added `#[must_use]` is not a code change; a changed string,
//! operator or name is.

use super::walk::preorder;
use super::{Language, SourceFile};

/// What a line holds, by the most significant token on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum LineKind {
    /// Only whitespace.
    Blank,
    /// Only comments (doc comments included).
    Comment,
    /// Only (part of) a Python docstring.
    Docstring,
    /// Only attributes or annotations (Rust `#[…]`, Java/Kotlin `@…`). Python and TypeScript
    /// decorators are calls run at definition time, so they are code.
    Attribute,
    /// At least one code token.
    Code,
}

/// What [`code_changed`] may ignore besides comments and whitespace.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SemanticOptions {
    pub ignore_docstrings: bool,
    pub ignore_attributes: bool,
}

impl Default for SemanticOptions {
    fn default() -> Self {
        SemanticOptions { ignore_docstrings: true, ignore_attributes: true }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Class {
    Code,
    Comment,
    Docstring,
    Attribute,
}

/// A leaf token with its class and lines.
struct Token<'a> {
    kind: &'static str,
    text: &'a str,
    class: Class,
    start_line: u32,
    end_line: u32,
    /// Python: the indentation of the line the token starts, when it is the first on its line
    /// (indentation is syntax there).
    indent: Option<usize>,
}

fn tokens(file: &SourceFile) -> Vec<Token<'_>> {
    let mut out = Vec::new();
    for region in file.regions() {
        let lang = region.language;
        let mut stack: Vec<(usize, Class)> = Vec::new();
        let mut last_line = 0u32;
        let mut depth = 0u32;
        for node in preorder(region.root()) {
            while stack.last().is_some_and(|&(end, _)| node.start_byte() >= end) {
                stack.pop();
            }
            let class = classify(lang, node);
            if let Some(c) = class {
                stack.push((node.end_byte(), c));
            }
            // leaves, and strings taken whole (their parts differ per grammar)
            if node.child_count() > 0 || node.byte_range().is_empty() {
                continue;
            }
            let class = stack.last().map_or(Class::Code, |&(_, c)| c);
            let start_line = node.start_position().row as u32 + 1;
            let end = node.end_position();
            let end_line =
                if end.column == 0 && end.row > node.start_position().row { end.row } else { end.row + 1 } as u32;
            // only a logical line's first token carries indentation: inside brackets it is layout
            let indent = (lang == Language::Python && class == Class::Code && start_line != last_line && depth == 0)
                .then(|| node.start_position().column);
            if class == Class::Code {
                last_line = end_line;
                match node.kind() {
                    "(" | "[" | "{" => depth += 1,
                    ")" | "]" | "}" => depth = depth.saturating_sub(1),
                    _ => {}
                }
            }
            out.push(Token { kind: node.kind(), text: file.node_text(node), class, start_line, end_line, indent });
        }
    }
    out
}

fn classify(lang: Language, node: tree_sitter::Node<'_>) -> Option<Class> {
    let k = node.kind();
    if matches!(k, "comment" | "line_comment" | "block_comment" | "html_comment")
        || (node.is_extra() && k.contains("comment"))
    {
        return Some(Class::Comment);
    }
    match lang {
        Language::Rust if matches!(k, "attribute_item" | "inner_attribute_item") => Some(Class::Attribute),
        Language::Java | Language::Kotlin if matches!(k, "annotation" | "marker_annotation" | "file_annotation") => {
            Some(Class::Attribute)
        }
        Language::Python if k == "expression_statement" => {
            let mut named = (0..node.named_child_count()).filter_map(|i| node.named_child(i));
            let only = named.next();
            let is_doc =
                named.next().is_none() && only.is_some_and(|s| matches!(s.kind(), "string" | "concatenated_string"));
            is_doc.then_some(Class::Docstring)
        }
        _ => None,
    }
}

/// The kind of every line of `file` (index 0 is line 1). Lines outside any parsed region
/// (the markup of a Vue/Svelte/HTML file) are `Code` unless blank.
pub fn line_kinds(file: &SourceFile) -> Vec<LineKind> {
    let n = file.line_count() as usize;
    let mut kinds = vec![LineKind::Blank; n];
    let rank = |k: LineKind| k as u8;
    let mut covered = vec![!file.language().is_container(); n];
    for r in file.regions() {
        let first = r.root().start_position().row;
        let last = r.root().end_position().row;
        for c in covered.iter_mut().take(last + 1).skip(first) {
            *c = true;
        }
    }
    for (i, line) in file.text().lines().enumerate().take(n) {
        if !covered[i] && !line.trim().is_empty() {
            kinds[i] = LineKind::Code;
        }
    }
    for t in tokens(file) {
        let kind = match t.class {
            Class::Code => LineKind::Code,
            Class::Comment => LineKind::Comment,
            Class::Docstring => LineKind::Docstring,
            Class::Attribute => LineKind::Attribute,
        };
        for l in t.start_line..=t.end_line {
            if let Some(slot) = kinds.get_mut(l as usize - 1)
                && rank(kind) > rank(*slot)
            {
                *slot = kind;
            }
        }
    }
    kinds
}

/// Whether the code tokens touching `base_lines` of `base` differ from those touching
/// `head_lines` of `head` (1-based line numbers: the removed and added lines of a diff).
/// Comments and whitespace never count; docstrings and attributes per `opts`. In Python the
/// indentation of a changed code line counts, since it is syntax.
pub fn code_changed(
    base: &SourceFile,
    base_lines: &[u32],
    head: &SourceFile,
    head_lines: &[u32],
    opts: SemanticOptions,
) -> bool {
    relevant(base, base_lines, opts) != relevant(head, head_lines, opts)
}

fn relevant<'a>(
    file: &'a SourceFile,
    lines: &[u32],
    opts: SemanticOptions,
) -> Vec<(&'static str, &'a str, Option<usize>)> {
    let mut sorted: Vec<u32> = lines.to_vec();
    sorted.sort_unstable();
    sorted.dedup();
    let touches = |s: u32, e: u32| {
        let i = sorted.partition_point(|&l| l < s);
        sorted.get(i).is_some_and(|&l| l <= e)
    };
    let mut out = Vec::new();
    // a change to a container's markup is a code change we cannot see in tokens
    if file.language().is_container() {
        let covered = |l: u32| {
            file.regions().iter().any(|r| {
                let (a, b) = (r.root().start_position().row as u32 + 1, r.root().end_position().row as u32 + 1);
                l >= a && l <= b
            })
        };
        for (i, line) in file.text().lines().enumerate() {
            let l = i as u32 + 1;
            if touches(l, l) && !covered(l) && !line.trim().is_empty() {
                out.push(("markup", line.trim(), None));
            }
        }
    }
    for t in tokens(file) {
        let keep = match t.class {
            Class::Code => true,
            Class::Comment => false,
            Class::Docstring => !opts.ignore_docstrings,
            Class::Attribute => !opts.ignore_attributes,
        };
        if keep && touches(t.start_line, t.end_line) {
            out.push((t.kind, t.text, t.indent));
        }
    }
    out
}
