//! Draft → Akoma Ntoso 3.0 XML (AKN4UN), in one pass over the model.
//!
//! The layout is described in the module above (`akn`). Text is never
//! indented or re-wrapped: only whitespace between structural elements is
//! added, so every paragraph's text reads back character for character.

use accord_core::{Bracket, Draft, ParagraphKind, Reference, Status};

use super::dates::iso_date;
use super::inline::Inlines;

use super::identity::{heading_eids, paragraph_eids, Identity};
use super::xml::{attr, id_part, text};
use super::{AknOptions, ACCORD_NS, AKN_NS};

/// Writes `draft` as an Akoma Ntoso document (see the module documentation).
pub fn write(draft: &Draft, options: &AknOptions) -> String {
    write_with(draft, options, None)
}

/// The statuses as TLCConcepts: (status, eId, how the draft writes it).
pub(crate) const STATUSES: [(Status, &str); 4] = [
    (Status::Open, "open"),
    (Status::SuggestedForClosure, "suggestedForClosure"),
    (Status::AgreedAdRef, "agreedAdRef"),
    (Status::Agreed, "agreed"),
];

pub(crate) fn status_eid(s: Status) -> &'static str {
    STATUSES.iter().find(|(x, _)| *x == s).map_or("open", |(_, e)| e)
}

/// The names the writer derives from the draft and the options.
pub(crate) struct Frame {
    pub(crate) date: String,
    pub(crate) lang: String,
    pub(crate) work: String,
    pub(crate) expression: String,
}

pub(crate) fn frame(draft: &Draft, options: &AknOptions) -> Frame {
    let date = options
        .date
        .clone()
        .or_else(|| draft.date.as_deref().and_then(iso_date))
        .or_else(|| draft.letters.iter().filter_map(|l| l.date.as_deref()).find_map(iso_date))
        .unwrap_or_else(|| "1970-01-01".to_string());
    let lang = options.language.clone().unwrap_or_else(|| "eng".to_string());
    let symbol =
        options.symbol.as_deref().map(|s| id_part(s).replace('_', "-")).unwrap_or_else(|| "draft".into());
    let kind = if options.adopted { "resolution" } else { "resolutionDraft" };
    let work = format!("/akn/un/statement/deliberation/unga/{date}/{symbol}-{kind}");
    let expression = format!("{work}/{lang}@{date}");
    Frame { date, lang, work, expression }
}

/// Writes the document, with `analysis` (a concordance) in its metadata.
pub(crate) fn write_with(draft: &Draft, options: &AknOptions, analysis: Option<&str>) -> String {
    let f = frame(draft, options);
    let identity =
        options.identity.clone().unwrap_or_else(|| Identity::fresh(draft, options.symbol.as_deref()));
    let mut w = Writer {
        out: String::with_capacity(
            draft.paragraphs.iter().map(|p| p.text.len() * 6 / 5 + 300).sum::<usize>() + 8192,
        ),
        draft,
        eids: paragraph_eids(draft),
        heids: heading_eids(draft),
        identity,
        cited: Vec::new(),
        nest: Vec::new(),
        children: Vec::new(),
        guids: std::collections::HashSet::new(),
    };
    w.cited = first_citations(draft);
    let o = &mut w.out;
    o.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<akomaNtoso");
    attr(o, "xmlns", AKN_NS);
    attr(o, "xmlns:accord", ACCORD_NS);
    o.push_str(">\n");
    if options.adopted {
        o.push_str(
            "<documentCollection name=\"publicationResolution\" contains=\"originalVersion\">\n<meta>\n",
        );
        let pubwork = f.work.replace("/statement/deliberation/", "/documentCollection/publication/");
        let pubf =
            Frame { work: pubwork.clone(), expression: format!("{pubwork}/{}@{}", f.lang, f.date), ..f };
        identification(o, &pubf, options, "pub_");
        // eIds are unique across the whole collection: the publication's own.
        o.push_str("<references source=\"#accord\">\n");
        for (eid, show) in [
            ("generalAssembly", "General Assembly"),
            ("coFacilitators", "Co-facilitators"),
            ("accord", "Accord"),
        ] {
            o.push_str(&format!(
                "<TLCOrganization eId=\"pub_{eid}\" href=\"/akn/ontology/organization/un/{eid}\" showAs=\"{show}\"/>\n"
            ));
        }
        o.push_str("</references>\n</meta>\n<collectionBody>\n<component eId=\"cmp_1\">\n");
        let f = frame(draft, options);
        w.statement(&f, options, analysis);
        w.out.push_str("</component>\n</collectionBody>\n</documentCollection>\n");
    } else {
        w.statement(&f, options, analysis);
    }
    w.out.push_str("</akomaNtoso>\n");
    w.out
}

/// For each paragraph, the footnotes first cited there (index into `draft.footnotes`).
fn first_citations(draft: &Draft) -> Vec<Vec<usize>> {
    let mut taken = vec![false; draft.footnotes.len()];
    draft
        .paragraphs
        .iter()
        .map(|p| {
            let mut here = Vec::new();
            for m in &p.footnotes {
                if let Some(i) =
                    draft.footnotes.iter().enumerate().position(|(i, f)| !taken[i] && &f.marker == m)
                {
                    taken[i] = true;
                    here.push(i);
                }
            }
            here
        })
        .collect()
}

/// `identification`; `prefix` goes before the authors' eIds (a publication's own).
fn identification(o: &mut String, f: &Frame, options: &AknOptions, prefix: &str) {
    let generated = options.generated.clone().unwrap_or_else(|| f.date.clone());
    o.push_str("<identification source=\"#accord\">\n<FRBRWork>\n");
    value(o, "FRBRthis", &format!("{}/!main", f.work));
    value(o, "FRBRuri", &f.work);
    o.push_str(&format!("<FRBRdate date=\"{}\" name=\"draft\"/>\n", f.date));
    o.push_str(&format!("<FRBRauthor href=\"#{prefix}generalAssembly\"/>\n<FRBRcountry value=\"un\"/>\n</FRBRWork>\n<FRBRExpression>\n"));
    value(o, "FRBRthis", &format!("{}/!main", f.expression));
    value(o, "FRBRuri", &f.expression);
    o.push_str(&format!("<FRBRdate date=\"{}\" name=\"draft\"/>\n", f.date));
    o.push_str(&format!("<FRBRauthor href=\"#{prefix}coFacilitators\"/>\n"));
    o.push_str(&format!("<FRBRlanguage language=\"{}\"/>\n</FRBRExpression>\n<FRBRManifestation>\n", f.lang));
    value(o, "FRBRthis", &format!("{}/!main.xml", f.expression));
    value(o, "FRBRuri", &format!("{}.akn", f.expression));
    o.push_str("<FRBRdate");
    attr(o, "date", &generated);
    o.push_str(&format!(" name=\"generation\"/>\n<FRBRauthor href=\"#{prefix}accord\"/>\n</FRBRManifestation>\n</identification>\n"));
}

fn value(o: &mut String, tag: &str, v: &str) {
    o.push('<');
    o.push_str(tag);
    attr(o, "value", v);
    o.push_str("/>\n");
}

/// `TLCOrganization`s: the General Assembly, the co-facilitators, Accord, every delegation.
fn organizations(o: &mut String, options: &AknOptions) {
    let tlc = |o: &mut String, tag: &str, eid: &str, href: &str, show: &str| {
        o.push('<');
        o.push_str(tag);
        attr(o, "eId", eid);
        attr(o, "href", href);
        attr(o, "showAs", show);
        o.push_str("/>\n");
    };
    tlc(
        o,
        "TLCOrganization",
        "generalAssembly",
        "/akn/ontology/organization/un/generalAssembly",
        "General Assembly",
    );
    tlc(
        o,
        "TLCOrganization",
        "coFacilitators",
        "/akn/ontology/organization/un/coFacilitators",
        "Co-facilitators",
    );
    tlc(o, "TLCOrganization", "accord", "/akn/ontology/organization/accord", "Accord");
    let mut seen = std::collections::HashSet::new();
    for d in &options.delegations {
        let id = id_part(d);
        if seen.insert(format!("org_{id}")) {
            tlc(
                o,
                "TLCOrganization",
                &format!("org_{id}"),
                &format!("/akn/ontology/organization/un/{id}"),
                d,
            );
        }
    }
    for c in &options.co_facilitators {
        let id = id_part(c);
        if seen.insert(format!("person_{id}")) {
            tlc(o, "TLCPerson", &format!("person_{id}"), &format!("/akn/ontology/person/un/{id}"), c);
        }
    }
}

struct Writer<'a> {
    out: String,
    draft: &'a Draft,
    eids: Vec<String>,
    heids: Vec<String>,
    identity: Identity,
    /// Footnotes first cited by each paragraph.
    cited: Vec<Vec<usize>>,
    /// The paragraph each paragraph is written inside (see [`nesting`]).
    nest: Vec<Option<usize>>,
    /// Whether a paragraph has paragraphs written inside it.
    children: Vec<bool>,
    /// GUIDs written so far.
    guids: std::collections::HashSet<String>,
}

/// Where each paragraph nests: the index of the paragraph it is written
/// inside, when its parent is still open (the parent and everything since
/// are its descendants) and no heading, nor the end of the preamble
/// (`preamble` paragraphs), intervenes. Otherwise it stands on its own and
/// its parent is said by an attribute.
fn nesting(draft: &Draft, preamble: usize) -> Vec<Option<usize>> {
    let mut out = vec![None; draft.paragraphs.len()];
    let mut stack: Vec<usize> = Vec::new();
    let mut headings = draft.headings.iter().map(|h| h.first_paragraph).peekable();
    for (i, p) in draft.paragraphs.iter().enumerate() {
        let mut boundary = i == preamble;
        while headings.next_if(|&f| f <= i).is_some() {
            boundary = true;
        }
        if boundary {
            stack.clear();
        }
        match &p.parent {
            Some(parent) if stack.iter().any(|&j| &draft.paragraphs[j].id == parent) => {
                while stack.last().is_some_and(|&j| &draft.paragraphs[j].id != parent) {
                    stack.pop();
                }
                out[i] = stack.last().copied();
            }
            _ => stack.clear(),
        }
        stack.push(i);
    }
    out
}

fn heading_tag(h: &accord_core::Heading) -> &'static str {
    let starts = |s: &str| s.get(..8).is_some_and(|p| p.eq_ignore_ascii_case("article "));
    if starts(&h.id) || h.number.as_deref().is_some_and(starts) {
        "article"
    } else if h.level <= 1 {
        "division"
    } else {
        "subdivision"
    }
}

impl Writer<'_> {
    fn statement(&mut self, f: &Frame, options: &AknOptions, analysis: Option<&str>) {
        let d = self.draft;
        let name = if options.adopted { "resolution" } else { "resolutionDraft" };
        self.out.push_str(&format!("<statement name=\"{name}\" contains=\"originalVersion\">\n<meta>\n"));
        identification(&mut self.out, f, options, "");
        let o = &mut self.out;
        o.push_str("<lifecycle source=\"#accord\">\n<eventRef eId=\"evt_1\"");
        attr(o, "date", &f.date);
        o.push_str(" source=\"#original\" type=\"generation\"/>\n</lifecycle>\n");
        self.workflow(&f.date);
        if let Some(a) = analysis {
            self.out.push_str(a);
        }
        let o = &mut self.out;
        o.push_str("<references source=\"#accord\">\n<original eId=\"original\"");
        attr(o, "href", &f.expression);
        attr(o, "showAs", d.title.as_deref().unwrap_or("Draft"));
        o.push_str("/>\n");
        organizations(o, options);
        for (s, eid) in STATUSES {
            o.push_str("<TLCConcept");
            attr(o, "eId", eid);
            attr(o, "href", &format!("/akn/ontology/concept/un/status/{eid}"));
            attr(o, "showAs", s.tag());
            o.push_str("/>\n");
        }
        o.push_str(
            "<TLCConcept eId=\"preamble\" href=\"/akn/ontology/concept/un/preamble\" showAs=\"preamble\"/>\n",
        );
        o.push_str("</references>\n");
        // Footnotes no paragraph cites.
        let cited: std::collections::HashSet<usize> = self.cited.iter().flatten().copied().collect();
        let uncited: Vec<usize> = (0..d.footnotes.len()).filter(|i| !cited.contains(i)).collect();
        if !uncited.is_empty() {
            self.out.push_str("<notes source=\"#accord\">\n");
            for i in uncited {
                self.footnote("note", i);
                self.out.push('\n');
            }
            self.out.push_str("</notes>\n");
        }
        let o = &mut self.out;
        o.push_str("<proprietary source=\"#accord\">\n<accord:identity");
        attr(o, "generation", &self.identity.generation.to_string());
        attr(o, "salt", &self.identity.salt);
        o.push_str("/>\n");
        for l in &d.furniture {
            o.push_str("<accord:furniture");
            attr(o, "line", &l.line.to_string());
            o.push('>');
            text(o, &l.text, true);
            o.push_str("</accord:furniture>\n");
        }
        o.push_str("</proprietary>\n</meta>\n");
        self.cover_page();
        self.preface(f, options);
        let k = self.preamble_length();
        self.nest = nesting(d, k);
        self.children = vec![false; d.paragraphs.len()];
        for j in self.nest.iter().flatten() {
            self.children[*j] = true;
        }
        if k > 0 {
            self.preamble(k);
        }
        self.main_body(k);
        self.out.push_str("</statement>\n");
    }

    fn workflow(&mut self, date: &str) {
        let d = self.draft;
        let mut steps = Vec::new();
        if d.title.is_some() && (d.title_status != Status::Open || d.title_status_note.is_some()) {
            steps.push(("docTitle".to_string(), d.title_status, d.title_status_note.as_deref()));
        }
        for (p, eid) in d.paragraphs.iter().zip(&self.eids) {
            if p.status != Status::Open || p.status_note.is_some() {
                steps.push((eid.clone(), p.status, p.status_note.as_deref()));
            }
        }
        if steps.is_empty() {
            return;
        }
        let o = &mut self.out;
        o.push_str("<workflow source=\"#accord\">\n");
        for (target, status, note) in steps {
            o.push_str("<step");
            attr(o, "date", date);
            o.push_str(" by=\"#coFacilitators\"");
            attr(o, "outcome", &format!("#{}", status_eid(status)));
            attr(o, "refersTo", &format!("#{target}"));
            if let Some(n) = note {
                attr(o, "accord:note", n);
            }
            o.push_str("/>\n");
        }
        o.push_str("</workflow>\n");
    }

    fn cover_page(&mut self) {
        let d = self.draft;
        if d.letters.is_empty() {
            return;
        }
        let o = &mut self.out;
        o.push_str("<coverPage>\n");
        for (n, l) in d.letters.iter().enumerate() {
            o.push_str("<container name=\"letter\"");
            attr(o, "eId", &format!("letter_{}", n + 1));
            attr(o, "accord:lines", &format!("{} {}", l.source_lines.first, l.source_lines.last));
            o.push_str(">\n");
            let p = |o: &mut String, class: &str, t: &str| {
                o.push_str("<p");
                attr(o, "class", class);
                o.push('>');
                text(o, t, true);
                o.push_str("</p>\n");
            };
            p(o, "sender", &l.sender);
            l.letterhead.iter().for_each(|t| p(o, "letterhead", t));
            if let Some(t) = &l.date {
                p(o, "date", t);
            }
            l.addressees.iter().for_each(|t| p(o, "addressee", t));
            if let Some(t) = &l.salutation {
                p(o, "salutation", t);
            }
            l.body.iter().for_each(|t| p(o, "body", t));
            for s in &l.signatures {
                o.push_str("<container name=\"signature\">\n");
                if s.is_empty() {
                    o.push_str("<p class=\"accord-empty\"/>\n");
                }
                s.iter().for_each(|t| p(o, "signature", t));
                o.push_str("</container>\n");
            }
            o.push_str("</container>\n");
        }
        o.push_str("</coverPage>\n");
    }

    fn preface(&mut self, f: &Frame, options: &AknOptions) {
        let d = self.draft;
        let o = &mut self.out;
        o.push_str("<preface>\n");
        if !d.front_matter.is_empty() {
            o.push_str("<container name=\"frontMatter\">\n");
            for l in &d.front_matter {
                o.push_str("<p");
                attr(o, "accord:line", &l.line.to_string());
                o.push('>');
                text(o, &l.text, true);
                o.push_str("</p>\n");
            }
            o.push_str("</container>\n");
        }
        if let Some(t) = &d.title {
            o.push_str("<p class=\"title\"><docTitle eId=\"docTitle\">");
            text(o, t, true);
            o.push_str("</docTitle>");
            if d.title_status != Status::Open {
                o.push_str(" <docStatus class=\"accord-generated\"");
                attr(o, "refersTo", &format!("#{}", status_eid(d.title_status)));
                o.push_str(">[");
                text(o, d.title_status.tag(), true);
                o.push_str("]</docStatus>");
            }
            o.push_str("</p>\n");
        }
        if let Some(t) = &d.date {
            o.push_str("<p class=\"dateLine\">");
            match iso_date(t) {
                Some(iso) => {
                    o.push_str("<docDate");
                    attr(o, "date", &iso);
                    o.push('>');
                    text(o, t, true);
                    o.push_str("</docDate>");
                }
                None => text(o, t, true),
            }
            o.push_str("</p>\n");
        }
        let stage = if options.adopted { "Resolution" } else { "Draft resolution" };
        o.push_str(&format!("<p class=\"accord-generated\"><docStage>{stage}</docStage>"));
        if !options.co_facilitators.is_empty() {
            o.push_str(" <docProponent refersTo=\"#coFacilitators\">Co-facilitators: ");
            text(o, &options.co_facilitators.join(", "), true);
            o.push_str("</docProponent>");
        }
        o.push_str(" <docDate");
        attr(o, "date", &f.date);
        o.push('>');
        text(o, &f.date, true);
        o.push_str("</docDate></p>\n</preface>\n");
    }

    /// How many leading paragraphs go into `preamble`: the run of
    /// preambular paragraphs before the first operative one, when every
    /// heading among them opens a non-empty group (AKN's `recitals` need a
    /// `recital`); 0 otherwise (then they stay in `mainBody`, marked).
    fn preamble_length(&self) -> usize {
        let d = self.draft;
        let k = d.paragraphs.iter().take_while(|p| p.kind == ParagraphKind::Preambular).count();
        let firsts: Vec<usize> = d.headings.iter().map(|h| h.first_paragraph).filter(|&f| f < k).collect();
        if firsts.windows(2).any(|w| w[0] == w[1]) {
            return 0;
        }
        k
    }

    fn preamble(&mut self, k: usize) {
        let d = self.draft;
        self.out.push_str("<preamble>\n");
        let mut group_open = false;
        let mut open: Vec<usize> = Vec::new();
        let mut hs = d.headings.iter().enumerate().filter(|(_, h)| h.first_paragraph < k).peekable();
        for i in 0..k {
            let heading = hs.next_if(|(_, h)| h.first_paragraph <= i);
            if heading.is_some() || !group_open {
                self.close(&mut open, None, true);
                if group_open {
                    self.out.push_str("</recitals>\n");
                }
                self.out.push_str("<recitals");
                match heading {
                    Some((hi, h)) => {
                        self.heading_attrs(hi);
                        self.out.push('>');
                        self.num_heading(h.number.as_deref(), Some(&h.title));
                        self.out.push('\n');
                    }
                    None => self.out.push_str(" eId=\"recitals\">\n"),
                }
                group_open = true;
            }
            self.close(&mut open, self.nest[i], true);
            let p = &d.paragraphs[i];
            self.out.push_str(if self.nest[i].is_some() { "<item" } else { "<recital" });
            self.paragraph_attrs(i);
            self.out.push('>');
            self.num_heading(p.number.as_deref(), p.option.as_deref());
            self.paragraph_text(i);
            if self.children[i] {
                self.out.push_str("<blockList>");
            }
            self.out.push('\n');
            open.push(i);
        }
        self.close(&mut open, None, true);
        self.out.push_str("</recitals>\n</preamble>\n");
    }

    fn main_body(&mut self, k: usize) {
        let d = self.draft;
        self.out.push_str("<mainBody>\n");
        let before = self.out.len();
        let mut open: Vec<usize> = Vec::new();
        // Open heading elements: (level, tag, whether anything was written inside).
        let mut sections: Vec<(u8, &'static str, bool)> = Vec::new();
        let mut hs = d.headings.iter().enumerate().filter(|(_, h)| h.first_paragraph >= k).peekable();
        for i in k..=d.paragraphs.len() {
            while let Some((hi, h)) = hs.next_if(|(_, h)| h.first_paragraph <= i) {
                self.close(&mut open, None, false);
                while sections.last().is_some_and(|s| s.0 >= h.level) {
                    self.close_section(&mut sections);
                }
                if let Some(s) = sections.last_mut() {
                    s.2 = true;
                }
                let tag = heading_tag(h);
                self.out.push('<');
                self.out.push_str(tag);
                self.heading_attrs(hi);
                self.out.push('>');
                self.num_heading(h.number.as_deref(), Some(&h.title));
                self.out.push('\n');
                sections.push((h.level, tag, false));
            }
            if i == d.paragraphs.len() {
                break;
            }
            if let Some(s) = sections.last_mut() {
                s.2 = true;
            }
            self.close(&mut open, self.nest[i], false);
            let p = &d.paragraphs[i];
            let tag = self.body_tag(i);
            self.out.push('<');
            self.out.push_str(tag);
            if tag == "hcontainer" {
                self.out.push_str(" name=\"option\"");
            }
            self.paragraph_attrs(i);
            if p.kind == ParagraphKind::Preambular {
                self.out.push_str(" refersTo=\"#preamble\"");
            }
            self.out.push('>');
            self.num_heading(p.number.as_deref(), p.option.as_deref());
            let wrap = if self.children[i] { "intro" } else { "content" };
            self.out.push_str(&format!("<{wrap}>"));
            self.paragraph_text(i);
            self.out.push_str(&format!("</{wrap}>\n"));
            open.push(i);
        }
        self.close(&mut open, None, false);
        while !sections.is_empty() {
            self.close_section(&mut sections);
        }
        if self.out.len() == before {
            // A draft with nothing in its body still needs one block.
            self.out.push_str("<p class=\"accord-empty\"/>\n");
        }
        self.out.push_str("</mainBody>\n");
    }

    fn close_section(&mut self, sections: &mut Vec<(u8, &'static str, bool)>) {
        if let Some((_, tag, filled)) = sections.pop() {
            if !filled {
                self.out.push_str("<content><p class=\"accord-empty\"/></content>");
            }
            self.out.push_str(&format!("</{tag}>\n"));
        }
    }

    fn body_tag(&self, i: usize) -> &'static str {
        if self.draft.paragraphs[i].option.is_some() {
            "hcontainer"
        } else if self.nest[i].is_some() {
            "subparagraph"
        } else {
            "paragraph"
        }
    }

    /// Closes open paragraph elements until `keep` is the innermost open one.
    fn close(&mut self, open: &mut Vec<usize>, keep: Option<usize>, preamble: bool) {
        while let Some(&top) = open.last() {
            if Some(top) == keep {
                break;
            }
            open.pop();
            if preamble {
                if self.children[top] {
                    self.out.push_str("</blockList>");
                }
                self.out.push_str(if self.nest[top].is_some() { "</item>\n" } else { "</recital>\n" });
            } else {
                let tag = self.body_tag(top);
                self.out.push_str(&format!("</{tag}>\n"));
            }
        }
    }

    fn num_heading(&mut self, num: Option<&str>, heading: Option<&str>) {
        if let Some(n) = num {
            self.out.push_str("<num>");
            text(&mut self.out, n, true);
            self.out.push_str("</num>");
        }
        if let Some(h) = heading {
            self.out.push_str("<heading>");
            text(&mut self.out, h, true);
            self.out.push_str("</heading>");
        }
    }

    fn identity_attrs(&mut self, eid: &str, ident: Option<&super::identity::Ident>) {
        attr(&mut self.out, "eId", eid);
        if let Some(ident) = ident {
            attr(&mut self.out, "wId", &ident.wid);
            // Two elements with one Accord id (a hand-edited model) cannot share a GUID.
            let mut guid = ident.guid.clone();
            let mut n = 1u32;
            while !self.guids.insert(guid.clone()) {
                guid = super::identity::guid(&[&ident.guid, &n.to_string()]);
                n += 1;
            }
            attr(&mut self.out, "GUID", &guid);
        }
    }

    fn heading_attrs(&mut self, hi: usize) {
        let h = &self.draft.headings[hi];
        let eid = self.heids[hi].clone();
        let ident = self.identity.headings.get(&h.id).cloned();
        self.identity_attrs(&eid, ident.as_ref());
        let o = &mut self.out;
        attr(o, "accord:id", &h.id);
        attr(o, "accord:level", &h.level.to_string());
        attr(o, "accord:lines", &format!("{} {}", h.source_lines.first, h.source_lines.last));
        if h.number.is_none() {
            o.push_str(" accord:unnumbered=\"true\"");
        }
    }

    fn paragraph_attrs(&mut self, i: usize) {
        let p = &self.draft.paragraphs[i];
        let eid = self.eids[i].clone();
        let ident = self.identity.paragraphs.get(&p.id).cloned();
        self.identity_attrs(&eid, ident.as_ref());
        let o = &mut self.out;
        attr(o, "accord:id", &p.id);
        attr(o, "accord:lines", &format!("{} {}", p.source_lines.first, p.source_lines.last));
        if let Some(h) = &p.heading {
            attr(o, "accord:heading", h);
        }
        if let Some(parent) = &p.parent {
            attr(o, "accord:parent", parent);
        }
        if p.number.is_none() {
            o.push_str(" accord:unnumbered=\"true\"");
        }
        if !p.footnotes.is_empty() {
            attr(o, "accord:footnotes", &serde_json::to_string(&p.footnotes).unwrap_or_default());
        }
    }

    /// `<p>` with the paragraph's text: brackets, references, and the
    /// footnotes it is the first to cite.
    ///
    /// Each bracket and reference carries what the model says of it
    /// (`accord:depth`, `accord:alternatives`, `accord:symbol` …), so the
    /// reader restores them without deriving them again; a paragraph where
    /// one could not be written as an element (a reference across a
    /// bracket's edge) is marked `accord:marks="partial"`, and the reader
    /// then derives every paragraph's from the text.
    fn paragraph_text(&mut self, i: usize) {
        let p = &self.draft.paragraphs[i];
        if p.brackets.is_empty() && p.references.is_empty() {
            self.out.push_str("<p>");
            text(&mut self.out, &p.text, true);
        } else {
            let mut body = String::with_capacity(p.text.len() * 2);
            let written = self.marked_text(i, &mut body);
            self.out.push_str(if written { "<p>" } else { "<p accord:marks=\"partial\">" });
            self.out.push_str(&body);
        }
        for n in self.cited[i].clone() {
            self.footnote("authorialNote", n);
        }
        self.out.push_str("</p>");
    }

    /// Writes the marked-up text into `out`; true when every bracket and
    /// reference became an element.
    fn marked_text(&self, i: usize, out: &mut String) -> bool {
        let p = &self.draft.paragraphs[i];
        let at: Vec<usize> = p.text.char_indices().map(|(b, _)| b).chain([p.text.len()]).collect();
        let mut brackets: Vec<&Bracket> = p.brackets.iter().collect();
        brackets.sort_by_key(|b| (b.start, std::cmp::Reverse(b.end), b.depth));
        let mut refs: Vec<&Reference> = p.references.iter().collect();
        refs.sort_by_key(|r| r.start);
        let mut inl = Inlines { out, text: &p.text, at: &at, refs: &refs, emphasis: &p.emphasis, written: 0 };
        inl.span(0, (at.len() - 1) as u32, &brackets);
        // Attribute values cannot carry what XML cannot hold: such a paragraph's
        // marks are derived from its text on reading.
        inl.written == p.brackets.len() + p.references.len() && p.text.chars().all(super::xml::xml_char)
    }

    fn footnote(&mut self, tag: &str, n: usize) {
        let f = &self.draft.footnotes[n];
        let o = &mut self.out;
        o.push('<');
        o.push_str(tag);
        attr(o, "eId", &format!("fn_{}", n + 1));
        attr(o, "marker", &f.marker);
        o.push_str(" placement=\"bottom\"");
        attr(o, "accord:n", &n.to_string());
        attr(o, "accord:lines", &format!("{} {}", f.source_lines.first, f.source_lines.last));
        o.push_str("><p>");
        text(o, &f.text, true);
        o.push_str("</p></");
        o.push_str(tag);
        o.push('>');
    }
}
