//! Agreed language: which passages of a draft reuse adopted texts, and
//! whether the draft's own citations ("Article 19 of the Universal
//! Declaration of Human Rights") point at text that really holds them.
//!
//! ## What counts as reuse
//!
//! Words are compared folded: case, British/American spelling and hyphenation
//! are ignored, and possessives are one word ("his", "her", "their", "its" →
//! the same), since agreed language is routinely adapted that way. A corpus
//! paragraph is a candidate when it shares at least three 5-word shingles with
//! the draft paragraph; the two are then aligned word by word, and runs of
//! identical words separated by at most three words on either side form a
//! passage. A passage is reuse when it holds at least **12 matching words**
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
//! found); `not-in-corpus` when the corpus does not hold the cited text. A
//! citation is never verified without the cited text having been compared.

use foldhash::HashMap;
use serde::{Deserialize, Serialize};

use crate::model::{Draft, ReferenceKind};
use crate::tokens::{tokenize, Token};

/// The fewest matching words that make a passage reuse.
pub const MIN_REUSE_WORDS: usize = 12;
/// Words in a shingle of the index.
pub const SHINGLE_WORDS: usize = 5;
const MIN_SHARED_SHINGLES: usize = 3;
const MAX_GAP_WORDS: usize = 3;
/// Buckets of the postings directory (by the top 16 bits of a shingle).
const BUCKETS: usize = 1 << 16;
/// Corpus paragraphs aligned per draft paragraph, most shared shingles first.
const MAX_CANDIDATES: usize = 50;

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
        for (u, unit) in doc.units.iter().enumerate() {
            let (words, _) = folded(&unit.text);
            let mut seen: Vec<u64> = shingles(&words).collect();
            seen.sort_unstable();
            seen.dedup();
            self.postings.extend(seen.into_iter().map(|s| (s, d, u as u32)));
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
}

/// The trace of a draft (the `accord trace --format json` contract).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Trace {
    /// Paragraphs with at least one source.
    pub paragraphs: Vec<ParagraphSources>,
    /// Every citation of a numbered paragraph or article of a named text.
    pub citations: Vec<Citation>,
}

/// Passages shared by two folded word lists (indices into them).
fn passages(a: &[u64], b: &[u64]) -> Vec<(usize, usize, usize, usize, usize)> {
    // Patience anchors on words that occur once on each side, so a common
    // word elsewhere ("and") cannot pull an exact passage apart.
    let ops = similar::capture_diff_slices(similar::Algorithm::Patience, a, b);
    // Equal runs, merged across small gaps: (a_start, a_end, b_start, b_end, matched).
    let mut out: Vec<(usize, usize, usize, usize, usize)> = Vec::new();
    for op in ops {
        if let similar::DiffOp::Equal { old_index, new_index, len } = op {
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
        let mut counts: HashMap<(u32, u32), usize> = HashMap::default();
        let mut seen: Vec<u64> = shingles(&words).collect();
        seen.sort_unstable();
        seen.dedup();
        for s in seen {
            for unit in index.lookup(s) {
                *counts.entry(unit).or_default() += 1;
            }
        }
        let mut sources = Vec::new();
        let mut candidates: Vec<((u32, u32), usize)> =
            counts.into_iter().filter(|(_, n)| *n >= MIN_SHARED_SHINGLES).collect();
        candidates.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        for ((d, u), _) in candidates.into_iter().take(MAX_CANDIDATES) {
            let doc = &index.documents[d as usize];
            let unit = &doc.units[u as usize];
            let (uw, ut) = folded(&unit.text);
            for (a0, a1, b0, b1, matched) in passages(&words, &uw) {
                let longer = (a1 - a0).max(b1 - b0).max(1);
                sources.push(Source {
                    document: doc.symbol.clone(),
                    paragraph: unit.number.clone(),
                    similarity: ((matched as f64 / longer as f64) * 1000.0).round() / 1000.0,
                    draft_span: [tokens[a0].start, tokens[a1 - 1].end],
                    source_span: [ut[b0].start, ut[b1 - 1].end],
                    words: matched,
                });
            }
        }
        // Best first: matching words weighted by similarity, so an exact source
        // beats a longer near-copy that only gains a few filler words.
        let score = |s: &Source| s.words as f64 * s.similarity;
        sources.sort_by(|a, b| score(b).total_cmp(&score(a)).then(b.words.cmp(&a.words)));
        // Each passage of the draft goes to its best source: a weaker source
        // covering mostly the same words (a formula two articles share) is dropped.
        let mut kept: Vec<Source> = Vec::with_capacity(sources.len());
        for s in sources {
            let len = s.draft_span[1] - s.draft_span[0];
            let covered = kept.iter().any(|k| {
                let overlap =
                    s.draft_span[1].min(k.draft_span[1]).saturating_sub(s.draft_span[0].max(k.draft_span[0]));
                overlap * 2 > len && (&k.document, &k.paragraph) != (&s.document, &s.paragraph)
            });
            if !covered {
                kept.push(s);
            }
        }
        let sources = kept;
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
            };
            if let Some(d) = index.find_document(name) {
                let symbol = index.documents[d].symbol.clone();
                let holds =
                    sources.iter().any(|s| s.document == symbol && Some(&s.paragraph) == target.as_ref());
                c.status = if holds { CitationStatus::Verified } else { CitationStatus::Mismatch };
                if !holds {
                    c.found_in = sources.first().map(|s| format!("{} {}", s.document, s.paragraph));
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
