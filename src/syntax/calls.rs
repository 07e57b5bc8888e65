//! Call expressions and decorators/annotations/attributes with their arguments: what a
//! logging-sink check needs (which values reach `logger.info`) and what route extraction needs
//! (`app.get("/x", h)`, `@GetMapping("/x")`, `#[get("/x")]`, `Router::new().route("/x", get(h))`).

use super::imports::string_content;
use super::walk::{children, named_children, preorder};
use super::{Language, SourceFile, Span};
use tree_sitter::Node;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CallKind {
    Call,
    /// `new X(…)` (JavaScript/TypeScript, Java).
    New,
    /// A Rust macro invocation (`info!(…)`); its arguments are read from the token tree.
    Macro,
}

/// One call expression.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Call {
    /// The callee as a path: `console.log`, `self.logger.warning`, `log::info`, `fmt.Printf`,
    /// `Router::new().route` (calls inside the chain shown as `()`).
    pub callee: String,
    /// The last segment of the callee (`log`, `warning`, `info`, `route`).
    pub name: String,
    pub kind: CallKind,
    pub span: Span,
    pub args: Vec<Arg>,
    pub language: Language,
}

/// What an argument syntactically is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ArgKind {
    /// A bare name: `password`.
    Identifier(String),
    /// A member/attribute/field path: `user.password`, `self.token`, `config::KEY`.
    Member(String),
    /// A string literal without interpolation, unquoted.
    StringLiteral(String),
    /// A string with interpolations (f-string, JS template, Kotlin `"$x"`, Rust `"{x}"` in a
    /// macro): the source text of each interpolated expression.
    Template { interpolations: Vec<String> },
    /// A call (`get(handler)`, `mask(token)`): its callee path.
    Call(String),
    /// A function literal (arrow, lambda, closure).
    Function,
    /// Anything else (numbers, objects, operators…); see [`Arg::names`].
    Other,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Arg {
    pub kind: ArgKind,
    /// Keyword (`prefix="/x"`, Java `value = "/x"`, Kotlin `name = x`, tracing `field = %x`).
    pub keyword: Option<String>,
    /// Source text (at most 200 bytes).
    pub text: String,
    pub span: Span,
    /// Names and member paths the argument's expression reads, outside string literals but
    /// including interpolations (`"a" + user.token` → `user.token`).
    pub names: Vec<String>,
}

/// A decorator (Python, TypeScript), annotation (Java, Kotlin) or attribute (Rust).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decorator {
    /// Path as written: `app.get`, `Controller`, `GetMapping`, `get`, `tokio::main`.
    pub name: String,
    pub args: Vec<Arg>,
    pub span: Span,
    /// Name of what it decorates (function, method, class, field), when it has one.
    pub target: Option<String>,
    pub target_span: Option<Span>,
    pub language: Language,
}

const TEXT_CAP: usize = 200;
const PATH_SEGMENTS_CAP: usize = 64;
const NAMES_CAP: usize = 64;

/// Every call expression in the code regions of `file`, in document order.
pub fn calls(file: &SourceFile) -> Vec<Call> {
    let mut out = Vec::new();
    for region in file.regions() {
        let lang = region.language;
        for node in preorder(region.root()) {
            let (callee_node, args_node, kind) = match node.kind() {
                "call_expression" | "call" => {
                    let f = node.child_by_field_name("function").or_else(|| node.named_child(0));
                    let a = node.child_by_field_name("arguments").or_else(|| {
                        children(node).find(|c| matches!(c.kind(), "value_arguments" | "annotated_lambda"))
                    });
                    (f, a, CallKind::Call)
                }
                "method_invocation" => (Some(node), node.child_by_field_name("arguments"), CallKind::Call),
                "new_expression" => {
                    (node.child_by_field_name("constructor"), node.child_by_field_name("arguments"), CallKind::New)
                }
                "object_creation_expression" => {
                    (node.child_by_field_name("type"), node.child_by_field_name("arguments"), CallKind::New)
                }
                "macro_invocation" => (
                    node.child_by_field_name("macro"),
                    children(node).find(|c| c.kind() == "token_tree"),
                    CallKind::Macro,
                ),
                _ => continue,
            };
            let Some(callee_node) = callee_node else { continue };
            // CSS `call_expression` (`rgb(…)`) is a value, not a call
            if lang == Language::Css {
                continue;
            }
            let callee = if node.kind() == "method_invocation" {
                let name = node.child_by_field_name("name").map_or("", |n| file.node_text(n));
                match node.child_by_field_name("object") {
                    Some(o) => format!("{}.{name}", path(file, o)),
                    None => name.to_string(),
                }
            } else {
                path(file, callee_node)
            };
            let name = last_segment(&callee);
            let args = match (kind, args_node) {
                (CallKind::Macro, Some(tt)) => token_tree_args(file, tt, true),
                (_, Some(a)) => arg_list(file, node, a),
                (_, None) => Vec::new(),
            };
            out.push(Call { callee, name, kind, span: Span::of(node), args, language: lang });
        }
    }
    out
}

fn last_segment(path: &str) -> String {
    let p = path.trim_end_matches("()");
    let cut = p.rfind(['.', ':']).map_or(0, |i| i + 1);
    p[cut..].to_string()
}

/// Arguments of a call: the list node's children (plus a Kotlin trailing lambda).
fn arg_list(file: &SourceFile, call: Node<'_>, list: Node<'_>) -> Vec<Arg> {
    let mut out = Vec::new();
    let push_from = |list: Node<'_>, out: &mut Vec<Arg>| {
        if list.kind() == "annotated_lambda" || list.kind() == "template_string" {
            out.push(arg(file, list, None));
            return;
        }
        for c in named_children(list).filter(|c| !c.is_extra()) {
            out.push(match c.kind() {
                "keyword_argument" | "element_value_pair" => {
                    let k = c.child_by_field_name("name").or_else(|| c.child_by_field_name("key"));
                    let v = c.child_by_field_name("value");
                    match v {
                        Some(v) => arg(file, v, k.map(|k| file.node_text(k).to_string())),
                        None => arg(file, c, None),
                    }
                }
                // Kotlin `value_argument`: optional `name =` then the expression
                "value_argument" => {
                    let named: Vec<Node<'_>> = named_children(c).collect();
                    let has_eq = children(c).any(|t| t.kind() == "=");
                    match (has_eq, named.as_slice()) {
                        (true, [k, v, ..]) => arg(file, *v, Some(file.node_text(*k).to_string())),
                        (_, [.., v]) => arg(file, *v, None),
                        _ => arg(file, c, None),
                    }
                }
                _ => arg(file, c, None),
            });
        }
    };
    push_from(list, &mut out);
    // Kotlin: `f(a) { … }` has both value_arguments and a trailing annotated_lambda
    if list.kind() == "value_arguments" {
        for c in children(call).filter(|c| c.kind() == "annotated_lambda") {
            out.push(arg(file, c, None));
        }
    }
    out
}

fn cap(s: &str) -> String {
    if s.len() <= TEXT_CAP {
        return s.to_string();
    }
    let mut end = TEXT_CAP;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}…", &s[..end])
}

const MEMBER_KINDS: &[&str] = &[
    "member_expression",
    "attribute",
    "field_expression",
    "selector_expression",
    "field_access",
    "navigation_expression",
    "scoped_identifier",
];
const IDENT_KINDS: &[&str] = &["identifier", "simple_identifier", "shorthand_property_identifier"];
const STRING_KINDS: &[&str] = &[
    "string",
    "template_string",
    "string_literal",
    "raw_string_literal",
    "interpreted_string_literal",
    "concatenated_string",
    "multiline_string_literal",
];
const FUNCTION_KINDS: &[&str] = &[
    "arrow_function",
    "function_expression",
    "function",
    "lambda",
    "closure_expression",
    "func_literal",
    "lambda_expression",
    "lambda_literal",
    "anonymous_function",
    "annotated_lambda",
];
const CALL_KINDS: &[&str] = &[
    "call_expression",
    "call",
    "method_invocation",
    "new_expression",
    "object_creation_expression",
    "macro_invocation",
];

fn arg(file: &SourceFile, node: Node<'_>, keyword: Option<String>) -> Arg {
    let kind = arg_kind(file, node);
    Arg { kind, keyword, text: cap(file.node_text(node)), span: Span::of(node), names: names_in(file, node) }
}

fn arg_kind(file: &SourceFile, node: Node<'_>) -> ArgKind {
    let k = node.kind();
    if IDENT_KINDS.contains(&k) {
        return ArgKind::Identifier(file.node_text(node).to_string());
    }
    if MEMBER_KINDS.contains(&k) {
        return ArgKind::Member(compact(file.node_text(node)));
    }
    if STRING_KINDS.contains(&k) {
        let interpolations = interpolations(file, node);
        if !interpolations.is_empty() {
            return ArgKind::Template { interpolations };
        }
        if k == "concatenated_string" {
            let joined: String = named_children(node).filter_map(|c| string_content(file, c)).collect();
            return ArgKind::StringLiteral(joined);
        }
        if matches!(k, "string_literal" | "raw_string_literal") && file_is_rust(file, node) {
            return rust_string(file, node);
        }
        return match string_content(file, node) {
            Some(s) => ArgKind::StringLiteral(s),
            None => ArgKind::Other,
        };
    }
    if FUNCTION_KINDS.contains(&k) {
        return ArgKind::Function;
    }
    if CALL_KINDS.contains(&k) {
        let callee = match k {
            "new_expression" => node.child_by_field_name("constructor"),
            "object_creation_expression" => node.child_by_field_name("type"),
            "macro_invocation" => node.child_by_field_name("macro"),
            "method_invocation" => node.child_by_field_name("name"),
            _ => node.child_by_field_name("function").or_else(|| node.named_child(0)),
        };
        return ArgKind::Call(callee.map(|c| path(file, c)).unwrap_or_default());
    }
    // Kotlin wraps most expressions one level deeper
    if matches!(k, "parenthesized_expression" | "expression" | "primary_expression")
        && node.named_child_count() == 1
        && let Some(inner) = node.named_child(0)
    {
        return arg_kind(file, inner);
    }
    ArgKind::Other
}

fn file_is_rust(file: &SourceFile, node: Node<'_>) -> bool {
    language_at(file, node) == Some(Language::Rust)
}

fn language_at(file: &SourceFile, node: Node<'_>) -> Option<Language> {
    file.regions().iter().find(|r| r.bytes.contains(&node.start_byte())).map(|r| r.language)
}

/// Interpolated expressions of a string node (direct or, for concatenations, in its parts).
fn interpolations(file: &SourceFile, node: Node<'_>) -> Vec<String> {
    let mut out = Vec::new();
    let parts: Vec<Node<'_>> =
        if node.kind() == "concatenated_string" { named_children(node).collect() } else { vec![node] };
    let kotlin = language_at(file, node) == Some(Language::Kotlin);
    for p in parts {
        for c in named_children(p) {
            match c.kind() {
                // Kotlin `"$name"`: the grammar leaves the short form as string content, `$`
                // alone and the name at the start of the next content
                "string_content" if kotlin && file.node_text(c) == "$" => {
                    let next = c.next_named_sibling().filter(|n| n.kind() == "string_content");
                    let rest = next.map_or("", |n| file.node_text(n));
                    let name: String = rest.chars().take_while(|ch| ch.is_alphanumeric() || *ch == '_').collect();
                    if name.starts_with(|ch: char| ch.is_alphabetic() || ch == '_') {
                        out.push(name);
                    }
                }
                "template_substitution" | "interpolation" | "string_interpolation" => {
                    let inner = c.child_by_field_name("expression").or_else(|| c.named_child(0)).unwrap_or(c);
                    out.push(compact(file.node_text(inner)));
                }
                _ => {}
            }
        }
    }
    out
}

/// A Rust string literal in a macro: `{name}` / `{name:?}` placeholders are interpolations.
fn rust_string(file: &SourceFile, node: Node<'_>) -> ArgKind {
    let text = file.node_text(node);
    let body = text.trim_start_matches(['r', 'b', 'c']).trim_start_matches('#');
    let body = body.strip_prefix('"').unwrap_or(body);
    let body = body.trim_end_matches('#');
    let body = body.strip_suffix('"').unwrap_or(body);
    let b = body.as_bytes();
    let mut interpolations = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'{' {
            if b.get(i + 1) == Some(&b'{') {
                i += 2;
                continue;
            }
            let close = b[i..].iter().position(|&c| c == b'}').map(|p| i + p);
            if let Some(close) = close {
                let inner = &body[i + 1..close];
                let name = inner.split(':').next().unwrap_or("").trim();
                let is_ident = !name.is_empty()
                    && !name.as_bytes()[0].is_ascii_digit()
                    && name.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'_');
                if is_ident {
                    interpolations.push(name.to_string());
                }
                i = close + 1;
                continue;
            }
        }
        i += 1;
    }
    if interpolations.is_empty() {
        ArgKind::StringLiteral(body.to_string())
    } else {
        ArgKind::Template { interpolations }
    }
}

/// Identifiers and member paths read by an expression (outside string literals, inside
/// interpolations), deduplicated, at most [`NAMES_CAP`].
fn names_in(file: &SourceFile, root: Node<'_>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut skip_until = 0usize;
    for n in preorder(root) {
        if out.len() >= NAMES_CAP {
            break;
        }
        if n.start_byte() < skip_until {
            continue;
        }
        let k = n.kind();
        let in_string_text = matches!(k, "string_fragment" | "string_content" | "escape_sequence");
        if in_string_text {
            continue;
        }
        let is_name = MEMBER_KINDS.contains(&k)
            || (IDENT_KINDS.contains(&k) && n.parent().is_none_or(|p| p.kind() != "keyword_argument"));
        // a callee's own name is not a value read (`mask(token)` reads `token`)
        let is_callee = n.parent().is_some_and(|p| {
            CALL_KINDS.contains(&p.kind())
                && (p.child_by_field_name("function").is_some_and(|f| f.id() == n.id())
                    || p.child_by_field_name("macro").is_some_and(|f| f.id() == n.id()))
        });
        if is_name && !is_callee {
            let t = compact(file.node_text(n));
            if !out.contains(&t) {
                out.push(t);
            }
            skip_until = n.end_byte();
        }
    }
    out
}

fn compact(s: &str) -> String {
    cap(&s.split_whitespace().collect::<String>())
}

/// The callee path of an expression, built iteratively along the receiver chain.
fn path(file: &SourceFile, node: Node<'_>) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut cur = Some(node);
    while let Some(n) = cur {
        if parts.len() >= PATH_SEGMENTS_CAP {
            parts.push("…".into());
            break;
        }
        let field = |name: &str| n.child_by_field_name(name).map(|f| file.node_text(f).to_string());
        cur = match n.kind() {
            "member_expression" => {
                parts.push(format!(".{}", field("property").unwrap_or_default()));
                n.child_by_field_name("object")
            }
            "attribute" if n.child_by_field_name("object").is_some() => {
                parts.push(format!(".{}", field("attribute").unwrap_or_default()));
                n.child_by_field_name("object")
            }
            "field_expression" => {
                parts.push(format!(".{}", field("field").unwrap_or_default()));
                n.child_by_field_name("value")
            }
            "selector_expression" => {
                parts.push(format!(".{}", field("field").unwrap_or_default()));
                n.child_by_field_name("operand")
            }
            "field_access" => {
                parts.push(format!(".{}", field("field").unwrap_or_default()));
                n.child_by_field_name("object")
            }
            "method_invocation" => {
                parts.push(format!(".{}()", field("name").unwrap_or_default()));
                match n.child_by_field_name("object") {
                    Some(o) => Some(o),
                    None => {
                        // no receiver: drop the leading dot
                        if let Some(last) = parts.last_mut() {
                            *last = last.trim_start_matches('.').to_string();
                        }
                        None
                    }
                }
            }
            "navigation_expression" => {
                let suffix = named_children(n).skip(1).last().map(|s| file.node_text(s).to_string());
                parts.push(format!(".{}", suffix.unwrap_or_default().trim_start_matches(['.', '?'])));
                n.named_child(0)
            }
            "call_expression" | "call" => {
                parts.push("()".into());
                n.child_by_field_name("function").or_else(|| n.named_child(0))
            }
            "generic_function" => n.child_by_field_name("function"),
            "await_expression" | "non_null_expression" | "parenthesized_expression" | "expression"
                if n.named_child_count() == 1 =>
            {
                n.named_child(0)
            }
            _ => {
                parts.push(compact(file.node_text(n)));
                None
            }
        };
    }
    parts.reverse();
    parts.concat()
}

/// Arguments of a Rust macro call (or attribute), read from its token tree: comma-separated
/// groups of tokens, `name = value` as keyword arguments, tracing's `%x`/`?x` as the value `x`.
/// In a macro call a string's `{name}` placeholders are format arguments (`format_args`
/// captures); in an attribute (`#[get("/users/{id}")]`) they are just text.
fn token_tree_args(file: &SourceFile, tt: Node<'_>, format_strings: bool) -> Vec<Arg> {
    let tokens: Vec<Node<'_>> = children(tt).filter(|c| !c.is_extra()).collect();
    // drop the delimiters
    let inner = match tokens.as_slice() {
        [open, rest @ .., close]
            if matches!(open.kind(), "(" | "[" | "{") && matches!(close.kind(), ")" | "]" | "}") =>
        {
            rest
        }
        all => all,
    };
    let mut out = Vec::new();
    for group in inner.split(|t| t.kind() == ",") {
        if group.is_empty() {
            continue;
        }
        out.push(token_group_arg(file, group, format_strings));
    }
    out
}

fn token_group_arg(file: &SourceFile, group: &[Node<'_>], format_strings: bool) -> Arg {
    let (first, last) = (group[0], group[group.len() - 1]);
    let text = file.text().get(first.start_byte()..last.end_byte()).unwrap_or("");
    let span = Span {
        start_line: first.start_position().row as u32 + 1,
        end_line: last.end_position().row as u32 + 1,
        start_byte: first.start_byte(),
        end_byte: last.end_byte(),
    };
    // `name = value` (a single `=`, not `==`)
    let (keyword, value): (Option<String>, &[Node<'_>]) = match group {
        [k, eq, rest @ ..] if k.kind() == "identifier" && eq.kind() == "=" && !rest.is_empty() => {
            (Some(file.node_text(*k).to_string()), rest)
        }
        _ => (None, group),
    };
    let value = match value {
        [sigil, rest @ ..] if matches!(sigil.kind(), "%" | "?") && !rest.is_empty() => rest,
        v => v,
    };
    let is_path_sep = |t: &Node<'_>| matches!(t.kind(), "." | "::");
    let is_path = value.len() % 2 == 1
        && value.iter().enumerate().all(|(i, t)| {
            if i % 2 == 0 { matches!(t.kind(), "identifier" | "self" | "crate" | "super") } else { is_path_sep(t) }
        });
    let kind = match value {
        [one] if one.kind() == "identifier" => ArgKind::Identifier(file.node_text(*one).to_string()),
        [one] if matches!(one.kind(), "string_literal" | "raw_string_literal") => {
            if format_strings {
                rust_string(file, *one)
            } else {
                ArgKind::StringLiteral(string_content(file, *one).unwrap_or_default())
            }
        }
        _ if is_path => ArgKind::Member(value.iter().map(|t| file.node_text(*t)).collect::<Vec<_>>().concat()),
        [.., callee, args] if args.kind() == "token_tree" && callee.kind() == "identifier" => {
            ArgKind::Call(file.node_text(*callee).to_string())
        }
        [first, ..] if first.kind() == "|" => ArgKind::Function,
        _ => ArgKind::Other,
    };
    // names: maximal runs of identifiers joined by `.`/`::`, outside literals
    let mut names: Vec<String> = Vec::new();
    let mut run = String::new();
    let mut leaf_tokens: Vec<Node<'_>> = Vec::new();
    for t in value {
        if t.kind() == "token_tree" {
            leaf_tokens.extend(children(*t).filter(|c| c.child_count() == 0));
        } else {
            leaf_tokens.push(*t);
        }
    }
    let flush = |run: &mut String, names: &mut Vec<String>| {
        let r = run.trim_end_matches(['.', ':']).to_string();
        if !r.is_empty() && !names.contains(&r) && names.len() < NAMES_CAP {
            names.push(r);
        }
        run.clear();
    };
    for (i, t) in leaf_tokens.iter().enumerate() {
        let next_is_call = leaf_tokens.get(i + 1).is_some_and(|n| n.kind() == "(" || n.kind() == "!");
        match t.kind() {
            // a called name is not a value read; its receiver (`token` of `token.len()`) is
            "identifier" if next_is_call => flush(&mut run, &mut names),
            "identifier" | "self" => run.push_str(file.node_text(*t)),
            "." | "::" if !run.is_empty() => run.push_str(t.kind()),
            _ => flush(&mut run, &mut names),
        }
    }
    flush(&mut run, &mut names);
    if let ArgKind::Template { interpolations } = &kind {
        for i in interpolations {
            if !names.contains(i) {
                names.push(i.clone());
            }
        }
    }
    Arg { kind, keyword, text: cap(text), span, names }
}

/// Every decorator, annotation and attribute in the code regions of `file`, in document order.
pub fn decorators(file: &SourceFile) -> Vec<Decorator> {
    let mut out = Vec::new();
    for region in file.regions() {
        let lang = region.language;
        for node in preorder(region.root()) {
            let d = match (lang, node.kind()) {
                (Language::Python | Language::JavaScript | Language::TypeScript | Language::Tsx, "decorator") => {
                    let Some(expr) = named_children(node).find(|c| !c.is_extra()) else { continue };
                    let (name, args) = if matches!(expr.kind(), "call" | "call_expression") {
                        let f = expr.child_by_field_name("function").or_else(|| expr.named_child(0));
                        let a = expr.child_by_field_name("arguments");
                        (
                            f.map(|f| path(file, f)).unwrap_or_default(),
                            a.map(|a| arg_list(file, expr, a)).unwrap_or_default(),
                        )
                    } else {
                        (path(file, expr), Vec::new())
                    };
                    Some((name, args))
                }
                (Language::Java, "annotation" | "marker_annotation") => {
                    let name = node.child_by_field_name("name").map(|n| compact(file.node_text(n))).unwrap_or_default();
                    let args =
                        node.child_by_field_name("arguments").map(|a| arg_list(file, node, a)).unwrap_or_default();
                    Some((name, args))
                }
                (Language::Kotlin, "annotation") => {
                    let mut name = String::new();
                    let mut args = Vec::new();
                    for c in named_children(node) {
                        match c.kind() {
                            "constructor_invocation" => {
                                if let Some(t) = named_children(c).find(|t| t.kind() != "value_arguments") {
                                    name = compact(file.node_text(t));
                                }
                                if let Some(a) = named_children(c).find(|t| t.kind() == "value_arguments") {
                                    args = arg_list(file, c, a);
                                }
                            }
                            "use_site_target" => {}
                            _ => name = compact(file.node_text(c)),
                        }
                    }
                    // before a top-level declaration the grammar reads `@A("x")` as the
                    // annotation `@A` on the expression `("x")`: those are its arguments
                    if args.is_empty()
                        && let Some(p) = node.parent().filter(|p| p.kind() == "annotated_expression")
                        && let Some(e) = named_children(p).find(|c| c.kind() == "parenthesized_expression")
                    {
                        args = named_children(e).map(|a| arg(file, a, None)).collect();
                    }
                    Some((name, args))
                }
                (Language::Rust, "attribute_item" | "inner_attribute_item") => {
                    let Some(attr) = named_children(node).find(|c| c.kind() == "attribute") else { continue };
                    let name = named_children(attr)
                        .find(|c| matches!(c.kind(), "identifier" | "scoped_identifier" | "crate" | "self" | "super"))
                        .map(|n| compact(file.node_text(n)))
                        .unwrap_or_default();
                    let mut args = attr
                        .child_by_field_name("arguments")
                        .map(|a| token_tree_args(file, a, false))
                        .unwrap_or_default();
                    if let Some(v) = attr.child_by_field_name("value") {
                        args.push(arg(file, v, None));
                    }
                    Some((name, args))
                }
                _ => None,
            };
            let Some((name, args)) = d else { continue };
            let (target, target_span) = match decorated(lang, node) {
                Some(t) => (target_name(file, t), Some(Span::of(t))),
                None => (None, None),
            };
            out.push(Decorator { name, args, span: Span::of(node), target, target_span, language: lang });
        }
    }
    out
}

/// The declaration a decorator/annotation/attribute applies to.
fn decorated<'t>(lang: Language, node: Node<'t>) -> Option<Node<'t>> {
    let parent = node.parent()?;
    match lang {
        Language::Python => {
            (parent.kind() == "decorated_definition").then(|| parent.child_by_field_name("definition")).flatten()
        }
        Language::Kotlin if parent.kind() == "annotated_expression" => {
            // see `decorators`: the declaration follows the annotated expression
            let mut next = parent.next_named_sibling();
            while let Some(n) = next.filter(|n| n.is_extra()) {
                next = n.next_named_sibling();
            }
            next
        }
        Language::Java | Language::Kotlin => {
            let holder = if parent.kind() == "modifiers" { parent.parent()? } else { parent };
            Some(holder)
        }
        Language::Rust if node.kind() == "inner_attribute_item" => None,
        _ => {
            // TS class members and Rust items: the next sibling that is not another decorator,
            // attribute or comment; TS class decorators are children of the class
            let mut next = node.next_sibling();
            while let Some(n) = next {
                if !(n.is_extra() || matches!(n.kind(), "decorator" | "attribute_item")) {
                    return Some(n);
                }
                next = n.next_sibling();
            }
            matches!(parent.kind(), "class_declaration" | "class" | "abstract_class_declaration").then_some(parent)
        }
    }
}

fn target_name(file: &SourceFile, node: Node<'_>) -> Option<String> {
    let n = node
        .child_by_field_name("name")
        .or_else(|| node.child_by_field_name("declarator").and_then(|d| d.child_by_field_name("name")))
        .or_else(|| {
            // Kotlin declarations name themselves with a plain identifier child
            children(node).find(|c| matches!(c.kind(), "identifier" | "simple_identifier" | "type_identifier"))
        })?;
    Some(file.node_text(n).to_string())
}
