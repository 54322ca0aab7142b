//! Python's type rules for the filters that iterate, measure, order, hash or add values: Jinja2
//! raises a `TypeError` where minijinja quietly goes on (`none | list` is `[]`, `[1, 'a'] | sort`
//! orders them, `none | length` is 0). Each filter here checks its value the way Python would,
//! then runs minijinja's builtin.

use super::undefined_error;
use super::views::{generator, is_generator, lazily};
use minijinja::filters as builtin;
use minijinja::value::{Kwargs, Rest, Value, ValueKind, ValueOrKwargs};
use minijinja::{Environment, Error, ErrorKind, State};
use std::borrow::Cow;

/// Registers Python's type rules: each test and filter below checks its value as Python would,
/// then runs minijinja's builtin.
pub fn register(env: &mut Environment<'_>) {
    // Comparison tests order as Python does: like with like.
    for (name, op) in [
        ("lt", "<"),
        ("lessthan", "<"),
        ("le", "<="),
        ("gt", ">"),
        ("greaterthan", ">"),
        ("ge", ">="),
    ] {
        env.add_test(name, move |a: &Value, b: &Value| compare(a, b, op));
    }
    env.add_test("in", contained);
    env.add_test("divisibleby", is_divisible_by);
    env.add_test("even", is_even);
    env.add_test("odd", is_odd);
    env.add_test("lower", is_lower);
    env.add_test("upper", is_upper);
    env.add_test("callable", is_callable);
    env.add_test("iterable", is_iterable);
    env.add_test("sequence", is_sequence);
    env.add_filter("attr", attr);
    env.add_filter("list", list);
    env.add_filter("first", first);
    env.add_filter("last", last);
    env.add_filter("reverse", reverse);
    env.add_filter("length", length);
    env.add_filter("count", length);
    env.add_filter("sort", sort);
    env.add_filter("min", min);
    env.add_filter("max", max);
    env.add_filter("unique", unique);
    env.add_filter("sum", sum);
    env.add_filter("dictsort", dictsort);
    env.add_filter("map", map);
    env.add_filter("select", select);
    env.add_filter("reject", reject);
    env.add_filter("selectattr", selectattr);
    env.add_filter("rejectattr", rejectattr);
    env.add_filter("items", items);
    env.add_filter("groupby", groupby);
    env.add_filter("batch", batch);
    env.add_filter("slice", slice);
}

/// `value % num == 0`: Python's `%` on numbers only (on a string it formats).
fn is_divisible_by(v: &Value, n: &Value) -> Result<bool, Error> {
    Ok(remainder(v, n)? == 0.0)
}

/// `value % 2 == 0`, numbers only.
fn is_even(v: &Value) -> Result<bool, Error> {
    Ok(remainder(v, &Value::from(2))? == 0.0)
}

/// `value % 2 == 1`, numbers only.
fn is_odd(v: &Value) -> Result<bool, Error> {
    Ok(remainder(v, &Value::from(2))? == 1.0)
}

/// `str(value).islower()`: a cased character, and none of the other case.
fn is_lower(v: &Value) -> bool {
    let text = super::pyrepr::py_str(v);
    text.chars().any(char::is_lowercase) && !text.chars().any(char::is_uppercase)
}

/// `str(value).isupper()`: a cased character, and none of the other case.
fn is_upper(v: &Value) -> bool {
    let text = super::pyrepr::py_str(v);
    text.chars().any(char::is_uppercase) && !text.chars().any(char::is_lowercase)
}

/// Python's `callable()`: functions, macros and (Jinja2's) undefined; no data value.
fn is_callable(v: &Value) -> bool {
    !matches!(
        v.kind(),
        ValueKind::String
            | ValueKind::Number
            | ValueKind::Bool
            | ValueKind::None
            | ValueKind::Seq
            | ValueKind::Map
            | ValueKind::Bytes
            | ValueKind::Iterable
    )
}

/// `iter(value)` works: not for None, numbers or booleans.
fn is_iterable(v: &Value) -> bool {
    !matches!(
        v.kind(),
        ValueKind::None | ValueKind::Number | ValueKind::Bool
    )
}

/// Python's sequences: what has a length and items by index (strings and dicts too).
fn is_sequence(v: &Value) -> bool {
    matches!(
        v.kind(),
        ValueKind::String | ValueKind::Seq | ValueKind::Map | ValueKind::Iterable
    )
}

/// `getattr(value, name)`: the name must be a string; a Python method is not reproduced.
fn attr(s: &State, v: &Value, name: &Value) -> Result<Value, Error> {
    defined(s, v)?;
    if name.kind() != ValueKind::String {
        return Err(type_error(format!(
            "attribute name must be string, not '{}'",
            python_type(name)
        )));
    }
    // Python finds the methods of text, lists and dicts (`'a' | attr('upper')`).
    let method = name.as_str().unwrap_or_default();
    if is_python_method(v, method) {
        return Err(type_error(format!(
            "attr('{method}') reads a Python method of {}: not reproduced",
            python_type(v)
        )));
    }
    // Jinja2's `attr` is Python's `getattr`, never an item lookup: a dict has no attribute named
    // after its keys, so `{'port': 443} | attr('port')` is undefined (an error when printed
    // under StrictUndefined), and so is any name on text, lists and None. Numbers do have data
    // attributes (`real`, `numerator`…): not reproduced.
    if matches!(v.kind(), ValueKind::Number | ValueKind::Bool) {
        return Err(type_error(format!(
            "attr('{method}') of {}: Python's number attributes are not reproduced",
            python_type(v)
        )));
    }
    Ok(Value::UNDEFINED)
}

/// `list(value)`: only what Python can iterate.
fn list(s: &State, v: Value) -> Result<Value, Error> {
    iterable(s, &v)?;
    builtin::list(s, v)
}

/// The first item of what Python can iterate.
fn first(s: &State, v: &Value) -> Result<Value, Error> {
    iterable(s, v)?;
    builtin::first(v)
}

/// The last item: a generator is not reversible.
fn last(s: &State, v: Value) -> Result<Value, Error> {
    iterable(s, &v)?;
    if is_generator(&v) {
        return Err(type_error("'generator' object is not reversible".into()));
    }
    builtin::last(v)
}

/// A string reverses to a string, a generator to a list (Jinja2 lists what `reversed` refuses);
/// anything else to Python's reverse iterator.
fn reverse(s: &State, v: &Value) -> Result<Value, Error> {
    iterable(s, v)?;
    // A string reverses to a string, a generator to a list (Jinja2 lists what `reversed`
    // refuses); anything else to Python's reverse iterator.
    let reversed = builtin::reverse(v)?;
    if v.kind() == ValueKind::String {
        Ok(super::markup::like(v, super::pyrepr::py_str(&reversed)))
    } else if is_generator(v) {
        Ok(Value::from(reversed.try_iter()?.collect::<Vec<_>>()))
    } else {
        generator(reversed)
    }
}

/// `len(value)`: only what has a length (also registered as `count`).
fn length(s: &State, v: &Value) -> Result<usize, Error> {
    sized(s, v)?;
    builtin::length(v)
}

/// Jinja2's `sort(reverse, case_sensitive, attribute)`: the items must order as Python's do.
fn sort(s: &State, v: Value, args: Rest<Value>, k: Kwargs) -> Result<Value, Error> {
    let k = keywords(args, &["reverse", "case_sensitive", "attribute"], k)?;
    let reverse = if k.has("reverse") {
        Some(k.peek::<Value>("reverse")?)
    } else {
        None
    };
    if reverse
        .as_ref()
        .is_some_and(|r| !(r.is_integer() || r.kind() == ValueKind::Bool))
    {
        return Err(type_error("reverse must be a boolean or an integer".into()));
    }
    ordered(s, &v, &k, true)?;
    if let Some(sorted) = sorted_text_ignoring_case(&v, &k, reverse.as_ref())? {
        return Ok(sorted);
    }
    builtin::sort(s, v, k)
}

/// Jinja2 sorts text case-insensitively by Python's `str.lower()`, which maps some characters to
/// several (`'İ'` → `'i̇'`, before `'l'`); the builtin folds case otherwise. Text items with a
/// character outside ASCII, no `attribute=`: sorted here, stably as Python does (`reverse` too).
fn sorted_text_ignoring_case(
    v: &Value,
    k: &Kwargs,
    reverse: Option<&Value>,
) -> Result<Option<Value>, Error> {
    let case_sensitive = k
        .peek::<Option<Value>>("case_sensitive")?
        .is_some_and(|c| c.is_true());
    if case_sensitive || k.peek::<Option<Value>>("attribute")?.is_some() {
        return Ok(None);
    }
    let Ok(items) = v.try_iter() else {
        return Ok(None);
    };
    let items: Vec<Value> = items.collect();
    let texts: Option<Vec<&str>> = items.iter().map(Value::as_str).collect();
    let Some(texts) = texts.filter(|t| t.iter().any(|s| !s.is_ascii())) else {
        return Ok(None);
    };
    let mut keyed: Vec<(String, &str)> = texts.iter().map(|t| (t.to_lowercase(), *t)).collect();
    let descending = reverse.is_some_and(Value::is_true);
    keyed.sort_by(|a, b| {
        let order = a.0.cmp(&b.0);
        if descending {
            order.reverse()
        } else {
            order
        }
    });
    Ok(Some(Value::from(
        keyed
            .into_iter()
            .map(|(_, t)| Value::from(t))
            .collect::<Vec<_>>(),
    )))
}

/// Jinja2's `min(case_sensitive, attribute)`: the items must order.
fn min(s: &State, v: Value, args: Rest<Value>, k: Kwargs) -> Result<Value, Error> {
    let k = keywords(args, &["case_sensitive", "attribute"], k)?;
    ordered(s, &v, &k, false)?;
    builtin::min(s, v, k)
}

/// Jinja2's `max(case_sensitive, attribute)`: the items must order.
fn max(s: &State, v: Value, args: Rest<Value>, k: Kwargs) -> Result<Value, Error> {
    let k = keywords(args, &["case_sensitive", "attribute"], k)?;
    ordered(s, &v, &k, false)?;
    builtin::max(s, v, k)
}

/// Jinja2's `unique(case_sensitive, attribute)`, a generator: the items must hash.
fn unique(s: &State, v: Value, args: Rest<Value>, k: Kwargs) -> Result<Value, Error> {
    lazily((|| {
        let k = keywords(args, &["case_sensitive", "attribute"], k)?;
        let items = items_of(s, &v, &k)?;
        if let Some(item) = items.iter().find(|i| !hashable(i)) {
            return Err(type_error(format!(
                "unhashable type: '{}'",
                python_type(item)
            )));
        }
        generator(builtin::unique(s, v, k)?)
    })())
}

/// `sum` adds to `start` (0): numbers only, unless a start of another type says otherwise.
fn sum(
    s: &State,
    v: Value,
    attribute: Option<&str>,
    start: Option<Value>,
    k: Kwargs,
) -> Result<Value, Error> {
    iterable(s, &v)?;
    // `sum` adds to `start` (0): numbers only, unless a start of another type says otherwise.
    let named_start = if k.has("start") {
        Some(k.peek::<Value>("start")?)
    } else {
        None
    };
    let total_kind = start
        .as_ref()
        .or(named_start.as_ref())
        .map_or("int", python_type);
    if total_kind == "str" {
        return Err(type_error(
            "sum() can't sum strings [use ''.join(seq) instead]".into(),
        ));
    }
    let named = k.peek::<Option<&str>>("attribute")?;
    let path = attribute.or(named).map(str::to_string);
    if !matches!(total_kind, "int" | "float" | "bool") && v.try_iter()?.next().is_some() {
        return Err(type_error(format!(
            "sum with a start of type '{total_kind}': the playground adds numbers only"
        )));
    }
    for item in v.try_iter()? {
        let item = match &path {
            Some(path) => attribute_of(&item, path),
            None => item,
        };
        defined(s, &item)?;
        if !is_number(&item) {
            return Err(type_error(format!(
                "unsupported operand type(s) for +: '{total_kind}' and '{}'",
                python_type(&item)
            )));
        }
    }
    builtin::sum(s, v, attribute, start, k)
}

/// Jinja2's `dictsort(case_sensitive, by, reverse)`: a mapping, by `key` or `value` (whose values
/// must order).
fn dictsort(s: &State, v: &Value, args: Rest<Value>, k: Kwargs) -> Result<Value, Error> {
    let k = keywords(args, &["case_sensitive", "by", "reverse"], k)?;
    defined(s, v)?;
    if v.kind() != ValueKind::Map {
        return Err(type_error(format!(
            "'{}' object has no attribute 'items'",
            python_type(v)
        )));
    }
    // `by=none` is given too (an Option would read it as absent).
    let given = if k.has("by") {
        Some(k.peek::<Value>("by")?)
    } else {
        None
    };
    if given
        .as_ref()
        .is_some_and(|by| !matches!(by.as_str(), Some("key" | "value")))
    {
        return Err(type_error(
            "You can only sort by either \"key\" or \"value\"".into(),
        ));
    }
    let by = given.as_ref().and_then(Value::as_str);
    if by == Some("value") {
        let values: Vec<Value> = v
            .try_iter()?
            .map(|key| v.get_item(&key).unwrap_or_default())
            .collect();
        orderable(&values, false)?;
    }
    builtin::dictsort(v, k)
}

/// Jinja2's `map`, a generator over what Python can iterate.
fn map(s: &mut State, v: Value, args: Rest<ValueOrKwargs>) -> Result<Value, Error> {
    lazily((|| {
        if falsy(&v) {
            return generator(Value::from(Vec::<Value>::new()));
        }
        iterable(s, &v)?;
        generator(Value::from(builtin::map(s, v, args)?))
    })())
}

/// A defined value Python finds false (`False`, `0`, `0.0`, `''`, `None`, an empty list): the
/// generator filters (`map`, `select`, `reject`, `selectattr`, `rejectattr`) start with `if
/// value:` and yield nothing for it, iterable or not, before looking at their arguments.
fn falsy(v: &Value) -> bool {
    !v.is_undefined() && !v.is_true()
}

/// Jinja2's `select`, a generator.
fn select(s: &mut State, v: Value, args: Rest<ValueOrKwargs>) -> Result<Value, Error> {
    select_or_reject(s, v, args, false)
}

/// Jinja2's `reject`, a generator.
fn reject(s: &mut State, v: Value, args: Rest<ValueOrKwargs>) -> Result<Value, Error> {
    select_or_reject(s, v, args, true)
}

/// Jinja2's `selectattr`, a generator.
fn selectattr(s: &mut State, v: Value, args: Rest<ValueOrKwargs>) -> Result<Value, Error> {
    by_attribute(s, v, args, false)
}

/// Jinja2's `rejectattr`, a generator.
fn rejectattr(s: &mut State, v: Value, args: Rest<ValueOrKwargs>) -> Result<Value, Error> {
    by_attribute(s, v, args, true)
}

/// Jinja2's `items`, a generator over a mapping's pairs (an undefined value gives none, unless
/// strict).
fn items(s: &State, v: &Value) -> Result<Value, Error> {
    lazily((|| {
        if v.is_undefined() {
            defined(s, v)?;
            return generator(Value::from(Vec::<Value>::new()));
        }
        if v.kind() != ValueKind::Map {
            return Err(type_error("Can only get item pairs from a mapping.".into()));
        }
        generator(builtin::items(v)?)
    })())
}

/// Jinja2's `groupby(attribute, default, case_sensitive)`: the groupers must exist and order.
fn groupby(s: &State, v: Value, args: Rest<Value>, k: Kwargs) -> Result<Value, Error> {
    iterable(s, &v)?;
    let k = keywords(args, &["attribute", "default", "case_sensitive"], k)?;
    let attribute = match k.get::<Option<Value>>("attribute")? {
        None => None,
        Some(a) if a.is_none() => None,
        Some(a) if a.kind() == ValueKind::String => {
            Some(a.as_str().unwrap_or_default().to_string())
        }
        // An index into text items (within their length, attribute_of_text checks).
        Some(a)
            if a.is_integer()
                && v.try_iter()
                    .is_ok_and(|mut items| items.all(|i| i.kind() == ValueKind::String)) =>
        {
            attribute_of_text(&v, &a)?;
            Some(a.to_string())
        }
        // Python looks a boolean, float or structure up as an item; not reproduced.
        Some(a) => {
            return Err(type_error(format!(
                "groupby by the attribute {}: Jinja2 looks it up as an item, not reproduced",
                super::pyrepr::py_repr(&a)
            )))
        }
    };
    let attribute = attribute.as_deref();
    // Jinja2 sorts by the grouper first: its keys must order, and exist when strict.
    if let Some(path) = attribute {
        attribute_of_text(&v, &Value::from(path))?;
        let default = k.peek::<Option<Value>>("default")?;
        let keys: Vec<Value> = v
            .try_iter()?
            .map(|i| match (attribute_of(&i, path), &default) {
                (key, Some(d)) if key.is_undefined() => d.clone(),
                (key, _) => key,
            })
            .collect();
        missing_attribute(s, &keys, Some(path), false)?;
        if keys.iter().all(|key| !key.is_undefined()) {
            orderable(&keys, false)?;
        }
    }
    let groups = builtin::groupby(v, attribute, k)?;
    let groups: Vec<Value> = groups
        .try_iter()?
        .map(|g| {
            let list = g.get_item(&Value::from(1)).unwrap_or_default();
            let list: Vec<Value> = list.try_iter().map(Iterator::collect).unwrap_or_default();
            Value::from_object(super::views::Group {
                grouper: g.get_item(&Value::from(0)).unwrap_or_default(),
                list: Value::from(list),
            })
        })
        .collect();
    Ok(Value::from(groups))
}

/// Jinja2's `batch(linecount, fill_with)`: Python binds the arguments at the call and judges their
/// values only when the generator runs (`{% if x | batch('a') %}` is true).
fn batch(s: &State, v: Value, args: Rest<Value>, k: Kwargs) -> Result<Value, Error> {
    let k = keywords(args, &["linecount", "fill_with"], k)?;
    required(&k, "do_batch", "linecount")?;
    lazily((|| {
        iterable(s, &v)?;
        let fill = k.get::<Option<Value>>("fill_with")?;
        generator(builtin::batch(s, v, k.get::<usize>("linecount")?, fill)?)
    })())
}

/// Jinja2's `slice(slices, fill_with)`, judged when the generator runs as `batch` is.
fn slice(s: &State, v: Value, args: Rest<Value>, k: Kwargs) -> Result<Value, Error> {
    let k = keywords(args, &["slices", "fill_with"], k)?;
    required(&k, "do_slice", "slices")?;
    lazily((|| {
        iterable(s, &v)?;
        let fill = k.get::<Option<Value>>("fill_with")?;
        generator(builtin::slice(s, v, k.get::<usize>("slices")?, fill)?)
    })())
}

/// Under StrictUndefined every use of an undefined value but `default`, `is defined` and
/// `pprint` raises; a filter calls this before touching its value.
pub fn defined(state: &State, value: &Value) -> Result<(), Error> {
    if raises(state, value) {
        return Err(undefined_error(value));
    }
    Ok(())
}

/// Whether using `value` raises under `state`: an undefined value when strict — but not the
/// one an inline `if` without `else` gives, which is Jinja2's lenient `Undefined` whatever the
/// environment's (minijinja's silent undefined; its own string conversion tells them apart).
pub fn raises(state: &State, value: &Value) -> bool {
    value.is_undefined() && minijinja::value::StringInput::new(state, value).is_err()
}

/// Python type name of a value, for messages.
pub fn python_type(value: &Value) -> &'static str {
    use super::views::{DictView, Generator, Group, Range};
    if let Some(view) = value.downcast_object_ref::<DictView>() {
        return view.kind;
    } else if value.downcast_object_ref::<Range>().is_some() {
        return "range";
    } else if value.downcast_object_ref::<Generator>().is_some() {
        return "generator";
    } else if value.downcast_object_ref::<Group>().is_some() {
        return "tuple";
    }
    match value.kind() {
        ValueKind::String => "str",
        ValueKind::Map => "dict",
        ValueKind::Seq if value.is_tuple() => "tuple",
        ValueKind::Seq => "list",
        ValueKind::Number if value.is_integer() => "int",
        ValueKind::Number => "float",
        ValueKind::Bool => "bool",
        ValueKind::None => "NoneType",
        _ => "object",
    }
}

/// Python's `a % b` on numbers (a boolean counts as 0 or 1): integers exactly at any size, the
/// result with the divisor's sign; floats by CPython's rule (fmod, then the divisor's sign).
pub(crate) fn modulo(a: &Value, b: &Value) -> Result<Value, Error> {
    let whole = |v: &Value| match v.kind() {
        ValueKind::Bool => Some(v.is_true() as i128),
        ValueKind::Number if v.is_integer() => i128::try_from(v.clone()).ok(),
        _ => None,
    };
    let (x, y) = (number(a, "%")?, number(b, "%")?);
    match (whole(a), whole(b)) {
        (Some(_), Some(0)) => Err(type_error("integer modulo by zero".into())),
        (Some(a), Some(b)) => {
            let r = a.rem_euclid(b);
            let r = if r != 0 && b < 0 { r + b } else { r };
            Ok(i64::try_from(r).map_or_else(|_| Value::from(r), Value::from))
        }
        _ if y == 0.0 => Err(type_error("float modulo".into())),
        _ => {
            let r = x % y;
            Ok(Value::from(if r != 0.0 && (r < 0.0) != (y < 0.0) {
                r + y
            } else if r == 0.0 {
                0.0f64.copysign(y)
            } else {
                r
            }))
        }
    }
}

/// `a % b` as a number, for the tests that compare it (`even`, `odd`, `divisibleby`).
fn remainder(a: &Value, b: &Value) -> Result<f64, Error> {
    Ok(f64::try_from(modulo(a, b)?).unwrap_or(f64::NAN))
}

/// A number for an arithmetic test; Python's `%` fails on anything else (or formats a string).
fn number(value: &Value, op: &str) -> Result<f64, Error> {
    match value.kind() {
        ValueKind::Bool => Ok(if value.is_true() { 1.0 } else { 0.0 }),
        ValueKind::Number => Ok(f64::try_from(value.clone())?),
        ValueKind::String => Err(type_error(
            "not all arguments converted during string formatting".into(),
        )),
        _ => Err(type_error(format!(
            "unsupported operand type(s) for {op}: '{}' and 'int'",
            python_type(value)
        ))),
    }
}

/// `a <op> b` as Python compares: only like with like.
pub fn compare(a: &Value, b: &Value, op: &str) -> Result<bool, Error> {
    if orderable(&[a.clone(), b.clone()], false).is_err() {
        return Err(type_error(format!(
            "'{op}' not supported between instances of '{}' and '{}'",
            python_type(a),
            python_type(b)
        )));
    }
    let ordering = a.partial_cmp(b);
    Ok(match op {
        "<" => ordering == Some(std::cmp::Ordering::Less),
        "<=" => matches!(
            ordering,
            Some(std::cmp::Ordering::Less | std::cmp::Ordering::Equal)
        ),
        ">" => ordering == Some(std::cmp::Ordering::Greater),
        _ => matches!(
            ordering,
            Some(std::cmp::Ordering::Greater | std::cmp::Ordering::Equal)
        ),
    })
}

/// `item in container` as Python tests it.
pub fn contained(item: &Value, container: &Value) -> Result<bool, Error> {
    match (item.kind(), container.kind()) {
        (ValueKind::String, ValueKind::String) => Ok(container
            .as_str()
            .unwrap_or_default()
            .contains(item.as_str().unwrap_or_default())),
        (_, ValueKind::String) => Err(type_error(format!(
            "'in <string>' requires string as left operand, not {}",
            python_type(item)
        ))),
        (_, ValueKind::None | ValueKind::Number | ValueKind::Bool) => Err(type_error(format!(
            "argument of type '{}' is not iterable",
            python_type(container)
        ))),
        (ValueKind::Seq | ValueKind::Map, ValueKind::Map) if !hashable(item) => Err(type_error(
            format!("unhashable type: '{}'", python_type(item)),
        )),
        _ => Ok(container
            .try_iter()
            .map(|mut items| items.any(|i| &i == item))
            .unwrap_or(false)),
    }
}

/// `select(test, *args)` / `reject(…)`: the builtin, as Jinja2's lazy generator.
fn select_or_reject(
    s: &mut State,
    v: Value,
    args: Rest<ValueOrKwargs>,
    reject: bool,
) -> Result<Value, Error> {
    lazily((|| {
        if falsy(&v) {
            return generator(Value::from(Vec::<Value>::new()));
        }
        iterable(s, &v)?;
        let (test, args) = test_and_arguments(args)?;
        let test = test.as_deref().map(Cow::Borrowed);
        let kept = if reject {
            builtin::reject(s, v, test, args)?
        } else {
            builtin::select(s, v, test, args)?
        };
        generator(Value::from(kept))
    })())
}

/// `selectattr(attr, test, *args)` / `rejectattr(…)`: the builtin, as Jinja2's lazy generator.
/// `selectattr(attribute, test=None, *args)`: a generator, so a missing or odd argument only
/// fails when it runs.
fn by_attribute(
    s: &mut State,
    v: Value,
    mut args: Rest<ValueOrKwargs>,
    reject: bool,
) -> Result<Value, Error> {
    lazily((|| {
        if falsy(&v) {
            return generator(Value::from(Vec::<Value>::new()));
        }
        iterable(s, &v)?;
        // Jinja2 looks at the arguments only when there are items (`if value:`): a lenient
        // undefined is false too.
        if !v.is_true() {
            return generator(Value::from(Vec::<Value>::new()));
        }
        let mut positional =
            || (!args.is_empty() && !args[0].is_kwargs()).then(|| args.0.remove(0).into_value());
        let attr = positional()
            .ok_or_else(|| type_error("Missing parameter for attribute name".into()))?;
        let test = positional();
        let text_items = v
            .try_iter()
            .is_ok_and(|mut items| items.all(|i| i.kind() == ValueKind::String));
        let attr = match attr.kind() {
            ValueKind::String => attr.as_str().unwrap_or_default().to_string(),
            // An index into each text item (a mapping's key -1 is not reproduced).
            ValueKind::Number if attr.is_integer() && text_items => attr.to_string(),
            _ => {
                return Err(type_error(format!(
                    "the attribute {} is neither a name nor an index: not reproduced",
                    super::pyrepr::py_repr(&attr)
                )))
            }
        };
        let test = match test {
            None => None,
            Some(t) => Some(t.as_str().map(str::to_string).ok_or_else(|| {
                type_error(format!("No test named {}.", super::pyrepr::py_str(&t)))
            })?),
        };
        let (attr, test) = (Cow::from(attr), test.map(Cow::from));
        attribute_of_text(&v, &Value::from(attr.as_ref()))?;
        let kept = if reject {
            builtin::rejectattr(s, v, attr, test, args)?
        } else {
            builtin::selectattr(s, v, attr, test, args)?
        };
        generator(Value::from(kept))
    })())
}

/// `select(test, *args)`: the test's name, when given, must be a string (`none` is "no test
/// named None" in Jinja2, where the engine would read it as no test at all).
fn test_and_arguments(
    mut args: Rest<ValueOrKwargs>,
) -> Result<(Option<String>, Rest<ValueOrKwargs>), Error> {
    if args.is_empty() || args[0].is_kwargs() {
        return Ok((None, args));
    }
    let first = args.0.remove(0).into_value();
    match first.as_str() {
        Some(name) => Ok((Some(name.to_string()), args)),
        None => Err(type_error(format!(
            "No test named {}.",
            super::pyrepr::py_str(&first)
        ))),
    }
}

/// Positional arguments given by Jinja2's signature order, as keywords with the keywords given.
fn keywords(positional: Rest<Value>, names: &[&str], given: Kwargs) -> Result<Kwargs, Error> {
    if positional.len() > names.len() {
        return Err(type_error(format!(
            "takes at most {} arguments after the value ({} given)",
            names.len(),
            positional.len()
        )));
    }
    // `case_sensitive` is read for its truth, and an int `reverse` as a bool, as Python does.
    let truth = |name: &str, value: Value| {
        if name == "case_sensitive" || (name == "reverse" && value.is_integer()) {
            Value::from(value.is_true())
        } else {
            value
        }
    };
    let mut pairs: Vec<(String, Value)> = Vec::new();
    for (name, value) in names.iter().zip(positional.iter()) {
        if given.has(name) {
            return Err(type_error(format!(
                "got multiple values for argument '{name}'"
            )));
        }
        pairs.push((name.to_string(), truth(name, value.clone())));
    }
    for name in given.args() {
        pairs.push((name.to_string(), truth(name, given.get::<Value>(name)?)));
    }
    Ok(Kwargs::from_iter(pairs))
}

/// True when `name` is a method Python's str, list or dict has (what `attr()` would find).
pub fn is_python_method(value: &Value, name: &str) -> bool {
    const STR: &[&str] = &[
        "capitalize",
        "casefold",
        "center",
        "count",
        "encode",
        "endswith",
        "expandtabs",
        "find",
        "format",
        "format_map",
        "index",
        "isalnum",
        "isalpha",
        "isascii",
        "isdecimal",
        "isdigit",
        "isidentifier",
        "islower",
        "isnumeric",
        "isprintable",
        "isspace",
        "istitle",
        "isupper",
        "join",
        "ljust",
        "lower",
        "lstrip",
        "maketrans",
        "partition",
        "removeprefix",
        "removesuffix",
        "replace",
        "rfind",
        "rindex",
        "rjust",
        "rpartition",
        "rsplit",
        "rstrip",
        "split",
        "splitlines",
        "startswith",
        "strip",
        "swapcase",
        "title",
        "translate",
        "upper",
        "zfill",
    ];
    const LIST: &[&str] = &[
        "append", "clear", "copy", "count", "extend", "index", "insert", "pop", "remove",
        "reverse", "sort",
    ];
    const DICT: &[&str] = &[
        "clear",
        "copy",
        "fromkeys",
        "get",
        "items",
        "keys",
        "pop",
        "popitem",
        "setdefault",
        "update",
        "values",
    ];
    name.starts_with("__")
        || match value.kind() {
            ValueKind::String => STR.contains(&name),
            ValueKind::Seq => LIST.contains(&name),
            ValueKind::Map => DICT.contains(&name),
            _ => false,
        }
}

/// A Python positional argument without a default must be given.
fn required(k: &Kwargs, function: &str, name: &str) -> Result<(), Error> {
    if k.has(name) {
        Ok(())
    } else {
        Err(type_error(format!(
            "{function}() missing 1 required positional argument: '{name}'"
        )))
    }
}

/// An attribute read on text: Jinja2 finds Python's `str` methods and indexes there, which the
/// playground does not reproduce (refused, not guessed).
fn attribute_of_text(value: &Value, attribute: &Value) -> Result<(), Error> {
    // An integer (or a path of one number) within every text item's length indexes it as in
    // Python; past the end, Python's undefined is not reproduced.
    let index = if attribute.is_integer() {
        attribute.as_i64()
    } else {
        attribute
            .as_str()
            .filter(|a| !a.is_empty() && a.bytes().all(|b| b.is_ascii_digit()))
            .and_then(|a| a.parse().ok())
    };
    if let Some(index) = index {
        let within = value.try_iter().is_ok_and(|mut items| {
            items.all(|i| {
                let len = i.as_str().map_or(0, |s| s.chars().count()) as i64;
                i.kind() == ValueKind::String && (0..len).contains(&index)
                    || (-len..0).contains(&index)
            })
        });
        if within {
            return Ok(());
        }
    }
    let text_items = value
        .try_iter()
        .map(|mut items| items.any(|i| i.kind() == ValueKind::String))
        .unwrap_or(false);
    if text_items {
        return Err(type_error(format!(
            "the attribute {} of text: Jinja2 reads Python's str methods there, not reproduced",
            super::pyrepr::py_repr(attribute)
        )));
    }
    Ok(())
}

fn type_error(message: String) -> Error {
    Error::new(ErrorKind::InvalidOperation, message)
}

/// Python iterates strings, lists, tuples, dicts and ranges; not None, numbers or booleans.
/// An undefined value is minijinja's to judge (strict fails, lenient iterates nothing).
pub fn iterable(state: &State, value: &Value) -> Result<(), Error> {
    defined(state, value)?;
    if let Some(failure) = super::views::failure(value) {
        return Err(type_error(failure));
    }
    match value.kind() {
        ValueKind::None | ValueKind::Number | ValueKind::Bool => Err(type_error(format!(
            "'{}' object is not iterable",
            python_type(value)
        ))),
        _ => Ok(()),
    }
}

/// `len()` takes strings, lists, tuples and dicts, not generators.
fn sized(state: &State, value: &Value) -> Result<(), Error> {
    defined(state, value)?;
    if is_generator(value) {
        return Err(type_error("object of type 'generator' has no len()".into()));
    }
    match value.kind() {
        ValueKind::None | ValueKind::Number | ValueKind::Bool => Err(type_error(format!(
            "object of type '{}' has no len()",
            python_type(value)
        ))),
        _ => Ok(()),
    }
}

fn is_number(value: &Value) -> bool {
    matches!(value.kind(), ValueKind::Number | ValueKind::Bool)
}

/// `a.b.0` of an item, as Jinja2's `attribute=` reads it (undefined when missing).
fn attribute_of(item: &Value, path: &str) -> Value {
    path.split('.').fold(item.clone(), |value, part| {
        let by_index = part.parse::<i64>().ok().map(Value::from);
        match by_index {
            Some(i) if value.kind() == ValueKind::Seq => value.get_item(&i),
            _ => value.get_attr(part),
        }
        .unwrap_or_default()
    })
}

/// The values a filter compares or hashes: the items, or their `attribute=`.
fn items_of(state: &State, value: &Value, kwargs: &Kwargs) -> Result<Vec<Value>, Error> {
    iterable(state, value)?;
    let attribute = kwargs.peek::<Option<&str>>("attribute")?;
    if let Some(path) = attribute {
        attribute_of_text(value, &Value::from(path))?;
    }
    let items = value.try_iter()?;
    Ok(match attribute {
        Some(path) => items.map(|i| attribute_of(&i, path)).collect(),
        None => items.collect(),
    })
}

fn ordered(state: &State, value: &Value, kwargs: &Kwargs, equal_first: bool) -> Result<(), Error> {
    let items = items_of(state, value, kwargs)?;
    missing_attribute(
        state,
        &items,
        kwargs.peek::<Option<&str>>("attribute")?,
        equal_first,
    )?;
    orderable(&items, equal_first)
}

/// Keys compared by attribute that an item lacks: comparing undefined values fails (`sort`
/// compares its keys in lists, where lenient undefined values are equal: only strict fails).
fn missing_attribute(
    state: &State,
    keys: &[Value],
    attribute: Option<&str>,
    in_lists: bool,
) -> Result<(), Error> {
    let (Some(attribute), true) = (attribute, keys.len() > 1) else {
        return Ok(());
    };
    let strict = state.undefined_behavior() == minijinja::UndefinedBehavior::Strict;
    if (strict || !in_lists) && keys.iter().any(Value::is_undefined) {
        return Err(type_error(format!(
            "an item has no attribute '{attribute}' to compare by"
        )));
    }
    Ok(())
}

/// How Python orders a value: only numbers with numbers, strings with strings, lists with lists
/// and tuples with tuples; never None or dicts.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Order {
    Number,
    Text,
    List,
    Tuple,
    Never,
}

fn order_of(value: &Value) -> Order {
    match value.kind() {
        ValueKind::Number | ValueKind::Bool => Order::Number,
        ValueKind::String => Order::Text,
        ValueKind::Seq if value.is_tuple() => Order::Tuple,
        ValueKind::Seq => Order::List,
        _ => Order::Never,
    }
}

/// Whether ordering `items` compares only values Python can order. A comparison sort compares
/// every pair of items adjacent in its result (and `min`/`max` every item with the best so
/// far), so two kinds that do not order together fail whatever the order they come in.
/// Jinja2's `sort` compares keys wrapped in lists (`[a] < [b]`), where equal items are never
/// ordered (`equal_first`); sequences order at their first unequal position.
pub(super) fn orderable(items: &[Value], equal_first: bool) -> Result<(), Error> {
    let mut values: Vec<&Value> = Vec::new();
    for item in items {
        if !equal_first || !values.contains(&item) {
            values.push(item);
        }
    }
    let Some(first) = values.first() else {
        return Ok(());
    };
    if values.len() < 2 {
        return Ok(());
    }
    let kind = order_of(first);
    if let Some(other) = values
        .iter()
        .find(|v| kind == Order::Never || order_of(v) != kind)
    {
        let other = if kind == Order::Never && std::ptr::eq(*other, *first) {
            values[1]
        } else {
            other
        };
        return Err(type_error(format!(
            "'<' not supported between instances of '{}' and '{}'",
            python_type(other),
            python_type(first)
        )));
    }
    if matches!(kind, Order::List | Order::Tuple) {
        let rows: Vec<Vec<Value>> = values
            .iter()
            .map(|v| v.try_iter().map(Iterator::collect).unwrap_or_default())
            .collect();
        let width = rows.iter().map(Vec::len).max().unwrap_or(0);
        for k in 0..width {
            let column: Vec<Value> = rows.iter().filter_map(|r| r.get(k).cloned()).collect();
            orderable(&column, true)?;
        }
    }
    Ok(())
}

/// Python hashes strings, numbers, None, booleans and tuples of those; not lists or dicts.
pub(super) fn hashable(value: &Value) -> bool {
    match value.kind() {
        ValueKind::Seq if value.is_tuple() => value
            .try_iter()
            .map(|mut items| items.all(|i| hashable(&i)))
            .unwrap_or(false),
        ValueKind::Seq | ValueKind::Map => false,
        _ => true,
    }
}
