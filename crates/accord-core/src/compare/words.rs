//! Words as the comparison counts them: content words (not function words,
//! not one- or two-letter words) hashed case-folded into sorted multisets,
//! their Dice similarity, and the key that folds British and American
//! spellings together. Alignment, classification and bracket fates all rest
//! on these, so they live in one place.

use crate::tokens::{tokenize, Token, TokenKind};

pub(super) const FUNCTION_WORDS: &[&str] = &[
    "the", "and", "for", "with", "that", "this", "which", "its", "their", "are", "was", "were", "has",
    "have", "had", "from", "into", "all", "any", "other", "such", "been", "being", "also", "well", "our",
    "des", "les", "une", "par", "pour", "dans", "que", "qui", "los", "las", "del", "por", "para", "con",
];

/// The content words of a text, each as the hash of its case-folded form
/// (64 bits: collisions are negligible at the scale of a draft), sorted: a multiset.
pub(super) fn content_words(text: &str) -> Vec<u64> {
    let mut out: Vec<u64> =
        tokenize(text).iter().filter_map(|t| content_word(text, t)).map(folded_hash).collect();
    out.sort_unstable();
    out
}

/// How many content words a tokenized text has (what [`content_words`]
/// would count, without tokenizing again).
pub(super) fn content_count(text: &str, tokens: &[Token]) -> usize {
    tokens.iter().filter(|t| content_word(text, t).is_some()).count()
}

/// The token's word, when it is a content word.
fn content_word<'t>(text: &'t str, t: &Token) -> Option<&'t str> {
    if !t.is_wordlike() {
        return None;
    }
    let w = t.text(text);
    if t.kind == TokenKind::Word {
        w.chars().nth(2)?; // one or two letters are not content
        if w.len() <= 5 && FUNCTION_WORDS.iter().any(|f| f.eq_ignore_ascii_case(w)) {
            return None;
        }
    }
    Some(w)
}

/// Size of the multiset intersection of two sorted lists.
pub(super) fn intersection(a: &[u64], b: &[u64]) -> usize {
    let (mut i, mut j, mut n) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                n += 1;
                i += 1;
                j += 1;
            }
        }
    }
    n
}

pub(super) fn dice(a: &[u64], b: &[u64]) -> f64 {
    if a.is_empty() && b.is_empty() {
        return 1.0;
    }
    2.0 * intersection(a, b) as f64 / (a.len() + b.len()) as f64
}

/// Folds British and American spellings together (and hyphenation).
pub(crate) fn spelling_key(word: &str) -> String {
    let mut w: String =
        word.chars().flat_map(char::to_lowercase).filter(|c| *c != '-' && *c != '‐').collect();
    const SUFFIXES: &[(&str, &str)] = &[
        ("isations", "izations"),
        ("isation", "ization"),
        ("ising", "izing"),
        ("ised", "ized"),
        ("ises", "izes"),
        ("ise", "ize"),
        ("yse", "yze"),
        ("ysed", "yzed"),
        ("ysing", "yzing"),
        ("ogue", "og"),
        ("ourable", "orable"),
        ("ours", "ors"),
        ("our", "or"),
        ("lled", "led"),
        ("lling", "ling"),
        ("tre", "ter"),
        ("tres", "ters"),
        ("ence", "ense"),
        ("amme", "am"),
        ("ammes", "ams"),
        ("ement", "ment"),
    ];
    const KEEP: &[&str] = &[
        "our",
        "four",
        "your",
        "hour",
        "pour",
        "tour",
        "flour",
        "ours",
        "yours",
        "hours",
        "rise",
        "wise",
        "raise",
        "praise",
        "arise",
        "premise",
        "otherwise",
        "precise",
        "concise",
        "exercise",
        "enterprise",
        "compromise",
        "surprise",
        "advise",
        "devise",
        "revise",
        "supervise",
        "expertise",
        "franchise",
        "merchandise",
        "televise",
        "comprise",
        "disguise",
        "despise",
        "excise",
        "incise",
        "size",
        "prize",
        "seize",
    ];
    if KEEP.contains(&w.as_str()) {
        return w;
    }
    for (from, to) in SUFFIXES {
        if w.len() > from.len() + 2 && w.ends_with(from) {
            w.truncate(w.len() - from.len());
            w.push_str(to);
            break;
        }
    }
    w
}

pub(super) fn lower(s: &str) -> String {
    s.chars().flat_map(char::to_lowercase).collect()
}

/// A hash of the word with its case folded, for multiset comparisons.
pub(super) fn folded_hash(word: &str) -> u64 {
    use std::hash::BuildHasher;
    let state = foldhash::fast::FixedState::with_seed(0x00ac_c04d);
    // ASCII words (most words of most drafts) fold on the stack.
    if word.is_ascii() && word.len() <= 64 {
        let mut buf = [0u8; 64];
        for (d, s) in buf.iter_mut().zip(word.bytes()) {
            *d = s.to_ascii_lowercase();
        }
        return state.hash_one(&buf[..word.len()]);
    }
    state.hash_one(lower(word).as_bytes())
}

/// A content word: not a short or function word (numbers and ideographs count).
pub(super) fn is_content_word(lowered: &str) -> bool {
    let n = lowered.chars().count();
    let ideograph =
        lowered.chars().next().is_some_and(|c| !c.is_alphabetic() || (n == 1 && c as u32 > 0x2E80));
    ideograph || (n >= 3 && !FUNCTION_WORDS.contains(&lowered))
}
