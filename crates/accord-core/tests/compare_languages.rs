//! Comparison in the six UN languages, on the Universal Declaration of Human
//! Rights (`../shared/corpus/udhr/`): each language's articles become a draft,
//! one article is edited, another moved; `compare` must find exactly those,
//! with word spans that fall on the edited words — including Chinese, written
//! without spaces, and Arabic, written right to left.

mod common;

use accord_core::compare::Relation;
use accord_core::{compare, parse};

/// The articles of one language, as plain text (tags stripped, spaces collapsed).
fn articles(lang: &str) -> Vec<String> {
    let html = common::read_shared(&format!("corpus/udhr/udhr-{lang}.html"));
    let mut out = Vec::new();
    let mut rest = html.as_str();
    while let Some(i) = rest.find("<article data-number=") {
        let body = &rest[i..];
        let end = body.find("</article>").unwrap_or(body.len());
        let mut text = String::new();
        let mut in_tag = false;
        for c in body[..end].chars() {
            match c {
                '<' => in_tag = true,
                '>' => {
                    in_tag = false;
                    text.push(' ');
                }
                _ if !in_tag => text.push(c),
                _ => {}
            }
        }
        let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
        // Drop the article's own heading ("Article 19", "第十九条"): keep the body.
        let body_text = text.split_once(' ').map(|(_, b)| b.to_owned()).unwrap_or(text);
        out.push(body_text);
        rest = &body[end..];
    }
    out
}

fn draft(paragraphs: &[String]) -> String {
    let mut s = String::from("Declaration – 10 December 1948\n\n");
    for (i, p) in paragraphs.iter().enumerate() {
        s.push_str(&format!("{}. {}\n", i + 1, p));
    }
    s
}

#[test]
fn edits_are_found_in_all_six_languages() {
    for lang in ["eng", "fra", "spa", "rus", "arb", "cmn_hans"] {
        let old = articles(lang);
        assert_eq!(old.len(), 30, "{lang}: 30 articles");
        let mut new = old.clone();
        // Article 19: drop its last word (or character, in Chinese), keeping the final mark.
        let a19 = &new[18];
        let cut = if lang == "cmn_hans" {
            let chars: Vec<char> = a19.chars().collect();
            let n = chars.len();
            chars[..n - 3].iter().chain(&chars[n - 1..]).collect::<String>()
        } else {
            let mut words: Vec<&str> = a19.split(' ').collect();
            let last = words.pop().unwrap();
            let mark: String = last.chars().rev().take_while(|c| !c.is_alphanumeric()).collect();
            words.pop(); // and the word before it
            format!("{}{}", words.join(" "), mark.chars().rev().collect::<String>())
        };
        new[18] = cut;
        // Article 3 moved to the end.
        let a3 = new.remove(2);
        new.push(a3);
        let (od, nd) = (parse(&draft(&old)), parse(&draft(&new)));
        assert_eq!((od.paragraphs.len(), nd.paragraphs.len()), (30, 30), "{lang}");
        let c = compare(&od, &nd);
        let changed: Vec<_> = c.paragraphs.iter().filter(|l| l.relation == Relation::Changed).collect();
        assert_eq!(changed.len(), 1, "{lang}: one changed article, got {:?}", c.summary.relations);
        let l = changed[0];
        assert_eq!(l.old, ["19"], "{lang}");
        assert_eq!(l.new, ["18"], "{lang}");
        assert!(l.class.is_some());
        // Every change is a deletion at the end of the article.
        assert!(l.changes.iter().all(|ch| ch.kind == "delete"), "{lang}: {:?}", l.changes);
        let old_len = od.paragraphs[18].text.chars().count() as u32;
        // …at the end of the article: the spans point at the removed words.
        assert!(
            l.changes.iter().all(|ch| ch.old_span[1] <= old_len && ch.old_span[0] * 4 >= old_len * 3),
            "{lang}"
        );
        let moved: Vec<_> = c.paragraphs.iter().filter(|l| l.relation == Relation::Moved).collect();
        assert_eq!(moved.len(), 1, "{lang}: one moved article");
        assert_eq!(
            (moved[0].old.as_slice(), moved[0].new.as_slice()),
            (&["3".to_string()][..], &["30".to_string()][..])
        );
        assert!(c.paragraphs.iter().filter(|l| l.relation == Relation::Renumbered).count() >= 26, "{lang}");
    }
}
