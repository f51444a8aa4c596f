//! Akoma Ntoso 3.0 (AKN4UN) export and import. (Being written; see issue 14.)
