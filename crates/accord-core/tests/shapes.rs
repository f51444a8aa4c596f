//! The shapes of issue 12, each read into the model as a reader sees it:
//! documents numbered decimally throughout (the SDG targets, built from
//! `../shared/corpus/sdg/` at test time), treaty hierarchy, number labels,
//! option blocks, editorial notes, unnumbered preambles, Word-saved text.
//! Every test also checks that no word is lost.

mod common;

use accord_core::{parse, Draft};

fn load(text: &str) -> Draft {
    let d = parse(text);
    assert_eq!(common::word_balance(text, &d), vec![], "no word lost");
    d
}

/// `key: value` entries of the corpus's flat YAML files (values folded over
/// indented continuation lines), in file order.
fn yaml_entries(text: &str) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    for line in text.lines() {
        if let Some(rest) = line.strip_prefix("  ") {
            if let Some((_, v)) = out.last_mut() {
                v.push(' ');
                v.push_str(rest.trim());
            }
        } else if let Some((k, v)) = line.split_once(": ") {
            out.push((k.to_owned(), v.trim().to_owned()));
        }
    }
    for (_, v) in out.iter_mut() {
        if v.starts_with('\'') && v.ends_with('\'') && v.len() >= 2 {
            *v = v[1..v.len() - 1].replace("''", "'");
        }
    }
    out
}

/// The 169 targets as `(goal, target, text)` in the order the 2030 Agenda
/// lists them: by goal, numbered targets before lettered ones.
fn sdg_targets() -> Vec<(u32, String, String)> {
    let text = common::read_shared("corpus/sdg/sdg-global-targets-en.yml");
    let mut targets: Vec<(u32, String, String)> = yaml_entries(&text)
        .into_iter()
        .filter_map(|(k, v)| {
            let k = k.strip_suffix("-title")?;
            let (g, t) = k.split_once('-')?;
            Some((g.parse().ok()?, t.to_owned(), v))
        })
        .collect();
    let order = |t: &str| t.parse::<u32>().map_or((1, 0, t.to_owned()), |n| (0, n, String::new()));
    targets.sort_by_key(|(g, t, _)| (*g, order(t)));
    targets
}

#[test]
fn sdg_targets_numbered_decimally_are_each_a_paragraph() {
    let targets = sdg_targets();
    assert_eq!(targets.len(), 169);
    // As saved from Word: one target per line, the number typed as text.
    let text: String = targets.iter().map(|(g, t, v)| format!("{g}.{t} {v}\n")).collect();
    let d = load(&text);
    let numbers: Vec<String> = targets.iter().map(|(g, t, _)| format!("{g}.{t}")).collect();
    let got: Vec<&str> = d.paragraphs.iter().map(|p| p.number.as_deref().unwrap_or("-")).collect();
    assert_eq!(got, numbers);
    for (p, (_, _, v)) in d.paragraphs.iter().zip(&targets) {
        assert_eq!(&p.text, v);
        assert_eq!(p.parent, None);
    }
    assert!(d.headings.is_empty(), "{:?}", d.headings);
    assert!(d.diagnostics.is_empty(), "{:?}", d.diagnostics);
}

#[test]
fn sdg_goals_with_their_targets_below_them() {
    let goals = yaml_entries(&common::read_shared("corpus/sdg/sdg-global-goals-en.yml"));
    let targets = sdg_targets();
    let mut text = String::from("Transforming our world: the 2030 Agenda for Sustainable Development\n\n");
    for g in 1..=17u32 {
        let title = &goals.iter().find(|(k, _)| *k == format!("{g}-title")).unwrap().1;
        text.push_str(&format!("{g}. {title}\n"));
        for (_, t, v) in targets.iter().filter(|x| x.0 == g) {
            text.push_str(&format!("    {g}.{t}\t{v}\n"));
        }
    }
    let d = load(&text);
    let tops: Vec<&str> = d.paragraphs.iter().filter(|p| p.parent.is_none()).map(|p| p.id.as_str()).collect();
    let goal_ids: Vec<String> = (1..=17).map(|g| g.to_string()).collect();
    assert_eq!(tops, goal_ids);
    let subs: Vec<(&str, &str)> =
        d.paragraphs.iter().filter_map(|p| Some((p.number.as_deref()?, p.parent.as_deref()?))).collect();
    assert_eq!(subs.len(), 169);
    for (n, parent) in subs {
        assert_eq!(n.split('.').next(), Some(parent), "{n} under goal {parent}");
    }
}
