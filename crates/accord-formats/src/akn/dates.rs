//! Dates in the words drafts write them ("7 December 2015"), as the
//! `YYYY-MM-DD` that FRBR dates, `docDate` and workflow steps need.

/// A date in `text` ("7 December 2015", "December 7, 2015", "7 décembre
/// 2015", "2015-12-07") as `YYYY-MM-DD`.
pub(crate) fn iso_date(text: &str) -> Option<String> {
    const MONTHS: [&[&str]; 12] = [
        &["january", "janvier", "enero", "jan"],
        &["february", "février", "fevrier", "febrero", "feb"],
        &["march", "mars", "marzo", "mar"],
        &["april", "avril", "abril", "apr"],
        &["may", "mai", "mayo"],
        &["june", "juin", "junio", "jun"],
        &["july", "juillet", "julio", "jul"],
        &["august", "août", "aout", "agosto", "aug"],
        &["september", "septembre", "septiembre", "sep", "sept"],
        &["october", "octobre", "octubre", "oct"],
        &["november", "novembre", "noviembre", "nov"],
        &["december", "décembre", "decembre", "diciembre", "dec"],
    ];
    let words: Vec<String> = text
        .split(|c: char| !c.is_alphanumeric() && c != '-')
        .filter(|w| !w.is_empty())
        .map(|w| w.to_lowercase())
        .collect();
    let month = |w: &str| MONTHS.iter().position(|m| m.contains(&w)).map(|i| i as u32 + 1);
    let day = |w: &str| w.parse::<u32>().ok().filter(|d| (1..=31).contains(d));
    let year = |w: &str| w.parse::<u32>().ok().filter(|y| (1900..=2999).contains(y) && w.len() == 4);
    for (i, w) in words.iter().enumerate() {
        let b = w.as_bytes();
        if b.len() == 10 && b[4] == b'-' && b[7] == b'-' {
            if let (Some(y), Ok(m), Some(d)) = (year(&w[..4]), w[5..7].parse::<u32>(), day(&w[8..])) {
                if (1..=12).contains(&m) {
                    return Some(format!("{y:04}-{m:02}-{d:02}"));
                }
            }
        }
        let Some(m) = month(w) else { continue };
        let (prev, next, after) =
            (i.checked_sub(1).and_then(|k| words.get(k)), words.get(i + 1), words.get(i + 2));
        let found = match (prev.and_then(|p| day(p)), next.and_then(|n| year(n))) {
            (Some(d), Some(y)) => Some((y, d)),
            _ => match (next.and_then(|n| day(n)), after.and_then(|a| year(a))) {
                (Some(d), Some(y)) => Some((y, d)),
                _ => None,
            },
        };
        if let Some((y, d)) = found {
            return Some(format!("{y:04}-{m:02}-{d:02}"));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::iso_date;

    #[test]
    fn dates_are_found_in_date_lines() {
        assert_eq!(iso_date("Draft Outcome Document – 7 December 2015").as_deref(), Some("2015-12-07"));
        assert_eq!(iso_date("December 7, 2015").as_deref(), Some("2015-12-07"));
        assert_eq!(iso_date("le 3 mars 2026").as_deref(), Some("2026-03-03"));
        assert_eq!(iso_date("2015-12-07").as_deref(), Some("2015-12-07"));
        assert_eq!(iso_date("Rev.1"), None);
        assert_eq!(iso_date("32 December 2015"), None);
    }
}
