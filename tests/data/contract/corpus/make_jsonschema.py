#!/usr/bin/env python3
"""Writes the labelled JSON Schema corpus (jsonschema/NNN-name.yaml). Labels follow the JSON Schema
specification (draft-04 … 2020-12) and Confluent Schema Registry's documented compatibility
rules: `backward` = the revision (reader) accepts everything the base (writer) accepted,
`forward` = the reverse, `full` = both; `strict` and `lenient` are the registry's two sets of
compatible difference types (named in `source`). Edit here and re-run; the YAML is data."""
import os, sys, yaml

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "jsonschema")
pairs = []
D7 = "http://json-schema.org/draft-07/schema#"
D4 = "http://json-schema.org/draft-04/schema#"
D6 = "http://json-schema.org/draft-06/schema#"
D19 = "https://json-schema.org/draft/2019-09/schema"
D20 = "https://json-schema.org/draft/2020-12/schema"

def add(name, label, rules, b, r, source, mode="backward", policy="strict", draft=D7, note=None):
    if isinstance(b, dict) and draft and "$schema" not in b:
        b = dict({"$schema": draft}, **b)
    if isinstance(r, dict) and draft and "$schema" not in r:
        r = dict({"$schema": draft}, **r)
    pairs.append((name, label, rules, b, r, source, mode, policy, note))

def kw(name, key, typ, lo, hi, upper, dtype="backward-narrowing", draft=D7, base_extra=None):
    """Pairs for a numeric keyword: added, removed, tightened, loosened."""
    t = dict({"type": typ}, **(base_extra or {}))
    tight, loose = (lo, hi) if upper else (hi, lo)
    U = key.upper()
    pre = {"maxLength": "MAX_LENGTH", "minLength": "MIN_LENGTH", "maximum": "MAXIMUM", "minimum": "MINIMUM",
           "exclusiveMaximum": "EXCLUSIVE_MAXIMUM", "exclusiveMinimum": "EXCLUSIVE_MINIMUM", "maxItems": "MAX_ITEMS",
           "minItems": "MIN_ITEMS", "maxProperties": "MAX_PROPERTIES", "minProperties": "MIN_PROPERTIES",
           "maxContains": "MAX_CONTAINS", "minContains": "MIN_CONTAINS"}[key]
    dec, inc = ("DECREASED", "INCREASED") if upper else ("INCREASED", "DECREASED")
    add(f"{name}-added", "breaking", ["constraint-tightened"], t, dict(t, **{key: tight}), f"{pre}_ADDED (incompatible)", draft=draft)
    add(f"{name}-removed", "compatible", [], dict(t, **{key: tight}), t, f"{pre}_REMOVED (compatible)", draft=draft)
    add(f"{name}-tightened", "breaking", ["constraint-tightened"], dict(t, **{key: loose}), dict(t, **{key: tight}), f"{pre}_{dec} (incompatible)", draft=draft)
    add(f"{name}-loosened", "compatible", [], dict(t, **{key: tight}), dict(t, **{key: loose}), f"{pre}_{inc} (compatible)", draft=draft)

S = {"type": "string"}; I = {"type": "integer"}; N = {"type": "number"}; B = {"type": "boolean"}

kw("max-length", "maxLength", "string", 10, 20, True)
kw("min-length", "minLength", "string", 2, 5, False)
kw("maximum", "maximum", "number", 10, 20, True)
kw("minimum", "minimum", "integer", 0, 5, False)
kw("exclusive-maximum", "exclusiveMaximum", "number", 10, 20, True)
kw("exclusive-minimum", "exclusiveMinimum", "number", 0, 5, False, draft=D20)
kw("max-items", "maxItems", "array", 3, 9, True)
kw("min-items", "minItems", "array", 1, 4, False)
kw("max-properties", "maxProperties", "object", 3, 9, True)
kw("min-properties", "minProperties", "object", 1, 4, False)
kw("max-contains", "maxContains", "array", 2, 5, True, draft=D20, base_extra={"contains": I})
kw("min-contains", "minContains", "array", 1, 3, False, draft=D20, base_extra={"contains": I})

# draft-04 boolean exclusive bounds
add("draft04-exclusive-maximum-true", "breaking", ["constraint-tightened"], {"type": "number", "maximum": 10}, {"type": "number", "maximum": 10, "exclusiveMaximum": True},
    "draft-04 §5.1.2: exclusiveMaximum true excludes 10 (EXCLUSIVE_MAXIMUM_ADDED)", draft=D4)
add("draft04-exclusive-minimum-false", "compatible", [], {"type": "number", "minimum": 0, "exclusiveMinimum": True}, {"type": "number", "minimum": 0},
    "draft-04: exclusiveMinimum dropped (EXCLUSIVE_MINIMUM_REMOVED)", draft=D4)
add("draft04-to-draft07-exclusive-migrated", "compatible", [], {"$schema": D4, "type": "number", "maximum": 10, "exclusiveMaximum": True},
    {"$schema": D7, "type": "number", "exclusiveMaximum": 10}, "the same bound written in draft-04 and draft-07", draft=None)
add("integer-exclusive-equivalent", "compatible", [], {"type": "number", "maximum": 10}, {"type": "number", "maximum": 10.0}, "10 and 10.0 are equal numbers")
add("big-integer-maximum-exact", "breaking", ["constraint-tightened"], {"type": "integer", "maximum": 9007199254740993}, {"type": "integer", "maximum": 9007199254740992},
    "integers above 2^53 compare exactly (MAXIMUM_DECREASED)")

# multipleOf by divisibility
add("multiple-of-added", "breaking", ["constraint-tightened"], I, dict(I, multipleOf=5), "MULTIPLE_OF_ADDED (incompatible)")
add("multiple-of-removed", "compatible", [], dict(I, multipleOf=5), I, "MULTIPLE_OF_REMOVED (compatible)")
add("multiple-of-expanded", "breaking", ["constraint-tightened"], dict(I, multipleOf=2), dict(I, multipleOf=6), "MULTIPLE_OF_EXPANDED: 6 is a multiple of 2 (incompatible)")
add("multiple-of-reduced", "compatible", [], dict(I, multipleOf=6), dict(I, multipleOf=3), "MULTIPLE_OF_REDUCED: 6 is a multiple of 3 (compatible)")
add("multiple-of-changed", "breaking", ["constraint-tightened"], dict(I, multipleOf=2), dict(I, multipleOf=3), "MULTIPLE_OF_CHANGED (incompatible)")
add("multiple-of-decimal-reduced", "compatible", [], dict(N, multipleOf=0.5), dict(N, multipleOf=0.1), "0.5 is a multiple of 0.1 (MULTIPLE_OF_REDUCED)")
add("multiple-of-decimal-expanded", "breaking", ["constraint-tightened"], dict(N, multipleOf=0.1), dict(N, multipleOf=0.3), "0.3 is a multiple of 0.1 (MULTIPLE_OF_EXPANDED)")
add("multiple-of-same-value", "compatible", [], dict(N, multipleOf=0.5), dict(N, multipleOf=0.50), "0.5 = 0.50")

# pattern, format
add("pattern-added", "breaking", ["constraint-tightened"], S, dict(S, pattern="^[a-z]+$"), "PATTERN_ADDED (incompatible)")
add("pattern-removed", "compatible", [], dict(S, pattern="^[a-z]+$"), S, "PATTERN_REMOVED (compatible)")
add("pattern-changed", "breaking", ["pattern-changed"], dict(S, pattern="^[a-z]+$"), dict(S, pattern="^[A-Z]+$"), "PATTERN_CHANGED (incompatible)")
add("format-changed", "compatible", [], dict(S, format="email"), dict(S, format="uri"), "format is an annotation (2019-09+ default) and the registry does not compare it")
add("title-description-changed", "compatible", [], dict(S, title="a", description="x"), dict(S, title="b", description="y"), "TITLE_CHANGED, DESCRIPTION_CHANGED (compatible)")
add("default-changed", "compatible", [], dict(S, default="a"), dict(S, default="b"), "DEFAULT_CHANGED (compatible)")

# types
add("type-changed", "breaking", ["type-changed"], S, I, "TYPE_CHANGED (incompatible)")
add("type-integer-to-number", "compatible", [], I, N, "TYPE_EXTENDED: every integer is a number (compatible)")
add("type-number-to-integer", "breaking", ["type-narrowed"], N, I, "TYPE_NARROWED (incompatible)")
add("type-null-added", "compatible", [], S, {"type": ["string", "null"]}, "SUM_TYPE_EXTENDED (compatible)")
add("type-null-removed", "breaking", ["type-narrowed"], {"type": ["string", "null"]}, S, "SUM_TYPE_NARROWED (incompatible)")
add("type-list-extended", "compatible", [], {"type": ["string", "integer"]}, {"type": ["string", "integer", "boolean"]}, "SUM_TYPE_EXTENDED")
add("type-list-reordered", "compatible", [], {"type": ["string", "integer"]}, {"type": ["integer", "string"]}, "type lists are sets")
add("type-removed-any", "compatible", [], S, {}, "an empty schema accepts everything")
add("type-added-to-empty", "breaking", ["type-narrowed"], {}, S, "TYPE_CHANGED from the empty schema")
add("true-to-false", "breaking", ["type-narrowed"], True, False, "false accepts nothing", draft=None)
add("false-to-true", "compatible", [], False, True, "the false schema widened to true (compatible)", draft=None)
add("type-boolean-to-object", "breaking", ["type-changed"], B, {"type": "object"}, "TYPE_CHANGED")
add("type-string-to-string-array", "compatible", [], S, {"type": ["string"]}, "a one-element type list is the same type")

# enum and const
add("enum-extended", "compatible", [], {"enum": ["a", "b"]}, {"enum": ["a", "b", "c"]}, "ENUM_ARRAY_EXTENDED (compatible)")
add("enum-narrowed", "breaking", ["enum-value-removed"], {"enum": ["a", "b"]}, {"enum": ["a"]}, "ENUM_ARRAY_NARROWED (incompatible)")
add("enum-changed", "breaking", ["enum-value-removed"], {"enum": ["a", "b"]}, {"enum": ["a", "c"]}, "ENUM_ARRAY_CHANGED (incompatible)")
add("enum-reordered", "compatible", [], {"enum": ["a", "b"]}, {"enum": ["b", "a"]}, "enum values are a set")
add("enum-added", "breaking", ["constraint-tightened"], S, dict(S, enum=["a"]), "TYPE_CHANGED: string → enum (incompatible)")
add("enum-removed", "compatible", [], dict(S, enum=["a"]), S, "PRODUCT_TYPE_NARROWED: the enum constraint dropped (compatible)")
add("const-changed", "breaking", ["const-changed"], {"const": "a"}, {"const": "b"}, "ENUM_ARRAY_CHANGED on const (incompatible)", draft=D6)
add("const-to-enum", "compatible", [], {"const": "a"}, {"enum": ["a", "b"]}, "const a ⊂ enum [a, b]", draft=D6)
add("enum-to-const", "breaking", ["enum-value-removed"], {"enum": ["a", "b"]}, {"const": "a"}, "enum [a, b] → const a narrows", draft=D6)
add("enum-numbers-equal", "compatible", [], {"enum": [1, 2]}, {"enum": [1.0, 2]}, "1 and 1.0 are the same JSON number")
add("enum-object-values", "breaking", ["enum-value-removed"], {"enum": [{"a": 1}, {"a": 2}]}, {"enum": [{"a": 1}]}, "ENUM_ARRAY_NARROWED with object values")

# objects: open, closed, partially open content models
O = lambda props, req=None, **kw: dict({"type": "object", "properties": props}, **({"required": req} if req else {}), **kw)
add("optional-property-added-open", "breaking", ["property-added"], O({"a": S}), O({"a": S, "b": I}), "OPTIONAL_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL (incompatible under strict)")
add("optional-property-added-open-lenient", "compatible", [], O({"a": S}), O({"a": S, "b": I}), "OPTIONAL_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL (compatible under lenient)", policy="lenient")
add("empty-schema-property-added-open", "compatible", [], O({"a": S}), O({"a": S, "b": {}}), "PROPERTY_WITH_EMPTY_SCHEMA_ADDED_TO_OPEN_CONTENT_MODEL (compatible)")
add("true-schema-property-added-open", "compatible", [], O({"a": S}), O({"a": S, "b": True}), "PROPERTY_WITH_EMPTY_SCHEMA_ADDED_TO_OPEN_CONTENT_MODEL (compatible)")
add("required-property-added-open", "breaking", ["required-property-added"], O({"a": S}), O({"a": S, "b": I}, ["b"]), "REQUIRED_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL (incompatible)")
add("required-property-added-open-lenient", "breaking", ["required-property-added"], O({"a": S}), O({"a": S, "b": I}, ["b"]), "REQUIRED_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL (incompatible in both)", policy="lenient")
add("required-property-with-default-added-open-lenient", "compatible", [], O({"a": S}), O({"a": S, "b": dict(I, default=0)}, ["b"]), "REQUIRED_PROPERTY_WITH_DEFAULT_ADDED_TO_OPEN_CONTENT_MODEL (compatible under lenient)", policy="lenient")
add("optional-property-added-closed", "compatible", [], O({"a": S}, additionalProperties=False), O({"a": S, "b": I}, additionalProperties=False), "OPTIONAL_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL (compatible)")
add("required-property-added-closed", "breaking", ["required-property-added"], O({"a": S}, additionalProperties=False), O({"a": S, "b": I}, ["b"], additionalProperties=False), "REQUIRED_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL (incompatible)")
add("required-property-with-default-added-closed", "compatible", [], O({"a": S}, additionalProperties=False), O({"a": S, "b": dict(I, default=1)}, ["b"], additionalProperties=False), "REQUIRED_PROPERTY_WITH_DEFAULT_ADDED_TO_UNOPEN_CONTENT_MODEL (compatible)")
add("property-removed-open", "compatible", [], O({"a": S, "b": I}), O({"a": S}), "PROPERTY_REMOVED_FROM_OPEN_CONTENT_MODEL (compatible)")
add("property-removed-closed", "breaking", ["property-removed"], O({"a": S, "b": I}, additionalProperties=False), O({"a": S}, additionalProperties=False), "PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL (incompatible under strict)")
add("property-removed-closed-lenient", "compatible", [], O({"a": S, "b": I}, additionalProperties=False), O({"a": S}, additionalProperties=False), "PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL (compatible under lenient)", policy="lenient")
add("false-property-removed-closed", "compatible", [], O({"a": S, "b": False}, additionalProperties=False), O({"a": S}, additionalProperties=False), "PROPERTY_WITH_FALSE_REMOVED_FROM_CLOSED_CONTENT_MODEL (compatible)")
add("property-removed-covered-by-additional", "compatible", [], O({"a": S, "b": I}, additionalProperties=I), O({"a": S}, additionalProperties=I), "PROPERTY_REMOVED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL (compatible)")
add("property-removed-not-covered-by-additional", "breaking", ["property-removed"], O({"a": S, "b": I}, additionalProperties=S), O({"a": S}, additionalProperties=S), "PROPERTY_REMOVED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL (incompatible)")
add("property-removed-covered-by-pattern", "compatible", [], O({"x_a": S}, additionalProperties=False, patternProperties={"^x_": S}), O({}, additionalProperties=False, patternProperties={"^x_": S}), "PROPERTY_REMOVED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL via patternProperties")
add("property-added-covered-by-additional", "compatible", [], O({"a": S}, additionalProperties=I), O({"a": S, "b": N}, additionalProperties=I), "PROPERTY_ADDED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL: b was an integer, may now be any number (compatible)")
add("property-added-narrower-than-additional", "breaking", ["property-added"], O({"a": S}, additionalProperties=N), O({"a": S, "b": I}, additionalProperties=N), "PROPERTY_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL: old data may hold b: 1.5 (incompatible)")
add("property-added-not-covered-by-additional", "breaking", ["property-added"], O({"a": S}, additionalProperties=I), O({"a": S, "b": S}, additionalProperties=I), "PROPERTY_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL (incompatible)")
add("property-added-covered-by-pattern", "compatible", [], O({}, patternProperties={"^n_": I}, additionalProperties=False), O({"n_x": N}, patternProperties={"^n_": I}, additionalProperties=False), "PROPERTY_ADDED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL via patternProperties")
add("required-added", "breaking", ["property-made-required"], O({"a": S, "b": I}), O({"a": S, "b": I}, ["b"]), "REQUIRED_ATTRIBUTE_ADDED (incompatible)")
add("required-with-default-added", "compatible", [], O({"a": S, "b": dict(I, default=3)}), O({"a": S, "b": dict(I, default=3)}, ["b"]), "REQUIRED_ATTRIBUTE_WITH_DEFAULT_ADDED (compatible)")
add("required-removed", "compatible", [], O({"a": S, "b": I}, ["a", "b"]), O({"a": S, "b": I}, ["a"]), "REQUIRED_ATTRIBUTE_REMOVED (compatible)")
add("property-type-narrowed", "breaking", ["type-narrowed"], O({"a": N}), O({"a": I}), "TYPE_NARROWED in a property")
add("property-type-widened", "compatible", [], O({"a": I}), O({"a": N}), "TYPE_EXTENDED in a property")
add("nested-property-max-length-decreased", "breaking", ["constraint-tightened"], O({"a": O({"b": dict(S, maxLength=9)})}), O({"a": O({"b": dict(S, maxLength=3)})}), "MAX_LENGTH_DECREASED at #/properties/a/properties/b")
add("additional-properties-false-added", "breaking", ["additional-properties-narrowed"], O({"a": S}), O({"a": S}, additionalProperties=False), "ADDITIONAL_PROPERTIES_REMOVED (incompatible under strict)")
add("additional-properties-false-added-lenient", "compatible", [], O({"a": S}), O({"a": S}, additionalProperties=False), "ADDITIONAL_PROPERTIES_REMOVED (compatible under lenient)", policy="lenient")
add("additional-properties-false-removed", "compatible", [], O({"a": S}, additionalProperties=False), O({"a": S}), "ADDITIONAL_PROPERTIES_ADDED (compatible)")
add("additional-properties-schema-added", "breaking", ["additional-properties-narrowed"], O({"a": S}), O({"a": S}, additionalProperties=S), "ADDITIONAL_PROPERTIES_NARROWED (incompatible under strict)")
add("additional-properties-schema-removed", "compatible", [], O({"a": S}, additionalProperties=S), O({"a": S}), "ADDITIONAL_PROPERTIES_EXTENDED (compatible)")
add("additional-properties-schema-narrowed", "breaking", ["type-narrowed"], O({}, additionalProperties=N), O({}, additionalProperties=I), "TYPE_NARROWED at #/additionalProperties")
add("additional-properties-schema-widened", "compatible", [], O({}, additionalProperties=I), O({}, additionalProperties=N), "TYPE_EXTENDED at #/additionalProperties")
add("pattern-properties-schema-narrowed", "breaking", ["type-narrowed"], O({}, patternProperties={"^x": N}), O({}, patternProperties={"^x": I}), "a patternProperties schema narrowed")
add("property-names-added", "breaking", ["constraint-tightened"], {"type": "object"}, {"type": "object", "propertyNames": {"pattern": "^[a-z]+$"}}, "propertyNames restricts keys (draft-06+)", draft=D6)
add("property-names-removed", "compatible", [], {"type": "object", "propertyNames": {"maxLength": 3}}, {"type": "object"}, "propertyNames dropped", draft=D6)
add("unevaluated-properties-false-added", "breaking", ["additional-properties-narrowed"], O({"a": S}), O({"a": S}, unevaluatedProperties=False), "UNEVALUATED_PROPERTIES_REMOVED (incompatible under strict)", draft=D20)
add("unevaluated-properties-false-removed", "compatible", [], O({"a": S}, unevaluatedProperties=False), O({"a": S}), "UNEVALUATED_PROPERTIES_ADDED (compatible)", draft=D20)
add("unevaluated-properties-with-all-of-unchanged", "compatible", [], {"allOf": [O({"a": S})], "unevaluatedProperties": False}, {"allOf": [O({"a": S})], "unevaluatedProperties": False, "title": "t"}, "no change but the title", draft=D20)

# dependencies
add("dependency-array-added", "breaking", ["constraint-tightened"], O({"a": S, "b": S}), O({"a": S, "b": S}, dependencies={"a": ["b"]}), "DEPENDENCY_ARRAY_ADDED (incompatible)")
add("dependency-array-removed", "compatible", [], O({"a": S, "b": S}, dependencies={"a": ["b"]}), O({"a": S, "b": S}), "DEPENDENCY_ARRAY_REMOVED (compatible)")
add("dependency-array-extended", "breaking", ["constraint-tightened"], O({"a": S}, dependencies={"a": ["b"]}), O({"a": S}, dependencies={"a": ["b", "c"]}), "DEPENDENCY_ARRAY_EXTENDED (incompatible)")
add("dependency-array-narrowed", "compatible", [], O({"a": S}, dependencies={"a": ["b", "c"]}), O({"a": S}, dependencies={"a": ["b"]}), "DEPENDENCY_ARRAY_NARROWED (compatible)")
add("dependency-array-changed", "breaking", ["constraint-tightened"], O({"a": S}, dependencies={"a": ["b"]}), O({"a": S}, dependencies={"a": ["c"]}), "DEPENDENCY_ARRAY_CHANGED (incompatible)")
add("dependency-schema-added", "breaking", ["constraint-tightened"], O({"a": S}), O({"a": S}, dependencies={"a": {"required": ["b"]}}), "DEPENDENCY_SCHEMA_ADDED (incompatible)")
add("dependency-schema-removed", "compatible", [], O({"a": S}, dependencies={"a": {"required": ["b"]}}), O({"a": S}), "DEPENDENCY_SCHEMA_REMOVED (compatible)")
add("dependent-required-added-2019", "breaking", ["constraint-tightened"], O({"a": S}), O({"a": S}, dependentRequired={"a": ["b"]}), "dependentRequired (2019-09) added", draft=D19)
add("dependent-schemas-removed-2020", "compatible", [], O({"a": S}, dependentSchemas={"a": {"required": ["b"]}}), O({"a": S}), "dependentSchemas (2020-12) removed", draft=D20)
add("dependencies-migrated-to-dependent-required", "compatible", [], {"$schema": D7, **O({"a": S}, dependencies={"a": ["b"]})}, {"$schema": D20, **O({"a": S}, dependentRequired={"a": ["b"]})},
    "draft-07 dependencies = 2020-12 dependentRequired", draft=None)

# arrays
A = lambda **kw: dict({"type": "array"}, **kw)
add("items-narrowed", "breaking", ["type-narrowed"], A(items=N), A(items=I), "TYPE_NARROWED at #/items")
add("items-widened", "compatible", [], A(items=I), A(items=N), "TYPE_EXTENDED at #/items")
add("items-schema-added", "breaking", ["type-narrowed"], A(), A(items=S), "items constrained where any item was allowed")
add("tuple-item-added-open", "breaking", ["tuple-narrowed"], A(items=[S]), A(items=[S, I]), "ITEM_ADDED_TO_OPEN_CONTENT_MODEL (incompatible)")
add("tuple-item-added-closed", "compatible", [], A(items=[S], additionalItems=False), A(items=[S, I], additionalItems=False), "ITEM_ADDED_TO_CLOSED_CONTENT_MODEL (compatible)")
add("tuple-item-removed-open", "compatible", [], A(items=[S, I]), A(items=[S]), "ITEM_REMOVED_FROM_OPEN_CONTENT_MODEL (compatible)")
add("tuple-item-removed-closed", "breaking", ["tuple-narrowed"], A(items=[S, I], additionalItems=False), A(items=[S], additionalItems=False), "ITEM_REMOVED_FROM_CLOSED_CONTENT_MODEL (incompatible)")
add("tuple-item-removed-covered", "compatible", [], A(items=[S, I], additionalItems=N), A(items=[S], additionalItems=N), "ITEM_REMOVED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL (compatible)")
add("tuple-item-removed-not-covered", "breaking", ["tuple-narrowed"], A(items=[S, I], additionalItems=S), A(items=[S], additionalItems=S), "ITEM_REMOVED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL (incompatible)")
add("tuple-item-narrowed", "breaking", ["type-narrowed"], A(items=[S, N]), A(items=[S, I]), "TYPE_NARROWED at #/items/1")
add("additional-items-false-added", "breaking", ["tuple-narrowed"], A(items=[S]), A(items=[S], additionalItems=False), "ADDITIONAL_ITEMS_REMOVED (incompatible)")
add("additional-items-false-removed", "compatible", [], A(items=[S], additionalItems=False), A(items=[S]), "ADDITIONAL_ITEMS_ADDED (compatible)")
add("additional-items-schema-added", "breaking", ["tuple-narrowed"], A(items=[S]), A(items=[S], additionalItems=I), "ADDITIONAL_ITEMS_NARROWED (incompatible)")
add("prefix-items-added-open-2020", "breaking", ["tuple-narrowed"], A(prefixItems=[S]), A(prefixItems=[S, I]), "ITEM_ADDED_TO_OPEN_CONTENT_MODEL with prefixItems (2020-12)", draft=D20)
add("prefix-items-removed-closed-2020", "breaking", ["tuple-narrowed"], A(prefixItems=[S, I], items=False), A(prefixItems=[S], items=False), "ITEM_REMOVED_FROM_CLOSED_CONTENT_MODEL (2020-12 items: false)", draft=D20)
add("prefix-items-added-closed-2020", "compatible", [], A(prefixItems=[S], items=False), A(prefixItems=[S, I], items=False), "ITEM_ADDED_TO_CLOSED_CONTENT_MODEL (2020-12)", draft=D20)
add("tuple-migrated-to-prefix-items", "compatible", [], {"$schema": D7, **A(items=[S, I], additionalItems=False)}, {"$schema": D20, **A(prefixItems=[S, I], items=False)},
    "draft-07 items array + additionalItems = 2020-12 prefixItems + items", draft=None)
add("unevaluated-items-false-added", "breaking", ["tuple-narrowed"], A(prefixItems=[S]), A(prefixItems=[S], unevaluatedItems=False), "UNEVALUATED_ITEMS_REMOVED (incompatible)", draft=D20)
add("unique-items-added", "breaking", ["constraint-tightened"], A(items=S), A(items=S, uniqueItems=True), "UNIQUE_ITEMS_ADDED (incompatible)")
add("unique-items-removed", "compatible", [], A(items=S, uniqueItems=True), A(items=S), "UNIQUE_ITEMS_REMOVED (compatible)")
add("contains-added", "breaking", ["constraint-tightened"], A(), A(contains=I), "contains added (draft-06+): arrays without an integer rejected", draft=D6)
add("contains-removed", "compatible", [], A(contains=I), A(), "contains removed", draft=D6)
add("contains-narrowed", "breaking", ["type-narrowed"], A(contains=N), A(contains=I), "contains schema narrowed", draft=D6)

# combinators
X = O({"x": S}, ["x"]); Y = O({"y": I}, ["y"]); Z = O({"z": B}, ["z"])
add("one-of-extended", "compatible", [], {"oneOf": [X, Y]}, {"oneOf": [X, Y, Z]}, "SUM_TYPE_EXTENDED (compatible)")
add("one-of-narrowed", "breaking", ["alternative-removed"], {"oneOf": [X, Y, Z]}, {"oneOf": [X, Z]}, "SUM_TYPE_NARROWED (incompatible)")
add("any-of-extended", "compatible", [], {"anyOf": [X]}, {"anyOf": [X, Y]}, "SUM_TYPE_EXTENDED (compatible)")
add("any-of-narrowed", "breaking", ["alternative-removed"], {"anyOf": [X, Y]}, {"anyOf": [Y]}, "SUM_TYPE_NARROWED (incompatible)")
add("one-of-reordered", "compatible", [], {"oneOf": [X, Y, Z]}, {"oneOf": [Z, X, Y]}, "alternatives matched by structure, not position")
add("one-of-alternative-narrowed", "breaking", ["type-narrowed"], {"oneOf": [X, O({"y": N}, ["y"])]}, {"oneOf": [X, Y]}, "an alternative narrowed inside oneOf")
add("one-of-alternative-widened", "compatible", [], {"oneOf": [X, Y]}, {"oneOf": [X, O({"y": N}, ["y"])]}, "an alternative widened inside oneOf")
add("one-of-to-any-of", "compatible", [], {"oneOf": [X, Y]}, {"anyOf": [X, Y]}, "COMBINED_TYPE_EXTENDED: oneOf → anyOf (compatible)")
add("any-of-to-one-of", "breaking", ["alternative-removed"], {"anyOf": [X, Y]}, {"oneOf": [X, Y]}, "COMBINED_TYPE_CHANGED: anyOf → oneOf rejects values matching both")
add("single-one-of-to-all-of", "compatible", [], {"oneOf": [X]}, {"allOf": [X]}, "COMBINED_TYPE_EXTENDED with one member: no change")
add("single-all-of-to-any-of", "compatible", [], {"allOf": [X]}, {"anyOf": [X]}, "one-member combinator switched")
add("wrapped-in-one-of", "compatible", [], X, {"oneOf": [X, Y]}, "SUM_TYPE_EXTENDED: a schema wrapped into oneOf with a new alternative")
add("wrapped-in-single-any-of", "compatible", [], X, {"anyOf": [X]}, "a singleton union is the schema itself")
add("unwrapped-from-one-of", "breaking", ["alternative-removed"], {"oneOf": [X, Y]}, X, "alternative Y dropped (incompatible)")
add("all-of-member-added", "breaking", ["all-of-member-added"], {"allOf": [X]}, {"allOf": [X, Y]}, "PRODUCT_TYPE_EXTENDED (incompatible)")
add("all-of-member-removed", "compatible", [], {"allOf": [X, Y]}, {"allOf": [X]}, "PRODUCT_TYPE_NARROWED (compatible)")
add("all-of-unwrapped-member", "compatible", [], {"allOf": [X, Y]}, X, "PRODUCT_TYPE_NARROWED: allOf replaced by one of its members (compatible)")
add("all-of-to-any-of", "compatible", [], {"allOf": [X, Y]}, {"anyOf": [X, Y]}, "COMBINED_TYPE_EXTENDED: anyOf accepts more than allOf")
add("any-of-to-all-of", "breaking", ["alternative-removed"], {"anyOf": [X, Y]}, {"allOf": [X, Y]}, "COMBINED_TYPE_CHANGED (incompatible)")
add("not-added", "breaking", ["constraint-tightened"], S, dict(S, **{"not": {"const": "x"}}), "not added (narrower)", draft=D6)
add("not-removed", "compatible", [], dict(S, **{"not": {"const": "x"}}), S, "not removed (wider)", draft=D6)
add("not-widened", "breaking", ["type-narrowed"], {"not": S}, {"not": {"type": ["string", "integer"]}}, "NOT_TYPE_EXTENDED: a wider not is a narrower schema (incompatible)")
add("not-narrowed", "compatible", [], {"not": {"type": ["string", "integer"]}}, {"not": S}, "NOT_TYPE_NARROWED (compatible)")
add("if-then-added", "breaking", ["constraint-tightened"], O({"a": S, "b": S}), O({"a": S, "b": S}, **{"if": {"required": ["a"]}, "then": {"required": ["b"]}}), "if/then added (draft-07)")
add("if-then-removed", "compatible", [], O({"a": S, "b": S}, **{"if": {"required": ["a"]}, "then": {"required": ["b"]}}), O({"a": S, "b": S}), "if/then removed")
add("then-narrowed", "breaking", ["property-made-required"], O({"a": S}, **{"if": {"required": ["a"]}, "then": {"required": ["b"]}}), O({"a": S}, **{"if": {"required": ["a"]}, "then": {"required": ["b", "c"]}}), "then narrowed under the same if")

# references, ids, drafts
add("ref-target-narrowed", "breaking", ["type-narrowed"], {"$defs": {"n": N}, "type": "object", "properties": {"a": {"$ref": "#/$defs/n"}}},
    {"$defs": {"n": I}, "type": "object", "properties": {"a": {"$ref": "#/$defs/n"}}}, "a $defs target narrowed", draft=D20)
add("ref-inlined-identical", "compatible", [], {"$defs": {"n": N}, "type": "object", "properties": {"a": {"$ref": "#/$defs/n"}}}, {"type": "object", "properties": {"a": N}}, "a $ref replaced by its identical target", draft=D20)
add("definitions-moved-to-defs", "compatible", [], {"$schema": D7, "definitions": {"n": N}, "type": "object", "properties": {"a": {"$ref": "#/definitions/n"}}},
    {"$schema": D20, "$defs": {"n": N}, "type": "object", "properties": {"a": {"$ref": "#/$defs/n"}}}, "definitions (draft-07) → $defs (2020-12)", draft=None)
add("id-relative-ref", "breaking", ["type-narrowed"],
    {"$id": "https://example.com/root.json", "$defs": {"a": {"$id": "address.json", "type": "object", "properties": {"zip": N}}}, "type": "object", "properties": {"home": {"$ref": "address.json"}}},
    {"$id": "https://example.com/root.json", "$defs": {"a": {"$id": "address.json", "type": "object", "properties": {"zip": I}}}, "type": "object", "properties": {"home": {"$ref": "address.json"}}},
    "$ref resolved against an embedded $id", draft=D20)
add("draft04-id-and-definitions", "breaking", ["type-narrowed"], {"id": "http://example.com/s.json", "definitions": {"n": N}, "properties": {"a": {"$ref": "#/definitions/n"}}},
    {"id": "http://example.com/s.json", "definitions": {"n": I}, "properties": {"a": {"$ref": "#/definitions/n"}}}, "draft-04 id and definitions", draft=D4)
add("anchor-ref", "breaking", ["type-narrowed"], {"$defs": {"n": {"$anchor": "num", "type": "number"}}, "properties": {"a": {"$ref": "#num"}}},
    {"$defs": {"n": {"$anchor": "num", "type": "integer"}}, "properties": {"a": {"$ref": "#num"}}}, "$anchor reference (2019-09+)", draft=D20)
rec = lambda t: {"$defs": {"node": {"type": "object", "properties": {"v": t, "next": {"$ref": "#/$defs/node"}}}}, "$ref": "#/$defs/node"}
add("recursive-unchanged", "compatible", [], rec(S), dict(rec(S), title="t"), "a recursive schema compared with itself terminates", draft=D20)
add("recursive-narrowed", "breaking", ["type-narrowed"], rec(N), rec(I), "a recursive schema narrowed", draft=D20)
add("ref-siblings-2020", "breaking", ["constraint-tightened"], {"$defs": {"s": S}, "$ref": "#/$defs/s"}, {"$defs": {"s": S}, "$ref": "#/$defs/s", "maxLength": 5}, "2019-09+: keywords beside $ref apply", draft=D20)
add("ref-siblings-ignored-draft07", "compatible", [], {"definitions": {"s": S}, "$ref": "#/definitions/s"}, {"definitions": {"s": S}, "$ref": "#/definitions/s", "maxLength": 5}, "draft-07: keywords beside $ref are ignored")

add("discriminator-changed", "compatible", ["discriminator-changed"], {"oneOf": [X, Y], "discriminator": {"propertyName": "x"}}, {"oneOf": [X, Y], "discriminator": {"propertyName": "y"}},
    "discriminator is an OpenAPI annotation: the accepted values do not change")
add("x-extensible-enum-value-removed", "breaking", ["extensible-enum-value-removed"], dict(S, **{"x-extensible-enum": ["a", "b"]}), dict(S, **{"x-extensible-enum": ["a"]}),
    "x-extensible-enum (a common OpenAPI-style extension) honoured in JSON Schema too: a value old data held is gone (ENUM_ARRAY_NARROWED)")
add("schema-deleted", "breaking", ["schema-deleted"], O({"a": S}), None, "SCHEMA_REMOVED seen from consumers of the file: every reader of the subject loses it")

# forward and full compatibility
add("forward-optional-property-added-closed", "breaking", ["property-added"], O({"a": S}, additionalProperties=False), O({"a": S, "b": I}, additionalProperties=False),
    "forward: the old reader (closed) rejects data carrying b (PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL seen from the old schema)", mode="forward")
add("forward-optional-property-added-open", "compatible", [], O({"a": S}), O({"a": S, "b": I}), "forward: the old open reader accepts b (PROPERTY_REMOVED_FROM_OPEN_CONTENT_MODEL)", mode="forward")
add("forward-enum-extended", "breaking", ["enum-value-added"], {"enum": ["a"]}, {"enum": ["a", "b"]}, "forward: old readers reject b (ENUM_ARRAY_NARROWED seen from the old schema)", mode="forward")
add("forward-enum-narrowed", "compatible", [], {"enum": ["a", "b"]}, {"enum": ["a"]}, "forward: old readers accept a", mode="forward")
add("forward-max-length-decreased", "compatible", [], dict(S, maxLength=9), dict(S, maxLength=3), "forward: new data is shorter, old readers accept it", mode="forward")
add("forward-max-length-increased", "breaking", ["constraint-loosened"], dict(S, maxLength=3), dict(S, maxLength=9), "forward: new data may be too long for old readers", mode="forward")
add("forward-required-removed", "breaking", ["property-made-optional"], O({"a": S}, ["a"]), O({"a": S}), "forward: new data may lack a; old readers require it", mode="forward")
add("forward-property-removed-open", "breaking", ["property-removed"], O({"a": S, "b": I}), O({"a": S}), "forward: new writers may put anything under b (strict)", mode="forward")
add("forward-type-widened", "breaking", ["type-widened"], I, N, "forward: 1.5 is new data old readers reject", mode="forward")
add("full-enum-extended", "breaking", ["enum-value-added"], {"enum": ["a"]}, {"enum": ["a", "b"]}, "full = backward and forward", mode="full")
add("full-description-changed", "compatible", [], dict(S, description="a"), dict(S, description="b"), "full: annotations only", mode="full")
add("full-optional-property-added-closed", "breaking", ["property-added"], O({"a": S}, additionalProperties=False), O({"a": S, "b": I}, additionalProperties=False), "full: forward half fails", mode="full")
add("full-empty-property-added-open", "compatible", [], O({"a": S}), O({"a": S, "b": {}}), "full: property with empty schema added to open model both ways", mode="full")
add("forward-lenient-property-removed-open", "compatible", [], O({"a": S, "b": I}), O({"a": S}), "forward lenient: OPTIONAL_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL is lenient-compatible", mode="forward", policy="lenient")

def main():
    os.makedirs(OUT, exist_ok=True)
    for f in os.listdir(OUT):
        if f.endswith(".yaml"):
            os.remove(os.path.join(OUT, f))
    names = set()
    for i, (name, label, rules, b, r, source, mode, policy, note) in enumerate(pairs, 1):
        assert name not in names, name
        names.add(name)
        assert label in ("breaking", "compatible")
        doc = {"label": label, "compatibility": mode, "policy": policy, "rules": [f"contract.jsonschema.{x}" for x in rules], "source": source}
        if note:
            doc["note"] = note
        doc["base"] = b
        doc["revision"] = r
        with open(os.path.join(OUT, f"{i:03}-{name}.yaml"), "w") as fh:
            yaml.safe_dump(doc, fh, sort_keys=False, width=120, default_flow_style=None, allow_unicode=True)
    nb = sum(1 for p in pairs if p[1] == "breaking")
    print(f"{len(pairs)} pairs: {nb} breaking, {len(pairs) - nb} compatible", file=sys.stderr)

main()
