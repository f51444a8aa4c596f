//! Comparing two drafts: which paragraph became which (lineage), what changed
//! in it word by word, whether the change is marginal or substantive and why,
//! what became of every bracket, and which statuses moved.
//!
//! ## Lineage
//!
//! Paragraphs are aligned globally, in passes that each trust the previous:
//! 1. paragraphs with identical text are paired in order; the longest run of
//!    such pairs that keeps its order anchors the alignment;
//! 2. between consecutive anchors, the paragraphs left over are aligned with
//!    each other: first splits (one old paragraph whose words are spread over
//!    several consecutive new ones) and merges, then pairs by similarity,
//!    best pairs first;
//! 3. what is still unpaired is matched across the whole draft (a paragraph
//!    moved to another section and edited), through an index of its words.
//!
//! Similarity is the Dice coefficient of the two paragraphs' content words
//! (words of three letters or more, not function words, case folded); pairs
//! below 0.5 are not linked. A pair's order is judged by the longest
//! increasing subsequence of all pairs: a paragraph outside it has moved
//! relative to its neighbours.
//!
//! ## Marginal or substantive
//!
//! A changed paragraph is **substantive** when any change in it
//! - replaces, adds or removes a normative verb or modal (recognize, note,
//!   urge, call, decide, request, shall, should, must, may, …);
//! - adds or removes a negation (not, no, never, without, …);
//! - changes a number or a date;
//! - changes a named body or document (a capitalised word inside a sentence,
//!   an acronym);
//! - touches a reference (`68/302`, "paragraph 111 of the Tunis Agenda");
//! - adds, removes or moves a bracket (resolving a bracket is substantive);
//! - or when a large share (30 % or more) of its content words changed.
//!
//! Otherwise it is **marginal**: spelling variants (recognise/recognize,
//! programme/program), capitalisation, punctuation, spacing, words or list
//! items in another order, or a small rewording. Status tags are not words:
//! a change of tag alone leaves a paragraph `unchanged` and is reported in
//! `statuses`.

use std::collections::{BTreeMap, VecDeque};

use foldhash::HashMap;
use serde::Serialize;

use crate::model::{Draft, Paragraph, Status};
use crate::tokens::{tokenize, Token, TokenKind};

/// How a paragraph (or heading) of one draft relates to the other draft.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Relation {
    /// Same number, same words.
    Unchanged,
    /// Same words, another number, same order relative to its neighbours.
    Renumbered,
    /// Words differ, same relative order.
    Changed,
    /// Its order relative to its neighbours changed (words may differ too).
    Moved,
    /// One old paragraph became several new ones.
    Split,
    /// Several old paragraphs became one new one.
    Merged,
    /// Only in the new draft.
    New,
    /// Only in the old draft.
    Deleted,
}

impl Relation {
    /// The stable name.
    pub fn as_str(self) -> &'static str {
        match self {
            Relation::Unchanged => "unchanged",
            Relation::Renumbered => "renumbered",
            Relation::Changed => "changed",
            Relation::Moved => "moved",
            Relation::Split => "split",
            Relation::Merged => "merged",
            Relation::New => "new",
            Relation::Deleted => "deleted",
        }
    }
}

/// Whether a change matters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Class {
    /// Spelling, capitalisation, punctuation, order, small rewording.
    Marginal,
    /// Meaning may have changed: see the reasons.
    Substantive,
}

/// One word-level change inside a linked pair.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    /// `insert`, `delete` or `replace`.
    pub kind: &'static str,
    /// The old words (empty for an insertion).
    pub old: String,
    /// The new words (empty for a deletion).
    pub new: String,
    /// Character span in the old text (for splits and merges: in the texts
    /// joined with one space, in order).
    pub old_span: [u32; 2],
    /// Character span in the new text.
    pub new_span: [u32; 2],
}

/// One entry of the lineage: every paragraph of each side is in exactly one.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Link {
    /// The relation.
    pub relation: Relation,
    /// Old ids (empty for `new`).
    pub old: Vec<String>,
    /// New ids (empty for `deleted`).
    pub new: Vec<String>,
    /// Null where the words did not change, and for new and deleted paragraphs.
    pub class: Option<Class>,
    /// Why the class, in words.
    pub reasons: Vec<String>,
    /// How alike the linked texts are (1.0 identical); 0 for new and deleted.
    pub similarity: f64,
    /// Word-level changes.
    pub changes: Vec<Change>,
}

/// What became of a bracket.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Fate {
    /// Still bracketed, same words.
    Open,
    /// Brackets gone, words kept.
    Kept,
    /// Words gone.
    Deleted,
    /// One alternative kept.
    Chosen,
    /// Still bracketed, words changed.
    Reworded,
    /// A bracket the old draft did not have.
    New,
}

/// A bracket's fate between the drafts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BracketFate {
    /// The old paragraph holding it (null for a new bracket).
    pub old_paragraph: Option<String>,
    /// The new paragraph holding it or its outcome (null when its paragraph was deleted).
    pub new_paragraph: Option<String>,
    /// The bracket as it was (as it is, for a new one).
    pub text: String,
    /// What became of it.
    pub fate: Fate,
    /// The alternative kept, for `chosen`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub chosen: Option<String>,
    /// The bracket's new wording, for `reworded`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reworded: Option<String>,
}

/// A status tag that changed on a linked paragraph.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StatusChange {
    /// Old paragraph id.
    pub old: String,
    /// New paragraph id.
    pub new: String,
    /// Old status.
    pub from: Status,
    /// New status.
    pub to: Status,
}

/// A substantive change, for the summary.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SubstantiveChange {
    /// Old ids.
    pub old: Vec<String>,
    /// New ids.
    pub new: Vec<String>,
    /// Why it is substantive.
    pub reasons: Vec<String>,
}

/// The comparison in the co-facilitators' terms.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Summary {
    /// Paragraphs in the old and the new draft.
    pub old_paragraphs: usize,
    /// Paragraphs in the new draft.
    pub new_paragraphs: usize,
    /// Lineage entries by relation.
    pub relations: BTreeMap<&'static str, usize>,
    /// Changed entries by class.
    pub classes: BTreeMap<&'static str, usize>,
    /// Substantive changes first: the paragraphs to focus on.
    pub substantive: Vec<SubstantiveChange>,
    /// Brackets by fate.
    pub brackets: BTreeMap<&'static str, usize>,
    /// Old brackets resolved (kept, deleted or chosen).
    pub brackets_resolved: usize,
    /// Brackets open in the new draft.
    pub brackets_open: usize,
    /// Status changes.
    pub statuses_changed: usize,
}

/// A change to the document's front: its title, the title's status (with
/// its qualifier), or its date line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FrontChange {
    /// `title`, `title-status` or `date`.
    pub field: &'static str,
    /// Before (`None`: there was none).
    pub old: Option<String>,
    /// After (`None`: there is none now).
    pub new: Option<String>,
}

/// What changed in the title, its status and the date line.
fn front_changes(old: &Draft, new: &Draft) -> Vec<FrontChange> {
    let status = |d: &Draft| {
        d.title.as_ref().map(|_| match &d.title_status_note {
            Some(n) => format!("{}, {n}", d.title_status.as_str()),
            None => d.title_status.as_str().to_string(),
        })
    };
    let mut out = Vec::new();
    for (field, o, n) in [
        ("title", old.title.clone(), new.title.clone()),
        ("title-status", status(old), status(new)),
        ("date", old.date.clone(), new.date.clone()),
    ] {
        if o != n {
            out.push(FrontChange { field, old: o, new: n });
        }
    }
    out
}

/// The whole comparison (the `accord compare --format json` contract).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Comparison {
    /// Changes to the title, its status and the date line (left out when none).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub front: Vec<FrontChange>,
    /// Every paragraph of each side in exactly one entry.
    pub paragraphs: Vec<Link>,
    /// The same for headings.
    pub headings: Vec<Link>,
    /// Every old bracket's fate, and the new brackets.
    pub brackets: Vec<BracketFate>,
    /// Status changes on linked paragraphs.
    pub statuses: Vec<StatusChange>,
    /// Counts and the list to focus on.
    pub summary: Summary,
}

// ---------------------------------------------------------------------------
// Items to align: paragraphs or headings, with their content words.

const FUNCTION_WORDS: &[&str] = &[
    "the", "and", "for", "with", "that", "this", "which", "its", "their", "are", "was", "were", "has",
    "have", "had", "from", "into", "all", "any", "other", "such", "been", "being", "also", "well", "our",
    "des", "les", "une", "par", "pour", "dans", "que", "qui", "los", "las", "del", "por", "para", "con",
];

struct Item<'a> {
    id: &'a str,
    number: Option<&'a str>,
    text: &'a str,
    /// Content words, interned, sorted (a multiset).
    words: Vec<u64>,
}

/// The content words of a text, each as the hash of its case-folded form
/// (64 bits: collisions are negligible at the scale of a draft), sorted: a multiset.
fn content_words(text: &str) -> Vec<u64> {
    let mut out = Vec::new();
    for t in tokenize(text) {
        if !t.is_wordlike() {
            continue;
        }
        let w = t.text(text);
        if t.kind == TokenKind::Word {
            if w.chars().nth(2).is_none() {
                continue; // one or two letters
            }
            if w.len() <= 5 && FUNCTION_WORDS.iter().any(|f| f.eq_ignore_ascii_case(w)) {
                continue;
            }
        }
        out.push(folded_hash(w));
    }
    out.sort_unstable();
    out
}

/// Size of the multiset intersection of two sorted lists.
fn intersection(a: &[u64], b: &[u64]) -> usize {
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

fn dice(a: &[u64], b: &[u64]) -> f64 {
    if a.is_empty() && b.is_empty() {
        return 1.0;
    }
    2.0 * intersection(a, b) as f64 / (a.len() + b.len()) as f64
}

// ---------------------------------------------------------------------------
// Alignment.

/// A pairing decided by the aligner (indices into the item lists).
#[derive(Debug, Clone)]
enum Pairing {
    One(usize, usize, f64),
    Split(usize, Vec<usize>, f64),
    Merge(Vec<usize>, usize, f64),
}

const LINK_THRESHOLD: f64 = 0.5;
const PART_CONTAINMENT: f64 = 0.75;
const WHOLE_COVERAGE: f64 = 0.75;

struct Aligner<'x, 'a> {
    old: &'x [Item<'a>],
    new: &'x [Item<'a>],
    old_taken: Vec<bool>,
    new_taken: Vec<bool>,
    pairings: Vec<Pairing>,
}

impl<'x, 'a> Aligner<'x, 'a> {
    fn exact(&mut self) -> Vec<(usize, usize)> {
        let mut by_text: HashMap<&str, VecDeque<usize>> = HashMap::default();
        for (n, item) in self.new.iter().enumerate() {
            by_text.entry(item.text).or_default().push_back(n);
        }
        let mut pairs = Vec::new();
        for (o, item) in self.old.iter().enumerate() {
            if let Some(n) = by_text.get_mut(item.text).and_then(VecDeque::pop_front) {
                pairs.push((o, n));
            }
        }
        // Only the pairs that keep their order anchor the alignment; the others
        // are moves, found again below.
        let keep = longest_increasing(&pairs.iter().map(|p| p.1).collect::<Vec<_>>());
        let mut anchors = Vec::with_capacity(keep.len());
        for k in keep {
            let (o, n) = pairs[k];
            self.take(Pairing::One(o, n, 1.0));
            anchors.push((o, n));
        }
        // Moved paragraphs with identical text.
        for (o, n) in pairs {
            if !self.old_taken[o] && !self.new_taken[n] {
                self.take(Pairing::One(o, n, 1.0));
            }
        }
        anchors
    }

    fn take(&mut self, p: Pairing) {
        match &p {
            Pairing::One(o, n, _) => {
                self.old_taken[*o] = true;
                self.new_taken[*n] = true;
            }
            Pairing::Split(o, ns, _) => {
                self.old_taken[*o] = true;
                ns.iter().for_each(|&n| self.new_taken[n] = true);
            }
            Pairing::Merge(os, n, _) => {
                os.iter().for_each(|&o| self.old_taken[o] = true);
                self.new_taken[*n] = true;
            }
        }
        self.pairings.push(p);
    }

    /// Aligns the leftovers between two anchors.
    fn gap(&mut self, olds: &[usize], news: &[usize]) {
        let olds: Vec<usize> = olds.iter().copied().filter(|&o| !self.old_taken[o]).collect();
        let news: Vec<usize> = news.iter().copied().filter(|&n| !self.new_taken[n]).collect();
        if olds.is_empty() || news.is_empty() {
            return;
        }
        self.splits_and_merges(&olds, &news);
        let olds: Vec<usize> = olds.into_iter().filter(|&o| !self.old_taken[o]).collect();
        let news: Vec<usize> = news.into_iter().filter(|&n| !self.new_taken[n]).collect();
        let candidates = if olds.len() * news.len() <= 4096 {
            let mut c = Vec::new();
            for &o in &olds {
                for &n in &news {
                    let s = dice(&self.old[o].words, &self.new[n].words);
                    if s >= LINK_THRESHOLD {
                        c.push((s, o, n));
                    }
                }
            }
            c
        } else {
            self.indexed_candidates(&olds, &news, LINK_THRESHOLD)
        };
        self.assign(candidates);
    }

    /// Best pairs first, each side used once.
    fn assign(&mut self, mut candidates: Vec<(f64, usize, usize)>) {
        candidates.sort_by(|a, b| {
            b.0.total_cmp(&a.0).then_with(|| a.1.abs_diff(a.2).cmp(&b.1.abs_diff(b.2))).then(a.1.cmp(&b.1))
        });
        for (s, o, n) in candidates {
            if !self.old_taken[o] && !self.new_taken[n] {
                self.take(Pairing::One(o, n, s));
            }
        }
    }

    /// Candidate pairs through an index of words, skipping words too common to tell.
    fn indexed_candidates(&self, olds: &[usize], news: &[usize], threshold: f64) -> Vec<(f64, usize, usize)> {
        let mut index: HashMap<u64, Vec<usize>> = HashMap::default();
        for &n in news {
            let mut words = self.new[n].words.clone();
            words.dedup();
            for w in words {
                index.entry(w).or_default().push(n);
            }
        }
        let mut out = Vec::new();
        let mut shared: HashMap<usize, usize> = HashMap::default();
        for &o in olds {
            shared.clear();
            let mut words = self.old[o].words.clone();
            words.dedup();
            for w in words {
                if let Some(list) = index.get(&w) {
                    if list.len() > 64 {
                        continue;
                    }
                    for &n in list {
                        *shared.entry(n).or_default() += 1;
                    }
                }
            }
            let len = self.old[o].words.len().max(1);
            for (&n, &k) in &shared {
                if k * 4 >= len || k >= 8 {
                    let s = dice(&self.old[o].words, &self.new[n].words);
                    if s >= threshold {
                        out.push((s, o, n));
                    }
                }
            }
        }
        out
    }

    /// One old paragraph spread over consecutive new ones (split), or the reverse (merge).
    fn splits_and_merges(&mut self, olds: &[usize], news: &[usize]) {
        let mut found: Vec<(f64, Pairing)> = Vec::new();
        for (whole_side_old, wholes, parts) in [(true, olds, news), (false, news, olds)] {
            for &w in wholes {
                let whole = if whole_side_old { &self.old[w] } else { &self.new[w] };
                if whole.words.len() < 6 {
                    continue;
                }
                // Parts mostly made of the whole's words, in a consecutive run.
                let mut run: Vec<usize> = Vec::new();
                let mut best: Option<(Vec<usize>, f64)> = None;
                let flush = |run: &mut Vec<usize>, best: &mut Option<(Vec<usize>, f64)>| {
                    if run.len() >= 2 {
                        let covered: usize = run
                            .iter()
                            .map(|&p| {
                                let part = if whole_side_old { &self.new[p] } else { &self.old[p] };
                                intersection(&whole.words, &part.words)
                            })
                            .sum();
                        let coverage = covered as f64 / whole.words.len() as f64;
                        if coverage >= WHOLE_COVERAGE && best.as_ref().is_none_or(|b| coverage > b.1) {
                            *best = Some((run.clone(), coverage.min(1.0)));
                        }
                    }
                    run.clear();
                };
                // Consecutive among the paragraphs still unpaired: a paragraph
                // moved in between (already paired) does not break a split.
                for (k, &p) in parts.iter().enumerate() {
                    let part = if whole_side_old { &self.new[p] } else { &self.old[p] };
                    let contained = !part.words.is_empty()
                        && intersection(&whole.words, &part.words) as f64 / part.words.len() as f64
                            >= PART_CONTAINMENT;
                    let adjacent = run.last().is_none_or(|&l| k > 0 && parts[k - 1] == l);
                    if contained && adjacent {
                        run.push(p);
                    } else {
                        flush(&mut run, &mut best);
                        if contained {
                            run.push(p);
                        }
                    }
                }
                flush(&mut run, &mut best);
                if let Some((run, coverage)) = best {
                    // A split only when every part adds words of the whole that
                    // no other part holds: the best single part leaves out at
                    // least 5 % of the whole (else it is an edit of that part).
                    let single_best = run
                        .iter()
                        .map(|&p| {
                            let part = if whole_side_old { &self.new[p] } else { &self.old[p] };
                            intersection(&whole.words, &part.words) as f64 / whole.words.len() as f64
                        })
                        .fold(0.0, f64::max);
                    if coverage - single_best >= 0.05 {
                        let pairing = if whole_side_old {
                            Pairing::Split(w, run, coverage)
                        } else {
                            Pairing::Merge(run, w, coverage)
                        };
                        found.push((coverage, pairing));
                    }
                }
            }
        }
        found.sort_by(|a, b| b.0.total_cmp(&a.0));
        for (_, p) in found {
            let free = match &p {
                Pairing::Split(o, ns, _) => !self.old_taken[*o] && ns.iter().all(|&n| !self.new_taken[n]),
                Pairing::Merge(os, n, _) => !self.new_taken[*n] && os.iter().all(|&o| !self.old_taken[o]),
                Pairing::One(..) => false,
            };
            if free {
                self.take(p);
            }
        }
    }
}

/// Indices (into `seq`) of one longest strictly increasing subsequence.
fn longest_increasing(seq: &[usize]) -> Vec<usize> {
    let mut tails: Vec<usize> = Vec::new(); // indices into seq
    let mut prev: Vec<Option<usize>> = vec![None; seq.len()];
    for i in 0..seq.len() {
        let pos = tails.partition_point(|&t| seq[t] < seq[i]);
        if pos > 0 {
            prev[i] = Some(tails[pos - 1]);
        }
        if pos == tails.len() {
            tails.push(i);
        } else {
            tails[pos] = i;
        }
    }
    let mut out = Vec::with_capacity(tails.len());
    let mut cur = tails.last().copied();
    while let Some(i) = cur {
        out.push(i);
        cur = prev[i];
    }
    out.reverse();
    out
}

fn align<'a>(old: &mut [Item<'a>], new: &mut [Item<'a>]) -> Vec<Pairing> {
    let mut a = Aligner {
        old,
        new,
        old_taken: vec![false; old.len()],
        new_taken: vec![false; new.len()],
        pairings: Vec::new(),
    };
    let anchors = a.exact();
    // Words are only needed for what identical text did not pair: in a new
    // revision, a small part of the draft.
    let Aligner { old_taken, new_taken, pairings, .. } = a;
    for (item, taken) in old.iter_mut().zip(&old_taken).chain(new.iter_mut().zip(&new_taken)) {
        if !taken {
            item.words = content_words(item.text);
        }
    }
    let mut a = Aligner { old, new, old_taken, new_taken, pairings };
    // The gaps between anchors, with sentinels at both ends.
    let mut prev = (0usize, 0usize);
    let mut bounds: Vec<((usize, usize), (usize, usize))> = Vec::with_capacity(anchors.len() + 1);
    for &(o, n) in &anchors {
        bounds.push((prev, (o, n)));
        prev = (o + 1, n + 1);
    }
    bounds.push((prev, (old.len(), new.len())));
    for ((o0, n0), (o1, n1)) in bounds {
        if o1 > o0 && n1 > n0 {
            let olds: Vec<usize> = (o0..o1).collect();
            let news: Vec<usize> = (n0..n1).collect();
            a.gap(&olds, &news);
        }
    }
    // Across the whole draft: moved and edited.
    let olds: Vec<usize> = (0..old.len()).filter(|&o| !a.old_taken[o]).collect();
    let news: Vec<usize> = (0..new.len()).filter(|&n| !a.new_taken[n]).collect();
    if !olds.is_empty() && !news.is_empty() {
        let c = a.indexed_candidates(&olds, &news, 0.6);
        a.assign(c);
    }
    a.pairings
}

// ---------------------------------------------------------------------------
// Word-level changes and classification.

fn word_changes(old: &str, new: &str) -> (Vec<Change>, Vec<Token>, Vec<Token>, Vec<similar::DiffOp>) {
    let ot = tokenize(old);
    let nt = tokenize(new);
    let oi: Vec<&str> = ot.iter().map(|t| t.text(old)).collect();
    let ni: Vec<&str> = nt.iter().map(|t| t.text(new)).collect();
    let ops = similar::capture_diff_slices(similar::Algorithm::Myers, &oi, &ni);
    let span = |toks: &[Token], from: usize, len: usize| -> [u32; 2] {
        if len == 0 {
            let at = if from < toks.len() { toks[from].start } else { toks.last().map_or(0, |t| t.end) };
            [at, at]
        } else {
            [toks[from].start, toks[from + len - 1].end]
        }
    };
    let text_of = |s: &str, toks: &[Token], from: usize, len: usize| -> String {
        if len == 0 {
            return String::new();
        }
        s[toks[from].bytes.0 as usize..toks[from + len - 1].bytes.1 as usize].to_owned()
    };
    let mut changes = Vec::new();
    for op in &ops {
        let (kind, oi_, ol, ni_, nl) = match *op {
            similar::DiffOp::Equal { .. } => continue,
            similar::DiffOp::Delete { old_index, old_len, new_index } => {
                ("delete", old_index, old_len, new_index, 0)
            }
            similar::DiffOp::Insert { old_index, new_index, new_len } => {
                ("insert", old_index, 0, new_index, new_len)
            }
            similar::DiffOp::Replace { old_index, old_len, new_index, new_len } => {
                ("replace", old_index, old_len, new_index, new_len)
            }
        };
        changes.push(Change {
            kind,
            old: text_of(old, &ot, oi_, ol),
            new: text_of(new, &nt, ni_, nl),
            old_span: span(&ot, oi_, ol),
            new_span: span(&nt, ni_, nl),
        });
    }
    (changes, ot, nt, ops)
}

const NORMATIVE: &[&str] = &[
    "shall",
    "should",
    "must",
    "may",
    "might",
    "will",
    "would",
    "can",
    "could",
    "recognize",
    "recognise",
    "note",
    "notes",
    "noting",
    "urge",
    "urges",
    "call",
    "calls",
    "decide",
    "decides",
    "request",
    "requests",
    "encourage",
    "encourages",
    "invite",
    "invites",
    "welcome",
    "welcomes",
    "reaffirm",
    "reaffirms",
    "affirm",
    "affirms",
    "acknowledge",
    "acknowledges",
    "commit",
    "commits",
    "emphasize",
    "emphasise",
    "stress",
    "stresses",
    "underline",
    "underlines",
    "underscore",
    "recommend",
    "recommends",
    "agree",
    "agrees",
    "endorse",
    "endorses",
    "support",
    "supports",
    "condemn",
    "condemns",
    "demand",
    "demands",
    "require",
    "requires",
    "express",
    "expresses",
    "declare",
    "declares",
    "resolve",
    "resolves",
    "reiterate",
    "reiterates",
    "take",
    "takes",
    "consider",
    "considers",
    "recall",
    "recalls",
    "determine",
    "determines",
    "deplore",
    "deplores",
    "regret",
    "regrets",
    "concern",
    "concerned",
    "appeal",
    "appeals",
    "aim",
    "aims",
    "strive",
    "ensure",
    "ensures",
    "adopt",
    "adopts",
    "approve",
    "approves",
    "establish",
    "establishes",
    "extend",
    "extends",
];

const NEGATIONS: &[&str] = &[
    "not", "no", "never", "nor", "neither", "without", "non", "cannot", "none", "ne", "pas", "jamais", "sin",
    "nunca",
];

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

fn lower(s: &str) -> String {
    s.chars().flat_map(char::to_lowercase).collect()
}

/// A hash of the word with its case folded, for multiset comparisons.
fn folded_hash(word: &str) -> u64 {
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
fn is_content_word(lowered: &str) -> bool {
    let n = lowered.chars().count();
    let ideograph =
        lowered.chars().next().is_some_and(|c| !c.is_alphabetic() || (n == 1 && c as u32 > 0x2E80));
    ideograph || (n >= 3 && !FUNCTION_WORDS.contains(&lowered))
}

fn is_content(t: &Token, key: &str) -> bool {
    t.kind != TokenKind::Word || is_content_word(key)
}

struct Side<'a> {
    text: &'a str,
    /// How many content words the whole text has.
    content_words: usize,
    tokens: &'a [Token],
    references: Vec<(u32, u32)>,
}

/// Classifies the changes between two texts, with reasons.
fn classify(old: &Side<'_>, new: &Side<'_>, ops: &[similar::DiffOp]) -> (Class, Vec<String>) {
    let brackets = |s: &Side<'_>| {
        s.tokens.iter().filter(|t| matches!(t.kind, TokenKind::Open | TokenKind::Close)).count()
    };
    let mut substantive: Vec<String> = Vec::new();
    let mut marginal: Vec<String> = Vec::new();
    let push = |v: &mut Vec<String>, r: String| {
        if !v.contains(&r) {
            v.push(r);
        }
    };
    // The whole texts hold the same words exactly when the words the diff
    // removes and the words it inserts are the same multiset.
    let hunk_words = |s: &Side<'_>, deleted: bool| -> Vec<u64> {
        let mut v = Vec::new();
        for op in ops {
            let range = match (*op, deleted) {
                (similar::DiffOp::Delete { old_index, old_len, .. }, true)
                | (similar::DiffOp::Replace { old_index, old_len, .. }, true) => {
                    old_index..old_index + old_len
                }
                (similar::DiffOp::Insert { new_index, new_len, .. }, false)
                | (similar::DiffOp::Replace { new_index, new_len, .. }, false) => {
                    new_index..new_index + new_len
                }
                _ => continue,
            };
            v.extend(s.tokens[range].iter().filter(|t| t.is_wordlike()).map(|t| folded_hash(t.text(s.text))));
        }
        v.sort_unstable();
        v
    };
    if hunk_words(old, true) == hunk_words(new, false) && brackets(old) == brackets(new) {
        // The same words: order, case, punctuation or spacing only.
        let old_seq: Vec<&str> =
            old.tokens.iter().filter(|t| t.is_wordlike()).map(|t| t.text(old.text)).collect();
        let new_seq: Vec<&str> =
            new.tokens.iter().filter(|t| t.is_wordlike()).map(|t| t.text(new.text)).collect();
        let old_lower: Vec<u64> = old_seq.iter().map(|w| folded_hash(w)).collect();
        let new_lower: Vec<u64> = new_seq.iter().map(|w| folded_hash(w)).collect();
        if old_lower != new_lower {
            push(&mut marginal, "words or list items reordered".into());
        }
        if old_seq != new_seq && old_lower == new_lower {
            push(&mut marginal, "capitalisation".into());
        }
        let old_p: Vec<&str> =
            old.tokens.iter().filter(|t| !t.is_wordlike()).map(|t| t.text(old.text)).collect();
        let new_p: Vec<&str> =
            new.tokens.iter().filter(|t| !t.is_wordlike()).map(|t| t.text(new.text)).collect();
        if old_p != new_p {
            push(&mut marginal, "punctuation".into());
        }
        if marginal.is_empty() {
            push(&mut marginal, "spacing".into());
        }
        return (Class::Marginal, marginal);
    }
    let mut changed_content = 0usize;
    let first_word_of_sentence = |s: &Side<'_>, i: usize| -> bool {
        // The first word-like token, or one after a full stop.
        s.tokens[..i].iter().rev().find(|t| t.kind != TokenKind::Open).is_none_or(|t| {
            t.kind == TokenKind::Punct && matches!(t.text(s.text), "." | "!" | "?" | ":" | ";")
        })
    };
    for op in ops {
        let (o0, ol, n0, nl) = match *op {
            similar::DiffOp::Equal { .. } => continue,
            similar::DiffOp::Delete { old_index, old_len, new_index } => (old_index, old_len, new_index, 0),
            similar::DiffOp::Insert { old_index, new_index, new_len } => (old_index, 0, new_index, new_len),
            similar::DiffOp::Replace { old_index, old_len, new_index, new_len } => {
                (old_index, old_len, new_index, new_len)
            }
        };
        let ot = &old.tokens[o0..o0 + ol];
        let nt = &new.tokens[n0..n0 + nl];
        let ob = ot.iter().filter(|t| matches!(t.kind, TokenKind::Open | TokenKind::Close)).count();
        let nb = nt.iter().filter(|t| matches!(t.kind, TokenKind::Open | TokenKind::Close)).count();
        if ob > nb {
            push(&mut substantive, "bracket removed".into());
        } else if nb > ob {
            push(&mut substantive, "bracket added".into());
        }
        let ow: Vec<(usize, &Token)> =
            ot.iter().enumerate().filter(|(_, t)| t.is_wordlike()).map(|(i, t)| (o0 + i, t)).collect();
        let nw: Vec<(usize, &Token)> =
            nt.iter().enumerate().filter(|(_, t)| t.is_wordlike()).map(|(i, t)| (n0 + i, t)).collect();
        if ow.is_empty() && nw.is_empty() {
            if ob == nb {
                push(&mut marginal, "punctuation".into());
            }
            continue;
        }
        let ol_: Vec<String> = ow.iter().map(|(_, t)| lower(t.text(old.text))).collect();
        let nl_: Vec<String> = nw.iter().map(|(_, t)| lower(t.text(new.text))).collect();
        if ol_ == nl_ {
            push(&mut marginal, "capitalisation".into());
            continue;
        }
        let ok: Vec<String> = ow.iter().map(|(_, t)| spelling_key(t.text(old.text))).collect();
        let nk: Vec<String> = nw.iter().map(|(_, t)| spelling_key(t.text(new.text))).collect();
        if ok == nk {
            push(&mut marginal, "spelling variant".into());
            continue;
        }
        // Words that really differ (as multisets of spelling keys).
        let mut only_old: Vec<(usize, &Token, &String)> = Vec::new();
        let mut only_new: Vec<(usize, &Token, &String)> = Vec::new();
        let mut nk_left: Vec<Option<&String>> = nk.iter().map(Some).collect();
        for (k, key) in ok.iter().enumerate() {
            match nk_left.iter_mut().find(|x| x.is_some_and(|y| y == key)) {
                Some(slot) => *slot = None,
                None => only_old.push((ow[k].0, ow[k].1, key)),
            }
        }
        for (k, slot) in nk_left.iter().enumerate() {
            if slot.is_some() {
                only_new.push((nw[k].0, nw[k].1, &nk[k]));
            }
        }
        if only_old.is_empty() && only_new.is_empty() {
            push(&mut marginal, "words reordered".into());
            continue;
        }
        let describe = |v: &[(usize, &Token, &String)], s: &Side<'_>| -> String {
            v.iter().map(|(_, t, _)| t.text(s.text)).collect::<Vec<_>>().join(" ")
        };
        // "what changed: old words → new words", naming only the words that
        // make the rule ("added"/"removed" when one side has none).
        let changed_by = |what: &str,
                          on_old: &dyn Fn(&(usize, &Token, &String)) -> bool,
                          on_new: &dyn Fn(&(usize, &Token, &String)) -> bool| {
            let o: Vec<(usize, &Token, &String)> = only_old.iter().copied().filter(|x| on_old(x)).collect();
            let n: Vec<(usize, &Token, &String)> = only_new.iter().copied().filter(|x| on_new(x)).collect();
            match (o.is_empty(), n.is_empty()) {
                (true, false) => format!("{what} added: {}", describe(&n, new)),
                (false, true) => format!("{what} removed: {}", describe(&o, old)),
                _ => format!("{what} changed: {} → {}", describe(&o, old), describe(&n, new)),
            }
        };
        let mut hit = false;
        // "May" inside a sentence is a month; "may" is a modal.
        let is_month = |s: &Side<'_>, i: usize, t: &Token, key: &str| {
            crate::lines::MONTHS.contains(&key)
                && (key != "may" || (t.text(s.text).starts_with('M') && !first_word_of_sentence(s, i)))
        };
        let is_number = |s: &Side<'_>, (i, t, k): &(usize, &Token, &String)| {
            t.kind == TokenKind::Number || is_month(s, *i, t, k)
        };
        if only_old.iter().any(|x| is_number(old, x)) || only_new.iter().any(|x| is_number(new, x)) {
            push(
                &mut substantive,
                changed_by("number or date", &|x| is_number(old, x), &|x| is_number(new, x)),
            );
            hit = true;
        }
        let normative = |s: &Side<'_>, (i, t, k): &(usize, &Token, &String)| {
            (NORMATIVE.contains(&k.as_str()) || NORMATIVE.contains(&k.trim_end_matches('s')))
                && !is_month(s, *i, t, k)
        };
        if only_old.iter().any(|x| normative(old, x)) || only_new.iter().any(|x| normative(new, x)) {
            push(&mut substantive, changed_by("normative verb or modal", &|_| true, &|_| true));
            hit = true;
        }
        if only_old.iter().any(|(_, _, k)| NEGATIONS.contains(&k.as_str())) {
            push(&mut substantive, "negation removed".into());
            hit = true;
        }
        if only_new.iter().any(|(_, _, k)| NEGATIONS.contains(&k.as_str())) {
            push(&mut substantive, "negation added".into());
            hit = true;
        }
        let named = |s: &Side<'_>, (i, t, k): &(usize, &Token, &String)| {
            if is_month(s, *i, t, k) {
                return false;
            }
            let w = t.text(s.text);
            let upper_initial = w.chars().next().is_some_and(char::is_uppercase);
            let acronym =
                w.chars().filter(|c| c.is_alphabetic()).count() >= 2 && w.chars().all(|c| !c.is_lowercase());
            t.kind == TokenKind::Word && (acronym || (upper_initial && !first_word_of_sentence(s, *i)))
        };
        if only_old.iter().any(|x| named(old, x)) || only_new.iter().any(|x| named(new, x)) {
            push(
                &mut substantive,
                changed_by("named body or document", &|x| named(old, x), &|x| named(new, x)),
            );
            hit = true;
        }
        let in_reference =
            |s: &Side<'_>, t: &Token| s.references.iter().any(|&(a, b)| t.start < b && t.end > a);
        if only_old.iter().any(|(_, t, _)| in_reference(old, t))
            || only_new.iter().any(|(_, t, _)| in_reference(new, t))
        {
            push(&mut substantive, "reference changed".into());
            hit = true;
        }
        let content = |v: &[(usize, &Token, &String)]| v.iter().filter(|(_, t, k)| is_content(t, k)).count();
        changed_content += content(&only_old).max(content(&only_new));
        if !hit {
            push(&mut marginal, "minor rewording".into());
        }
    }
    let total = old.content_words.max(new.content_words).max(1);
    let share = changed_content as f64 / total as f64;
    if share >= 0.3 {
        push(&mut substantive, format!("{:.0}% of the content words changed", share * 100.0));
    }
    if substantive.is_empty() {
        if marginal.is_empty() {
            marginal.push("spacing".into());
        }
        (Class::Marginal, marginal)
    } else {
        (Class::Substantive, substantive)
    }
}

// ---------------------------------------------------------------------------
// Brackets.

fn alternatives_in(inner: &str) -> Option<Vec<String>> {
    crate::brackets::alternatives(inner)
}

fn bracket_fates(old: &[&Paragraph], new: &[&Paragraph], out: &mut Vec<BracketFate>) {
    let has_brackets = |ps: &[&Paragraph]| ps.iter().any(|p| p.brackets.iter().any(|b| !b.opens_before));
    if !has_brackets(old) && !has_brackets(new) {
        return;
    }
    let new_id = new.first().map(|p| p.id.clone());
    // Identical text: every bracket is still open (the common case).
    if let ([o], [n]) = (old, new) {
        if o.text == n.text {
            for b in o.brackets.iter().filter(|b| !b.opens_before) {
                out.push(BracketFate {
                    old_paragraph: Some(o.id.clone()),
                    new_paragraph: Some(n.id.clone()),
                    text: b.text.clone(),
                    fate: Fate::Open,
                    chosen: None,
                    reworded: None,
                });
            }
            return;
        }
    }
    let new_text: String = new.iter().map(|p| p.text.as_str()).collect::<Vec<_>>().join(" ");
    let old_text: String = old.iter().map(|p| p.text.as_str()).collect::<Vec<_>>().join(" ");
    let mut new_brackets: Vec<(&Paragraph, &crate::Bracket, bool)> = new
        .iter()
        .flat_map(|p| p.brackets.iter().filter(|b| !b.opens_before).map(move |b| (*p, b, false)))
        .collect();
    // Which old words survive, from the word diff (computed once, when needed).
    let mut survival: Option<(Vec<Token>, Vec<bool>)> = None;
    let mut offset = 0u32;
    for p in old {
        let base = offset;
        offset += p.text.chars().count() as u32 + 1;
        for b in p.brackets.iter().filter(|b| !b.opens_before) {
            let mut fate = BracketFate {
                old_paragraph: Some(p.id.clone()),
                new_paragraph: new_id.clone(),
                text: b.text.clone(),
                fate: Fate::Deleted,
                chosen: None,
                reworded: None,
            };
            if new.is_empty() {
                out.push(fate);
                continue;
            }
            if let Some(slot) = new_brackets.iter_mut().find(|(_, nb, used)| !*used && nb.text == b.text) {
                slot.2 = true;
                fate.fate = Fate::Open;
                fate.new_paragraph = Some(slot.0.id.clone());
                out.push(fate);
                continue;
            }
            let inner = b.text.trim_start_matches('[').trim_end_matches(']').trim();
            // Reworded: a new bracket at the same depth with similar words.
            let old_words = content_words(inner);
            let reworded = new_brackets
                .iter_mut()
                .filter(|(_, nb, used)| !*used && b.depth == nb.depth)
                .map(|slot| {
                    let w = content_words(slot.1.text.trim_start_matches('[').trim_end_matches(']'));
                    (dice(&old_words, &w), slot)
                })
                .filter(|(s, _)| *s >= 0.5)
                .max_by(|a, b| a.0.total_cmp(&b.0));
            if let Some((_, slot)) = reworded {
                slot.2 = true;
                fate.fate = Fate::Reworded;
                fate.reworded = Some(slot.1.text.clone());
                fate.new_paragraph = Some(slot.0.id.clone());
                out.push(fate);
                continue;
            }
            // Resolved: which of the bracket's words the diff keeps.
            let (tokens, kept) = survival.get_or_insert_with(|| {
                let (_, ot, _, ops) = word_changes(&old_text, &new_text);
                let mut kept = vec![false; ot.len()];
                for op in &ops {
                    if let similar::DiffOp::Equal { old_index, len, .. } = *op {
                        kept[old_index..old_index + len].iter_mut().for_each(|k| *k = true);
                    }
                }
                (ot, kept)
            });
            let (from, to) = (base + b.start + 1, base + b.end.saturating_sub(1));
            let inside: Vec<usize> = (0..tokens.len())
                .filter(|&i| tokens[i].is_wordlike() && tokens[i].start >= from && tokens[i].end <= to)
                .collect();
            let surviving: Vec<&str> =
                inside.iter().filter(|&&i| kept[i]).map(|&i| tokens[i].text(&old_text)).collect();
            let alts = b.alternatives.clone().or_else(|| alternatives_in(inner));
            let chosen = alts.as_ref().and_then(|alts| {
                let held: Vec<&String> = alts
                    .iter()
                    .filter(|a| {
                        let words: Vec<&str> =
                            tokenize(a).iter().filter(|t| t.is_wordlike()).map(|t| t.text(a)).collect();
                        !words.is_empty() && words.iter().all(|w| surviving.contains(w))
                    })
                    .collect();
                (held.len() == 1).then(|| held[0].clone())
            });
            if let Some(c) = chosen {
                fate.fate = Fate::Chosen;
                fate.chosen = Some(c);
            } else if !inside.is_empty() && surviving.len() * 2 >= inside.len() {
                fate.fate = Fate::Kept;
            }
            out.push(fate);
        }
    }
    for (p, b, used) in new_brackets {
        if !used {
            out.push(BracketFate {
                old_paragraph: old.first().map(|p| p.id.clone()),
                new_paragraph: Some(p.id.clone()),
                text: b.text.clone(),
                fate: Fate::New,
                chosen: None,
                reworded: None,
            });
        }
    }
}

// ---------------------------------------------------------------------------
// The comparison.

/// What a link is made from: the relation found by alignment, the ids on
/// each side, the texts compared, their similarity and content-word counts.
struct LinkInput<'t> {
    relation: Relation,
    old: Vec<&'t str>,
    new: Vec<&'t str>,
    old_text: &'t str,
    new_text: &'t str,
    similarity: f64,
    content_words: (usize, usize),
}

fn link_for(input: LinkInput<'_>, refs: impl FnOnce() -> (Spans, Spans)) -> Link {
    let LinkInput { relation, old, new, old_text, new_text, similarity, content_words } = input;
    let words_changed = old_text != new_text;
    let (changes, class, reasons) = if words_changed {
        let (changes, ot, nt, ops) = word_changes(old_text, new_text);
        let (old_refs, new_refs) = refs();
        let (class, reasons) = classify(
            &Side { text: old_text, content_words: content_words.0, tokens: &ot, references: old_refs },
            &Side { text: new_text, content_words: content_words.1, tokens: &nt, references: new_refs },
            &ops,
        );
        (changes, Some(class), reasons)
    } else {
        (Vec::new(), None, Vec::new())
    };
    let relation = match relation {
        Relation::Unchanged | Relation::Renumbered if words_changed => Relation::Changed,
        r => r,
    };
    Link {
        relation,
        old: old.into_iter().map(str::to_owned).collect(),
        new: new.into_iter().map(str::to_owned).collect(),
        class,
        reasons,
        similarity: (similarity * 1000.0).round() / 1000.0,
        changes,
    }
}

/// Character spans of a paragraph's references.
type Spans = Vec<(u32, u32)>;

fn reference_spans(p: &Paragraph) -> Spans {
    p.references.iter().map(|r| (r.start, r.end)).collect()
}

/// Joins texts of split or merged paragraphs, shifting reference spans.
fn joined(ps: &[&Paragraph]) -> (String, Spans) {
    let mut text = String::new();
    let mut refs = Vec::new();
    let mut offset = 0u32;
    for (k, p) in ps.iter().enumerate() {
        if k > 0 {
            text.push(' ');
            offset += 1;
        }
        text.push_str(&p.text);
        refs.extend(p.references.iter().map(|r| (r.start + offset, r.end + offset)));
        offset += p.text.chars().count() as u32;
    }
    (text, refs)
}

fn paragraph_items(d: &Draft) -> Vec<Item<'_>> {
    d.paragraphs
        .iter()
        .map(|p| Item { id: &p.id, number: p.number.as_deref(), text: &p.text, words: Vec::new() })
        .collect()
}

fn heading_items(d: &Draft) -> Vec<Item<'_>> {
    d.headings
        .iter()
        .map(|h| Item { id: &h.id, number: h.number.as_deref(), text: &h.title, words: Vec::new() })
        .collect()
}

/// Compares two drafts.
pub fn compare(old: &Draft, new: &Draft) -> Comparison {
    let mut old_items = paragraph_items(old);
    let mut new_items = paragraph_items(new);
    let pairings = align(&mut old_items, &mut new_items);

    // Order: pairs outside the longest increasing run have moved.
    let mut ones: Vec<(usize, usize)> = pairings
        .iter()
        .filter_map(|p| if let Pairing::One(o, n, _) = p { Some((*o, *n)) } else { None })
        .collect();
    ones.sort_unstable();
    // Pairs keeping their order, marked by old index (each old paragraph is in at most one pair).
    let mut in_order = vec![false; old.paragraphs.len()];
    for k in longest_increasing(&ones.iter().map(|p| p.1).collect::<Vec<_>>()) {
        in_order[ones[k].0] = true;
    }

    let mut links: Vec<(usize, usize, Link)> = Vec::new(); // (sort key old, new, link)
    let mut brackets = Vec::new();
    let mut statuses = Vec::new();
    let mut old_seen = vec![false; old.paragraphs.len()];
    let mut new_seen = vec![false; new.paragraphs.len()];
    for p in &pairings {
        match p {
            Pairing::One(o, n, s) => {
                let (op, np) = (&old.paragraphs[*o], &new.paragraphs[*n]);
                old_seen[*o] = true;
                new_seen[*n] = true;
                let relation = if !in_order[*o] {
                    Relation::Moved
                } else if old_items[*o].number == new_items[*n].number {
                    Relation::Unchanged
                } else {
                    Relation::Renumbered
                };
                let link = link_for(
                    LinkInput {
                        relation,
                        old: vec![old_items[*o].id],
                        new: vec![new_items[*n].id],
                        old_text: &op.text,
                        new_text: &np.text,
                        similarity: *s,
                        content_words: (old_items[*o].words.len(), new_items[*n].words.len()),
                    },
                    || (reference_spans(op), reference_spans(np)),
                );
                status_change(op, np, &mut statuses);
                bracket_fates(&[op], &[np], &mut brackets);
                links.push((*o, *n, link));
            }
            Pairing::Split(o, ns, s) => {
                let op = &old.paragraphs[*o];
                old_seen[*o] = true;
                let nps: Vec<&Paragraph> = ns.iter().map(|&n| &new.paragraphs[n]).collect();
                ns.iter().for_each(|&n| new_seen[n] = true);
                let (text, refs) = joined(&nps);
                let link = link_for(
                    LinkInput {
                        relation: Relation::Split,
                        old: vec![&op.id],
                        new: nps.iter().map(|p| p.id.as_str()).collect(),
                        old_text: &op.text,
                        new_text: &text,
                        similarity: *s,
                        content_words: (
                            old_items[*o].words.len(),
                            ns.iter().map(|&n| new_items[n].words.len()).sum(),
                        ),
                    },
                    || (reference_spans(op), refs),
                );
                for np in &nps {
                    status_change(op, np, &mut statuses);
                }
                bracket_fates(&[op], &nps, &mut brackets);
                links.push((*o, ns[0], link_marginal_if_same(link)));
            }
            Pairing::Merge(os, n, s) => {
                let np = &new.paragraphs[*n];
                new_seen[*n] = true;
                let ops: Vec<&Paragraph> = os.iter().map(|&o| &old.paragraphs[o]).collect();
                os.iter().for_each(|&o| old_seen[o] = true);
                let (text, refs) = joined(&ops);
                let link = link_for(
                    LinkInput {
                        relation: Relation::Merged,
                        old: ops.iter().map(|p| p.id.as_str()).collect(),
                        new: vec![&np.id],
                        old_text: &text,
                        new_text: &np.text,
                        similarity: *s,
                        content_words: (
                            os.iter().map(|&o| old_items[o].words.len()).sum(),
                            new_items[*n].words.len(),
                        ),
                    },
                    || (refs, reference_spans(np)),
                );
                for op in &ops {
                    status_change(op, np, &mut statuses);
                }
                bracket_fates(&ops, &[np], &mut brackets);
                links.push((os[0], *n, link_marginal_if_same(link)));
            }
        }
    }
    for (o, p) in old.paragraphs.iter().enumerate() {
        if !old_seen[o] {
            bracket_fates(&[p], &[], &mut brackets);
            links.push((o, usize::MAX, simple(Relation::Deleted, Some(&p.id), None)));
        }
    }
    for (n, p) in new.paragraphs.iter().enumerate() {
        if !new_seen[n] {
            for b in p.brackets.iter().filter(|b| !b.opens_before) {
                brackets.push(BracketFate {
                    old_paragraph: None,
                    new_paragraph: Some(p.id.clone()),
                    text: b.text.clone(),
                    fate: Fate::New,
                    chosen: None,
                    reworded: None,
                });
            }
            links.push((usize::MAX, n, simple(Relation::New, None, Some(&p.id))));
        }
    }
    // Reading order: by new position, deleted paragraphs after their old predecessor.
    links.sort_by_key(|(o, n, _)| if *n != usize::MAX { (*n, 0, *o) } else { (usize::MAX, 1, *o) });
    let links: Vec<Link> = links.into_iter().map(|x| x.2).collect();

    let headings = compare_headings(old, new);
    let summary = summarize(old, new, &links, &brackets, &statuses);
    Comparison { front: front_changes(old, new), paragraphs: links, headings, brackets, statuses, summary }
}

/// Records a change of status tag between two linked paragraphs.
fn status_change(op: &Paragraph, np: &Paragraph, statuses: &mut Vec<StatusChange>) {
    if op.status != np.status {
        statuses.push(StatusChange {
            old: op.id.clone(),
            new: np.id.clone(),
            from: op.status,
            to: np.status,
        });
    }
}

/// "A split or merge that kept every word is marginal": no change, no class
/// from the words, but the structure changed.
fn link_marginal_if_same(mut link: Link) -> Link {
    if link.class.is_none() {
        link.class = Some(Class::Marginal);
        link.reasons = vec![format!("{} without change of words", link.relation.as_str())];
    }
    link
}

fn simple(relation: Relation, old: Option<&str>, new: Option<&str>) -> Link {
    Link {
        relation,
        old: old.into_iter().map(str::to_owned).collect(),
        new: new.into_iter().map(str::to_owned).collect(),
        class: None,
        reasons: Vec::new(),
        similarity: 0.0,
        changes: Vec::new(),
    }
}

fn compare_headings(old: &Draft, new: &Draft) -> Vec<Link> {
    let mut oi = heading_items(old);
    let mut ni = heading_items(new);
    let pairings = align(&mut oi, &mut ni);
    let mut ones: Vec<(usize, usize, f64)> = pairings
        .iter()
        .filter_map(|p| if let Pairing::One(o, n, s) = p { Some((*o, *n, *s)) } else { None })
        .collect();
    ones.sort_by_key(|p| (p.0, p.1));
    let order: std::collections::HashSet<usize> =
        longest_increasing(&ones.iter().map(|p| p.1).collect::<Vec<_>>()).into_iter().collect();
    let mut out: Vec<(usize, usize, Link)> = Vec::new();
    let mut os = vec![false; oi.len()];
    let mut ns = vec![false; ni.len()];
    for (k, &(o, n, s)) in ones.iter().enumerate() {
        os[o] = true;
        ns[n] = true;
        let relation = if !order.contains(&k) {
            Relation::Moved
        } else if oi[o].number == ni[n].number {
            Relation::Unchanged
        } else {
            Relation::Renumbered
        };
        out.push((
            o,
            n,
            link_for(
                LinkInput {
                    relation,
                    old: vec![oi[o].id],
                    new: vec![ni[n].id],
                    old_text: oi[o].text,
                    new_text: ni[n].text,
                    similarity: s,
                    content_words: (oi[o].words.len(), ni[n].words.len()),
                },
                || (vec![], vec![]),
            ),
        ));
    }
    // Splits and merges of headings are read as pairs of their first parts.
    for p in &pairings {
        match p {
            Pairing::Split(o, n, _) => {
                os[*o] = true;
                n.iter().for_each(|&x| ns[x] = true);
                out.push((*o, n[0], simple(Relation::Split, Some(oi[*o].id), None)));
                out.last_mut().expect("pushed").2.new = n.iter().map(|&x| ni[x].id.to_owned()).collect();
            }
            Pairing::Merge(o, n, _) => {
                ns[*n] = true;
                o.iter().for_each(|&x| os[x] = true);
                out.push((o[0], *n, simple(Relation::Merged, None, Some(ni[*n].id))));
                out.last_mut().expect("pushed").2.old = o.iter().map(|&x| oi[x].id.to_owned()).collect();
            }
            Pairing::One(..) => {}
        }
    }
    for (o, seen) in os.iter().enumerate() {
        if !seen {
            out.push((o, usize::MAX, simple(Relation::Deleted, Some(oi[o].id), None)));
        }
    }
    for (n, seen) in ns.iter().enumerate() {
        if !seen {
            out.push((usize::MAX, n, simple(Relation::New, None, Some(ni[n].id))));
        }
    }
    out.sort_by_key(|(o, n, _)| if *n != usize::MAX { (*n, 0, *o) } else { (usize::MAX, 1, *o) });
    out.into_iter().map(|x| x.2).collect()
}

fn summarize(
    old: &Draft,
    new: &Draft,
    links: &[Link],
    brackets: &[BracketFate],
    statuses: &[StatusChange],
) -> Summary {
    let mut relations = BTreeMap::new();
    let mut classes = BTreeMap::new();
    let mut substantive = Vec::new();
    for l in links {
        *relations.entry(l.relation.as_str()).or_insert(0) += 1;
        match l.class {
            Some(Class::Substantive) => {
                *classes.entry("substantive").or_insert(0) += 1;
                substantive.push(SubstantiveChange {
                    old: l.old.clone(),
                    new: l.new.clone(),
                    reasons: l.reasons.clone(),
                });
            }
            Some(Class::Marginal) => *classes.entry("marginal").or_insert(0) += 1,
            None => {}
        }
    }
    let mut fates = BTreeMap::new();
    for b in brackets {
        let name = match b.fate {
            Fate::Open => "open",
            Fate::Kept => "kept",
            Fate::Deleted => "deleted",
            Fate::Chosen => "chosen",
            Fate::Reworded => "reworded",
            Fate::New => "new",
        };
        *fates.entry(name).or_insert(0) += 1;
    }
    let brackets_resolved =
        brackets.iter().filter(|b| matches!(b.fate, Fate::Kept | Fate::Deleted | Fate::Chosen)).count();
    let brackets_open = new.paragraphs.iter().flat_map(|p| &p.brackets).filter(|b| !b.opens_before).count();
    Summary {
        old_paragraphs: old.paragraphs.len(),
        new_paragraphs: new.paragraphs.len(),
        relations,
        classes,
        substantive,
        brackets: fates,
        brackets_resolved,
        brackets_open,
        statuses_changed: statuses.len(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spelling_keys() {
        assert_eq!(spelling_key("recognise"), spelling_key("recognize"));
        assert_eq!(spelling_key("emphasised"), spelling_key("emphasized"));
        assert_eq!(spelling_key("organisations"), spelling_key("organizations"));
        assert_eq!(spelling_key("programme"), spelling_key("program"));
        assert_eq!(spelling_key("multi-stakeholder"), spelling_key("multistakeholder"));
        assert_eq!(spelling_key("centre"), spelling_key("center"));
        assert_ne!(spelling_key("our"), spelling_key("or"));
        assert_ne!(spelling_key("rise"), spelling_key("rize"));
    }

    #[test]
    fn longest_increasing_subsequence() {
        let seq = [0, 1, 5, 2, 3, 4];
        let idx = longest_increasing(&seq);
        assert_eq!(idx.iter().map(|&i| seq[i]).collect::<Vec<_>>(), vec![0, 1, 2, 3, 4]);
    }
}
