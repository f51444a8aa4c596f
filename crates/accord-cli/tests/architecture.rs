//! The crate arrows: which of Accord's crates may depend on which, read from
//! `cargo metadata`, so an import that would turn the layers around fails a
//! test instead of creeping in.
//!
//! core ← formats, store ← workspace ← server ← cli: the core depends on no
//! crate of ours; the store never on the workspace or the server; formats
//! never on the store, the workspace or the server; the workspace never on
//! the server; nothing on the CLI.

use std::collections::BTreeMap;
use std::process::Command;

/// Each workspace crate's dependencies on crates of ours (normal and build,
/// not dev), by crate name.
fn our_arrows() -> BTreeMap<String, Vec<String>> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let out = Command::new(cargo)
        .args(["metadata", "--format-version", "1", "--no-deps", "--offline"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("run cargo metadata");
    assert!(out.status.success(), "cargo metadata failed: {}", String::from_utf8_lossy(&out.stderr));
    let meta: serde_json::Value = serde_json::from_slice(&out.stdout).expect("cargo metadata's JSON");
    let packages = meta["packages"].as_array().expect("packages");
    let ours: Vec<&str> = packages.iter().filter_map(|p| p["name"].as_str()).collect();
    packages
        .iter()
        .map(|p| {
            let deps = p["dependencies"]
                .as_array()
                .into_iter()
                .flatten()
                .filter(|d| d["kind"].as_str() != Some("dev"))
                .filter_map(|d| d["name"].as_str())
                .filter(|d| ours.contains(d))
                .map(str::to_string)
                .collect();
            (p["name"].as_str().unwrap_or_default().to_string(), deps)
        })
        .collect()
}

#[test]
fn crates_depend_only_downwards() {
    let arrows = our_arrows();
    for name in ["accord-core", "accord-store", "accord-workspace", "accord-server", "accord-cli"] {
        assert!(arrows.contains_key(name), "no crate {name} in the workspace: {arrows:?}");
    }
    let forbidden: &[(&str, &[&str])] = &[
        (
            "accord-core",
            &["accord-formats", "accord-store", "accord-workspace", "accord-server", "accord-cli"],
        ),
        ("accord-store", &["accord-workspace", "accord-server", "accord-cli"]),
        ("accord-formats", &["accord-store", "accord-workspace", "accord-server", "accord-cli"]),
        ("accord-workspace", &["accord-server", "accord-cli"]),
        ("accord-server", &["accord-cli"]),
    ];
    let mut wrong = Vec::new();
    for (from, deps) in &arrows {
        for to in deps {
            let refused = forbidden.iter().any(|(f, never)| f == from && never.contains(&to.as_str()));
            if refused || (from == "accord-core" && to.starts_with("accord-")) {
                wrong.push(format!("{from} → {to}"));
            }
        }
    }
    assert!(wrong.is_empty(), "crate arrows pointing the wrong way: {}", wrong.join(", "));
    // The CLI acts through the workspace, not through the server's modules.
    assert!(arrows["accord-cli"].iter().any(|d| d == "accord-workspace"), "{arrows:?}");
}

#[test]
fn the_cli_reaches_no_server_module() {
    // `accord_server::serve` (and the server's rendering) are fine; its API
    // handlers and web sessions are the server's own business.
    let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    for entry in std::fs::read_dir(&src).expect("read src") {
        let path = entry.expect("entry").path();
        let text = std::fs::read_to_string(&path).expect("read a source file");
        for bad in [
            "accord_server::api",
            "accord_server::web::auth",
            "accord_server::workspace",
            "accord_server::demo",
        ] {
            assert!(!text.contains(bad), "{} uses {bad}", path.display());
        }
    }
}
