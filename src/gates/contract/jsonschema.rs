//! JSON Schema (draft-04, 06, 07, 2019-09, 2020-12 by `$schema`) with Confluent Schema
//! Registry's compatibility modes: `backward` (the revision reads data written under the base:
//! narrowing breaks), `forward` (the base reads data written under the revision: widening
//! breaks), `full` (both), and their `_transitive` forms (against every earlier version in the
//! history). `policy` is the registry's `strict` (default) or `lenient` set of compatible
//! difference types. The comparison itself is the shared engine ([`super::schema`]).

use super::docs::Docs;
use super::openapi::schema_slug;
use super::schema::view::Dialect;
use super::schema::{Doc, Effect, Engine, Flow, Kind, Model, SchemaChange};
use super::{Compared, Compatibility, ContractRule, Level, Policy, Side, change};

pub const SCHEMA_DELETED: ContractRule =
    ContractRule::new("contract.jsonschema.schema-deleted", Level::Breaking, "A schema file was deleted.");
pub const FORMAT_CHANGED: ContractRule = ContractRule::new(
    "contract.jsonschema.format-changed",
    Level::Info,
    "A `format` changed (an annotation; the registry does not compare it).",
);

/// The JSON Schema rules that do not come from a schema slug (see [`super::rules`]).
pub const RULES: &[&ContractRule] = &[&SCHEMA_DELETED, &FORMAT_CHANGED];

/// The registry's name for a change read backward (`forward == false`) or forward, and whether
/// it is compatible under `lenient` (`strict` when false).
pub fn registry(c: &SchemaChange, forward: bool, lenient: bool) -> (&'static str, bool) {
    use Effect::*;
    let e = c.effect;
    // Seen from the reader: in `forward` the base reads, so narrowing and widening swap.
    let narrows = if forward { e.widens() } else { e.narrows() };
    let widens = if forward { e.narrows() } else { e.widens() };
    let strict_only = |name, ok_lenient: bool| (name, ok_lenient && lenient);
    match c.kind {
        Kind::Format => ("FORMAT_CHANGED (annotation)", true),
        Kind::Default => ("DEFAULT_CHANGED", true),
        Kind::Discriminator => ("DESCRIPTION_CHANGED", true),
        Kind::Type | Kind::Content => match (narrows, widens) {
            (true, true) => ("TYPE_CHANGED", false),
            (true, false) => ("TYPE_NARROWED", false),
            _ => ("TYPE_EXTENDED", true),
        },
        Kind::EnumValues | Kind::EnumRestriction | Kind::ExtensibleEnum => {
            if narrows {
                ("ENUM_ARRAY_NARROWED", false)
            } else {
                ("ENUM_ARRAY_EXTENDED", true)
            }
        }
        Kind::ConstChanged => ("ENUM_ARRAY_CHANGED", false),
        Kind::Pattern => ("PATTERN_CHANGED", false),
        Kind::Constraint | Kind::Dependency => {
            if e == Neutral || !narrows {
                ("…_REMOVED/INCREASED/DECREASED (relaxed)", true)
            } else {
                ("…_ADDED/INCREASED/DECREASED (tightened)", false)
            }
        }
        Kind::MadeRequired { with_default } => {
            if forward {
                ("REQUIRED_ATTRIBUTE_REMOVED", true)
            } else if with_default {
                ("REQUIRED_ATTRIBUTE_WITH_DEFAULT_ADDED", true)
            } else {
                ("REQUIRED_ATTRIBUTE_ADDED", false)
            }
        }
        Kind::MadeOptional => {
            if forward {
                ("REQUIRED_ATTRIBUTE_ADDED", false)
            } else {
                ("REQUIRED_ATTRIBUTE_REMOVED", true)
            }
        }
        Kind::PropertyAdded { required, with_default, model, empty } => {
            if forward {
                // The old (base) schema meets a property it did not list.
                match model {
                    Model::Open => ("PROPERTY_REMOVED_FROM_OPEN_CONTENT_MODEL", true),
                    Model::Closed => strict_only("PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL", true),
                    Model::Partial { .. } if !narrows => {
                        ("PROPERTY_REMOVED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL", true)
                    }
                    Model::Partial { .. } => {
                        strict_only("PROPERTY_REMOVED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL", true)
                    }
                }
            } else {
                match (model, required) {
                    (Model::Open, _) if empty && !required => {
                        ("PROPERTY_WITH_EMPTY_SCHEMA_ADDED_TO_OPEN_CONTENT_MODEL", true)
                    }
                    (Model::Open, true) if with_default => {
                        strict_only("REQUIRED_PROPERTY_WITH_DEFAULT_ADDED_TO_OPEN_CONTENT_MODEL", true)
                    }
                    (Model::Open, true) => ("REQUIRED_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL", false),
                    (Model::Open, false) => strict_only("OPTIONAL_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL", true),
                    (_, true) if with_default => ("REQUIRED_PROPERTY_WITH_DEFAULT_ADDED_TO_UNOPEN_CONTENT_MODEL", true),
                    (_, true) => ("REQUIRED_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL", false),
                    (Model::Partial { covered: false }, false) => {
                        strict_only("PROPERTY_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL", true)
                    }
                    (Model::Partial { covered: true }, false) => {
                        ("PROPERTY_ADDED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL", true)
                    }
                    (_, false) => ("OPTIONAL_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL", true),
                }
            }
        }
        Kind::PropertyRemoved { required, model, was_false } => {
            if forward {
                // The old schema lists a property new data may now carry anything under.
                match model {
                    Model::Open if required => ("REQUIRED_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL", false),
                    Model::Open => strict_only("OPTIONAL_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL", true),
                    _ if required => ("REQUIRED_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL", false),
                    _ => ("OPTIONAL_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL", true),
                }
            } else {
                match model {
                    Model::Open => ("PROPERTY_REMOVED_FROM_OPEN_CONTENT_MODEL", true),
                    Model::Closed if was_false => ("PROPERTY_WITH_FALSE_REMOVED_FROM_CLOSED_CONTENT_MODEL", true),
                    Model::Closed => strict_only("PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL", true),
                    Model::Partial { covered: true } => {
                        ("PROPERTY_REMOVED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL", true)
                    }
                    Model::Partial { covered: false } => {
                        strict_only("PROPERTY_REMOVED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL", true)
                    }
                }
            }
        }
        Kind::AdditionalProperties => {
            if narrows {
                strict_only("ADDITIONAL_PROPERTIES_NARROWED/REMOVED", true)
            } else {
                ("ADDITIONAL_PROPERTIES_EXTENDED/ADDED", true)
            }
        }
        Kind::Tuple { .. } => {
            if narrows {
                ("ITEM_ADDED/REMOVED_… (narrowing)", false)
            } else {
                ("ITEM_ADDED/REMOVED_… (widening)", true)
            }
        }
        Kind::Alternatives => {
            if narrows {
                ("SUM_TYPE_NARROWED / COMBINED_TYPE_CHANGED", false)
            } else {
                ("SUM_TYPE_EXTENDED / COMBINED_TYPE_EXTENDED", true)
            }
        }
        Kind::AllOfMember => {
            if narrows {
                ("PRODUCT_TYPE_EXTENDED", false)
            } else {
                ("PRODUCT_TYPE_NARROWED", true)
            }
        }
    }
}

fn dialect(docs: &Docs) -> Dialect {
    Dialect::of_document(docs.root().map(|r| r.node))
}

/// The changelog group of a pointer: the property it sits under, or `(root)`.
fn group_of(ptr: &str) -> String {
    let segs: Vec<&str> = ptr.split('/').collect();
    let last = segs.iter().rposition(|s| *s == "properties").filter(|i| i + 1 < segs.len());
    match last {
        Some(i) => segs[..i + 2].join("/"),
        None => "(root)".into(),
    }
}

/// Compares base and head documents of one schema under `compat` and `policy`.
pub fn compare_docs(
    base: &Docs,
    head: &Docs,
    compat: Compatibility,
    policy: Policy,
    label: Option<&str>,
    out: &mut Compared,
) {
    let (Some(b), Some(h)) = (base.root(), head.root()) else { return };
    let mut e = Engine::new(Doc { docs: base, dialect: dialect(base) }, Doc { docs: head, dialect: dialect(head) });
    let pair = e.compare(b, h, Flow::Data);
    let lenient = policy == Policy::Lenient;
    let found: Vec<SchemaChange> = e.collect(pair).into_iter().cloned().collect();
    for sc in found {
        let (bw_name, bw_ok) = registry(&sc, false, lenient);
        let (fw_name, fw_ok) = registry(&sc, true, lenient);
        let forward = compat.forward() && !compat.backward();
        let breaks = (compat.backward() && !bw_ok) || (compat.forward() && !fw_ok);
        let rule = if sc.kind == Kind::Format {
            &FORMAT_CHANGED
        } else {
            schema_slug(sc.kind, sc.effect, !forward).jsonschema()
        };
        let name = if compat.backward() && !bw_ok || !compat.forward() { bw_name } else { fw_name };
        let mut what = format!("{} [{name}]", sc.what);
        if let Some(l) = label {
            what = format!("{what} (against {l})");
        }
        let mut c = change(rule, &group_of(&sc.ptr), &sc.ptr, &sc.ptr, &sc.file, sc.side, what);
        c.level = if breaks {
            Level::Breaking
        } else if sc.kind == Kind::Pattern || sc.effect == Effect::Unknown {
            Level::Warning
        } else {
            Level::Info
        };
        let (bd, hd) = (base.files.get(&sc.file), head.files.get(&sc.file));
        match sc.side {
            Side::Head => c.head_line = hd.map(|d| d.line_of(&sc.ptr).0),
            Side::Base => {
                c.base_line = bd.map(|d| d.line_of(&sc.ptr).0);
                c.head_line = hd.map(|d| d.line_of(&sc.ptr).0);
            }
        }
        out.changes.push(c);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups() {
        assert_eq!(group_of("/properties/a/properties/b/type"), "/properties/a/properties/b");
        assert_eq!(group_of("/type"), "(root)");
    }
}
