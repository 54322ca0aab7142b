//! The text budget of one render. Fuel counts the template's steps, not the work inside a filter:
//! `s | replace('', s)` or `[s] * 100000 | join` build gigabytes in one step. Every filter or
//! method that builds text checks its result's size here first, the formatter counts what is
//! printed (captured blocks and macros included), and the writers that cannot fail (Python repr,
//! JSON) stop once past the budget and mark the render, which then fails. Natively the same
//! checkpoints also end a render running past [`MAX_RENDER_TIME`] (in the page, the worker's
//! watchdog does: WebAssembly has no clock here).

use minijinja::{Error, ErrorKind};
use std::cell::{Cell, RefCell};

/// Wall-clock time one render may take natively, checked where text is built or printed.
pub const MAX_RENDER_TIME: std::time::Duration = std::time::Duration::from_secs(5);

/// Text one render may build, in its output or in any one value (a whole bundle is at most 5 MB;
/// CloudFormation takes templates of at most 1 MB).
pub const MAX_TEXT: usize = 16 << 20;

/// Widest padding or precision a filter or method may build: `center(10**9)` would take a
/// gigabyte before the fuel ran out (a whole bundle is at most 5 MB).
pub const MAX_WIDTH: usize = 1 << 20;

/// Items one list or tuple built by `+` or `*` may hold (each item is shared, but a list of
/// millions is past any template's needs and its printing past the text budget anyway).
pub const MAX_ITEMS: usize = 1 << 20;

thread_local! {
    /// Set once the render went past the budget; read by the renderer when it ends.
    static OVER: Cell<bool> = const { Cell::new(false) };
    /// Bytes printed by `{{ … }}` so far in this render.
    static PRINTED: Cell<usize> = const { Cell::new(0) };
    /// Why a writer that cannot fail stopped, when it was not the size.
    static REASON: RefCell<Option<String>> = const { RefCell::new(None) };
}

#[cfg(not(target_arch = "wasm32"))]
thread_local! {
    /// When the render started.
    static STARTED: Cell<Option<std::time::Instant>> = const { Cell::new(None) };
}

/// An error once the render has run past [`MAX_RENDER_TIME`] (natively).
fn check_time() -> Result<(), Error> {
    #[cfg(not(target_arch = "wasm32"))]
    if STARTED.get().is_some_and(|t| t.elapsed() > MAX_RENDER_TIME) {
        return Err(over(format!(
            "the render ran past {} s and was stopped",
            MAX_RENDER_TIME.as_secs()
        )));
    }
    Ok(())
}

/// Starts the budget of a new render.
pub(crate) fn start() {
    #[cfg(not(target_arch = "wasm32"))]
    STARTED.set(Some(std::time::Instant::now()));
    OVER.set(false);
    PRINTED.set(0);
    REASON.with_borrow_mut(|r| *r = None);
}

/// Marks the render as failed for `reason` (a writer that cannot return an error).
pub(crate) fn refuse(reason: String) {
    OVER.set(true);
    REASON.with_borrow_mut(|r| {
        r.get_or_insert(reason);
    });
}

/// Why the render was stopped by a writer that cannot fail, if one said.
pub(crate) fn reason() -> Option<String> {
    REASON.with_borrow(Clone::clone)
}

/// True when the render went past the budget (its result, if any, must not be used).
pub(crate) fn exceeded() -> bool {
    OVER.get()
}

/// Marks the render as past its budget and says why (the render's error, `template-limit`).
fn over(message: String) -> Error {
    OVER.set(true);
    Error::new(ErrorKind::InvalidOperation, message)
}

/// Refuses to build `what` when it would be `len` bytes, past the budget.
pub(crate) fn check(len: usize, what: &str) -> Result<(), Error> {
    check_time()?;
    if len <= MAX_TEXT {
        return Ok(());
    }
    Err(over(format!(
        "{what} would build {len} bytes of text, over the playground's limit of {} MB per render",
        MAX_TEXT >> 20
    )))
}

/// Refuses a `kind` (list, tuple) of `len` items past [`MAX_ITEMS`], before it is built.
pub(crate) fn check_items(len: usize, kind: &str) -> Result<(), Error> {
    check_time()?;
    if len <= MAX_ITEMS {
        return Ok(());
    }
    Err(over(format!(
        "a {kind} of {len} items is over the playground's limit of {MAX_ITEMS}"
    )))
}

/// Refuses a padding width or precision over [`MAX_WIDTH`], before anything is built.
pub(crate) fn check_width(width: usize, what: &str) -> Result<(), Error> {
    check_time()?;
    if width <= MAX_WIDTH {
        return Ok(());
    }
    Err(over(format!(
        "{what}: width {width} is over the playground's limit of {MAX_WIDTH}"
    )))
}

/// [`check`] and [`check_width`] for the formatters whose errors are text.
pub(crate) fn detail(err: Error) -> String {
    err.detail().unwrap_or_default().to_string()
}

/// Counts `len` more bytes printed by the template.
pub(crate) fn print(len: usize) -> Result<(), Error> {
    let total = PRINTED.get().saturating_add(len);
    PRINTED.set(total);
    check(total, "the template's output")
}

/// For a writer that cannot fail: true (and the render marked) once `len` is past the budget,
/// so the writer stops.
pub(crate) fn overflowing(len: usize) -> bool {
    if len > MAX_TEXT {
        OVER.set(true);
        return true;
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_and_time_budgets() {
        start();
        assert!(check(MAX_TEXT, "x").is_ok());
        assert!(check(MAX_TEXT + 1, "x").is_err());
        assert!(exceeded());
        start();
        assert!(!exceeded());
        let long_ago = std::time::Instant::now().checked_sub(MAX_RENDER_TIME * 2);
        if let Some(then) = long_ago {
            STARTED.set(Some(then));
            let err = check(1, "x").unwrap_err();
            assert!(err.to_string().contains("ran past 5 s"), "{err}");
            assert!(exceeded());
        }
        start();
    }
}
