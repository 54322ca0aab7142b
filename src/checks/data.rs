//! The tables behind the checks, generated from the data cfn-lint ships (`scripts/gen-*.py`, each
//! file's header names the cfn-lint version and licence).
//!
//! Native builds carry every table. The WebAssembly build leaves them out so the wasm stays
//! small: the page fetches the whole small tables beside the wasm ([`Table::install`]) and the
//! large sharded ones — a service's property schemas, an IAM prefix's actions — one shard at a
//! time, when a check first asks for it: [`Sharded::get`] notes what it missed (the check is
//! skipped meanwhile) and the engine's answer lists those files ([`noting_pending`]); the worker
//! fetches them, installs them ([`install_shard`]) and asks again; one it could not fetch is
//! [`Shard::Unavailable`], which the checks say. Installed shards are immutable data, kept for
//! the process like the embedded tables.

use std::cell::RefCell;
use std::sync::{Mutex, OnceLock};

/// A whole table: embedded natively, installed once by the page.
pub struct Table {
    embedded: &'static str,
    installed: OnceLock<&'static str>,
}

impl Table {
    pub const fn new(embedded: &'static str) -> Table {
        Table {
            embedded,
            installed: OnceLock::new(),
        }
    }

    /// Provides the text (the page fetches it). Only the first call counts.
    pub fn install(&self, text: String) {
        let _ = self.installed.set(Box::leak(text.into_boxed_str()));
    }

    pub fn text(&self) -> &'static str {
        self.installed.get_or_init(|| self.embedded)
    }
}

/// A table of `key<TAB>value` lines the page fetches one value (shard) at a time.
pub struct Sharded {
    /// The folder the page serves the shards from (`cfn-schemas` → `cfn-schemas/AWS-S3.txt`).
    folder: &'static str,
    /// The whole table, native builds only (the WebAssembly build embeds nothing).
    #[cfg_attr(target_arch = "wasm32", allow(dead_code))]
    embedded: &'static str,
}

#[cfg(not(target_arch = "wasm32"))]
pub static SCHEMAS: Sharded =
    Sharded::in_folder("cfn-schemas", include_str!("../../data/cfn-schemas.tsv"));
#[cfg(target_arch = "wasm32")]
pub static SCHEMAS: Sharded = Sharded::in_folder("cfn-schemas", "");

#[cfg(not(target_arch = "wasm32"))]
pub static IAM_ACTIONS: Sharded =
    Sharded::in_folder("iam-actions", include_str!("../../data/iam-actions.tsv"));
#[cfg(target_arch = "wasm32")]
pub static IAM_ACTIONS: Sharded = Sharded::in_folder("iam-actions", "");

/// Shards the page installed (a few dozen at most), by file name; an empty text is a shard that
/// does not exist (404), `None` one that could not be fetched.
static INSTALLED: Mutex<Vec<(String, Option<&'static str>)>> = Mutex::new(Vec::new());
thread_local! {
    /// File names of shards asked for and not installed, while [`noting_pending`] runs.
    static PENDING: RefCell<Option<Vec<String>>> = const { RefCell::new(None) };
}

/// What a shard lookup found.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Shard {
    /// The shard's text; empty when the table has no such key.
    Found(&'static str),
    /// Not there yet: the page fetches it and runs again.
    Pending,
    /// The page could not fetch it.
    Unavailable,
}

impl Sharded {
    pub const fn in_folder(folder: &'static str, embedded: &'static str) -> Sharded {
        Sharded { folder, embedded }
    }

    /// The shard file the page serves for `key` (`AWS::S3` → `cfn-schemas/AWS-S3.txt`).
    pub fn file_name(&self, key: &str) -> String {
        format!("{}/{}.txt", self.folder, key.replace("::", "-"))
    }

    /// The value for `key`.
    pub fn get(&self, key: &str) -> Shard {
        // The WebAssembly build embeds nothing; natively the table is searched where it lies.
        #[cfg(not(target_arch = "wasm32"))]
        if !self.embedded.is_empty() {
            return Shard::Found(sorted_lookup(self.embedded, key).unwrap_or(""));
        }
        let file = self.file_name(key);
        let installed = INSTALLED.lock().unwrap();
        match installed.iter().find(|(f, _)| *f == file) {
            Some((_, Some(text))) => Shard::Found(text),
            Some((_, None)) => Shard::Unavailable,
            None => {
                PENDING.with_borrow_mut(|pending| {
                    if let Some(pending) = pending.as_mut().filter(|p| !p.contains(&file)) {
                        pending.push(file);
                    }
                });
                Shard::Pending
            }
        }
    }
}

/// The value of `key` in `table`, `key<TAB>value` lines sorted by key after `#` comment lines:
/// a binary search over the text itself, so a process that looks up three services of a
/// 5 MB table reads a few lines of it, not all of it (nothing is indexed at start).
pub fn sorted_lookup<'t>(table: &'t str, key: &str) -> Option<&'t str> {
    sorted_entry(table, key).map(|(_, value)| value)
}

/// [`sorted_lookup`]'s line: its key and value, both borrowed from `table`.
pub fn sorted_entry<'t>(table: &'t str, key: &str) -> Option<(&'t str, &'t str)> {
    // Bytes, not chars: a midpoint may fall inside a character; line ends never do.
    let bytes = table.as_bytes();
    let line_end =
        |from: usize| memchr::memchr(b'\n', &bytes[from..]).map_or(bytes.len(), |i| from + i);
    let mut lo = 0;
    while bytes[lo..].starts_with(b"#") {
        lo = (line_end(lo) + 1).min(bytes.len());
    }
    let mut hi = bytes.len();
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        let start = memchr::memrchr(b'\n', &bytes[lo..mid]).map_or(lo, |i| lo + i + 1);
        let end = line_end(start);
        let line = &table[start..end];
        let (line_key, value) = line.split_once('\t').unwrap_or((line, ""));
        match line_key.cmp(key) {
            std::cmp::Ordering::Equal => return Some((line_key, value)),
            std::cmp::Ordering::Less => lo = end + 1,
            std::cmp::Ordering::Greater => hi = start,
        }
    }
    None
}

/// Installs the shard file `file` (`text` empty: the page has no such file; `None`: it could not
/// be fetched, and the checks needing it say they were skipped).
pub fn install_shard(file: &str, text: Option<String>) {
    let text = text.map(|t| &*Box::leak(t.into_boxed_str()));
    let mut installed = INSTALLED.lock().unwrap();
    installed.retain(|(f, _)| f != file);
    installed.push((file.to_string(), text));
}

/// Runs `work`, and returns with its result the shard files its checks asked for and did not
/// have (the answer to the page says which to fetch).
pub fn noting_pending<R>(work: impl FnOnce() -> R) -> (R, Vec<String>) {
    let outer = PENDING.with_borrow_mut(|pending| pending.replace(Vec::new()));
    let result = work();
    let pending = PENDING.with_borrow_mut(|pending| std::mem::replace(pending, outer));
    (result, pending.unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn installed_shards_are_found_and_missing_ones_wanted() {
        let table = Sharded::in_folder("things", "");
        let (found, pending) =
            noting_pending(|| (table.get("AWS::Thing"), table.get("AWS::Thing")));
        assert_eq!(found, (Shard::Pending, Shard::Pending));
        assert_eq!(pending, ["things/AWS-Thing.txt"], "noted once");
        assert!(
            noting_pending(|| ()).1.is_empty(),
            "each answer notes its own"
        );
        install_shard("things/AWS-Thing.txt", Some("{}".into()));
        install_shard("things/AWS-Gone.txt", None);
        let (found, pending) = noting_pending(|| (table.get("AWS::Thing"), table.get("AWS::Gone")));
        assert_eq!(found, (Shard::Found("{}"), Shard::Unavailable));
        assert!(pending.is_empty(), "failed fetches are not asked for again");
    }

    #[test]
    fn embedded_tables_index_their_keys() {
        let table = Sharded::in_folder("t", "# header\na\tone\nb\ttwo\n");
        assert_eq!(table.get("b"), Shard::Found("two"));
        assert_eq!(table.get("c"), Shard::Found(""));
    }

    #[test]
    fn the_binary_search_finds_every_key_and_nothing_else() {
        let table =
            "# a header\n# another\nalpha\t1\nbeta\tzwei \u{e9}\u{e9}\u{e9}\ngamma\t3\nomega\t\n";
        for (key, value) in [
            ("alpha", "1"),
            ("beta", "zwei \u{e9}\u{e9}\u{e9}"),
            ("gamma", "3"),
            ("omega", ""),
        ] {
            assert_eq!(sorted_lookup(table, key), Some(value), "{key}");
        }
        for missing in ["", "a", "aa", "delta", "zeta", "# a header"] {
            assert_eq!(sorted_lookup(table, missing), None, "{missing}");
        }
        assert_eq!(sorted_lookup("# only a header\n", "a"), None);
        assert_eq!(sorted_lookup("", "a"), None);
        assert_eq!(sorted_lookup("k\tv", "k"), Some("v"), "no final newline");
    }

    #[cfg(not(target_arch = "wasm32"))]
    #[test]
    fn every_line_of_the_embedded_tables_is_found_where_it_is() {
        for table in [SCHEMAS.embedded, IAM_ACTIONS.embedded] {
            let mut keys = 0;
            for line in table.lines().filter(|l| !l.starts_with('#')) {
                let (key, value) = line.split_once('\t').unwrap();
                assert_eq!(sorted_lookup(table, key), Some(value), "{key}");
                // A key just before or after this one is not there.
                assert_eq!(sorted_lookup(table, &format!("{key}!")), None);
                keys += 1;
            }
            assert!(keys > 100);
        }
    }
}
