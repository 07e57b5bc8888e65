//! JSON Schema (draft 7 and 2020-12): backward compatibility (data valid under the base schema
//! stays valid under head: no narrowing) and forward compatibility (the reverse: no widening).

use super::schema::{Differ, Kind};
use super::{Compared, Compatibility, ContractRule, Input, Level, Side, change};
use crate::gate::Context;

/// (rule id, default level for `backward`, summary). The level follows `compatibility`:
/// narrowing rules break `backward`, widening rules break `forward`, both break `full`.
pub const SCHEMA_DELETED: ContractRule =
    ContractRule::new("contract.jsonschema.schema-deleted", Level::Breaking, "A schema file was deleted.");
pub const REQUIRED_PROPERTY_ADDED: ContractRule = ContractRule::new(
    "contract.jsonschema.required-property-added",
    Level::Breaking,
    "A new required property: data without it is rejected (narrowing).",
);
pub const PROPERTY_MADE_REQUIRED: ContractRule = ContractRule::new(
    "contract.jsonschema.property-made-required",
    Level::Breaking,
    "An optional property became required (narrowing).",
);
pub const PROPERTY_REMOVED: ContractRule = ContractRule::new(
    "contract.jsonschema.property-removed",
    Level::Breaking,
    "A property was removed from an object with `additionalProperties: false`: data that has it is rejected (narrowing).",
);
pub const TYPE_NARROWED: ContractRule = ContractRule::new(
    "contract.jsonschema.type-narrowed",
    Level::Breaking,
    "A type or format accepts fewer values (narrowing).",
);
pub const TYPE_CHANGED: ContractRule = ContractRule::new(
    "contract.jsonschema.type-changed",
    Level::Breaking,
    "A type changed to an unrelated one (narrowing and widening).",
);
pub const ENUM_VALUE_REMOVED: ContractRule = ContractRule::new(
    "contract.jsonschema.enum-value-removed",
    Level::Breaking,
    "An enum value was removed (narrowing).",
);
pub const CONSTRAINT_TIGHTENED: ContractRule = ContractRule::new(
    "contract.jsonschema.constraint-tightened",
    Level::Breaking,
    "A max/min/length/pattern/enum constraint got stricter (narrowing).",
);
pub const PROPERTY_ADDED: ContractRule =
    ContractRule::new("contract.jsonschema.property-added", Level::Info, "An optional property was added.");
pub const PROPERTY_DROPPED: ContractRule = ContractRule::new(
    "contract.jsonschema.property-dropped",
    Level::Info,
    "A property was removed from an open object (still accepted as an additional property).",
);
pub const PROPERTY_MADE_OPTIONAL: ContractRule = ContractRule::new(
    "contract.jsonschema.property-made-optional",
    Level::Info,
    "A required property became optional (widening; breaks `forward`).",
);
pub const TYPE_WIDENED: ContractRule = ContractRule::new(
    "contract.jsonschema.type-widened",
    Level::Info,
    "A type or format accepts more values (widening; breaks `forward`).",
);
pub const ENUM_VALUE_ADDED: ContractRule = ContractRule::new(
    "contract.jsonschema.enum-value-added",
    Level::Info,
    "An enum value was added (widening; breaks `forward`).",
);
pub const CONSTRAINT_LOOSENED: ContractRule = ContractRule::new(
    "contract.jsonschema.constraint-loosened",
    Level::Info,
    "A constraint got looser (widening; breaks `forward`).",
);
pub const DEFAULT_CHANGED: ContractRule =
    ContractRule::new("contract.jsonschema.default-changed", Level::Warning, "A `default` changed.");

/// Every rule of this contract kind.
pub const RULES: &[&ContractRule] = &[
    &SCHEMA_DELETED,
    &REQUIRED_PROPERTY_ADDED,
    &PROPERTY_MADE_REQUIRED,
    &PROPERTY_REMOVED,
    &TYPE_NARROWED,
    &TYPE_CHANGED,
    &ENUM_VALUE_REMOVED,
    &CONSTRAINT_TIGHTENED,
    &PROPERTY_ADDED,
    &PROPERTY_DROPPED,
    &PROPERTY_MADE_OPTIONAL,
    &TYPE_WIDENED,
    &ENUM_VALUE_ADDED,
    &CONSTRAINT_LOOSENED,
    &DEFAULT_CHANGED,
];

/// (rule, narrows, widens) for a schema change.
fn rule(kind: Kind) -> (&'static ContractRule, bool, bool) {
    match kind {
        Kind::PropAdded { required: true } => (&REQUIRED_PROPERTY_ADDED, true, false),
        Kind::PropAdded { required: false } => (&PROPERTY_ADDED, false, false),
        Kind::PropRemoved { closed: true } => (&PROPERTY_REMOVED, true, false),
        Kind::PropRemoved { closed: false } => (&PROPERTY_DROPPED, false, false),
        Kind::MadeRequired => (&PROPERTY_MADE_REQUIRED, true, false),
        Kind::MadeOptional => (&PROPERTY_MADE_OPTIONAL, false, true),
        Kind::Type { narrows: true, widens: true } => (&TYPE_CHANGED, true, true),
        Kind::Type { narrows: true, .. } => (&TYPE_NARROWED, true, false),
        Kind::Type { .. } => (&TYPE_WIDENED, false, true),
        Kind::EnumRemoved => (&ENUM_VALUE_REMOVED, true, false),
        Kind::EnumAdded => (&ENUM_VALUE_ADDED, false, true),
        Kind::Tightened => (&CONSTRAINT_TIGHTENED, true, false),
        Kind::Loosened => (&CONSTRAINT_LOOSENED, false, true),
        Kind::DefaultChanged => (&DEFAULT_CHANGED, false, false),
    }
}

fn level(narrows: bool, widens: bool, compat: Compatibility, default: Level) -> Level {
    let breaks = match compat {
        Compatibility::Backward => narrows,
        Compatibility::Forward => widens,
        Compatibility::Full => narrows || widens,
    };
    if breaks {
        Level::Breaking
    } else if narrows || widens {
        Level::Info
    } else {
        default
    }
}

/// The changelog group of a pointer: the property it sits under (`/properties/address`), or `(root)`.
fn group_of(ptr: &str) -> String {
    let segs: Vec<&str> = ptr.split('/').collect();
    let last = segs.iter().rposition(|s| *s == "properties").filter(|i| i + 1 < segs.len());
    match last {
        Some(i) => segs[..i + 2].join("/"),
        None => "(root)".into(),
    }
}

pub fn compare(cx: &Context<'_>, input: &Input<'_>) -> Option<Compared> {
    let mut out = Compared {
        kind: "jsonschema",
        path: input.path.to_string(),
        changes: Vec::new(),
        problems: Vec::new(),
        versions: None,
    };
    let (base, head) = super::load_sides(cx, input, &mut out)?;
    let (Some(b), Some(h)) = (base.root(), head.root()) else {
        // Added or deleted schema: nothing to be compatible with, or every consumer loses it.
        if input.base.is_some() && input.head.is_none() {
            let c =
                change(&SCHEMA_DELETED, "(root)", "", "", input.path, Side::Base, "the schema file was deleted".into());
            out.changes.push(c);
        }
        return Some(out);
    };
    let mut differ = Differ::new(&base, &head);
    for sc in differ.diff(b, h).iter() {
        let (rule, narrows, widens) = rule(sc.kind);
        let mut c = change(rule, &group_of(&sc.ptr), &sc.ptr, &sc.ptr, &sc.file, sc.side, sc.what.clone());
        c.level = level(narrows, widens, input.compat, rule.level);
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
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_follow_compatibility() {
        assert_eq!(level(true, false, Compatibility::Backward, Level::Info), Level::Breaking);
        assert_eq!(level(true, false, Compatibility::Forward, Level::Info), Level::Info);
        assert_eq!(level(false, true, Compatibility::Forward, Level::Info), Level::Breaking);
        assert_eq!(level(false, true, Compatibility::Full, Level::Info), Level::Breaking);
        assert_eq!(level(false, false, Compatibility::Full, Level::Warning), Level::Warning);
    }

    #[test]
    fn groups() {
        assert_eq!(group_of("/properties/a/properties/b/type"), "/properties/a/properties/b");
        assert_eq!(group_of("/type"), "(root)");
        assert_eq!(group_of("/$defs/x/properties/y"), "/$defs/x/properties/y");
    }
}
