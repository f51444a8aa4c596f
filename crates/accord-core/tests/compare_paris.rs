//! Lineage on the real Paris Agreement revisions (UNFCCC, 2015), judged by
//! hand: for each pair of drafts, a list of which old paragraph became which
//! new one (or was deleted, or is new), written by reading both drafts side by
//! side — Articles 7 to 12 of the draft agreement and the draft decision.
//!
//! The expectations name paragraphs as a reader does — the article or section
//! they stand under, their number, and words of their text — never by the
//! parser's internal ids, so that they keep their meaning while the parser's
//! cutting of these drafts improves. A new paragraph named by its number
//! stands for the whole paragraph with its sub-paragraphs and options.

mod common;

use accord_core::compare::{Comparison, Relation};
use accord_core::{compare, parse, Draft, Paragraph};

/// A paragraph as a reader names it: the heading it stands under (`""`: any;
/// `Article 8` also covers `Article 8bis`), its number (`""`: any), and words
/// its text contains (brackets, case and spacing ignored; `""`: any).
type Spec = (&'static str, &'static str, &'static str);

/// One judgement: the old paragraph, and the new one it became (`None`: deleted).
type Judgement = (Spec, Option<Spec>);

const DRAFTS: &str = "drafts/unfccc-paris-2015";

/// 23 October 2015 (`11infnot.txt`) → 4 December 2015 (`adp_compilation_4dec15_10am.txt`).
const OCT23_TO_DEC4: &[Judgement] = &[
    // Article 7 (technology development and transfer).
    (("Article 7", "1", "All Parties, in accordance with the principles"), Some(("Article 7", "1", "All Parties, in accordance with the principles"))),
    (("Article 7", "", "Improving endogenous capacities"), Some(("Article 7", "", "Improving endogenous capacities"))),
    (("Article 7", "", "Addressing barriers in accessing to for the transfer"), Some(("Article 7", "", "Addressing barriers in accessing to for the transfer"))),
    (("Article 7", "", "Fostering cooperative approaches to research"), Some(("Article 7", "", "Fostering cooperative approaches to research"))),
    // The global goal for technology became the long-term vision, in the same slot.
    (("Article 7", "", "establish a global goal for technology development"), Some(("Article 7", "", "long-term vision"))),
    (("Article 7", "", "consider and adopt a technology framework"), Some(("Article 7", "3", "A technology framework is hereby established"))),
    (("Article 7", "", "paragraph 5, of the Convention, developed country Parties shall provide financial resources to address barriers"), Some(("Article 7", "", "paragraph 5, of the Convention, developed country Parties shall provide financial resources to address barriers"))),
    // Two options of paragraph 5 consolidated into one text.
    (("Article 7", "", "institutional arrangements for technology established under the Convention"), Some(("Article 7", "5", "The Technology Mechanism shall serve this Agreement and shall be strengthened"))),
    (("Article 7", "", "Developing country Parties are eligible for support"), Some(("Article 7", "", "Developing country Parties and Parties in need of support, including countries with economies in transition are eligible"))),
    (("Article 7", "", "In accordance with Article 4, paragraphs 3 and 5, 5 and 9, of the Convention, developed country Parties and other Parties included in Annex II"), Some(("Article 7", "", "In accordance with Article 4, paragraphs 3 and 5, 5 and 9, of the Convention, developed country Parties Parties in a position"))),
    (("Article 7", "", "shall provide support for the research, development and application"), Some(("Article 7", "", "shall provide support for the research, development and application"))),
    // Article 8 (capacity-building): four options of paragraph 1 became one text.
    (("Article 8", "", "Capacity-building under this Agreement should facilitate the enhancement of ability and capacity in all areas on climate change for developing country Parties, particularly vulnerable developing countries such as the LDCs, SIDS and Africa, in accordance"), Some(("Article 8", "1", "Capacity building under this Agreement should enhance the capacity and ability"))),
    (("Article 8", "", "Capacity-building should be country-driven, based on and responsive to national needs and foster country ownership by developing"), Some(("Article 8", "2", "Capacity-building should be country-driven"))),
    (("Article 8", "", "Developed country Parties shall scale up support to enhance the capacity"), Some(("Article 8", "3", "Developed country Parties shall should enhance support"))),
    (("Article 8", "", "shall regularly prepare, communicate and implement plans, policies, actions and measures on capacity-building"), Some(("Article 8", "", "shall regularly prepare, communicate and implement plans, policies, actions and measures on capacity-building"))),
    (("Article 8", "", "All Parties should regularly prepare and communicate actions or measures on capacity-building"), Some(("Article 8", "", "All Parties should regularly prepare and communicate actions or measures on capacity-building"))),
    (("Article 8", "", "The provision of capacity-building, including under this Agreement, shall be enhanced"), Some(("Article 8", "", "The provision of capacity-building, including under this Agreement, shall be enhanced"))),
    (("Article 8", "", "serving this Agreement should enhance the effectiveness of capacity building efforts"), Some(("Article 8", "", "serving this Agreement should enhance the effectiveness of capacity building efforts"))),
    // Article 8bis: two options consolidated into one text.
    (("Article 8", "", "Parties shall cooperate and take appropriate measures to develop, adopt and implement"), Some(("Article 8", "", "Parties shall cooperate in taking measures, as appropriate"))),
    // Article 9 (transparency): paragraphs 2 to 6 renumbered 4 to 8 after two new ones.
    (("Article 9", "", "A robust transparency framework covering both action and support, differentiated"), Some(("Article 9", "", "A robust transparency framework covering both action and support, differentiated"))),
    (("Article 9", "", "Building on existing arrangements under the Convention, a transparency framework for action and support"), Some(("Article 9", "", "Building on existing arrangements under the Convention, a transparency framework for action and support"))),
    (("Article 9", "", "The purpose of the system for transparency of action is to"), Some(("Article 9", "4", "The purpose of the system for transparency of action is to"))),
    (("Article 9", "", "Provide a clear understanding of the emissions and removals of individual Parties"), Some(("Article 9", "", "Provide a clear understanding of the emissions and removals of individual Parties"))),
    (("Article 9", "", "Provide a clear understanding of climate change actions in the light of the objective"), Some(("Article 9", "", "Provide a clear understanding of climate change actions in the light of the objective"))),
    (("Article 9", "", "Ensure clarity and tracking of progress made in implementing and achieving individual Parties"), Some(("Article 9", "", "Ensure clarity and tracking of progress made towards"))),
    (("Article 9", "", "Share information, lessons learned and good practice on adaptation"), Some(("Article 9", "", "Share information, lessons learned and good practice on adaptation"))),
    (("Article 9", "", "Promote comparability among developed country Parties"), Some(("Article 9", "", "Promote comparability among developed country Parties"))),
    (("Article 9", "", "The purpose of the system for transparency of support is to"), Some(("Article 9", "5", "The purpose of the system for transparency of support is to"))),
    (("Article 9", "", "Provide a clear understanding of the support provided and received"), Some(("Article 9", "", "Provide a clear understanding of the support provided and received"))),
    (("Article 9", "", "Ensure that there shall be no double counting of financial resources"), Some(("Article 9", "", "Ensure that there shall be no double counting of financial resources"))),
    (("Article 9", "", "Each Party, taking into account their common but differentiated responsibilities"), Some(("Article 9", "", "Each Party, taking into account their common but differentiated responsibilities"))),
    (("Article 9", "", "Its national inventory of anthropogenic emissions by sources"), Some(("Article 9", "", "Its national inventory of anthropogenic emissions by sources"))),
    (("Article 9", "", "The information provided by each Party shall be subjected to at least biennially"), Some(("Article 9", "", "The information provided by each Party shall be subjected to at least biennially"))),
    (("Article 9", "", "The information required under this Article shall be subject to a technical expert review"), Some(("Article 9", "", "The information required under this Article shall be subject to a technical expert review"))),
    (("Article 9", "", "Developed country Parties and other developed Parties included in Annex II to the Convention shall ensure"), Some(("Article 9", "", "Developed country Parties and other developed Parties included in Annex II to the Convention shall ensure"))),
    (("Article 9", "", "building on lessons learned from reporting under the Convention"), Some(("Article 9", "8", "The CMA shall, at its first session"))),
    (("Article 9", "", "The transparency system shall be guided by the principles and provisions of the Convention"), Some(("Article 9", "", "The transparency framework shall be guided by the principles of the Convention"))),
    (("Article 9", "", "Developed country Parties shall should other provide support to developing country Parties in the implementation"), Some(("Article 9", "", "Developed country Parties shall should other provide support to developing country Parties in the implementation"))),
    // Financial resources for transparency-related capacity became "support".
    (("Article 9", "", "shall allocate financial resources for the building of transparency-related capacity"), Some(("Article 9", "", "Support shall also be provided for the building of transparency-related capacity"))),
    (("Article 9", "", "The transparency arrangements under the Convention, including national communications"), Some(("Article 9", "", "The transparency arrangements under the Convention, including national communications"))),
    // Article 10 (global stocktake).
    (("Article 10", "", "The CMA shall periodically take stock of the implementation of this Agreement"), Some(("Article 10", "1", "The CMA shall periodically take stock of the implementation of the Agreement"))),
    (("Article 10", "", "The CMA shall undertake its first global stocktake in 2023 2024"), Some(("Article 10", "", "The CMA shall undertake its first global stocktake in 2023 2024"))),
    (("Article 10", "", "The extent to which developing country Parties can participate in the global stocktake"), Some(("Article 10", "", "The extent to which developing country Parties can participate in the global stocktake"))),
    // Article 11 (implementation and compliance): the triggers and consequences went.
    (("Article 11", "1", ""), Some(("Article 11", "1", "A mechanism committee"))),
    (("Article 11", "", "The objective of the mechanism process Committee referred to in paragraph 1"), Some(("Article 11", "", "The objective of the mechanism Committee referred to in paragraph 1"))),
    (("Article 11", "", "The Compliance Mechanism shall report annually to the CMA"), Some(("Article 11", "", "shall report annually to the CMA"))),
    (("Article 11", "", "Written submissions from any Party"), None),
    (("Article 11", "", "Declaration of non-compliance"), None),
    (("Article 11", "", "An enforcement branch for developed country Parties and a facilitative branch"), None),
    (("Article 11", "", "An International Tribunal of Climate Justice is hereby established"), Some(("Article 11", "", "An International Tribunal of Climate Justice is hereby established"))),
    (("Article 11", "", "No reference to facilitating implementation and compliance"), Some(("Article 11", "", "No reference to facilitating implementation and compliance"))),
    // Article 12 (CMA).
    (("Article 12", "", "The Conference of the Parties, the supreme body of the Convention"), Some(("Article 12", "", "The Conference of the Parties, the supreme body of the Convention"))),
    (("Article 12", "", "The CMA shall keep under regular review the implementation"), Some(("Article 12", "", "The CMA shall keep under regular review the implementation"))),
    (("Article 12", "", "Establish such subsidiary bodies as deemed necessary"), Some(("Article 12", "", "Establish such subsidiary bodies as deemed necessary"))),
    (("Article 12", "", "Exercise such other functions as may be required"), Some(("Article 12", "", "Exercise such other functions as may be required"))),
    (("Article 12", "", "The financial procedures applied under the Convention shall be applied mutatis mutandis"), Some(("Article 12", "", "the financial procedures applied under the Convention shall be applied mutatis mutandis"))),
    (("Article 12", "", "The United Nations, its specialized agencies and the International Atomic Energy Agency"), Some(("Article 12", "", "The United Nations, its specialized agencies and the International Atomic Energy Agency"))),
    // The draft decision.
    (("", "", "Decides to adopt the Paris Implementing Agreement under"), Some(("", "", "Decides to adopt the Paris Implementing Agreement Paris legal instrument"))),
    (("", "", "Invites the Secretary-General to convene a high-level signature ceremony"), Some(("", "", "Invites the Secretary-General to convene a high-level signature ceremony"))),
    (("", "", "Recognizes that Parties to the Convention may provisionally apply"), Some(("", "", "Recognizes that Parties to the Convention may provisionally apply"))),
    (("", "", "Durban Platform for Enhanced Action (ADP) in accordance with decision 1/CP.17"), Some(("", "", "Durban Platform for Enhanced Action (ADP) in accordance with decision 1/CP.17"))),
    (("", "", "Requests the ADP to report regularly to the COP"), Some(("", "", "Requests the APO to report regularly to the COP"))),
    (("", "", "Welcomes the intended nationally determined contributions (INDCs) that have been communicated"), Some(("", "", "Welcomes the intended nationally determined contributions (INDCs) that have been communicated"))),
    (("", "", "Reiterates its invitation to all Parties that have not yet done so"), Some(("", "", "Reiterates its invitation to all Parties that have not yet done so"))),
    (("", "", "Calls on each developed country Party to communicate to the secretariat its INDC on the provision of finance"), Some(("", "", "Calls on each developed country Party to communicate to the secretariat its INDC on the provision of finance"))),
    (("", "", "Requests the secretariat to continue to publish the INDCs"), Some(("", "", "Requests the secretariat to continue to publish the INDCs"))),
    (("", "", "Requests the SBI to clarify in a facilitative, non-intrusive and consultative manner"), Some(("", "", "Requests the SBI to clarify in a facilitative, non-intrusive and consultative manner"))),
    (("", "", "Takes note of Welcomes the synthesis report on the aggregate effect of INDCs"), Some(("", "", "Takes note of the synthesis report on the aggregate effect of INDCs"))),
    (("", "", "Requests the secretariat to update the synthesis report referred to in paragraph 17"), Some(("", "", "Requests the secretariat to update the synthesis report referred to in paragraph 17"))),
    (("", "", "Invites Strongly urges all Parties to consider enhancing the ambition of their mitigation efforts"), Some(("", "", "Invites Strongly urges all Parties to consider enhancing the ambition of their mitigation efforts"))),
    (("", "", "Notes that a developing country Party may adjust its INDC"), Some(("", "", "Notes that a developing country Party may adjust its INDC"))),
    (("", "", "Invites developed country Parties to take the lead by enhancing the ambition"), Some(("", "", "Invites developed country Parties to take the lead by enhancing the ambition"))),
    (("", "", "Decides Invites the President of the COP to convene a facilitative dialogue"), Some(("", "", "Decides Invites the President of the COP to convene a facilitative dialogue"))),
    (("", "", "Requests the Intergovernmental Panel on Climate Change (IPCC) to provide a special report"), Some(("", "", "Requests the Intergovernmental Panel on Climate Change (IPCC) to provide a special report"))),
];

/// New in the 4 December draft: no paragraph of 23 October became them.
const NEW_ON_DEC4: &[Spec] = &[
    ("", "", "Also notes, in this context, the adaptation needs expressed by developing countries"),
    ("", "", "Notes with concern that the estimated aggregate greenhouse gas emission levels"),
    ("Article 9", "", "The transparency framework shall provide flexibility in the implementation"),
];

/// 5 October 2015 (`8infnot.txt`, the co-chairs' non-paper) → 23 October (`11infnot.txt`).
const OCT5_TO_OCT23: &[Judgement] = &[
    (("Article 7", "", "All Parties, noting the importance of technology to support"), Some(("Article 7", "1", "All Parties, in accordance with the principles"))),
    (("Article 7", "", "consider and adopt a technology framework"), Some(("Article 7", "", "consider and adopt a technology framework in accordance with the guidelines"))),
    (("Article 7", "", "The Technology Mechanism, including the Technology Executive Committee"), Some(("Article 7", "5", ""))),
    (("Article 7", "", "Developing country Parties are eligible for support"), Some(("Article 7", "", "Developing country Parties are eligible for support"))),
    (("Article 8", "", "Capacity-building under this Agreement should facilitate the ability of Parties"), Some(("Article 8", "1", ""))),
    (("Article 8", "", "Capacity-building should be guided by lessons learned on capacity-building under the Convention"), Some(("Article 8", "2", ""))),
    (("Article 8", "", "scale up cooperation to enhance the capacity of Parties in need of support"), Some(("Article 8", "3", ""))),
    (("Article 8", "", "The capacity-building institutional arrangements established under the Convention"), Some(("Article 8", "5", ""))),
    (("Article 8", "", "An international capacity-building mechanism shall be established"), Some(("Article 8", "5", ""))),
    (("Article 9", "", "The purpose of the system for transparency of action is to"), Some(("Article 9", "", "The purpose of the system for transparency of action is to"))),
    (("Article 9", "", "Provide the clearest possible understanding of the emissions of individual Parties"), Some(("Article 9", "", "Provide a clear understanding of the emissions and removals of individual Parties"))),
    (("Article 9", "", "Ensure clarity and tracking of progress made in implementing and achieving"), Some(("Article 9", "", "Ensure clarity and tracking of progress made in implementing and achieving"))),
    (("Article 9", "", "The purpose of the system for transparency of support is to"), Some(("Article 9", "", "The purpose of the system for transparency of support is to"))),
    (("Article 9", "", "Provide, to the extent possible, a full overview of support"), Some(("Article 9", "", "Provide, to the extent possible, a full overview of aggregate support"))),
    (("Article 9", "", "regularly provide complete and accurate information in relation to"), Some(("Article 9", "4", ""))),
    (("Article 9", "", "Its national inventory of anthropogenic emissions by sources"), Some(("Article 9", "", "Its national inventory of anthropogenic emissions by sources"))),
    (("Article 9", "", "elaborating on the provisions above, adopt"), Some(("Article 9", "6", ""))),
    (("Article 9", "", "The need for flexibility in the light of capability"), Some(("Article 9", "", "The need for flexibility in the light of capability"))),
    (("Article 9", "", "The facilitative, non-intrusive nature of review"), Some(("Article 9", "", "The facilitative, non-intrusive nature of review"))),
    (("Article 9", "", "The CMA shall cooperate with the Conference of the Parties to avoid overlap"), Some(("Article 9", "", "The CMA shall cooperate with the Conference of the Parties to avoid overlap"))),
    (("Article 9", "", "Developing country Parties shall be eligible for support to assist"), Some(("Article 9", "", "Developing country Parties shall receive be eligible for support"))),
    (("Article 9", "", "The CMA shall periodically review its decisions and update them"), Some(("Article 9", "", "The CMA shall periodically review its decisions and update them"))),
    (("Article 10", "", "The CMA shall take stock of the implementation of this Agreement to assess aggregate progress"), Some(("Article 10", "1", "The CMA shall periodically take stock of the implementation of this Agreement"))),
    (("Article 10", "", "The CMA shall undertake its first stocktaking in"), Some(("Article 10", "", "The CMA shall undertake its first global stocktake in"))),
    (("Article 12", "", "The Conference of the Parties, the supreme body of the Convention"), Some(("Article 12", "", "The Conference of the Parties, the supreme body of the Convention"))),
    (("Article 12", "", "Adopt its own rules of procedure at its first session"), Some(("Article 12", "", "Adopt its own rules of procedure at its first session"))),
    (("Article 12", "", "Exercise such other functions as may be required"), Some(("Article 12", "", "Exercise such other functions as may be required"))),
    (("Article 12", "", "The United Nations, its specialized agencies and the International Atomic Energy Agency"), Some(("Article 12", "", "The United Nations, its specialized agencies and the International Atomic Energy Agency"))),
    (("Article 13", "", "The secretariat established by Article 8 of the Convention"), Some(("Article 13", "", "The secretariat established by Article 8 of the Convention"))),
    // The draft decision.
    (("", "", "Decides to adopt the Agreement under the United Nations Framework Convention"), Some(("", "", "Decides to adopt the Paris Implementing Agreement under"))),
    (("", "", "Invites the Secretary-General to convene a high"), Some(("", "", "Invites the Secretary-General to convene a high-level signature ceremony"))),
    (("", "", "Recognizes that Parties to the Convention may provisionally apply the Agreement"), Some(("", "", "Recognizes that Parties to the Convention may provisionally apply"))),
    (("", "", "Decides to establish an Intergovernmental Preparatory Committee"), Some(("", "", "Decides to establish an Intergovernmental Preparatory Committee"))),
    (("", "", "Also requests the IPC to report regularly to the COP"), Some(("", "", "Requests the IPC to report regularly to the Conference of the Parties"))),
    (("", "", "Welcomes the intended nationally determined contributions (INDCs) that have been communicated"), Some(("", "", "Welcomes the intended nationally determined contributions (INDCs) that have been communicated"))),
    (("", "", "Reiterates its invitation to all Parties that have not done so"), Some(("", "", "Reiterates its invitation to all Parties that have not yet done so"))),
    (("", "", "Requests the secretariat to continue to publish INDCs"), Some(("", "", "Requests the secretariat to continue to publish the INDCs"))),
    (("", "", "Reiterates its call to developed country Parties, the operating entities"), Some(("", "", "Reiterates its call to developed country Parties and Parties with economies in transition"))),
    (("", "", "Requests the SBI to clarify in a facilitative, non-intrusive and consultative manner"), Some(("", "", "Requests the SBI to clarify in a facilitative, non-intrusive and consultative manner"))),
    (("", "", "Takes note of the synthesis report on the aggregate effect of INDCs"), Some(("", "", "Takes note of Welcomes the synthesis report on the aggregate effect of INDCs"))),
    (("", "", "Requests the secretariat to update the synthesis report referred to in paragraph 15"), Some(("", "", "Requests the secretariat to update the synthesis report referred to in paragraph 17"))),
    (("", "", "Invites all Parties to consider enhancing the ambition of their mitigation efforts"), Some(("", "", "Invites Strongly urges all Parties to consider enhancing the ambition of their mitigation efforts"))),
    (("", "", "Decides Invites the President of the COP to convene a facilitative dialogue"), Some(("", "", "Decides Invites the President of the COP to convene a facilitative dialogue"))),
    (("", "", "No such facilitative dialogue prior to 2020"), Some(("", "", "No such facilitative dialogue prior to 2020"))),
    (("", "", "to develop modalities and procedures for the operation and use of the registry"), Some(("", "", "to develop modalities and procedures for the operation and use of the registry"))),
    (("", "", "interim registry in the first half of 2016 for the recording of nationally"), Some(("", "", "interim registry in the first half of 2016 for the recording of nationally"))),
];

/// Judgements the comparison does not meet yet, by the old paragraph's words,
/// each with why: the test fails if any other judgement is missed (and says
/// so when one of these is met).
const KNOWN_MISSES: &[(&str, &str)] = &[
    ("establish a global goal for technology development", "rewritten as the long-term vision: few shared words, and the gap spans Articles 6 and 7"),
    ("Capacity-building should be country-driven, based on and responsive", "linked to the new paragraph's second half, which the parser cuts off at the page break"),
    ("Article 11 1", "rewritten beyond word evidence; the old paragraph 3 on its nature is merged into the new paragraph 1"),
    ("Durban Platform for Enhanced Action (ADP) in accordance with decision 1/CP.17", "the new paragraph 6 is linked to Option I's paragraph 6, nearly as close in words"),
    ("An international capacity-building mechanism shall be established", "the old option without its label stands apart from its paragraph 4 and shares too few words"),
];

fn known_miss(spec: Spec) -> bool {
    let name = if spec.2.is_empty() { format!("{} {}", spec.0, spec.1) } else { spec.2.to_owned() };
    KNOWN_MISSES.iter().any(|(words, _)| normal(&name).starts_with(&normal(words)))
}

/// Letters and digits of a text, lower case, single spaces: brackets,
/// punctuation and the layout of the PDF extraction do not matter.
fn normal(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_alphanumeric() {
            out.extend(c.to_lowercase());
        } else if !out.ends_with(' ') && !out.is_empty() {
            out.push(' ');
        }
    }
    out.trim_end().to_owned()
}

/// Whether a heading id is the one named: `Article 8` is also `Article 8bis`
/// and `Article 8 (2)`, never `Article 80`.
fn heading_is(id: &str, named: &str) -> bool {
    named.is_empty()
        || id.strip_prefix(named).is_some_and(|rest| !rest.starts_with(|c: char| c.is_ascii_digit()))
}

fn matches(d: &Draft, p: &Paragraph, (heading, number, words): Spec) -> bool {
    // A paragraph stands under its own heading, or under an article heading
    // the parser read as a paragraph just before it (`Article 8bis`).
    let under = heading_is(p.heading.as_deref().unwrap_or(""), heading) || {
        let i = d.paragraphs.iter().position(|q| q.id == p.id).unwrap_or(0);
        d.paragraphs[..i]
            .iter()
            .rev()
            .take(4)
            .any(|q| heading.starts_with("Article ") && heading_is(&q.text, heading))
    };
    under
        && (number.is_empty() || p.number.as_deref().map(normal) == Some(normal(number)))
        && normal(&p.text).contains(&normal(words))
}

/// The paragraph named, or (for a new paragraph named by its number) the
/// paragraph whose root is the one named.
fn find(d: &Draft, spec: Spec) -> Vec<&Paragraph> {
    d.paragraphs.iter().filter(|p| matches(d, p, spec)).collect()
}

fn root_of<'d>(d: &'d Draft, mut p: &'d Paragraph) -> &'d Paragraph {
    for _ in 0..8 {
        match p.parent.as_deref().and_then(|id| d.paragraphs.iter().find(|q| q.id == id)) {
            Some(q) => p = q,
            None => break,
        }
    }
    p
}

/// Checks each judgement; returns the ones the comparison gets wrong, in words.
fn check(old: &Draft, new: &Draft, c: &Comparison, judgements: &[Judgement]) -> (usize, Vec<String>, usize) {
    let mut wrong = Vec::new();
    let mut total = 0;
    let mut known = 0;
    for &(o, n) in judgements {
        total += 1;
        let before = wrong.len();
        check_one(old, new, c, o, n, &mut wrong);
        if wrong.len() > before && known_miss(o) {
            known += 1;
            let w = wrong.pop().expect("just pushed");
            eprintln!("  known miss: {w}");
        } else if known_miss(o) {
            eprintln!("  known miss now met, take it off KNOWN_MISSES: {o:?}");
        }
    }
    (total, wrong, known)
}

fn check_one(old: &Draft, new: &Draft, c: &Comparison, o: Spec, n: Option<Spec>, wrong: &mut Vec<String>) {
    {
        let olds = find(old, o);
        let [op] = olds.as_slice() else {
            wrong.push(format!("old {o:?}: names {} paragraphs, not one", olds.len()));
            return;
        };
        let Some(link) = c.paragraphs.iter().find(|l| l.old.contains(&op.id)) else {
            wrong.push(format!("old {o:?} ({}): in no link", op.id));
            return;
        };
        let ok = match n {
            None => link.relation == Relation::Deleted,
            Some(n) => {
                if find(new, n).is_empty() {
                    wrong.push(format!("new {n:?}: names no paragraph"));
                    return;
                }
                link.new.iter().any(|id| {
                    let p = new.paragraphs.iter().find(|p| &p.id == id).expect("linked paragraph exists");
                    matches(new, p, n) || (!n.1.is_empty() && matches(new, root_of(new, p), n))
                })
            }
        };
        if !ok {
            wrong.push(format!(
                "old {o:?} ({}) → expected {n:?}, got {} {:?}",
                op.id,
                link.relation.as_str(),
                link.new
            ));
        }
    }
}

/// Checks that each paragraph named is new (no old paragraph became it).
fn check_fresh(new: &Draft, c: &Comparison, fresh: &[Spec], wrong: &mut Vec<String>) {
    for &n in fresh {
        let news = find(new, n);
        let [np] = news.as_slice() else {
            wrong.push(format!("new {n:?}: names {} paragraphs, not one", news.len()));
            continue;
        };
        let link =
            c.paragraphs.iter().find(|l| l.new.contains(&np.id)).expect("every new paragraph is linked");
        if link.relation != Relation::New {
            wrong.push(format!(
                "new {n:?} ({}): expected new, got {} from {:?}",
                np.id,
                link.relation.as_str(),
                link.old
            ));
        }
    }
}

fn run(old_name: &str, new_name: &str, judgements: &[Judgement], fresh: &[Spec]) -> (usize, Vec<String>) {
    let old = parse(&common::read_shared(&format!("{DRAFTS}/{old_name}")));
    let new = parse(&common::read_shared(&format!("{DRAFTS}/{new_name}")));
    let c = compare(&old, &new);
    let (total, mut wrong, known) = check(&old, &new, &c, judgements);
    check_fresh(&new, &c, fresh, &mut wrong);
    let total = total + fresh.len();
    let right = total - wrong.len() - known;
    eprintln!(
        "{old_name} → {new_name}: {right} of {total} hand-checked links right ({:.1}%)",
        100.0 * right as f64 / total as f64
    );
    for w in &wrong {
        eprintln!("  wrong: {w}");
    }
    (total, wrong)
}

#[test]
fn lineage_23_october_to_4_december_as_read_by_hand() {
    let (total, wrong) = run("11infnot.txt", "adp_compilation_4dec15_10am.txt", OCT23_TO_DEC4, NEW_ON_DEC4);
    assert!(total >= 40);
    assert!(wrong.is_empty(), "{} of {total} wrong:\n{}", wrong.len(), wrong.join("\n"));
}

#[test]
fn lineage_5_october_to_23_october_as_read_by_hand() {
    let (total, wrong) = run("8infnot.txt", "11infnot.txt", OCT5_TO_OCT23, &[]);
    assert!(total >= 40);
    assert!(wrong.is_empty(), "{} of {total} wrong:\n{}", wrong.len(), wrong.join("\n"));
}
