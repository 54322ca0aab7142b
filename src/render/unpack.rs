//! Unpacking text. Python unpacks a string into its characters (`{% set a, b = 'xy' %}`,
//! `{% for k, v in ['ab', 'cd'] %}`); minijinja unpacks only sequences. Each template is loaded
//! with the value of such a `set` written as `__unpack((value))` and the iterable of such a
//! `for` as `__unpack_items((iterable))` (`rewrite.rs`): text becomes its list of characters,
//! everything else is left to the engine as it was.

use minijinja::value::{Value, ValueKind};

/// The names templates call.
pub const FUNCTION: &str = "__unpack";
pub const ITEMS_FUNCTION: &str = "__unpack_items";

fn characters(text: &str) -> Value {
    Value::from_iter(text.chars().map(|c| Value::from(c.to_string())))
}

/// `value` as a `set` with several names unpacks it.
pub fn unpack(value: Value) -> Value {
    match value.as_str() {
        Some(text) if value.kind() == ValueKind::String => characters(text),
        _ => value,
    }
}

/// `iterable` as a `for` with several names unpacks each item: unchanged unless an item is
/// text.
pub fn unpack_items(iterable: Value) -> Value {
    if !matches!(iterable.kind(), ValueKind::Seq | ValueKind::Iterable) {
        return iterable;
    }
    let Ok(items) = iterable.try_iter() else {
        return iterable;
    };
    let items: Vec<Value> = items.collect();
    if !items.iter().any(|i| i.kind() == ValueKind::String) {
        return iterable;
    }
    Value::from(items.into_iter().map(unpack).collect::<Vec<_>>())
}
