#!/usr/bin/env python3
"""Writes the labelled OpenAPI corpus (openapi/NNN-name.yaml): base/revision pairs with the
expected verdict. Labels come from the OpenAPI 3.0/3.1 and JSON Schema specifications and from
oasdiff's documented checks (its check id is named in `source`); where Gatehouse disagrees with
oasdiff by design the pair says so in `note`. Edit the pairs here and re-run; the YAML is data."""
import copy, os, sys, yaml

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "openapi")
pairs = []

def spec(paths=None, version="3.0.3", components=None, **extra):
    d = {"openapi": version, "info": {"title": "Corpus", "version": "1.0.0"}, "paths": paths or {}}
    if components:
        d["components"] = components
    d.update(extra)
    return d

def resp(schema=None, headers=None, media="application/json"):
    r = {"description": "ok"}
    if schema is not None:
        r["content"] = {media: {"schema": schema}}
    if headers:
        r["headers"] = headers
    return r

def op(req=None, res=None, params=None, responses=None, req_required=True, **kw):
    o = {"operationId": kw.pop("operationId", "op")}
    if params:
        o["parameters"] = params
    if req is not None:
        o["requestBody"] = {"required": req_required, "content": {"application/json": {"schema": req}}}
    o["responses"] = responses if responses is not None else {"200": resp(res if res is not None else {"type": "object"})}
    o.update(kw)
    return o

def obj(props, required=None, **kw):
    d = {"type": "object", "properties": props}
    if required:
        d["required"] = required
    d.update(kw)
    return d

def add(name, label, rules, base, rev, source, note=None, options=None):
    pairs.append((name, label, rules, base, rev, source, note, options))

def req_prop(name, label, rules, pb, pr, source, version="3.0.3", note=None, required=("value",)):
    """A change to property `value` of a POST request body."""
    mk = lambda p: spec({"/items": {"post": op(req=obj({"value": p, "name": {"type": "string"}}, list(required)))}}, version)
    add(name, label, rules, mk(pb), mk(pr), source, note)

def res_prop(name, label, rules, pb, pr, source, version="3.0.3", note=None, required=("value",)):
    """A change to property `value` of a GET response body."""
    mk = lambda p: spec({"/items/{id}": {"get": op(params=[PATH_ID], res=obj({"value": p, "id": {"type": "string"}}, list(required)))}}, version)
    add(name, label, rules, mk(pb), mk(pr), source, note)

PATH_ID = {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}

def both(slug, narrow_b, narrow_r, src, version="3.0.3", kw="", wide_rule="constraint-loosened", narrow_rule="constraint-tightened"):
    """Narrowing pair: breaking in a request, compatible in a response; the reverse pair:
    compatible in a request, breaking in a response."""
    req_prop(f"request-{slug}", "breaking", [f"request-{narrow_rule}"], narrow_b, narrow_r, f"request-property-{src[0]} (error)", version)
    req_prop(f"request-{slug}-reverse", "compatible", [], narrow_r, narrow_b, f"request-property-{src[1]} (info)", version)
    res_prop(f"response-{slug}", "compatible", [], narrow_b, narrow_r, f"response-property-{src[1] if len(src) < 3 else src[2]} (info)", version)
    res_prop(f"response-{slug}-reverse", "breaking", [f"response-{wide_rule}"], narrow_r, narrow_b, f"response-property-{src[3] if len(src) > 3 else src[0]} (error)", version)

S = {"type": "string"}
I = {"type": "integer"}
N = {"type": "number"}

# ---- validation keywords, both directions -------------------------------------------------
both("max-length-decreased", {"type": "string", "maxLength": 50}, {"type": "string", "maxLength": 20},
     ["max-length-decreased", "max-length-increased", "max-length-decreased", "max-length-increased"])
both("max-length-set", S, {"type": "string", "maxLength": 20}, ["max-length-set", "max-length-unset", "max-length-set", "max-length-unset"])
both("min-length-increased", {"type": "string", "minLength": 1}, {"type": "string", "minLength": 5},
     ["min-length-increased", "min-length-decreased", "min-length-increased", "min-length-decreased"])
both("maximum-decreased", {"type": "integer", "maximum": 100}, {"type": "integer", "maximum": 50},
     ["max-decreased", "max-increased", "max-decreased", "max-increased"])
both("minimum-increased", {"type": "number", "minimum": 0}, {"type": "number", "minimum": 10},
     ["min-increased", "min-decreased", "min-increased", "min-decreased"])
both("exclusive-minimum-bool-30", {"type": "number", "minimum": 0}, {"type": "number", "minimum": 0, "exclusiveMinimum": True},
     ["exclusive-min-increased", "exclusive-min-decreased", "exclusive-min-increased", "exclusive-min-decreased"])
both("exclusive-maximum-number-31", {"type": "number", "exclusiveMaximum": 10}, {"type": "number", "exclusiveMaximum": 5},
     ["exclusive-max-decreased", "exclusive-max-increased", "exclusive-max-decreased", "exclusive-max-increased"], "3.1.0")
both("max-items-decreased", {"type": "array", "items": S, "maxItems": 10}, {"type": "array", "items": S, "maxItems": 5},
     ["max-items-decreased", "max-items-increased", "max-items-decreased", "max-items-increased"])
both("min-items-increased", {"type": "array", "items": S}, {"type": "array", "items": S, "minItems": 1},
     ["min-items-set", "min-items-decreased", "min-items-increased", "min-items-unset"])
both("multiple-of-expanded", {"type": "integer", "multipleOf": 2}, {"type": "integer", "multipleOf": 4},
     ["multiple-of-expanded (JSON Schema 6.2.1)", "multiple-of-reduced"])
both("unique-items-added", {"type": "array", "items": S}, {"type": "array", "items": S, "uniqueItems": True},
     ["unique-items-added (JSON Schema 6.4.3)", "unique-items-removed"])
both("pattern-added", S, {"type": "string", "pattern": "^[a-z]+$"}, ["pattern-added", "pattern-removed", "pattern-added", "pattern-removed"])
both("max-properties-decreased", {"type": "object", "maxProperties": 5}, {"type": "object", "maxProperties": 2}, ["max-decreased", "max-increased"])
both("contains-added", {"type": "array", "items": S}, {"type": "array", "items": S, "contains": {"const": "x"}},
     ["contains-added", "contains-removed", "contains-added", "contains-removed"], "3.1.0")
both("min-contains-increased", {"type": "array", "contains": {"type": "integer"}}, {"type": "array", "contains": {"type": "integer"}, "minContains": 2},
     ["min-contains-increased", "min-contains-decreased", "min-contains-increased", "min-contains-decreased"], "3.1.0")
both("max-contains-decreased", {"type": "array", "contains": I, "maxContains": 5}, {"type": "array", "contains": I, "maxContains": 2},
     ["max-contains-decreased", "max-contains-increased", "max-contains-decreased", "max-contains-increased"], "3.1.0")
both("dependent-required-added", {"type": "object"}, {"type": "object", "dependentRequired": {"a": ["b"]}},
     ["dependent-required-added", "dependent-required-removed", "dependent-required-added", "dependent-required-removed"], "3.1.0")
both("dependent-schemas-added", {"type": "object"}, {"type": "object", "dependentSchemas": {"a": {"required": ["b"]}}},
     ["dependent-schema-added", "dependent-schema-removed", "dependent-schema-added", "dependent-schema-removed"], "3.1.0")
both("if-then-added", {"type": "object"}, {"type": "object", "if": {"required": ["a"]}, "then": {"required": ["b"]}},
     ["if-added", "if-removed", "if-added", "if-removed"], "3.1.0")
both("pattern-properties-added", {"type": "object"}, {"type": "object", "patternProperties": {"^x-": {"type": "string"}}},
     ["pattern-property-added", "pattern-property-removed", "pattern-property-added", "pattern-property-removed"], "3.1.0",
     wide_rule="additional-properties-widened", narrow_rule="additional-properties-narrowed")
both("property-names-added", {"type": "object"}, {"type": "object", "propertyNames": {"maxLength": 8}},
     ["property-names-added", "property-names-removed", "property-names-added", "property-names-removed"], "3.1.0")
both("unevaluated-properties-false", {"type": "object", "properties": {"a": S}}, {"type": "object", "properties": {"a": S}, "unevaluatedProperties": False},
     ["unevaluated-properties-added", "unevaluated-properties-removed", "unevaluated-properties-added", "unevaluated-properties-removed"], "3.1.0",
     wide_rule="additional-properties-widened", narrow_rule="additional-properties-narrowed")
both("unevaluated-items-false", {"type": "array", "prefixItems": [S]}, {"type": "array", "prefixItems": [S], "unevaluatedItems": False},
     ["unevaluated-items-added", "unevaluated-items-removed", "unevaluated-items-added", "unevaluated-items-removed"], "3.1.0",
     wide_rule="tuple-widened", narrow_rule="tuple-narrowed")
both("additional-properties-false", {"type": "object", "properties": {"a": S}}, {"type": "object", "properties": {"a": S}, "additionalProperties": False},
     ["additional-properties-false (JSON Schema 10.3.2.3)", "additional-properties-opened"], wide_rule="additional-properties-widened", narrow_rule="additional-properties-narrowed")
both("content-schema-added", {"type": "string", "contentMediaType": "application/json"},
     {"type": "string", "contentMediaType": "application/json", "contentSchema": {"type": "object", "required": ["a"]}},
     ["content-schema-added", "content-schema-removed", "content-schema-added", "content-schema-removed"], "3.1.0")
both("not-added", S, {"type": "string", "not": {"const": "admin"}}, ["not-added (JSON Schema 10.2.1.4)", "not-removed"], "3.1.0")

# ---- type, format, enum, const -------------------------------------------------------------
both("type-integer-from-number", N, I, ["type-specialized", "type-generalized", "type-specialized", "type-generalized"],
     narrow_rule="type-narrowed", wide_rule="type-widened")
both("nullable-removed-30", {"type": "string", "nullable": True}, S, ["became-not-nullable", "became-nullable", "became-not-nullable", "became-nullable"],
     narrow_rule="type-narrowed", wide_rule="type-widened")
both("type-array-null-removed-31", {"type": ["string", "null"]}, S, ["list-of-types-narrowed", "list-of-types-widened", "list-of-types-narrowed", "list-of-types-widened"], "3.1.0",
     narrow_rule="type-narrowed", wide_rule="type-widened")
both("format-int64-to-int32", {"type": "integer", "format": "int64"}, {"type": "integer", "format": "int32"},
     ["type-changed", "type-generalized", "type-specialized", "type-generalized"], narrow_rule="type-narrowed", wide_rule="type-widened")
both("enum-value-removed", {"type": "string", "enum": ["a", "b", "c"]}, {"type": "string", "enum": ["a", "b"]},
     ["enum-value-removed", "enum-value-added", "enum-value-removed", "enum-value-added"], narrow_rule="enum-value-removed", wide_rule="enum-value-added")
both("became-enum", S, {"type": "string", "enum": ["a", "b"]}, ["became-enum", "enum-removed"])
both("const-added-31", S, {"type": "string", "const": "v1"}, ["const-added", "const-removed", "const-added", "const-removed"], "3.1.0")
req_prop("request-content-encoding-added", "breaking", ["request-type-changed"], {"type": "string", "contentMediaType": "image/png"},
         {"type": "string", "contentMediaType": "image/png", "contentEncoding": "base64"}, "request-property-content-encoding-changed (error)", "3.1.0")
res_prop("response-content-media-type-changed", "breaking", ["response-type-changed"], {"type": "string", "contentMediaType": "image/png"},
         {"type": "string", "contentMediaType": "image/webp"}, "response-property-content-media-type-changed (error)", "3.1.0")
# a response enum value added is a warning (exhaustive clients), not a hard break; fix the generic pair's label
for i, p in enumerate(pairs):
    if p[0] == "response-enum-value-removed-reverse":
        pairs[i] = (p[0], "compatible", ["response-enum-value-added"], p[3], p[4], "response-property-enum-value-added (warn)",
                    "an added response enum value is a warning: clients with exhaustive matches may break", None)

req_prop("request-type-string-to-integer", "breaking", ["request-type-changed"], S, I, "request-property-type-changed (error)")
res_prop("response-type-string-to-integer", "breaking", ["response-type-changed"], S, I, "response-property-type-changed (error)")
req_prop("request-type-integer-to-string-path-free", "breaking", ["request-type-changed"], I, S, "request-property-type-changed (error): integer and string are disjoint")
req_prop("request-const-changed-31", "breaking", ["request-const-changed"], {"const": "v1"}, {"const": "v2"}, "request-property-const-changed (error)", "3.1.0")
res_prop("response-const-changed-31", "breaking", ["response-const-changed"], {"const": "v1"}, {"const": "v2"}, "response-property-const-changed (error)", "3.1.0")
req_prop("request-format-added-date-time", "breaking", ["request-type-narrowed"], S, {"type": "string", "format": "date-time"}, "request-property-type-changed (error): a format restricts the accepted strings")
req_prop("request-format-int64-added-neutral", "compatible", [], I, {"type": "integer", "format": "int64"}, "int64 on an integer only documents JSON's usual range")
req_prop("request-pattern-changed", "compatible", ["request-pattern-changed"], {"type": "string", "pattern": "^[a-z]+$"}, {"type": "string", "pattern": "^[a-z0-9]+$"},
         "request-property-pattern-changed (warn): cannot prove the new pattern is wider", note="a warning, not a break")
req_prop("request-pattern-to-match-all", "compatible", [], {"type": "string", "pattern": "^[a-z]+$"}, {"type": "string", "pattern": ".*"}, "request-property-pattern-generalized (info)")
req_prop("request-pattern-alternation-superset", "compatible", [], {"type": "string", "pattern": "^[a-z]+$"}, {"type": "string", "pattern": "^[a-z]+$|^[0-9]+$"}, "request-property-pattern-generalized (info): old pattern is a branch of the new")
res_prop("response-pattern-changed", "compatible", ["response-pattern-changed"], {"type": "string", "pattern": "^[a-z]+$"}, {"type": "string", "pattern": "^[a-z0-9]+$"}, "response-property-pattern-changed (info)")
req_prop("request-multiple-of-decimal-reduced", "compatible", [], {"type": "number", "multipleOf": 0.5}, {"type": "number", "multipleOf": 0.25}, "0.5 is a multiple of 0.25: the new schema accepts more")
req_prop("request-multiple-of-decimal-changed", "breaking", ["request-constraint-tightened"], {"type": "number", "multipleOf": 0.1}, {"type": "number", "multipleOf": 0.3}, "0.3 is a multiple of 0.1: fewer values accepted")
req_prop("request-default-changed", "compatible", ["request-default-changed"], {"type": "integer", "default": 10}, {"type": "integer", "default": 20}, "request-property-default-value-changed (info); Gatehouse warns")
req_prop("request-x-extensible-enum-removed", "breaking", ["request-extensible-enum-value-removed"], {"type": "string", "x-extensible-enum": ["a", "b"]}, {"type": "string", "x-extensible-enum": ["a"]}, "request-property-x-extensible-enum-value-removed (error)")
res_prop("response-x-extensible-enum-added", "compatible", [], {"type": "string", "x-extensible-enum": ["a"]}, {"type": "string", "x-extensible-enum": ["a", "b"]}, "extensible enums promise unknown values may appear")
req_prop("request-3-0-to-3-1-exclusive-max-migrated", "compatible", [], {"type": "number", "maximum": 10, "exclusiveMaximum": True}, {"type": "number", "exclusiveMaximum": 10},
         "OAS 3.0 boolean exclusiveMaximum and OAS 3.1 numeric exclusiveMaximum say the same", "3.0.3")
pairs[-1] = pairs[-1][:3] + (pairs[-1][3], dict(pairs[-1][4], openapi="3.1.0")) + pairs[-1][5:]
req_prop("request-3-0-nullable-to-3-1-type-array", "compatible", [], {"type": "string", "nullable": True}, {"type": ["string", "null"]}, "nullable: true (3.0) = type [string, null] (3.1)")
pairs[-1] = pairs[-1][:3] + (pairs[-1][3], dict(pairs[-1][4], openapi="3.1.0")) + pairs[-1][5:]
req_prop("request-big-integer-maximum-exact", "breaking", ["request-constraint-tightened"], {"type": "integer", "maximum": 18446744073709551617}, {"type": "integer", "maximum": 18446744073709551616},
         "integers above 2^53 compare exactly (the two values are equal as doubles)")
req_prop("request-big-integer-unchanged", "compatible", [], {"type": "integer", "maximum": 18446744073709551617}, {"type": "integer", "maximum": 18446744073709551617.0}, "1 and 1.0 are the same JSON Schema number")

# ---- properties, required, readOnly/writeOnly ------------------------------------------------
def body(props, required=None, **kw):
    return obj(props, required, **kw)

def req_body(name, label, rules, b, r, source, version="3.0.3", note=None):
    mk = lambda s: spec({"/items": {"post": op(req=s)}}, version)
    add(name, label, rules, mk(b), mk(r), source, note)

def res_body(name, label, rules, b, r, source, version="3.0.3", note=None):
    mk = lambda s: spec({"/items": {"get": op(res=s)}}, version)
    add(name, label, rules, mk(b), mk(r), source, note)

base_obj = body({"id": S, "name": S}, ["id"])
req_body("request-required-property-added", "breaking", ["request-required-property-added"], base_obj, body({"id": S, "name": S, "age": I}, ["id", "age"]), "new-required-request-property (error)")
req_body("request-optional-property-added", "compatible", ["request-property-added"], base_obj, body({"id": S, "name": S, "age": I}, ["id"]), "new-optional-request-property (info)")
req_body("request-property-made-required", "breaking", ["request-property-made-required"], base_obj, body({"id": S, "name": S}, ["id", "name"]), "request-property-became-required (error)")
req_body("request-property-made-required-with-default", "breaking", ["request-property-made-required"], body({"id": S, "name": {"type": "string", "default": "x"}}, ["id"]),
         body({"id": S, "name": {"type": "string", "default": "x"}}, ["id", "name"]), "request-property-became-required-with-default (error)")
req_body("request-property-made-optional", "compatible", [], base_obj, body({"id": S, "name": S}), "request-property-became-optional (info)")
req_body("request-property-removed-open", "compatible", ["request-property-removed"], base_obj, body({"id": S}, ["id"]), "request-property-removed (warn)", note="a warning: the server ignores what clients still send")
req_body("request-property-removed-closed", "breaking", ["request-property-removed"], body({"id": S, "name": S}, ["id"], additionalProperties=False),
         body({"id": S}, ["id"], additionalProperties=False), "closed object: clients still sending `name` are now rejected")
req_body("request-readonly-required-added", "compatible", [], base_obj, body({"id": S, "name": S, "created": {"type": "string", "readOnly": True}}, ["id", "created"]),
         "OAS 3.0 readOnly: required applies to responses only; new-required-request-property is not reported for readOnly")
req_body("request-readonly-made-required", "compatible", [], body({"id": S, "etag": {"type": "string", "readOnly": True}}),
         body({"id": S, "etag": {"type": "string", "readOnly": True}}, ["etag"]), "readOnly property made required: responses only")
req_body("request-readonly-constraint-tightened", "compatible", [], body({"id": S, "etag": {"type": "string", "readOnly": True, "maxLength": 50}}),
         body({"id": S, "etag": {"type": "string", "readOnly": True, "maxLength": 10}}), "request-read-only-property-max-length-decreased (info)")
req_body("request-property-no-longer-readonly-required", "breaking", ["request-required-property-added"], body({"id": S, "etag": {"type": "string", "readOnly": True}}, ["etag"]),
         body({"id": S, "etag": S}, ["etag"]), "request-required-property-became-not-read-only: clients must now send it")
res_body("response-property-removed-required", "breaking", ["response-required-property-removed"], base_obj, body({"name": S}), "response-required-property-removed (error)")
res_body("response-optional-property-removed", "compatible", ["response-property-removed"], base_obj, body({"id": S}, ["id"]), "response-optional-property-removed (warn)", note="a warning")
res_body("response-property-added", "compatible", ["response-property-added"], base_obj, body({"id": S, "name": S, "age": I}, ["id"]), "response-optional-property-added (info)")
res_body("response-required-property-added", "compatible", [], base_obj, body({"id": S, "name": S, "age": I}, ["id", "age"]), "response-required-property-added (info)")
res_body("response-property-made-optional", "breaking", ["response-property-made-optional"], base_obj, body({"id": S, "name": S}), "response-property-became-optional (error)")
res_body("response-property-made-required", "compatible", [], base_obj, body({"id": S, "name": S}, ["id", "name"]), "response-property-became-required (info)")
res_body("response-writeonly-property-removed", "compatible", [], body({"id": S, "password": {"type": "string", "writeOnly": True}}, ["id", "password"]), body({"id": S}, ["id"]),
         "response-required-write-only-property-removed (info): writeOnly properties are never in responses")
res_body("response-writeonly-required-added", "compatible", [], base_obj, body({"id": S, "name": S, "secret": {"type": "string", "writeOnly": True}}, ["id", "secret"]), "response-required-write-only-property-added (info)")
res_body("response-nested-property-removed", "breaking", ["response-required-property-removed"], body({"owner": body({"id": S, "login": S}, ["id", "login"])}, ["owner"]),
         body({"owner": body({"id": S}, ["id"])}, ["owner"]), "response-required-property-removed (error) in a nested object")
res_body("response-array-items-property-removed", "breaking", ["response-required-property-removed"], {"type": "array", "items": body({"id": S, "login": S}, ["id", "login"])},
         {"type": "array", "items": body({"id": S}, ["id"])}, "response-required-property-removed (error) under items")
req_body("request-additional-properties-schema-narrowed", "breaking", ["request-type-changed"], {"type": "object", "additionalProperties": S},
         {"type": "object", "additionalProperties": I}, "request-property-type-changed (error) on additionalProperties")
req_body("request-property-removed-covered-by-additional", "compatible", [], body({"a": S, "b": S}, additionalProperties=S), body({"a": S}, additionalProperties=S),
         "the removed property is still accepted by additionalProperties: {type: string}")
req_body("request-property-removed-covered-by-pattern", "compatible", [], body({"x-a": S}, additionalProperties=False, patternProperties={"^x-": S}),
         body({}, additionalProperties=False, patternProperties={"^x-": S}), "the removed property is still accepted by patternProperties ^x-", "3.1.0")

# ---- composition ----------------------------------------------------------------------------
A = body({"kind": {"type": "string", "enum": ["a"]}, "x": S}, ["kind"])
B = body({"kind": {"type": "string", "enum": ["b"]}, "y": I}, ["kind"])
C = body({"kind": {"type": "string", "enum": ["c"]}, "z": N}, ["kind"])
comps = lambda: {"schemas": {"A": A, "B": B, "C": C, "Base": body({"id": S}, ["id"]), "Extra": body({"note": S}), "Ann": {"description": "annotation only"}}}
ref = lambda n: {"$ref": f"#/components/schemas/{n}"}
def comp_pair(name, label, rules, sb, sr, source, where="request", version="3.0.3", note=None):
    mk = lambda s: spec({"/items": {"post": op(req=s)} if where == "request" else {"get": op(res=s)}}, version, comps())
    add(name, label, rules, mk(sb), mk(sr), source, note)

comp_pair("request-one-of-alternative-removed", "breaking", ["request-alternative-removed"], {"oneOf": [ref("A"), ref("B")]}, {"oneOf": [ref("A")]}, "request-body-one-of-removed (error)")
comp_pair("request-one-of-alternative-added", "compatible", ["request-alternative-added"], {"oneOf": [ref("A"), ref("B")]}, {"oneOf": [ref("A"), ref("C"), ref("B")]}, "request-body-one-of-added (info)")
comp_pair("response-one-of-alternative-added", "breaking", ["response-alternative-added"], {"oneOf": [ref("A"), ref("B")]}, {"oneOf": [ref("A"), ref("B"), ref("C")]}, "response-body-one-of-added (error)", "response")
comp_pair("response-one-of-alternative-removed", "compatible", [], {"oneOf": [ref("A"), ref("B")]}, {"oneOf": [ref("B")]}, "response-body-one-of-removed (info)", "response")
comp_pair("request-any-of-alternative-removed", "breaking", ["request-alternative-removed"], {"anyOf": [ref("A"), ref("B")]}, {"anyOf": [ref("B")]}, "request-body-any-of-removed (error)")
comp_pair("response-any-of-alternative-added", "breaking", ["response-alternative-added"], {"anyOf": [ref("A")]}, {"anyOf": [ref("A"), ref("B")]}, "response-body-any-of-added: oasdiff says info; a client reading the response now meets values it does not know", "response",
          note="deliberate disagreement with oasdiff (info): widening a response breaks readers")
comp_pair("request-inline-alternative-replaced-by-ref", "compatible", [], {"oneOf": [A, ref("B")]}, {"oneOf": [ref("A"), ref("B")]}, "an inline alternative replaced by an identical $ref is no change")
comp_pair("request-alternatives-reordered", "compatible", [], {"oneOf": [ref("A"), ref("B")]}, {"oneOf": [ref("B"), ref("A")]}, "alternatives are matched by structure, not position")
comp_pair("request-alternative-narrowed", "breaking", ["request-constraint-tightened"], {"oneOf": [ref("A"), body({"q": {"type": "string", "maxLength": 9}})]},
          {"oneOf": [ref("A"), body({"q": {"type": "string", "maxLength": 3}})]}, "request-property-max-length-decreased inside a oneOf alternative")
comp_pair("request-wrapped-in-nullable-any-of", "compatible", [], ref("A"), {"anyOf": [ref("A"), {"type": "null"}]}, "a nullable wrapper compares what is inside; null added to a request is a widening", "request", "3.1.0")
comp_pair("response-wrapped-in-nullable-any-of", "breaking", ["response-alternative-added"], ref("A"), {"anyOf": [ref("A"), {"type": "null"}]}, "response-body-became-nullable (error)", "response", "3.1.0")
comp_pair("response-unwrapped-from-one-of", "compatible", [], {"oneOf": [ref("A"), ref("B")]}, ref("A"), "response narrowed to one alternative", "response")
comp_pair("request-unwrapped-from-one-of", "breaking", ["request-alternative-removed"], {"oneOf": [ref("A"), ref("B")]}, ref("A"), "request-body-one-of-removed (error)")
comp_pair("request-single-one-of-to-all-of", "compatible", [], {"oneOf": [ref("A")]}, {"allOf": [ref("A")]}, "a one-member combinator switched is no change")
comp_pair("request-all-of-member-added", "breaking", ["request-all-of-member-added"], {"allOf": [ref("Base")]}, {"allOf": [ref("Base"), ref("Extra")]}, "request-body-all-of-added (error)")
comp_pair("request-all-of-annotation-member-added", "compatible", [], {"allOf": [ref("Base")]}, {"allOf": [ref("Base"), ref("Ann")]}, "request-body-all-of-added-annotation-only (info)")
comp_pair("request-all-of-member-removed", "compatible", [], {"allOf": [ref("Base"), ref("Extra")]}, {"allOf": [ref("Base")]}, "request-body-all-of-removed (warn)")
comp_pair("response-all-of-member-removed-required", "breaking", ["response-required-property-removed"], {"allOf": [ref("Base"), ref("Extra")]}, {"allOf": [ref("Extra")]}, "response-required-property-removed via an allOf member", "response")
comp_pair("request-all-of-inlined-equivalent", "compatible", [], {"allOf": [ref("Base"), ref("Extra")]}, body({"id": S, "note": S}, ["id"]), "allOf flattened by hand: same properties, same required")
comp_pair("request-ref-renamed-identical", "compatible", [], ref("A"), ref("A"), "no change")
comp_pair("response-discriminator-mapping-changed", "compatible", ["response-discriminator-changed"],
          {"oneOf": [ref("A"), ref("B")], "discriminator": {"propertyName": "kind", "mapping": {"a": "#/components/schemas/A", "b": "#/components/schemas/B"}}},
          {"oneOf": [ref("A"), ref("B")], "discriminator": {"propertyName": "kind", "mapping": {"a": "#/components/schemas/A", "b": "#/components/schemas/A"}}},
          "response-body-discriminator-mapping-changed (info); Gatehouse warns", "response")
comp_pair("request-not-widened", "breaking", ["request-enum-value-removed"], {"type": "string", "not": {"enum": ["a"]}}, {"type": "string", "not": {"enum": ["a", "b"]}}, "a wider `not` is a narrower schema", "request", "3.1.0")
comp_pair("request-not-narrowed", "compatible", [], {"type": "string", "not": {"enum": ["a", "b"]}}, {"type": "string", "not": {"enum": ["a"]}}, "a narrower `not` is a wider schema", "request", "3.1.0")
comp_pair("request-prefix-items-narrowed", "breaking", ["request-type-changed"], {"type": "array", "prefixItems": [S, I]}, {"type": "array", "prefixItems": [S, S]}, "request prefixItems[1] type changed", "request", "3.1.0")
comp_pair("request-prefix-item-added-open", "breaking", ["request-tuple-narrowed"], {"type": "array", "prefixItems": [S]}, {"type": "array", "prefixItems": [S, I]}, "a new position constrains what open arrays held", "request", "3.1.0")
comp_pair("request-items-array-to-schema", "compatible", [], {"type": "array", "prefixItems": [S, S], "items": S}, {"type": "array", "items": S}, "a tuple of strings followed by strings → an array of strings: the same arrays", "request", "3.1.0")
comp_pair("request-open-tuple-to-items-schema", "breaking", ["request-tuple-narrowed"], {"type": "array", "prefixItems": [S, S]}, {"type": "array", "items": S}, "items after the tuple were unconstrained and must now be strings", "request", "3.1.0")

# recursive and shared schemas
rec = lambda extra: {"schemas": {"Node": body(dict({"name": S, "children": {"type": "array", "items": ref("Node")}}, **extra), ["name"])}}
add("response-recursive-schema-property-removed", "breaking", ["response-required-property-removed"],
    spec({"/tree": {"get": op(res=ref("Node"))}}, components={"schemas": {"Node": body({"name": S, "id": S, "children": {"type": "array", "items": ref("Node")}}, ["name", "id"])}}),
    spec({"/tree": {"get": op(res=ref("Node"))}}, components=rec({})), "response-required-property-removed in a recursive schema")
add("response-recursive-schema-unchanged", "compatible", [], spec({"/tree": {"get": op(res=ref("Node"))}}, components=rec({})),
    spec({"/tree": {"get": op(res=ref("Node"))}, "/other": {"get": op(res=S, operationId="other")}}, components=rec({})), "a recursive schema compared with itself; an endpoint added")

# ---- parameters -----------------------------------------------------------------------------
def P(name, where="query", schema=None, **kw):
    d = {"name": name, "in": where, "schema": schema or S}
    d.update(kw)
    return d
def par_pair(name, label, rules, pb, pr, source, path="/items", version="3.0.3", note=None):
    mk = lambda ps, p: spec({p: {"get": op(params=ps)}}, version)
    pb_path, pr_path = (path, path) if isinstance(path, str) else path
    add(name, label, rules, mk(pb, pb_path), mk(pr, pr_path), source, note)

par_pair("required-parameter-added", "breaking", ["required-parameter-added"], [P("a")], [P("a"), P("b", required=True)], "new-required-request-parameter (error)")
par_pair("optional-parameter-added", "compatible", ["parameter-added"], [P("a")], [P("a"), P("b")], "new-optional-request-parameter (info)")
par_pair("parameter-removed", "breaking", ["parameter-removed"], [P("a"), P("b")], [P("a")], "request-parameter-removed (warn)", note="deliberate disagreement: oasdiff warns; a client relying on `b` silently loses its effect")
par_pair("parameter-made-required", "breaking", ["parameter-made-required"], [P("a")], [P("a", required=True)], "request-parameter-became-required (error)")
par_pair("parameter-made-optional", "compatible", [], [P("a", required=True)], [P("a")], "request-parameter-became-optional (info)")
par_pair("parameter-location-changed", "breaking", ["parameter-location-changed"], [P("a")], [P("a", "header")], "request-parameter-removed + new parameter in another location")
par_pair("parameter-type-narrowed", "breaking", ["request-type-changed"], [P("a")], [P("a", schema=I)], "request-parameter-type-changed (error)")
par_pair("parameter-type-widened", "compatible", [], [P("a", schema=I)], [P("a", schema=N)], "request-parameter-type-generalized (info)")
par_pair("parameter-enum-value-removed", "breaking", ["request-enum-value-removed"], [P("a", schema={"type": "string", "enum": ["x", "y"]})], [P("a", schema={"type": "string", "enum": ["x"]})], "request-parameter-enum-value-removed (error)")
par_pair("parameter-enum-value-added", "compatible", [], [P("a", schema={"type": "string", "enum": ["x"]})], [P("a", schema={"type": "string", "enum": ["x", "y"]})], "request-parameter-enum-value-added (info)")
par_pair("parameter-max-decreased", "breaking", ["request-constraint-tightened"], [P("limit", schema={"type": "integer", "maximum": 100})], [P("limit", schema={"type": "integer", "maximum": 50})], "request-parameter-max-decreased (error)")
par_pair("parameter-max-increased", "compatible", [], [P("limit", schema={"type": "integer", "maximum": 50})], [P("limit", schema={"type": "integer", "maximum": 100})], "request-parameter-max-increased (info)")
par_pair("parameter-default-changed", "breaking", ["parameter-default-changed"], [P("limit", schema={"type": "integer", "default": 10})], [P("limit", schema={"type": "integer", "default": 20})], "request-parameter-default-value-changed (error)")
par_pair("parameter-default-added", "breaking", ["parameter-default-changed"], [P("limit", schema=I)], [P("limit", schema={"type": "integer", "default": 20})], "request-parameter-default-value-added (error)")
par_pair("parameter-default-removed", "breaking", ["parameter-default-changed"], [P("limit", schema={"type": "integer", "default": 20})], [P("limit", schema=I)], "request-parameter-default-value-removed (error)")
par_pair("parameter-style-changed", "breaking", ["parameter-style-changed"], [P("ids", schema={"type": "array", "items": S})], [P("ids", schema={"type": "array", "items": S}, style="pipeDelimited")], "clients serialise the array differently")
par_pair("parameter-explode-changed", "breaking", ["parameter-style-changed"], [P("ids", schema={"type": "array", "items": S})], [P("ids", schema={"type": "array", "items": S}, explode=False)], "form explode true → false: ids=a&ids=b becomes ids=a,b")
par_pair("parameter-style-default-made-explicit", "compatible", [], [P("ids", schema={"type": "array", "items": S})], [P("ids", schema={"type": "array", "items": S}, style="form", explode=True)], "the defaults written out: no change")
par_pair("query-parameter-renamed-same-type", "breaking", ["parameter-renamed"], [P("page")], [P("pageNumber")], "a renamed query parameter: old clients' value is ignored")
par_pair("query-parameter-replaced-other-type", "breaking", ["parameter-removed"], [P("count", schema=I)], [P("filter", schema=S)], "an integer parameter replaced by an unrelated string one is a removal, not a rename")
par_pair("header-parameter-case-changed", "compatible", [], [P("X-Request-Id", "header")], [P("x-request-id", "header")], "header names are case-insensitive")
par_pair("parameter-deprecated", "compatible", [], [P("a")], [P("a", deprecated=True)], "request-parameter-deprecated (info)")
par_pair("path-parameter-renamed", "compatible", [], [P("group_id", "path", required=True)], [P("groupId", "path", required=True)], "path template names are not on the wire", ("/groups/{group_id}", "/groups/{groupId}"))
par_pair("path-parameter-renamed-type-narrowed", "breaking", ["request-type-changed"], [P("group_id", "path", required=True)], [P("groupId", "path", required=True, schema=I)],
         "renamed path parameters are matched by position and their schemas compared", ("/groups/{group_id}", "/groups/{groupId}"))
par_pair("new-path-parameter", "breaking", ["path-removed"], [], [P("id", "path", required=True)], "new-request-path-parameter (error): the old URL no longer exists", ("/items", "/items/{id}"))
par_pair("header-parameter-made-required", "breaking", ["parameter-made-required"], [P("X-Tenant", "header")], [P("X-Tenant", "header", required=True)], "request-parameter-became-required (error) on a header")
par_pair("parameter-x-extensible-enum-removed", "breaking", ["request-extensible-enum-value-removed"], [P("sort", schema={"type": "string", "x-extensible-enum": ["asc", "desc"]})],
         [P("sort", schema={"type": "string", "x-extensible-enum": ["asc"]})], "request-parameter-x-extensible-enum-value-removed (error)")
par_pair("parameter-content-schema-narrowed", "breaking", ["request-type-changed"], [{"name": "q", "in": "query", "content": {"application/json": {"schema": obj({"a": S})}}}],
         [{"name": "q", "in": "query", "content": {"application/json": {"schema": obj({"a": I})}}}], "request-parameter-property-type-changed (warn/error) under parameter content")
add("path-level-parameter-moved-to-operation", "compatible", [],
    spec({"/items": {"parameters": [P("a")], "get": op()}}), spec({"/items": {"get": op(params=[P("a")])}}), "the same parameter, declared on the operation")

# ---- operations, paths, bodies, responses ------------------------------------------------------
two = lambda: {"/items": {"get": op(operationId="list"), "post": op(req=base_obj, operationId="create")}, "/items/{id}": {"get": op(params=[PATH_ID], operationId="get")}}
def mod(f):
    p = two()
    f(p)
    return spec(p)
add("path-removed", "breaking", ["path-removed"], spec(two()), mod(lambda p: p.pop("/items/{id}")), "api-path-removed-without-deprecation (error)")
add("path-added", "compatible", ["path-added"], spec(two()), mod(lambda p: p.update({"/other": {"get": op(operationId="o")}})), "endpoint-added (info)")
add("operation-removed", "breaking", ["operation-removed"], spec(two()), mod(lambda p: p["/items"].pop("post")), "api-removed-without-deprecation (error)")
add("operation-added", "compatible", ["operation-added"], spec(two()), mod(lambda p: p["/items"].update({"delete": op(operationId="del")})), "endpoint-added (info)")
add("operation-id-changed", "compatible", ["operation-id-changed"], spec(two()), mod(lambda p: p["/items"]["get"].update(operationId="listItems")), "api-operation-id-removed/added (info); Gatehouse warns")
add("summary-and-tags-changed", "compatible", [], spec(two()), mod(lambda p: p["/items"]["get"].update(summary="List", tags=["items"], description="All items")), "documentation only")
add("servers-changed", "compatible", [], spec(two(), servers=[{"url": "https://a.example.com"}]), spec(two(), servers=[{"url": "https://b.example.com"}]), "servers are deployment metadata (info)")
add("path-item-moved-to-ref", "compatible", [], spec(two()), spec({"/items": {"$ref": "#/x-items"}, "/items/{id}": two()["/items/{id}"]}, **{"x-items": two()["/items"]}), "a path item moved behind a $ref")
add("path-template-renamed", "compatible", [], spec({"/items/{id}": {"get": op(params=[PATH_ID], operationId="get")}}),
    spec({"/items/{itemId}": {"get": op(params=[dict(PATH_ID, name="itemId")], operationId="get")}}), "same path shape, different template name")

def body_op(rb):
    o = {"operationId": "create", "responses": {"201": resp(base_obj)}}
    if rb is not None:
        o["requestBody"] = rb
    return spec({"/items": {"post": o}})
jb = lambda sch=base_obj, req=False, media="application/json": dict({"content": {media: {"schema": sch}}}, **({"required": True} if req else {}))
add("request-body-added-required", "breaking", ["request-body-made-required"], body_op(None), body_op(jb(req=True)), "request-body-added-required (error)")
add("request-body-added-optional", "compatible", [], body_op(None), body_op(jb()), "request-body-added-optional (info)")
add("request-body-made-required", "breaking", ["request-body-made-required"], body_op(jb()), body_op(jb(req=True)), "request-body-became-required (error)")
add("request-body-made-optional", "compatible", [], body_op(jb(req=True)), body_op(jb()), "request-body-became-optional (info)")
add("request-body-removed", "breaking", ["request-body-removed"], body_op(jb(req=True)), body_op(None), "request-body-removed (error)")
add("request-media-type-removed", "breaking", ["request-media-type-removed"], body_op({"content": {"application/json": {"schema": base_obj}, "application/xml": {"schema": base_obj}}}),
    body_op(jb()), "request-body-media-type-removed (error)")
add("request-media-type-added", "compatible", [], body_op(jb()), body_op({"content": {"application/json": {"schema": base_obj}, "application/xml": {"schema": base_obj}}}), "request-body-media-type-added (info)")
add("request-untyped-body-given-schema", "breaking", ["request-body-schema-added"], body_op(jb(sch={})), body_op(jb(sch=base_obj)), "request-body-media-type-schema-added (error)")
add("request-body-schema-removed", "compatible", [], body_op(jb()), body_op({"content": {"application/json": {}}}), "request-body-media-type-schema-removed (info)")

def res_op(responses):
    return spec({"/items": {"get": {"operationId": "list", "responses": responses}}})
R200 = lambda **kw: resp(base_obj, **kw)
add("success-status-removed", "breaking", ["response-status-removed"], res_op({"200": R200(), "404": resp()}), res_op({"201": R200(), "404": resp()}), "response-success-status-removed (error)")
add("error-status-removed", "compatible", [], res_op({"200": R200(), "404": resp()}), res_op({"200": R200()}), "response-non-success-status-removed (info)")
add("default-response-removed", "compatible", [], res_op({"200": R200(), "default": resp()}), res_op({"200": R200()}), "response-non-success-status-removed (info)")
add("status-added", "compatible", [], res_op({"200": R200()}), res_op({"200": R200(), "429": resp()}), "response-non-success-status-added (info)")
add("response-media-type-removed", "breaking", ["response-media-type-removed"], res_op({"200": {"description": "ok", "content": {"application/json": {"schema": base_obj}, "text/csv": {"schema": S}}}}),
    res_op({"200": R200()}), "response-media-type-removed (error)")
add("response-media-type-added", "compatible", [], res_op({"200": R200()}), res_op({"200": {"description": "ok", "content": {"application/json": {"schema": base_obj}, "text/csv": {"schema": S}}}}), "response-media-type-added (info)")
H = lambda req=False, sch=S: dict({"schema": sch}, **({"required": True} if req else {}))
add("required-response-header-removed", "breaking", ["response-header-removed"], res_op({"200": R200(headers={"X-Rate": H(True)})}), res_op({"200": R200()}), "required-response-header-removed (error)")
add("optional-response-header-removed", "compatible", ["response-optional-header-removed"], res_op({"200": R200(headers={"X-Rate": H()})}), res_op({"200": R200()}), "optional-response-header-removed (warn)")
add("response-header-made-optional", "breaking", ["response-header-made-optional"], res_op({"200": R200(headers={"X-Rate": H(True)})}), res_op({"200": R200(headers={"X-Rate": H()})}), "response-header-became-optional (error)")
add("response-header-type-widened", "breaking", ["response-type-widened"], res_op({"200": R200(headers={"X-Rate": H(True, I)})}), res_op({"200": R200(headers={"X-Rate": H(True, N)})}), "response-header-type-generalized (error)")
add("response-header-added", "compatible", [], res_op({"200": R200()}), res_op({"200": R200(headers={"X-Rate": H(True)})}), "response-header-added (info)")
add("response-body-schema-removed", "compatible", ["response-body-schema-removed"], res_op({"200": R200()}), res_op({"200": {"description": "ok", "content": {"application/json": {}}}}), "response-body-media-type-schema-removed (warn)")

# security
sec = lambda s, **kw: spec({"/items": {"get": dict(op(operationId="list"), **({"security": s} if s is not None else {}))}},
                           components={"securitySchemes": {"key": {"type": "apiKey", "in": "header", "name": "X-Key"}, "oauth": {"type": "oauth2", "flows": {"clientCredentials": {"tokenUrl": "https://t.example.com", "scopes": {"read": "r", "write": "w"}}}}}}, **kw)
add("security-requirement-added", "breaking", ["security-requirement-added"], sec(None), sec([{"key": []}]), "callers without a key now get 401")
add("security-alternative-added", "compatible", [], sec([{"key": []}]), sec([{"key": []}, {"oauth": ["read"]}]), "api-security-added as an alternative (info)")
add("security-scope-added", "breaking", ["security-scope-added"], sec([{"oauth": ["read"]}]), sec([{"oauth": ["read", "write"]}]), "callers with read only now get 403")
add("security-removed", "compatible", [], sec([{"key": []}]), sec(None), "api-security-removed (info)")
add("global-security-added", "breaking", ["security-requirement-added"], sec(None), sec(None, security=[{"key": []}]), "api-global-security-added: every operation now requires a key")

# webhooks and callbacks: the API sends these requests, so their bodies flow to the client
wh = lambda payload, name="orderCreated": {name: {"post": {"requestBody": {"required": True, "content": {"application/json": {"schema": payload}}}, "responses": {"200": {"description": "ok"}}}}}
add("webhook-removed", "breaking", ["webhook-removed"], spec({}, "3.1.0", webhooks=wh(base_obj)), spec({}, "3.1.0", webhooks={}), "webhook-removed (error)")
add("webhook-added", "compatible", [], spec({}, "3.1.0", webhooks=wh(base_obj)), spec({}, "3.1.0", webhooks=dict(wh(base_obj), **wh(base_obj, "orderPaid"))), "webhook-added (info)")
add("webhook-payload-required-property-removed", "breaking", ["response-required-property-removed"], spec({}, "3.1.0", webhooks=wh(base_obj)), spec({}, "3.1.0", webhooks=wh(body({"name": S}))),
    "the webhook payload is read by the subscriber: a removed required property breaks it")
add("webhook-payload-required-property-added", "compatible", [], spec({}, "3.1.0", webhooks=wh(base_obj)), spec({}, "3.1.0", webhooks=wh(body({"id": S, "name": S, "n": I}, ["id", "n"]))),
    "subscribers receive more: compatible")
cb = lambda payload: {"post": {"operationId": "subscribe", "requestBody": {"content": {"application/json": {"schema": body({"url": S}, ["url"])}}},
                             "callbacks": {"onEvent": {"{$request.body#/url}": {"post": {"requestBody": {"content": {"application/json": {"schema": payload}}}, "responses": {"200": {"description": "ok"}}}}}} if payload is not None else {},
                             "responses": {"201": {"description": "ok"}}}}
add("callback-removed", "breaking", ["callback-removed"], spec({"/subscriptions": cb(base_obj)}), spec({"/subscriptions": cb(None)}), "a callback the client implements is no longer sent (callbacks removed break listeners)")
add("callback-payload-property-removed", "breaking", ["response-required-property-removed"], spec({"/subscriptions": cb(base_obj)}), spec({"/subscriptions": cb(body({"name": S}))}), "callback payloads are read by the client")

# lifecycle: x-stability-level, deprecation, x-sunset (today is 2026-06-01 in the runner)
lc = lambda **kw: spec({"/items": {"get": dict(op(operationId="list"), **kw)}, "/other": {"get": op(operationId="other")}})
gone = spec({"/other": {"get": op(operationId="other")}})
add("removed-after-sunset", "compatible", [], lc(deprecated=True, **{"x-sunset": "2026-01-31"}), gone, "api-path-removed-with-deprecation (info): sunset has passed")
add("removed-before-sunset", "breaking", ["removed-before-sunset"], lc(deprecated=True, **{"x-sunset": "2027-01-31"}), gone, "api-path-removed-before-sunset (error)")
add("removed-deprecated-without-sunset", "compatible", [], lc(deprecated=True), gone, "api-path-removed-with-deprecation (info): deprecated, no sunset promised")
add("removed-not-deprecated", "breaking", ["path-removed"], lc(), gone, "api-path-removed-without-deprecation (error)")
add("operation-removed-after-sunset", "compatible", [], spec({"/items": {"get": op(operationId="list"), "delete": op(operationId="del", deprecated=True, **{"x-sunset": "2026-01-01"})}}),
    spec({"/items": {"get": op(operationId="list")}}), "api-removed-with-deprecation (info)")
add("sunset-moved-earlier", "breaking", ["sunset-moved-earlier"], lc(deprecated=True, **{"x-sunset": "2027-06-01"}), lc(deprecated=True, **{"x-sunset": "2026-12-01"}), "api-sunset-date-changed-too-small (error)")
add("sunset-moved-later", "compatible", [], lc(deprecated=True, **{"x-sunset": "2026-12-01"}), lc(deprecated=True, **{"x-sunset": "2027-06-01"}), "a later sunset gives clients more time")
add("sunset-deleted", "breaking", ["sunset-deleted"], lc(deprecated=True, **{"x-sunset": "2027-06-01"}), lc(deprecated=True), "sunset-deleted (error)")
add("sunset-unparseable", "breaking", ["sunset-invalid"], lc(), lc(deprecated=True, **{"x-sunset": "next spring"}), "api-deprecated-sunset-parse (error)")
add("deprecated-with-sunset", "compatible", ["operation-deprecated"], lc(), lc(deprecated=True, **{"x-sunset": "2027-01-01"}), "endpoint-deprecated-with-sunset (info)")
add("stability-decreased", "breaking", ["stability-decreased"], lc(**{"x-stability-level": "stable"}), lc(**{"x-stability-level": "beta"}), "api-stability-decreased (error)")
add("stability-increased", "compatible", [], lc(**{"x-stability-level": "beta"}), lc(**{"x-stability-level": "stable"}), "api-stability-increased (info)")
add("stability-invalid", "breaking", ["stability-invalid"], lc(**{"x-stability-level": "beta"}), lc(**{"x-stability-level": "gamma"}), "api-invalid-stability-level (error)")
add("alpha-endpoint-changed", "compatible", [], spec({"/items": {"post": op(req=base_obj, **{"x-stability-level": "alpha"})}}),
    spec({"/items": {"post": op(req=body({"id": S, "name": S}, ["id", "name"]), **{"x-stability-level": "alpha"})}}), "draft and alpha endpoints may change (stability threshold beta)")
add("beta-endpoint-changed", "breaking", ["request-property-made-required"], spec({"/items": {"post": op(req=base_obj, **{"x-stability-level": "beta"})}}),
    spec({"/items": {"post": op(req=body({"id": S, "name": S}, ["id", "name"]), **{"x-stability-level": "beta"})}}), "beta endpoints are checked")
add("parameter-removed-after-sunset", "compatible", [], spec({"/items": {"get": op(params=[P("a"), P("b", deprecated=True, **{"x-sunset": "2026-01-01"})])}}),
    spec({"/items": {"get": op(params=[P("a")])}}), "request-parameter-removed-with-deprecation (info)")
add("parameter-removed-before-sunset", "breaking", ["removed-before-sunset"], spec({"/items": {"get": op(params=[P("a"), P("b", deprecated=True, **{"x-sunset": "2027-01-01"})])}}),
    spec({"/items": {"get": op(params=[P("a")])}}), "request-parameter-removed-before-sunset (error)")

add("callback-added", "compatible", ["callback-added"], spec({"/subscriptions": cb(None)}), spec({"/subscriptions": cb(base_obj)}), "a new callback the client may implement (info)")
add("deprecated-without-sunset", "compatible", ["deprecated-without-sunset"], lc(), lc(deprecated=True), "endpoint-deprecated (info); Gatehouse warns: no sunset date given")
add("deprecated-without-sunset-with-minimum-notice", "breaking", ["deprecated-without-sunset"], lc(), lc(deprecated=True), "api-deprecated-sunset-missing (error) when a minimum notice is configured",
    options="deprecation_days = { stable = 30 }")
add("sunset-too-soon", "breaking", ["sunset-too-soon"], lc(), lc(deprecated=True, **{"x-sunset": "2026-06-10"}), "api-sunset-date-too-small (error): 9 days of notice, 30 asked",
    options="deprecation_days = { stable = 30 }")
comp_pair("request-discriminator-mapping-changed", "compatible", ["request-discriminator-changed"],
          {"oneOf": [ref("A"), ref("B")], "discriminator": {"propertyName": "kind", "mapping": {"a": "#/components/schemas/A", "b": "#/components/schemas/B"}}},
          {"oneOf": [ref("A"), ref("B")], "discriminator": {"propertyName": "kind", "mapping": {"a": "#/components/schemas/A"}}},
          "request-body-discriminator-mapping-deleted (info); Gatehouse warns")
req_body("request-required-property-removed", "compatible", ["request-required-property-removed"], body({"id": S, "name": S}, ["id", "name"]), body({"id": S}, ["id"]),
         "request-property-removed (warn): clients still sending it are ignored")
comp_pair("response-all-of-member-added", "compatible", ["response-all-of-member-added"], {"allOf": [ref("Base")]}, {"allOf": [ref("Base"), ref("Extra")]}, "response-body-all-of-added (info)", "response")
res_body("response-default-changed", "compatible", ["response-default-changed"], body({"id": S, "n": {"type": "integer", "default": 1}}, ["id"]), body({"id": S, "n": {"type": "integer", "default": 2}}, ["id"]),
         "response-property-default-value-changed (info)")
res_prop("response-x-extensible-enum-removed", "compatible", ["response-extensible-enum-value-removed"], {"type": "string", "x-extensible-enum": ["a", "b"]}, {"type": "string", "x-extensible-enum": ["a"]},
         "fewer values in a response (info)")

# shared schema inlined many times (one finding listing places)
inl = lambda pat: spec({f"/r{i}": {"post": op(req=body({"code": {"type": "string", "pattern": pat}}), operationId=f"op{i}")} for i in range(8)})
add("inlined-pattern-changed-eight-times", "compatible", ["request-pattern-changed"], inl("^[a-z]{3}$"), inl("^[a-z]{3,4}$"), "one pattern edit in a schema inlined 8 times: one warning")
inl2 = lambda n: spec({f"/r{i}": {"post": op(req=body({"code": {"type": "string", "maxLength": n}}), operationId=f"op{i}")} for i in range(8)})
add("inlined-max-length-decreased-eight-times", "breaking", ["request-constraint-tightened"], inl2(10), inl2(5), "one maxLength edit in a schema inlined 8 times")

# ---------------------------------------------------------------------------------------------
def main():
    os.makedirs(OUT, exist_ok=True)
    for f in os.listdir(OUT):
        if f.endswith(".yaml"):
            os.remove(os.path.join(OUT, f))
    names = set()
    for i, (name, label, rules, b, r, source, note, options) in enumerate(pairs, 1):
        assert name not in names, name
        names.add(name)
        assert label in ("breaking", "compatible"), name
        doc = {"label": label, "rules": [f"contract.openapi.{x}" for x in rules], "source": source}
        if note:
            doc["note"] = note
        if options:
            doc["options"] = options
        doc["base"] = b
        doc["revision"] = r
        with open(os.path.join(OUT, f"{i:03}-{name}.yaml"), "w") as fh:
            yaml.safe_dump(doc, fh, sort_keys=False, width=120, default_flow_style=None)
    nb = sum(1 for p in pairs if p[1] == "breaking")
    print(f"{len(pairs)} pairs: {nb} breaking, {len(pairs) - nb} compatible", file=sys.stderr)

main()
