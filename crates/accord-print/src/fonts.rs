//! The fonts a circulation PDF is set in, read from the Debian Noto packages
//! installed on the machine (`fonts-noto-core`, `fonts-noto-cjk`), never
//! downloaded.
//!
//! Only the few files the template names are read, and each only once per
//! process: the Chinese, Japanese and Korean collection is 53 MB, so it is
//! read only when a draft holds Han or Kana characters, and a server that
//! prints many drafts reads it once.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};

use typst::foundations::Bytes;
use typst::text::Font;

use crate::PrintError;

/// The Debian directories the Noto packages install into.
pub const DEBIAN_FONT_DIRS: [&str; 2] = ["/usr/share/fonts/truetype/noto", "/usr/share/fonts/opentype/noto"];

/// Which writing systems a draft needs fonts for, beyond Latin, Greek and Cyrillic.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct Scripts {
    /// Arabic letters.
    pub arabic: bool,
    /// Han, Kana or Hangul.
    pub cjk: bool,
}

impl Scripts {
    /// The scripts `text` is written in.
    pub fn of(text: &str) -> Scripts {
        let mut s = Scripts::default();
        for c in text.chars() {
            if is_arabic(c) {
                s.arabic = true;
            } else if is_cjk(c) {
                s.cjk = true;
            }
            if s.arabic && s.cjk {
                break;
            }
        }
        s
    }

    /// Both sets' scripts.
    pub fn union(self, other: Scripts) -> Scripts {
        Scripts { arabic: self.arabic || other.arabic, cjk: self.cjk || other.cjk }
    }
}

/// Arabic script blocks (letters, presentation forms).
pub(crate) fn is_arabic(c: char) -> bool {
    matches!(c, '\u{0600}'..='\u{06FF}' | '\u{0750}'..='\u{077F}' | '\u{08A0}'..='\u{08FF}'
        | '\u{FB50}'..='\u{FDFF}' | '\u{FE70}'..='\u{FEFF}')
}

/// Han ideographs, CJK punctuation, Kana and Hangul.
pub(crate) fn is_cjk(c: char) -> bool {
    matches!(c, '\u{3000}'..='\u{30FF}' | '\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}'
        | '\u{AC00}'..='\u{D7AF}' | '\u{F900}'..='\u{FAFF}' | '\u{FF00}'..='\u{FFEF}'
        | '\u{20000}'..='\u{2FFFF}')
}

/// One font file: its name and the Debian package that installs it.
struct FontFile {
    name: &'static str,
    package: &'static str,
}

const SERIF: [FontFile; 4] = [
    FontFile { name: "NotoSerif-Regular.ttf", package: "fonts-noto-core" },
    FontFile { name: "NotoSerif-Bold.ttf", package: "fonts-noto-core" },
    FontFile { name: "NotoSerif-Italic.ttf", package: "fonts-noto-core" },
    FontFile { name: "NotoSerif-BoldItalic.ttf", package: "fonts-noto-core" },
];
const ARABIC: [FontFile; 2] = [
    FontFile { name: "NotoNaskhArabic-Regular.ttf", package: "fonts-noto-core" },
    FontFile { name: "NotoNaskhArabic-Bold.ttf", package: "fonts-noto-core" },
];
const CJK: [FontFile; 2] = [
    FontFile { name: "NotoSerifCJK-Regular.ttc", package: "fonts-noto-cjk" },
    FontFile { name: "NotoSerifCJK-Bold.ttc", package: "fonts-noto-cjk" },
];

/// The family names the template asks for, in fallback order for `scripts`
/// with `primary` first (the script the draft is mostly written in).
pub(crate) fn families(primary: Primary) -> Vec<&'static str> {
    match primary {
        Primary::Latin => vec!["Noto Serif", "Noto Naskh Arabic", "Noto Serif CJK SC"],
        Primary::Arabic => vec!["Noto Naskh Arabic", "Noto Serif", "Noto Serif CJK SC"],
        Primary::Chinese => vec!["Noto Serif CJK SC", "Noto Serif", "Noto Naskh Arabic"],
    }
}

/// The script a draft is mostly written in, which decides its language,
/// direction and first font.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Primary {
    /// Latin, Greek or Cyrillic: English, French, Spanish, Russian.
    Latin,
    /// Arabic: set right to left.
    Arabic,
    /// Chinese.
    Chinese,
}

/// Fonts already read, by file path: each file is read once per process.
fn cache() -> &'static Mutex<HashMap<PathBuf, Vec<Font>>> {
    static CACHE: OnceLock<Mutex<HashMap<PathBuf, Vec<Font>>>> = OnceLock::new();
    CACHE.get_or_init(|| Mutex::new(HashMap::new()))
}

/// The fonts for a draft in `scripts`, from the first of `dirs` that holds each file.
pub(crate) fn load(dirs: &[PathBuf], scripts: Scripts) -> Result<Vec<Font>, PrintError> {
    let mut files: Vec<&FontFile> = SERIF.iter().collect();
    if scripts.arabic {
        files.extend(ARABIC.iter());
    }
    if scripts.cjk {
        files.extend(CJK.iter());
    }
    let mut out = Vec::new();
    for f in files {
        let path = find(dirs, f)?;
        // A poisoned lock only means another thread panicked while reading a
        // font; the map itself is still consistent (insertions are whole).
        let mut cache = cache().lock().unwrap_or_else(|e| e.into_inner());
        if let Some(fonts) = cache.get(&path) {
            out.extend(fonts.iter().cloned());
            continue;
        }
        let data =
            std::fs::read(&path).map_err(|source| PrintError::FontRead { path: path.clone(), source })?;
        let fonts: Vec<Font> = Font::iter(Bytes::new(data)).collect();
        if fonts.is_empty() {
            return Err(PrintError::FontInvalid { path });
        }
        out.extend(fonts.iter().cloned());
        cache.insert(path, fonts);
    }
    Ok(out)
}

fn find(dirs: &[PathBuf], f: &FontFile) -> Result<PathBuf, PrintError> {
    dirs.iter().map(|d| d.join(f.name)).find(|p| Path::is_file(p)).ok_or_else(|| PrintError::FontMissing {
        file: f.name,
        package: f.package,
        dirs: dirs.iter().map(|d| d.display().to_string()).collect::<Vec<_>>().join(", "),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scripts_are_recognised() {
        assert_eq!(Scripts::of("Recalling [its resolution 70/1]"), Scripts::default());
        assert_eq!(Scripts::of("الإعلان العالمي"), Scripts { arabic: true, cjk: false });
        assert_eq!(Scripts::of("世界人权宣言，"), Scripts { arabic: false, cjk: true });
        assert_eq!(Scripts::of("Всеобщая декларация"), Scripts::default());
    }

    #[test]
    fn a_missing_font_names_its_package() {
        let err = load(&[PathBuf::from("/nonexistent-accord-fonts")], Scripts::default()).unwrap_err();
        let msg = err.to_string();
        assert!(msg.contains("NotoSerif-Regular.ttf") && msg.contains("fonts-noto-core"), "{msg}");
        assert!(msg.contains("/nonexistent-accord-fonts"), "{msg}");
    }
}
