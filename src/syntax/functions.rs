//! Functions with their extents and cyclomatic complexity.
//!
//! What counts as a function, and what counts as a decision point, follows lizard (the usual
//! reference for CCN) so limits written for one read the same in the other: JavaScript arrows
//! and function expressions and Go function literals are functions of their own; Python lambdas,
//! Rust closures and Java/Kotlin lambdas belong to the enclosing function. A nested function's
//! decision points are its own, not its parent's (its lines still count in the parent's length).

use super::walk::{children, named_children, preorder};
use super::{Language, SourceFile, Span};
use tree_sitter::Node;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FunctionKind {
    /// A free function (`fn`, `def`, `function f`, `func F`).
    Function,
    /// A function defined in a class, impl, trait or object body, or a Go method.
    Method,
    /// A constructor (`constructor`, Java/Kotlin constructors).
    Constructor,
    /// A JavaScript/TypeScript arrow function.
    Arrow,
    /// A function expression or literal (`function () {}`, Go `func() {}`, Kotlin `fun() {}`).
    Anonymous,
}

/// A function with a body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Function {
    /// Declared name; for anonymous functions the variable, property or field it is assigned to
    /// (as lizard names them), else `(anonymous)`.
    pub name: String,
    pub kind: FunctionKind,
    /// From the signature (after any decorators/attributes) to the end of the body.
    pub span: Span,
    /// 1-based line where the body starts.
    pub body_start_line: u32,
    /// First and last line of the decorators, attributes or annotations attached to it.
    pub attributes: Option<(u32, u32)>,
    /// Number of enclosing functions.
    pub depth: u32,
    /// Index (in the returned list) of the innermost enclosing function.
    pub parent: Option<usize>,
    /// McCabe cyclomatic complexity: 1 + decision points, lizard's rules per language.
    pub complexity: u32,
    /// The language of the region it was found in (TypeScript inside a `.vue` file).
    pub language: Language,
}

impl Function {
    /// Length in lines, signature to end of body (lizard's "length").
    pub fn lines(&self) -> u32 {
        self.span.end_line.saturating_sub(self.span.start_line) + 1
    }

    /// First line including decorators and attributes.
    pub fn full_start_line(&self) -> u32 {
        self.attributes.map_or(self.span.start_line, |(s, _)| s.min(self.span.start_line))
    }
}

/// The functions of every code region of `file`, in document order (a parent before its
/// nested functions).
pub fn functions(file: &SourceFile) -> Vec<Function> {
    let mut out: Vec<Function> = Vec::new();
    for region in file.regions() {
        let lang = region.language;
        // open functions: (index in `out`, end byte)
        let mut stack: Vec<(usize, usize)> = Vec::new();
        for node in preorder(region.root()) {
            while stack.last().is_some_and(|&(_, end)| node.start_byte() >= end) {
                stack.pop();
            }
            if is_function(lang, node) {
                let f = describe(file, lang, node, stack.last().map(|&(i, _)| i), stack.len() as u32);
                out.push(f);
                stack.push((out.len() - 1, node.end_byte()));
                continue;
            }
            if let Some(&(i, _)) = stack.last() {
                out[i].complexity += decisions(lang, node);
            }
        }
    }
    out
}

fn is_function(lang: Language, node: Node<'_>) -> bool {
    // keywords are anonymous nodes with the same kind as some named nodes (`function`)
    if !node.is_named() {
        return false;
    }
    let k = node.kind();
    match lang {
        Language::Rust => k == "function_item",
        Language::JavaScript | Language::TypeScript | Language::Tsx => matches!(
            k,
            "function_declaration"
                | "generator_function_declaration"
                | "function_expression"
                | "function"
                | "generator_function"
                | "arrow_function"
                | "method_definition"
        ),
        Language::Python => k == "function_definition",
        Language::Go => {
            matches!(k, "function_declaration" | "method_declaration" | "func_literal")
                && node.child_by_field_name("body").is_some()
        }
        Language::Java => {
            matches!(k, "method_declaration" | "constructor_declaration" | "compact_constructor_declaration")
                && node.child_by_field_name("body").is_some()
        }
        Language::Kotlin => {
            matches!(k, "function_declaration" | "anonymous_function" | "secondary_constructor")
                && (k == "secondary_constructor" || children(node).any(|c| c.kind() == "function_body"))
        }
        Language::Css | Language::Html | Language::Vue | Language::Svelte => false,
    }
}

const ATTRIBUTE_KINDS: &[&str] = &["decorator", "annotation", "marker_annotation", "attribute_item"];

fn describe(file: &SourceFile, lang: Language, node: Node<'_>, parent: Option<usize>, depth: u32) -> Function {
    let mut span = Span::of(node);
    // a trailing comment inside the body is not part of the function's length (lizard)
    let last = last_code_token(node);
    span.end_line = Span::of(last).end_line.max(span.start_line);
    let (start_line, start_byte) = signature_start(node);
    span.start_line = start_line;
    span.start_byte = start_byte;
    let body = node
        .child_by_field_name("body")
        .or_else(|| children(node).find(|c| matches!(c.kind(), "function_body" | "block" | "statement_block")));
    let body_start_line = body.map_or(span.start_line, |b| b.start_position().row as u32 + 1);
    Function {
        name: name_of(file, lang, node),
        kind: kind_of(lang, node, file),
        span,
        body_start_line,
        attributes: attributes_of(node),
        depth,
        parent,
        complexity: 1,
        language: lang,
    }
}

/// The last descendant token of `node` that is not a comment (the node itself if none).
fn last_code_token(node: Node<'_>) -> Node<'_> {
    let mut n = node;
    loop {
        let last = (0..n.child_count())
            .rev()
            .filter_map(|i| n.child(i))
            .find(|c| !c.is_extra() && c.end_byte() > c.start_byte());
        match last {
            Some(c) => n = c,
            None => return n,
        }
    }
}

/// Where the signature starts: the first child that is not a decorator, annotation, attribute or
/// comment (looking one level into Java/Kotlin `modifiers`, which hold annotations too).
fn signature_start(node: Node<'_>) -> (u32, usize) {
    let skip = |c: &Node<'_>| ATTRIBUTE_KINDS.contains(&c.kind()) || c.is_extra();
    for c in children(node) {
        if skip(&c) {
            continue;
        }
        if c.kind() == "modifiers" {
            if let Some(m) = children(c).find(|m| !skip(m)) {
                return (m.start_position().row as u32 + 1, m.start_byte());
            }
            continue;
        }
        return (c.start_position().row as u32 + 1, c.start_byte());
    }
    (node.start_position().row as u32 + 1, node.start_byte())
}

fn attributes_of(node: Node<'_>) -> Option<(u32, u32)> {
    let mut lines: Vec<(u32, u32)> = Vec::new();
    let mut add = |n: Node<'_>| {
        let s = Span::of(n);
        lines.push((s.start_line, s.end_line));
    };
    // annotations and decorators inside the node (Java/Kotlin modifiers, TS parameters aside)
    for c in children(node) {
        if ATTRIBUTE_KINDS.contains(&c.kind()) {
            add(c);
        } else if c.kind() == "modifiers" {
            children(c).filter(|m| ATTRIBUTE_KINDS.contains(&m.kind())).for_each(&mut add);
        }
    }
    // Python: `decorated_definition` wraps the function
    if let Some(p) = node.parent().filter(|p| p.kind() == "decorated_definition") {
        named_children(p).filter(|d| d.kind() == "decorator").for_each(&mut add);
    }
    // Rust attributes and class-member decorators (TS) are preceding siblings
    let mut prev = node.prev_sibling();
    while let Some(p) = prev {
        if matches!(p.kind(), "attribute_item" | "decorator") {
            add(p);
        } else if !p.is_extra() {
            break;
        }
        prev = p.prev_sibling();
    }
    let start = lines.iter().map(|l| l.0).min()?;
    let end = lines.iter().map(|l| l.1).max()?;
    Some((start, end))
}

fn name_of(file: &SourceFile, lang: Language, node: Node<'_>) -> String {
    if let Some(n) = node.child_by_field_name("name") {
        return file.node_text(n).to_string();
    }
    if lang == Language::Kotlin
        && let Some(n) = children(node).find(|c| c.kind() == "identifier")
    {
        return file.node_text(n).to_string();
    }
    if lang.is_js_like()
        && let Some(p) = node.parent()
    {
        let named = match p.kind() {
            "variable_declarator" => p.child_by_field_name("name"),
            "assignment_expression" => p.child_by_field_name("left"),
            "pair" => p.child_by_field_name("key"),
            "public_field_definition" | "field_definition" => {
                p.child_by_field_name("name").or_else(|| p.child_by_field_name("property"))
            }
            _ => None,
        };
        if let Some(n) = named {
            let text = file.node_text(n);
            // lizard keeps the last segment of `module.exports.f = function`
            return text.rsplit('.').next().unwrap_or(text).trim_matches(['"', '\'']).to_string();
        }
    }
    "(anonymous)".to_string()
}

fn kind_of(lang: Language, node: Node<'_>, file: &SourceFile) -> FunctionKind {
    match node.kind() {
        "arrow_function" => FunctionKind::Arrow,
        "function_expression" | "function" | "generator_function" | "func_literal" | "anonymous_function" => {
            FunctionKind::Anonymous
        }
        "constructor_declaration" | "compact_constructor_declaration" | "secondary_constructor" => {
            FunctionKind::Constructor
        }
        "method_definition" => {
            let is_ctor = node.child_by_field_name("name").is_some_and(|n| file.node_text(n) == "constructor");
            if is_ctor { FunctionKind::Constructor } else { FunctionKind::Method }
        }
        "method_declaration" => FunctionKind::Method,
        _ => {
            // a definition directly in a class-like body is a method
            let mut p = node.parent();
            if p.is_some_and(|p| p.kind() == "decorated_definition") {
                p = p.and_then(|p| p.parent());
            }
            let container = match (lang, p) {
                (Language::Python, Some(b)) if b.kind() == "block" => b.parent(),
                (Language::Rust, Some(b)) if b.kind() == "declaration_list" => b.parent(),
                (Language::Kotlin, Some(b)) if matches!(b.kind(), "class_body" | "enum_class_body") => b.parent(),
                _ => None,
            };
            match container.map(|c| c.kind()) {
                Some(
                    "class_definition" | "impl_item" | "trait_item" | "class_declaration" | "object_declaration"
                    | "companion_object",
                ) => FunctionKind::Method,
                _ => FunctionKind::Function,
            }
        }
    }
}

/// Decision points contributed by one node (lizard's token rules, applied to syntax so that a
/// `?` of optional chaining or a `for` of `impl Trait for T` is not a branch).
fn decisions(lang: Language, node: Node<'_>) -> u32 {
    let kind = node.kind();
    let parent = || node.parent().map_or("", |p| p.kind());
    if node.is_named() {
        return match (lang, kind) {
            // a `match` with n arms has n - 1 decisions (lizard counts each `=>` after the first)
            (Language::Rust, "match_block") => {
                (named_children(node).filter(|c| c.kind() == "match_arm").count() as u32).saturating_sub(1)
            }
            (Language::Kotlin, "when_expression") => {
                (named_children(node).filter(|c| c.kind() == "when_entry").count() as u32).saturating_sub(1)
            }
            _ => 0,
        };
    }
    let hit = match lang {
        Language::Python => {
            matches!(kind, "if" | "elif" | "for" | "while" | "except" | "except*" | "finally" | "and" | "or")
        }
        Language::Rust => match kind {
            "if" | "while" => true,
            "for" => matches!(parent(), "for_expression" | "token_tree"),
            "where" => true,
            "&&" | "||" => matches!(parent(), "binary_expression" | "token_tree"),
            "?" => parent() == "try_expression",
            "else" => parent() == "let_declaration",
            _ => false,
        },
        Language::JavaScript | Language::TypeScript | Language::Tsx => match kind {
            "if" | "for" | "while" | "catch" | "case" => true,
            "&&" | "||" | "??" => parent() == "binary_expression",
            "?" => matches!(parent(), "ternary_expression" | "optional_parameter"),
            // lizard counts default values of parameters and destructuring as branches
            "=" => matches!(
                parent(),
                "assignment_pattern" | "object_assignment_pattern" | "required_parameter" | "optional_parameter"
            ),
            _ => false,
        },
        Language::Go => match kind {
            "if" | "for" | "case" => true,
            "&&" | "||" => parent() == "binary_expression",
            _ => false,
        },
        Language::Java => match kind {
            "if" | "for" | "while" | "catch" | "case" => true,
            "&&" | "||" => parent() == "binary_expression",
            "?" => parent() == "ternary_expression",
            _ => false,
        },
        Language::Kotlin => matches!(kind, "if" | "for" | "while" | "catch" | "&&" | "||" | "?:"),
        Language::Css | Language::Html | Language::Vue | Language::Svelte => false,
    };
    u32::from(hit)
}
