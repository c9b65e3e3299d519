//! The scanner's measured quality must not regress: the built-in packs and
//! model over the project's corpora and the public development set beside
//! the repository (`../shared/corpora`, present in CI).
//!
//! These floors sit just below the figures last measured (see
//! `docs/scanner.md`); the product targets (recall ≥ 0.97, false positives
//! ≤ 0.01, per-family floors) are not met yet and are tracked in the
//! scanner issue. Raise the floors as the scanner improves.

use std::path::PathBuf;

use ragwall::offline::{evaluate, read_labelled};
use ragwall::scan::{Scanner, THRESHOLD};

#[test]
fn detection_quality_does_not_regress() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let mut paths = vec![root.join("corpora")];
    let shared = root.join("../shared/corpora");
    if shared.exists() {
        paths.push(shared);
    }
    let items = read_labelled(&paths).unwrap();
    let e = evaluate(&Scanner::builtin().unwrap(), &items, THRESHOLD);
    println!("{}", e.table());
    assert!(e.injections.total >= 350 && e.benign.total >= 500);
    let (recall, fpr) = (e.injections.rate(), e.benign.rate());
    if paths.len() == 2 {
        assert!(recall >= 0.945, "recall regressed to {recall:.3}");
        assert!(fpr <= 0.002, "false-positive rate regressed to {fpr:.3}");
    } else {
        assert!(recall >= 0.94, "recall regressed to {recall:.3}");
        assert!(fpr <= 0.004, "false-positive rate regressed to {fpr:.3}");
    }
}
