//! Compares two schemas and classifies every change the way graphql-inspector's documented
//! change types do (breaking / dangerous → warning / non-breaking → info). A change implied by
//! an added parent (the fields of an added type, the arguments of an added field) is not listed
//! on its own, as graphql-inspector's command line does by default.

use super::model::{
    Applied, BUILT_IN_DIRECTIVES, BUILT_IN_SCALARS, Field, GType, InputValue, Kind, OPERATIONS, Schema,
};
use super::*;
use crate::gates::contract::{Change, ContractRule, Side, change};
use cynic_parser::common::WrappingType;
use std::collections::BTreeMap;

/// Output position (object/interface field): the new type may only add non-null (covariance).
pub fn safe_output(old: &[WrappingType], new: &[WrappingType]) -> bool {
    use WrappingType::*;
    match (old.first(), new.first()) {
        (None, None) => true,
        (_, Some(NonNull)) => safe_output(if old.first() == Some(&NonNull) { &old[1..] } else { old }, &new[1..]),
        (Some(List), Some(List)) => safe_output(&old[1..], &new[1..]),
        _ => false,
    }
}

/// Input position (argument/input field): the new type may only drop non-null (contravariance).
pub fn safe_input(old: &[WrappingType], new: &[WrappingType]) -> bool {
    use WrappingType::*;
    match (old.first(), new.first()) {
        (None, None) => true,
        (Some(NonNull), _) => safe_input(&old[1..], if new.first() == Some(&NonNull) { &new[1..] } else { new }),
        (Some(List), Some(List)) => safe_input(&old[1..], &new[1..]),
        _ => false,
    }
}

fn same_named(a: &GType, b: &GType) -> bool {
    a.name == b.name
}

pub struct Differ<'a> {
    pub path: &'a str,
    pub changes: Vec<Change>,
}

/// Where a change sits: its changelog group (type, `@directive` or `schema`), its coordinate,
/// and the lines to annotate.
#[derive(Clone, Copy)]
struct At<'c> {
    group: &'c str,
    coord: &'c str,
    /// Line in the head file (for removals: the surviving parent's, if any).
    head: Option<u32>,
    /// Line in the base file, for removals.
    base: Option<u32>,
}

impl Differ<'_> {
    fn push(&mut self, rule: &'static ContractRule, at: At<'_>, message: String) {
        let side = if at.base.is_some() { Side::Base } else { Side::Head };
        let mut c = change(rule, at.group, at.coord, at.coord, self.path, side, message);
        c.head_line = at.head;
        c.base_line = at.base;
        self.changes.push(c);
    }

    pub fn schema(&mut self, base: &Schema, head: &Schema) {
        self.roots(base, head);
        self.usages(
            &base.schema_directives,
            &head.schema_directives,
            At { group: "schema", coord: "schema", head: Some(head.schema_line.max(1)), base: None },
            "the schema",
        );
        self.directives(base, head);
        for (name, bt) in &base.types {
            if is_built_in(name) {
                continue;
            }
            match head.types.get(name) {
                None => self.push(
                    &TYPE_REMOVED,
                    At { group: name, coord: name, head: None, base: Some(bt.line) },
                    format!("{} `{name}` was removed", bt.kind.name()),
                ),
                Some(ht) if ht.kind != bt.kind => self.push(
                    &TYPE_KIND_CHANGED,
                    At { group: name, coord: name, head: Some(ht.line), base: None },
                    format!("`{name}` changed from {} to {}", bt.kind.name(), ht.kind.name()),
                ),
                Some(ht) => self.ty(name, bt, ht),
            }
        }
        for (name, ht) in &head.types {
            if !base.types.contains_key(name) && !is_built_in(name) {
                self.push(
                    &TYPE_ADDED,
                    At { group: name, coord: name, head: Some(ht.line), base: None },
                    format!("{} `{name}` was added", ht.kind.name()),
                );
            }
        }
    }

    fn roots(&mut self, base: &Schema, head: &Schema) {
        for (i, op) in OPERATIONS.iter().enumerate() {
            let coord = format!("schema.{op}");
            let at = |line| At { group: "schema", coord: &coord, head: line, base: None };
            match (&base.roots[i], &head.roots[i]) {
                (Some((b, _)), Some((h, line))) if b != h => self.push(
                    &ROOT_TYPE_CHANGED,
                    at(Some(*line)),
                    format!("the {op} root type changed from `{b}` to `{h}`"),
                ),
                (Some((b, bl)), None) => self.push(
                    &ROOT_TYPE_CHANGED,
                    At { base: Some(*bl), ..at(None) },
                    format!("the {op} root type `{b}` was removed: the schema no longer accepts {op} operations"),
                ),
                (None, Some((h, line))) => {
                    self.push(&ROOT_TYPE_ADDED, at(Some(*line)), format!("the {op} root type `{h}` was added"))
                }
                _ => {}
            }
        }
    }

    fn directives(&mut self, base: &Schema, head: &Schema) {
        for (name, bd) in &base.directives {
            if BUILT_IN_DIRECTIVES.contains(&name.as_str()) {
                continue;
            }
            let group = format!("@{name}");
            let Some(hd) = head.directives.get(name) else {
                self.push(
                    &DIRECTIVE_REMOVED,
                    At { group: &group, coord: &group, head: None, base: Some(bd.line) },
                    format!("directive `@{name}` was removed"),
                );
                continue;
            };
            let at = At { group: &group, coord: &group, head: Some(hd.line), base: None };
            self.description(&bd.description, &hd.description, at, &format!("directive `@{name}`"));
            if bd.repeatable && !hd.repeatable {
                self.push(
                    &DIRECTIVE_REPEATABLE_REMOVED,
                    at,
                    format!("directive `@{name}` is no longer `repeatable`: places that apply it twice become invalid"),
                );
            } else if !bd.repeatable && hd.repeatable {
                self.push(&DIRECTIVE_REPEATABLE_ADDED, at, format!("directive `@{name}` became `repeatable`"));
            }
            for l in bd.locations.difference(&hd.locations) {
                self.push(
                    &DIRECTIVE_LOCATION_REMOVED,
                    at,
                    format!("directive `@{name}` can no longer be used on `{l}`"),
                );
            }
            for l in hd.locations.difference(&bd.locations) {
                self.push(&DIRECTIVE_LOCATION_ADDED, at, format!("directive `@{name}` can now be used on `{l}`"));
            }
            self.arguments(&group, &group, &bd.args, &hd.args, hd.line, true);
        }
        for (name, hd) in &head.directives {
            if !base.directives.contains_key(name) && !BUILT_IN_DIRECTIVES.contains(&name.as_str()) {
                let group = format!("@{name}");
                self.push(
                    &DIRECTIVE_ADDED,
                    At { group: &group, coord: &group, head: Some(hd.line), base: None },
                    format!("directive `@{name}` was added"),
                );
            }
        }
    }

    fn description(&mut self, b: &Option<String>, h: &Option<String>, at: At<'_>, what: &str) {
        let msg = match (b, h) {
            (None, Some(_)) => format!("description of {what} was added"),
            (Some(_), None) => format!("description of {what} was removed"),
            (Some(b), Some(h)) if b != h => format!("description of {what} changed"),
            _ => return,
        };
        self.push(&DESCRIPTION_CHANGED, at, msg);
    }

    fn deprecation(&mut self, b: &Option<String>, h: &Option<String>, at: At<'_>, what: &str) {
        match (b, h) {
            (None, Some(r)) => self.push(&DEPRECATION_ADDED, at, format!("{what} was deprecated: {r}")),
            (Some(_), None) => self.push(&DEPRECATION_REMOVED, at, format!("{what} is no longer deprecated")),
            (Some(b), Some(h)) if b != h => self.push(
                &DEPRECATION_REASON_CHANGED,
                at,
                format!("deprecation reason of {what} changed from {b:?} to {h:?}"),
            ),
            _ => {}
        }
    }

    /// Applied directives on one element (other than `@deprecated`, which is a deprecation).
    /// Equal applications pair up first; the rest pair in order by name, so removing the middle
    /// one of three `@key`s is one removal.
    fn usages(&mut self, base: &[Applied], head: &[Applied], at: At<'_>, what: &str) {
        let keep = |d: &&Applied| d.name != "deprecated";
        let mut b: Vec<&Applied> = base.iter().filter(keep).collect();
        let mut h: Vec<&Applied> = head.iter().filter(keep).collect();
        b.retain(|x| match h.iter().position(|y| y.name == x.name && y.args == x.args) {
            Some(i) => {
                h.remove(i);
                false
            }
            None => true,
        });
        let mut names: Vec<&str> = b.iter().chain(&h).map(|d| d.name.as_str()).collect();
        names.sort();
        names.dedup();
        for name in names {
            let bs: Vec<&&Applied> = b.iter().filter(|d| d.name == name).collect();
            let hs: Vec<&&Applied> = h.iter().filter(|d| d.name == name).collect();
            let coord = format!("{} @{name}", at.coord);
            for (x, y) in bs.iter().zip(&hs) {
                let here = At { coord: &coord, head: Some(y.line), ..at };
                let changed = x.args.iter().any(|(k, v)| y.args.get(k) != Some(v));
                let (rule, how) = if changed {
                    (&DIRECTIVE_USAGE_ARGUMENT_CHANGED, "changed arguments")
                } else {
                    (&DIRECTIVE_USAGE_ARGUMENT_ADDED, "gained arguments")
                };
                self.push(
                    rule,
                    here,
                    format!("`@{name}` on {what} {how}: {} → {}", show_args(&x.args), show_args(&y.args)),
                );
            }
            for x in bs.iter().skip(hs.len()) {
                let (rule, msg) = if name == "oneOf" {
                    (&ONEOF_REMOVED, format!("{what} is no longer `@oneOf`: clients may send several fields"))
                } else {
                    (&DIRECTIVE_USAGE_REMOVED, format!("`@{name}` was removed from {what}"))
                };
                self.push(
                    rule,
                    At { coord: if name == "oneOf" { at.coord } else { &coord }, base: Some(x.line), ..at },
                    msg,
                );
            }
            for y in hs.iter().skip(bs.len()) {
                let (rule, msg) = if name == "oneOf" {
                    (
                        &ONEOF_ADDED,
                        format!("{what} became `@oneOf`: clients that send no field or more than one now fail"),
                    )
                } else {
                    (&DIRECTIVE_USAGE_ADDED, format!("`@{name}` was applied to {what}"))
                };
                self.push(
                    rule,
                    At { coord: if name == "oneOf" { at.coord } else { &coord }, head: Some(y.line), ..at },
                    msg,
                );
            }
        }
    }

    fn ty(&mut self, name: &str, bt: &super::model::Type, ht: &super::model::Type) {
        let at = At { group: name, coord: name, head: Some(ht.line), base: None };
        let what = format!("{} `{name}`", ht.kind.name());
        self.description(&bt.description, &ht.description, at, &what);
        self.usages(&bt.directives, &ht.directives, at, &what);
        let sets = [
            (&bt.members, &ht.members, &UNION_MEMBER_REMOVED, &UNION_MEMBER_ADDED, "member"),
            (&bt.interfaces, &ht.interfaces, &INTERFACE_REMOVED, &INTERFACE_ADDED, "interface"),
        ];
        for (b, h, removed, added, noun) in sets {
            for (m, line) in b {
                if !h.contains_key(m) {
                    let coord = format!("{name}.{m}");
                    let msg = if noun == "member" {
                        format!("`{m}` is no longer a member of union `{name}`: fragments on it stop matching")
                    } else {
                        format!("`{name}` no longer implements `{m}`: fragments on `{m}` stop matching it")
                    };
                    self.push(removed, At { coord: &coord, base: Some(*line), ..at }, msg);
                }
            }
            for (m, line) in h {
                if !b.contains_key(m) {
                    let coord = format!("{name}.{m}");
                    let msg = if noun == "member" {
                        format!(
                            "`{m}` was added to union `{name}`: clients that switch on `__typename` meet a new type"
                        )
                    } else {
                        format!(
                            "`{name}` now implements `{m}`: clients that switch on `__typename` for `{m}` meet a new type"
                        )
                    };
                    self.push(added, At { coord: &coord, head: Some(*line), ..at }, msg);
                }
            }
        }
        match ht.kind {
            Kind::Object | Kind::Interface => self.fields(name, &bt.fields, &ht.fields, ht.line),
            Kind::Input => self.input_fields(name, &bt.inputs, &ht.inputs, ht.line),
            Kind::Enum => self.values(name, bt, ht),
            Kind::Scalar | Kind::Union => {}
        }
    }

    fn values(&mut self, name: &str, bt: &super::model::Type, ht: &super::model::Type) {
        for (v, bv) in &bt.values {
            let coord = format!("{name}.{v}");
            let Some(hv) = ht.values.get(v) else {
                let was = if bv.deprecated.is_some() { " (it was deprecated)" } else { "" };
                self.push(
                    &ENUM_VALUE_REMOVED,
                    At { group: name, coord: &coord, head: Some(ht.line), base: Some(bv.line) },
                    format!("enum value `{coord}` was removed{was}"),
                );
                continue;
            };
            let at = At { group: name, coord: &coord, head: Some(hv.line), base: None };
            let what = format!("enum value `{coord}`");
            self.description(&bv.description, &hv.description, at, &what);
            self.deprecation(&bv.deprecated, &hv.deprecated, at, &what);
            self.usages(&bv.directives, &hv.directives, at, &what);
        }
        for (v, hv) in &ht.values {
            if !bt.values.contains_key(v) {
                let coord = format!("{name}.{v}");
                self.push(
                    &ENUM_VALUE_ADDED,
                    At { group: name, coord: &coord, head: Some(hv.line), base: None },
                    format!(
                        "enum value `{coord}` was added: clients that match every value of `{name}` meet a new one"
                    ),
                );
            }
        }
    }

    fn fields(&mut self, name: &str, b: &BTreeMap<String, Field>, h: &BTreeMap<String, Field>, head_line: u32) {
        for (f, bf) in b {
            let coord = format!("{name}.{f}");
            let Some(hf) = h.get(f) else {
                let was = if bf.deprecated.is_some() { " (it was deprecated)" } else { "" };
                self.push(
                    &FIELD_REMOVED,
                    At { group: name, coord: &coord, head: Some(head_line), base: Some(bf.line) },
                    format!("field `{coord}` was removed{was}"),
                );
                continue;
            };
            let at = At { group: name, coord: &coord, head: Some(hf.line), base: None };
            let what = format!("field `{coord}`");
            if bf.ty != hf.ty {
                let safe = same_named(&bf.ty, &hf.ty) && safe_output(&bf.ty.wrappers, &hf.ty.wrappers);
                let rule = if safe { &TYPE_CHANGED_SAFELY } else { &FIELD_TYPE_CHANGED };
                self.push(rule, at, format!("{what} changed type from `{}` to `{}`", bf.ty, hf.ty));
            }
            self.description(&bf.description, &hf.description, at, &what);
            self.deprecation(&bf.deprecated, &hf.deprecated, at, &what);
            self.usages(&bf.directives, &hf.directives, at, &what);
            self.arguments(name, &coord, &bf.args, &hf.args, hf.line, false);
        }
        for (f, hf) in h {
            if !b.contains_key(f) {
                let coord = format!("{name}.{f}");
                self.push(
                    &FIELD_ADDED,
                    At { group: name, coord: &coord, head: Some(hf.line), base: None },
                    format!("field `{coord}: {}` was added", hf.ty),
                );
            }
        }
    }

    /// Arguments of a field (`of` = `Type.field`) or of a directive definition (`of` = `@name`).
    fn arguments(
        &mut self,
        group: &str,
        of: &str,
        b: &BTreeMap<String, InputValue>,
        h: &BTreeMap<String, InputValue>,
        head_line: u32,
        directive: bool,
    ) {
        let (removed, type_changed, default_changed) = if directive {
            (&DIRECTIVE_ARGUMENT_REMOVED, &DIRECTIVE_ARGUMENT_TYPE_CHANGED, &DIRECTIVE_ARGUMENT_DEFAULT_CHANGED)
        } else {
            (&ARGUMENT_REMOVED, &ARGUMENT_TYPE_CHANGED, &ARGUMENT_DEFAULT_CHANGED)
        };
        for (a, ba) in b {
            let coord = format!("{of}({a}:)");
            let Some(ha) = h.get(a) else {
                self.push(
                    removed,
                    At { group, coord: &coord, head: Some(head_line), base: Some(ba.line) },
                    format!("argument `{coord}` was removed"),
                );
                continue;
            };
            let at = At { group, coord: &coord, head: Some(ha.line), base: None };
            let what = format!("argument `{coord}`");
            if ba.ty != ha.ty {
                let safe = same_named(&ba.ty, &ha.ty) && safe_input(&ba.ty.wrappers, &ha.ty.wrappers);
                let rule = if safe { &TYPE_CHANGED_SAFELY } else { type_changed };
                self.push(rule, at, format!("{what} changed type from `{}` to `{}`", ba.ty, ha.ty));
            }
            if ba.default != ha.default {
                self.push(
                    default_changed,
                    at,
                    format!("default of {what} changed from {} to {}", show(&ba.default), show(&ha.default)),
                );
            }
            self.description(&ba.description, &ha.description, at, &what);
            self.deprecation(&ba.deprecated, &ha.deprecated, at, &what);
            if !directive {
                self.usages(&ba.directives, &ha.directives, at, &what);
            }
        }
        for (a, ha) in h {
            if b.contains_key(a) {
                continue;
            }
            let coord = format!("{of}({a}:)");
            let at = At { group, coord: &coord, head: Some(ha.line), base: None };
            let (rule, msg) = match (ha.required(), directive) {
                (true, false) => (&REQUIRED_ARGUMENT_ADDED, "clients must now send it"),
                (false, false) => (&OPTIONAL_ARGUMENT_ADDED, "optional, but servers and caches see requests change"),
                (true, true) => (&REQUIRED_DIRECTIVE_ARGUMENT_ADDED, "every use of the directive must now give it"),
                (false, true) => (&OPTIONAL_DIRECTIVE_ARGUMENT_ADDED, "optional"),
            };
            self.push(rule, at, format!("argument `{coord}: {}` was added ({msg})", ha.ty));
        }
    }

    fn input_fields(
        &mut self,
        name: &str,
        b: &BTreeMap<String, InputValue>,
        h: &BTreeMap<String, InputValue>,
        head_line: u32,
    ) {
        for (f, bf) in b {
            let coord = format!("{name}.{f}");
            let Some(hf) = h.get(f) else {
                let was = if bf.deprecated.is_some() { " (it was deprecated)" } else { "" };
                self.push(
                    &INPUT_FIELD_REMOVED,
                    At { group: name, coord: &coord, head: Some(head_line), base: Some(bf.line) },
                    format!("input field `{coord}` was removed{was}: clients that send it now fail"),
                );
                continue;
            };
            let at = At { group: name, coord: &coord, head: Some(hf.line), base: None };
            let what = format!("input field `{coord}`");
            if bf.ty != hf.ty {
                let safe = same_named(&bf.ty, &hf.ty) && safe_input(&bf.ty.wrappers, &hf.ty.wrappers);
                let rule = if safe { &TYPE_CHANGED_SAFELY } else { &INPUT_FIELD_TYPE_CHANGED };
                self.push(rule, at, format!("{what} changed type from `{}` to `{}`", bf.ty, hf.ty));
            }
            if bf.default != hf.default {
                self.push(
                    &INPUT_FIELD_DEFAULT_CHANGED,
                    at,
                    format!("default of {what} changed from {} to {}", show(&bf.default), show(&hf.default)),
                );
            }
            self.description(&bf.description, &hf.description, at, &what);
            self.deprecation(&bf.deprecated, &hf.deprecated, at, &what);
            self.usages(&bf.directives, &hf.directives, at, &what);
        }
        for (f, hf) in h {
            if b.contains_key(f) {
                continue;
            }
            let coord = format!("{name}.{f}");
            let at = At { group: name, coord: &coord, head: Some(hf.line), base: None };
            let (rule, msg) = if hf.required() {
                (&REQUIRED_INPUT_FIELD_ADDED, "clients that do not send it now fail".to_string())
            } else if let Some(d) = &hf.default {
                (&INPUT_FIELD_ADDED_WITH_DEFAULT, format!("clients that omit it now send {d}"))
            } else {
                (&OPTIONAL_INPUT_FIELD_ADDED, "optional".to_string())
            };
            self.push(rule, at, format!("input field `{coord}: {}` was added ({msg})", hf.ty));
        }
    }
}

fn is_built_in(name: &str) -> bool {
    BUILT_IN_SCALARS.contains(&name) || name.starts_with("__")
}

fn show(v: &Option<super::model::Value>) -> String {
    v.as_ref().map(|v| format!("`{v}`")).unwrap_or_else(|| "none".into())
}

fn show_args(args: &BTreeMap<String, super::model::Value>) -> String {
    if args.is_empty() {
        return "()".into();
    }
    let inner: Vec<String> = args.iter().map(|(k, v)| format!("{k}: {v}")).collect();
    format!("({})", inner.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn w(s: &str) -> Vec<WrappingType> {
        let doc = format!("type Q {{ f: {s} }}");
        let s = super::super::model::parse(&doc).unwrap();
        s.types["Q"].fields["f"].ty.wrappers.clone()
    }

    #[test]
    fn nullability_follows_variance() {
        assert!(safe_output(&w("String"), &w("String!")));
        assert!(!safe_output(&w("String!"), &w("String")));
        assert!(safe_output(&w("[Int]"), &w("[Int!]!")));
        assert!(!safe_output(&w("[Int]"), &w("Int")));
        assert!(!safe_output(&w("Int"), &w("[Int]")));
        assert!(safe_input(&w("String!"), &w("String")));
        assert!(safe_input(&w("[Int!]!"), &w("[Int]")));
        assert!(!safe_input(&w("String"), &w("String!")));
        assert!(!safe_input(&w("[Int]"), &w("[Int!]")));
    }
}
