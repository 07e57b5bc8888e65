//! The OpenAPI and JSON Schema change rules, declared once as `const`s. Schema rules come in
//! three forms from one [`Slug`]: `contract.openapi.request-<slug>`, `contract.openapi.response-<slug>`
//! and `contract.jsonschema.<slug>`, each with its own default level.

use super::{ContractRule, Level};

macro_rules! operation_rules {
    ($( $name:ident, $id:literal, $level:ident, $summary:literal; )*) => {
        $( pub const $name: ContractRule = ContractRule::new(concat!("contract.openapi.", $id), Level::$level, $summary); )*
        /// The OpenAPI rules that are not about schemas.
        pub const OPERATION_RULES: &[&ContractRule] = &[$( &$name ),*];
    };
}

operation_rules! {
    PATH_REMOVED, "path-removed", Breaking, "An API path was removed (or its template gained a segment).";
    PATH_ADDED, "path-added", Info, "An API path was added.";
    OPERATION_REMOVED, "operation-removed", Breaking, "An operation (method on a path) was removed.";
    OPERATION_ADDED, "operation-added", Info, "An operation was added.";
    OPERATION_ID_CHANGED, "operation-id-changed", Warning, "An operation's `operationId` changed (generated client method names change).";
    DEPRECATED_WITHOUT_SUNSET, "deprecated-without-sunset", Warning, "An operation was deprecated without an `x-sunset` date (breaking when the policy sets a minimum notice).";
    OPERATION_DEPRECATED, "operation-deprecated", Info, "An operation was deprecated with an `x-sunset` date.";
    REMOVED_BEFORE_SUNSET, "removed-before-sunset", Breaking, "A deprecated operation or parameter was removed before its `x-sunset` date.";
    SUNSET_MOVED_EARLIER, "sunset-moved-earlier", Breaking, "An `x-sunset` date was moved earlier.";
    SUNSET_DELETED, "sunset-deleted", Breaking, "An `x-sunset` date was deleted from a still-deprecated operation.";
    SUNSET_INVALID, "sunset-invalid", Breaking, "An `x-sunset` date does not parse (RFC 3339 date or date-time).";
    SUNSET_TOO_SOON, "sunset-too-soon", Breaking, "A new `x-sunset` gives clients less notice than the policy's minimum for the stability level.";
    STABILITY_DECREASED, "stability-decreased", Breaking, "`x-stability-level` decreased (e.g. stable → beta).";
    STABILITY_INCREASED, "stability-increased", Info, "`x-stability-level` increased.";
    STABILITY_INVALID, "stability-invalid", Breaking, "`x-stability-level` is not one of draft, alpha, beta, stable.";
    PARAMETER_REMOVED, "parameter-removed", Breaking, "A parameter was removed (oasdiff warns; a client relying on it silently loses its effect).";
    PARAMETER_RENAMED, "parameter-renamed", Breaking, "A parameter was renamed (same location, position and type; old clients' value is ignored).";
    PARAMETER_LOCATION_CHANGED, "parameter-location-changed", Breaking, "A parameter moved (its `in` changed, e.g. query → header).";
    PARAMETER_MADE_REQUIRED, "parameter-made-required", Breaking, "An optional parameter became required.";
    PARAMETER_MADE_OPTIONAL, "parameter-made-optional", Info, "A required parameter became optional.";
    REQUIRED_PARAMETER_ADDED, "required-parameter-added", Breaking, "A new required parameter was added.";
    PARAMETER_ADDED, "parameter-added", Info, "A new optional parameter was added.";
    PARAMETER_DEFAULT_CHANGED, "parameter-default-changed", Breaking, "A parameter's `default` was added, removed or changed (clients omitting it relied on it).";
    PARAMETER_STYLE_CHANGED, "parameter-style-changed", Breaking, "A parameter's `style`/`explode` changed (clients serialise it differently).";
    REQUEST_BODY_MADE_REQUIRED, "request-body-made-required", Breaking, "The request body became required (or a required body was added).";
    REQUEST_BODY_MADE_OPTIONAL, "request-body-made-optional", Info, "The request body became optional.";
    REQUEST_BODY_REMOVED, "request-body-removed", Breaking, "The request body was removed.";
    REQUEST_BODY_SCHEMA_ADDED, "request-body-schema-added", Breaking, "An untyped request body (`{}` or no schema) was given a schema.";
    REQUEST_MEDIA_TYPE_REMOVED, "request-media-type-removed", Breaking, "A request media type is no longer accepted.";
    REQUEST_MEDIA_TYPE_ADDED, "request-media-type-added", Info, "A request media type was added.";
    RESPONSE_STATUS_REMOVED, "response-status-removed", Breaking, "A success (2xx/3xx) response status was removed.";
    RESPONSE_ERROR_STATUS_REMOVED, "response-error-status-removed", Info, "An error (4xx/5xx/default) response status was removed.";
    RESPONSE_STATUS_ADDED, "response-status-added", Info, "A response status was added.";
    RESPONSE_MEDIA_TYPE_REMOVED, "response-media-type-removed", Breaking, "A response media type was removed.";
    RESPONSE_MEDIA_TYPE_ADDED, "response-media-type-added", Info, "A response media type was added.";
    RESPONSE_BODY_SCHEMA_REMOVED, "response-body-schema-removed", Warning, "A response body lost its schema (clients can no longer rely on its shape).";
    RESPONSE_HEADER_REMOVED, "response-header-removed", Breaking, "A required response header was removed.";
    RESPONSE_OPTIONAL_HEADER_REMOVED, "response-optional-header-removed", Warning, "An optional response header was removed.";
    RESPONSE_HEADER_MADE_OPTIONAL, "response-header-made-optional", Breaking, "A required response header became optional.";
    RESPONSE_HEADER_ADDED, "response-header-added", Info, "A response header was added.";
    SECURITY_REQUIREMENT_ADDED, "security-requirement-added", Breaking, "An operation requires a security scheme its callers did not need before.";
    SECURITY_SCOPE_ADDED, "security-scope-added", Breaking, "An operation requires an OAuth scope its callers did not need before.";
    WEBHOOK_REMOVED, "webhook-removed", Breaking, "A webhook was removed (subscribers stop receiving it).";
    WEBHOOK_ADDED, "webhook-added", Info, "A webhook was added.";
    CALLBACK_REMOVED, "callback-removed", Breaking, "A callback was removed (listeners stop receiving it).";
    CALLBACK_ADDED, "callback-added", Info, "A callback was added.";
    SERVERS_CHANGED, "servers-changed", Info, "The `servers` list changed.";
}

macro_rules! schema_rules {
    ($( $slug:ident, $id:literal, $req:ident, $res:ident, $js:ident, $summary:literal; )*) => {
        /// What a schema change is, independent of direction and family.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        #[allow(non_camel_case_types)]
        pub enum Slug { $( $slug ),* }

        /// `contract.openapi.request-<slug>`: the client writes the value.
        pub mod request {
            use super::super::{ContractRule, Level};
            $( pub const $slug: ContractRule = ContractRule::new(concat!("contract.openapi.request-", $id), Level::$req, concat!("Request: ", $summary)); )*
        }
        /// `contract.openapi.response-<slug>`: the client reads the value.
        pub mod response {
            use super::super::{ContractRule, Level};
            $( pub const $slug: ContractRule = ContractRule::new(concat!("contract.openapi.response-", $id), Level::$res, concat!("Response: ", $summary)); )*
        }
        /// `contract.jsonschema.<slug>`; the level shown is for `backward`/`strict`.
        pub mod data {
            use super::super::{ContractRule, Level};
            $( pub const $slug: ContractRule = ContractRule::new(concat!("contract.jsonschema.", $id), Level::$js, concat!($summary, " The level follows `compatibility` and `policy`.")); )*
        }

        impl Slug {
            /// The OpenAPI rule for a request (`true`) or a response.
            pub fn openapi(self, request: bool) -> &'static ContractRule {
                match (self, request) {
                    $( (Slug::$slug, true) => &request::$slug, (Slug::$slug, false) => &response::$slug, )*
                }
            }
            /// The JSON Schema rule.
            pub fn jsonschema(self) -> &'static ContractRule {
                match self { $( Slug::$slug => &data::$slug, )* }
            }
        }

        /// Every OpenAPI schema rule, request then response forms.
        pub const OPENAPI_SCHEMA_RULES: &[&ContractRule] = &[$( &request::$slug, &response::$slug ),*];
        /// Every JSON Schema rule from a slug.
        pub const JSONSCHEMA_SCHEMA_RULES: &[&ContractRule] = &[$( &data::$slug ),*];
    };
}

schema_rules! {
    TYPE_NARROWED, "type-narrowed", Breaking, Info, Breaking, "A type or format accepts fewer values (number → integer, `null` no longer accepted, format added).";
    TYPE_WIDENED, "type-widened", Info, Breaking, Info, "A type or format accepts more values (integer → number, `null` accepted, int32 → int64).";
    TYPE_CHANGED, "type-changed", Breaking, Breaking, Breaking, "A type, format or content encoding changed to an unrelated one.";
    ENUM_VALUE_REMOVED, "enum-value-removed", Breaking, Info, Breaking, "An enum value was removed.";
    ENUM_VALUE_ADDED, "enum-value-added", Info, Warning, Info, "An enum value was added (in a response: clients with exhaustive matches may break).";
    CONST_CHANGED, "const-changed", Breaking, Breaking, Breaking, "A `const` value changed.";
    CONSTRAINT_TIGHTENED, "constraint-tightened", Breaking, Info, Breaking, "A bound, length, count, `multipleOf`, `pattern`, `uniqueItems`, `not`, `if`, `contains`, dependency, `oneOf`/`anyOf` constraint or enum restriction got stricter.";
    CONSTRAINT_LOOSENED, "constraint-loosened", Info, Breaking, Info, "A constraint got looser (in a response: clients may receive values they never saw).";
    PATTERN_CHANGED, "pattern-changed", Warning, Info, Breaking, "A `pattern` changed and cannot be proven wider.";
    DEFAULT_CHANGED, "default-changed", Warning, Info, Info, "A schema `default` changed (clients that omit the value get different behaviour).";
    PROPERTY_ADDED, "property-added", Info, Info, Breaking, "An optional property was added (to an open JSON Schema object it narrows what old data may hold).";
    REQUIRED_PROPERTY_ADDED, "required-property-added", Breaking, Info, Breaking, "A required property was added.";
    PROPERTY_REMOVED, "property-removed", Warning, Warning, Breaking, "An optional property was removed (a request break when the object is closed).";
    REQUIRED_PROPERTY_REMOVED, "required-property-removed", Warning, Breaking, Breaking, "A required property was removed (a request break when the object is closed).";
    PROPERTY_MADE_REQUIRED, "property-made-required", Breaking, Info, Breaking, "An optional property became required.";
    PROPERTY_MADE_OPTIONAL, "property-made-optional", Info, Breaking, Info, "A required property became optional (clients may get none).";
    ADDITIONAL_PROPERTIES_NARROWED, "additional-properties-narrowed", Breaking, Info, Breaking, "`additionalProperties`/`unevaluatedProperties`/`patternProperties` accept fewer properties.";
    ADDITIONAL_PROPERTIES_WIDENED, "additional-properties-widened", Info, Breaking, Info, "`additionalProperties`/`unevaluatedProperties`/`patternProperties` accept more properties.";
    TUPLE_NARROWED, "tuple-narrowed", Breaking, Info, Breaking, "`prefixItems`/tuple `items`/`additionalItems`/`unevaluatedItems` accept fewer arrays.";
    TUPLE_WIDENED, "tuple-widened", Info, Breaking, Info, "`prefixItems`/tuple `items`/`additionalItems`/`unevaluatedItems` accept more arrays.";
    ALTERNATIVE_REMOVED, "alternative-removed", Breaking, Info, Breaking, "A `oneOf`/`anyOf` alternative was removed (or `anyOf` became `oneOf`).";
    ALTERNATIVE_ADDED, "alternative-added", Info, Breaking, Info, "A `oneOf`/`anyOf` alternative was added (a nullable wrapper adds `null`).";
    ALL_OF_MEMBER_ADDED, "all-of-member-added", Breaking, Info, Breaking, "An `allOf` member with assertions was added.";
    ALL_OF_MEMBER_REMOVED, "all-of-member-removed", Info, Warning, Info, "An `allOf` member was removed.";
    DISCRIMINATOR_CHANGED, "discriminator-changed", Warning, Warning, Info, "A `discriminator` property name or mapping changed.";
    EXTENSIBLE_ENUM_VALUE_REMOVED, "extensible-enum-value-removed", Breaking, Info, Breaking, "An `x-extensible-enum` value was removed.";
}
