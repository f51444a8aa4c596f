//! Words for comparing drafts: a tokenizer that knows brackets, punctuation,
//! numbers and hyphenated words, and falls back to single characters for
//! scripts written without spaces (Chinese, Japanese), so word-level
//! comparison works in all six UN languages.

/// What a token is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TokenKind {
    /// Letters, with inner hyphens and apostrophes: `people-centred`, `ICT's`.
    Word,
    /// Digits, with inner `.`, `,`: `2.2`, `1,000`, `2015`.
    Number,
    /// `[`
    Open,
    /// `]`
    Close,
    /// Any other non-space character: `,`, `;`, `/`, `(`, `–`.
    Punct,
    /// One character of a script written without spaces.
    Ideograph,
}

/// A token: its kind and its span in the text, in characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    /// What it is.
    pub kind: TokenKind,
    /// First character.
    pub start: u32,
    /// Just past the last character.
    pub end: u32,
    /// Byte span in the text, for slicing.
    pub bytes: (u32, u32),
}

impl Token {
    /// The token's text.
    pub fn text<'a>(&self, source: &'a str) -> &'a str {
        &source[self.bytes.0 as usize..self.bytes.1 as usize]
    }
    /// True for words and numbers (what "content" is made of).
    pub fn is_wordlike(&self) -> bool {
        matches!(self.kind, TokenKind::Word | TokenKind::Number | TokenKind::Ideograph)
    }
}

/// Scripts written without spaces between words.
fn is_ideograph(c: char) -> bool {
    matches!(c as u32,
        0x3040..=0x30FF   // Hiragana, Katakana
        | 0x3400..=0x4DBF // CJK Extension A
        | 0x4E00..=0x9FFF // CJK Unified Ideographs
        | 0xF900..=0xFAFF // CJK Compatibility Ideographs
        | 0x20000..=0x2FA1F)
}

fn is_word_char(c: char) -> bool {
    c.is_alphabetic() && !is_ideograph(c) || is_mark(c)
}

/// Combining marks (Arabic vowel signs, accents written separately) belong to their word.
fn is_mark(c: char) -> bool {
    matches!(c as u32, 0x0300..=0x036F | 0x0610..=0x061A | 0x064B..=0x065F | 0x0670 | 0x06D6..=0x06ED)
}

/// Splits `text` into tokens. Spaces separate tokens and are not tokens.
pub fn tokenize(text: &str) -> Vec<Token> {
    let mut out = Vec::with_capacity(text.len() / 5 + 1);
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let n = chars.len();
    let byte_at = |i: usize| if i < n { chars[i].0 } else { text.len() };
    let mut i = 0;
    while i < n {
        let c = chars[i].1;
        let start = i;
        let kind = if c.is_whitespace() {
            i += 1;
            continue;
        } else if is_ideograph(c) {
            i += 1;
            TokenKind::Ideograph
        } else if c.is_numeric() {
            i += 1;
            while i < n {
                let d = chars[i].1;
                let joiner = matches!(d, '.' | ',') && i + 1 < n && chars[i + 1].1.is_ascii_digit();
                if d.is_numeric() || joiner {
                    i += if joiner { 2 } else { 1 };
                } else {
                    break;
                }
            }
            TokenKind::Number
        } else if is_word_char(c) {
            i += 1;
            while i < n {
                let d = chars[i].1;
                let joiner = matches!(d, '-' | '\'' | '’' | '‐') && i + 1 < n && is_word_char(chars[i + 1].1);
                if is_word_char(d) || d.is_numeric() || joiner {
                    i += if joiner { 2 } else { 1 };
                } else {
                    break;
                }
            }
            TokenKind::Word
        } else {
            i += 1;
            match c {
                '[' => TokenKind::Open,
                ']' => TokenKind::Close,
                _ => TokenKind::Punct,
            }
        };
        out.push(Token {
            kind,
            start: start as u32,
            end: i as u32,
            bytes: (byte_at(start) as u32, byte_at(i) as u32),
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(t: &str) -> Vec<&str> {
        tokenize(t).iter().map(|k| k.text(t)).collect()
    }

    #[test]
    fn words_numbers_brackets_punctuation() {
        assert_eq!(
            texts("people-centred [2020/2025], ICT's 1,000.5 per cent; re-affirmed"),
            [
                "people-centred",
                "[",
                "2020",
                "/",
                "2025",
                "]",
                ",",
                "ICT's",
                "1,000.5",
                "per",
                "cent",
                ";",
                "re-affirmed"
            ]
        );
    }

    #[test]
    fn scripts_without_spaces_fall_back_to_characters() {
        assert_eq!(texts("人人有权享有"), ["人", "人", "有", "权", "享", "有"]);
        assert_eq!(texts("لكل شخص الحق"), ["لكل", "شخص", "الحق"]);
        assert_eq!(texts("Каждый человек"), ["Каждый", "человек"]);
    }

    #[test]
    fn spans_are_characters() {
        let t = "é [x]";
        let toks = tokenize(t);
        assert_eq!((toks[1].start, toks[1].end), (2, 3));
        assert_eq!(toks[2].text(t), "x");
    }
}
