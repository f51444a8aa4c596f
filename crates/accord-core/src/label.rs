//! Reading the label at the start of a line: paragraph numbers (`12.`,
//! `12 bis`, `1bis.`, `PP3`, `OP1`), sub-paragraph letters (`(a)`, `(iv)`),
//! paragraph-level alternatives (`Option 1:`, `Alt 2:`), and the numbers of
//! section headings (`1.1`, `4.1.`, `IV.`, `A.`, `Article 2`).
//!
//! A label says what a line *could* start; whether a numbered line is a
//! heading or a paragraph is decided by the body parser, which knows the
//! numbering so far.

/// What kind of label starts a line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum LabelKind {
    /// A paragraph number: `12.`, `12`, `12 bis`, `1bis.`, `12 alt`.
    /// `levels` > 1 for `1.1`-style numbers, which are usually headings.
    Number { value: u32, levels: u8, suffixed: bool, dotted: bool },
    /// `PP3` / `Pp3` (preambular) or `OP3` (operative).
    Series { preambular: bool },
    /// `(a)`, `(iv)`, `a)`: a sub-paragraph.
    Sub,
    /// `Option 1:`, `Option (a):`, `Alt 2:`: a paragraph-level alternative.
    Option,
    /// `A.`, `IV.`: a capital letter or roman numeral with a full stop: a heading.
    Outline,
    /// `Article 2`, `Chapter IV`, `Part I`, `Section 3`, `Annex`: a heading keyword.
    Keyword,
}

/// A label found at the start of a line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Label {
    pub kind: LabelKind,
    /// The label as it identifies the paragraph: `12`, `12 bis`, `PP3`, `(a)`,
    /// `Option 1`, `4.1`, `Article 2`: trailing full stop and colon removed,
    /// inner spaces collapsed.
    pub number: String,
    /// Byte offset in the line where the label as written (`4.1.`) ends; it
    /// starts after the leading brackets. Kept as an offset: only headings
    /// need the text, and most lines have a label.
    pub written_end: usize,
    /// Opening brackets that stood before the label (`[12.` / `[Option (a):`).
    pub leading_brackets: usize,
    /// Byte offset in the line where the text after the label begins.
    pub rest: usize,
}

/// The Latin ordinals drafters add to a number to insert a paragraph (`3 bis`
/// after 3, `3 ter` after that, … `3 decies`, and on to `vicies`), the
/// misspellings seen in real drafts (`quarter`, `quinquiens`, `sexties`,
/// `nonies`), and `alt` for an alternative to the paragraph of that number.
const SUFFIXES: &[&str] = &[
    "bis",
    "ter",
    "quater",
    "quinquies",
    "sexies",
    "septies",
    "octies",
    "novies",
    "decies",
    "undecies",
    "duodecies",
    "terdecies",
    "quaterdecies",
    "quindecies",
    "sexdecies",
    "septdecies",
    "octodecies",
    "novodecies",
    "vicies",
    // Misspellings and variants seen in real drafts.
    "tris",
    "quart",
    "quarter",
    "quatter",
    "quinquiens",
    "quinquis",
    "quinques",
    "quinqies",
    "sexties",
    "sexis",
    "septis",
    "septiens",
    "octis",
    "octiens",
    "nonies",
    "novis",
    "decis",
    "alt",
];

fn is_roman(s: &str) -> bool {
    !s.is_empty() && s.len() <= 6 && s.bytes().all(|b| matches!(b, b'I' | b'V' | b'X' | b'L' | b'C'))
}

fn is_roman_lower(s: &str) -> bool {
    !s.is_empty() && s.len() <= 6 && s.bytes().all(|b| matches!(b, b'i' | b'v' | b'x' | b'l' | b'c'))
}

/// Skips spaces and tabs from byte offset `i`.
fn skip_ws(s: &str, mut i: usize) -> usize {
    let b = s.as_bytes();
    while i < b.len() && (b[i] == b' ' || b[i] == b'\t') {
        i += 1;
    }
    i
}

/// True when the label ends at `i`: end of line or whitespace follows.
fn ends_at(s: &str, i: usize) -> bool {
    i >= s.len() || matches!(s.as_bytes()[i], b' ' | b'\t')
}

/// Reads the label at the start of `line` (already stripped of indentation).
pub(crate) fn read(line: &str) -> Option<Label> {
    let mut start = 0;
    let b = line.as_bytes();
    while start < b.len() && b[start] == b'[' {
        start += 1;
    }
    let leading_brackets = start;
    let s = &line[start..];
    // This runs on every line: dispatch on the first byte, so each line
    // tries only the readers its first character allows.
    let found = match *s.as_bytes().first()? {
        b'0'..=b'9' => read_number(s),
        b'(' => read_sub(s),
        b'a'..=b'z' => read_sub(s).or_else(|| read_series(s)).or_else(|| read_option(s)),
        b'A'..=b'Z' => {
            read_series(s).or_else(|| read_option(s)).or_else(|| read_keyword(s)).or_else(|| read_outline(s))
        }
        0x80.. => read_keyword(s),
        _ => None,
    }?;
    let (kind, number, end) = found;
    Some(Label { kind, number, written_end: start + end, leading_brackets, rest: start + skip_ws(s, end) })
}

type Found = (LabelKind, String, usize);

fn read_number(s: &str) -> Option<Found> {
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() && b[i].is_ascii_digit() {
        i += 1;
    }
    if i == 0 || i > 6 {
        return None;
    }
    let value: u32 = s[..i].parse().ok()?;
    let mut levels = 1u8;
    // Further levels: `1.1`, `4.1.`, `1.2.3`.
    while i + 1 < b.len() && b[i] == b'.' && b[i + 1].is_ascii_digit() {
        let mut j = i + 1;
        while j < b.len() && b[j].is_ascii_digit() {
            j += 1;
        }
        if j - i > 4 {
            return None;
        }
        levels += 1;
        i = j;
    }
    let digits_end = i;
    // Suffix: `bis`, ` bis`, `alt`, ` alt.`.
    let mut suffix = None;
    let after_ws = skip_ws(s, i);
    // `3.bis`, `7.bis`: a full stop between the number and its ordinal.
    let after_dot = if b.get(i) == Some(&b'.') { skip_ws(s, i + 1) } else { i };
    for cand in [i, after_ws, after_dot] {
        for suf in SUFFIXES {
            if s.get(cand..cand + suf.len()).is_some_and(|p| p.eq_ignore_ascii_case(suf)) && {
                let e = cand + suf.len();
                e >= s.len() || !b[e].is_ascii_alphabetic()
            } {
                suffix = Some(&s[cand..cand + suf.len()]);
                i = cand + suf.len();
                break;
            }
        }
        if suffix.is_some() {
            break;
        }
    }
    // `16 ter.2`, `18ter.1`, `3ter.4`: digits after the ordinal are a
    // sub-item of `16 ter`, or a footnote marker glued to the label; the
    // parser, which knows the paragraphs and footnotes, decides which.
    let mut glued = None;
    if suffix.is_some() && b.get(i) == Some(&b'.') {
        let mut j = i + 1;
        while j < b.len() && b[j].is_ascii_digit() {
            j += 1;
        }
        if j > i + 1 && j - i <= 4 {
            glued = Some(&s[i + 1..j]);
            i = j;
        }
    }
    // `1.a`, `17.b`: a lettered target under a decimal number (the SDGs).
    let mut letter = None;
    if suffix.is_none()
        && b.get(i) == Some(&b'.')
        && b.get(i + 1).is_some_and(|c| c.is_ascii_lowercase())
        && b.get(i + 2).is_none_or(|c| matches!(c, b' ' | b'\t' | b'.'))
    {
        letter = Some(&s[i + 1..i + 2]);
        levels += 1;
        i += 2;
    }
    let mut dotted = false;
    if i < b.len() && (b[i] == b'.' || b[i] == b')') {
        dotted = b[i] == b'.';
        i += 1;
    }
    // `17quater.[The …`: a bracket straight after the label's full stop.
    let bracket_glued = (dotted || suffix.is_some()) && b.get(i) == Some(&b'[');
    if !ends_at(s, i) && !bracket_glued {
        return None;
    }
    let text_follows = skip_ws(s, i) < s.len();
    // `12 Text` without full stop is too often a number inside a sentence
    // ("2 billion are from …"); only a suffix, a full stop, a multi-level
    // number or a bare label line make it a label.
    if !dotted && suffix.is_none() && levels == 1 && text_follows {
        return None;
    }
    if levels > 1 && text_follows {
        // `1.5 °C above …` is a decimal, not a section number.
        let next = s[skip_ws(s, i)..].chars().next()?;
        if !(next.is_uppercase() || next == '[' || next == '“' || next == '"') {
            return None;
        }
    }
    let mut number = s[..digits_end].to_owned();
    if let Some(l) = letter {
        number.push('.');
        number.push_str(l);
    }
    if let Some(suf) = suffix {
        number.push(' ');
        number.push_str(suf);
    }
    if let Some(g) = glued {
        number.push('.');
        number.push_str(g);
        levels += 1;
    }
    Some((LabelKind::Number { value, levels, suffixed: suffix.is_some(), dotted }, number, i))
}

fn read_series(s: &str) -> Option<Found> {
    let b = s.as_bytes();
    if b.len() < 3 {
        return None;
    }
    let prefix = s.get(..2)?;
    let preambular = if prefix.eq_ignore_ascii_case("pp") {
        true
    } else if prefix.eq_ignore_ascii_case("op") {
        false
    } else {
        return None;
    };
    let mut i = 2;
    if b[i] == b'.' || b[i] == b' ' {
        i += 1;
    }
    let ds = i;
    while i < b.len() && b[i].is_ascii_digit() {
        i += 1;
    }
    if i == ds {
        return None;
    }
    let mut number = format!("{}{}", &s[..2], &s[ds..i]);
    let mut j = skip_ws(s, i);
    for suf in SUFFIXES {
        if s.get(j..j + suf.len()).is_some_and(|p| p.eq_ignore_ascii_case(suf)) && ends_at(s, j + suf.len()) {
            number.push(' ');
            number.push_str(suf);
            i = j + suf.len();
            break;
        }
    }
    j = i;
    if j < b.len() && (b[j] == b'.' || b[j] == b':') {
        j += 1;
    }
    if !ends_at(s, j) {
        return None;
    }
    Some((LabelKind::Series { preambular }, number, j))
}

fn read_sub(s: &str) -> Option<Found> {
    let b = s.as_bytes();
    // `a. Accommodate …`: a lower-case letter with a full stop, before a capital.
    if b.len() > 3 && b[0].is_ascii_lowercase() && b[1] == b'.' && b[2] == b' ' {
        let next = s[skip_ws(s, 2)..].chars().next();
        if next.is_some_and(|c| c.is_uppercase() || c == '[') {
            return Some((LabelKind::Sub, format!("({})", &s[..1]), 2));
        }
    }
    // The mark is at most a few characters: never scan the whole line.
    let close_at = || s.bytes().take(8).position(|b| b == b')');
    let (inner_start, close) = if b.first() == Some(&b'(') {
        (1, close_at()?)
    } else {
        let close = close_at()?;
        // `a)` form: a single lower-case letter.
        if close != 1 || !b[0].is_ascii_lowercase() {
            return None;
        }
        (0, close)
    };
    let inner = &s[inner_start..close];
    let ok = (!inner.is_empty() && inner.len() <= 2 && inner.bytes().all(|c| c.is_ascii_lowercase()))
        || is_roman_lower(inner)
        || (!inner.is_empty() && inner.len() <= 2 && inner.bytes().all(|c| c.is_ascii_digit()));
    if !ok || !ends_at(s, close + 1) {
        return None;
    }
    let number = format!("({inner})");
    Some((LabelKind::Sub, number, close + 1))
}

fn read_option(s: &str) -> Option<Found> {
    let lower_start = |w: &str| s.get(..w.len()).is_some_and(|p| p.eq_ignore_ascii_case(w));
    let word_len = if lower_start("option") {
        6
    } else if lower_start("alternative") {
        11
    } else if lower_start("alt") {
        3
    } else {
        return None;
    };
    let b = s.as_bytes();
    let mut i = word_len;
    if i < b.len() && b[i] == b'.' {
        i += 1;
    }
    let j = skip_ws(s, i);
    // The option's own mark: `1`, `A`, `(a)`, `II`.
    let mut k = j;
    if k < b.len() && b[k] == b'(' {
        let close = s[k..].find(')')? + k;
        if close - k > 5 {
            return None;
        }
        k = close + 1;
    } else {
        while k < b.len() && b[k].is_ascii_alphanumeric() && k - j < 5 {
            k += 1;
        }
        let mark = &s[j..k];
        // `Alt OP3:` names the paragraph it replaces.
        let names_paragraph = mark.len() <= 6
            && mark.bytes().any(|c| c.is_ascii_digit())
            && mark.bytes().next().is_some_and(|c| c.is_ascii_uppercase());
        let plausible = mark.bytes().all(|c| c.is_ascii_digit())
            || (mark.len() == 1 && mark.as_bytes()[0].is_ascii_uppercase())
            || is_roman(mark)
            || names_paragraph;
        if !plausible {
            k = j;
        }
    }
    let mark_end = k;
    // A colon (or full stop) must close the label, or the line must end:
    // "Alternative sources of finance" is text, not a label.
    let mut e = skip_ws(s, k);
    if e < b.len() && (b[e] == b':' || b[e] == b'.') {
        e += 1;
    } else if mark_end > j && covers_paragraphs(&s[e..]) {
        // `Option II (paragraphs 6-10):`: the range is the option's text,
        // as in `Option 2: (paragraphs 3-3quater)`.
        return Some((LabelKind::Option, format!("{} {}", &s[..word_len], &s[j..mark_end]), mark_end));
    } else if e < b.len() {
        return None;
    }
    if !ends_at(s, e) {
        return None;
    }
    let mut number = s[..word_len].to_owned();
    if mark_end > j {
        number.push(' ');
        number.push_str(&s[j..mark_end]);
    }
    Some((LabelKind::Option, number, e))
}

/// `(paragraphs 6-10):` or `(paragraph 3)` closing the line: the range an
/// option label covers.
fn covers_paragraphs(rest: &str) -> bool {
    let r = rest.trim_end().trim_end_matches(':').trim_end();
    r.strip_prefix('(')
        .and_then(|r| r.strip_suffix(')'))
        .is_some_and(|inner| inner.len() <= 40 && inner.to_lowercase().starts_with("paragraph"))
}

/// Heading keywords in the six UN languages. Latin and Cyrillic ones are
/// matched capitalised or upper-case ("article 4" in running text is not a
/// heading); Arabic has no case.
const KEYWORDS: &[&str] = &[
    "Article",
    "Chapter",
    "Section",
    "Part",
    "Annex",
    "Appendix",
    "Title",
    "Rule",
    // French, Spanish.
    "Chapitre",
    "Partie",
    "Annexe",
    "Titre",
    "Artículo",
    "Capítulo",
    "Sección",
    "Parte",
    "Anexo",
    "Título",
    // Russian, Arabic.
    "Статья",
    "Глава",
    "Раздел",
    "Часть",
    "Приложение",
    "المادة",
    "الفصل",
    "الجزء",
    "المرفق",
];

/// Chinese numerals as they number articles and chapters (`第十二条`).
const CHINESE_DIGITS: &str = "零〇一二三四五六七八九十百千两";

fn read_keyword(s: &str) -> Option<Found> {
    if let Some(found) = read_chinese_keyword(s) {
        return Some(found);
    }
    // A keyword is at most 20 bytes: a longer first word is none (and is
    // never cut, so no character is split).
    let word_end = match s.bytes().take(24).position(|b| b == b' ' || b == b'\t') {
        Some(end) => end,
        None if s.len() <= 24 => s.len(),
        None => return None,
    };
    let word = &s[..word_end];
    // Byte lengths of the keywords run from 4 (`Part`) to 20 (`Приложение`);
    // this runs on every line, so reject before comparing, and never allocate.
    if !(4..=20).contains(&word.len()) {
        return None;
    }
    let keyword =
        KEYWORDS.iter().find(|k| *k == &word || word.chars().eq(k.chars().flat_map(char::to_uppercase)))?;
    let j = skip_ws(s, word_end);
    let b = s.as_bytes();
    let mut k = j;
    // The mark: `2`, `2.1`, `IV`, `A`, Eastern Arabic digits (`١٢`), or French `premier`.
    let is_mark_char = |c: char| c.is_ascii_alphanumeric() || c == '.' || ('٠'..='٩').contains(&c);
    for c in s[j..].chars() {
        if !is_mark_char(c) || k - j >= 16 {
            break;
        }
        k += c.len_utf8();
    }
    let mut mark = s[j..k].trim_end_matches('.');
    // `2bis`, `8bis`: the number with its ordinal glued on.
    let digits = mark.bytes().take_while(|c| c.is_ascii_digit()).count();
    let glued_ordinal = digits > 0 && SUFFIXES.iter().any(|suf| mark[digits..].eq_ignore_ascii_case(suf));
    let plausible = !mark.is_empty()
        && (mark.bytes().all(|c| c.is_ascii_digit() || c == b'.')
            || mark.chars().all(|c| ('٠'..='٩').contains(&c))
            || glued_ordinal
            || is_roman(mark)
            || mark == "premier"
            || (mark.len() == 1 && mark.as_bytes()[0].is_ascii_uppercase()));
    if !plausible {
        // "Annex" alone on its line is a heading too.
        if j >= s.len()
            && matches!(*keyword, "Annex" | "Appendix" | "Annexe" | "Anexo" | "Приложение" | "المرفق")
        {
            return Some((LabelKind::Keyword, word.to_owned(), word_end));
        }
        return None;
    }
    mark = mark.trim_end_matches('.');
    let mut end = j + mark.len();
    let mut number = if glued_ordinal {
        format!("{word} {} {}", &mark[..digits], &mark[digits..])
    } else {
        format!("{word} {mark}")
    };
    // `Article 2 bis`: the ordinal after a space.
    if !glued_ordinal && mark.bytes().all(|c| c.is_ascii_digit()) {
        let o = skip_ws(s, end);
        if let Some(suf) = SUFFIXES.iter().find(|suf| {
            s.get(o..o + suf.len()).is_some_and(|p| p.eq_ignore_ascii_case(suf))
                && s.as_bytes().get(o + suf.len()).is_none_or(|c| !c.is_ascii_alphabetic())
        }) {
            number = format!("{number} {}", &s[o..o + suf.len()]);
            end = o + suf.len();
        }
    }
    let end = if end < s.len() && b[end] == b'.' { end + 1 } else { end };
    if !ends_at(s, end) && !s[end..].starts_with([':', '(', ']']) {
        return None;
    }
    Some((LabelKind::Keyword, number, end))
}

/// `第一条`, `第十二条`, `第三章`, `第二部分`: Chinese article, chapter, part.
fn read_chinese_keyword(s: &str) -> Option<Found> {
    let rest = s.strip_prefix('第')?;
    let digits =
        rest.find(|c: char| !(CHINESE_DIGITS.contains(c) || c.is_ascii_digit())).unwrap_or(rest.len());
    if digits == 0 {
        return None;
    }
    let after = &rest[digits..];
    let unit = ["条", "章", "部分", "节", "编"].into_iter().find(|u| after.starts_with(u))?;
    let end = '第'.len_utf8() + digits + unit.len();
    // Full-width or plain space, a title, or the end of the line may follow.
    Some((LabelKind::Keyword, s[..end].to_owned(), end))
}

fn read_outline(s: &str) -> Option<Found> {
    // The mark is a letter or a roman numeral of at most six characters.
    let dot = s.bytes().take(7).position(|b| b == b'.')?;
    let mark = &s[..dot];
    let ok = (mark.len() == 1 && mark.as_bytes()[0].is_ascii_uppercase()) || is_roman(mark);
    if !ok || !ends_at(s, dot + 1) || skip_ws(s, dot + 1) >= s.len() {
        return None;
    }
    Some((LabelKind::Outline, mark.to_owned(), dot + 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn num(line: &str) -> Option<String> {
        read(line).map(|l| l.number)
    }

    #[test]
    fn paragraph_numbers() {
        assert_eq!(num("12. We acknowledge"), Some("12".into()));
        assert_eq!(num("12 bis. We acknowledge"), Some("12 bis".into()));
        assert_eq!(num("1bis. [To achieve this"), Some("1 bis".into()));
        assert_eq!(num("12 alt We"), Some("12 alt".into()));
        assert_eq!(num("1.1 Bridging Digital Divides"), Some("1.1".into()));
        assert_eq!(num("4.1. Enhanced Cooperation"), Some("4.1".into()));
        assert_eq!(num("2 billion are from developing countries"), None);
        assert_eq!(num("1.5 °C above"), None);
        assert_eq!(num("2015, the year"), None);
        assert_eq!(num("Pp12"), Some("Pp12".into()));
        assert_eq!(num("PP 3. Recalling"), Some("PP3".into()));
        assert_eq!(num("OP1 Decides"), Some("OP1".into()));
    }

    #[test]
    fn ordinals_as_drafters_write_them() {
        for (line, want) in [
            ("3bis. Text", "3 bis"),
            ("3 bis Text", "3 bis"),
            ("3.bis Text", "3 bis"),
            ("7.bis [Developed", "7 bis"),
            ("17quater. Text", "17 quater"),
            ("4 quinquies. Text", "4 quinquies"),
            ("4 sexies. Text", "4 sexies"),
            ("4 septies. Text", "4 septies"),
            ("4 octies. Text", "4 octies"),
            ("4 novies. Text", "4 novies"),
            ("4 decies. Text", "4 decies"),
            ("4 undecies. Text", "4 undecies"),
            ("4 quarter. Text", "4 quarter"),
            ("4 quinquiens. Text", "4 quinquiens"),
            ("4 nonies. Text", "4 nonies"),
            ("8", "8"),
        ] {
            assert_eq!(num(line).as_deref(), Some(want), "{line}");
        }
        // A word that merely starts like an ordinal is not one.
        assert_eq!(num("3 terms of reference"), None);
        assert_eq!(num("3 billion people"), None);
    }

    #[test]
    fn brackets_footnotes_and_sub_items_glued_to_labels() {
        let l = read("17quater.[The Adaptation Fund Board").unwrap();
        assert_eq!(l.number, "17 quater");
        assert_eq!(&"17quater.[The Adaptation Fund Board"[l.rest..], "[The Adaptation Fund Board");
        assert_eq!(num("140quinquies.[Invites the President"), Some("140 quinquies".into()));
        // Digits after the ordinal: a sub-item or a glued footnote marker,
        // kept in the number for the parser to decide.
        let l = read("3ter.4 Notwithstanding paragraphs 2").unwrap();
        assert_eq!(l.number, "3 ter.4");
        assert!(matches!(l.kind, LabelKind::Number { value: 3, levels: 2, suffixed: true, .. }));
        assert_eq!(num("16 ter.2 Is nationally determined;"), Some("16 ter.2".into()));
        assert_eq!(num("24 quater.2. [The secretariat"), Some("24 quater.2".into()));
        // Decimal targets: `1.1`, `1.a`, `17.19`.
        assert_eq!(num("1.a Ensure significant mobilization"), Some("1.a".into()));
        assert_eq!(num("17.19 By 2030, build on existing"), Some("17.19".into()));
        assert!(matches!(read("1.a Ensure").unwrap().kind, LabelKind::Number { levels: 2, .. }));
        assert_eq!(num("e.g. this"), None);
    }

    #[test]
    fn sub_paragraphs_and_options() {
        assert_eq!(num("(a) [Be quantified"), Some("(a)".into()));
        assert_eq!(num("(iv) Monitoring"), Some("(iv)".into()));
        assert_eq!(num("b) Strengthening"), Some("(b)".into()));
        assert_eq!(num("a. Accommodate national"), Some("(a)".into()));
        assert_eq!(num("e.g. this"), None);
        assert_eq!(num("Option 1: Recognizing"), Some("Option 1".into()));
        assert_eq!(num("[Option (a): Being guided"), Some("Option (a)".into()));
        assert_eq!(read("[Option (a): Being").unwrap().leading_brackets, 1);
        let l = read("Option II (paragraphs 6-10):").unwrap();
        assert_eq!((l.kind, l.number.as_str()), (LabelKind::Option, "Option II"));
        assert_eq!(&"Option II (paragraphs 6-10):"[l.rest..], "(paragraphs 6-10):");
        assert!(read("Option two (for later)").is_none_or(|l| l.kind != LabelKind::Option));
        assert_eq!(num("Alternative sources of finance"), None);
        assert_eq!(num("Alt 2: text"), Some("Alt 2".into()));
        assert_eq!(num("Alt OP3: Requests"), Some("Alt OP3".into()));
    }

    #[test]
    fn headings() {
        assert_eq!(num("Article 2 (PURPOSE)"), Some("Article 2".into()));
        assert_eq!(num("ARTICLE 4"), Some("ARTICLE 4".into()));
        assert_eq!(num("Article 19 of the Universal Declaration"), Some("Article 19".into()));
        assert_eq!(num("article 4 of"), None);
        assert_eq!(num("A. DRAFT AGREEMENT"), Some("A".into()));
        assert_eq!(num("IV. Means of implementation"), Some("IV".into()));
        assert_eq!(num("Annex"), Some("Annex".into()));
    }

    #[test]
    fn treaty_articles_with_ordinals_and_in_six_languages() {
        assert_eq!(num("Article 2bis (GENERAL)"), Some("Article 2 bis".into()));
        assert_eq!(num("Article 2 bis"), Some("Article 2 bis".into()));
        assert_eq!(num("Article 8bis (LOSS AND DAMAGE)"), Some("Article 8 bis".into()));
        assert_eq!(num("[Article 3 ter] (MECHANISM)"), Some("Article 3 ter".into()));
        assert_eq!(num("Article premier"), Some("Article premier".into()));
        assert_eq!(num("Artículo 12"), Some("Artículo 12".into()));
        assert_eq!(num("Статья 12"), Some("Статья 12".into()));
        assert_eq!(num("СТАТЬЯ 3"), Some("СТАТЬЯ 3".into()));
        assert_eq!(num("المادة 12"), Some("المادة 12".into()));
        assert_eq!(num("المادة ١٢"), Some("المادة ١٢".into()));
        assert_eq!(num("第十二条"), Some("第十二条".into()));
        assert_eq!(num("第三章　总则"), Some("第三章".into()));
        assert_eq!(num("第一次会议"), None);
        assert_eq!(num("статья 3 в тексте"), None);
        // A long first word in any script is no keyword, and never cut mid-character.
        assert_eq!(num("Всеобщаядекларацияправчеловека"), None);
        assert_eq!(num("第一条第一条第一条第一条第一条第一条第一条第一条"), Some("第一条".into()));
    }
}
