//! Rendered manifests as text: the release manifest Helm stores (`renderResources`), and
//! what `helm template` prints (`pkg/cmd/template.go`): every document under a
//! `# Source:` line, hooks after the manifests, `--show-only` selecting documents by the
//! template path they came from.
use super::Rendered;
use super::error::{Error, ErrorKind};
use super::manifest::{Hook, split_manifests};
use super::path_match::path_match;

/// One document as Helm writes it: `---`, its source, its content.
pub fn source_doc(name: &str, content: &str) -> String {
    format!("---\n# Source: {name}\n{content}\n")
}

impl Rendered {
    /// The release manifest (`rel.Manifest`): CRD files first when `include_crds`, then
    /// every manifest in install order.
    pub fn manifest(&self, include_crds: bool) -> String {
        let mut out = String::new();
        if include_crds {
            for crd in &self.crds {
                out += &source_doc(&crd.filename, &String::from_utf8_lossy(&crd.data));
            }
        }
        for manifest in &self.manifests {
            out += &source_doc(&manifest.name, &manifest.content);
        }
        out
    }
}

/// What `helm template` prints: the release manifest without surrounding white space and
/// a newline, then `hooks`, then, with `show_only` patterns, only the documents whose
/// template path (without the chart name) matches one of them, pattern by pattern.
pub fn template_text<'h>(
    manifest: &str,
    hooks: impl IntoIterator<Item = &'h Hook>,
    show_only: &[String],
) -> Result<String, Error> {
    let mut text = format!("{}\n", manifest.trim());
    for hook in hooks {
        text += &source_doc(&hook.path, &hook.manifest);
    }
    if show_only.is_empty() {
        return Ok(text);
    }
    let documents = split_manifests(&text);
    let mut shown = String::new();
    for pattern in show_only {
        let mut found = false;
        for document in &documents {
            if template_path(document).is_some_and(|path| path_match(pattern, path)) {
                shown += &format!("---\n{document}\n");
                found = true;
            }
        }
        if !found {
            return Err(Error::new(
                ErrorKind::ShowOnly,
                format!("could not find template {pattern} in chart"),
            ));
        }
    }
    Ok(shown)
}

/// What Helm's `# Source: [^/]+/(.+)` captures in a document: the path after the chart's
/// name on the first `# Source:` line that has one.
fn template_path(document: &str) -> Option<&str> {
    const MARKER: &str = "# Source: ";
    let mut rest = document;
    while let Some(at) = rest.find(MARKER) {
        let after = &rest[at + MARKER.len()..];
        if let Some(slash) = after.find('/').filter(|&slash| slash > 0) {
            let tail = &after[slash + 1..];
            let line = tail.split('\n').next().unwrap_or_default();
            if !line.is_empty() {
                return Some(line);
            }
        }
        rest = &rest[at + 1..];
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hook(path: &str, manifest: &str) -> Hook {
        Hook {
            name: "h".into(),
            kind: "Pod".into(),
            path: path.into(),
            manifest: manifest.into(),
            events: Vec::new(),
            weight: 0,
            delete_policies: Vec::new(),
            output_log_policies: Vec::new(),
        }
    }

    #[test]
    fn hooks_follow_the_trimmed_manifest() {
        let manifest = source_doc("c/templates/a.yaml", "kind: A\n");
        let hooks = [hook("c/templates/h.yaml", "kind: Pod\n")];
        assert_eq!(
            template_text(&manifest, &hooks, &[]).unwrap(),
            "---\n# Source: c/templates/a.yaml\nkind: A\n\
             ---\n# Source: c/templates/h.yaml\nkind: Pod\n\n"
        );
        assert_eq!(
            template_text("", &hooks, &[]).unwrap(),
            "\n---\n# Source: c/templates/h.yaml\nkind: Pod\n\n"
        );
    }

    #[test]
    fn show_only_selects_documents_by_template_path_in_pattern_order() {
        let manifest = [
            source_doc("c/templates/a.yaml", "kind: A\n"),
            source_doc("c/templates/dir/b.yaml", "kind: B"),
            source_doc("c/charts/s/templates/s.yaml", "kind: S"),
        ]
        .concat();
        let patterns = [
            "charts/s/templates/s.yaml".to_owned(),
            "templates/*".to_owned(),
        ];
        assert_eq!(
            template_text(&manifest, [], &patterns).unwrap(),
            "---\n# Source: c/charts/s/templates/s.yaml\nkind: S\n\n\
             ---\n# Source: c/templates/a.yaml\nkind: A\n\n\n"
        );
        let missing = ["templates/nope.yaml".to_owned()];
        assert_eq!(
            template_text(&manifest, [], &missing)
                .unwrap_err()
                .to_string(),
            "could not find template templates/nope.yaml in chart"
        );
    }

    #[test]
    fn template_paths_come_from_the_first_source_line_with_a_slash() {
        assert_eq!(
            template_path("# Source: c/templates/a.yaml\nx"),
            Some("templates/a.yaml")
        );
        assert_eq!(
            template_path("# Source: nochart\n# Source: c/t.yaml"),
            Some("t.yaml")
        );
        assert_eq!(template_path("# Source: /x"), None);
        assert_eq!(template_path("kind: A"), None);
    }
}
