//! Lineage: which paragraph (or heading) of the old draft became which of the
//! new one. Alignment runs in passes that each trust the previous (see the
//! module documentation of [`crate::compare`]); the result is a list of
//! pairings by index, each with the evidence it rests on and how sure it is,
//! turned into links by the caller.

use std::borrow::Cow;
use std::collections::VecDeque;

use foldhash::HashMap;

use super::words::{dice, intersection};
use super::{Evidence, EvidenceSet};

/// Something to align: a paragraph, a heading, or a whole paragraph with its
/// sub-paragraphs and options.
pub(super) struct Item<'a> {
    pub(super) id: &'a str,
    /// The number as written (null when unnumbered).
    pub(super) number: Option<&'a str>,
    /// Where it stands, in the new draft's terms: for a new item its heading,
    /// for an old item the new heading its heading became (null: no heading,
    /// or none to compare). Same place and same number are evidence.
    pub(super) place: Option<&'a str>,
    pub(super) text: Cow<'a, str>,
    /// Content words, interned, sorted (a multiset); filled for what identical
    /// text did not pair.
    pub(super) words: Vec<u64>,
    /// For a paragraph with sub-paragraphs or options: the texts of its parts
    /// (empty otherwise), and their content words once needed.
    pub(super) parts: Vec<&'a str>,
    pub(super) part_words: Vec<Vec<u64>>,
}

/// Why and how surely two items were paired.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Found {
    /// How alike the texts are (1.0 identical).
    pub(super) similarity: f64,
    /// How sure the pairing is, from 0 to 1.
    pub(super) confidence: f64,
    /// What it rests on, strongest first.
    pub(super) evidence: EvidenceSet,
}

impl Found {
    pub(super) fn identical() -> Found {
        Found { similarity: 1.0, confidence: 1.0, evidence: EvidenceSet::of(&[Evidence::IdenticalText]) }
    }

    /// Paired on words alone.
    pub(super) fn words(similarity: f64, evidence: Evidence) -> Found {
        Found { similarity, confidence: confidence(similarity, 0.0), evidence: EvidenceSet::of(&[evidence]) }
    }
}

/// Confidence from the similarity and the structural bonus: a link below the
/// similarity threshold, made on structure, stays visibly uncertain.
pub(super) fn confidence(similarity: f64, bonus: f64) -> f64 {
    let c = (similarity + bonus).min(1.0);
    let c = if similarity < LINK_THRESHOLD { c.min(0.75) } else { c };
    (c * 1000.0).round() / 1000.0
}

/// A pairing decided by the aligner (indices into the item lists).
#[derive(Debug, Clone)]
pub(super) enum Pairing {
    One(usize, usize, Found),
    Split(usize, Vec<usize>, Found),
    Merge(Vec<usize>, usize, Found),
}

/// Similarity at which words alone link two items.
pub(super) const LINK_THRESHOLD: f64 = 0.5;
/// Similarity at which the same number in the same place links two items.
const NUMBER_FLOOR: f64 = 0.3;
/// Similarity at which the only two items left between linked neighbours,
/// in the same place, are linked.
const SLOT_FLOOR: f64 = 0.2;
/// Share of an unlinked item's words found in its linked neighbour's
/// counterpart for it to have merged into it (or split from it).
const NEIGHBOUR_CONTAINMENT: f64 = 0.55;
/// Fewest content words for containment to count as evidence.
const CONTAINMENT_MIN_WORDS: usize = 5;
/// Fewest content words for a part to be compared on its own (`No text` is not).
const PART_MIN_WORDS: usize = 5;
/// Similarity at which the same place links two items.
const PLACE_FLOOR: f64 = 0.35;
/// What the same number in the same place adds to a candidate's rank (and
/// confidence): a reader looks there first.
const NUMBER_BONUS: f64 = 0.3;
/// What the same place alone adds.
const PLACE_BONUS: f64 = 0.1;
const PART_CONTAINMENT: f64 = 0.75;
const WHOLE_COVERAGE: f64 = 0.75;

/// A number's identity: `5 bis`, `5bis` and `5.bis` are one number.
fn number_key(n: &str) -> String {
    n.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect()
}

/// Whether a text has a word that can identify it (three letters or more):
/// identical texts such as `No text` or an empty label are not evidence of a
/// move across the draft.
fn telling(text: &str) -> bool {
    text.split(|c: char| !c.is_alphanumeric()).filter(|w| w.chars().count() >= 3).nth(2).is_some()
}

/// How the aligner runs.
#[derive(Debug, Clone, Copy)]
pub(super) struct Mode {
    /// Whole paragraphs with their parts: a text like one part of the other
    /// (an option kept, options consolidated into one text) is similar.
    pub(super) units: bool,
    /// Link what is left, across the whole list, by words.
    pub(super) global: bool,
    /// Identical texts anchor only when they can tell (not `No text`): for
    /// what is left over from the whole draft, where order means little.
    pub(super) telling_only: bool,
}

pub(super) struct Aligner<'x, 'a> {
    old: &'x [Item<'a>],
    new: &'x [Item<'a>],
    mode: Mode,
    old_taken: Vec<bool>,
    new_taken: Vec<bool>,
    /// For each old item, the index of its pairing (when it is a `One`).
    old_one: Vec<usize>,
    new_one: Vec<usize>,
    pairings: Vec<Pairing>,
    /// Every pair of identical texts, in old order (the anchors among them).
    repeated: Vec<(usize, usize)>,
}

impl<'x, 'a> Aligner<'x, 'a> {
    fn exact(&mut self) -> Vec<(usize, usize)> {
        let mut by_text: HashMap<&str, VecDeque<usize>> = HashMap::default();
        for (n, item) in self.new.iter().enumerate() {
            // An empty item is never paired with another empty item.
            if !item.text.trim().is_empty() && (!self.mode.telling_only || telling(&item.text)) {
                by_text.entry(&item.text).or_default().push_back(n);
            }
        }
        let mut pairs = Vec::new();
        let mut telling_pairs = Vec::new();
        for (o, item) in self.old.iter().enumerate() {
            if let Some(n) = by_text.get_mut(&*item.text).and_then(VecDeque::pop_front) {
                // Only a text that can tell anchors: `No text` twenty times
                // says nothing of where a paragraph stands.
                if telling(&item.text) {
                    telling_pairs.push(pairs.len());
                }
                pairs.push((o, n));
            }
        }
        // Only the pairs that keep their order anchor the alignment; the others
        // are moves, found again below.
        let keep = longest_increasing(&telling_pairs.iter().map(|&k| pairs[k].1).collect::<Vec<_>>());
        let mut anchors = Vec::with_capacity(keep.len());
        for k in keep {
            let (o, n) = pairs[telling_pairs[k]];
            self.take(Pairing::One(o, n, Found::identical()));
            anchors.push((o, n));
        }
        self.repeated = pairs;
        anchors
    }

    /// Identical texts that did not anchor (`No text`), paired in order inside a gap.
    fn repeated_in(&mut self, olds: &[usize], news: &[usize]) {
        let (Some(&o0), Some(&o1), Some(&n0), Some(&n1)) =
            (olds.first(), olds.last(), news.first(), news.last())
        else {
            return;
        };
        let from = self.repeated.partition_point(|p| p.0 < o0);
        let mut by_text: HashMap<&str, VecDeque<usize>> = HashMap::default();
        for &n in news {
            if !self.new_taken[n] && !self.new[n].text.trim().is_empty() {
                by_text.entry(&self.new[n].text).or_default().push_back(n);
            }
        }
        let mut found = Vec::new();
        for &(o, _) in self.repeated[from..].iter().take_while(|p| p.0 <= o1) {
            if self.old_taken[o] {
                continue;
            }
            if let Some(n) = by_text.get_mut(&*self.old[o].text).and_then(VecDeque::pop_front) {
                if (n0..=n1).contains(&n) {
                    found.push((o, n));
                }
            }
        }
        for k in longest_increasing(&found.iter().map(|p| p.1).collect::<Vec<_>>()) {
            let (o, n) = found[k];
            self.take(Pairing::One(o, n, Found::identical()));
        }
    }

    /// Moved paragraphs with identical text, when the text can tell.
    fn moved_identical(&mut self) {
        for (o, n) in std::mem::take(&mut self.repeated) {
            if !self.old_taken[o] && !self.new_taken[n] && telling(&self.old[o].text) {
                self.take(Pairing::One(o, n, Found::identical()));
            }
        }
    }

    fn take(&mut self, p: Pairing) {
        let at = self.pairings.len();
        match &p {
            Pairing::One(o, n, _) => {
                self.old_taken[*o] = true;
                self.new_taken[*n] = true;
                self.old_one[*o] = at;
                self.new_one[*n] = at;
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

    /// Word similarity of two items: of their whole texts, or for whole
    /// paragraphs, of their most alike parts (a reader compares an old text
    /// with each option of the new one, not with all options at once).
    fn similarity(&self, o: usize, n: usize) -> f64 {
        let (a, b) = (&self.old[o], &self.new[n]);
        let d = dice(&a.words, &b.words);
        if !self.mode.units || d >= 0.9 || (a.part_words.is_empty() && b.part_words.is_empty()) {
            return d;
        }
        let parts = |i: &'x Item<'a>| -> Vec<&'x [u64]> {
            if i.part_words.is_empty() {
                vec![&i.words[..]]
            } else {
                i.part_words.iter().map(Vec::as_slice).filter(|w| w.len() >= PART_MIN_WORDS).collect()
            }
        };
        let (pa, pb) = (parts(a), parts(b));
        pa.iter().flat_map(|x| pb.iter().map(move |y| dice(x, y))).fold(d, f64::max)
    }

    /// Whether two items stand in the same place, and under the same number there.
    fn same_place(&self, o: usize, n: usize) -> (bool, bool) {
        let (a, b) = (&self.old[o], &self.new[n]);
        let place = a.place.is_some() && a.place == b.place;
        let number = place
            && match (a.number, b.number) {
                (Some(x), Some(y)) => number_key(x) == number_key(y),
                _ => false,
            };
        (place, number)
    }

    /// A candidate pair between two anchors: its rank and what it rests on.
    fn candidate(&self, o: usize, n: usize) -> Option<(f64, Found)> {
        if self.old[o].words.is_empty() || self.new[n].words.is_empty() {
            return None;
        }
        let s = self.similarity(o, n);
        if s < NUMBER_FLOOR {
            return None;
        }
        let (place, number) = self.same_place(o, n);
        if s < LINK_THRESHOLD && !number && !(place && s >= PLACE_FLOOR) {
            return None;
        }
        let bonus = if number {
            NUMBER_BONUS
        } else if place {
            PLACE_BONUS
        } else {
            0.0
        };
        let mut evidence = EvidenceSet::default();
        if number {
            evidence.insert(Evidence::SameNumber);
        } else if place {
            evidence.insert(Evidence::SameHeading);
        }
        evidence.insert(Evidence::SharedWords);
        Some((s + bonus, Found { similarity: s, confidence: confidence(s, bonus), evidence }))
    }

    /// Aligns the leftovers between two anchors.
    fn gap(&mut self, olds: &[usize], news: &[usize]) {
        let olds: Vec<usize> = olds.iter().copied().filter(|&o| !self.old_taken[o]).collect();
        let news: Vec<usize> = news.iter().copied().filter(|&n| !self.new_taken[n]).collect();
        if olds.is_empty() || news.is_empty() {
            return;
        }
        self.repeated_in(&olds, &news);
        let olds: Vec<usize> = olds.into_iter().filter(|&o| !self.old_taken[o]).collect();
        let news: Vec<usize> = news.into_iter().filter(|&n| !self.new_taken[n]).collect();
        self.splits_and_merges(&olds, &news);
        let olds: Vec<usize> = olds.into_iter().filter(|&o| !self.old_taken[o]).collect();
        let news: Vec<usize> = news.into_iter().filter(|&n| !self.new_taken[n]).collect();
        let candidates = if olds.len() * news.len() <= 4096 {
            let mut c = Vec::new();
            for &o in &olds {
                for &n in &news {
                    if let Some((rank, found)) = self.candidate(o, n) {
                        c.push((rank, o, n, found));
                    }
                }
            }
            c
        } else {
            self.indexed_candidates(&olds, &news, NUMBER_FLOOR)
                .into_iter()
                .filter_map(|(_, o, n)| self.candidate(o, n).map(|(rank, f)| (rank, o, n, f)))
                .collect()
        };
        self.assign(candidates);
        // The only two items left between linked neighbours, in the same
        // place: a rewrite, not a deletion and an insertion.
        let olds: Vec<usize> = olds.into_iter().filter(|&o| !self.old_taken[o]).collect();
        let news: Vec<usize> = news.into_iter().filter(|&n| !self.new_taken[n]).collect();
        if let ([o], [n]) = (olds.as_slice(), news.as_slice()) {
            let s = self.similarity(*o, *n);
            let (place, number) = self.same_place(*o, *n);
            if place && s >= SLOT_FLOOR && !self.old[*o].words.is_empty() && !self.new[*n].words.is_empty() {
                let mut evidence = EvidenceSet::of(&[Evidence::SameSlot]);
                if number {
                    evidence.insert(Evidence::SameNumber);
                }
                evidence.insert(Evidence::SharedWords);
                let bonus = if number { 0.25 } else { 0.15 };
                self.take(Pairing::One(
                    *o,
                    *n,
                    Found { similarity: s, confidence: confidence(s, bonus), evidence },
                ));
            }
        }
        if self.mode.units {
            self.neighbour_merges(&olds, &news);
        }
    }

    /// An unlinked item beside a linked one, whose words are mostly in the
    /// linked one's counterpart, merged into it (or was split from it): two
    /// options consolidated into one text, a paragraph cut in two.
    fn neighbour_merges(&mut self, olds: &[usize], news: &[usize]) {
        let share = |part: &[u64], whole: &[u64]| {
            if part.len() < CONTAINMENT_MIN_WORDS {
                return 0.0;
            }
            intersection(part, whole) as f64 / part.len() as f64
        };
        let best = |v: Vec<(f64, (usize, usize, usize))>| {
            v.into_iter()
                .filter(|x| x.0 >= NEIGHBOUR_CONTAINMENT)
                .max_by(|a, b| a.0.total_cmp(&b.0))
                .map(|x| x.1)
        };
        for &x in olds {
            if self.old_taken[x] {
                continue;
            }
            let beside = [x.wrapping_sub(1), x + 1].into_iter().filter(|&y| y < self.old.len());
            let found = best(
                beside
                    .filter_map(|y| match self.pairings.get(self.old_one[y]) {
                        Some(Pairing::One(o, n, _)) if *o == y => Some((self.old_one[y], y, *n)),
                        _ => None,
                    })
                    .map(|c| (share(&self.old[x].words, &self.new[c.2].words), c))
                    .collect(),
            );
            if let Some((at, y, n)) = found {
                let s = dice(&self.old[x].words, &self.new[n].words)
                    .max(dice(&self.old[y].words, &self.new[n].words));
                let mut os = vec![x.min(y), x.max(y)];
                os.dedup();
                self.old_taken[x] = true;
                self.new_one[n] = usize::MAX;
                self.old_one[y] = usize::MAX;
                self.pairings[at] = Pairing::Merge(os, n, Found::words(s, Evidence::BesideLinked));
            }
        }
        for &x in news {
            if self.new_taken[x] {
                continue;
            }
            let beside = [x.wrapping_sub(1), x + 1].into_iter().filter(|&y| y < self.new.len());
            let found = best(
                beside
                    .filter_map(|y| match self.pairings.get(self.new_one[y]) {
                        Some(Pairing::One(o, n, _)) if *n == y => Some((self.new_one[y], *o, y)),
                        _ => None,
                    })
                    .map(|c| (share(&self.new[x].words, &self.old[c.1].words), c))
                    .collect(),
            );
            if let Some((at, o, y)) = found {
                let s = dice(&self.new[x].words, &self.old[o].words)
                    .max(dice(&self.new[y].words, &self.old[o].words));
                self.new_taken[x] = true;
                self.new_one[y] = usize::MAX;
                self.old_one[o] = usize::MAX;
                self.pairings[at] =
                    Pairing::Split(o, vec![x.min(y), x.max(y)], Found::words(s, Evidence::BesideLinked));
            }
        }
    }

    /// Best pairs first, each side used once.
    fn assign(&mut self, mut candidates: Vec<(f64, usize, usize, Found)>) {
        candidates.sort_by(|a, b| {
            b.0.total_cmp(&a.0).then_with(|| a.1.abs_diff(a.2).cmp(&b.1.abs_diff(b.2))).then(a.1.cmp(&b.1))
        });
        for (_, o, n, found) in candidates {
            if !self.old_taken[o] && !self.new_taken[n] {
                self.take(Pairing::One(o, n, found));
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
                    let s = self.similarity(o, n);
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
                            Pairing::Split(w, run, Found::words(coverage, Evidence::SharedWords))
                        } else {
                            Pairing::Merge(run, w, Found::words(coverage, Evidence::SharedWords))
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
pub(super) fn longest_increasing(seq: &[usize]) -> Vec<usize> {
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

/// Aligns two lists of items: identical text first (the longest run that
/// keeps its order anchors the rest), then the gaps between anchors, then
/// (when asked) what is left across the whole list.
pub(super) fn align<'a>(old: &mut [Item<'a>], new: &mut [Item<'a>], mode: Mode) -> Vec<Pairing> {
    let mut a = Aligner {
        old,
        new,
        mode,
        old_taken: vec![false; old.len()],
        new_taken: vec![false; new.len()],
        old_one: vec![usize::MAX; old.len()],
        new_one: vec![usize::MAX; new.len()],
        pairings: Vec::new(),
        repeated: Vec::new(),
    };
    let anchors = a.exact();
    // Words are only needed for what identical text did not pair: in a new
    // revision, a small part of the draft.
    let Aligner { old_taken, new_taken, old_one, new_one, pairings, repeated, .. } = a;
    for (item, taken) in old.iter_mut().zip(&old_taken).chain(new.iter_mut().zip(&new_taken)) {
        if !taken && item.words.is_empty() {
            item.words = super::words::content_words(&item.text);
            item.part_words = item.parts.iter().map(|t| super::words::content_words(t)).collect();
        }
    }
    let mut a = Aligner { old, new, mode, old_taken, new_taken, old_one, new_one, pairings, repeated };
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
    a.moved_identical();
    if mode.global {
        a.across();
    }
    a.pairings
}

impl Aligner<'_, '_> {
    /// Across the whole list: moved and edited.
    fn across(&mut self) {
        let olds: Vec<usize> = (0..self.old.len()).filter(|&o| !self.old_taken[o]).collect();
        let news: Vec<usize> = (0..self.new.len()).filter(|&n| !self.new_taken[n]).collect();
        if olds.is_empty() || news.is_empty() {
            return;
        }
        let c = self
            .indexed_candidates(&olds, &news, 0.6)
            .into_iter()
            .map(|(s, o, n)| {
                let found = if s >= 1.0 && self.old[o].text == self.new[n].text {
                    Found::identical()
                } else {
                    Found::words(s, Evidence::SharedWords)
                };
                (s, o, n, found)
            })
            .collect();
        self.assign(c);
    }
}
