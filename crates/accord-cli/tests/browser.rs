//! The browser checks: runs `e2e/run.mjs` (headless Chromium driven by
//! playwright-core, with axe-core) against this build's `accord` binary.
//!
//! It needs `npm ci --prefix e2e` and Debian's `/usr/bin/chromium` (or
//! `ACCORD_CHROMIUM`). Without them the test is skipped with a message, unless
//! `CI` or `ACCORD_REQUIRE_BROWSER` is set, when it fails instead.
//! Screenshots go to `e2e/out/screenshots/` (ignored by git), not to
//! `docs/screenshots/`: run `node e2e/run.mjs target/debug/accord` for those.

use std::path::{Path, PathBuf};
use std::process::Command;

#[test]
fn browser_end_to_end() {
    let e2e: PathBuf = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../e2e");
    let root = e2e.join("..");
    let chromium = std::env::var("ACCORD_CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    let node_ok = Command::new("node").arg("--version").output().is_ok_and(|o| o.status.success());

    let mut missing = Vec::new();
    if !node_ok {
        missing.push("`node` on PATH".to_string());
    }
    if !e2e.join("node_modules/playwright-core").is_dir() || !e2e.join("node_modules/axe-core").is_dir() {
        missing.push(format!("{}/node_modules (run `npm ci --prefix e2e`)", e2e.display()));
    }
    if !Path::new(&chromium).exists() {
        missing.push(format!("{chromium} (run `apt-get install chromium`)"));
    }
    if !missing.is_empty() {
        let what = missing.join(", ");
        if std::env::var_os("CI").is_some() || std::env::var_os("ACCORD_REQUIRE_BROWSER").is_some() {
            panic!("CI or ACCORD_REQUIRE_BROWSER is set but the browser checks cannot run: missing {what}");
        }
        eprintln!(
            "skipping the browser checks: missing {what} (with CI or ACCORD_REQUIRE_BROWSER set this fails)"
        );
        return;
    }

    let out = Command::new("node")
        .arg(e2e.join("run.mjs"))
        .current_dir(&root)
        .env("ACCORD_BIN", env!("CARGO_BIN_EXE_accord"))
        .env("ACCORD_CHROMIUM", &chromium)
        .env("ACCORD_SCREENSHOTS_DIR", e2e.join("out/screenshots"))
        .output()
        .expect("run node e2e/run.mjs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    if !out.status.success() {
        panic!("the browser checks failed ({}):\n{stdout}\n--- stderr ---\n{stderr}", out.status);
    }
    println!("{stdout}");
    if !stderr.trim().is_empty() {
        eprintln!("{stderr}");
    }
}
