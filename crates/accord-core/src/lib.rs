//! # accord-core
//!
//! The document model of an intergovernmental negotiation draft and the
//! parser that reads real drafts into it — faithfully: every paragraph,
//! number, heading, status and bracket, nothing invented, nothing lost.
//!
//! This crate is pure and synchronous: functions from text to model and back.
//! It does no I/O (no files, no network, no clock), so every other part of
//! Accord — the command line, the store, the server — can rely on it and test
//! it without setting anything up.
//!
//! ```
//! let draft = accord_core::parse("Preamble\n\n1. Recalling its resolution 70/1,\n\n\
//!     1. Decides\n\n2. We agree to hold a meeting in [2020/2025]. [Suggested for Closure]\n");
//! let p = draft.paragraphs.iter().find(|p| p.id == "2").unwrap();
//! assert_eq!(p.status, accord_core::Status::SuggestedForClosure);
//! assert_eq!(p.brackets[0].alternatives.as_deref(), Some(&["2020".to_string(), "2025".to_string()][..]));
//! ```
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub(crate) mod brackets;
pub mod canonical;
pub mod compare;
pub mod emphasis;
mod front;
mod furniture;
mod label;
pub mod lines;
pub mod markdown;
mod model;
pub mod negotiation;
mod outline;
mod parse;
pub mod readiness;
mod references;
pub mod render;
pub mod source;
mod status;
pub mod tokens;
pub mod trace;
pub mod words;

pub use brackets::MAX_BRACKET_DEPTH;
pub use compare::{compare, Comparison};
pub use model::*;
pub use parse::{parse, parse_owned};
pub use readiness::{readiness, Readiness};
pub use source::{decode, decode_owned, InputError, DEFAULT_MAX_INPUT_BYTES};
