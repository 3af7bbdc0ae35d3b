//! Where two rendered texts part ways: the first differing line with a little context from
//! each side, enough to see a whitespace or quoting difference at a glance.

/// Lines of shared context shown before the first difference.
const CONTEXT_BEFORE: usize = 2;
/// Lines of each side shown from the first difference on.
const SHOWN_AFTER: usize = 4;

/// `None` when the texts are equal; otherwise a few report lines around the first
/// differing line. Lines are shown with Rust's escapes so trailing spaces are visible.
pub fn first_difference(helm: &str, ours: &str) -> Option<Vec<String>> {
    if helm == ours {
        return None;
    }
    let left: Vec<&str> = helm.split('\n').collect();
    let right: Vec<&str> = ours.split('\n').collect();
    let first = left.iter().zip(&right).take_while(|(a, b)| a == b).count();
    let mut out = vec![format!(
        "text differs from line {} (helm {} lines, helmsync {})",
        first + 1,
        left.len(),
        right.len()
    )];
    for (number, line) in left
        .iter()
        .enumerate()
        .take(first)
        .skip(first.saturating_sub(CONTEXT_BEFORE))
    {
        out.push(format!("    {:>5}   {line:?}", number + 1));
    }
    for (label, lines) in [("helm    ", &left), ("helmsync", &right)] {
        for (number, line) in lines.iter().enumerate().skip(first).take(SHOWN_AFTER) {
            out.push(format!("    {:>5} {label} {line:?}", number + 1));
        }
    }
    Some(out)
}
