//! Brackets at the scale of an attack: deep nests and long runs of pairs
//! parse in work linear in the input, the depth is capped with a diagnostic,
//! and the canonical form still reads back to the same draft.

use accord_core::{canonical, parse, Draft, MAX_BRACKET_DEPTH};

/// Every bracket's text, added up: what parsing copied for brackets.
fn bracket_bytes(d: &Draft) -> usize {
    d.paragraphs.iter().flat_map(|p| &p.brackets).map(|b| b.text.len()).sum()
}

fn without_diagnostics(mut d: Draft) -> Draft {
    d.diagnostics.clear();
    d
}

/// 20,000 nested pairs on one line took 4 s and 463 MB; 100,000 over 6 GB.
#[test]
fn a_deep_nest_is_capped_with_one_diagnostic() {
    for n in [20_000, 100_000] {
        let text = format!("1. Decides {}to act{} by 2030.\n", "[".repeat(n), "]".repeat(n));
        let d = parse(&text);
        let p = &d.paragraphs[0];
        assert_eq!(p.brackets.len(), MAX_BRACKET_DEPTH as usize);
        assert!(bracket_bytes(&d) <= MAX_BRACKET_DEPTH as usize * p.text.len());
        let deep: Vec<_> = d.diagnostics.iter().filter(|x| x.code == "bracket-depth").collect();
        assert_eq!(deep.len(), 1, "{:?}", d.diagnostics.iter().take(3).collect::<Vec<_>>());
        assert_eq!((deep[0].line, deep[0].column), (1, 12 + MAX_BRACKET_DEPTH));
        assert!(!d.diagnostics.iter().any(|x| x.code == "unbalanced-bracket"));
        // The text is kept whole, and the canonical form reads back the same.
        assert!(p.text.ends_with(&format!("to act{} by 2030.", "]".repeat(n))));
        let back = parse(&canonical::write(&d));
        assert_eq!(without_diagnostics(back), without_diagnostics(d.clone()));
    }
}

/// Nests the depth of real drafts (the Paris texts reach 9) are read whole.
#[test]
fn real_depths_are_read_whole() {
    let d = parse("1. Parties [shall [a [b [c [d [e [f [g [h]]]]]]]] act].\n");
    assert_eq!(d.paragraphs[0].brackets.iter().map(|b| b.depth).max(), Some(9));
    assert!(d.diagnostics.iter().all(|x| x.code != "bracket-depth"));
}

/// Many flat pairs on one long line: each bracket's text is found without
/// walking the line from its start (which was quadratic).
#[test]
fn a_long_run_of_pairs_copies_each_once() {
    let text = format!("1. {}.\n", "[shall][should] ".repeat(50_000));
    let d = parse(&text);
    let p = &d.paragraphs[0];
    assert_eq!(p.brackets.len(), 100_000);
    assert!(bracket_bytes(&d) <= p.text.len());
    assert_eq!(p.brackets.iter().filter(|b| b.follows_bracket).count(), 99_999);
}
