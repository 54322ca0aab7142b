//! Schema `pattern`s are ECMA-262 regular expressions (OpenAPI 3.0); the `regex` crate reads a
//! close dialect. This module writes an ECMA pattern in that dialect with ECMA's meaning where the
//! two differ: `\d` `\w` `\b` are ASCII, `.` stops at every line terminator, `\s` includes
//! U+FEFF, `[` inside a class is a literal, `\cX`, `\0` and `[\b]` name control characters. What
//! the `regex` crate cannot do (look-around, backreferences) stays as written and fails to compile,
//! which the schema reports.

use regex::{Regex, RegexBuilder};

/// Compiled size allowed for one pattern (the regex crate's default is 10 MB, which takes about
/// 0.1 s to reach); real patterns stay far below.
pub const MAX_PATTERN_SIZE: usize = 1 << 20;

/// Compiles an ECMA-262 pattern for an unanchored search; the error is the engine's last line.
pub fn compile(pattern: &str) -> Result<Regex, String> {
    RegexBuilder::new(&to_rust(pattern))
        .size_limit(MAX_PATTERN_SIZE)
        .build()
        .map_err(|e| {
            let text = e.to_string();
            text.lines()
                .last()
                .unwrap_or_default()
                .trim()
                .trim_start_matches("error: ")
                .to_string()
        })
}

/// The pattern in the `regex` crate's dialect.
pub fn to_rust(pattern: &str) -> String {
    let mut out = String::with_capacity(pattern.len() + 16);
    let mut chars = pattern.chars().peekable();
    let mut in_class = false;
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                let Some(escaped) = chars.next() else {
                    out.push('\\');
                    break;
                };
                let next = chars.peek().copied();
                match (escaped, in_class) {
                    ('d', false) => out.push_str("[0-9]"),
                    ('d', true) => out.push_str("0-9"),
                    ('D', false) => out.push_str("[^0-9]"),
                    ('D', true) => out.push_str("[:^digit:]"),
                    ('w', false) => out.push_str("[0-9A-Za-z_]"),
                    ('w', true) => out.push_str("[:word:]"),
                    ('W', false) => out.push_str("[^0-9A-Za-z_]"),
                    ('W', true) => out.push_str("[:^word:]"),
                    ('s', false) => out.push_str(r"[\s\x{FEFF}]"),
                    ('s', true) => out.push_str(r"\s\x{FEFF}"),
                    ('S', false) => out.push_str(r"[^\s\x{FEFF}]"),
                    ('b', false) => out.push_str(r"(?-u:\b)"),
                    ('B', false) => out.push_str(r"(?-u:\B)"),
                    ('b', true) => out.push_str(r"\x08"),
                    ('0', _) if !next.is_some_and(|n| n.is_ascii_digit()) => out.push_str(r"\x00"),
                    ('c', _) if next.is_some_and(|n| n.is_ascii_alphabetic()) => {
                        let letter = chars.next().unwrap_or('@');
                        out.push_str(&format!(r"\x{:02X}", letter as u32 % 32));
                    }
                    ('/', _) => out.push('/'),
                    _ => {
                        out.push('\\');
                        out.push(escaped);
                    }
                }
            }
            '[' if !in_class => {
                let negated = chars.peek() == Some(&'^');
                if negated {
                    chars.next();
                }
                if chars.peek() == Some(&']') {
                    // ECMA's `[]` matches nothing and `[^]` any character.
                    chars.next();
                    out.push_str(if negated { r"[\s\S]" } else { r"[^\s\S]" });
                    continue;
                }
                in_class = true;
                out.push_str(if negated { "[^" } else { "[" });
            }
            ']' if in_class => {
                in_class = false;
                out.push(']');
            }
            // Literals in an ECMA class that start nested classes or set operations here.
            '[' | '&' | '~' if in_class => {
                out.push('\\');
                out.push(c);
            }
            '-' if in_class && chars.peek() == Some(&'-') => out.push_str(r"-\"),
            '.' if !in_class => out.push_str(r"[^\n\r\x{2028}\x{2029}]"),
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn matches(pattern: &str, text: &str) -> bool {
        compile(pattern).unwrap().is_match(text)
    }

    #[test]
    fn ascii_classes_and_boundaries() {
        assert!(matches(r"^\w+$", "abc_9"));
        assert!(!matches(r"^\w+$", "é"));
        assert!(!matches(r"^\d$", "٣"));
        assert!(matches(r"^[\w-]+$", "a-b"));
        assert!(matches(r"^[^\d]+$", "é"));
        assert!(matches(r"\bx", "é x"));
        assert!(matches(r"^\s$", "\u{feff}"));
        assert!(!matches(r"^\S$", " "));
    }

    #[test]
    fn ecma_only_syntax() {
        assert!(matches(r"^a/b$", "a/b"));
        assert!(matches(r"^a\/b$", "a/b"));
        assert!(matches(r"^[[]$", "["));
        assert!(matches(r"^[a&&b]+$", "a&&b"));
        assert!(matches(r"^\cJ$", "\n"));
        assert!(matches(r"^[\b]$", "\u{8}"));
        assert!(!matches(r"^.$", "\r"));
        assert!(!matches(r"[]", "a"));
        assert!(matches(r"^[^]$", "\n"));
        assert!(matches(r"^\u0041$", "A"));
    }

    #[test]
    fn searches_unanchored() {
        assert!(matches("b", "abc"));
        assert!(!matches("^b", "abc"));
    }

    #[test]
    fn unsupported_constructs_fail_to_compile() {
        assert!(compile(r"(?=a)b").is_err());
        assert!(compile(r"(a)\1").is_err());
        assert!(compile(r"a{1000}{1000}").is_err());
    }
}
