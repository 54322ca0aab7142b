//! Jinja2's `cycler(*items)` and `joiner(sep=', ')` globals, which minijinja does not have:
//! a cycler's `next()` gives its current item and moves on, `current` reads it, `reset()`
//! starts over; a joiner returns `''` on its first call and its separator on every later one.
//! Their state lives in the object, as in Python (a `{% set %}` holds the same one).

use super::pyrepr::py_str;
use minijinja::value::{from_args, Object, ObjectRepr, Value};
use minijinja::{Error, ErrorKind, State};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;

#[derive(Debug)]
struct Cycler {
    items: Vec<Value>,
    at: AtomicUsize,
}

impl Object for Cycler {
    fn repr(self: &Arc<Self>) -> ObjectRepr {
        ObjectRepr::Plain
    }

    fn get_value(self: &Arc<Self>, key: &Value) -> Option<Value> {
        (key.as_str() == Some("current"))
            .then(|| self.items[self.at.load(Ordering::Relaxed)].clone())
    }

    fn call_method(
        self: &Arc<Self>,
        _state: &mut State<'_, '_>,
        method: &str,
        args: &[Value],
    ) -> Result<Value, Error> {
        let () = from_args(args)?;
        match method {
            "next" => {
                let at = self.at.load(Ordering::Relaxed);
                self.at
                    .store((at + 1) % self.items.len(), Ordering::Relaxed);
                Ok(self.items[at].clone())
            }
            "reset" => {
                self.at.store(0, Ordering::Relaxed);
                Ok(Value::from(()))
            }
            _ => Err(Error::from(ErrorKind::UnknownMethod)),
        }
    }
}

/// `cycler(*items)`.
pub fn cycler(args: &[Value]) -> Result<Value, Error> {
    if args.is_empty() {
        return Err(Error::new(
            ErrorKind::InvalidOperation,
            "at least one item has to be provided",
        ));
    }
    Ok(Value::from_object(Cycler {
        items: args.to_vec(),
        at: AtomicUsize::new(0),
    }))
}

#[derive(Debug)]
struct Joiner {
    separator: String,
    used: AtomicBool,
}

impl Object for Joiner {
    fn repr(self: &Arc<Self>) -> ObjectRepr {
        ObjectRepr::Plain
    }

    fn call(self: &Arc<Self>, _state: &mut State<'_, '_>, args: &[Value]) -> Result<Value, Error> {
        let () = from_args(args)?;
        Ok(Value::from(if self.used.swap(true, Ordering::Relaxed) {
            self.separator.as_str()
        } else {
            ""
        }))
    }
}

/// `joiner(sep=', ')`: the separator as Python's `str()` writes it.
pub fn joiner(args: &[Value]) -> Result<Value, Error> {
    let (separator,): (Option<Value>,) = from_args(args)?;
    Ok(Value::from_object(Joiner {
        separator: separator.map_or_else(|| ", ".to_string(), |s| py_str(&s)),
        used: AtomicBool::new(false),
    }))
}
