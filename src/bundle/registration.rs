//! Service template registration: `.template-registration.yaml` and the legacy `.compatible-envs`
//! (docs/proton-semantics.md §2.5), and the `.proton/manifest.yaml` some guides add.

use super::Kind;
use crate::diagnostic::Diagnostic;
use crate::yaml::{self, Pos};
use std::collections::BTreeMap;

/// Which environments a service template version runs in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Registration {
    /// `(environment template name, major version)`, in file order.
    pub compatible_environments: Vec<(String, u32)>,
    pub supported_component_sources: Vec<String>,
    /// File it was read from, bundle-relative (`../.compatible-envs` for the template folder).
    pub file: String,
    pub positions: Vec<Pos>,
}

/// `<name>:<major>` with `name` a Proton name and `major` `0|[1-9][0-9]*`.
fn parse_entry(text: &str) -> Option<(String, u32)> {
    let (name, major) = text.trim().rsplit_once(':')?;
    let canonical = major == "0"
        || (!major.starts_with('0')
            && !major.is_empty()
            && major.bytes().all(|b| b.is_ascii_digit()));
    if !(crate::schema::spec::valid_name(name) && canonical) {
        return None;
    }
    Some((name.to_string(), major.parse().ok()?))
}

/// Reads the registration of a bundle, checking each entry.
pub fn read(
    text: &BTreeMap<String, String>,
    template_files: &BTreeMap<String, Vec<u8>>,
    kind: Kind,
    diags: &mut Vec<Diagnostic>,
) -> Option<Registration> {
    if text.contains_key(".proton/manifest.yaml") {
        diags.push(
            Diagnostic::info("proton-dir", "`.proton/manifest.yaml` is not a Proton file: tolerated, never read for compatibility")
                .in_file(".proton/manifest.yaml"),
        );
    }
    const FILE: &str = ".template-registration.yaml";
    if let Some(source) = text.get(FILE) {
        if kind != Kind::Service {
            diags.push(
                Diagnostic::warning(
                    "registration-kind",
                    "only service templates are registered with compatible environments",
                )
                .in_file(FILE),
            );
        }
        let doc = match yaml::parse(source) {
            Ok(d) => d,
            Err(e) => {
                diags.push(e.to_diagnostic(FILE));
                return None;
            }
        };
        let mut reg = Registration {
            compatible_environments: Vec::new(),
            supported_component_sources: Vec::new(),
            file: FILE.into(),
            positions: Vec::new(),
        };
        let envs = match (
            doc.root.entry("compatible_environments"),
            doc.root.entry("compatible_environment"),
        ) {
            (Some((_, v)), _) => Some(v),
            (None, Some((k, v))) => {
                diags.push(
                    Diagnostic::warning("registration-key", "`compatible_environment:` (singular) appears in AWS samples; Proton documents `compatible_environments:`")
                        .in_file(FILE)
                        .at_pos(Some(k.pos)),
                );
                Some(v)
            }
            _ => None,
        };
        match envs.and_then(|e| e.as_seq()) {
            Some(items) => {
                for item in items {
                    let t = crate::yaml::node_text(item);
                    match parse_entry(&t) {
                        Some(entry) => {
                            reg.compatible_environments.push(entry);
                            reg.positions.push(item.pos);
                        }
                        None => diags.push(
                            Diagnostic::error(
                                "registration-entry",
                                format!(
                                    "`{t}` is not `<environment-template-name>:<major-version>`"
                                ),
                            )
                            .in_file(FILE)
                            .at_pos(Some(item.pos))
                            .with_hint("for example: my-env-template:1"),
                        ),
                    }
                }
            }
            None if kind == Kind::Service => diags.push(
                Diagnostic::error(
                    "registration-missing",
                    "compatible_environments is required for service templates",
                )
                .in_file(FILE)
                .at_pos(Some(doc.root.pos)),
            ),
            None => {}
        }
        if reg.compatible_environments.len() > 10 {
            diags.push(
                Diagnostic::error(
                    "registration-entry",
                    "at most 10 compatible environment templates",
                )
                .in_file(FILE),
            );
        }
        if let Some(sources) = doc.root.get("supported_component_sources") {
            for item in sources.as_seq().unwrap_or_default() {
                let t = crate::yaml::node_text(item);
                if t != "DIRECTLY_DEFINED" {
                    diags.push(
                        Diagnostic::error(
                            "registration-entry",
                            format!(
                                "supported_component_sources only allows DIRECTLY_DEFINED, got {t}"
                            ),
                        )
                        .in_file(FILE)
                        .at_pos(Some(item.pos)),
                    );
                }
                reg.supported_component_sources.push(t);
            }
        }
        return Some(reg);
    }
    let legacy = text
        .get(".compatible-envs")
        .map(|s| (".compatible-envs".to_string(), s.clone()))
        .or_else(|| {
            template_files
                .get(".compatible-envs")
                .and_then(|b| String::from_utf8(b.clone()).ok())
                .map(|s| ("../.compatible-envs".to_string(), s))
        });
    if let Some((file, source)) = legacy {
        diags.push(
            Diagnostic::info(
                "registration-legacy",
                "`.compatible-envs` still works but is discouraged",
            )
            .in_file(file.as_str())
            .with_hint("use .template-registration.yaml with compatible_environments:"),
        );
        let mut reg = Registration {
            compatible_environments: Vec::new(),
            supported_component_sources: Vec::new(),
            file: file.clone(),
            positions: Vec::new(),
        };
        for (i, line) in source.lines().enumerate() {
            let line_text = line.trim();
            if line_text.is_empty() || line_text.starts_with('#') {
                continue;
            }
            match parse_entry(line_text) {
                Some(e) => {
                    reg.compatible_environments.push(e);
                    reg.positions.push(Pos {
                        line: i as u32 + 1,
                        column: 1,
                    });
                }
                None => diags.push(
                    Diagnostic::error(
                        "registration-entry",
                        format!(
                            "`{line_text}` is not `<environment-template-name>:<major-version>`"
                        ),
                    )
                    .in_file(file.as_str())
                    .at(i as u32 + 1, 1),
                ),
            }
        }
        return Some(reg);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files(entries: &[(&str, &str)]) -> BTreeMap<String, String> {
        entries
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn reads_registration_and_flags_bad_entries() {
        let mut d = Vec::new();
        let reg = read(
            &files(&[(".template-registration.yaml", "compatible_environments:\n  - env:1\n  - nomajor\nsupported_component_sources:\n  - DIRECTLY_DEFINED\n")]),
            &BTreeMap::new(),
            Kind::Service,
            &mut d,
        )
        .unwrap();
        assert_eq!(reg.compatible_environments, [("env".to_string(), 1)]);
        assert_eq!(d[0].code, "registration-entry");
        assert_eq!(d[0].line, Some(3));
    }

    #[test]
    fn singular_key_and_legacy_file() {
        let mut d = Vec::new();
        let reg = read(
            &files(&[(
                ".template-registration.yaml",
                "compatible_environment:\n  - env:2\n",
            )]),
            &BTreeMap::new(),
            Kind::Service,
            &mut d,
        )
        .unwrap();
        assert_eq!(reg.compatible_environments, [("env".to_string(), 2)]);
        assert_eq!(d[0].code, "registration-key");
        let mut d = Vec::new();
        let mut parent = BTreeMap::new();
        parent.insert(".compatible-envs".to_string(), b"env:1\n".to_vec());
        let reg = read(&BTreeMap::new(), &parent, Kind::Service, &mut d).unwrap();
        assert_eq!(reg.file, "../.compatible-envs");
        assert_eq!(d[0].code, "registration-legacy");
    }
}
