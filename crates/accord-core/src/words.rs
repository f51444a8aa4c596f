//! Counts and lists as a letter writes them, for the prose the product
//! generates (cover letters, notices): one place, so every letter agrees.

/// "a", "a and b", "a, b and c".
pub fn and_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// A count: "no", "one" to "nine" in words, 10 and above in figures (the
/// United Nations editorial rule).
pub fn number(k: usize) -> String {
    const WORDS: [&str; 10] = ["no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"];
    WORDS.get(k).map_or_else(|| k.to_string(), |w| w.to_string())
}

/// The text with its first letter upper-cased (a sentence's start).
pub fn upper_first(s: &str) -> String {
    let mut c = s.chars();
    c.next().map_or_else(String::new, |f| f.to_uppercase().chain(c).collect())
}

/// A draft's label as a sentence names it: "the zero draft", "the
/// compilation text", but "Rev.1", "A/80/L.5" — a revision number or a
/// document symbol takes no article.
pub fn with_article(label: &str) -> String {
    let first = label.split_whitespace().next().unwrap_or_default();
    let symbol = first.contains('/') || first.chars().any(|c| c.is_ascii_digit());
    let revision = first.starts_with("Rev") && first[3..].starts_with(['.', ' ']) || first == "Rev";
    if symbol || revision || label.is_empty() {
        label.to_string()
    } else {
        let mut c = label.chars();
        let lowered = match (c.next(), c.clone().next()) {
            // "Zero draft" → "the zero draft"; "ADP text" stays as written.
            (Some(f), Some(s)) if f.is_uppercase() && !s.is_uppercase() => {
                f.to_lowercase().chain(c).collect()
            }
            _ => label.to_string(),
        };
        format!("the {lowered}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_and_lists_read_as_prose() {
        let v = |xs: &[&str]| xs.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        assert_eq!(and_list(&v(&[])), "");
        assert_eq!(and_list(&v(&["12"])), "12");
        assert_eq!(and_list(&v(&["12", "14"])), "12 and 14");
        assert_eq!(and_list(&v(&["3", "12", "14"])), "3, 12 and 14");
        assert_eq!(
            (number(0), number(1), number(9), number(10), number(70)),
            ("no".into(), "one".into(), "nine".into(), "10".into(), "70".into())
        );
        assert_eq!(upper_first("two brackets"), "Two brackets");
        assert_eq!(upper_first("élan"), "Élan");
        assert_eq!(upper_first(""), "");
        assert_eq!(with_article("Zero draft"), "the zero draft");
        assert_eq!(with_article("Rev.1"), "Rev.1");
        assert_eq!(with_article("Rev.2/Corr.1"), "Rev.2/Corr.1");
        assert_eq!(with_article("A/80/L.5"), "A/80/L.5");
        assert_eq!(with_article("ADP compilation"), "the ADP compilation");
        assert_eq!(with_article("compilation text"), "the compilation text");
    }
}
