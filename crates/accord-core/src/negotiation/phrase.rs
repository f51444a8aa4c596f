//! How a person names the part of a paragraph a proposal changes: by its
//! words. One function each, so the API, the pages and the demo agree: the
//! span of a phrase that must occur once, the spacing of inserted words, and
//! alternatives typed as `a / b / c`.

/// Why a phrase does not name one place in a paragraph.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PhraseError {
    /// No words were given.
    #[error("give the words of the paragraph the change concerns")]
    Empty,
    /// The words are not in the paragraph.
    #[error("“{0}” is not in the paragraph; copy the words exactly as they stand")]
    Missing(String),
    /// The words occur more than once.
    #[error("“{0}” occurs {1} times in the paragraph; give more words so it occurs once")]
    Repeated(String, usize),
}

/// The character span `[start, end)` of `phrase` in `text`, where it must
/// occur exactly once.
pub fn phrase_span(text: &str, phrase: &str) -> Result<[u32; 2], PhraseError> {
    if phrase.trim().is_empty() {
        return Err(PhraseError::Empty);
    }
    let mut hits = text.match_indices(phrase).map(|(i, _)| i);
    match (hits.next(), hits.count()) {
        (Some(at), 0) => {
            let start = text[..at].chars().count() as u32;
            Ok([start, start + phrase.chars().count() as u32])
        }
        (None, _) => Err(PhraseError::Missing(phrase.to_string())),
        (Some(_), more) => Err(PhraseError::Repeated(phrase.to_string(), more + 1)),
    }
}

/// Words to insert after a word, spaced as the text they join: a leading
/// space, unless they open with punctuation that attaches to the word before
/// (`, mentoring`).
pub fn spaced_insertion(words: &str) -> String {
    let words = words.trim();
    if words.starts_with([',', '.', ';', ':']) {
        words.to_string()
    } else {
        format!(" {words}")
    }
}

/// Alternatives as a person types them, `2030 / 2035`: each trimmed, empty
/// ones dropped.
pub fn split_alternatives(typed: &str) -> Vec<String> {
    typed.split('/').map(|a| a.trim().to_string()).filter(|a| !a.is_empty()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_phrase_names_one_place() {
        let t = "Décide d’agir d’ici 2030, avec tous.";
        assert_eq!(phrase_span(t, "2030"), Ok([20, 24]));
        assert_eq!(phrase_span(t, " "), Err(PhraseError::Empty));
        assert_eq!(phrase_span(t, "2035"), Err(PhraseError::Missing("2035".into())));
        assert_eq!(phrase_span(t, "d’"), Err(PhraseError::Repeated("d’".into(), 2)));
    }

    #[test]
    fn insertions_and_alternatives() {
        assert_eq!(spaced_insertion("swiftly "), " swiftly");
        assert_eq!(spaced_insertion(", mentoring"), ", mentoring");
        assert_eq!(split_alternatives(" 2030 / 2035 //"), vec!["2030", "2035"]);
    }
}
