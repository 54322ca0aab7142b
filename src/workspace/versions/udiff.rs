//! A unified diff of two rendered files, as `diff -u` and Git print it. Only Myers' algorithm
//! is instantiated (similar's text-diff front end carries all three, a tenth of the wasm).

use similar::algorithms::{myers, Capture, Replace};
use similar::udiff::UnifiedHunkHeader;
use similar::{group_diff_ops, ChangeTag};

/// The diff of `old` and `new` with `context` lines around each change and `a/`, `b/` headers;
/// empty when they are equal.
pub fn unified_diff(old: &str, new: &str, context: usize, path: &str) -> String {
    let old_lines: Vec<&str> = old.split_inclusive('\n').collect();
    let new_lines: Vec<&str> = new.split_inclusive('\n').collect();
    // `Replace` pairs a deletion with the insertion after it, so `-` lines come before `+`.
    let mut capture = Replace::new(Capture::new());
    let _ = myers::diff(
        &mut capture,
        &old_lines[..],
        0..old_lines.len(),
        &new_lines[..],
        0..new_lines.len(),
    );
    let groups = group_diff_ops(capture.into_inner().into_ops(), context);
    if groups.is_empty() {
        return String::new();
    }
    let mut out = format!("--- a/{path}\n+++ b/{path}\n");
    for group in groups {
        out.push_str(&format!("{}\n", UnifiedHunkHeader::new(&group)));
        for op in &group {
            for change in op.iter_changes(&old_lines[..], &new_lines[..]) {
                let sign = match change.tag() {
                    ChangeTag::Equal => ' ',
                    ChangeTag::Delete => '-',
                    ChangeTag::Insert => '+',
                };
                let line = change.value();
                out.push(sign);
                out.push_str(line);
                if !line.ends_with('\n') {
                    out.push_str("\n\\ No newline at end of file\n");
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::unified_diff;

    #[test]
    fn hunks_with_context_like_diff_u() {
        let old = "a\nb\nc\nd\ne\nf\ng\nh\n";
        let new = "a\nb\nC\nd\ne\nf\ng\nh\ni";
        assert_eq!(
            unified_diff(old, new, 1, "x.yaml"),
            "--- a/x.yaml\n+++ b/x.yaml\n@@ -2,3 +2,3 @@\n b\n-c\n+C\n d\n@@ -8 +8,2 @@\n h\n+i\n\\ No newline at end of file\n"
        );
        assert_eq!(unified_diff(old, old, 3, "x.yaml"), "");
    }
}
