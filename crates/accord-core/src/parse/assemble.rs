//! Pass 5 of the parser: units into the model — labels to numbers and ids,
//! status tags, preambular or operative, sub-paragraphs and options to
//! their parents, headings and their levels.

use super::*;

/// Source positions of unit characters, for diagnostics.
pub(super) struct UnitMap<'a> {
    /// Each unit's (character offset, line, column) at its line starts.
    positions: &'a [Vec<(u32, u32, u32)>],
    /// Characters trimmed from the front of each unit's text.
    leading: &'a [u32],
}

impl Locate for UnitMap<'_> {
    fn locate(&self, unit: usize, offset: u32) -> (u32, u32) {
        let offset = offset + self.leading[unit];
        let segs = &self.positions[unit];
        let k = segs.partition_point(|s| s.0 <= offset).saturating_sub(1);
        let (start, line, col) = segs[k];
        (line, col + offset.saturating_sub(start))
    }
}

pub(super) fn warn(diagnostics: &mut Vec<Diagnostic>, code: &str, message: String, line: u32, column: u32) {
    diagnostics.push(Diagnostic { severity: Severity::Warning, code: code.into(), message, line, column });
}

/// Is this the first word of a preambular paragraph ("Recalling", "Deeply
/// concerned", "Mindful", French "Rappelant", Spanish "Recordando")?
pub(super) fn preambular_opening(text: &str) -> bool {
    // Chinese writes no spaces: the opening is a prefix.
    const CHINESE: &[&str] = &[
        "鉴于",
        "回顾",
        "忆及",
        "认识到",
        "注意到",
        "重申",
        "欢迎",
        "强调",
        "考虑到",
        "深信",
        "意识到",
        "铭记",
        "申明",
        "关切",
    ];
    let start = text.trim_start_matches(|c: char| !c.is_alphabetic());
    if CHINESE.iter().any(|w| start.starts_with(w)) {
        return true;
    }
    let first = text
        .trim_start_matches(|c: char| !c.is_alphabetic())
        .split(|c: char| !c.is_alphabetic())
        .next()
        .unwrap_or("");
    let lower = first.to_lowercase();
    const WORDS: &[&str] = &[
        "mindful",
        "aware",
        "conscious",
        "cognizant",
        "cognisant",
        "deeply",
        "gravely",
        "further",
        "also",
        "having",
        "in",
        "pursuant",
        "bearing",
        "convinced",
        "determined",
        "desirous",
        "acknowledging",
        "recognizing",
        "noting",
        "being",
        "guided",
        "reiterating",
        "emphasizing",
        "stressing",
        "welcoming",
        "recalling",
        "reaffirming",
        "expressing",
        "taking",
        "alarmed",
        "concerned",
        "considering",
        "affirming",
        "underlining",
        "firmly",
        "strongly",
        "profoundly",
        "seriously",
        "acting",
        "whereas",
        // Russian gerunds that open preambular paragraphs.
        "принимая",
        "признавая",
        "учитывая",
        "напоминая",
        "ссылаясь",
        "отмечая",
        "подтверждая",
        "вновь",
        "будучи",
        "считая",
        "сознавая",
        "приветствуя",
        "выражая",
        "подчеркивая",
        "руководствуясь",
        "исходя",
        // Arabic: "whereas" (لما/ولما), "and whereas", "recalling" (إذ تشير).
        "لما",
        "لمّا",
        "ولما",
        "ولمّا",
        "إذ",
        "وإذ",
        "حيث",
        "وحيث",
        // French and Spanish forms the suffix rule misses.
        "rappelant",
        "reconnaissant",
        "considérant",
        "consciente",
        "convaincue",
        "soulignant",
        "tomando",
        "teniendo",
        "reconociendo",
        "recordando",
    ];
    if WORDS.contains(&lower.as_str()) {
        return true;
    }
    let n = lower.chars().count();
    n >= 5
        && (lower.ends_with("ing")
            || lower.ends_with("ed")
            || lower.ends_with("ant")
            || lower.ends_with("ando")
            || lower.ends_with("iendo")
            || lower.ends_with("ado"))
}

/// Turns units into headings and paragraphs, with ids, statuses, kinds, parents,
/// brackets, references and diagnostics.
pub(crate) fn assemble(units: Vec<Unit>, draft: &mut Draft) {
    let mut diagnostics = Vec::new();
    let mut statuses: Vec<(Status, Option<String>)> = Vec::with_capacity(units.len());
    let mut units = units;
    // Status tags out of the text first: they are not brackets.
    for u in units.iter_mut() {
        let mut st = (Status::Open, None);
        if !u.heading {
            if let Some(tag) = status::find_tag(&u.text) {
                st = (tag.status, tag.note);
                let removed_front = tag.range.start == 0 && tag.range.end < u.text.len();
                let removed_chars = u.text[tag.range.clone()].chars().count() as u32;
                u.text.replace_range(tag.range, "");
                if removed_front {
                    for s in u.segments.iter_mut() {
                        s.0 = s.0.saturating_sub(removed_chars);
                    }
                    if let Some(first) = u.segments.first_mut() {
                        first.2 += removed_chars;
                    }
                }
                u.chars = u.chars.saturating_sub(removed_chars);
            }
        }
        statuses.push(st);
    }

    // Numbering is checked on the labels before they move into the model.
    check_numbering(&units, &mut diagnostics);

    // Headings and paragraphs in order.
    let restart = numbering_restarts(&units);
    // Units are consumed as the model grows, and their memory given back as
    // it goes (the units and the finished paragraphs never peak together):
    // reversed once, popped from the end, shrunk when half empty.
    let unit_count = units.len();
    units.reverse();
    let mut positions: Vec<Vec<(u32, u32, u32)>> = Vec::with_capacity(unit_count);
    // Heading ids used so far, with how many times each: a repeated heading
    // ("Preamble" of an agreement and of its decision) becomes "Preamble (2)".
    let mut heading_ids: HashMap<String, u32> = HashMap::default();
    let mut current_heading: Option<String> = None;
    let mut outline_seen = false;
    let mut in_preamble = true;
    let mut unnumbered = 0u32;
    let mut top: Option<(usize, ParagraphKind, bool)> = None; // (index, kind, label-only or ends with ':')
    let mut sub_letter: Option<(String, String)> = None; // (id, inner) of the current (a)-level sub
    let mut ids = Ids::default();
    let mut paragraph_units: Vec<usize> = Vec::new();
    let mut option_parent: Option<String> = None;
    // The option whose sub-paragraphs may follow (it ends with ':' or has no text).
    let mut current_option: Option<String> = None;
    // The paragraph whose options a decimal sub-item interrupted.
    let mut outer_option_parent: Option<String> = None;
    // Bulleted items under the current paragraph so far.
    let mut bullets = 0u32;
    // Footnote markers glued to a paragraph's label (`3ter.4`), by paragraph.
    let mut label_footnotes: Vec<(usize, String)> = Vec::new();

    // Leading blanks trimmed off each paragraph's text, to map offsets back.
    let mut leading: Vec<u32> = vec![0; unit_count];
    for ui in 0..unit_count {
        if units.len() < units.capacity() / 2 && units.capacity() > 1024 {
            units.shrink_to_fit();
        }
        let Some(mut owned) = units.pop() else { break };
        let u = &mut owned;
        // Where the unit's text starts, for diagnostics, before its line
        // positions move to the bracket matcher.
        let text_column = u.segments.first().map_or(u.first_column, |s| s.2);
        positions.push(std::mem::take(&mut u.segments));
        if u.heading {
            leading[ui] = (u.text.len() - u.text.trim_start().len()) as u32;
            let (id, number, title, level) = heading_parts(u, outline_seen);
            if matches!(u.label.as_ref().map(|l| &l.kind), Some(LabelKind::Outline))
                || id.starts_with("Part")
                || id.starts_with("Chapter")
            {
                outline_seen = true;
            }
            let mut unique = id.clone();
            let count = heading_ids.entry(id.clone()).or_insert(0);
            *count += 1;
            if *count > 1 {
                unique = format!("{id} ({count})");
                // A title that itself reads "X (2)" cannot collide: bump until free.
                while heading_ids.contains_key(&unique) {
                    *heading_ids.get_mut(&id).expect("just inserted") += 1;
                    unique = format!("{id} ({})", heading_ids[&id]);
                }
                heading_ids.insert(unique.clone(), 1);
            }
            if is_section_keyword(&title) && number.is_none() {
                in_preamble = true;
            } else if level <= 1 && !in_preamble && !is_section_keyword(&title) {
                // A new part (e.g. "B. DRAFT DECISION") may bring its own preamble.
                in_preamble = matches!(u.label.as_ref().map(|l| &l.kind), Some(LabelKind::Outline));
            }
            draft.headings.push(Heading {
                id: unique.clone(),
                number,
                title,
                level,
                first_paragraph: draft.paragraphs.len(),
                source_lines: SourceLines { first: u.first_line, last: u.last_line },
            });
            current_heading = Some(unique);
            top = None;
            sub_letter = None;
            option_parent = None;
            current_option = None;
            continue;
        }
        let (status, status_note) = std::mem::take(&mut statuses[ui]);
        let taken_label = u.label.take();
        let label = taken_label.as_ref();
        // The text moves into the model: no copy of the draft is kept twice.
        let mut text = std::mem::take(&mut u.text);
        text.truncate(text.trim_end().len());
        let lead = text.len() - text.trim_start().len();
        leading[ui] = text[..lead].chars().count() as u32;
        text.drain(..lead);
        text.shrink_to_fit();
        let u = &*u;
        let mut number = None;
        let mut option = None;
        let mut parent = None;
        let id;
        let kind;
        match label.map(|l| &l.kind) {
            Some(LabelKind::Sub) => {
                let l = label.expect("label present");
                let inner = l.number.trim_matches(|c| c == '(' || c == ')').to_owned();
                // `(i)` under `(a)` is nested; `(i)` after `(h)` is the next letter.
                let roman = inner.bytes().all(|b| matches!(b, b'i' | b'v' | b'x'));
                let nested =
                    roman && sub_letter.as_ref().is_some_and(|(_, prev)| !is_next_letter(prev, &inner));
                // An option's own sub-paragraphs (`Option (b):` then `(a)`,
                // `(b)`) belong to the option, not to the paragraph above it.
                let parent_id = if nested {
                    sub_letter.as_ref().map(|s| s.0.clone())
                } else if let Some(o) = &current_option {
                    Some(o.clone())
                } else {
                    top.as_ref().map(|t| draft.paragraphs[t.0].id.clone())
                };
                number = Some(l.number.clone());
                kind = top.as_ref().map_or(
                    if in_preamble { ParagraphKind::Preambular } else { ParagraphKind::Operative },
                    |t| t.1,
                );
                match parent_id {
                    Some(p) => {
                        id = unique_id(&mut ids, format!("{p}{}", l.number));
                        parent = Some(p);
                    }
                    None => {
                        warn(
                            &mut diagnostics,
                            "unplaced-paragraph",
                            format!("sub-paragraph {} has no paragraph to belong to; kept as a paragraph of its own", l.number),
                            u.first_line,
                            text_column,
                        );
                        id = unique_id(&mut ids, l.number.clone());
                    }
                }
                // Only a letter opens a level that romans nest under: `(i)`
                // after `(h)` is a letter, `(ii)` after `(i)` its sibling.
                let letter =
                    !roman || sub_letter.as_ref().is_some_and(|(_, prev)| is_next_letter(prev, &inner));
                if !nested && letter {
                    sub_letter = Some((id.clone(), inner));
                }
            }
            Some(LabelKind::Option) => {
                let l = label.expect("label present");
                option = Some(l.number.clone());
                // A label at the margin with no text of its own (`Option 1:`,
                // `Option 2: (paragraphs 3-3quater)`, `Option I {…}`) right
                // before a numbered paragraph opens a block of paragraphs: it
                // belongs to what follows, never to the paragraph before.
                let block_of = units.last().filter(|_| is_block_option_text(&text)).and_then(|next| {
                    let nl = next.label.as_ref().filter(|_| !next.heading)?;
                    matches!(nl.kind, LabelKind::Number { levels: 1, .. } | LabelKind::Series { .. }).then(
                        || match (&current_heading, restart) {
                            (Some(h), true) => format!("{h}.{}", nl.number),
                            _ => nl.number.clone(),
                        },
                    )
                });
                if block_of.is_some() {
                    option_parent = None;
                }
                if option_parent.is_none() && block_of.is_none() {
                    option_parent = top.as_ref().filter(|t| t.2).map(|t| draft.paragraphs[t.0].id.clone());
                }
                // `3. [Option 1: …` `3.1 Option (a): …` `3.2 …` `Option 2:`:
                // an option continues the series its predecessor stands in,
                // here paragraph 3's, not the sub-item 3.1's.
                if let (Some(outer), Some(prev)) = (&outer_option_parent, previous_option(&l.number)) {
                    let inner_has =
                        option_parent.as_ref().is_some_and(|p| ids.contains(&format!("{p} {prev}")));
                    if !inner_has && ids.contains(&format!("{outer} {prev}")) {
                        option_parent = Some(outer.clone());
                    }
                }
                kind = top.as_ref().map_or(
                    if in_preamble { ParagraphKind::Preambular } else { ParagraphKind::Operative },
                    |t| t.1,
                );
                // `Alt OP3:` is the alternative to paragraph OP3: `OP3 alt`.
                // Only `Alt`/`Alternative` with a paragraph's own name does
                // this: `Option 2` after paragraph 2 is the second option.
                let named = l
                    .number
                    .split_once(' ')
                    .filter(|(word, _)| word.to_lowercase().starts_with("alt"))
                    .map(|(_, mark)| mark)
                    .filter(|mark| {
                        mark.bytes().any(|b| b.is_ascii_digit())
                            && mark.bytes().any(|b| b.is_ascii_alphabetic())
                            && ids.contains(mark)
                    });
                if let Some(mark) = named {
                    let mark = mark.to_owned();
                    id = unique_id(&mut ids, format!("{mark} alt"));
                    parent = Some(mark);
                    option_parent = None;
                } else {
                    // An option standing for itself or opening a block is named
                    // by its heading (`Article 2 Option II`), else by the
                    // paragraph it opens (`25 Option 1`).
                    let named_by = match (&option_parent, &current_heading, &block_of) {
                        (Some(_), _, _) => None,
                        (None, Some(h), _) => Some(h.clone()),
                        (None, None, next) => next.clone(),
                    };
                    match (&option_parent, named_by) {
                        (Some(p), _) => {
                            id = unique_id(&mut ids, format!("{p} {}", l.number));
                            parent = Some(p.clone());
                        }
                        (None, Some(by)) => id = unique_id(&mut ids, format!("{by} {}", l.number)),
                        (None, None) => {
                            unnumbered += 1;
                            id = unique_id(&mut ids, format!("P{unnumbered}"));
                        }
                    }
                }
                let introduces = text.ends_with(':') || is_block_option_text(&text);
                current_option = introduces.then(|| id.clone());
                sub_letter = None;
            }
            None if lines::bullet(&text) && top.as_ref().is_some_and(|t| t.2) => {
                // `• [Party;]` under "the following terms are defined:": an
                // item of the paragraph that introduces the list.
                let t = top.as_ref().expect("checked");
                let p = draft.paragraphs[t.0].id.clone();
                kind = t.1;
                bullets += 1;
                id = unique_id(&mut ids, format!("{p} •{bullets}"));
                parent = Some(p);
            }
            _ => {
                // A decimal sub-item (`3.1` under 3) keeps its paragraph's
                // option series open for the options that follow it.
                let decimal_sub =
                    matches!(label.map(|l| &l.kind), Some(LabelKind::Number { levels: 2.., .. }));
                if decimal_sub && option_parent.is_some() && outer_option_parent.is_none() {
                    outer_option_parent = option_parent.take();
                } else if !decimal_sub {
                    outer_option_parent = None;
                }
                option_parent = None;
                sub_letter = None;
                current_option = None;
                bullets = 0;
                kind = match label.map(|l| &l.kind) {
                    Some(LabelKind::Series { preambular }) => {
                        if !preambular {
                            in_preamble = false;
                        }
                        if *preambular {
                            ParagraphKind::Preambular
                        } else {
                            ParagraphKind::Operative
                        }
                    }
                    _ => {
                        if is_chapeau(&text, None) {
                            in_preamble = true;
                            ParagraphKind::Preambular
                        } else if in_preamble && (text.is_empty() || preambular_opening(&text)) {
                            ParagraphKind::Preambular
                        } else if in_preamble && text.to_lowercase().starts_with("have agreed") {
                            in_preamble = false;
                            ParagraphKind::Preambular
                        } else {
                            in_preamble = false;
                            ParagraphKind::Operative
                        }
                    }
                };
                match label {
                    Some(l) => {
                        let qualify = |n: &str| match (&current_heading, restart) {
                            (Some(h), true) if matches!(l.kind, LabelKind::Number { .. }) => {
                                format!("{h}.{n}")
                            }
                            _ => n.to_owned(),
                        };
                        let mut written = l.number.clone();
                        // `3.1`, `16 ter.2`: a decimal sub-item of a paragraph
                        // already read belongs to it; `3ter.4` with no paragraph
                        // `3 ter` before it and a footnote 4 is `3 ter` with a
                        // footnote marker glued on.
                        if let LabelKind::Number { levels: 2.., suffixed, .. } = l.kind {
                            if let Some((head, tail)) = l.number.rsplit_once('.') {
                                let parent_id = qualify(head);
                                // Sub-items count from 1: `3ter.4` with no `3ter.3`
                                // before it is a footnote marker when footnote 4 exists.
                                let in_sequence = tail == "1"
                                    || tail.parse::<u32>().map_or(true, |k| {
                                        k == 0 || ids.contains(&qualify(&format!("{head}.{}", k - 1)))
                                    });
                                let footnote = suffixed && draft.footnotes.iter().any(|f| f.marker == tail);
                                if ids.contains(&parent_id) && (in_sequence || !footnote) {
                                    parent = Some(parent_id);
                                } else if footnote {
                                    label_footnotes.push((draft.paragraphs.len(), tail.to_owned()));
                                    written = head.to_owned();
                                }
                            }
                        }
                        id = unique_id(&mut ids, qualify(&written));
                        number = Some(written);
                    }
                    None => {
                        unnumbered += 1;
                        id = unique_id(&mut ids, format!("P{unnumbered}"));
                    }
                }
                let introduces = introduces_list(&text);
                top = Some((draft.paragraphs.len(), kind, introduces));
            }
        }
        paragraph_units.push(ui);
        if draft.paragraphs.len() == draft.paragraphs.capacity() {
            // Grow by half, never past what the remaining units can make:
            // no doubling overshoot on a large draft.
            let more = (draft.paragraphs.len() / 2).max(256).min(units.len() + 1);
            draft.paragraphs.reserve_exact(more);
        }
        draft.paragraphs.push(Paragraph {
            id,
            number,
            kind,
            heading: current_heading.clone(),
            parent,
            option,
            status,
            status_note,
            text,
            brackets: Vec::new(),
            references: Vec::new(),
            footnotes: Vec::new(),
            source_lines: SourceLines { first: u.first_line, last: u.last_line },
            emphasis: Vec::new(),
        });
    }

    drop(statuses);
    // What bracket matching needs from the units: each unit's text (now in
    // the model) and where its characters came from. The units go before the
    // last allocations, so they and the finished model never peak together.
    drop(units);
    // The paragraphs grew as the units shrank; drop the growth slack.
    draft.paragraphs.shrink_to_fit();
    let mut paragraph_of_unit: Vec<u32> = vec![u32::MAX; unit_count];
    for (pi, &ui) in paragraph_units.iter().enumerate() {
        paragraph_of_unit[ui] = pi as u32;
    }
    let mut heading_index = 0;
    let mut slots: Vec<(bool, u32)> = Vec::with_capacity(unit_count); // (is paragraph, index)
    for &p in &paragraph_of_unit {
        if p != u32::MAX {
            slots.push((true, p));
        } else {
            slots.push((false, heading_index));
            heading_index += 1;
        }
    }
    drop(paragraph_of_unit);
    // Brackets over headings and paragraphs together, in order.
    let texts: Vec<&str> = slots
        .iter()
        .map(|&(is_paragraph, i)| {
            if is_paragraph {
                draft.paragraphs[i as usize].text.as_str()
            } else {
                draft.headings[i as usize].title.as_str()
            }
        })
        .collect();
    let map = UnitMap { positions: &positions, leading: &leading };
    let per_unit = brackets::match_brackets(&texts, &map, &mut diagnostics);
    drop(texts);
    let markers: Vec<&str> = draft.footnotes.iter().map(|f| f.marker.as_str()).collect();
    for (&(is_paragraph, i), bs) in slots.iter().zip(per_unit) {
        if is_paragraph {
            let p = &mut draft.paragraphs[i as usize];
            p.brackets = bs;
            p.references = references::find(&p.text);
            if !markers.is_empty() {
                p.footnotes = footnote_refs(&p.text, &markers);
            }
        }
    }
    for (i, marker) in label_footnotes {
        let p = &mut draft.paragraphs[i];
        if !p.footnotes.contains(&marker) {
            p.footnotes.insert(0, marker);
        }
    }
    crate::outline::assign_levels(&mut draft.headings, is_section_keyword);
    diagnostics.sort_by_key(|d| (d.line, d.column));
    draft.diagnostics.extend(diagnostics);
}

/// A whole line in braces: an editorial note (`{placement to be determined}`).
pub(super) fn is_editorial_note(t: &str) -> bool {
    let t = t.trim();
    t.starts_with('{') && t.ends_with('}') && t[1..].find('}').is_some_and(|i| i + 2 == t.len())
}

/// The text of an option label that opens a block of paragraphs: nothing,
/// the range it covers (`(paragraphs 3-3quater)`), editorial notes in braces.
pub(super) fn is_block_option_text(text: &str) -> bool {
    // Editorial notes out, wherever they stand.
    let mut rest = String::with_capacity(text.len());
    let mut depth = 0u32;
    for c in text.chars() {
        match c {
            '{' => depth += 1,
            '}' => depth = depth.saturating_sub(1),
            _ if depth == 0 => rest.push(c),
            _ => {}
        }
    }
    let rest = rest.trim().trim_end_matches(':').trim();
    if let Some(inner) = rest.strip_prefix('(').and_then(|r| r.strip_suffix(')')) {
        return inner.to_lowercase().starts_with("para");
    }
    rest.is_empty()
}

/// The option label before this one in its series: `Option 2` → `Option 1`,
/// `Option (c)` → `Option (b)`, `Option III` → `Option II`.
pub(super) fn previous_option(label: &str) -> Option<String> {
    let (word, mark) = label.split_once(' ')?;
    let (open, inner, close) = match mark.strip_prefix('(').and_then(|m| m.strip_suffix(')')) {
        Some(inner) => ("(", inner, ")"),
        None => ("", mark, ""),
    };
    let prev = if let Ok(n) = inner.parse::<u32>() {
        n.checked_sub(1).filter(|n| *n > 0)?.to_string()
    } else if let [c] = inner.as_bytes() {
        if *c == b'a' || *c == b'A' {
            return None;
        }
        char::from(c - 1).to_string()
    } else {
        const ROMANS: [&str; 10] = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"];
        let k = ROMANS.iter().position(|r| *r == inner)?;
        ROMANS.get(k.checked_sub(1)?)?.to_string()
    };
    Some(format!("{word} {open}{prev}{close}"))
}

/// True when a paragraph's text introduces what follows: nothing of its own,
/// or a colon at the end (`[… the following terms are defined:]`).
pub(super) fn introduces_list(text: &str) -> bool {
    text.is_empty() || text.trim_end().trim_end_matches([']', ')', '}', '"', '”']).ends_with(':')
}

/// True when `next` is the letter after `prev` (`h` → `i`).
pub(super) fn is_next_letter(prev: &str, next: &str) -> bool {
    match (prev.as_bytes(), next.as_bytes()) {
        ([p], [n]) => *n == p + 1,
        _ => false,
    }
}

/// Paragraph ids seen so far. Plain numbers (most ids) are kept in a bit set,
/// so the common case costs no allocation and no hashing.
#[derive(Default)]
pub(super) struct Ids {
    numbers: Vec<u64>,
    others: HashMap<String, u32>,
}

impl Ids {
    fn contains(&self, id: &str) -> bool {
        match plain_number(id) {
            Some(n) => self.numbers.get(n / 64).is_some_and(|w| w & (1 << (n % 64)) != 0),
            None => self.others.contains_key(id),
        }
    }
}

pub(super) fn plain_number(id: &str) -> Option<usize> {
    if id.is_empty() || id.len() > 7 || !id.bytes().all(|b| b.is_ascii_digit()) || id.starts_with('0') {
        return None;
    }
    id.parse().ok()
}

pub(super) fn unique_id(ids: &mut Ids, id: String) -> String {
    if let Some(n) = plain_number(&id) {
        if ids.numbers.len() <= n / 64 {
            ids.numbers.resize(n / 64 + 1, 0);
        }
        let word = &mut ids.numbers[n / 64];
        if *word & (1 << (n % 64)) == 0 {
            *word |= 1 << (n % 64);
            return id;
        }
    }
    let n = ids.others.entry(id.clone()).or_insert(0);
    *n += 1;
    match (*n, plain_number(&id)) {
        (1, None) => id,
        // A repeated plain number: its first use is in the bit set.
        (k, Some(_)) => format!("{id}#{}", k + 1),
        (k, None) => format!("{id}#{k}"),
    }
}

pub(super) fn heading_parts(u: &Unit, outline_seen: bool) -> (String, Option<String>, String, u8) {
    let title = u.text.trim().to_owned();
    match &u.label {
        Some(l) => {
            let level = match l.kind {
                LabelKind::Number { levels, .. } => levels,
                LabelKind::Outline => 1,
                LabelKind::Keyword => {
                    let lower = l.number.to_lowercase();
                    if lower.starts_with("part") || lower.starts_with("chapter") || lower.starts_with("annex")
                    {
                        1
                    } else if outline_seen {
                        2
                    } else {
                        1
                    }
                }
                _ => 1,
            };
            (l.number.clone(), u.written.clone(), title, level)
        }
        None => (title.clone(), None, title, 1),
    }
}
