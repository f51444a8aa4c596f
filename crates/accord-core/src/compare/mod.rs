//! Comparing two drafts: which paragraph became which (lineage), what changed
//! in it word by word, whether the change is marginal or substantive and why,
//! what became of every bracket, and which statuses moved.
//!
//! ## Lineage
//!
//! Whole paragraphs first: a paragraph with its sub-paragraphs and options is
//! one unit (module `lineage`); units are aligned, then the parts inside each linked
//! pair, then what is left across the whole draft. Each alignment
//! (module `align`) runs in passes that each trust the previous:
//! 1. texts found once on each side and identical are paired; the longest
//!    run of such pairs that keeps its order anchors the alignment;
//! 2. between consecutive anchors, the items left over are aligned with each
//!    other: repeated identical texts in order, splits (one old paragraph whose
//!    words are spread over several consecutive new ones) and merges, then
//!    pairs ranked by similarity plus the structural evidence a reader uses —
//!    the same number under the heading's counterpart, the same heading, the
//!    only two items left between linked neighbours — best pairs first;
//! 3. what is still unpaired is matched across the whole draft (a paragraph
//!    moved to another section and edited), through an index of its words.
//!
//! Similarity is the Dice coefficient of the two paragraphs' content words
//! (words of three letters or more, not function words, case folded); for a
//! unit with options, of its most alike parts. Words alone link from 0.5;
//! structure lowers that floor (module `align`) and every link says what it
//! rests on and how sure it is. A pair's order is judged by the longest
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
//! - adds or removes a content word inside a bracketed (negotiated) phrase;
//! - or when a large share (30 % or more) of its content words changed.
//!
//! Every word added or removed is named in the reasons.
//!
//! Otherwise it is **marginal**: spelling variants (recognise/recognize,
//! programme/program), capitalisation, punctuation, spacing, words or list
//! items in another order, or a small rewording. Status tags are not words:
//! a change of tag alone leaves a paragraph `unchanged` and is reported in
//! `statuses`.

mod align;
mod classify;
mod fates;
mod lineage;
mod summary;
mod words;

use std::collections::BTreeMap;

use serde::Serialize;

use crate::model::{Draft, Paragraph, Status};

use std::borrow::Cow;

use foldhash::HashMap;

use align::{align, longest_increasing, Found, Item, Mode, Pairing};
use classify::{classify, word_changes, Side};
use fates::bracket_fates;
use summary::{front_changes, status_change, summarize};
use words::content_count;
pub(crate) use words::spelling_key;

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
    /// How sure the link is, from 0 to 1 (1: identical text); a link made on
    /// structure more than on words (below 0.5 similarity) is at most 0.75,
    /// for a person to confirm. Null for new and deleted paragraphs.
    pub confidence: Option<f64>,
    /// What the link rests on, strongest kind first (empty for new and deleted).
    pub evidence: EvidenceSet,
}

/// A piece of evidence a link rests on, as a person comparing drafts uses it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Evidence {
    /// The texts are identical.
    IdenticalText,
    /// The same number under the same heading (or in the same paragraph).
    SameNumber,
    /// Under the same heading (the old heading's counterpart).
    SameHeading,
    /// The only paragraphs left between two linked neighbours.
    SameSlot,
    /// Their content words are largely the same (see `similarity`).
    SharedWords,
    /// Beside a linked paragraph, with its words in that paragraph's counterpart
    /// (merged into it, or split from it).
    BesideLinked,
    /// A part (sub-paragraph or option) aligned inside its linked paragraph.
    WithinParagraph,
    /// The options or parts of one paragraph consolidated into one text, or one
    /// text opened into options.
    Consolidated,
    /// It stands under another heading now (a move across sections or articles).
    HeadingMoved,
}

impl Evidence {
    /// Every kind, strongest first (the order of [`EvidenceSet`]'s list).
    pub const ALL: [Evidence; 9] = [
        Evidence::IdenticalText,
        Evidence::SameNumber,
        Evidence::SameHeading,
        Evidence::SameSlot,
        Evidence::SharedWords,
        Evidence::BesideLinked,
        Evidence::WithinParagraph,
        Evidence::Consolidated,
        Evidence::HeadingMoved,
    ];

    /// The stable name.
    pub fn as_str(self) -> &'static str {
        match self {
            Evidence::IdenticalText => "identical-text",
            Evidence::SameNumber => "same-number",
            Evidence::SameHeading => "same-heading",
            Evidence::SameSlot => "same-slot",
            Evidence::SharedWords => "shared-words",
            Evidence::BesideLinked => "beside-linked",
            Evidence::WithinParagraph => "within-paragraph",
            Evidence::Consolidated => "consolidated",
            Evidence::HeadingMoved => "heading-moved",
        }
    }
}

/// A set of [`Evidence`], written in JSON as the list of its names, strongest
/// kind first. A set of bits: a comparison of a large draft makes one per link.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct EvidenceSet(u16);

impl EvidenceSet {
    /// The set of the given kinds.
    pub fn of(kinds: &[Evidence]) -> EvidenceSet {
        let mut s = EvidenceSet::default();
        kinds.iter().for_each(|&e| s.insert(e));
        s
    }

    /// Adds a kind.
    pub fn insert(&mut self, e: Evidence) {
        self.0 |= 1 << e as u16;
    }

    /// Whether the set has the kind.
    pub fn contains(self, e: Evidence) -> bool {
        self.0 & (1 << e as u16) != 0
    }

    /// Whether the set is empty (new and deleted paragraphs).
    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// The kinds, strongest first.
    pub fn iter(self) -> impl Iterator<Item = Evidence> {
        Evidence::ALL.into_iter().filter(move |&e| self.contains(e))
    }
}

impl Serialize for EvidenceSet {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.iter())
    }
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
// The comparison.

/// What a link is made from: the relation found by alignment, the ids on
/// each side, the texts compared, and what the pairing rests on.
struct LinkInput<'t> {
    relation: Relation,
    old: Vec<&'t str>,
    new: Vec<&'t str>,
    old_text: &'t str,
    new_text: &'t str,
    found: Found,
}

fn link_for(input: LinkInput<'_>, marks: impl FnOnce() -> (Marks, Marks)) -> Link {
    let LinkInput { relation, old, new, old_text, new_text, found } = input;
    let words_changed = old_text != new_text;
    let (changes, class, reasons) = if words_changed {
        let (changes, ot, nt, ops) = word_changes(old_text, new_text);
        let (old_marks, new_marks) = marks();
        let (class, reasons) = classify(
            &Side {
                text: old_text,
                content_words: content_count(old_text, &ot),
                tokens: &ot,
                references: old_marks.references,
                brackets: old_marks.brackets,
            },
            &Side {
                text: new_text,
                content_words: content_count(new_text, &nt),
                tokens: &nt,
                references: new_marks.references,
                brackets: new_marks.brackets,
            },
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
        similarity: (found.similarity * 1000.0).round() / 1000.0,
        changes,
        confidence: Some(found.confidence),
        evidence: found.evidence,
    }
}

/// Character spans of a text's references and brackets, which the
/// classification reads.
#[derive(Default)]
struct Marks {
    references: Vec<(u32, u32)>,
    brackets: Vec<(u32, u32)>,
}

impl Marks {
    fn extend(&mut self, p: &Paragraph, offset: u32) {
        self.references.extend(p.references.iter().map(|r| (r.start + offset, r.end + offset)));
        self.brackets.extend(p.brackets.iter().map(|b| (b.start + offset, b.end + offset)));
    }
}

fn marks(p: &Paragraph) -> Marks {
    let mut m = Marks::default();
    m.extend(p, 0);
    m
}

/// Joins texts of split or merged paragraphs, shifting their marks.
fn joined(ps: &[&Paragraph]) -> (String, Marks) {
    let mut text = String::new();
    let mut m = Marks::default();
    let mut offset = 0u32;
    for (k, p) in ps.iter().enumerate() {
        if k > 0 {
            text.push(' ');
            offset += 1;
        }
        text.push_str(&p.text);
        m.extend(p, offset);
        offset += p.text.chars().count() as u32;
    }
    (text, m)
}

fn heading_items(d: &Draft) -> Vec<Item<'_>> {
    d.headings
        .iter()
        .map(|h| Item {
            id: &h.id,
            number: h.number.as_deref(),
            place: None,
            text: Cow::Borrowed(h.title.as_str()),
            words: Vec::new(),
            parts: Vec::new(),
            part_words: Vec::new(),
        })
        .collect()
}

/// A paragraph's label for telling unchanged from renumbered: its number, or
/// its option label.
fn label(p: &Paragraph) -> (Option<&str>, Option<&str>) {
    (p.number.as_deref(), p.option.as_deref())
}

/// Notes a move across headings on a link's evidence.
fn note_heading_move(found: &mut Found, op: &Paragraph, np: &Paragraph, places: &HashMap<&str, &str>) {
    let became = op.heading.as_deref().and_then(|h| places.get(h).copied());
    if became != np.heading.as_deref() {
        found.evidence.insert(Evidence::HeadingMoved);
    }
}

/// Compares two drafts.
pub fn compare(old: &Draft, new: &Draft) -> Comparison {
    let headings = compare_headings(old, new);
    // Which new heading each old heading became: where a paragraph stands.
    let places: HashMap<&str, &str> = {
        let old_ids: HashMap<&str, &str> =
            old.headings.iter().map(|h| (h.id.as_str(), h.id.as_str())).collect();
        let new_ids: HashMap<&str, &str> =
            new.headings.iter().map(|h| (h.id.as_str(), h.id.as_str())).collect();
        headings
            .iter()
            .filter_map(|l| match (l.old.as_slice(), l.new.as_slice()) {
                ([o, ..], [n, ..]) => Some((*old_ids.get(o.as_str())?, *new_ids.get(n.as_str())?)),
                _ => None,
            })
            .collect()
    };
    let pairings = lineage::paragraph_pairings(old, new, &places);

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
    for p in pairings {
        match p {
            Pairing::One(o, n, mut found) => {
                let (op, np) = (&old.paragraphs[o], &new.paragraphs[n]);
                old_seen[o] = true;
                new_seen[n] = true;
                let relation = if !in_order[o] {
                    Relation::Moved
                } else if label(op) == label(np) {
                    Relation::Unchanged
                } else {
                    Relation::Renumbered
                };
                note_heading_move(&mut found, op, np, &places);
                let link = link_for(
                    LinkInput {
                        relation,
                        old: vec![&op.id],
                        new: vec![&np.id],
                        old_text: &op.text,
                        new_text: &np.text,
                        found,
                    },
                    || (marks(op), marks(np)),
                );
                status_change(op, np, &mut statuses);
                bracket_fates(&[op], &[np], &mut brackets);
                links.push((o, n, link));
            }
            Pairing::Split(o, ns, mut found) => {
                let op = &old.paragraphs[o];
                old_seen[o] = true;
                let nps: Vec<&Paragraph> = ns.iter().map(|&n| &new.paragraphs[n]).collect();
                ns.iter().for_each(|&n| new_seen[n] = true);
                note_heading_move(&mut found, op, nps[0], &places);
                let (text, refs) = joined(&nps);
                let link = link_for(
                    LinkInput {
                        relation: Relation::Split,
                        old: vec![&op.id],
                        new: nps.iter().map(|p| p.id.as_str()).collect(),
                        old_text: &op.text,
                        new_text: &text,
                        found,
                    },
                    || (marks(op), refs),
                );
                for np in &nps {
                    status_change(op, np, &mut statuses);
                }
                bracket_fates(&[op], &nps, &mut brackets);
                links.push((o, ns[0], link_marginal_if_same(link)));
            }
            Pairing::Merge(os, n, mut found) => {
                let np = &new.paragraphs[n];
                new_seen[n] = true;
                let ops: Vec<&Paragraph> = os.iter().map(|&o| &old.paragraphs[o]).collect();
                os.iter().for_each(|&o| old_seen[o] = true);
                note_heading_move(&mut found, ops[0], np, &places);
                let (text, refs) = joined(&ops);
                let link = link_for(
                    LinkInput {
                        relation: Relation::Merged,
                        old: ops.iter().map(|p| p.id.as_str()).collect(),
                        new: vec![&np.id],
                        old_text: &text,
                        new_text: &np.text,
                        found,
                    },
                    || (refs, marks(np)),
                );
                for op in &ops {
                    status_change(op, np, &mut statuses);
                }
                bracket_fates(&ops, &[np], &mut brackets);
                links.push((os[0], n, link_marginal_if_same(link)));
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

    let summary = summarize(old, new, &links, &brackets, &statuses);
    Comparison { front: front_changes(old, new), paragraphs: links, headings, brackets, statuses, summary }
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
        confidence: None,
        evidence: EvidenceSet::default(),
    }
}

fn compare_headings(old: &Draft, new: &Draft) -> Vec<Link> {
    let mut oi = heading_items(old);
    let mut ni = heading_items(new);
    let pairings = align(&mut oi, &mut ni, Mode { units: false, global: true, telling_only: false });
    let mut ones: Vec<(usize, usize, Found)> = pairings
        .iter()
        .filter_map(|p| if let Pairing::One(o, n, f) = p { Some((*o, *n, f.clone())) } else { None })
        .collect();
    ones.sort_by_key(|p| (p.0, p.1));
    let order: std::collections::HashSet<usize> =
        longest_increasing(&ones.iter().map(|p| p.1).collect::<Vec<_>>()).into_iter().collect();
    let mut out: Vec<(usize, usize, Link)> = Vec::new();
    let mut os = vec![false; oi.len()];
    let mut ns = vec![false; ni.len()];
    for (k, (o, n, found)) in ones.iter().enumerate() {
        let (o, n) = (*o, *n);
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
                    old_text: &oi[o].text,
                    new_text: &ni[n].text,
                    found: found.clone(),
                },
                || (Marks::default(), Marks::default()),
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
