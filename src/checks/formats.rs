//! Patterns: the schemas' `pattern`s and the ID/ARN formats cfn-lint checks
//! (`data/cfn-formats.tsv`), each compiled once. A pattern the `regex` crate cannot run
//! (look-around) is not judged.

use regex::Regex;
use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};

const FORMATS: &str = include_str!("../../data/cfn-formats.tsv");

/// `Some(true)` when `text` contains a match of `pattern` (an unanchored search, as JSON Schema
/// does), `Some(false)` when it does not, `None` when the pattern cannot be run here.
pub fn search(pattern: &str, text: &str) -> Option<bool> {
    static COMPILED: Mutex<Option<HashMap<String, Option<Regex>>>> = Mutex::new(None);
    let mut compiled = COMPILED.lock().unwrap();
    let compiled = compiled.get_or_insert_with(HashMap::new);
    if !compiled.contains_key(pattern) {
        // Python's `\Z` is the end of the text.
        let regex = crate::schema::pattern::compile(&pattern.replace("\\Z", "$")).ok();
        compiled.insert(pattern.to_string(), regex);
    }
    compiled[pattern].as_ref().map(|r| r.is_match(text))
}

/// For a format cfn-lint checks (`AWS::EC2::VPC.Id`): whether `text` is one, and cfn-lint's rule.
pub fn check(format: &str, text: &str) -> Option<(bool, &'static str)> {
    /// `(format, pattern, rule)` rows of the table, read once.
    static ROWS: OnceLock<Vec<(&str, &str, &str)>> = OnceLock::new();
    let rows = ROWS.get_or_init(|| {
        FORMATS
            .lines()
            .filter(|l| !l.starts_with('#'))
            .filter_map(|l| {
                let mut fields = l.split('\t');
                Some((fields.next()?, fields.next()?, fields.next()?))
            })
            .collect()
    });
    let (_, pattern, rule) = rows.iter().find(|(name, _, _)| *name == format)?;
    Some((search(pattern, text)?, rule))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_judge_ids() {
        assert_eq!(
            check("AWS::EC2::VPC.Id", "vpc-0123abcd"),
            Some((true, "E1151"))
        );
        assert_eq!(check("AWS::EC2::VPC.Id", "my-vpc"), Some((false, "E1151")));
        assert_eq!(
            check("AWS::Logs::LogGroup.Name", "/aws/x"),
            Some((true, "E1155"))
        );
        // Look-around: not judged.
        assert_eq!(check("AWS::S3::Bucket.Name", "Bad..Name"), None);
        assert_eq!(check("no-such-format", "x"), None);
    }
}
