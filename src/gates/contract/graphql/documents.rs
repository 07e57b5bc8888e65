//! Client operations kept in the repository — `.graphql` files and `gql`/`graphql` tagged
//! templates in JavaScript and TypeScript — validated against a schema with the rules of the
//! specification's chapter 5 that a schema change can break, and the schema coordinates each
//! operation uses (to name the operations a breaking change breaks).
//!
//! Rules checked: the operation's root type exists (§5.2); fields exist on their type (§5.3.1);
//! leaf and composite selections (§5.3.3); arguments exist and required ones are given (§5.4);
//! fragment type conditions exist, are composite and can apply where spread (§5.5.1.2-3,
//! §5.5.2.3); literal values fit their type — enum values, input fields, required input fields,
//! `@oneOf` (§5.6); directives exist, at a valid location, once unless repeatable (§5.7);
//! variables have input types and fit where used (§5.8.2, §5.8.5). Rules that only a document
//! change can break (unique names, unused fragments, field merging) are not checked.

use super::model::{GType, Kind, Lines, Schema, Type};
use cynic_parser::common::{OperationType, WrappingType};
use cynic_parser::executable::{Directive, FragmentDefinition, Selection};
use cynic_parser::{ExecutableDocument as Doc, Value};
use std::collections::{BTreeSet, HashMap};

/// One GraphQL text found in a file: the text and its byte offset in the file.
pub struct Source {
    pub text: String,
    pub offset: usize,
}

/// The GraphQL sources of a file: the whole file for `.graphql`/`.gql`, else every
/// `gql`/`graphql` tagged template (also `gql(` … `)` calls and templates after a
/// `/* GraphQL */` comment). Interpolations `${…}` become spaces so offsets stay right.
pub fn extract(path: &str, text: &str) -> Vec<Source> {
    let lower = path.to_ascii_lowercase();
    if lower.ends_with(".graphql") || lower.ends_with(".gql") || lower.ends_with(".graphqls") {
        return vec![Source { text: text.to_string(), offset: 0 }];
    }
    let re = regex::Regex::new(r"(?:\b(?:gql|graphql)\s*(?:\(\s*)?|/\*\s*GraphQL\s*\*/\s*)`").expect("static regex");
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(m) = re.find_at(text, from) {
        let start = m.end();
        let mut body = String::new();
        let mut i = start;
        let mut closed = false;
        while i < b.len() {
            match b[i] {
                b'\\' => {
                    body.push(' ');
                    body.push(' ');
                    i += 2;
                    continue;
                }
                b'`' => {
                    closed = true;
                    break;
                }
                b'$' if b.get(i + 1) == Some(&b'{') => {
                    // Skip the interpolation, braces balanced.
                    let mut depth = 0;
                    while i < b.len() {
                        match b[i] {
                            b'{' => depth += 1,
                            b'}' => {
                                depth -= 1;
                                if depth == 0 {
                                    body.push(' ');
                                    i += 1;
                                    break;
                                }
                            }
                            _ => {}
                        }
                        body.push(if b[i] == b'\n' { '\n' } else { ' ' });
                        i += 1;
                    }
                    continue;
                }
                _ => {}
            }
            let ch = text[i..].chars().next().unwrap_or(' ');
            body.push(ch);
            i += ch.len_utf8().max(1);
        }
        from = i.min(text.len()).max(start);
        if closed && !body.trim().is_empty() {
            out.push(Source { text: body, offset: start });
        }
        if !closed {
            break;
        }
        from += 1;
    }
    out
}

/// An operation found in a document, and the schema coordinates it uses.
#[derive(Debug, Clone)]
pub struct Operation {
    pub file: String,
    pub line: u32,
    /// `GetUser`, or `anonymous query` for an operation without a name.
    pub name: String,
    pub uses: BTreeSet<String>,
}

/// A reason a document does not validate.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Problem {
    pub file: String,
    pub line: u32,
    /// The operation (or fragment) it is in.
    pub within: String,
    pub message: String,
}

/// Every operation and problem of `files` (path, text) against `schema`.
pub fn check(schema: &Schema, files: &[(String, String)]) -> (Vec<Operation>, Vec<Problem>) {
    let mut parsed: Vec<(usize, Lines, usize, Doc)> = Vec::new();
    let mut problems = Vec::new();
    let lines: Vec<Lines> = files.iter().map(|(_, t)| Lines::new(t)).collect();
    for (fi, (path, text)) in files.iter().enumerate() {
        for src in extract(path, text) {
            let here = |at: usize| lines[fi].line(src.offset + at);
            if let Some((at, problem)) = super::model::too_deep(&src.text) {
                problems.push(Problem {
                    file: path.clone(),
                    line: here(at),
                    within: String::new(),
                    message: format!("the document cannot be parsed: {problem}"),
                });
                continue;
            }
            let text = super::model::prepare(&src.text);
            match std::panic::catch_unwind(|| cynic_parser::parse_executable_document(&text)) {
                Ok(Ok(doc)) => parsed.push((fi, Lines::new(&text), src.offset, doc)),
                Ok(Err(e)) => problems.push(Problem {
                    file: path.clone(),
                    line: here(e.span().map(|s| s.start).unwrap_or(0)),
                    within: String::new(),
                    message: format!("the document cannot be parsed: {e}"),
                }),
                Err(_) => problems.push(Problem {
                    file: path.clone(),
                    line: here(0),
                    within: String::new(),
                    message: "the GraphQL parser failed on this document".into(),
                }),
            }
        }
    }
    // Fragments are shared across files, as GraphQL clients and code generators do.
    let mut fragments: HashMap<&str, (usize, FragmentDefinition<'_>)> = HashMap::new();
    for (i, (_, _, _, doc)) in parsed.iter().enumerate() {
        for f in doc.fragments() {
            fragments.entry(f.name()).or_insert((i, f));
        }
    }
    let mut ops = Vec::new();
    for (i, (fi, _, offset, doc)) in parsed.iter().enumerate() {
        let path = &files[*fi].0;
        let line_of = |span: cynic_parser::Span| lines[*fi].line(offset + span.start);
        for op in doc.operations() {
            let kind = match op.operation_type() {
                OperationType::Query => 0,
                OperationType::Mutation => 1,
                OperationType::Subscription => 2,
            };
            let kind_name = super::model::OPERATIONS[kind];
            let name = op.name().map(str::to_string).unwrap_or_else(|| format!("anonymous {kind_name}"));
            let line = line_of(op.name_span().or(op.operation_type_span()).unwrap_or(op.selection_set_span()));
            let mut v = Validator {
                schema,
                fragments: &fragments,
                parsed: &parsed,
                files,
                lines: &lines,
                doc: i,
                within: name.clone(),
                problems: Vec::new(),
                uses: BTreeSet::new(),
                variables: HashMap::new(),
                seen_fragments: BTreeSet::new(),
            };
            v.uses.insert(format!("schema.{kind_name}"));
            for var in op.variable_definitions() {
                let ty = GType { name: var.ty().name().to_string(), wrappers: var.ty().wrappers().collect() };
                match schema.types.get(&ty.name).map(|t| t.kind) {
                    Some(Kind::Scalar | Kind::Enum | Kind::Input) => v.use_input_type(&ty.name),
                    None if super::model::BUILT_IN_SCALARS.contains(&ty.name.as_str()) => {}
                    Some(_) => v.problem(
                        var.name_span(),
                        format!("variable `${}` has `{ty}`, which is not an input type", var.name()),
                    ),
                    None => v.problem(
                        var.name_span(),
                        format!("variable `${}` has the unknown type `{}`", var.name(), ty.name),
                    ),
                }
                v.variables.insert(var.name().to_string(), (ty, var.default_value().is_some()));
            }
            v.directives(op.directives(), kind_name.to_ascii_uppercase().as_str());
            match &schema.roots[kind] {
                Some((root, _)) => v.selections(root, op.selection_set(), 0),
                None => v.problem(
                    op.selection_set_span(),
                    format!("the schema has no {kind_name} root type, so {kind_name} operations cannot run"),
                ),
            }
            ops.push(Operation { file: path.clone(), line, name, uses: v.uses });
            problems.extend(v.problems);
        }
    }
    problems.sort();
    problems.dedup();
    (ops, problems)
}

/// Selections nested deeper than this are not followed (a hostile document must not exhaust the stack).
const MAX_DEPTH: usize = 64;

struct Validator<'s, 'd> {
    schema: &'s Schema,
    fragments: &'d HashMap<&'d str, (usize, FragmentDefinition<'d>)>,
    parsed: &'d [(usize, Lines, usize, Doc)],
    files: &'d [(String, String)],
    lines: &'d [Lines],
    /// Index in `parsed` of the document being read (a fragment's may differ).
    doc: usize,
    within: String,
    problems: Vec<Problem>,
    uses: BTreeSet<String>,
    variables: HashMap<String, (GType, bool)>,
    seen_fragments: BTreeSet<String>,
}

fn is_composite(t: &Type) -> bool {
    matches!(t.kind, Kind::Object | Kind::Interface | Kind::Union)
}

impl Validator<'_, '_> {
    fn problem(&mut self, span: cynic_parser::Span, message: String) {
        let (fi, _, offset, _) = &self.parsed[self.doc];
        self.problems.push(Problem {
            file: self.files[*fi].0.clone(),
            line: self.lines[*fi].line(offset + span.start),
            within: self.within.clone(),
            message,
        });
    }

    /// Marks an input type and every input type reachable from it as used (a variable may
    /// carry any of their fields).
    fn use_input_type(&mut self, name: &str) {
        if !self.uses.insert(format!("${name}")) {
            return;
        }
        self.uses.insert(name.to_string());
        if let Some(t) = self.schema.types.get(name) {
            let inner: Vec<String> = t.inputs.values().map(|f| f.ty.name.clone()).collect();
            for n in inner {
                self.use_input_type(&n);
            }
        }
    }

    /// Object, interface and union types an object of type `name` may be.
    fn possible(&self, name: &str) -> BTreeSet<String> {
        match self.schema.types.get(name) {
            Some(t) if t.kind == Kind::Object => [name.to_string()].into(),
            Some(t) if t.kind == Kind::Union => t.members.keys().cloned().collect(),
            Some(t) if t.kind == Kind::Interface => self
                .schema
                .types
                .iter()
                .filter(|(_, o)| o.kind == Kind::Object && o.interfaces.contains_key(name))
                .map(|(n, _)| n.clone())
                .collect(),
            _ => BTreeSet::new(),
        }
    }

    fn condition(&mut self, parent: &str, cond: &str, span: cynic_parser::Span) -> bool {
        self.uses.insert(cond.to_string());
        let Some(t) = self.schema.types.get(cond) else {
            self.problem(span, format!("fragment on the unknown type `{cond}`"));
            return false;
        };
        if !is_composite(t) {
            self.problem(span, format!("fragment on `{cond}`, which is a {} and has no fields", t.kind.name()));
            return false;
        }
        if self.possible(parent).is_disjoint(&self.possible(cond)) {
            self.problem(span, format!("a fragment on `{cond}` can never apply within `{parent}`"));
            return false;
        }
        true
    }

    fn selections<'a>(&mut self, parent: &str, set: impl Iterator<Item = Selection<'a>>, depth: usize) {
        if depth > MAX_DEPTH {
            return;
        }
        for sel in set {
            match sel {
                Selection::Field(f) => self.field(parent, f, depth),
                Selection::InlineFragment(i) => {
                    self.directives(i.directives(), "INLINE_FRAGMENT");
                    let target = match i.type_condition() {
                        Some(c) => {
                            if !self.condition(parent, c, i.type_condition_span().unwrap_or(i.selection_set_span())) {
                                continue;
                            }
                            c.to_string()
                        }
                        None => parent.to_string(),
                    };
                    self.selections(&target, i.selection_set(), depth + 1);
                }
                Selection::FragmentSpread(s) => {
                    self.directives(s.directives(), "FRAGMENT_SPREAD");
                    let Some(&(doc, frag)) = self.fragments.get(s.fragment_name()) else { continue };
                    let cond = frag.type_condition();
                    if !self.condition(parent, cond, s.fragment_name_span()) {
                        continue;
                    }
                    if !self.seen_fragments.insert(frag.name().to_string()) {
                        continue;
                    }
                    let (saved_doc, saved_within) = (self.doc, self.within.clone());
                    self.doc = doc;
                    self.within = format!("{} (fragment {})", saved_within, frag.name());
                    self.directives(frag.directives(), "FRAGMENT_DEFINITION");
                    self.selections(cond, frag.selection_set(), depth + 1);
                    self.doc = saved_doc;
                    self.within = saved_within;
                }
            }
        }
    }

    fn field(&mut self, parent: &str, f: cynic_parser::executable::FieldSelection<'_>, depth: usize) {
        self.directives(f.directives(), "FIELD");
        let name = f.name();
        if name == "__typename" {
            return;
        }
        let is_query_root = self.schema.roots[0].as_ref().is_some_and(|r| r.0 == parent);
        if (name == "__schema" || name == "__type") && is_query_root {
            return;
        }
        let schema = self.schema;
        let Some(def) = schema.types.get(parent).and_then(|t| t.fields.get(name)) else {
            self.problem(f.name_span(), format!("`{parent}` has no field `{name}`"));
            return;
        };
        let coord = format!("{parent}.{name}");
        self.uses.insert(coord.clone());
        self.uses.insert(def.ty.name.clone());
        let mut given = BTreeSet::new();
        for a in f.arguments() {
            given.insert(a.name());
            match def.args.get(a.name()) {
                None => self.problem(a.name_span(), format!("`{coord}` has no argument `{}`", a.name())),
                Some(arg) => {
                    self.uses.insert(format!("{coord}({}:)", a.name()));
                    self.value(a.value(), &arg.ty, arg.default.is_some(), 0);
                }
            }
        }
        for (an, arg) in &def.args {
            if arg.required() && !given.contains(an.as_str()) {
                self.problem(f.name_span(), format!("`{coord}` needs the argument `{an}: {}`", arg.ty));
            }
        }
        let has_selection = f.selection_set().len() > 0;
        match schema.types.get(&def.ty.name) {
            Some(t) if is_composite(t) => {
                if has_selection {
                    self.selections(&def.ty.name, f.selection_set(), depth + 1);
                } else {
                    self.problem(
                        f.name_span(),
                        format!("`{coord}` returns `{}`, which needs a selection of subfields", def.ty.name),
                    );
                }
            }
            _ if has_selection => {
                self.problem(f.name_span(), format!("`{coord}` returns `{}`, which has no subfields to select", def.ty))
            }
            _ => {}
        }
    }

    fn directives<'a>(&mut self, ds: impl Iterator<Item = Directive<'a>>, location: &str) {
        let mut seen = BTreeSet::new();
        for d in ds {
            let name = d.name();
            self.uses.insert(format!("@{name}"));
            let schema = self.schema;
            let (locations, repeatable, args) = match schema.directives.get(name) {
                Some(def) => (Some(&def.locations), def.repeatable, Some(&def.args)),
                None if name == "skip" || name == "include" => (None, false, None),
                None => {
                    self.problem(d.name_span(), format!("the directive `@{name}` is not defined"));
                    continue;
                }
            };
            if locations.is_some_and(|l| !l.contains(location)) {
                self.problem(d.name_span(), format!("`@{name}` cannot be used on `{location}`"));
            }
            if !seen.insert(name) && !repeatable {
                self.problem(d.name_span(), format!("`@{name}` is not repeatable but is used twice here"));
            }
            let Some(args) = args else { continue };
            let mut given = BTreeSet::new();
            for a in d.arguments() {
                given.insert(a.name());
                match args.get(a.name()) {
                    None => self.problem(a.name_span(), format!("`@{name}` has no argument `{}`", a.name())),
                    Some(arg) => {
                        self.uses.insert(format!("@{name}({}:)", a.name()));
                        self.value(a.value(), &arg.ty, arg.default.is_some(), 0);
                    }
                }
            }
            for (an, arg) in args {
                if arg.required() && !given.contains(an.as_str()) {
                    self.problem(d.name_span(), format!("`@{name}` needs the argument `{an}: {}`", arg.ty));
                }
            }
        }
    }

    /// A value in a position of type `ty` (spec §5.6.1, §5.8.5).
    fn value(&mut self, v: Value<'_>, ty: &GType, location_default: bool, depth: usize) {
        if depth > MAX_DEPTH {
            return;
        }
        let span = v.span();
        let non_null = ty.non_null();
        let inner = GType { name: ty.name.clone(), wrappers: ty.wrappers[non_null as usize..].to_vec() };
        match v {
            Value::Variable(var) => {
                let Some((var_ty, var_default)) = self.variables.get(var.name()).cloned() else { return };
                if !compatible(&var_ty, var_default, ty, location_default) {
                    self.problem(
                        span,
                        format!(
                            "variable `${}` of type `{var_ty}` cannot be used where `{ty}` is expected",
                            var.name()
                        ),
                    );
                }
            }
            Value::Null(_) => {
                if non_null {
                    self.problem(span, format!("`null` given where `{ty}` is required"));
                }
            }
            Value::List(l) if inner.wrappers.first() == Some(&WrappingType::List) => {
                let item = GType { name: ty.name.clone(), wrappers: inner.wrappers[1..].to_vec() };
                for i in l.items() {
                    self.value(i, &item, false, depth + 1);
                }
            }
            _ if inner.wrappers.first() == Some(&WrappingType::List) => {
                // A single value is coerced to a list of one (spec §3.11 "Input Coercion").
                let item = GType { name: ty.name.clone(), wrappers: inner.wrappers[1..].to_vec() };
                self.value(v, &item, false, depth + 1);
            }
            _ => self.named_value(v, &inner.name, depth),
        }
    }

    fn named_value(&mut self, v: Value<'_>, name: &str, depth: usize) {
        let span = v.span();
        let schema = self.schema;
        let t = schema.types.get(name);
        let kind = t.map(|t| t.kind);
        let builtin = super::model::BUILT_IN_SCALARS.contains(&name);
        let custom_scalar = kind == Some(Kind::Scalar) && !builtin;
        let fits = match v {
            Value::Int(_) => custom_scalar || matches!(name, "Int" | "Float" | "ID"),
            Value::Float(_) => custom_scalar || name == "Float",
            Value::String(_) => custom_scalar || matches!(name, "String" | "ID"),
            Value::Boolean(_) => custom_scalar || name == "Boolean",
            Value::Enum(e) => {
                if kind == Some(Kind::Enum) {
                    self.uses.insert(format!("{name}.{}", e.name()));
                    if !t.is_some_and(|t| t.values.contains_key(e.name())) {
                        self.problem(span, format!("`{}` is not a value of enum `{name}`", e.name()));
                    }
                    true
                } else {
                    custom_scalar
                }
            }
            Value::Object(o) => {
                if kind == Some(Kind::Input) {
                    let Some(t) = t else { return };
                    self.uses.insert(name.to_string());
                    let mut given = BTreeSet::new();
                    for f in o.fields() {
                        given.insert(f.name());
                        match t.inputs.get(f.name()) {
                            None => self.problem(f.name_span(), format!("input `{name}` has no field `{}`", f.name())),
                            Some(def) => {
                                self.uses.insert(format!("{name}.{}", f.name()));
                                self.value(f.value(), &def.ty, def.default.is_some(), depth + 1);
                            }
                        }
                    }
                    for (fname, def) in &t.inputs {
                        if def.required() && !given.contains(fname.as_str()) {
                            self.problem(span, format!("input `{name}` needs the field `{fname}: {}`", def.ty));
                        }
                    }
                    if t.directives.iter().any(|d| d.name == "oneOf")
                        && (o.fields().len() != 1 || o.fields().any(|f| matches!(f.value(), Value::Null(_))))
                    {
                        self.problem(span, format!("input `{name}` is `@oneOf`: give exactly one field, not null"));
                    }
                    true
                } else {
                    custom_scalar
                }
            }
            Value::Variable(_) | Value::Null(_) | Value::List(_) => true,
        };
        if kind.is_none() && !builtin {
            return; // the unknown type was reported where it was named
        }
        if !fits {
            self.problem(span, format!("the value does not fit `{name}`"));
        }
    }
}

/// Whether a variable of type `var` (with a default or not) may be used where `loc` (with a
/// default or not) is expected (spec §5.8.5 "All Variable Usages Are Allowed").
fn compatible(var: &GType, var_default: bool, loc: &GType, loc_default: bool) -> bool {
    if loc.non_null() && !var.non_null() {
        if !(var_default || loc_default) {
            return false;
        }
        let inner = GType { name: loc.name.clone(), wrappers: loc.wrappers[1..].to_vec() };
        return types_compatible(&var.wrappers, &inner.wrappers) && var.name == loc.name;
    }
    var.name == loc.name && types_compatible(&var.wrappers, &loc.wrappers)
}

fn types_compatible(var: &[WrappingType], loc: &[WrappingType]) -> bool {
    use WrappingType::*;
    match (loc.first(), var.first()) {
        (Some(NonNull), Some(NonNull)) => types_compatible(&var[1..], &loc[1..]),
        (Some(NonNull), _) => false,
        (_, Some(NonNull)) => types_compatible(&var[1..], loc),
        (Some(List), Some(List)) => types_compatible(&var[1..], &loc[1..]),
        (Some(List), _) | (_, Some(List)) => false,
        (None, None) => true,
    }
}

/// Whether an operation using `uses` depends on what a change with `rule` at `coord` changed.
pub fn affected(uses: &BTreeSet<String>, rule: &str, coord: &str) -> bool {
    let rule = rule.trim_start_matches("contract.graphql.");
    let ty = coord.split(['.', '(', ' ']).next().unwrap_or(coord);
    let owner = coord.split('(').next().unwrap_or(coord);
    let last = coord.rsplit('.').next().unwrap_or(coord);
    match rule {
        "required-argument-added" => uses.contains(owner),
        // An enum value matters to an operation that reads the enum (`Kind`, a field's type) or
        // writes that value (`Kind.A`, a literal).
        "enum-value-removed" => uses.contains(coord) || uses.contains(ty),
        "required-input-field-added"
        | "oneof-added"
        | "union-member-removed"
        | "type-removed"
        | "type-kind-changed" => uses.contains(ty),
        "interface-removed" => uses.contains(ty) || uses.contains(last),
        // A variable may carry any field of its input type (`$Type`); a literal only those written.
        "input-field-removed" | "input-field-type-changed" => uses.contains(coord) || uses.contains(&format!("${ty}")),
        _ if coord.starts_with('@') => uses.contains(owner),
        _ => uses.contains(coord),
    }
}

impl std::fmt::Debug for Source {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Source@{}: {:?}", self.offset, self.text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SCHEMA: &str = r#"
        type Query { user(id: ID!): User, search(f: Filter, by: By, kind: Kind = A, ids: [ID!]): [Result] }
        type Mutation { save(u: UserInput!): User }
        type User implements Node { id: ID!, name: String, friends(first: Int): [User] }
        type Bot implements Node { id: ID! }
        interface Node { id: ID! }
        union Result = User | Bot
        input Filter { q: String!, limit: Int = 10 }
        input UserInput { name: String }
        input By @oneOf { id: ID, name: String }
        enum Kind { A B }
        directive @tag(name: String!) on FIELD
    "#;

    fn problems(doc: &str) -> Vec<String> {
        let s = super::super::model::parse(SCHEMA).unwrap();
        check(&s, &[("q.graphql".into(), doc.into())])
            .1
            .into_iter()
            .map(|p| format!("{}: {}", p.line, p.message))
            .collect()
    }

    #[test]
    fn tagged_templates_are_extracted_with_their_offsets() {
        let ts = "const A = gql`\n  query A { user(id: 1) { ...F } }\n  ${F}\n`;\nconst B = graphql(`{ __typename }`);\nconst C = /* GraphQL */ `query C { x }`;\nconst D = notgql`x`;";
        let got = extract("a.tsx", ts);
        assert_eq!(got.len(), 3, "{got:?}");
        assert_eq!(&ts[got[0].offset..got[0].offset + 3], "\n  ");
        assert!(got[0].text.contains("...F") && !got[0].text.contains("${"));
        assert_eq!(got[0].text.len(), "\n  query A { user(id: 1) { ...F } }\n  ${F}\n".len());
        assert_eq!(extract("q.graphql", "query { a }").len(), 1);
    }

    #[test]
    fn valid_operations_pass() {
        let ok = "query Q($id: ID!, $k: Kind) { user(id: $id) { id ... on Node { id } friends(first: 2) { name } }
                  search(f: {q: \"x\"}, by: {id: 1}, kind: $k, ids: 1) { __typename ... on User { name @tag(name: \"a\") } ...B } }
                  fragment B on Bot { id }
                  mutation M($u: UserInput!) { save(u: $u) { id } }";
        assert_eq!(problems(ok), Vec::<String>::new());
    }

    #[test]
    fn schema_dependent_rules_are_checked() {
        let bad = "query Q($id: ID, $f: User) {\n user(id: $id) { nope }\n search(f: {limit: 1}, by: {id: 1, name: \"x\"}, kind: C) { ... on Filter { q } }\n user2: user { id }\n}\nsubscription S { x }\nquery T { user(id: 1) @tag { id friends } }";
        let got = problems(bad).join("\n");
        for want in [
            "variable `$f` has `User`, which is not an input type",
            "variable `$id` of type `ID` cannot be used where `ID!` is expected",
            "`User` has no field `nope`",
            "input `Filter` needs the field `q: String!`",
            "input `By` is `@oneOf`",
            "`C` is not a value of enum `Kind`",
            "fragment on `Filter`, which is a input object",
            "`Query.user` needs the argument `id: ID!`",
            "the schema has no subscription root type",
            "`@tag` needs the argument `name: String!`",
            "`User.friends` returns `User`, which needs a selection of subfields",
        ] {
            assert!(got.contains(want), "missing `{want}` in\n{got}");
        }
        assert!(got.starts_with("1: "), "{got}");
    }

    #[test]
    fn usage_matches_breaking_changes() {
        let s = super::super::model::parse(SCHEMA).unwrap();
        let (ops, _) = check(
            &s,
            &[("q.graphql".into(), "query Q($f: Filter) { search(f: $f, kind: A) { ... on User { name } } }".into())],
        );
        let uses = &ops[0].uses;
        assert!(affected(uses, "contract.graphql.input-field-removed", "Filter.q"), "a variable carries every field");
        assert!(affected(uses, "contract.graphql.enum-value-removed", "Kind.A"), "the literal it sends");
        assert!(!affected(uses, "contract.graphql.enum-value-removed", "Kind.B"), "an input it never sends");
        assert!(affected(uses, "contract.graphql.required-argument-added", "Query.search(x:)"));
        assert!(affected(uses, "contract.graphql.union-member-removed", "Result.User"));
        assert!(!affected(uses, "contract.graphql.field-removed", "User.id"));
        assert!(!affected(uses, "contract.graphql.argument-removed", "Query.search(by:)"));
        assert!(affected(uses, "contract.graphql.root-type-changed", "schema.query"));
    }
}
