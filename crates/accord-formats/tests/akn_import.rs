//! Import: Akoma Ntoso from other tools gives its text; hostile XML (bombs,
//! external entities, deep nesting, huge attributes, broken encodings) is
//! refused with a line and column, never a panic, in time linear in the input.

mod akn_common;

use std::time::{Duration, Instant};

use accord_formats::akn::{self, AknError, AknOptions};
use akn_common::*;

fn all_text(d: &accord_core::Draft) -> String {
    d.paragraphs.iter().map(|p| p.text.as_str()).collect::<Vec<_>>().join("\n")
}

#[test]
fn the_oasis_examples_give_their_text() {
    let ke = read_shared("standards/akoma-ntoso/oasis-example-debate-ke_Debate_Bungeni_2011-06-10.xml");
    let d = akn::read(ke.as_bytes()).expect("Kenyan debate reads");
    let text = all_text(&d);
    assert!(text.contains("Mr. Deputy Speaker, I beg to move to the following Motion-"), "{text}");
    assert!(text.contains("The House met at 10.02 a.m."), "{text}");
    assert!(d.headings.len() >= 2, "{:?}", d.headings);
    let cl = read_shared("standards/akoma-ntoso/oasis-example-debate-cl_Sesion56_2.xml");
    let d = akn::read(cl.as_bytes()).expect("Chilean debate reads");
    assert!(d.paragraphs.len() > 200, "{} paragraphs", d.paragraphs.len());
    assert!(d.paragraphs.iter().all(|p| !p.text.contains("  ") && p.text == p.text.trim()));
}

#[test]
fn foreign_structure_maps_to_headings_paragraphs_and_brackets() {
    let xml = r##"<?xml version="1.0"?>
<akomaNtoso xmlns="http://docs.oasis-open.org/legaldocml/ns/akn/3.0">
  <statement name="resolution">
    <meta><identification source="#x"/></meta>
    <preface><p><docTitle>Ocean data</docTitle></p></preface>
    <preamble>
      <formula name="enactingFormula"><p>The General Assembly,</p></formula>
      <container name="recalling"><p>Recalling its resolution 70/1,</p></container>
    </preamble>
    <mainBody>
      <section eId="sec_I"><num>I</num><heading>Introduction</heading>
        <paragraph eId="para_1"><num>1.</num>
          <content><p>Decides to meet in
            <inline name="bracket">2020/2025</inline>;</p></content>
        </paragraph>
        <paragraph eId="para_2"><num>2.</num>
          <list><intro><p>Requests:</p></intro>
            <point><num>(a)</num><content><p>a report;</p></content></point>
          </list>
        </paragraph>
      </section>
    </mainBody>
  </statement>
</akomaNtoso>"##;
    let d = akn::read(xml.as_bytes()).unwrap();
    assert_eq!(d.title.as_deref(), Some("Ocean data"));
    assert_eq!(d.headings.len(), 1);
    assert_eq!((d.headings[0].id.as_str(), d.headings[0].title.as_str()), ("I", "Introduction"));
    let texts: Vec<(&str, &str)> = d.paragraphs.iter().map(|p| (p.id.as_str(), p.text.as_str())).collect();
    assert!(texts.contains(&("1", "Decides to meet in [2020/2025];")), "{texts:?}");
    let p1 = d.paragraphs.iter().find(|p| p.id == "1").unwrap();
    assert_eq!(p1.brackets.len(), 1);
    assert_eq!(p1.brackets[0].alternatives.as_deref(), Some(&["2020".to_string(), "2025".to_string()][..]));
    assert_eq!(p1.heading.as_deref(), Some("I"));
    let a = d.paragraphs.iter().find(|p| p.text == "a report;").unwrap();
    assert_eq!(a.number.as_deref(), Some("(a)"));
    assert!(d.paragraphs.iter().any(|p| p.text == "Recalling its resolution 70/1,"
        && p.kind == accord_core::ParagraphKind::Preambular
        && p.references.iter().any(|r| r.symbol.as_deref() == Some("70/1"))));
}

fn expect_err(bytes: &[u8]) -> AknError {
    let start = Instant::now();
    let r = akn::read(bytes);
    assert!(start.elapsed() < Duration::from_secs(20), "took {:?}", start.elapsed());
    r.expect_err("hostile input must be refused")
}

#[test]
fn xml_bombs_and_external_entities_are_refused_at_their_line() {
    let bomb = r#"<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol9 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<akomaNtoso>&lol9;</akomaNtoso>"#;
    match expect_err(bomb.as_bytes()) {
        AknError::Xml { line: 2, column: 1, message } => assert!(message.contains("DTD"), "{message}"),
        e => panic!("{e:?}"),
    }
    let xxe = "<?xml version=\"1.0\"?>\n<!DOCTYPE akomaNtoso [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>\n<akomaNtoso>&x;</akomaNtoso>";
    assert!(matches!(expect_err(xxe.as_bytes()), AknError::Xml { line: 2, .. }));
    let remote = "<!DOCTYPE akomaNtoso SYSTEM \"http://example.org/akn.dtd\"><akomaNtoso/>";
    assert!(matches!(expect_err(remote.as_bytes()), AknError::Xml { line: 1, .. }));
    // An entity with no DTD to define it.
    let undefined = "<akomaNtoso>\n<statement>&x;</statement></akomaNtoso>";
    let e = expect_err(undefined.as_bytes());
    assert!(matches!(e, AknError::Xml { line: 2, .. }), "{e:?}");
    assert!(e.to_string().starts_with("line 2, column "), "{e}");
}

#[test]
fn deep_nesting_is_refused_with_its_position() {
    for depth in [10_000usize, 200_000] {
        let mut xml = String::from(
            "<akomaNtoso xmlns=\"http://docs.oasis-open.org/legaldocml/ns/akn/3.0\">\n<statement>",
        );
        xml.push_str(&"<division>".repeat(depth));
        xml.push_str(&"</division>".repeat(depth));
        xml.push_str("</statement></akomaNtoso>");
        match expect_err(xml.as_bytes()) {
            AknError::TooDeep { line: 2, column, limit } => {
                assert_eq!(limit, 256);
                assert!(column > 2000, "{column}");
            }
            e => panic!("{depth}: {e:?}"),
        }
    }
    // Just under the limit still reads.
    let mut xml = String::from("<akomaNtoso><statement><mainBody>");
    xml.push_str(&"<division><num>1</num>".repeat(200));
    xml.push_str(&"</division>".repeat(200));
    xml.push_str("</mainBody></statement></akomaNtoso>");
    assert_eq!(akn::read(xml.as_bytes()).unwrap().headings.len(), 200);
}

#[test]
fn huge_attributes_and_text_read_in_linear_time() {
    let big = "x".repeat(5_000_000);
    let xml = format!(
        "<akomaNtoso><statement><mainBody><paragraph eId=\"{big}\"><num>1</num><content><p>{big}</p></content></paragraph></mainBody></statement></akomaNtoso>"
    );
    let start = Instant::now();
    let d = akn::read(xml.as_bytes()).unwrap();
    assert!(start.elapsed() < Duration::from_secs(20), "{:?}", start.elapsed());
    assert_eq!(d.paragraphs[0].text.len(), big.len());
}

#[test]
fn broken_files_get_a_line_and_column() {
    let seed = accord_core::parse(&read_shared("seeds/000_a85ec3b89659f1a1.txt"));
    let xml = akn::write(&seed, &AknOptions::default());
    // Cut in the middle: not well-formed, the error points past the first line.
    let cut = &xml.as_bytes()[..xml.len() / 2];
    match expect_err(cut) {
        AknError::Xml { line, message, .. } => assert!(line > 100, "{line} {message}"),
        e => panic!("{e:?}"),
    }
    let mut bad = b"<akomaNtoso>\n<statement>\n<p>caf".to_vec();
    bad.extend([0xC3, 0x28]);
    bad.extend(b"</p></statement></akomaNtoso>");
    assert_eq!(expect_err(&bad), AknError::Encoding { offset: 31, line: 3, column: 7 });
    assert!(matches!(expect_err(b"<html><body/></html>"), AknError::NotAkn { line: 1, column: 1, .. }));
    assert!(matches!(expect_err(b"<akomaNtoso><foo/></akomaNtoso>"), AknError::NotAkn { .. }));
    assert!(matches!(expect_err(b""), AknError::Xml { .. }));
}
