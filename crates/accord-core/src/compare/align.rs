//! Lineage: which paragraph (or heading) of the old draft became which of the
//! new one. Alignment runs in passes that each trust the previous (see the
//! module documentation of [`crate::compare`]); the result is a list of
//! pairings by index, turned into links by the caller.

use std::collections::VecDeque;

use foldhash::HashMap;

use super::words::{content_words, dice, intersection};

pub(super) struct Item<'a> {
    pub(super) id: &'a str,
    pub(super) number: Option<&'a str>,
    pub(super) text: &'a str,
    /// Content words, interned, sorted (a multiset).
    pub(super) words: Vec<u64>,
}

// ---------------------------------------------------------------------------
// Alignment.

/// A pairing decided by the aligner (indices into the item lists).
#[derive(Debug, Clone)]
pub(super) enum Pairing {
    One(usize, usize, f64),
    Split(usize, Vec<usize>, f64),
    Merge(Vec<usize>, usize, f64),
}

pub(super) const LINK_THRESHOLD: f64 = 0.5;
pub(super) const PART_CONTAINMENT: f64 = 0.75;
pub(super) const WHOLE_COVERAGE: f64 = 0.75;

pub(super) struct Aligner<'x, 'a> {
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

pub(super) fn align<'a>(old: &mut [Item<'a>], new: &mut [Item<'a>]) -> Vec<Pairing> {
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
