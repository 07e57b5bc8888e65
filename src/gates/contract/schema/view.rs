//! One schema seen through its dialect: `$ref`s followed (with their siblings where the dialect
//! applies them), `allOf` members merged, and every keyword normalised (draft-04 boolean
//! `exclusiveMaximum`, OpenAPI 3.0 `nullable`, tuple `items` vs `prefixItems`, `dependencies` vs
//! `dependentRequired`/`dependentSchemas`, `const` as a one-value enum).

use super::super::docs::{Docs, Loc};
use super::super::num::Num;
use super::super::tree::{Node, Value};
use std::collections::{BTreeMap, BTreeSet, HashSet};

/// Which rules a schema follows: set by the OpenAPI version or the document's `$schema`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    Draft4,
    Draft6,
    Draft7,
    Draft2019,
    Draft2020,
    /// OpenAPI 3.0 Schema Object: `nullable`, boolean exclusive bounds, `$ref` siblings ignored.
    Oas30,
    /// OpenAPI 3.1: JSON Schema 2020-12.
    Oas31,
}

impl Dialect {
    /// The dialect a `$schema` URI names; `None` for an unknown one.
    pub fn from_uri(uri: &str) -> Option<Dialect> {
        let u = uri.trim_end_matches('#').trim_end_matches('/');
        Some(if u.ends_with("draft-04/schema") {
            Dialect::Draft4
        } else if u.ends_with("draft-06/schema") {
            Dialect::Draft6
        } else if u.ends_with("draft-07/schema") {
            Dialect::Draft7
        } else if u.contains("draft/2019-09/") {
            Dialect::Draft2019
        } else if u.contains("draft/2020-12/") {
            Dialect::Draft2020
        } else if u.contains("spec.openapis.org/oas/3.1/dialect") {
            Dialect::Oas31
        } else {
            return None;
        })
    }

    /// The dialect of a JSON Schema document (draft-07 when `$schema` is absent or unknown).
    pub fn of_document(root: Option<&Node>) -> Dialect {
        root.and_then(|r| r.get_str("$schema")).and_then(Dialect::from_uri).unwrap_or(Dialect::Draft7)
    }

    /// Keywords next to `$ref` are applied (2019-09 and later) rather than ignored.
    pub fn ref_siblings_apply(self) -> bool {
        matches!(self, Dialect::Draft2019 | Dialect::Draft2020 | Dialect::Oas31)
    }

    fn boolean_exclusive(self) -> bool {
        matches!(self, Dialect::Draft4 | Dialect::Oas30)
    }

    /// `items: [..]` is a tuple (before 2020-12); later, `prefixItems` is.
    fn tuple_items(self) -> bool {
        !matches!(self, Dialect::Draft2020 | Dialect::Oas31)
    }
}

pub const NULL: u8 = 1;
pub const BOOL: u8 = 2;
pub const OBJECT: u8 = 4;
pub const ARRAY: u8 = 8;
pub const NUMBER: u8 = 16;
pub const INTEGER: u8 = 32;
pub const STRING: u8 = 64;
pub const ANY: u8 = 127;

pub fn type_bit(name: &str) -> u8 {
    match name {
        "null" => NULL,
        "boolean" => BOOL,
        "object" => OBJECT,
        "array" => ARRAY,
        "number" => NUMBER | INTEGER,
        "integer" => INTEGER,
        "string" => STRING,
        _ => 0,
    }
}

pub fn type_names(bits: u8) -> String {
    if bits == ANY {
        return "any".into();
    }
    if bits == 0 {
        return "nothing".into();
    }
    let mut v = Vec::new();
    for (b, n) in [
        (STRING, "string"),
        (NUMBER, "number"),
        (OBJECT, "object"),
        (ARRAY, "array"),
        (BOOL, "boolean"),
        (NULL, "null"),
    ] {
        if bits & b != 0 {
            v.push(n);
        }
    }
    if bits & INTEGER != 0 && bits & NUMBER == 0 {
        v.insert(1.min(v.len()), "integer");
    }
    v.join("|")
}

/// A numeric or count limit and where it is written.
#[derive(Debug, Clone)]
pub struct Limit<'a> {
    pub value: Num,
    pub exclusive: bool,
    pub kw: &'static str,
    pub loc: Loc<'a>,
}

/// What a keyword holds for members not listed elsewhere: `additionalProperties`,
/// `unevaluatedProperties`, the items after a tuple.
#[derive(Debug, Clone)]
pub enum Rest<'a> {
    Open,
    Closed,
    Schema(Loc<'a>),
}

impl<'a> Rest<'a> {
    pub fn of(loc: Option<Loc<'a>>) -> Rest<'a> {
        match loc {
            None => Rest::Open,
            Some(l) => match l.node.bool() {
                Some(true) => Rest::Open,
                Some(false) => Rest::Closed,
                None => Rest::Schema(l),
            },
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnionKind {
    OneOf,
    AnyOf,
}

impl UnionKind {
    pub fn keyword(self) -> &'static str {
        match self {
            UnionKind::OneOf => "oneOf",
            UnionKind::AnyOf => "anyOf",
        }
    }
}

#[derive(Debug, Clone)]
pub struct Union<'a> {
    pub kind: UnionKind,
    pub loc: Loc<'a>,
    pub alts: Vec<Loc<'a>>,
}

/// A schema with its conjuncts merged. Locations point at the keyword's node.
#[derive(Debug, Default)]
pub struct View<'a> {
    /// The first conjunct (where schema-level changes are annotated).
    pub at: Option<Loc<'a>>,
    /// Has any assertion besides `oneOf`/`anyOf` (used to tell a pure union from a schema with one).
    pub asserts: bool,
    /// A `false` schema is among the conjuncts.
    pub never: bool,
    pub types: Option<(u8, Loc<'a>)>,
    pub format: Option<(&'a str, Loc<'a>)>,
    pub enumeration: Option<(BTreeMap<String, &'a Node>, Loc<'a>, bool)>,
    pub lower: Option<Limit<'a>>,
    pub upper: Option<Limit<'a>>,
    pub multiple_of: Option<(Num, Loc<'a>)>,
    pub counts: BTreeMap<&'static str, Limit<'a>>,
    pub patterns: Vec<(&'a str, Loc<'a>)>,
    pub unique: Option<Loc<'a>>,
    pub props: BTreeMap<&'a str, Vec<Loc<'a>>>,
    /// Property name → the `required` array entry naming it.
    pub required: BTreeMap<&'a str, Loc<'a>>,
    pub additional: Option<Loc<'a>>,
    pub unevaluated_props: Option<Loc<'a>>,
    pub pattern_props: Vec<(&'a str, Loc<'a>)>,
    pub property_names: Vec<Loc<'a>>,
    pub dep_required: BTreeMap<&'a str, (BTreeSet<&'a str>, Loc<'a>)>,
    pub dep_schemas: BTreeMap<&'a str, Vec<Loc<'a>>>,
    pub prefix: Vec<Loc<'a>>,
    /// `items` (schema form) or `additionalItems` / 2020-12 `items` after a tuple.
    pub rest_items: Option<Loc<'a>>,
    pub tuple: bool,
    pub contains: Option<Loc<'a>>,
    pub unevaluated_items: Option<Loc<'a>>,
    pub unions: Vec<Union<'a>>,
    /// Direct `allOf` members (resolved), when the schema has an `allOf`.
    pub members: Vec<Loc<'a>>,
    pub nots: Vec<Loc<'a>>,
    pub cond: Option<(Loc<'a>, Option<Loc<'a>>, Option<Loc<'a>>)>,
    pub default: Option<Loc<'a>>,
    pub read_only: bool,
    pub write_only: bool,
    pub discriminator: Option<Loc<'a>>,
    pub extensible_enum: Option<Loc<'a>>,
    pub content_media_type: Option<(&'a str, Loc<'a>)>,
    pub content_encoding: Option<(&'a str, Loc<'a>)>,
    pub content_schema: Option<Loc<'a>>,
}

/// Keywords that only annotate: a schema made of these (plus `$ref`-free composition) asserts nothing.
const ANNOTATIONS: &[&str] = &[
    "title",
    "description",
    "default",
    "example",
    "examples",
    "deprecated",
    "readOnly",
    "writeOnly",
    "$comment",
    "$id",
    "id",
    "$schema",
    "$anchor",
    "$defs",
    "definitions",
    "externalDocs",
    "xml",
    "discriminator",
    "$dynamicAnchor",
    "$recursiveAnchor",
    "$vocabulary",
];

pub fn is_annotation(k: &str) -> bool {
    ANNOTATIONS.contains(&k) || k.starts_with("x-")
}

/// Resolves `loc` through `$ref` when its siblings do not count; `None` for a broken reference.
pub fn resolve<'a>(docs: &'a Docs, dialect: Dialect, loc: Loc<'a>) -> Loc<'a> {
    let mut cur = loc;
    for _ in 0..32 {
        let Some(m) = cur.node.map() else { return cur };
        if !m.contains_key("$ref") {
            return cur;
        }
        if dialect.ref_siblings_apply() && m.keys().any(|k| k != "$ref" && !is_annotation(k)) {
            return cur;
        }
        match docs.follow(&cur) {
            Some(next) => cur = next,
            None => return cur,
        }
    }
    cur
}

fn num(n: &Node) -> Option<Num> {
    n.num().cloned()
}

impl<'a> View<'a> {
    /// The merged view of the conjunction of `locs`.
    pub fn build(docs: &'a Docs, dialect: Dialect, locs: &[Loc<'a>]) -> View<'a> {
        let mut v = View::default();
        let mut seen = HashSet::new();
        for (i, l) in locs.iter().enumerate() {
            v.add(docs, dialect, l.clone(), &mut seen, 0, i == 0);
        }
        v
    }

    fn add(&mut self, docs: &'a Docs, d: Dialect, loc: Loc<'a>, seen: &mut HashSet<usize>, depth: usize, top: bool) {
        if depth > 24 || !seen.insert(loc.node as *const Node as usize) {
            return;
        }
        if self.at.is_none() {
            self.at = Some(loc.clone());
        }
        match &loc.node.value {
            Value::Bool(true) => return,
            Value::Bool(false) => {
                self.never = true;
                self.asserts = true;
                return;
            }
            Value::Map(_) => {}
            _ => return,
        }
        let node = loc.node;
        if node.get("$ref").is_some() {
            if let Some(target) = docs.follow(&loc) {
                self.add(docs, d, target, seen, depth + 1, top);
            }
            if !d.ref_siblings_apply() {
                return;
            }
        }
        let m = node.map().expect("a map");
        let child = |k: &str| loc.child(k);
        for (k, _) in m.iter() {
            if !is_annotation(k) && !matches!(k.as_str(), "$ref" | "allOf" | "oneOf" | "anyOf" | "nullable") {
                self.asserts = true;
            }
        }
        // type (+ OpenAPI 3.0 nullable)
        if let Some(t) = child("type") {
            let mut bits = match &t.node.value {
                Value::Str(s) => type_bit(s),
                Value::Seq(s) => s.iter().filter_map(Node::str).map(type_bit).fold(0, |a, b| a | b),
                _ => ANY,
            };
            if d == Dialect::Oas30 && node.flag("nullable") {
                bits |= NULL;
            }
            self.types = Some(match self.types.take() {
                Some((prev, l)) => (prev & bits, l),
                None => (bits, t),
            });
        }
        if let Some(f) = child("format").and_then(|l| l.node.str().map(|s| (s, l))) {
            self.format.get_or_insert(f);
        }
        // enum / const
        let values = |n: &'a Node| n.seq().iter().map(|v| (canonical(v), v)).collect::<BTreeMap<_, _>>();
        if let Some(c) = child("const") {
            let set: BTreeMap<_, _> = [(canonical(c.node), c.node)].into();
            self.enumeration.get_or_insert((set, c, true));
        } else if let Some(e) = child("enum") {
            let mut set = values(e.node);
            if d == Dialect::Oas30 && node.flag("nullable") {
                let null: &'static Node = &NULL_NODE;
                set.insert("null".into(), null);
            }
            self.enumeration.get_or_insert((set, e, false));
        }
        // numeric bounds
        let bound = |kw: &'static str, excl_kw: &'static str, upper: bool| -> Option<Limit<'a>> {
            let mut best: Option<Limit<'a>> = None;
            let mut consider = |l: Limit<'a>| {
                let better = match &best {
                    None => true,
                    Some(b) => {
                        let ord = l.value.cmp(&b.value);
                        (if upper { ord.is_lt() } else { ord.is_gt() }) || (ord.is_eq() && l.exclusive && !b.exclusive)
                    }
                };
                if better {
                    best = Some(l);
                }
            };
            let bool_excl = d.boolean_exclusive() && node.flag(excl_kw);
            if let Some(l) = child(kw) {
                if let Some(v) = num(l.node) {
                    consider(Limit {
                        value: v,
                        exclusive: bool_excl,
                        kw: if bool_excl { excl_kw } else { kw },
                        loc: l,
                    });
                }
            }
            if let Some(l) = child(excl_kw) {
                if let Some(v) = num(l.node) {
                    consider(Limit { value: v, exclusive: true, kw: excl_kw, loc: l });
                }
            }
            best
        };
        if let Some(u) = bound("maximum", "exclusiveMaximum", true) {
            if self.upper.as_ref().is_none_or(|b| u.value < b.value) {
                self.upper = Some(u);
            }
        }
        if let Some(l) = bound("minimum", "exclusiveMinimum", false) {
            if self.lower.as_ref().is_none_or(|b| l.value > b.value) {
                self.lower = Some(l);
            }
        }
        if let Some(l) = child("multipleOf") {
            if let Some(v) = num(l.node) {
                self.multiple_of.get_or_insert((v, l));
            }
        }
        for kw in [
            "maxLength",
            "minLength",
            "maxItems",
            "minItems",
            "maxProperties",
            "minProperties",
            "maxContains",
            "minContains",
        ] {
            if let Some(l) = child(kw) {
                if let Some(v) = num(l.node) {
                    let upper = kw.starts_with("max");
                    let keep = self.counts.get(kw).is_none_or(|b| if upper { v < b.value } else { v > b.value });
                    if keep {
                        self.counts.insert(kw, Limit { value: v, exclusive: false, kw, loc: l });
                    }
                }
            }
        }
        if let Some(p) = child("pattern").and_then(|l| l.node.str().map(|s| (s, l))) {
            self.patterns.push(p);
        }
        if node.flag("uniqueItems") {
            self.unique = child("uniqueItems");
        }
        // objects
        if let Some(props) = child("properties") {
            if let Some(pm) = props.node.map() {
                for k in pm.keys() {
                    if let Some(l) = props.child(k) {
                        self.props.entry(k.as_str()).or_default().push(l);
                    }
                }
            }
        }
        if let Some(r) = child("required") {
            for (i, n) in r.node.seq().iter().enumerate() {
                if let (Some(name), Some(l)) = (n.str(), r.child(&i.to_string())) {
                    self.required.entry(name).or_insert(l);
                }
            }
        }
        if let Some(l) = child("additionalProperties") {
            self.additional.get_or_insert(l);
        }
        if let Some(l) = child("unevaluatedProperties") {
            self.unevaluated_props.get_or_insert(l);
        }
        if let Some(pp) = child("patternProperties") {
            for k in pp.node.map().map(|m| m.keys().collect::<Vec<_>>()).unwrap_or_default() {
                if let Some(l) = pp.child(k) {
                    self.pattern_props.push((k.as_str(), l));
                }
            }
        }
        if let Some(l) = child("propertyNames") {
            self.property_names.push(l);
        }
        let mut deps = |holder: Option<Loc<'a>>, arrays: bool, schemas: bool| {
            let Some(h) = holder else { return };
            for k in h.node.map().map(|m| m.keys().collect::<Vec<_>>()).unwrap_or_default() {
                let Some(l) = h.child(k) else { continue };
                match &l.node.value {
                    Value::Seq(s) if arrays => {
                        let set: BTreeSet<&'a str> = s.iter().filter_map(Node::str).collect();
                        self.dep_required.entry(k.as_str()).or_insert((set, l));
                    }
                    Value::Map(_) | Value::Bool(_) if schemas => {
                        self.dep_schemas.entry(k.as_str()).or_default().push(l)
                    }
                    _ => {}
                }
            }
        };
        deps(child("dependencies"), true, true);
        deps(child("dependentRequired"), true, false);
        deps(child("dependentSchemas"), false, true);
        // arrays
        let items = child("items");
        if d.tuple_items() && items.as_ref().is_some_and(|i| matches!(i.node.value, Value::Seq(_))) {
            let it = items.expect("checked");
            self.tuple = true;
            self.prefix = (0..it.node.seq().len()).filter_map(|i| it.child(&i.to_string())).collect();
            if let Some(a) = child("additionalItems") {
                self.rest_items = Some(a);
            }
        } else if let Some(p) = child("prefixItems").filter(|_| !d.tuple_items()) {
            self.tuple = true;
            self.prefix = (0..p.node.seq().len()).filter_map(|i| p.child(&i.to_string())).collect();
            if let Some(i) = items {
                self.rest_items = Some(i);
            }
        } else if let Some(i) = items {
            self.rest_items.get_or_insert(i);
        }
        if let Some(l) = child("contains") {
            self.contains.get_or_insert(l);
        }
        if let Some(l) = child("unevaluatedItems") {
            self.unevaluated_items.get_or_insert(l);
        }
        // composition
        for (kw, kind) in [("oneOf", UnionKind::OneOf), ("anyOf", UnionKind::AnyOf)] {
            if let Some(l) = child(kw) {
                let alts = (0..l.node.seq().len()).filter_map(|i| l.child(&i.to_string())).collect();
                self.unions.push(Union { kind, loc: l, alts });
            }
        }
        if let Some(n) = child("not") {
            self.nots.push(n);
        }
        if let Some(i) = child("if") {
            self.cond.get_or_insert((i, child("then"), child("else")));
        }
        // annotations
        if let Some(l) = child("default") {
            self.default.get_or_insert(l);
        }
        self.read_only |= node.flag("readOnly");
        self.write_only |= node.flag("writeOnly");
        if let Some(l) = child("discriminator") {
            self.discriminator.get_or_insert(l);
        }
        if let Some(l) = child("x-extensible-enum") {
            self.extensible_enum.get_or_insert(l);
        }
        if let Some(l) = child("contentMediaType").and_then(|l| l.node.str().map(|s| (s, l))) {
            self.content_media_type.get_or_insert(l);
        }
        if let Some(l) = child("contentEncoding").and_then(|l| l.node.str().map(|s| (s, l))) {
            self.content_encoding.get_or_insert(l);
        }
        if let Some(l) = child("contentSchema") {
            self.content_schema.get_or_insert(l);
        }
        if let Some(all) = child("allOf") {
            for i in 0..all.node.seq().len() {
                let Some(member) = all.child(&i.to_string()) else { continue };
                if top {
                    self.members.push(resolve(docs, d, member.clone()));
                }
                self.add(docs, d, member, seen, depth + 1, false);
            }
        }
    }

    /// The types this schema accepts (all when unconstrained; none for `false`).
    pub fn type_bits(&self) -> u8 {
        if self.never {
            return 0;
        }
        self.types.as_ref().map(|t| t.0).unwrap_or(ANY)
    }

    /// Types implied by type-specific keywords when `type` is absent (`properties` → object).
    pub fn implied_types(&self) -> Option<u8> {
        if self.types.is_some() {
            return None;
        }
        let mut bits = 0;
        if !self.props.is_empty()
            || !self.required.is_empty()
            || self.additional.is_some()
            || !self.pattern_props.is_empty()
        {
            bits |= OBJECT;
        }
        if self.rest_items.is_some() || self.tuple || self.contains.is_some() {
            bits |= ARRAY;
        }
        if self.counts.keys().any(|k| k.ends_with("Length")) || !self.patterns.is_empty() {
            bits |= STRING;
        }
        if self.upper.is_some() || self.lower.is_some() || self.multiple_of.is_some() {
            bits |= NUMBER | INTEGER;
        }
        if let Some((vals, _, _)) = &self.enumeration {
            for v in vals.values() {
                bits |= match &v.value {
                    Value::Null => NULL,
                    Value::Bool(_) => BOOL,
                    Value::Num(n) if n.is_integer() => INTEGER,
                    Value::Num(_) => NUMBER | INTEGER,
                    Value::Str(_) => STRING,
                    Value::Seq(_) => ARRAY,
                    Value::Map(_) => OBJECT,
                };
            }
        }
        (bits != 0).then_some(bits)
    }

    /// Only `oneOf`/`anyOf` (one of them) and annotations: the schema is its alternatives.
    pub fn pure_union(&self) -> bool {
        !self.asserts && self.unions.len() == 1
    }
}

static NULL_NODE: Node = Node { value: Value::Null, line: 0 };
/// The `true` schema, standing in for an absent subschema.
pub static TRUE_NODE: Node = Node { value: Value::Bool(true), line: 0 };

/// A canonical text of a JSON value: equal values (`1` and `1.0`, reordered keys) compare equal.
pub fn canonical(n: &Node) -> String {
    match &n.value {
        Value::Null => "null".into(),
        Value::Bool(b) => b.to_string(),
        Value::Num(x) => format!("#{}", x.key()),
        Value::Str(s) => format!("{s:?}"),
        Value::Seq(s) => format!("[{}]", s.iter().map(canonical).collect::<Vec<_>>().join(",")),
        Value::Map(m) => {
            format!("{{{}}}", m.iter().map(|(k, v)| format!("{k:?}:{}", canonical(v))).collect::<Vec<_>>().join(","))
        }
    }
}
