//! The schema a GraphQL SDL text describes, with extensions merged into their types and the
//! schema definition's root operation types resolved (spec §3.3, §3.4.3): what two revisions
//! are compared on. Built from `cynic-parser`'s AST; lines are 1-based.

use cynic_parser::common::{OperationType, WrappingType};
use cynic_parser::type_system::{self as ts, Definition, TypeDefinition};
use cynic_parser::{ConstValue, TypeSystemDocument};
use std::collections::{BTreeMap, BTreeSet};

/// The reason `@deprecated` stands for when it has none (spec §3.13.3).
pub const DEFAULT_DEPRECATION: &str = "No longer supported";

/// Directives every schema has (spec §3.13); their definitions are never compared.
pub const BUILT_IN_DIRECTIVES: &[&str] = &["skip", "include", "deprecated", "specifiedBy", "oneOf"];
pub const BUILT_IN_SCALARS: &[&str] = &["String", "Int", "Float", "Boolean", "ID"];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Scalar,
    Object,
    Interface,
    Union,
    Enum,
    Input,
}

impl Kind {
    pub fn name(self) -> &'static str {
        match self {
            Kind::Scalar => "scalar",
            Kind::Object => "object type",
            Kind::Interface => "interface",
            Kind::Union => "union",
            Kind::Enum => "enum",
            Kind::Input => "input object",
        }
    }
}

/// A type reference: the named type and its wrappers from the outside in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GType {
    pub name: String,
    pub wrappers: Vec<WrappingType>,
}

impl std::fmt::Display for GType {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut s = self.name.clone();
        for w in self.wrappers.iter().rev() {
            s = match w {
                WrappingType::List => format!("[{s}]"),
                WrappingType::NonNull => format!("{s}!"),
            };
        }
        f.write_str(&s)
    }
}

impl GType {
    pub fn non_null(&self) -> bool {
        self.wrappers.first() == Some(&WrappingType::NonNull)
    }
}

/// A constant value (defaults, applied directive arguments). Numbers compare by value, so the
/// Float default `1` equals `1.0`, and object fields compare by name, not order.
#[derive(Debug, Clone)]
pub enum Value {
    Null,
    Int(i64),
    Float(f64),
    String(String),
    Bool(bool),
    Enum(String),
    List(Vec<Value>),
    Object(BTreeMap<String, Value>),
}

impl PartialEq for Value {
    fn eq(&self, other: &Self) -> bool {
        use Value::*;
        match (self, other) {
            (Null, Null) => true,
            (Int(a), Int(b)) => a == b,
            (Int(a), Float(b)) | (Float(b), Int(a)) => (*a as f64) == *b,
            (Float(a), Float(b)) => a == b,
            (String(a), String(b)) | (Enum(a), Enum(b)) => a == b,
            (Bool(a), Bool(b)) => a == b,
            (List(a), List(b)) => a == b,
            (Object(a), Object(b)) => a == b,
            _ => false,
        }
    }
}

impl std::fmt::Display for Value {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Value::Null => f.write_str("null"),
            Value::Int(i) => write!(f, "{i}"),
            Value::Float(x) => write!(f, "{x:?}"),
            Value::String(s) => write!(f, "{s:?}"),
            Value::Bool(b) => write!(f, "{b}"),
            Value::Enum(e) => f.write_str(e),
            Value::List(items) => {
                f.write_str("[")?;
                for (i, v) in items.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{v}")?;
                }
                f.write_str("]")
            }
            Value::Object(fields) => {
                f.write_str("{")?;
                for (i, (k, v)) in fields.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{k}: {v}")?;
                }
                f.write_str("}")
            }
        }
    }
}

/// Values nested deeper than this are cut (a hostile file must not exhaust the stack).
const MAX_VALUE_DEPTH: usize = 64;

fn value(v: ConstValue<'_>, depth: usize) -> Value {
    if depth > MAX_VALUE_DEPTH {
        return Value::Null;
    }
    match v {
        ConstValue::Int(i) => Value::Int(i.value()),
        ConstValue::Float(x) => Value::Float(x.value()),
        ConstValue::String(s) => Value::String(decode(s.value())),
        ConstValue::Boolean(b) => Value::Bool(b.value()),
        ConstValue::Null(_) => Value::Null,
        ConstValue::Enum(e) => Value::Enum(e.name().to_string()),
        ConstValue::List(l) => Value::List(l.items().map(|i| value(i, depth + 1)).collect()),
        ConstValue::Object(o) => {
            Value::Object(o.fields().map(|f| (f.name().to_string(), value(f.value(), depth + 1))).collect())
        }
    }
}

/// A directive applied to a schema element.
#[derive(Debug, Clone, PartialEq)]
pub struct Applied {
    pub name: String,
    pub args: BTreeMap<String, Value>,
    pub line: u32,
}

/// A field argument, input field or directive argument (an "input value", spec §3.6).
#[derive(Debug, Clone)]
pub struct InputValue {
    pub line: u32,
    pub ty: GType,
    pub default: Option<Value>,
    pub description: Option<String>,
    pub deprecated: Option<String>,
    pub directives: Vec<Applied>,
}

impl InputValue {
    /// Must be given: non-null without a default (spec §5.4.2.1).
    pub fn required(&self) -> bool {
        self.ty.non_null() && self.default.is_none()
    }
}

#[derive(Debug, Clone)]
pub struct Field {
    pub line: u32,
    pub ty: GType,
    pub description: Option<String>,
    pub deprecated: Option<String>,
    pub directives: Vec<Applied>,
    pub args: BTreeMap<String, InputValue>,
}

#[derive(Debug, Clone)]
pub struct EnumValue {
    pub line: u32,
    pub description: Option<String>,
    pub deprecated: Option<String>,
    pub directives: Vec<Applied>,
}

#[derive(Debug, Clone)]
pub struct Type {
    pub kind: Kind,
    pub line: u32,
    pub description: Option<String>,
    pub directives: Vec<Applied>,
    /// Object and interface fields.
    pub fields: BTreeMap<String, Field>,
    /// Input object fields.
    pub inputs: BTreeMap<String, InputValue>,
    pub values: BTreeMap<String, EnumValue>,
    pub members: BTreeMap<String, u32>,
    pub interfaces: BTreeMap<String, u32>,
}

#[derive(Debug, Clone)]
pub struct DirectiveDef {
    pub line: u32,
    pub description: Option<String>,
    pub args: BTreeMap<String, InputValue>,
    pub repeatable: bool,
    pub locations: BTreeSet<&'static str>,
}

/// Root operation types in the order query, mutation, subscription.
pub const OPERATIONS: [&str; 3] = ["query", "mutation", "subscription"];

#[derive(Debug, Clone, Default)]
pub struct Schema {
    pub types: BTreeMap<String, Type>,
    pub directives: BTreeMap<String, DirectiveDef>,
    /// Root operation type names and the line naming them (or the type's line for default names).
    pub roots: [Option<(String, u32)>; 3],
    pub schema_directives: Vec<Applied>,
    pub schema_line: u32,
}

/// Byte offset → 1-based line.
pub struct Lines(Vec<usize>);

impl Lines {
    pub fn new(text: &str) -> Lines {
        Lines(std::iter::once(0).chain(text.match_indices('\n').map(|(i, _)| i + 1)).collect())
    }

    pub fn line(&self, offset: usize) -> u32 {
        (self.0.partition_point(|&s| s <= offset)).max(1) as u32
    }
}

/// A parse error with its 1-based line.
#[derive(Debug, Clone)]
pub struct ParseError {
    pub line: u32,
    pub message: String,
}

impl std::fmt::Display for ParseError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "line {}: {}", self.line, self.message)
    }
}

pub fn parse(text: &str) -> Result<Schema, ParseError> {
    let lines = Lines::new(text);
    if let Some((at, problem)) = too_deep(text) {
        return Err(ParseError { line: lines.line(at), message: problem.into() });
    }
    let text = prepare(text);
    let parsed = std::panic::catch_unwind(|| cynic_parser::parse_type_system_document(&text))
        .map_err(|_| ParseError { line: 1, message: "the GraphQL parser failed on this file".into() })?;
    let doc = parsed
        .map_err(|e| ParseError { line: e.span().map(|s| lines.line(s.start)).unwrap_or(1), message: e.to_string() })?;
    Ok(build(&doc, &lines))
}

/// First private-use code point standing for the high and low halves of a character outside
/// the Basic Multilingual Plane (see [`prepare`]).
const PUA_HIGH: u32 = 0xE000;
const PUA_LOW: u32 = 0xE400;

fn push_encoded(out: &mut String, c: char) {
    let v = c as u32;
    if v > 0xFFFF {
        let v = v - 0x10000;
        out.extend(char::from_u32(PUA_HIGH + (v >> 10)));
        out.extend(char::from_u32(PUA_LOW + (v & 0x3FF)));
    } else {
        out.push(c);
    }
}

/// `cynic-parser` reads source text up to U+FFFF only (the October 2021 specification's
/// `SourceCharacter`) and neither `\u{1F600}` nor surrogate pairs `\uD83D\uDE00` (both valid in
/// the September 2025 specification). This rewrites such characters and escapes into two
/// private-use characters each, which [`decode`] turns back into the character; quotes,
/// backslashes and control characters written as braced escapes become `\uXXXX`. Block strings
/// keep their escapes (they have none); no line moves, so error lines stay right.
pub fn prepare(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.bytes().any(|b| b >= 0xF0) && !text.contains("\\u{") && !text.contains("\\uD") && !text.contains("\\ud") {
        return text.into();
    }
    let mut out = String::with_capacity(text.len() + 16);
    let mut chars = text.char_indices().peekable();
    let hex4 = |at: usize| text.get(at..at + 4).and_then(|h| u32::from_str_radix(h, 16).ok());
    let mut in_string = false;
    let mut in_block = false;
    let mut in_comment = false;
    while let Some((i, c)) = chars.next() {
        let rest = &text[i..];
        if in_comment {
            in_comment = c != '\n' && c != '\r';
        } else if in_block {
            if rest.starts_with("\\\"\"\"") {
                out.push_str("\\\"\"");
                chars.nth(1);
                chars.next();
                out.push('"');
                continue;
            }
            if rest.starts_with("\"\"\"") {
                in_block = false;
                out.push_str("\"\"");
                chars.nth(1);
            }
        } else if in_string {
            if c == '"' || c == '\n' || c == '\r' {
                in_string = false;
            } else if c == '\\' {
                let mut decoded = None;
                if let Some(braced) = rest.strip_prefix("\\u{") {
                    if let Some(end) = braced.find('}') {
                        decoded =
                            u32::from_str_radix(&braced[..end], 16).ok().and_then(char::from_u32).map(|c| (c, 4 + end));
                    }
                } else if let (Some(hi @ 0xD800..=0xDBFF), Some("\\u")) = (hex4(i + 2), rest.get(6..8)) {
                    if let Some(lo @ 0xDC00..=0xDFFF) = hex4(i + 8) {
                        decoded = char::from_u32(0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00)).map(|c| (c, 12));
                    }
                }
                match decoded {
                    Some((d, len)) => {
                        if d == '"' || d == '\\' || (d as u32) < 0x20 {
                            out.push_str(&format!("\\u{:04X}", d as u32));
                        } else {
                            push_encoded(&mut out, d);
                        }
                        // Skip the rest of the escape (its characters are ASCII).
                        for _ in 1..len {
                            chars.next();
                        }
                    }
                    None => {
                        out.push('\\');
                        if let Some((_, n)) = chars.next() {
                            out.push(n);
                        }
                    }
                }
                continue;
            }
        } else if rest.starts_with("\"\"\"") {
            in_block = true;
            out.push_str("\"\"");
            chars.nth(1);
        } else if c == '"' {
            in_string = true;
        } else if c == '#' {
            in_comment = true;
        }
        push_encoded(&mut out, c);
    }
    out.into()
}

/// Undoes [`prepare`]'s private-use encoding in a string read from the document.
pub fn decode(s: &str) -> String {
    if !s.chars().any(|c| (PUA_HIGH..PUA_LOW + 0x400).contains(&(c as u32))) {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut it = s.chars().peekable();
    while let Some(c) = it.next() {
        let v = c as u32;
        if (PUA_HIGH..PUA_LOW).contains(&v) {
            if let Some(&n) = it.peek() {
                let w = n as u32;
                if (PUA_LOW..PUA_LOW + 0x400).contains(&w) {
                    it.next();
                    out.extend(char::from_u32(0x10000 + ((v - PUA_HIGH) << 10) + (w - PUA_LOW)));
                    continue;
                }
            }
        }
        out.push(c);
    }
    out
}

/// Checked before parsing, outside strings and comments: lists nested deeper than
/// `cynic-parser` can represent in a type (15; it would panic), and brackets that do not pair
/// up (it reads an unclosed `[Int` as `Int`). The byte offset and the problem.
pub fn too_deep(text: &str) -> Option<(usize, &'static str)> {
    let mut open: Vec<u8> = Vec::new();
    let (mut lists, mut in_string, mut in_comment, mut in_block) = (0usize, false, false, false);
    let b = text.as_bytes();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if in_block {
            if b[i..].starts_with(b"\\\"\"\"") {
                i += 4;
                continue;
            }
            if b[i..].starts_with(b"\"\"\"") {
                in_block = false;
                i += 3;
                continue;
            }
        } else if in_comment {
            in_comment = c != b'\n' && c != b'\r';
        } else if in_string {
            match c {
                b'\\' => i += 1,
                b'"' | b'\n' | b'\r' => in_string = false,
                _ => {}
            }
        } else {
            match c {
                b'"' if b[i..].starts_with(b"\"\"\"") => {
                    in_block = true;
                    i += 3;
                    continue;
                }
                b'"' => in_string = true,
                b'#' => in_comment = true,
                b'[' | b'(' | b'{' => {
                    open.push(c);
                    if c == b'[' {
                        lists += 1;
                        if lists > 15 {
                            return Some((i, "lists nested more than 15 deep"));
                        }
                    }
                }
                b']' | b')' | b'}' => {
                    let want = match c {
                        b']' => b'[',
                        b')' => b'(',
                        _ => b'{',
                    };
                    if open.pop() != Some(want) {
                        return Some((i, "a closing bracket does not match the one opened before it"));
                    }
                    if c == b']' {
                        lists -= 1;
                    }
                }
                _ => {}
            }
        }
        i += 1;
    }
    (!open.is_empty()).then_some((text.len(), "a bracket is not closed"))
}

fn deprecation(directives: &[Applied]) -> Option<String> {
    directives.iter().find(|d| d.name == "deprecated").map(|d| match d.args.get("reason") {
        Some(Value::String(r)) => r.clone(),
        _ => DEFAULT_DEPRECATION.to_string(),
    })
}

struct Builder<'l> {
    lines: &'l Lines,
}

impl Builder<'_> {
    fn line(&self, span: cynic_parser::Span) -> u32 {
        self.lines.line(span.start)
    }

    fn applied<'a>(&self, ds: impl Iterator<Item = ts::Directive<'a>>) -> Vec<Applied> {
        ds.map(|d| Applied {
            name: d.name().to_string(),
            args: d.arguments().map(|a| (a.name().to_string(), value(a.value(), 0))).collect(),
            line: self.line(d.name_span()),
        })
        .collect()
    }

    fn gtype(t: ts::Type<'_>) -> GType {
        GType { name: t.name().to_string(), wrappers: t.wrappers().collect() }
    }

    fn description(d: Option<ts::Description<'_>>) -> Option<String> {
        d.map(|d| decode(&d.literal().to_cow()))
    }

    fn input(&self, v: ts::InputValueDefinition<'_>) -> InputValue {
        let directives = self.applied(v.directives());
        InputValue {
            line: self.line(v.name_span()),
            ty: Self::gtype(v.ty()),
            default: v.default_value().map(|d| value(d, 0)),
            description: Self::description(v.description()),
            deprecated: deprecation(&directives),
            directives,
        }
    }

    fn inputs<'a>(&self, vs: impl Iterator<Item = ts::InputValueDefinition<'a>>) -> BTreeMap<String, InputValue> {
        let mut out = BTreeMap::new();
        for v in vs {
            // A name defined twice keeps its first definition (real schemas have such slips).
            out.entry(v.name().to_string()).or_insert_with(|| self.input(v));
        }
        out
    }

    fn fields<'a>(&self, into: &mut BTreeMap<String, Field>, fs: impl Iterator<Item = ts::FieldDefinition<'a>>) {
        for f in fs {
            into.entry(f.name().to_string()).or_insert_with(|| {
                let directives = self.applied(f.directives());
                Field {
                    line: self.line(f.name_span()),
                    ty: Self::gtype(f.ty()),
                    description: Self::description(f.description()),
                    deprecated: deprecation(&directives),
                    directives,
                    args: self.inputs(f.arguments()),
                }
            });
        }
    }
}

fn build(doc: &TypeSystemDocument, lines: &Lines) -> Schema {
    let b = Builder { lines };
    let mut s = Schema::default();
    let mut explicit_schema = false;
    for def in doc.definitions() {
        match def {
            Definition::Schema(sd) | Definition::SchemaExtension(sd) => {
                if matches!(def, Definition::Schema(_)) {
                    explicit_schema = true;
                    s.schema_line = b.line(sd.span());
                } else if s.schema_line == 0 {
                    s.schema_line = b.line(sd.span());
                }
                s.schema_directives.extend(b.applied(sd.directives()));
                for r in sd.root_operations() {
                    let i = match r.operation_type() {
                        OperationType::Query => 0,
                        OperationType::Mutation => 1,
                        OperationType::Subscription => 2,
                    };
                    s.roots[i].get_or_insert_with(|| (r.named_type().to_string(), b.line(r.named_type_span())));
                }
            }
            Definition::Directive(d) => {
                s.directives.entry(d.name().to_string()).or_insert_with(|| DirectiveDef {
                    line: b.line(d.name_span()),
                    description: Builder::description(d.description()),
                    args: b.inputs(d.arguments()),
                    repeatable: d.is_repeatable(),
                    locations: d.locations().map(|l| l.as_str()).collect(),
                });
            }
            Definition::Type(t) | Definition::TypeExtension(t) => {
                let extension = matches!(def, Definition::TypeExtension(_));
                let kind = match t {
                    TypeDefinition::Scalar(_) => Kind::Scalar,
                    TypeDefinition::Object(_) => Kind::Object,
                    TypeDefinition::Interface(_) => Kind::Interface,
                    TypeDefinition::Union(_) => Kind::Union,
                    TypeDefinition::Enum(_) => Kind::Enum,
                    TypeDefinition::InputObject(_) => Kind::Input,
                };
                let line = b.line(t.span());
                let ty = s.types.entry(t.name().to_string()).or_insert_with(|| Type {
                    kind,
                    line,
                    description: None,
                    directives: Vec::new(),
                    fields: BTreeMap::new(),
                    inputs: BTreeMap::new(),
                    values: BTreeMap::new(),
                    members: BTreeMap::new(),
                    interfaces: BTreeMap::new(),
                });
                if !extension {
                    // The definition names the kind and line even when an extension came first.
                    ty.kind = kind;
                    ty.line = line;
                    ty.description = Builder::description(t.description());
                }
                ty.directives.extend(b.applied(t.directives()));
                match t {
                    TypeDefinition::Object(o) => {
                        b.fields(&mut ty.fields, o.fields());
                        for i in o.implements_interfaces() {
                            ty.interfaces.entry(i.to_string()).or_insert(line);
                        }
                    }
                    TypeDefinition::Interface(o) => {
                        b.fields(&mut ty.fields, o.fields());
                        for i in o.implements_interfaces() {
                            ty.interfaces.entry(i.to_string()).or_insert(line);
                        }
                    }
                    TypeDefinition::Union(u) => {
                        for m in u.members() {
                            ty.members.entry(m.name().to_string()).or_insert(b.line(m.span()));
                        }
                    }
                    TypeDefinition::Enum(e) => {
                        for v in e.values() {
                            ty.values.entry(v.value().to_string()).or_insert_with(|| {
                                let directives = b.applied(v.directives());
                                EnumValue {
                                    line: b.line(v.value_span()),
                                    description: Builder::description(v.description()),
                                    deprecated: deprecation(&directives),
                                    directives,
                                }
                            });
                        }
                    }
                    TypeDefinition::InputObject(i) => {
                        for (k, v) in b.inputs(i.fields()) {
                            ty.inputs.entry(k).or_insert(v);
                        }
                    }
                    TypeDefinition::Scalar(_) => {}
                }
            }
        }
    }
    // Without a schema definition the roots are the types named Query, Mutation and
    // Subscription (spec §3.3.1 "Default Root Operation Type Names").
    if !explicit_schema {
        for (i, name) in ["Query", "Mutation", "Subscription"].into_iter().enumerate() {
            if s.roots[i].is_none() {
                if let Some(t) = s.types.get(name) {
                    s.roots[i] = Some((name.to_string(), t.line));
                }
            }
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn braced_and_surrogate_escapes_are_read() {
        let s = parse(
            "type Q { a: Int @deprecated(reason: \"\\u{1F600} \\uD83D\\uDE00 \\u{22}\\u0041 😀\") }\n\"\"\"\\u{1F600} 🚀\"\"\" scalar S # 🎉",
        )
        .unwrap();
        assert_eq!(s.types["Q"].fields["a"].deprecated.as_deref(), Some("😀 😀 \"A 😀"));
        assert_eq!(s.types["S"].description.as_deref(), Some("\\u{1F600} 🚀"), "block strings have no escapes");
    }

    #[test]
    fn lines_and_errors() {
        let e = parse("type Q {\n  a: Int\n  b: \n}").unwrap_err();
        assert_eq!(e.line, 4, "{e}");
        assert!(parse("").is_err(), "an empty document is not a schema");
        assert_eq!(parse("type Q {\n  b: [Int\n}\n").unwrap_err().line, 3, "an unclosed list is not `Int`");
        assert!(parse("type Q { a(x: [Int] = [1, \"]\"]): Int } # ]\n\"\"\" ] \\\"\"\" \"\"\" scalar S").is_ok());
        let l = Lines::new("a\nb\n\nc");
        assert_eq!((l.line(0), l.line(2), l.line(4), l.line(5)), (1, 2, 3, 4));
    }

    #[test]
    fn extensions_merge_and_default_roots() {
        let s = parse("extend type Query { b: Int }\ntype Query { a: Int }\nextend schema @x\ndirective @x on SCHEMA")
            .unwrap();
        assert_eq!(s.types["Query"].fields.len(), 2);
        assert_eq!(s.types["Query"].line, 2);
        assert_eq!(s.roots[0].as_ref().map(|r| r.0.as_str()), Some("Query"));
        assert_eq!(s.schema_directives.len(), 1);
    }

    #[test]
    fn hostile_nesting_does_not_overflow() {
        let t = format!("type Q {{ f(a: [Int] = {}1{}): Int }}", "[".repeat(100_000), "]".repeat(100_000));
        let _ = parse(&t);
        let t = format!("type Q {{ f: {}Int{} }}", "[".repeat(100_000), "]".repeat(100_000));
        assert!(parse(&t).is_err());
    }
}
