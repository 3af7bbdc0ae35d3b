//! Go's `path/filepath.Match` on Unix, as `helm template --show-only` matches template
//! paths: `*` and `?` stay within a path segment, `[...]` classes with ranges and `^`,
//! `\` escapes. A malformed pattern matches nothing (Helm ignores Match's error).

/// Whether `name` matches `pattern` as a whole.
pub fn path_match(pattern: &str, name: &str) -> bool {
    crate::chart::glob::matches(pattern, name).unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stars_and_question_marks_stay_in_a_segment() {
        assert!(path_match("templates/*", "templates/a.yaml"));
        assert!(!path_match("templates/*", "templates/dir/c.yaml"));
        assert!(path_match("templates/*/c.yaml", "templates/dir/c.yaml"));
        assert!(path_match("templates/?.yaml", "templates/a.yaml"));
        assert!(!path_match("a?b", "a/b"));
        assert!(path_match("*.yaml", "a.yaml"));
        assert!(path_match("a*b*c", "axxbyyc"));
        assert!(!path_match("a*b", "a/b"));
    }

    #[test]
    fn classes_escapes_and_bad_patterns() {
        assert!(path_match("[a-c].yaml", "b.yaml"));
        assert!(!path_match("[^a-c].yaml", "b.yaml"));
        assert!(path_match(r"\*", "*"));
        assert!(!path_match("[", "["));
        assert!(!path_match("a[", "a"));
        assert!(!path_match(r"a\", "a"));
        assert!(path_match("templates/a.yaml", "templates/a.yaml"));
        assert!(!path_match("templates/a.yaml", "templates/a.yamlx"));
    }
}
