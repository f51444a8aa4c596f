//! Import preparation: a draft's text as a client sends it (plain text as the
//! UN circulates it, or Accord's canonical form) turned into the canonical
//! form an `import-draft` action records, or the reason it is not a draft.

use crate::error::WorkspaceError;

/// Parses a draft's text (plain or canonical) and writes its canonical form,
/// or says why it is not a draft.
pub fn canonical_of(text: &str) -> Result<String, WorkspaceError> {
    let text = accord_core::decode(text.as_bytes(), accord_core::DEFAULT_MAX_INPUT_BYTES)
        .map_err(|e| WorkspaceError::Invalid(format!("the draft text cannot be read: {e}")))?;
    let draft = if accord_core::canonical::is_canonical(&text) {
        accord_core::canonical::read(&text)
    } else {
        accord_core::parse(&text)
    };
    if draft.paragraphs.is_empty() {
        return Err(WorkspaceError::Invalid(
            "the text does not parse as a draft: no paragraph was found".into(),
        ));
    }
    Ok(accord_core::canonical::write(&draft))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_and_canonical_texts_give_the_same_canonical_form() {
        let plain = "Draft outcome\n\n1. We agree to act.\n\n2. We decide [to review] it.\n";
        let canonical = canonical_of(plain).unwrap();
        assert_eq!(canonical_of(&canonical).unwrap(), canonical);
        let err = canonical_of("").unwrap_err();
        assert!(matches!(err, WorkspaceError::Invalid(ref m) if m.contains("cannot be read")), "{err}");
        let err = canonical_of("\u{0}\u{1}\u{2}binary").unwrap_err();
        assert!(matches!(err, WorkspaceError::Invalid(_)), "{err}");
    }
}
