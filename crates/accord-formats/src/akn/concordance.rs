//! The concordance of two drafts in Akoma Ntoso: the new draft's export
//! with `analysis/passiveModifications`, one `textualMod` per lineage entry
//! that is not unchanged, and every paragraph's identity carried from the
//! old draft (see `identity.rs` for splits and merges).
//!
//! Relations map to AKN's modification types: renumbered → `renumbering`,
//! changed → `substitution`, moved → `substitution` when its words changed,
//! else `renumbering`, split → `split`, merged → `join`, new → `insertion`,
//! deleted → `repeal`. Each `source` points at the old paragraph in the old
//! draft's expression IRI, each `destination` at the new paragraph here (for
//! a repeal: at the old paragraph, which is gone).

use std::collections::HashMap;

use accord_core::compare::{Comparison, Relation};
use accord_core::Draft;

use super::identity::{paragraph_eids, Identity};
use super::write::{frame, write_with};
use super::xml::attr;
use super::AknOptions;

/// The new draft as Akoma Ntoso with the concordance from the old one.
/// `old_identity` is the old draft's (from [`super::read_identity`] on its
/// export); fresh identities of `old` when absent. The options describe
/// the new draft; their `identity` is replaced by the one carried along
/// the lineage.
pub fn concordance(
    comparison: &Comparison,
    old: &Draft,
    new: &Draft,
    old_identity: Option<&Identity>,
    options: &AknOptions,
) -> String {
    let fresh;
    let old_identity = match old_identity {
        Some(i) => i,
        None => {
            fresh = Identity::fresh(old, options.symbol.as_deref());
            &fresh
        }
    };
    let identity = old_identity.follow(comparison, new);
    let old_frame = frame(old, &AknOptions { date: None, identity: None, ..options.clone() });
    let old_eids_v = paragraph_eids(old);
    let old_eids: HashMap<&str, &str> =
        old.paragraphs.iter().map(|p| p.id.as_str()).zip(old_eids_v.iter().map(|s| s.as_str())).collect();
    let new_eids_v = paragraph_eids(new);
    let new_eids: HashMap<&str, &str> =
        new.paragraphs.iter().map(|p| p.id.as_str()).zip(new_eids_v.iter().map(|s| s.as_str())).collect();
    let mut a = String::new();
    let mut n = 0;
    for link in &comparison.paragraphs {
        let kind = match link.relation {
            Relation::Unchanged => continue,
            Relation::Renumbered => "renumbering",
            Relation::Changed => "substitution",
            Relation::Moved if link.class.is_some() => "substitution",
            Relation::Moved => "renumbering",
            Relation::Split => "split",
            Relation::Merged => "join",
            Relation::New => "insertion",
            Relation::Deleted => "repeal",
        };
        n += 1;
        a.push_str("<textualMod");
        attr(&mut a, "type", kind);
        attr(&mut a, "eId", &format!("pmod_{n}"));
        attr(&mut a, "accord:relation", link.relation.as_str());
        if let Some(c) = link.class {
            attr(
                &mut a,
                "accord:class",
                if c == accord_core::compare::Class::Substantive { "substantive" } else { "marginal" },
            );
        }
        a.push_str(">\n");
        let old_href =
            |id: &str| format!("{}#{}", old_frame.expression, old_eids.get(id).copied().unwrap_or(id));
        if link.old.is_empty() {
            a.push_str("<source");
            attr(&mut a, "href", &old_frame.expression);
            a.push_str("/>\n");
        }
        for id in &link.old {
            a.push_str("<source");
            attr(&mut a, "href", &old_href(id));
            a.push_str("/>\n");
        }
        if link.new.is_empty() {
            for id in &link.old {
                a.push_str("<destination");
                attr(&mut a, "href", &old_href(id));
                a.push_str("/>\n");
            }
        }
        for id in &link.new {
            a.push_str("<destination");
            attr(&mut a, "href", &format!("#{}", new_eids.get(id.as_str()).copied().unwrap_or(id)));
            a.push_str("/>\n");
        }
        a.push_str("</textualMod>\n");
    }
    let analysis = (n > 0).then(|| format!("<analysis source=\"#accord\">\n<passiveModifications>\n{a}</passiveModifications>\n</analysis>\n"));
    let options = AknOptions { identity: Some(identity), ..options.clone() };
    write_with(new, &options, analysis.as_deref())
}
