//! Request schemas utoipa's derive cannot state, for `#[schema(schema_with = …)]`: a
//! declaration that must be `true`, a choice among numbers, lists whose items have a form
//! or must differ. `schema_with` replaces the field's doc comment and examples, so each
//! takes its description (and a list its example).

use utoipa::openapi::schema::{Array, ArrayBuilder, Object, ObjectBuilder, SchemaType, Type};

/// A boolean whose only accepted value is `true` (an agreement, a confirmation). Any
/// boolean still parses, so `false` gets the rule's own 422 rather than a malformed body.
pub fn must_be_true(description: &str) -> Object {
    ObjectBuilder::new()
        .schema_type(Type::Boolean)
        .enum_values(Some([true]))
        .description(Some(description))
        .build()
}

/// An optional integer that is one of `choices` (or null: the default).
pub fn optional_choice(choices: &[i64], description: &str) -> Object {
    let values = choices
        .iter()
        .map(|c| serde_json::json!(c))
        .chain([serde_json::Value::Null]);
    ObjectBuilder::new()
        .schema_type(SchemaType::from_iter([Type::Integer, Type::Null]))
        .format(int64())
        .enum_values(Some(values))
        .description(Some(description))
        .build()
}

/// A list of 1 to `max` strings, each matching `pattern` and at most `max_chars` long.
pub fn strings(pattern: &str, max_chars: usize, max: usize, description: &str, example: serde_json::Value) -> Array {
    let item = ObjectBuilder::new()
        .schema_type(Type::String)
        .min_length(Some(1))
        .max_length(Some(max_chars))
        .pattern(Some(pattern));
    ArrayBuilder::new()
        .items(item)
        .min_items(Some(1))
        .max_items(Some(max))
        .description(Some(description))
        .examples([example])
        .build()
}

/// A list of 1 to `max` ids, each named once.
pub fn unique_ids(max: usize, description: &str) -> Array {
    let id = ObjectBuilder::new().schema_type(Type::Integer).format(int64());
    ArrayBuilder::new()
        .items(id)
        .min_items(Some(1))
        .max_items(Some(max))
        .unique_items(true)
        .description(Some(description))
        .build()
}

/// An optional list of at least one of `codes` (null: the default or no change).
pub fn optional_codes(codes: impl IntoIterator<Item = &'static str>, description: &str) -> Array {
    let code = ObjectBuilder::new().schema_type(Type::String).enum_values(Some(codes));
    ArrayBuilder::new()
        .schema_type(SchemaType::from_iter([Type::Array, Type::Null]))
        .items(code)
        .min_items(Some(1))
        .description(Some(description))
        .build()
}

fn int64() -> Option<utoipa::openapi::SchemaFormat> {
    Some(utoipa::openapi::SchemaFormat::KnownFormat(
        utoipa::openapi::KnownFormat::Int64,
    ))
}
