//! Python values the engine has no type of its own for, so that templates that print them print
//! what Python printed: the views a dict's `items()`, `keys()` and `values()` return
//! (`dict_items([('a', 1)])`) and `range(…)` (`range(0, 3)`). Both iterate like lists.

use minijinja::value::{Enumerator, Object, ObjectRepr, Value};
use minijinja::{Error, ErrorKind};
use std::sync::Arc;

/// A dict view: `dict_items`, `dict_keys` or `dict_values`.
#[derive(Debug)]
pub struct DictView {
    pub kind: &'static str,
    pub items: Vec<Value>,
}

impl Object for DictView {
    fn repr(self: &Arc<Self>) -> ObjectRepr {
        ObjectRepr::Seq
    }

    /// Views are not subscriptable in Python: `d.items()[0]` fails there too.
    fn get_value(self: &Arc<Self>, _key: &Value) -> Option<Value> {
        None
    }

    fn enumerate(self: &Arc<Self>) -> Enumerator {
        Enumerator::Values(self.items.clone())
    }

    fn enumerator_len(self: &Arc<Self>) -> Option<usize> {
        Some(self.items.len())
    }
}

pub fn dict_view(kind: &'static str, items: Vec<Value>) -> Value {
    Value::from_object(DictView { kind, items })
}

/// Python's `range(start, stop, step)`.
#[derive(Debug)]
pub struct Range {
    pub start: i64,
    pub stop: i64,
    pub step: i64,
}

/// The most items a range may hold (minijinja's own `range` refuses more than this too).
const MAX_RANGE: usize = 100_000;

impl Range {
    fn len(&self) -> usize {
        let span = if self.step > 0 {
            self.stop.saturating_sub(self.start)
        } else {
            self.start.saturating_sub(self.stop)
        };
        if span <= 0 {
            0
        } else {
            ((span - 1) / self.step.unsigned_abs() as i64 + 1) as usize
        }
    }
}

impl Object for Range {
    fn repr(self: &Arc<Self>) -> ObjectRepr {
        ObjectRepr::Seq
    }

    fn get_value(self: &Arc<Self>, key: &Value) -> Option<Value> {
        let len = self.len() as i64;
        let mut index = key.as_i64()?;
        if index < 0 {
            index += len;
        }
        (0..len)
            .contains(&index)
            .then(|| Value::from(self.start + index * self.step))
    }

    fn enumerate(self: &Arc<Self>) -> Enumerator {
        Enumerator::Seq(self.len())
    }

    fn enumerator_len(self: &Arc<Self>) -> Option<usize> {
        Some(self.len())
    }
}

/// `range(stop)`, `range(start, stop)`, `range(start, stop, step)`.
pub fn range(lower: i64, upper: Option<i64>, step: Option<i64>) -> Result<Value, Error> {
    let (start, stop) = match upper {
        Some(stop) => (lower, stop),
        None => (0, lower),
    };
    let step = step.unwrap_or(1);
    if step == 0 {
        return Err(Error::new(
            ErrorKind::InvalidOperation,
            "range() arg 3 must not be zero",
        ));
    }
    let range = Range { start, stop, step };
    if range.len() > MAX_RANGE {
        return Err(Error::new(
            ErrorKind::InvalidOperation,
            format!("range has more than {MAX_RANGE} items: the playground stops there"),
        ));
    }
    Ok(Value::from_object(range))
}

/// What Jinja2's `map`, `select`, `reject`, `selectattr`, `rejectattr`, `unique`, `batch`,
/// `slice`, `items` and `reverse` (of a list) return: a Python generator or iterator. It loops
/// and converts like a list, but Python prints it as `<generator object … at 0x…>` (an address
/// the playground cannot reproduce) and has no length: both are refused.
#[derive(Debug)]
pub struct Generator {
    pub items: Vec<Value>,
    /// Why Jinja2's generator fails when it runs: its filter's error, raised only when the
    /// generator is iterated (a generator never iterated never fails, and is true).
    pub failure: Option<String>,
}

impl Object for Generator {
    fn repr(self: &Arc<Self>) -> ObjectRepr {
        ObjectRepr::Iterable
    }

    /// A Python generator is true, even with nothing left to give.
    fn is_true(self: &Arc<Self>) -> bool {
        true
    }

    fn enumerate(self: &Arc<Self>) -> Enumerator {
        match self.failure {
            Some(_) => Enumerator::NonEnumerable,
            None => Enumerator::Values(self.items.clone()),
        }
    }
}

/// The items of a filter's result, as the generator Jinja2 returns.
pub fn generator(items: Value) -> Result<Value, Error> {
    let items: Vec<Value> = items.try_iter()?.collect();
    Ok(Value::from_object(Generator {
        items,
        failure: None,
    }))
}

/// A generator filter's result: its error is kept for when the generator runs, as in Python.
pub fn lazily(result: Result<Value, Error>) -> Result<Value, Error> {
    result.or_else(|error| {
        Ok(Value::from_object(Generator {
            items: Vec::new(),
            failure: Some(
                error
                    .detail()
                    .map_or_else(|| error.to_string(), str::to_string),
            ),
        }))
    })
}

/// The error a failed generator keeps, if `value` is one.
pub fn failure(value: &Value) -> Option<String> {
    value
        .downcast_object_ref::<Generator>()
        .and_then(|g| g.failure.clone())
}

pub fn is_generator(value: &Value) -> bool {
    value.downcast_object_ref::<Generator>().is_some()
}

/// A group of `groupby`: Jinja2's `_GroupTuple`, a tuple `(grouper, list)` that also answers
/// to `.grouper` and `.list`.
#[derive(Debug)]
pub struct Group {
    pub grouper: Value,
    pub list: Value,
}

impl Object for Group {
    fn repr(self: &Arc<Self>) -> ObjectRepr {
        ObjectRepr::Seq
    }

    fn get_value(self: &Arc<Self>, key: &Value) -> Option<Value> {
        match (key.as_i64(), key.as_str()) {
            (Some(0 | -2), _) | (_, Some("grouper")) => Some(self.grouper.clone()),
            (Some(1 | -1), _) | (_, Some("list")) => Some(self.list.clone()),
            _ => None,
        }
    }

    fn enumerate(self: &Arc<Self>) -> Enumerator {
        Enumerator::Seq(2)
    }

    fn enumerator_len(self: &Arc<Self>) -> Option<usize> {
        Some(2)
    }
}

/// Whether `value` is a dict view, a range or a group, which print their own way.
pub fn is_view(value: &Value) -> bool {
    value.downcast_object_ref::<DictView>().is_some()
        || value.downcast_object_ref::<Range>().is_some()
        || value.downcast_object_ref::<Group>().is_some()
}

/// How Python prints a dict view or a range, when `value` is one; `items` is how the list of
/// its items prints.
pub fn python_repr(value: &Value, items: impl FnOnce() -> String) -> Option<String> {
    if let Some(view) = value.downcast_object_ref::<DictView>() {
        return Some(format!("{}({})", view.kind, items()));
    }
    if value.downcast_object_ref::<Group>().is_some() {
        // `[grouper, list]` printed as the tuple it is.
        let list = items();
        return Some(format!("({})", &list[1..list.len() - 1]));
    }
    let range = value.downcast_object_ref::<Range>()?;
    Some(if range.step == 1 {
        format!("range({}, {})", range.start, range.stop)
    } else {
        format!("range({}, {}, {})", range.start, range.stop, range.step)
    })
}
