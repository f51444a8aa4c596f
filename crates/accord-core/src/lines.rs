//! Small judgements about single lines of draft text: does it end a sentence,
//! does it start lower-case, does it look like a title, does it hold a date.
//!
//! Every structural decision of the parser is built from these; keeping them
//! in one place keeps the rules consistent between letters, front matter and
//! the document body.

/// How a line ends, for deciding whether the next line continues it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Ending {
    /// `.`, `;`, `:`, `!`, `?` (possibly followed by closing brackets or quotes).
    Terminal,
    /// A comma: ends a preambular paragraph, or a line mid-sentence.
    Comma,
    /// Anything else: a word, a number, a hyphen. The sentence goes on.
    Open,
}

const CLOSERS: &[char] = &[']', ')', '"', '\'', '”', '’', '»', '*', '}'];

/// Classifies how `text` ends. A trailing footnote marker glued to the text
/// (`agreement.1`) is looked through, as are closing brackets and quotes.
pub(crate) fn ending(text: &str) -> Ending {
    let t = text.trim_end();
    let t = t.trim_end_matches(CLOSERS);
    let mut chars = t.chars().rev();
    match chars.next() {
        Some('.' | ';' | ':' | '!' | '?' | '。' | '؛' | '؟') => Ending::Terminal,
        Some(',' | '،' | '，') => Ending::Comma,
        _ => Ending::Open,
    }
}

/// The first letter of the line, skipping opening brackets, quotes and spaces.
pub(crate) fn first_letter(text: &str) -> Option<char> {
    text.chars().find(|c| !matches!(c, '[' | '(' | '"' | '\'' | '“' | '‘' | '«' | ' ' | '\t'))
}

/// True when the line starts with a lower-case letter (after brackets and quotes):
/// the mark of a wrapped line or of a paragraph broken across pages.
pub(crate) fn starts_lowercase(text: &str) -> bool {
    first_letter(text).is_some_and(|c| c.is_lowercase())
}

/// True when the line starts with punctuation that cannot open a paragraph.
pub(crate) fn starts_with_continuation_punct(text: &str) -> bool {
    text.starts_with([',', ';', ')', '.', ':', '%', '–', '—'])
}

/// True when the line starts with a list bullet (`•`, Word's Symbol-font
/// bullet U+F0B7 as PDF extraction gives it, `▪`, `◦`, `●`, `➢`): each
/// bullet is an item of its own, never the continuation of the line before.
pub(crate) fn bullet(text: &str) -> bool {
    text.trim_start_matches('[')
        .trim_start()
        .starts_with(['•', '\u{f0b7}', '▪', '◦', '●', '○', '■', '➢', '►', '\u{f0a7}', '\u{f0d8}'])
}

const STOPWORDS: &[&str] = &[
    "a", "an", "and", "as", "at", "by", "for", "from", "in", "into", "of", "on", "or", "the", "to", "with",
    "de", "des", "du", "et", "la", "le", "les", "el", "los", "las", "y", "en",
];

/// True when the text reads like a title: most of its significant words are
/// capitalised, or it is all upper-case ("ICT for Development",
/// "Building Confidence and Security in the use of ICTs", "DRAFT AGREEMENT").
pub(crate) fn is_title_like(text: &str) -> bool {
    let mut significant = 0;
    let mut capitalised = 0;
    let mut letters = 0;
    let mut upper = 0;
    for word in text.split_whitespace() {
        let w = word.trim_matches(|c: char| !c.is_alphanumeric());
        for c in w.chars() {
            if c.is_alphabetic() {
                letters += 1;
                if c.is_uppercase() {
                    upper += 1;
                }
            }
        }
        if w.chars().count() < 3 || STOPWORDS.contains(&w.to_lowercase().as_str()) {
            continue;
        }
        significant += 1;
        if w.chars().next().is_some_and(|c| c.is_uppercase() || c.is_numeric()) {
            capitalised += 1;
        }
    }
    if letters > 0 && upper * 10 >= letters * 9 {
        return true;
    }
    significant > 0 && capitalised * 2 >= significant
}

/// Month names in English, French and Spanish, lower-case.
pub(crate) const MONTHS: &[&str] = &[
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
    "enero",
    "febrero",
    "marzo",
    "abril",
    "mayo",
    "junio",
    "julio",
    "agosto",
    "septiembre",
    "octubre",
    "noviembre",
    "diciembre",
];

/// True when the line holds a calendar date: a month name and a four-digit
/// year ("7 December 2015", "7 December, 2015", "8–13 February 2015").
/// Capitals only (`GLOBAL STOCKTAKE`, `CHANGEMENTS CLIMATIQUES]`): some
/// letters, none lower-case.
pub(crate) fn is_capitals(text: &str) -> bool {
    text.chars().filter(|c| c.is_alphabetic()).nth(1).is_some() && !text.chars().any(char::is_lowercase)
}

/// A title that cannot end where its line does, so the next line goes on
/// with it: a bracket left open (`ADOPTION OF THE [PARIS AGREEMENT UNDER
/// THE`), or a last word that joins to what follows (`OF`, `AND`, `DE`).
pub(crate) fn title_runs_on(title: &str) -> bool {
    let open = title.matches('[').count() > title.matches(']').count();
    const JOINING: &[&str] = &[
        "A", "AN", "AND", "AS", "AT", "BY", "FOR", "FROM", "IN", "OF", "ON", "OR", "THE", "TO", "UNDER",
        "WITH", "À", "AU", "AUX", "DE", "DES", "DU", "ET", "LA", "LE", "LES", "SUR", "CON", "DEL", "EL",
        "EN", "LOS", "LAS", "PARA", "POR", "Y", "И", "В", "ПО", "О", "ОБ", "НА", "С",
    ];
    let last = title.split_whitespace().next_back().unwrap_or("");
    open || JOINING.iter().any(|w| last.eq_ignore_ascii_case(w) || last == *w)
}

pub(crate) fn has_date(text: &str) -> bool {
    let mut month = false;
    let mut year = false;
    for word in text.split(|c: char| !c.is_alphanumeric()) {
        if word.is_empty() {
            continue;
        }
        if !month && MONTHS.contains(&word.to_lowercase().as_str()) {
            month = true;
        }
        // "20151" is a year with a glued footnote marker.
        let digits = word.len() >= 4 && word.bytes().all(|b| b.is_ascii_digit());
        if digits && (word.starts_with("19") || word.starts_with("20")) {
            year = true;
        }
    }
    month && year
}

/// Words of the text as the parser counts them (used by the no-word-lost check
/// and by statistics): maximal runs of letters and digits.
pub fn words(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty())
}

/// Joins a continuation line onto text: one space, except after a hyphen
/// that ends a word ("decision-" + "making"), where the hyphen is kept and no
/// space is added.
pub(crate) fn join_onto(text: &mut String, next: &str) {
    if text.is_empty() {
        text.push_str(next);
        return;
    }
    let mut rev = text.chars().rev();
    let hyphenated = rev.next() == Some('-') && rev.next().is_some_and(|c| c.is_alphabetic());
    if !hyphenated {
        text.push(' ');
    }
    text.push_str(next);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endings() {
        assert_eq!(ending("the General Assembly;"), Ending::Terminal);
        assert_eq!(ending("[Suggested for Closure]"), Ending::Open);
        assert_eq!(ending("appropriate action]."), Ending::Terminal);
        assert_eq!(ending("[Be quantified or quantifiable;]"), Ending::Terminal);
        assert_eq!(ending("Recalling its resolution 70/1,"), Ending::Comma);
        assert_eq!(ending("Commission on Science and"), Ending::Open);
    }

    #[test]
    fn titles() {
        assert!(is_title_like("ICT for Development"));
        assert!(is_title_like("Human rights in the Information Society"));
        assert!(is_title_like("Building Confidence and Security in the use of ICTs"));
        assert!(is_title_like("DRAFT AGREEMENT"));
        assert!(!is_title_like("We reaffirm our commitment"));
    }

    #[test]
    fn dates() {
        assert!(has_date("Draft Outcome Document – 7 December 2015"));
        assert!(has_date("Edited version of 6 November 20151"));
        assert!(!has_date("Article 2 (PURPOSE)"));
    }

    #[test]
    fn joins() {
        let mut s = String::from("decision-");
        join_onto(&mut s, "making");
        assert_eq!(s, "decision-making");
        let mut s = String::from("Science and");
        join_onto(&mut s, "Technology");
        assert_eq!(s, "Science and Technology");
        let mut s = String::from("in 2015 -");
        join_onto(&mut s, "and");
        assert_eq!(s, "in 2015 - and");
    }
}
