//! PDF import. (Being written; see issue 13.)
