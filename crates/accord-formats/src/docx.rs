//! Word (.docx) import and export. (Being written; see issue 13.)
