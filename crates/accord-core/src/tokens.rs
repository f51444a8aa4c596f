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
    let b = text.as_bytes();
    // The character at byte `i`, and its length in bytes.
    let at = |i: usize| -> Option<(char, usize)> {
        if i >= b.len() {
            None
        } else if b[i] < 0x80 {
            Some((b[i] as char, 1))
        } else {
            text[i..].chars().next().map(|c| (c, c.len_utf8()))
        }
    };
    let (mut i, mut n) = (0usize, 0u32); // byte and character positions
    while let Some((c, len)) = at(i) {
        let (start, start_char) = (i, n);
        i += len;
        n += 1;
        // Extends the token while `part` accepts a character, or a joiner
        // (`-`, `'`, `.`, `,`) stands between two accepted characters.
        let mut extend = |part: &dyn Fn(char) -> bool, joiner: &dyn Fn(char) -> bool| {
            while let Some((d, dl)) = at(i) {
                if part(d) || (joiner(d) && at(i + dl).is_some_and(|(e, _)| part(e))) {
                    i += dl;
                    n += 1;
                } else {
                    break;
                }
            }
        };
        let kind = if c.is_whitespace() {
            continue;
        } else if is_ideograph(c) {
            TokenKind::Ideograph
        } else if c.is_numeric() {
            extend(&|d: char| d.is_numeric(), &|d: char| matches!(d, '.' | ','));
            TokenKind::Number
        } else if is_word_char(c) {
            extend(&|d: char| is_word_char(d) || d.is_numeric(), &|d: char| {
                matches!(d, '-' | '\'' | '’' | '‐')
            });
            TokenKind::Word
        } else {
            match c {
                '[' => TokenKind::Open,
                ']' => TokenKind::Close,
                _ => TokenKind::Punct,
            }
        };
        out.push(Token { kind, start: start_char, end: n, bytes: (start as u32, i as u32) });
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
