//! The typst `World` a circulation PDF is compiled in: one template, one
//! data file, the fonts, and nothing else — no file system, no packages, no
//! network, no clock. Whatever the draft says, typst can reach nothing but
//! these.

use std::sync::LazyLock;

use typst::diag::{FileError, FileResult};
use typst::foundations::{Bytes, Datetime};
use typst::syntax::{FileId, Source, VirtualPath};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};

/// The template: how a draft is laid out (see `template.typ`).
const TEMPLATE: &str = include_str!("template.typ");

/// Where the template finds the draft.
const DATA_PATH: &str = "/draft.json";

/// The standard library, built once per process.
static LIBRARY: LazyLock<LazyHash<Library>> = LazyLock::new(|| LazyHash::new(Library::default()));

static MAIN: LazyLock<FileId> = LazyLock::new(|| FileId::new(None, VirtualPath::new("/main.typ")));
static DATA: LazyLock<FileId> = LazyLock::new(|| FileId::new(None, VirtualPath::new(DATA_PATH)));

/// One compilation's world: the template, the draft as JSON, the fonts.
pub(crate) struct PrintWorld {
    main: Source,
    data: Bytes,
    book: LazyHash<FontBook>,
    fonts: Vec<Font>,
}

impl PrintWorld {
    /// A world holding `data` (the draft as JSON) and `fonts`.
    pub fn new(data: Vec<u8>, fonts: Vec<Font>) -> Self {
        PrintWorld {
            main: Source::new(*MAIN, TEMPLATE.to_owned()),
            data: Bytes::new(data),
            book: LazyHash::new(FontBook::from_fonts(&fonts)),
            fonts,
        }
    }
}

impl World for PrintWorld {
    fn library(&self) -> &LazyHash<Library> {
        &LIBRARY
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &self.book
    }

    fn main(&self) -> FileId {
        *MAIN
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == *MAIN {
            Ok(self.main.clone())
        } else {
            Err(FileError::NotFound(id.vpath().as_rootless_path().into()))
        }
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if id == *DATA {
            Ok(self.data.clone())
        } else {
            Err(FileError::NotFound(id.vpath().as_rootless_path().into()))
        }
    }

    fn font(&self, index: usize) -> Option<Font> {
        self.fonts.get(index).cloned()
    }

    fn today(&self, _offset: Option<i64>) -> Option<Datetime> {
        // The same draft prints to the same bytes: no clock.
        None
    }
}
