//! GraphQL SDL: types, fields, arguments, enum values, union members, input fields and
//! interfaces, classified the way graphql-inspector does (breaking / dangerous → warning / safe → info).

use super::{Change, Compared, Input, Level, Side, change, parse_error, text};
use graphql_parser::schema::{self as ast, Definition, TypeDefinition, TypeExtension};
use std::collections::BTreeMap;

/// (rule id, default level, summary).
pub const RULES: &[(&str, Level, &str)] = &[
    ("contract.graphql.type-removed", Level::Breaking, "A type was removed."),
    ("contract.graphql.type-added", Level::Info, "A type was added."),
    ("contract.graphql.type-kind-changed", Level::Breaking, "A type changed kind (e.g. object → interface)."),
    ("contract.graphql.field-removed", Level::Breaking, "A field was removed from an object or interface type."),
    ("contract.graphql.field-added", Level::Info, "A field was added to an object or interface type."),
    (
        "contract.graphql.field-type-changed",
        Level::Breaking,
        "A field's type changed incompatibly (e.g. non-null → nullable on output, or another named type).",
    ),
    (
        "contract.graphql.type-changed-safely",
        Level::Info,
        "A type reference changed compatibly (nullable → non-null on output, non-null → nullable on input).",
    ),
    ("contract.graphql.field-deprecated", Level::Info, "A field was marked `@deprecated`."),
    ("contract.graphql.argument-removed", Level::Breaking, "A field argument was removed."),
    ("contract.graphql.required-argument-added", Level::Breaking, "A non-null argument without default was added."),
    (
        "contract.graphql.optional-argument-added",
        Level::Warning,
        "An optional argument was added (dangerous per graphql-inspector).",
    ),
    (
        "contract.graphql.argument-type-changed",
        Level::Breaking,
        "An argument's type changed incompatibly (e.g. nullable → non-null).",
    ),
    ("contract.graphql.argument-default-changed", Level::Warning, "An argument's default value changed."),
    ("contract.graphql.enum-value-removed", Level::Breaking, "An enum value was removed."),
    (
        "contract.graphql.enum-value-added",
        Level::Warning,
        "An enum value was added (clients with exhaustive matches break).",
    ),
    ("contract.graphql.union-member-removed", Level::Breaking, "A member type was removed from a union."),
    ("contract.graphql.union-member-added", Level::Warning, "A member type was added to a union."),
    ("contract.graphql.input-field-removed", Level::Breaking, "A field was removed from an input type."),
    (
        "contract.graphql.required-input-field-added",
        Level::Breaking,
        "A non-null input field without default was added.",
    ),
    (
        "contract.graphql.optional-input-field-added",
        Level::Info,
        "An optional input field was added (safe per graphql-inspector).",
    ),
    ("contract.graphql.input-field-type-changed", Level::Breaking, "An input field's type changed incompatibly."),
    ("contract.graphql.interface-removed", Level::Breaking, "An object type no longer implements an interface."),
    ("contract.graphql.interface-added", Level::Warning, "An object type now implements another interface."),
    ("contract.graphql.directive-removed", Level::Breaking, "A directive definition was removed."),
];

#[derive(Debug, Clone, PartialEq)]
enum GType {
    Named(String),
    List(Box<GType>),
    NonNull(Box<GType>),
}

impl std::fmt::Display for GType {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            GType::Named(n) => write!(f, "{n}"),
            GType::List(t) => write!(f, "[{t}]"),
            GType::NonNull(t) => write!(f, "{t}!"),
        }
    }
}

fn gtype(t: &ast::Type<'_, String>) -> GType {
    match t {
        ast::Type::NamedType(n) => GType::Named(n.clone()),
        ast::Type::ListType(t) => GType::List(Box::new(gtype(t))),
        ast::Type::NonNullType(t) => GType::NonNull(Box::new(gtype(t))),
    }
}

#[derive(Debug, Clone)]
struct Fld {
    line: u32,
    ty: GType,
    default: Option<String>,
    deprecated: bool,
    args: BTreeMap<String, Fld>,
}

#[derive(Debug, Default)]
struct Ty {
    kind: &'static str,
    line: u32,
    fields: BTreeMap<String, Fld>,
    values: BTreeMap<String, u32>,
    members: BTreeMap<String, u32>,
    interfaces: BTreeMap<String, u32>,
}

#[derive(Debug, Default)]
struct Schema {
    types: BTreeMap<String, Ty>,
    directives: BTreeMap<String, u32>,
}

fn input(v: &ast::InputValue<'_, String>) -> Fld {
    Fld {
        line: v.position.line as u32,
        ty: gtype(&v.value_type),
        default: v.default_value.as_ref().map(|d| d.to_string()),
        deprecated: false,
        args: BTreeMap::new(),
    }
}

fn field(f: &ast::Field<'_, String>) -> Fld {
    Fld {
        line: f.position.line as u32,
        ty: gtype(&f.field_type),
        default: None,
        deprecated: f.directives.iter().any(|d| d.name == "deprecated"),
        args: f.arguments.iter().map(|a| (a.name.clone(), input(a))).collect(),
    }
}

fn build(doc: &ast::Document<'_, String>) -> Schema {
    let mut s = Schema::default();
    for def in &doc.definitions {
        let (name, kind, line) = match def {
            Definition::TypeDefinition(t) => match t {
                TypeDefinition::Scalar(x) => (&x.name, "scalar", x.position.line),
                TypeDefinition::Object(x) => (&x.name, "object", x.position.line),
                TypeDefinition::Interface(x) => (&x.name, "interface", x.position.line),
                TypeDefinition::Union(x) => (&x.name, "union", x.position.line),
                TypeDefinition::Enum(x) => (&x.name, "enum", x.position.line),
                TypeDefinition::InputObject(x) => (&x.name, "input", x.position.line),
            },
            Definition::TypeExtension(t) => match t {
                TypeExtension::Scalar(x) => (&x.name, "scalar", x.position.line),
                TypeExtension::Object(x) => (&x.name, "object", x.position.line),
                TypeExtension::Interface(x) => (&x.name, "interface", x.position.line),
                TypeExtension::Union(x) => (&x.name, "union", x.position.line),
                TypeExtension::Enum(x) => (&x.name, "enum", x.position.line),
                TypeExtension::InputObject(x) => (&x.name, "input", x.position.line),
            },
            Definition::DirectiveDefinition(d) => {
                s.directives.insert(d.name.clone(), d.position.line as u32);
                continue;
            }
            Definition::SchemaDefinition(_) => continue,
        };
        let ty = s.types.entry(name.clone()).or_insert_with(|| Ty { kind, line: line as u32, ..Default::default() });
        let fields = |fs: &[ast::Field<'_, String>]| fs.iter().map(|f| (f.name.clone(), field(f))).collect::<Vec<_>>();
        let ifaces = |is: &[String], line: usize| is.iter().map(|i| (i.clone(), line as u32)).collect::<Vec<_>>();
        match def {
            Definition::TypeDefinition(TypeDefinition::Object(x)) => {
                ty.fields.extend(fields(&x.fields));
                ty.interfaces.extend(ifaces(&x.implements_interfaces, x.position.line));
            }
            Definition::TypeExtension(TypeExtension::Object(x)) => {
                ty.fields.extend(fields(&x.fields));
                ty.interfaces.extend(ifaces(&x.implements_interfaces, x.position.line));
            }
            Definition::TypeDefinition(TypeDefinition::Interface(x)) => ty.fields.extend(fields(&x.fields)),
            Definition::TypeExtension(TypeExtension::Interface(x)) => ty.fields.extend(fields(&x.fields)),
            Definition::TypeDefinition(TypeDefinition::InputObject(x)) => {
                ty.fields.extend(x.fields.iter().map(|f| (f.name.clone(), input(f))))
            }
            Definition::TypeExtension(TypeExtension::InputObject(x)) => {
                ty.fields.extend(x.fields.iter().map(|f| (f.name.clone(), input(f))))
            }
            Definition::TypeDefinition(TypeDefinition::Enum(x)) => {
                ty.values.extend(x.values.iter().map(|v| (v.name.clone(), v.position.line as u32)))
            }
            Definition::TypeExtension(TypeExtension::Enum(x)) => {
                ty.values.extend(x.values.iter().map(|v| (v.name.clone(), v.position.line as u32)))
            }
            Definition::TypeDefinition(TypeDefinition::Union(x)) => {
                ty.members.extend(x.types.iter().map(|m| (m.clone(), x.position.line as u32)))
            }
            Definition::TypeExtension(TypeExtension::Union(x)) => {
                ty.members.extend(x.types.iter().map(|m| (m.clone(), x.position.line as u32)))
            }
            _ => {}
        }
    }
    s
}

/// Output position (object/interface field): the new type may only add non-null.
fn safe_output(old: &GType, new: &GType) -> bool {
    match (old, new) {
        (GType::Named(a), GType::Named(b)) => a == b,
        (GType::List(a), GType::List(b)) => safe_output(a, b),
        (GType::NonNull(a), GType::NonNull(b)) => safe_output(a, b),
        (GType::NonNull(_), _) => false,
        (a, GType::NonNull(b)) => safe_output(a, b),
        _ => false,
    }
}

/// Input position (argument/input field): the new type may only drop non-null.
fn safe_input(old: &GType, new: &GType) -> bool {
    match (old, new) {
        (GType::Named(a), GType::Named(b)) => a == b,
        (GType::List(a), GType::List(b)) => safe_input(a, b),
        (GType::NonNull(a), GType::NonNull(b)) => safe_input(a, b),
        (GType::NonNull(a), b) => safe_input(a, b),
        _ => false,
    }
}

fn required(f: &Fld) -> bool {
    matches!(f.ty, GType::NonNull(_)) && f.default.is_none()
}

struct Out<'s> {
    path: &'s str,
    changes: Vec<Change>,
}

impl Out<'_> {
    /// A change found in the head file at `line`.
    fn head(&mut self, rule: &str, group: &str, coord: &str, line: u32, msg: String) {
        let mut c = change(&format!("contract.graphql.{rule}"), group, coord, coord, self.path, Side::Head, msg);
        c.head_line = Some(line);
        self.changes.push(c);
    }

    /// A removal found in the base file at `line`, annotated at `head_line` (its parent) when that survives.
    fn base(&mut self, rule: &str, group: &str, coord: &str, line: u32, head_line: Option<u32>, msg: String) {
        let mut c = change(&format!("contract.graphql.{rule}"), group, coord, coord, self.path, Side::Base, msg);
        c.base_line = Some(line);
        c.head_line = head_line;
        self.changes.push(c);
    }
}

pub fn compare(inp: &Input<'_>) -> Compared {
    let mut out = Compared {
        kind: "graphql",
        path: inp.path.to_string(),
        changes: Vec::new(),
        problems: Vec::new(),
        versions: None,
    };
    let parse = |bytes: &Option<Vec<u8>>, path: &str| -> Result<Schema, super::Finding> {
        let Some(bytes) = bytes else { return Ok(Schema::default()) };
        let t = text(bytes, path)?;
        if let Some(line) = too_deep(t) {
            return Err(parse_error(path, line, "brackets nested more than 64 deep"));
        }
        let doc = graphql_parser::parse_schema::<String>(t).map_err(|e| {
            let msg = e.to_string();
            parse_error(path, error_line(&msg), &msg)
        })?;
        Ok(build(&doc))
    };
    let head = match parse(&inp.head, inp.path) {
        Ok(s) => s,
        Err(f) => {
            out.problems.push(f);
            return out;
        }
    };
    let base = match parse(&inp.base, inp.base_path) {
        Ok(s) => s,
        Err(mut f) => {
            f.severity = crate::finding::Severity::Warning;
            f.message = format!("the base version cannot be parsed; nothing to compare against: {}", f.message);
            f.location = Some(crate::finding::Location::file(inp.path));
            out.problems.push(f);
            return out;
        }
    };
    let mut o = Out { path: inp.path, changes: Vec::new() };
    diff(&base, &head, &mut o);
    out.changes = o.changes;
    out
}

/// Every change between two SDL texts (for the labelled corpus and benchmarks).
pub fn diff_sdl(base: &str, head: &str) -> Result<Vec<Change>, String> {
    let parse = |t: &str| graphql_parser::parse_schema::<String>(t).map(|d| build(&d)).map_err(|e| e.to_string());
    let (b, h) = (parse(base)?, parse(head)?);
    let mut o = Out { path: "schema.graphql", changes: Vec::new() };
    diff(&b, &h, &mut o);
    Ok(o.changes)
}

/// The line where bracket nesting first exceeds 64 (the parser recurses on nesting; a hostile
/// schema must not overflow the stack).
fn too_deep(t: &str) -> Option<u32> {
    let (mut depth, mut line) = (0i32, 1u32);
    let mut in_str = false;
    for c in t.chars() {
        match c {
            '\n' => line += 1,
            '"' => in_str = !in_str,
            '[' | '(' | '{' if !in_str => {
                depth += 1;
                if depth > 64 {
                    return Some(line);
                }
            }
            ']' | ')' | '}' if !in_str => depth -= 1,
            _ => {}
        }
    }
    None
}

/// `... at 3:14` or `Unexpected ... at line 3` → 3.
fn error_line(msg: &str) -> u32 {
    let re = regex::Regex::new(r"(\d+):(\d+)").expect("static regex");
    re.captures(msg).and_then(|c| c[1].parse().ok()).unwrap_or(1)
}

/// (base set, head set, removed rule, added rule, what).
type SetDiff<'x> = (&'x BTreeMap<String, u32>, &'x BTreeMap<String, u32>, &'static str, &'static str, &'static str);

fn diff(base: &Schema, head: &Schema, o: &mut Out<'_>) {
    for (name, line) in &base.directives {
        if !head.directives.contains_key(name) {
            o.base(
                "directive-removed",
                &format!("@{name}"),
                &format!("@{name}"),
                *line,
                None,
                format!("directive `@{name}` was removed"),
            );
        }
    }
    for (name, bt) in &base.types {
        let Some(ht) = head.types.get(name) else {
            o.base("type-removed", name, name, bt.line, None, format!("{} `{name}` was removed", bt.kind));
            continue;
        };
        if bt.kind != ht.kind {
            o.head(
                "type-kind-changed",
                name,
                name,
                ht.line,
                format!("`{name}` changed from {} to {}", bt.kind, ht.kind),
            );
            continue;
        }
        let input = bt.kind == "input";
        for (fname, bf) in &bt.fields {
            let coord = format!("{name}.{fname}");
            let Some(hf) = ht.fields.get(fname) else {
                let rule = if input { "input-field-removed" } else { "field-removed" };
                o.base(rule, name, &coord, bf.line, Some(ht.line), format!("field `{coord}` was removed"));
                continue;
            };
            if bf.ty != hf.ty {
                let safe = if input { safe_input(&bf.ty, &hf.ty) } else { safe_output(&bf.ty, &hf.ty) };
                let rule = match (safe, input) {
                    (true, _) => "type-changed-safely",
                    (false, true) => "input-field-type-changed",
                    (false, false) => "field-type-changed",
                };
                o.head(
                    rule,
                    name,
                    &coord,
                    hf.line,
                    format!("field `{coord}` changed type from `{}` to `{}`", bf.ty, hf.ty),
                );
            }
            if !bf.deprecated && hf.deprecated {
                o.head("field-deprecated", name, &coord, hf.line, format!("field `{coord}` was deprecated"));
            }
            for (aname, ba) in &bf.args {
                let acoord = format!("{coord}({aname}:)");
                match hf.args.get(aname) {
                    None => o.base(
                        "argument-removed",
                        name,
                        &acoord,
                        ba.line,
                        Some(hf.line),
                        format!("argument `{acoord}` was removed"),
                    ),
                    Some(ha) => {
                        if ba.ty != ha.ty {
                            let rule = if safe_input(&ba.ty, &ha.ty) {
                                "type-changed-safely"
                            } else {
                                "argument-type-changed"
                            };
                            o.head(
                                rule,
                                name,
                                &acoord,
                                ha.line,
                                format!("argument `{acoord}` changed type from `{}` to `{}`", ba.ty, ha.ty),
                            );
                        }
                        if ba.default != ha.default {
                            let show = |d: &Option<String>| d.clone().unwrap_or_else(|| "none".into());
                            o.head(
                                "argument-default-changed",
                                name,
                                &acoord,
                                ha.line,
                                format!(
                                    "default of `{acoord}` changed from `{}` to `{}`",
                                    show(&ba.default),
                                    show(&ha.default)
                                ),
                            );
                        }
                    }
                }
            }
            for (aname, ha) in &hf.args {
                if !bf.args.contains_key(aname) {
                    let acoord = format!("{coord}({aname}:)");
                    let rule = if required(ha) { "required-argument-added" } else { "optional-argument-added" };
                    o.head(rule, name, &acoord, ha.line, format!("argument `{acoord}: {}` was added", ha.ty));
                }
            }
        }
        for (fname, hf) in &ht.fields {
            if !bt.fields.contains_key(fname) {
                let coord = format!("{name}.{fname}");
                let rule = match (input, required(hf)) {
                    (true, true) => "required-input-field-added",
                    (true, false) => "optional-input-field-added",
                    (false, _) => "field-added",
                };
                o.head(rule, name, &coord, hf.line, format!("field `{coord}: {}` was added", hf.ty));
            }
        }
        let sets: [SetDiff<'_>; 3] = [
            (&bt.values, &ht.values, "enum-value-removed", "enum-value-added", "enum value"),
            (&bt.members, &ht.members, "union-member-removed", "union-member-added", "union member"),
            (&bt.interfaces, &ht.interfaces, "interface-removed", "interface-added", "interface"),
        ];
        for (b, h, removed, added, what) in sets {
            for (v, line) in b {
                if !h.contains_key(v) {
                    o.base(
                        removed,
                        name,
                        &format!("{name}.{v}"),
                        *line,
                        Some(ht.line),
                        format!("{what} `{v}` was removed from `{name}`"),
                    );
                }
            }
            for (v, line) in h {
                if !b.contains_key(v) {
                    o.head(added, name, &format!("{name}.{v}"), *line, format!("{what} `{v}` was added to `{name}`"));
                }
            }
        }
    }
    for (name, ht) in &head.types {
        if !base.types.contains_key(name) {
            o.head("type-added", name, name, ht.line, format!("{} `{name}` was added", ht.kind));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ty(s: &str) -> GType {
        let src = format!("type Q {{ f: {s} }}");
        let doc = graphql_parser::parse_schema::<String>(&src).unwrap();
        build(&doc).types["Q"].fields["f"].ty.clone()
    }

    #[test]
    fn nullability_rules_match_graphql_inspector() {
        assert!(safe_output(&ty("String"), &ty("String!")));
        assert!(!safe_output(&ty("String!"), &ty("String")));
        assert!(safe_output(&ty("[Int]"), &ty("[Int!]!")));
        assert!(!safe_output(&ty("[Int]"), &ty("Int")));
        assert!(safe_input(&ty("String!"), &ty("String")));
        assert!(!safe_input(&ty("String"), &ty("String!")));
        assert!(!safe_input(&ty("Int"), &ty("Float")));
    }

    /// The same pair given to `graphql-inspector diff` (v5): it reports the first three, and
    /// misses the output type change `Int` → `[Int]` of `A.f`, which breaks every query of `f`.
    #[test]
    fn interface_union_argument_and_list_changes() {
        let b =
            "interface Node { id: ID! }\ntype A { id: ID!, f(x: Int, y: Int): Int }\ntype B { id: ID! }\nunion U = A\n";
        let h = "interface Node { id: ID! }\ntype A implements Node { id: ID!, f(x: Int): [Int] }\ntype B { id: ID! }\nunion U = A | B\n";
        let parse = |t: &str| build(&graphql_parser::parse_schema::<String>(t).unwrap());
        let mut o = Out { path: "s.graphql", changes: Vec::new() };
        diff(&parse(b), &parse(h), &mut o);
        let mut got: Vec<String> =
            o.changes.iter().map(|c| format!("{} {:?} {}", c.rule, c.level, c.pointer)).collect();
        got.sort();
        assert_eq!(
            got,
            [
                "contract.graphql.argument-removed Breaking A.f(y:)",
                "contract.graphql.field-type-changed Breaking A.f",
                "contract.graphql.interface-added Warning A.Node",
                "contract.graphql.union-member-added Warning U.B",
            ]
        );
    }

    #[test]
    fn hostile_nesting_is_a_parse_error() {
        let t = format!("type Q {{ f: {}Int{} }}", "[".repeat(10_000), "]".repeat(10_000));
        assert_eq!(too_deep(&t), Some(1));
        assert_eq!(too_deep("type Q { f(a: [Int] = [1]): [[Int]] }"), None);
    }

    #[test]
    fn parse_error_line() {
        assert_eq!(error_line("schema parse error: Parse error at 3:14\nUnexpected `}`"), 3);
    }
}
