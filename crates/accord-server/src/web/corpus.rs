//! The corpus of adopted texts on the web (`accord serve --corpus DIR`): the
//! list, and each text with one anchor per paragraph or article, so that a
//! citation in a draft ("paragraph 111 of the Tunis Agenda") leads to the
//! passage it cites. Adopted texts are public: no login is needed.

use super::*;

use accord_core::trace::CorpusDocument;

/// One unit of an adopted text as the page shows it.
pub struct UnitView {
    anchor: String,
    number: String,
    text: String,
}

#[derive(Template)]
#[template(path = "corpus.html")]
pub(super) struct CorpusPage {
    frame: Frame,
    /// (name, symbol, link, what it holds) of every document; empty on a document's page.
    documents: Vec<(String, String, String, usize)>,
    /// The document shown, if one.
    name: String,
    symbol: String,
    date: String,
    units: Vec<UnitView>,
    /// The server has no corpus.
    none: bool,
}

fn empty(v: &Viewer) -> CorpusPage {
    CorpusPage {
        frame: frame(v),
        documents: Vec::new(),
        name: String::new(),
        symbol: String::new(),
        date: String::new(),
        units: Vec::new(),
        none: false,
    }
}

/// `GET /corpus`: the adopted texts drafts are checked against.
pub(super) async fn corpus_index(State(web): State<Web>, headers: HeaderMap) -> Response {
    let v = web.viewer(&headers).await;
    let mut p = empty(&v);
    match web.ws.corpus() {
        None => p.none = true,
        Some(c) => {
            p.documents = c
                .documents
                .iter()
                .map(|d| {
                    (d.name.clone(), d.symbol.clone(), markup::corpus_href(&d.symbol, None), d.units.len())
                })
                .collect();
        }
    }
    page(&v, &p)
}

/// `GET /corpus/{symbol}`: one adopted text (the symbol may hold slashes:
/// `/corpus/A/RES/70/1`).
pub(super) async fn corpus_document(
    State(web): State<Web>,
    headers: HeaderMap,
    Path(symbol): Path<String>,
) -> Response {
    let v = web.viewer(&headers).await;
    let corpus = web.ws.corpus();
    let doc: Option<&CorpusDocument> =
        corpus.as_deref().and_then(|c| c.documents.iter().find(|d| d.symbol == symbol));
    let Some(d) = doc else {
        let e = ApiError::not_found(format!("the corpus holds no text `{symbol}`"));
        return error_page(&v, &headers, e, "/corpus");
    };
    let mut p = empty(&v);
    p.name = d.name.clone();
    p.symbol = d.symbol.clone();
    p.date = d.date.clone().unwrap_or_default();
    p.units = d
        .units
        .iter()
        .map(|u| UnitView {
            anchor: markup::unit_anchor(&u.number),
            number: u.number.clone(),
            text: u.text.clone(),
        })
        .collect();
    page(&v, &p)
}
