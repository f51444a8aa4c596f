//! bytes -> akn::read; when it reads, the draft's own export must read back
//! to the same draft (minus diagnostics), and every error must name a line.
#![no_main]

use accord_formats::akn::{self, AknError, AknOptions};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    match akn::read(data) {
        Ok(mut draft) => {
            let xml = akn::write(&draft, &AknOptions::default());
            let mut back = akn::read(xml.as_bytes()).expect("an export always reads back");
            draft.diagnostics.clear();
            back.diagnostics.clear();
            assert_eq!(back, draft, "export of an imported draft does not read back the same");
        }
        Err(AknError::Xml { line, column, .. })
        | Err(AknError::NotAkn { line, column, .. })
        | Err(AknError::TooDeep { line, column, .. })
        | Err(AknError::Encoding { line, column, .. }) => assert!(line >= 1 && column >= 1),
        Err(AknError::TooLarge { .. }) => {}
    }
});
