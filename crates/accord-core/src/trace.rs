//! Agreed language: which passages of a draft reuse adopted texts, and
//! whether the draft's own citations ("Article 19 of the Universal
//! Declaration of Human Rights") point at text that really holds them.
//!
//! ## What counts as reuse
//!
//! Words are compared folded: case, British/American spelling and hyphenation
//! are ignored, and possessives are one word ("his", "her", "their", "its" →
//! the same), since agreed language is routinely adapted that way. A corpus
//! paragraph is a candidate when it shares at least two 5-word shingles with
//! the draft paragraph (the 100 that share most are aligned). The shared
//! shingles seed runs of identical words, grown word by word; the gaps
//! between runs (and a few words either side) are aligned word by word, so an
//! edit every few words still joins; runs separated by at most three words on
//! either side form a passage. A passage is reuse when it holds at least **12 matching words**
//! ([`MIN_REUSE_WORDS`]): shorter common phrases ("all relevant
//! stakeholders", "in accordance with international law") are the ordinary
//! vocabulary of the genre, not reuse. Its similarity is the matching words
//! over the longer of the two spans.
//!
//! ## Citations
//!
//! A reference of the draft that names a text and a paragraph or article
//! ("Article 29 of the Universal Declaration …", "(Paragraph 2 of Agenda
//! 2030)") is checked: `verified` when a passage of the paragraph was traced to
//! that very article or paragraph; `mismatch` when the cited text is in the
//! corpus but the passage is not there (with where it does come from, if
//! found, and the cited passage's text to read beside the quotation);
//! `not-in-corpus` when the corpus does not hold the cited text, or holds the
//! document but not the paragraph or article cited (then naming what it holds
//! of it). A citation is never verified, nor called a mismatch, without the
//! cited text having been compared.

use foldhash::HashMap;
use serde::{Deserialize, Serialize};

use crate::model::{Draft, ReferenceKind};
use crate::tokens::{tokenize, Token};

/// The fewest matching words that make a passage reuse.
pub const MIN_REUSE_WORDS: usize = 12;
/// Words in a shingle of the index.
pub const SHINGLE_WORDS: usize = 5;
const MIN_SHARED_SHINGLES: usize = 2;
const MAX_GAP_WORDS: usize = 3;
/// Buckets of the postings directory (by the top 16 bits of a shingle).
const BUCKETS: usize = 1 << 16;
/// Corpus paragraphs aligned per draft paragraph, most shared shingles first.
const MAX_CANDIDATES: usize = 100;

/// One citable unit of an adopted text: a paragraph or an article.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CorpusUnit {
    /// Its number as the text cites it ("19", "2", "PP3").
    pub number: String,
    /// Its text.
    pub text: String,
}

/// An adopted text in the corpus.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CorpusDocument {
    /// Its symbol ("A/RES/217(III)").
    pub symbol: String,
    /// Its name as drafts cite it ("Universal Declaration of Human Rights").
    pub name: String,
    /// Other names drafts use for it ("UDHR", "Agenda 2030").
    #[serde(default)]
    pub aliases: Vec<String>,
    /// Adoption date, as written.
    pub date: Option<String>,
    /// Language code, when known ("en", "fr").
    pub language: Option<String>,
    /// Its paragraphs or articles.
    pub units: Vec<CorpusUnit>,
}

impl CorpusDocument {
    /// An adopted text from a parsed draft: its paragraphs, numbered as written.
    pub fn from_draft(draft: &Draft, symbol: &str, name: &str) -> CorpusDocument {
        CorpusDocument {
            symbol: symbol.to_owned(),
            name: name.to_owned(),
            aliases: Vec::new(),
            date: draft.date.clone(),
            language: None,
            units: draft
                .paragraphs
                .iter()
                .map(|p| CorpusUnit {
                    number: p.number.clone().unwrap_or_else(|| p.id.clone()),
                    text: p.text.clone(),
                })
                .collect(),
        }
    }

    /// An adopted text from HTML with one `<article data-number="N">` per
    /// article (the Universal Declaration's layout) and the preamble in
    /// `<header>`; the name from `<h1>`, the language from `<html lang>`.
    pub fn from_article_html(html: &str, symbol: &str) -> Option<CorpusDocument> {
        let name = between(html, "<h1>", "</h1>").map(strip_tags)?;
        let language = between(html, " lang=\"", "\"").map(str::to_owned);
        let mut units = Vec::new();
        if let Some(header) = between(html, "<header>", "</header>") {
            let mut rest = header;
            let mut n = 0;
            while let Some(p) = between(rest, "<p>", "</p>") {
                n += 1;
                units.push(CorpusUnit { number: format!("PP{n}"), text: strip_tags(p) });
                rest = &rest[rest.find("</p>").map_or(rest.len(), |i| i + 4)..];
            }
        }
        let mut rest = html;
        while let Some(i) = rest.find("<article data-number=\"") {
            let after = &rest[i + 22..];
            let number = after[..after.find('"')?].to_owned();
            let end = after.find("</article>").unwrap_or(after.len());
            let body = &after[..end];
            // Drop the article's heading; keep its paragraphs.
            let body = body.find("</h2>").map_or(body, |j| &body[j + 5..]);
            let body = body.find('>').map_or(body, |j| &body[j + 1..]);
            units.push(CorpusUnit { number, text: strip_tags(body) });
            rest = &after[end..];
        }
        (!units.is_empty()).then(|| CorpusDocument {
            symbol: symbol.to_owned(),
            name,
            aliases: Vec::new(),
            date: None,
            language,
            units,
        })
    }
}

fn between<'a>(s: &'a str, open: &str, close: &str) -> Option<&'a str> {
    let i = s.find(open)? + open.len();
    let j = s[i..].find(close)? + i;
    Some(&s[i..j])
}

/// Text without tags, entities of the common kind decoded, spaces collapsed.
fn strip_tags(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut in_tag = false;
    for c in s.chars() {
        match c {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                out.push(' ');
            }
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    let out = out
        .replace("&amp;", "&")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">");
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Folded words of a text, with their token spans.
fn folded(text: &str) -> (Vec<u64>, Vec<Token>) {
    let tokens: Vec<Token> = tokenize(text).into_iter().filter(|t| t.is_wordlike()).collect();
    let words = tokens
        .iter()
        .map(|t| {
            let w = t.text(text).to_lowercase();
            let w = match w.as_str() {
                "his" | "her" | "their" | "its" | "hers" | "theirs" => "‹poss›".to_owned(),
                "son" | "sa" | "ses" | "leur" | "leurs" => "‹poss-fr›".to_owned(),
                "su" | "sus" => "‹poss-es›".to_owned(),
                _ => crate::compare::spelling_key(&w),
            };
            word_hash(&w)
        })
        .collect();
    (words, tokens)
}

fn word_hash(w: &str) -> u64 {
    use std::hash::BuildHasher;
    foldhash::fast::FixedState::with_seed(0x7ace).hash_one(w.as_bytes())
}

fn shingles(words: &[u64]) -> impl Iterator<Item = u64> + '_ {
    words.windows(SHINGLE_WORDS).map(|w| {
        w.iter().fold(0xcbf2_9ce4_8422_2325u64, |h, x| (h ^ x).wrapping_mul(0x0100_0000_01b3).rotate_left(5))
    })
}

/// The corpus with its shingle index, ready to trace drafts against.
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct CorpusIndex {
    /// The documents.
    pub documents: Vec<CorpusDocument>,
    /// (shingle, document, unit) postings: one flat array, sorted by shingle
    /// up to `sorted` (all of it once [`CorpusIndex::finish`] has run), looked
    /// up by binary search. 16 bytes a posting, no per-shingle allocation.
    postings: Vec<(u64, u32, u32)>,
    /// How many postings, from the start, are in shingle order.
    #[serde(skip)]
    sorted: usize,
    /// Where each bucket of shingles (by their top 16 bits) starts in the
    /// sorted postings: a look-up searches one small bucket, not the whole array.
    #[serde(skip)]
    buckets: Vec<u32>,
    /// Each document's name and aliases, normalised for citation look-ups.
    #[serde(skip)]
    names: Vec<Vec<String>>,
    /// Every unit's folded words, one flat array: a candidate is aligned from
    /// these instead of folding its text again for every paragraph that
    /// shares a shingle with it.
    #[serde(skip)]
    words: Vec<u64>,
    /// Each unit's range in `words`, by document then unit.
    #[serde(skip)]
    word_ranges: Vec<Vec<(u32, u32)>>,
}

fn normalise_name(s: &str) -> String {
    let lower = s.to_lowercase().replace(['’', '\''], "'");
    lower.trim_start_matches("the ").split_whitespace().collect::<Vec<_>>().join(" ")
}

impl CorpusIndex {
    /// Indexes the documents.
    pub fn build(documents: Vec<CorpusDocument>) -> CorpusIndex {
        let mut index = CorpusIndex::default();
        for d in documents {
            index.add(d);
        }
        index.finish();
        index
    }

    /// Puts the postings in order after [`CorpusIndex::add`] calls, so that
    /// look-ups are binary searches. An unfinished index still traces
    /// correctly, scanning the postings added since.
    pub fn finish(&mut self) {
        if !self.postings.is_sorted() {
            self.postings.sort_unstable();
        }
        self.sorted = self.postings.len();
        self.buckets = vec![0; BUCKETS + 1];
        let mut at = 0;
        for b in 0..=BUCKETS {
            while at < self.sorted && ((self.postings[at].0 >> 48) as usize) < b {
                at += 1;
            }
            self.buckets[b] = at as u32;
        }
    }

    /// The (document, unit) postings of a shingle.
    fn lookup(&self, shingle: u64) -> impl Iterator<Item = (u32, u32)> + '_ {
        let b = (shingle >> 48) as usize;
        let done = match self.buckets.get(b..b + 2) {
            Some(&[lo, hi]) => &self.postings[lo as usize..hi as usize],
            _ => &self.postings[..self.sorted],
        };
        let from = done.partition_point(|p| p.0 < shingle);
        let to = from + done[from..].iter().take_while(|p| p.0 == shingle).count();
        done[from..to]
            .iter()
            .chain(self.postings[self.sorted..].iter().filter(move |p| p.0 == shingle))
            .map(|p| (p.1, p.2))
    }

    /// Adds one document to the index (for progress on large corpora).
    pub fn add(&mut self, doc: CorpusDocument) {
        let d = self.documents.len() as u32;
        let keep_words = self.word_ranges.len() == self.documents.len();
        let mut ranges = Vec::with_capacity(if keep_words { doc.units.len() } else { 0 });
        for (u, unit) in doc.units.iter().enumerate() {
            let (words, _) = folded(&unit.text);
            let mut seen: Vec<u64> = shingles(&words).collect();
            seen.sort_unstable();
            seen.dedup();
            self.postings.extend(seen.into_iter().map(|s| (s, d, u as u32)));
            if keep_words {
                ranges.push((self.words.len() as u32, (self.words.len() + words.len()) as u32));
                self.words.extend_from_slice(&words);
            }
        }
        if keep_words {
            self.word_ranges.push(ranges);
        }
        let mut names = vec![normalise_name(&doc.name)];
        names.extend(doc.aliases.iter().map(|a| normalise_name(a)));
        // Names are cached only when every document has them (see find_document).
        if self.names.len() == self.documents.len() {
            self.names.push(names);
        }
        self.documents.push(doc);
    }

    /// Rebuilds what an index read from disk does not store (normalised
    /// names, the sorted mark).
    pub fn prepare(&mut self) {
        self.finish();
        if self.word_ranges.len() != self.documents.len() {
            self.words.clear();
            self.word_ranges = self
                .documents
                .iter()
                .map(|d| {
                    d.units
                        .iter()
                        .map(|u| {
                            let start = self.words.len() as u32;
                            self.words.extend(folded(&u.text).0);
                            (start, self.words.len() as u32)
                        })
                        .collect()
                })
                .collect();
        }
        self.names = self
            .documents
            .iter()
            .map(|d| std::iter::once(&d.name).chain(&d.aliases).map(|n| normalise_name(n)).collect())
            .collect();
    }

    /// The document a citation names, by name or alias (case and "the" ignored).
    pub fn find_document(&self, cited: &str) -> Option<usize> {
        let want = normalise_name(cited);
        if self.names.len() != self.documents.len() {
            // Not cached (an index read from disk): compare one by one.
            return self.documents.iter().position(|d| {
                normalise_name(&d.name) == want || d.aliases.iter().any(|a| normalise_name(a) == want)
            });
        }
        self.names.iter().position(|names| names.contains(&want))
    }
}

/// A passage of a draft paragraph found in an adopted text.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Source {
    /// The adopted text's symbol.
    pub document: String,
    /// The paragraph or article it is in.
    pub paragraph: String,
    /// Matching words over the longer span (1.0: verbatim after folding).
    pub similarity: f64,
    /// Characters of the draft paragraph's text.
    pub draft_span: [u32; 2],
    /// Characters of the source's text.
    pub source_span: [u32; 2],
    /// Matching words in the passage.
    pub words: usize,
}

/// A paragraph's sources.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ParagraphSources {
    /// The paragraph id (as in `accord parse` and `accord compare`).
    pub id: String,
    /// Passages reused, best first.
    pub sources: Vec<Source>,
}

/// What a citation check found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum CitationStatus {
    /// The cited passage holds the text.
    Verified,
    /// The cited text is in the corpus but does not hold it here.
    Mismatch,
    /// The cited text is not in the corpus.
    NotInCorpus,
}

/// A citation of the draft and its check.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Citation {
    /// The paragraph citing.
    pub paragraph: String,
    /// The citation as written.
    pub text: String,
    /// What the check found.
    pub status: CitationStatus,
    /// The cited document's symbol, when in the corpus.
    pub document: Option<String>,
    /// The paragraph or article cited.
    pub target: Option<String>,
    /// For a mismatch: where the paragraph's text does come from, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub found_in: Option<String>,
    /// For a mismatch: the text of the cited paragraph or article, to read
    /// beside the quotation.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cited_text: Option<String>,
    /// For a citation not in the corpus although the cited text is: what the
    /// corpus holds of it ("169 paragraphs or articles, 1.1 to 17.19").
    #[serde(skip_serializing_if = "Option::is_none")]
    pub corpus_holds: Option<String>,
}

/// What the corpus holds of a document, in words: how many units, and the
/// lowest and highest numbers in reading order (`2` before `10`, `1.10`
/// before `1.a`), whatever order the copy lists them in.
fn holdings(doc: &CorpusDocument) -> String {
    /// Numbers compare part by part, digits as numbers.
    fn key(n: &str) -> Vec<(u64, String)> {
        n.split(['.', ' ', '-'])
            .map(|part| {
                let digits: String = part.chars().take_while(char::is_ascii_digit).collect();
                (digits.parse().unwrap_or(u64::MAX), part[digits.len()..].to_owned())
            })
            .collect()
    }
    let first = doc.units.iter().min_by_key(|u| key(&u.number));
    let last = doc.units.iter().max_by_key(|u| key(&u.number));
    match (first, last) {
        (Some(first), Some(last)) if doc.units.len() > 1 => {
            format!("{} paragraphs or articles, {} to {}", doc.units.len(), first.number, last.number)
        }
        (Some(only), _) => format!("one paragraph or article, {}", only.number),
        _ => "no paragraph or article".to_owned(),
    }
}

/// The trace of a draft (the `accord trace --format json` contract).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Trace {
    /// Paragraphs with at least one source.
    pub paragraphs: Vec<ParagraphSources>,
    /// Every citation of a numbered paragraph or article of a named text.
    pub citations: Vec<Citation>,
}

/// Where each shingle of a draft paragraph starts (a paragraph has tens of
/// shingles: a sorted list is smaller and faster than a hash map).
struct ShingleStarts(Vec<(u64, u32)>);

impl ShingleStarts {
    fn of(words: &[u64]) -> ShingleStarts {
        let mut v: Vec<(u64, u32)> = shingles(words).enumerate().map(|(i, h)| (h, i as u32)).collect();
        v.sort_unstable();
        ShingleStarts(v)
    }

    fn get(&self, h: u64) -> impl Iterator<Item = usize> + '_ {
        let from = self.0.partition_point(|e| e.0 < h);
        self.0[from..].iter().take_while(move |e| e.0 == h).map(|e| e.1 as usize)
    }
}

/// Passages shared by a draft paragraph's words `a` and a corpus unit's
/// words `b` (indices into them), as (a_start, a_end, b_start, b_end,
/// matched words).
///
/// Seed and extend, as in sequence search: every shingle the two share is a
/// seed, grown word by word into a maximal exact run; runs are chained in
/// order on both sides, small gaps between them are aligned word by word
/// (so an edit every few words still joins), and runs separated by at most
/// [`MAX_GAP_WORDS`] words on either side form one passage. Only the regions
/// around shared shingles are ever compared: the cost follows the reuse, not
/// the product of the two lengths.
fn passages(a: &[u64], starts: &ShingleStarts, b: &[u64]) -> Vec<(usize, usize, usize, usize, usize)> {
    // 1. Maximal exact runs through shared shingles: (a_start, b_start, len).
    let mut runs: Vec<(usize, usize, usize)> = Vec::new();
    // Furthest a-position reached on each diagonal, so a seed inside a run
    // already grown is skipped.
    let mut reached: Vec<(isize, usize)> = Vec::new();
    for (j, h) in shingles(b).enumerate() {
        for i in starts.get(h) {
            let diagonal = i as isize - j as isize;
            if reached.iter().any(|&(d, end)| d == diagonal && i < end) {
                continue;
            }
            let (mut si, mut sj) = (i, j);
            while si > 0 && sj > 0 && a[si - 1] == b[sj - 1] {
                si -= 1;
                sj -= 1;
            }
            let mut len = 0;
            while si + len < a.len() && sj + len < b.len() && a[si + len] == b[sj + len] {
                len += 1;
            }
            match reached.iter_mut().find(|(d, _)| *d == diagonal) {
                Some(r) => r.1 = r.1.max(si + len),
                None => reached.push((diagonal, si + len)),
            }
            runs.push((si, sj, len));
        }
    }
    if runs.is_empty() {
        return Vec::new();
    }
    // 2. One chain of runs, in order on both sides (longest first wins where
    // repeated phrases make runs cross).
    runs.sort_unstable_by(|x, y| y.2.cmp(&x.2).then(x.0.cmp(&y.0)).then(x.1.cmp(&y.1)));
    let mut chain: Vec<(usize, usize, usize)> = Vec::new();
    for r in runs {
        let fits = chain
            .iter()
            .all(|c| (r.0 + r.2 <= c.0 && r.1 + r.2 <= c.1) || (r.0 >= c.0 + c.2 && r.1 >= c.1 + c.2));
        if fits {
            chain.push(r);
        }
    }
    chain.sort_unstable();
    // 3. Short equal runs in the gaps between chained runs, and just before
    // the first and after the last (edits a few words apart leave runs
    // shorter than a shingle, which no seed finds).
    const REACH: usize = 4 * MAX_GAP_WORDS;
    let mut equal: Vec<(usize, usize, usize)> = Vec::with_capacity(chain.len() * 2);
    let gap = |equal: &mut Vec<(usize, usize, usize)>, a0: usize, a1: usize, b0: usize, b1: usize| {
        if a1 > a0 && b1 > b0 && a1 - a0 <= REACH && b1 - b0 <= REACH {
            for op in similar::capture_diff_slices(similar::Algorithm::Myers, &a[a0..a1], &b[b0..b1]) {
                if let similar::DiffOp::Equal { old_index, new_index, len } = op {
                    equal.push((a0 + old_index, b0 + new_index, len));
                }
            }
        }
    };
    if let Some(&first) = chain.first() {
        gap(&mut equal, first.0.saturating_sub(REACH), first.0, first.1.saturating_sub(REACH), first.1);
    }
    for (k, &r) in chain.iter().enumerate() {
        if let Some(&prev) = k.checked_sub(1).and_then(|p| chain.get(p)) {
            gap(&mut equal, prev.0 + prev.2, r.0, prev.1 + prev.2, r.1);
        }
        equal.push(r);
    }
    if let Some(&last) = chain.last() {
        let (a0, b0) = (last.0 + last.2, last.1 + last.2);
        gap(&mut equal, a0, (a0 + REACH).min(a.len()), b0, (b0 + REACH).min(b.len()));
    }
    let mut out: Vec<(usize, usize, usize, usize, usize)> = Vec::new();
    for (old_index, new_index, len) in equal {
        if let Some(last) = out.last_mut() {
            let gap_a = old_index - last.1;
            let gap_b = new_index.saturating_sub(last.3);
            if gap_a <= MAX_GAP_WORDS && gap_b <= MAX_GAP_WORDS && new_index >= last.3 {
                last.1 = old_index + len;
                last.3 = new_index + len;
                last.4 += len;
                continue;
            }
        }
        out.push((old_index, old_index + len, new_index, new_index + len, len));
    }
    out.retain(|p| p.4 >= MIN_REUSE_WORDS);
    out
}

/// Traces every paragraph of a draft against the corpus, and checks its citations.
pub fn trace(draft: &Draft, index: &CorpusIndex) -> Trace {
    let mut paragraphs = Vec::new();
    let mut citations = Vec::new();
    for p in &draft.paragraphs {
        let (words, tokens) = folded(&p.text);
        let starts = ShingleStarts::of(&words);
        let mut counts: HashMap<(u32, u32), usize> = HashMap::default();
        let mut seen: Vec<u64> = shingles(&words).collect();
        seen.sort_unstable();
        seen.dedup();
        for s in seen {
            for unit in index.lookup(s) {
                *counts.entry(unit).or_default() += 1;
            }
        }
        let mut candidates: Vec<((u32, u32), usize)> =
            counts.into_iter().filter(|(_, n)| *n >= MIN_SHARED_SHINGLES).collect();
        candidates.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        // Passages first, as indices: the character positions of a source are
        // worked out only for the passages that are reported.
        struct Found {
            d: u32,
            u: u32,
            b: (usize, usize),
            matched: usize,
            similarity: f64,
            draft_span: [u32; 2],
        }
        let mut found: Vec<Found> = Vec::new();
        for ((d, u), _) in candidates.into_iter().take(MAX_CANDIDATES) {
            let folded_unit;
            let uw: &[u64] = match index.word_ranges.get(d as usize).and_then(|r| r.get(u as usize)) {
                Some(&(from, to)) => &index.words[from as usize..to as usize],
                None => {
                    folded_unit = folded(&index.documents[d as usize].units[u as usize].text).0;
                    &folded_unit
                }
            };
            for (a0, a1, b0, b1, matched) in passages(&words, &starts, uw) {
                let longer = (a1 - a0).max(b1 - b0).max(1);
                found.push(Found {
                    d,
                    u,
                    b: (b0, b1),
                    matched,
                    similarity: ((matched as f64 / longer as f64) * 1000.0).round() / 1000.0,
                    draft_span: [tokens[a0].start, tokens[a1 - 1].end],
                });
            }
        }
        // Best first: matching words weighted by similarity, so an exact source
        // beats a longer near-copy that only gains a few filler words.
        let score = |f: &Found| f.matched as f64 * f.similarity;
        found.sort_by(|x, y| score(y).total_cmp(&score(x)).then(y.matched.cmp(&x.matched)));
        // Each passage of the draft goes to its best source: a weaker source
        // covering mostly the same words (a formula two articles share) is dropped.
        let same_source = |x: &Found, y: &Found| {
            x.d == y.d
                && index.documents[x.d as usize].units[x.u as usize].number
                    == index.documents[y.d as usize].units[y.u as usize].number
        };
        let mut kept: Vec<Found> = Vec::with_capacity(found.len().min(16));
        for f in found {
            let len = f.draft_span[1] - f.draft_span[0];
            let covered = kept.iter().any(|k| {
                let overlap =
                    f.draft_span[1].min(k.draft_span[1]).saturating_sub(f.draft_span[0].max(k.draft_span[0]));
                overlap * 2 > len && !same_source(k, &f)
            });
            if !covered {
                kept.push(f);
            }
        }
        let sources: Vec<Source> = kept
            .into_iter()
            .map(|f| {
                let doc = &index.documents[f.d as usize];
                let unit = &doc.units[f.u as usize];
                let (_, ut) = folded(&unit.text);
                Source {
                    document: doc.symbol.clone(),
                    paragraph: unit.number.clone(),
                    similarity: f.similarity,
                    draft_span: f.draft_span,
                    source_span: [ut[f.b.0].start, ut[f.b.1 - 1].end],
                    words: f.matched,
                }
            })
            .collect();
        for r in p
            .references
            .iter()
            .filter(|r| matches!(r.kind, ReferenceKind::Article | ReferenceKind::Paragraph))
        {
            let Some(name) = &r.document else { continue };
            let target = r.targets.first().map(|t| t.split('(').next().unwrap_or(t).to_owned());
            let mut c = Citation {
                paragraph: p.id.clone(),
                text: r.text.clone(),
                status: CitationStatus::NotInCorpus,
                document: None,
                target: target.clone(),
                found_in: None,
                cited_text: None,
                corpus_holds: None,
            };
            if let Some(d) = index.find_document(name) {
                let doc = &index.documents[d];
                let symbol = doc.symbol.clone();
                let unit = target.as_ref().and_then(|t| doc.units.iter().find(|u| &u.number == t));
                if target.is_some() && unit.is_none() {
                    // The corpus's copy has no such paragraph: nothing to
                    // compare, so no mismatch can be claimed.
                    c.corpus_holds = Some(holdings(doc));
                } else {
                    let holds =
                        sources.iter().any(|s| s.document == symbol && Some(&s.paragraph) == target.as_ref());
                    c.status = if holds { CitationStatus::Verified } else { CitationStatus::Mismatch };
                    if !holds {
                        c.found_in = sources.first().map(|s| format!("{} {}", s.document, s.paragraph));
                        c.cited_text = unit.map(|u| u.text.clone());
                    }
                }
                c.document = Some(symbol);
            }
            citations.push(c);
        }
        if !sources.is_empty() {
            paragraphs.push(ParagraphSources { id: p.id.clone(), sources });
        }
    }
    Trace { paragraphs, citations }
}
#[cfg(test)]
mod seed_extend_tests {
    use super::*;

    #[test]
    fn an_edit_every_few_words_still_joins_one_passage() {
        // Source 1..=40; the draft deletes word 10 and changes word 12, with
        // only "11" (shorter than a shingle) between the two edits.
        let b: Vec<u64> = (1..=40).collect();
        let mut a: Vec<u64> = vec![100, 101, 102];
        a.extend(1..=9);
        a.push(11);
        a.push(999);
        a.extend(13..=30);
        a.extend([200, 201]);
        let p = passages(&a, &ShingleStarts::of(&a), &b);
        assert_eq!(p, vec![(3, 32, 0, 30, 28)]);
    }

    #[test]
    fn nothing_shared_is_no_passage_and_short_runs_are_not_reuse() {
        let b: Vec<u64> = (1..=40).collect();
        let a: Vec<u64> = (100..140).collect();
        assert!(passages(&a, &ShingleStarts::of(&a), &b).is_empty());
        let mut a: Vec<u64> = (100..110).collect();
        a.extend(5..16); // 11 words: under the 12-word rule
        a.extend(200..210);
        assert!(passages(&a, &ShingleStarts::of(&a), &b).is_empty());
    }
}
