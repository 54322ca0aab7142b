//! Patterns: the schemas' `pattern`s and the ID/ARN formats cfn-lint checks (each shard carries
//! the formats its types use), each compiled once. A pattern the `regex` crate cannot run
//! (look-around) is not judged.

use regex::Regex;
use std::sync::Mutex;

/// `Some(true)` when `text` contains a match of `pattern` (an unanchored search, as JSON Schema
/// does), `Some(false)` when it does not, `None` when the pattern cannot be run here.
pub fn search(pattern: &str, text: &str) -> Option<bool> {
    // Compiled patterns in pattern order (a template uses tens to hundreds).
    static COMPILED: Mutex<Vec<(String, Option<Regex>)>> = Mutex::new(Vec::new());
    let mut compiled = COMPILED.lock().unwrap();
    let at = match compiled.binary_search_by(|(p, _)| p.as_str().cmp(pattern)) {
        Ok(at) => at,
        Err(at) => {
            // Python's `\Z` is the end of the text.
            let regex = crate::schema::pattern::compile(&pattern.replace("\\Z", "$")).ok();
            compiled.insert(at, (pattern.to_string(), regex));
            at
        }
    };
    compiled[at].1.as_ref().map(|r| r.is_match(text))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_search_as_json_schema_does() {
        assert_eq!(search("^vpc-[0-9a-f]+\\Z", "vpc-0123abcd"), Some(true));
        assert_eq!(search("^vpc-[0-9a-f]+\\Z", "vpc-0123abcd\n"), Some(false));
        assert_eq!(search("[0-9]", "a1b"), Some(true), "unanchored");
        // Look-around: not judged.
        assert_eq!(search("^(?!xn--).+$", "xn--a"), None);
    }
}
